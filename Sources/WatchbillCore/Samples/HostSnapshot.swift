/// Static-ish facts about the host, shown in the header.
public struct HostInfo: Sendable, Equatable {
    public var hostname: String
    public var kernel: String
    public init(hostname: String, kernel: String) {
        self.hostname = hostname
        self.kernel = kernel
    }
}

/// Watchbill's own cost, shown in the header so users can see what watching costs.
public struct SelfUsage: Sendable, Equatable {
    public var cpuFraction: Double?
    public var rssBytes: UInt64?
    public init(cpuFraction: Double?, rssBytes: UInt64?) {
        self.cpuFraction = cpuFraction
        self.rssBytes = rssBytes
    }
}

/// Counters as the kernel reports them (cumulative since boot).
public struct RawCounters: Sendable, Equatable {
    public var cpu: CPUStat?
    public var disks: [DiskCounters] = []
    public var interfaces: [InterfaceCounters] = []
    public init() {}
}

/// A part of the host a pane shows, for saying why it is missing.
public enum HostPart: String, Sendable, Hashable {
    case cpu, memory, filesystems, disks, network
}

/// Everything one collection tick learned, rates already derived.
///
/// An optional that is nil means "could not be read this tick" (a missing file in a
/// container, a parse error): the pane shows a gap or "n/a", never a made-up zero.
public struct HostSnapshot: Sendable {
    public var time: Double
    public var wallClock: Double
    public var host: HostInfo
    public var uptimeSeconds: Double?
    public var cpuTotal: CPUUsage?
    /// Per core, keyed by CPU number; a core seen for the first time has no entry yet.
    public var cpuCores: [Int: CPUUsage]
    public var coreCount: Int
    public var load: LoadAverage?
    public var runnable: Int?
    public var blocked: Int?
    public var pressure: PressureSet?
    public var memory: MemorySample?
    public var filesystems: [FilesystemUsage]?
    public var disks: [DiskRates]?
    public var interfaces: [InterfaceRates]?
    public var selfUsage: SelfUsage
    /// The raw counters behind the rates, for alert rules that take their own `rate()`
    /// over node_exporter's `_total` series.
    public var counters = RawCounters()
    /// Sources that failed this tick, with a short reason, for the status line and the log.
    public var problems: [String]
    /// Why a part is missing or has no figures yet, in its source's own terms (a local
    /// file that cannot be read, a collector an exporter does not run): a pane says this
    /// rather than guess. Not recorded.
    public var missing: [HostPart: String] = [:]

    public init(time: Double, wallClock: Double, host: HostInfo) {
        self.time = time
        self.wallClock = wallClock
        self.host = host
        cpuCores = [:]
        coreCount = 0
        selfUsage = SelfUsage(cpuFraction: nil, rssBytes: nil)
        problems = []
    }
}
