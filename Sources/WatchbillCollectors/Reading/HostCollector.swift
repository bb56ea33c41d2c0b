#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore

/// Reads every source once per tick and derives rates from the previous tick.
///
/// Owned by the collection thread. A source that fails becomes nil in the snapshot and a
/// line in `problems`; nothing here throws past `sample`.
public struct HostCollector {
    public let root: ProcRoot
    public var filter: DeviceFilter
    private let statter: any FilesystemStatter
    private let selfReader: SelfUsageReader?

    private var previousTime: Double?
    private var previousCPU: CPUStat?
    private var previousDisks: [String: DiskCounters] = [:]
    private var previousInterfaces: [String: InterfaceCounters] = [:]
    private var hostInfo: HostInfo?

    /// `selfRoot` is where Watchbill reads its own usage; nil turns that off (tests).
    public init(root: ProcRoot, filter: DeviceFilter = DeviceFilter(),
                statter: (any FilesystemStatter)? = nil, selfRoot: ProcRoot? = ProcRoot("/")) {
        self.root = root
        self.filter = filter
        self.statter = statter ?? BackgroundStatter(inline: StatvfsStatter(root: root))
        self.selfReader = selfRoot.map { SelfUsageReader(root: $0) }
    }

    public mutating func sample(time: Double, wallClock: Double) -> HostSnapshot {
        let host = hostInfo ?? readHostInfo()
        hostInfo = host
        var snap = HostSnapshot(time: time, wallClock: wallClock, host: host)
        let dt = previousTime.map { time - $0 }
        previousTime = time

        snap.uptimeSeconds = parse("/proc/uptime", &snap.problems, CPUParsers.uptime)
        readCPU(into: &snap)
        snap.load = parse("/proc/loadavg", &snap.problems, CPUParsers.loadavg)
        readPressure(into: &snap)
        snap.memory = parse("/proc/meminfo", &snap.problems, MemoryParser.meminfo)
        if snap.memory == nil { snap.missing[.memory] = snap.problems.last }
        readFilesystems(into: &snap)
        readDisks(into: &snap, dt: dt)
        readInterfaces(into: &snap, dt: dt)
        if let selfReader { snap.selfUsage = selfReader.read(time: time) }
        return snap
    }

    private func readHostInfo() -> HostInfo {
        func line(_ path: String) -> String? {
            guard let b = root.read(path) else { return nil }
            let s = String(decoding: b, as: UTF8.self)
            return s.split(separator: "\n").first.map(String.init)
        }
        return HostInfo(hostname: line("/proc/sys/kernel/hostname") ?? "unknown",
                        kernel: line("/proc/sys/kernel/osrelease") ?? "unknown")
    }

    private func parse<T>(_ path: String, _ problems: inout [String], _ parser: ([UInt8]) throws -> T) -> T? {
        guard let bytes = root.read(path) else {
            problems.append("\(path): cannot read")
            return nil
        }
        do { return try parser(bytes) } catch {
            problems.append("\(error)")
            return nil
        }
    }

    private mutating func readCPU(into snap: inout HostSnapshot) {
        guard let stat = parse("/proc/stat", &snap.problems, CPUParsers.stat) else {
            snap.missing[.cpu] = snap.problems.last
            previousCPU = nil
            return
        }
        snap.counters.cpu = stat
        snap.coreCount = stat.cores.count
        snap.runnable = stat.runnable
        snap.blocked = stat.blocked
        if previousCPU == nil { snap.missing[.cpu] = "no rate yet (first sample)" }
        if let prev = previousCPU {
            snap.cpuTotal = CPUUsage(from: prev.total, to: stat.total)
            if snap.cpuTotal == nil { snap.missing[.cpu] = "no CPU time counted since the last sample" }
            for (id, times) in stat.cores {
                // A CPU that just came online has no previous reading: no rate yet.
                if let before = prev.cores[id], let u = CPUUsage(from: before, to: times) { snap.cpuCores[id] = u }
            }
        }
        previousCPU = stat
    }

    private func readPressure(into snap: inout HostSnapshot) {
        // No /proc/pressure at all (old kernel, container, psi=0) is normal, not a problem.
        guard root.exists("/proc/pressure") else { return }
        var set = PressureSet()
        set.cpu = parse("/proc/pressure/cpu", &snap.problems) { try CPUParsers.pressure($0, file: "/proc/pressure/cpu") }
        set.memory = parse("/proc/pressure/memory", &snap.problems) {
            try CPUParsers.pressure($0, file: "/proc/pressure/memory")
        }
        set.io = parse("/proc/pressure/io", &snap.problems) { try CPUParsers.pressure($0, file: "/proc/pressure/io") }
        snap.pressure = set
    }

