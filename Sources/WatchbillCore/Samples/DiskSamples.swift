/// One line of `/proc/self/mountinfo`, with escapes such as `\040` decoded.
public struct Mount: Sendable, Equatable {
    public var mountPoint: String
    public var fsType: String
    public var source: String
    /// "major:minor"; bind mounts of one filesystem share it.
    public var device: String
    public init(mountPoint: String, fsType: String, source: String, device: String) {
        self.mountPoint = mountPoint; self.fsType = fsType; self.source = source; self.device = device
    }
}

/// Space on one mounted filesystem, in bytes.
public struct FilesystemUsage: Sendable, Equatable {
    public var mount: Mount
    public var size: UInt64
    /// Free for unprivileged users (what `df` calls Avail).
    public var available: UInt64
    public var used: UInt64
    /// The last answer of a network filesystem that has stopped answering.
    public var isStale = false
    public init(mount: Mount, size: UInt64, available: UInt64, used: UInt64) {
        self.mount = mount; self.size = size; self.available = available; self.used = used
    }

    /// From statvfs block counts, or nil when they make no sense. A FUSE daemon can report
    /// anything, so products that overflow and free above total are refused, not trusted.
    public init?(mount: Mount, blocks: UInt64, free: UInt64, available: UInt64, blockSize: UInt64) {
        guard blocks > 0, free <= blocks, available <= blocks else { return nil }
        let (size, o1) = blocks.multipliedReportingOverflow(by: blockSize)
        let (freeBytes, o2) = free.multipliedReportingOverflow(by: blockSize)
        let (availBytes, o3) = available.multipliedReportingOverflow(by: blockSize)
        guard !o1, !o2, !o3 else { return nil }
        self.init(mount: mount, size: size, available: availBytes, used: size - freeBytes)
    }
    /// As `df` computes Use%: used over what users could have (used + available).
    public var usedFraction: Double {
        // In doubles: a replayed or damaged record may hold sums past UInt64.
        let denom = Double(used) + Double(available)
        return denom == 0 ? 0 : Double(used) / denom
    }
}

/// Cumulative counters of one block device, from `/proc/diskstats`.
public struct DiskCounters: Sendable, Equatable {
    public var name: String
    public var readsCompleted: UInt64
    public var sectorsRead: UInt64
    public var msReading: UInt64
    public var writesCompleted: UInt64
    public var sectorsWritten: UInt64
    public var msWriting: UInt64
    public var msDoingIO: UInt64
    public init(name: String, readsCompleted: UInt64, sectorsRead: UInt64, msReading: UInt64,
                writesCompleted: UInt64, sectorsWritten: UInt64, msWriting: UInt64, msDoingIO: UInt64) {
        self.name = name; self.readsCompleted = readsCompleted; self.sectorsRead = sectorsRead
        self.msReading = msReading; self.writesCompleted = writesCompleted; self.sectorsWritten = sectorsWritten
        self.msWriting = msWriting; self.msDoingIO = msDoingIO
    }
}

/// Per-second activity of one block device between two readings.
public struct DiskRates: Sendable, Equatable {
    public var name: String
    public var readBytesPerSecond: Double
    public var writeBytesPerSecond: Double
    public var readsPerSecond: Double
    public var writesPerSecond: Double
    /// Share of wall time with I/O in flight, 0...1.
    public var busy: Double
    /// Mean time per completed request, milliseconds; nil when no request completed.
    public var averageWaitMs: Double?
    public var iops: Double { readsPerSecond + writesPerSecond }
    public init(name: String, readBytesPerSecond: Double, writeBytesPerSecond: Double, readsPerSecond: Double,
                writesPerSecond: Double, busy: Double, averageWaitMs: Double?) {
        self.name = name; self.readBytesPerSecond = readBytesPerSecond; self.writeBytesPerSecond = writeBytesPerSecond
        self.readsPerSecond = readsPerSecond; self.writesPerSecond = writesPerSecond; self.busy = busy
        self.averageWaitMs = averageWaitMs
    }
}
