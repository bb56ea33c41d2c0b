/// One endpoint the on-call answers for, as the config (or `--probe`) describes it.
public struct ProbeSpec: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case http(HTTPCheck)
        case tcp(TCPCheck)
        case dns(DNSCheck)
    }

    public var name: String
    public var kind: Kind
    /// Seconds between probe starts.
    public var interval: Double
    /// Seconds a probe may take before it counts as a timeout.
    public var timeout: Double
    public var labels: [String: String]
    /// This probe's SLO; the config's `slo` section unless the probe overrides parts.
    public var slo: SLOTargets

    public init(name: String, kind: Kind, interval: Double = 5, timeout: Double = 2,
                labels: [String: String] = [:], slo: SLOTargets = .sla) {
        self.name = name
        self.kind = kind
        self.interval = interval
        self.timeout = timeout
        self.labels = labels
        self.slo = slo
    }

    /// What the probe targets, safe to show and log: no password, no header values.
    public var target: String {
        switch kind {
        case .http(let h): return redactUserinfo(h.url)
        case .tcp(let t): return (t.tls ? "tls://" : "tcp://") + t.address
        case .dns(let d): return "dns:" + d.name
        }
    }

    public var kindName: String {
        switch kind {
        case .http: return "http"
        case .tcp: return "tcp"
        case .dns: return "dns"
        }
    }
}

public struct HTTPCheck: Sendable, Equatable {
    public var url: String
    public var method: String
    /// Status codes that count as success; default 200 to 399.
    public var expectedStatus: [ClosedRange<Int>]
    public var bodyContains: String?
    public var headers: [Header]
    public var followRedirects: Bool
    public var verifyTLS: Bool
    /// A PEM bundle to verify against instead of the system's (a private CA).
    public var caFile: String?
    /// Keep connections between probes (off by default, as blackbox exporter does, so every
    /// probe pays and measures DNS, connect and TLS).
    public var reuseConnection: Bool
    /// Bytes read at most; a longer body is cut there, never buffered.
    public var maxBodyBytes: Int

    public init(url: String, method: String = "GET", expectedStatus: [ClosedRange<Int>] = [200...399],
                bodyContains: String? = nil, headers: [Header] = [], followRedirects: Bool = false,
                verifyTLS: Bool = true, caFile: String? = nil, reuseConnection: Bool = false,
                maxBodyBytes: Int = 256 * 1024) {
        self.url = url
        self.method = method
        self.expectedStatus = expectedStatus
        self.bodyContains = bodyContains
        self.headers = headers
        self.followRedirects = followRedirects
        self.verifyTLS = verifyTLS
        self.caFile = caFile
        self.reuseConnection = reuseConnection
        self.maxBodyBytes = maxBodyBytes
    }

    public func accepts(status: Int) -> Bool { expectedStatus.contains { $0.contains(status) } }
}

/// A request header. The value may come from the environment (`${API_TOKEN}`), so it is a
/// `Secret`: it prints as `<redacted>` and never reaches the screen or a log.
public struct Header: Sendable, Equatable {
    public var name: String
    public var value: Secret

    public init(name: String, value: Secret) {
        self.name = name
        self.value = value
    }
}

public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The real value, for the one place that sends it.
    public let revealed: String
    public init(_ value: String) { revealed = value }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    /// `dump` and mirrors see no children either.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

public struct TCPCheck: Sendable, Equatable {
    /// `host:port` (`[v6]:port` for IPv6 literals).
    public var address: String
    /// Complete a TLS handshake after connecting (and record the certificate's expiry).
    public var tls: Bool
    public var verifyTLS: Bool
    public var caFile: String?

    public init(address: String, tls: Bool = false, verifyTLS: Bool = true, caFile: String? = nil) {
        self.address = address
        self.tls = tls
        self.verifyTLS = verifyTLS
        self.caFile = caFile
    }
}

public struct DNSCheck: Sendable, Equatable {
    public var name: String
    public init(name: String) { self.name = name }
}

/// `https://user:pw@host/` becomes `https://user:***@host/`.
public func redactUserinfo(_ url: String) -> String {
    let chars = Array(url)
    var schemeEnd: Int?
    for i in 0..<max(0, chars.count - 2) where chars[i] == ":" && chars[i + 1] == "/" && chars[i + 2] == "/" {
        schemeEnd = i + 3
        break
    }
    guard let start = schemeEnd else { return url }
    var end = start
    while end < chars.count, !["/", "?", "#"].contains(chars[end]) { end += 1 }
    guard let at = chars[start..<end].lastIndex(of: "@") else { return url }
    let userinfo = chars[start..<at]
    guard let colon = userinfo.firstIndex(of: ":") else { return url }
    return String(chars[..<colon]) + ":***" + String(chars[at...])
}
