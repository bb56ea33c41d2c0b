import WatchbillCore

/// An alert changing state, as the on-call saw it: the labels name it (alertname, severity
/// and the rest), the phases are Prometheus' words (`pending`, `firing`, `resolved`; nil
/// for inactive).
public struct AlertRecord: Sendable, Equatable {
    public var wallClock: Double
    public var labels: [String: String]
    public var from: String?
    public var to: String?

    public init(wallClock: Double, labels: [String: String], from: String?, to: String?) {
        self.wallClock = wallClock
        self.labels = labels
        self.from = from
        self.to = to
    }

    public var name: String { labels["alertname"] ?? "?" }
    public var severity: String { labels["severity"] ?? "P3" }
}

/// One entry of an incident's timeline, as written to the incident store.
public struct IncidentRecord: Sendable, Equatable {
    public var incident: Int64
    public var seq: Int64
    /// When it happened (the entry's time, which may be earlier than when it was written).
    public var at: Double
    public var kind: String
    public var author: String
    public var text: String

    public init(incident: Int64, seq: Int64, at: Double, kind: String, author: String, text: String) {
        self.incident = incident
        self.seq = seq
        self.at = at
        self.kind = kind
        self.author = author
        self.text = text
    }
}

/// A probed target as a replay needs it: what the panes show and the SLO they judge by.
/// Never a header value or a password: the target is the redacted one.
public struct RecordedProbe: Sendable, Equatable {
    public var name: String
    /// `http`, `tcp` or `dns`.
    public var kind: String
    public var target: String
    public var interval: Double
    public var timeout: Double
    public var labels: [String: String]
    public var slo: SLOTargets

    public init(name: String, kind: String, target: String, interval: Double, timeout: Double,
                labels: [String: String], slo: SLOTargets) {
        self.name = name
        self.kind = kind
        self.target = target
        self.interval = interval
        self.timeout = timeout
        self.labels = labels
        self.slo = slo
    }

    public init(_ spec: ProbeSpec) {
        self.init(name: spec.name, kind: spec.kindName, target: spec.target, interval: spec.interval,
                  timeout: spec.timeout, labels: spec.labels, slo: spec.slo)
    }

    /// A spec that shows and judges like the recorded one (it is never run).
    public var spec: ProbeSpec {
        let kind: ProbeSpec.Kind
        switch self.kind {
        case "tcp":
            let tls = target.hasPrefix("tls://")
            kind = .tcp(TCPCheck(address: String(target.drop { $0 != "/" }.dropFirst(2)), tls: tls))
        case "dns":
            kind = .dns(DNSCheck(name: String(target.dropFirst(target.hasPrefix("dns:") ? 4 : 0))))
        default:
            kind = .http(HTTPCheck(url: target))
        }
        return ProbeSpec(name: name, kind: kind, interval: interval, timeout: timeout, labels: labels, slo: slo)
    }
}

/// What a recording holds besides its ticks, gathered in one pass.
public struct RecordedEvents: Sendable {
    public var alerts: [AlertRecord] = []
    public var incidents: [IncidentRecord] = []
    /// The targets, as the last probe list read gave them.
    public var probes: [RecordedProbe] = []
    /// In time order once `add` has seen them all and `finish` ran.
    public var probeResults: [ProbeResult] = []

    public init() {}

    /// Takes a record that is not a tick; false for a tick (the caller keeps those).
    public mutating func add(_ record: Record) -> Bool {
        switch record {
        case .snapshot: return false
        case .alert(let a): alerts.append(a)
        case .incident(let i): incidents.append(i)
        // Each rotated file repeats the list; the last one read is the one in force.
        case .probes(let p): probes = p
        case .probeResult(let r): probeResults.append(r)
        }
        return true
    }

    /// Results arrive in completion order from several targets: sorted by start time.
    public mutating func finish() { probeResults.sort { $0.time < $1.time } }

    /// The alerts firing at `wallClock`: those whose last transition at or before it went to firing.
    public func firing(at wallClock: Double) -> [AlertRecord] {
        var last: [[String: String]: AlertRecord] = [:]
        for a in alerts where a.wallClock <= wallClock { last[a.labels] = a }
        return last.values.filter { $0.to == "firing" }.sorted { ($0.severity, $0.wallClock, $0.name) < ($1.severity, $1.wallClock, $1.name) }
    }
}

/// Every kind of record but the snapshot (`SnapshotCodec`), as payload bytes.
public enum EventCodec {
    public static func encode(_ a: AlertRecord) -> [UInt8] {
        var w = ByteWriter()
        w.double(a.wallClock)
        w.labels(a.labels)
        w.optional(a.from) { $0.string($1) }
        w.optional(a.to) { $0.string($1) }
        return w.bytes
    }

