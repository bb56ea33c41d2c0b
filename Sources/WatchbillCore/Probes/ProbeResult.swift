/// Why a probe failed, in the words an on-call uses.
public enum ProbeErrorClass: String, Sendable, Equatable, CaseIterable, Codable {
    case dns, refused, connect, timeout, tls
    case httpStatus = "http-status"
    case bodyMismatch = "body-mismatch"
    case other
}

/// Where the time of one probe went, in seconds. Phases a probe did not have are zero
/// (no TLS on plain HTTP; only `dns` on a DNS probe).
public struct ProbePhases: Sendable, Equatable, Codable {
    public var dns: Double
    public var connect: Double
    public var tls: Double
    /// From request sent to first response byte: the server's think time.
    public var firstByte: Double
    public var transfer: Double

    public init(dns: Double = 0, connect: Double = 0, tls: Double = 0, firstByte: Double = 0, transfer: Double = 0) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.transfer = transfer
    }

    public var total: Double { dns + connect + tls + firstByte + transfer }
}

/// The outcome of one probe.
public struct ProbeResult: Sendable, Equatable {
    /// Index of the probe in the configured list.
    public var probe: Int
    /// Wall-clock seconds since 1970 when the probe started.
    public var time: Double
    /// Seconds from start to the end (success or failure).
    public var duration: Double
    public var error: ProbeErrorClass?
    /// What went wrong, for the detail view (no secrets: curl's words or ours).
    public var message: String
    public var status: Int?
    public var phases: ProbePhases
    public var bytes: Int
    /// The body was longer than the cap and was cut there.
    public var truncated: Bool
    /// The peer certificate's notAfter, seconds since 1970.
    public var certificateExpiry: Double?

    public init(probe: Int, time: Double, duration: Double, error: ProbeErrorClass? = nil, message: String = "",
                status: Int? = nil, phases: ProbePhases = ProbePhases(), bytes: Int = 0, truncated: Bool = false,
                certificateExpiry: Double? = nil) {
        self.probe = probe
        self.time = time
        self.duration = duration
        self.error = error
        self.message = message
        self.status = status
        self.phases = phases
        self.bytes = bytes
        self.truncated = truncated
        self.certificateExpiry = certificateExpiry
    }

    public var succeeded: Bool { error == nil }
}
