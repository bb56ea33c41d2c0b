import WatchbillCore

/// The `--format json` document. Every unit is in the field name; a field whose source
/// could not be read is left out rather than written as zero. Schema in docs/json.md.
public struct SnapshotReport: Encodable, Sendable {
    public var schema = "watchbill.snapshot/1"
    public var timeUnixSeconds: Double
    public var intervalSeconds: Double
    public var host: HostPart
    public var cpu: CPUPart?
    public var load: LoadPart?
    public var pressure: PressurePart?
    public var memory: MemoryPart?
    public var filesystems: [FilesystemPart]?
    public var disks: [DiskPart]?
    public var interfaces: [InterfacePart]?
    public var problems: [String]
    /// Probed targets with their latency windows and SLOs; absent when nothing is probed.
    public var probes: [ProbePart]?
    /// `replay --once`: the alerts firing at the moment, as recorded; absent otherwise.
    public var alertsFiring: [FiringPart]?

    public struct FiringPart: Encodable, Sendable {
        public var name: String
        public var severity: String
        public var labels: [String: String]
        public var sinceUnixSeconds: Double

        public init(name: String, severity: String, labels: [String: String], sinceUnixSeconds: Double) {
            self.name = name
            self.severity = severity
            self.labels = labels
            self.sinceUnixSeconds = sinceUnixSeconds
        }
    }

    public struct HostPart: Encodable, Sendable {
        public var hostname: String
        public var kernel: String
        public var uptimeSeconds: Double?
    }

    public struct CPUPart: Encodable, Sendable {
        public var coreCount: Int
        public var busyPercent: Double
        public var userPercent: Double
        public var nicePercent: Double
        public var systemPercent: Double
        public var iowaitPercent: Double
        public var irqPercent: Double
        public var softirqPercent: Double
        public var stealPercent: Double
        public var idlePercent: Double
        public var cores: [CorePart]
    }

    public struct CorePart: Encodable, Sendable {
        public var id: Int
        public var busyPercent: Double
        public var iowaitPercent: Double
    }

    public struct LoadPart: Encodable, Sendable {
        public var load1: Double
        public var load5: Double
        public var load15: Double
        public var runnableTasks: Int
        public var totalTasks: Int
        public var blockedTasks: Int?
    }

    public struct PressurePart: Encodable, Sendable {
        public var cpuSomeAvg10Percent: Double?
        public var memorySomeAvg10Percent: Double?
        public var memoryFullAvg10Percent: Double?
        public var ioSomeAvg10Percent: Double?
        public var ioFullAvg10Percent: Double?
    }

    public struct MemoryPart: Encodable, Sendable {
        public var totalBytes: UInt64
        public var usedBytes: UInt64
        public var availableBytes: UInt64
        public var freeBytes: UInt64
        public var buffersBytes: UInt64
        public var cachedBytes: UInt64
        public var swapTotalBytes: UInt64
        public var swapUsedBytes: UInt64
        public var usedPercent: Double
    }

    public struct FilesystemPart: Encodable, Sendable {
        public var mountPoint: String
        public var fsType: String
        public var source: String
        public var sizeBytes: UInt64
        public var usedBytes: UInt64
        public var availableBytes: UInt64
        public var usedPercent: Double
        /// True when a network filesystem stopped answering and these are its last figures.
        public var isStale: Bool
    }

    public struct DiskPart: Encodable, Sendable {
        public var device: String
        public var readBytesPerSecond: Double
        public var writeBytesPerSecond: Double
        public var readsPerSecond: Double
        public var writesPerSecond: Double
        public var busyPercent: Double
        public var averageWaitMilliseconds: Double?
    }

    public struct InterfacePart: Encodable, Sendable {
        public var interface: String
        public var receiveBytesPerSecond: Double
        public var transmitBytesPerSecond: Double
        public var receivePacketsPerSecond: Double
        public var transmitPacketsPerSecond: Double
        public var errorsPerSecond: Double
        public var dropsPerSecond: Double
    }

    public init(_ s: HostSnapshot, interval: Double) {
        func pct(_ f: Double) -> Double { (f * 10000).rounded() / 100 }
        timeUnixSeconds = s.wallClock
        intervalSeconds = interval
        host = HostPart(hostname: s.host.hostname, kernel: s.host.kernel, uptimeSeconds: s.uptimeSeconds)
        if let t = s.cpuTotal {
            cpu = CPUPart(coreCount: s.coreCount, busyPercent: pct(t.busy), userPercent: pct(t.user),
                          nicePercent: pct(t.nice), systemPercent: pct(t.system), iowaitPercent: pct(t.iowait),
                          irqPercent: pct(t.irq), softirqPercent: pct(t.softirq), stealPercent: pct(t.steal),
                          idlePercent: pct(t.idle),
                          cores: s.cpuCores.sorted { $0.key < $1.key }.map {
                              CorePart(id: $0.key, busyPercent: pct($0.value.busy), iowaitPercent: pct($0.value.iowait))
                          })
        }
        load = s.load.map {
            LoadPart(load1: $0.one, load5: $0.five, load15: $0.fifteen, runnableTasks: s.runnable ?? $0.runnable,
                     totalTasks: $0.total, blockedTasks: s.blocked)
        }
        pressure = s.pressure.map {
            PressurePart(cpuSomeAvg10Percent: $0.cpu?.someAvg10, memorySomeAvg10Percent: $0.memory?.someAvg10,
                         memoryFullAvg10Percent: $0.memory?.fullAvg10, ioSomeAvg10Percent: $0.io?.someAvg10,
                         ioFullAvg10Percent: $0.io?.fullAvg10)
        }
        memory = s.memory.map {
            MemoryPart(totalBytes: $0.total, usedBytes: $0.used, availableBytes: $0.available, freeBytes: $0.free,
                       buffersBytes: $0.buffers, cachedBytes: $0.cached, swapTotalBytes: $0.swapTotal,
                       swapUsedBytes: $0.swapUsed, usedPercent: pct($0.usedFraction))
        }
        filesystems = s.filesystems.map {
            $0.map {
                FilesystemPart(mountPoint: $0.mount.mountPoint, fsType: $0.mount.fsType, source: $0.mount.source,
                               sizeBytes: $0.size, usedBytes: $0.used, availableBytes: $0.available,
                               usedPercent: pct($0.usedFraction), isStale: $0.isStale)
            }
        }
        disks = s.disks.map {
            $0.map {
                DiskPart(device: $0.name, readBytesPerSecond: $0.readBytesPerSecond,
                         writeBytesPerSecond: $0.writeBytesPerSecond, readsPerSecond: $0.readsPerSecond,
                         writesPerSecond: $0.writesPerSecond, busyPercent: pct($0.busy),
                         averageWaitMilliseconds: $0.averageWaitMs)
            }
        }
        interfaces = s.interfaces.map {
            $0.map {
                InterfacePart(interface: $0.name, receiveBytesPerSecond: $0.rxBytesPerSecond,
                              transmitBytesPerSecond: $0.txBytesPerSecond,
                              receivePacketsPerSecond: $0.rxPacketsPerSecond,
                              transmitPacketsPerSecond: $0.txPacketsPerSecond,
                              errorsPerSecond: $0.errorsPerSecond, dropsPerSecond: $0.dropsPerSecond)
            }
        }
        problems = s.problems
    }
}