    public static func decodeAlert(_ bytes: [UInt8]) throws(ByteReader.Damaged) -> AlertRecord {
        var r = ByteReader(bytes)
        return AlertRecord(wallClock: try r.double(), labels: try r.labels(),
                           from: try r.optional { r throws(ByteReader.Damaged) in try r.string() },
                           to: try r.optional { r throws(ByteReader.Damaged) in try r.string() })
    }

    public static func encode(_ i: IncidentRecord) -> [UInt8] {
        var w = ByteWriter()
        w.signed(i.incident)
        w.signed(i.seq)
        w.double(i.at)
        w.string(i.kind)
        w.string(i.author)
        w.string(i.text)
        return w.bytes
    }

    public static func decodeIncident(_ bytes: [UInt8]) throws(ByteReader.Damaged) -> IncidentRecord {
        var r = ByteReader(bytes)
        return IncidentRecord(incident: try r.signed(), seq: try r.signed(), at: try r.double(), kind: try r.string(),
                              author: try r.string(), text: try r.string())
    }

    public static func encode(_ probes: [RecordedProbe]) -> [UInt8] {
        var w = ByteWriter()
        w.varint(UInt64(probes.count))
        for p in probes {
            w.string(p.name); w.string(p.kind); w.string(p.target)
            w.double(p.interval); w.double(p.timeout)
            w.labels(p.labels)
            for v in [p.slo.availability, p.slo.latencyThreshold, p.slo.latencyTarget, p.slo.errorRate, p.slo.window] { w.double(v) }
            w.varint(UInt64(max(0, p.slo.minProbes)))
        }
        return w.bytes
    }

    public static func decodeProbes(_ bytes: [UInt8]) throws(ByteReader.Damaged) -> [RecordedProbe] {
        var r = ByteReader(bytes)
        var list: [RecordedProbe] = []
        for _ in 0..<(try r.count()) {
            let name = try r.string(), kind = try r.string(), target = try r.string()
            // Any number may come from a file: a probe's pace that cannot be one is the default's.
            let pace = try r.double(), wait = try r.double()
            let interval = pace.isFinite && pace > 0 && pace <= 86_400 ? pace : 5
            let timeout = wait.isFinite && wait > 0 && wait <= 3600 ? wait : 2
            let labels = try r.labels()
            let slo = SLOTargets(availability: try r.double(), latencyThreshold: try r.double(), latencyTarget: try r.double(),
                                 errorRate: try r.double(), window: try r.double(), minProbes: Int(min(try r.varint(), 1 << 32)))
                .sanitized
            list.append(RecordedProbe(name: name, kind: kind, target: target, interval: interval, timeout: timeout,
                                      labels: labels, slo: slo))
        }
        return list
    }

    public static func encode(_ p: ProbeResult) -> [UInt8] {
        var w = ByteWriter()
        w.varint(UInt64(max(0, p.probe)))
        w.double(p.time)
        w.double(p.duration)
        w.optional(p.error) { $0.string($1.rawValue) }
        w.string(p.message)
        w.optional(p.status) { $0.signed(Int64($1)) }
        for v in [p.phases.dns, p.phases.connect, p.phases.tls, p.phases.firstByte, p.phases.transfer] { w.double(v) }
        w.varint(UInt64(max(0, p.bytes)))
        w.varint(p.truncated ? 1 : 0)
        w.optional(p.certificateExpiry) { $0.double($1) }
        return w.bytes
    }

    public static func decodeProbeResult(_ bytes: [UInt8]) throws(ByteReader.Damaged) -> ProbeResult {
        var r = ByteReader(bytes)
        let probe = Int(min(try r.varint(), 1 << 32))
        let time = try r.double(), duration = try r.double()
        let errorText = try r.optional { r throws(ByteReader.Damaged) in try r.string() }
        // A class a newer watchbill knows is still a failure here.
        let error = errorText.map { ProbeErrorClass(rawValue: $0) ?? .other }
        let message = try r.string()
        let status = try r.optional { r throws(ByteReader.Damaged) in Int(clamping: try r.signed()) }
        let phases = ProbePhases(dns: try r.double(), connect: try r.double(), tls: try r.double(), firstByte: try r.double(),
                                 transfer: try r.double())
        let size = Int(min(try r.varint(), 1 << 40))
        let truncated = try r.varint() != 0
        let expiry = try r.optional { r throws(ByteReader.Damaged) in try r.double() }
        return ProbeResult(probe: probe, time: time, duration: duration, error: error, message: message, status: status,
                           phases: phases, bytes: size, truncated: truncated, certificateExpiry: expiry)
    }
}

extension ByteWriter {
    /// Labels in key order, so the same set always gives the same bytes.
    mutating func labels(_ labels: [String: String]) {
        varint(UInt64(labels.count))
        for (k, v) in labels.sorted(by: { $0.key < $1.key }) {
            string(k)
            string(v)
        }
    }
}

extension ByteReader {
    mutating func labels() throws(Damaged) -> [String: String] {
        var out: [String: String] = [:]
        for _ in 0..<(try count()) {
            let k = try string()
            out[k] = try string()
        }
        return out
    }
}