    /// Under another root (`--root /host`) `self` would be Watchbill's own mount namespace,
    /// not the host's: read init's mounts there.
    private var mountinfoPath: String {
        root.path.isEmpty || !root.exists("/proc/1/mountinfo") ? "/proc/self/mountinfo" : "/proc/1/mountinfo"
    }

    private func readFilesystems(into snap: inout HostSnapshot) {
        guard let mounts = parse(mountinfoPath, &snap.problems, DiskParsers.mountinfo) else {
            snap.missing[.filesystems] = snap.problems.last
            return
        }
        snap.filesystems = filter.filesystems(mounts).compactMap { statter.usage(of: $0) }
    }

    private mutating func readDisks(into snap: inout HostSnapshot, dt: Double?) {
        // Containers often have no diskstats: that is a missing pane section, not an error.
        guard root.exists("/proc/diskstats") else { return }
        guard let all = parse("/proc/diskstats", &snap.problems, DiskParsers.diskstats) else {
            previousDisks = [:]
            return
        }
        let whole = root.list("/sys/block").map(Set.init)
        var current: [String: DiskCounters] = [:]
        var rates: [DiskRates] = []
        for d in all where filter.isShownDisk(d.name, wholeDisks: whole) {
            current[d.name] = d
            guard let dt, let p = previousDisks[d.name], let r = DiskRateMath.rates(from: p, to: d, seconds: dt) else {
                continue
            }
            rates.append(r)
        }
        previousDisks = current
        snap.disks = rates
        snap.counters.disks = current.values.sorted { $0.name < $1.name }
    }

    private mutating func readInterfaces(into snap: inout HostSnapshot, dt: Double?) {
        guard let all = parse("/proc/net/dev", &snap.problems, NetworkParser.netdev) else {
            snap.missing[.network] = snap.problems.last
            previousInterfaces = [:]
            return
        }
        var current: [String: InterfaceCounters] = [:]
        var rates: [InterfaceRates] = []
        for i in all where i.name != "lo" {
            current[i.name] = i
            guard let dt, let p = previousInterfaces[i.name],
                  let r = InterfaceRateMath.rates(from: p, to: i, seconds: dt) else { continue }
            rates.append(r)
        }
        previousInterfaces = current
        snap.interfaces = rates
        snap.counters.interfaces = current.values.sorted { $0.name < $1.name }
    }
}

public enum DiskRateMath {
    public static func rates(from a: DiskCounters, to b: DiskCounters, seconds: Double) -> DiskRates? {
        guard seconds > 0,
              let reads = counterDelta(from: a.readsCompleted, to: b.readsCompleted),
              let writes = counterDelta(from: a.writesCompleted, to: b.writesCompleted),
              let sr = counterDelta(from: a.sectorsRead, to: b.sectorsRead),
              let sw = counterDelta(from: a.sectorsWritten, to: b.sectorsWritten),
              let msr = counterDelta(from: a.msReading, to: b.msReading),
              let msw = counterDelta(from: a.msWriting, to: b.msWriting),
              let io = counterDelta(from: a.msDoingIO, to: b.msDoingIO) else { return nil }
        let ops = Double(reads) + Double(writes)
        // diskstats sectors are always 512 bytes, whatever the device's real sector size.
        return DiskRates(name: b.name,
                         readBytesPerSecond: Double(sr) * 512 / seconds,
                         writeBytesPerSecond: Double(sw) * 512 / seconds,
                         readsPerSecond: Double(reads) / seconds,
                         writesPerSecond: Double(writes) / seconds,
                         busy: min(1, Double(io) / (seconds * 1000)),
                         averageWaitMs: ops == 0 ? nil : (Double(msr) + Double(msw)) / ops)
    }
}

public enum InterfaceRateMath {
    public static func rates(from a: InterfaceCounters, to b: InterfaceCounters, seconds: Double) -> InterfaceRates? {
        guard let rxb = counterRate(from: a.rxBytes, to: b.rxBytes, seconds: seconds),
              let txb = counterRate(from: a.txBytes, to: b.txBytes, seconds: seconds),
              let rxp = counterRate(from: a.rxPackets, to: b.rxPackets, seconds: seconds),
              let txp = counterRate(from: a.txPackets, to: b.txPackets, seconds: seconds),
              let rxe = counterRate(from: a.rxErrors, to: b.rxErrors, seconds: seconds),
              let txe = counterRate(from: a.txErrors, to: b.txErrors, seconds: seconds),
              let rxd = counterRate(from: a.rxDrops, to: b.rxDrops, seconds: seconds),
              let txd = counterRate(from: a.txDrops, to: b.txDrops, seconds: seconds) else { return nil }
        return InterfaceRates(name: b.name, rxBytesPerSecond: rxb, txBytesPerSecond: txb,
                              rxPacketsPerSecond: rxp, txPacketsPerSecond: txp,
                              errorsPerSecond: rxe + txe, dropsPerSecond: rxd + txd)
    }
}
