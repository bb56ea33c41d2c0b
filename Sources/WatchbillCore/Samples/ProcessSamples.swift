/// One process as `/proc/PID` describes it at one moment.
public struct ProcessSample: Sendable, Equatable {
    public var pid: Int32
    public var parentPID: Int32
    /// `comm`: at most 15 bytes, what the kernel calls the task.
    public var name: String
    /// R running, S sleeping, D uninterruptible, Z zombie, T stopped, I idle kernel thread...
    public var state: Character
    public var uid: UInt32?
    /// utime + stime, in clock ticks.
    public var cpuTicks: UInt64
    /// Start time after boot, in clock ticks; with the PID it identifies a process, since
    /// PIDs are reused.
    public var startTicks: UInt64
    public var residentBytes: UInt64
    public var threads: Int
    /// Bytes the process caused to be read from and written to storage; nil when `io` is
    /// not readable (another user's process without privileges).
    public var readBytes: UInt64?
    public var writtenBytes: UInt64?
    /// Arguments joined by spaces; empty for kernel threads and zombies.
    public var commandLine: String
    /// The cgroup v2 path (or the v1 systemd or cpu hierarchy's), e.g. `/system.slice/nginx.service`.
    public var cgroup: String
    public var isKernelThread: Bool

    public init(pid: Int32, parentPID: Int32, name: String, state: Character, uid: UInt32? = nil, cpuTicks: UInt64,
                startTicks: UInt64, residentBytes: UInt64, threads: Int, readBytes: UInt64? = nil,
                writtenBytes: UInt64? = nil, commandLine: String = "", cgroup: String = "", isKernelThread: Bool = false) {
        self.pid = pid; self.parentPID = parentPID; self.name = name; self.state = state; self.uid = uid
        self.cpuTicks = cpuTicks; self.startTicks = startTicks; self.residentBytes = residentBytes
        self.threads = threads; self.readBytes = readBytes; self.writtenBytes = writtenBytes
        self.commandLine = commandLine; self.cgroup = cgroup; self.isKernelThread = isKernelThread
    }
}

/// A process with what happened since the previous scan.
public struct ProcessActivity: Sendable, Equatable {
    public var sample: ProcessSample
    public var user: String
    /// Share of one CPU over the last interval (can exceed 1 for a multi-threaded process);
    /// nil on the first scan that saw this process.
    public var cpuFraction: Double?
    public var memoryFraction: Double
    public var readBytesPerSecond: Double?
    public var writeBytesPerSecond: Double?
    /// Seconds since boot when it started.
    public var startedAfterBoot: Double
    /// A name for the cgroup a person recognises: a systemd unit, `docker:abc123def456`,
    /// `k8s:pod…`; empty for the root cgroup.
    public var unit: String

    public init(sample: ProcessSample, user: String, cpuFraction: Double?, memoryFraction: Double,
                readBytesPerSecond: Double?, writeBytesPerSecond: Double?, startedAfterBoot: Double, unit: String) {
        self.sample = sample; self.user = user; self.cpuFraction = cpuFraction; self.memoryFraction = memoryFraction
        self.readBytesPerSecond = readBytesPerSecond; self.writeBytesPerSecond = writeBytesPerSecond
        self.startedAfterBoot = startedAfterBoot; self.unit = unit
    }
}
