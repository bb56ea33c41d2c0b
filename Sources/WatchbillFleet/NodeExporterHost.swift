import WatchbillCollectors
import WatchbillCore
import WatchbillExposition

/// A host as its node_exporter describes it, turned into the same `HostSnapshot` the local
/// collector makes, so every pane works on it unchanged. Counters become rates against the
/// previous scrape, with the local collector's arithmetic (wraps and resets included).
public struct NodeExporterHost: Sendable {
    private var previousTime: Double?
    private var previousCPU: CPUStat?
    private var previousDisks: [String: DiskCounters] = [:]
    private var previousInterfaces: [String: InterfaceCounters] = [:]
    /// The local collector's device filters (partitions, loop and ram devices hidden), for
    /// remote disks too.
    private let filter: DeviceFilter

    public init(filter: DeviceFilter = DeviceFilter()) {
        self.filter = filter
    }

    /// What a pane says when an exporter does not serve its part: the collector to enable,
    /// never a local file.
    static func notServed(_ metric: String, collector: String) -> String {
        "not served by this exporter (\(metric)): enable its \(collector) collector"
    }

    /// An exporter's number as a count: NaN, negative or infinite is 0, anything past the
    /// largest count is that count. A page is input: no value of it may trap.
    static func count(_ v: Double) -> UInt64 {
        guard v.isFinite, v > 0 else { return 0 }
        return v >= 18_446_744_073_709_549_568 ? UInt64.max : UInt64(v)
    }

    /// As `count`, for the few integers the snapshot keeps as `Int` (processes).
    static func int(_ v: Double?) -> Int? {
        guard let v, v.isFinite else { return nil }
        return Int(max(0, min(v, 1e15)))
    }

    /// One scrape's families; `fallbackName` (the target's address) names a host whose
    /// node_exporter has no uname collector.
    public mutating func snapshot(_ families: [MetricFamily], time: Double, wallClock: Double,
                                  fallbackName: String) -> HostSnapshot {
        let m = NodeMetrics(families)
        let uname = m.samples("node_uname_info").first?.labels
        var snap = HostSnapshot(time: time, wallClock: wallClock,
                                host: HostInfo(hostname: uname?["nodename"] ?? fallbackName, kernel: uname?["release"] ?? "unknown"))
        let dt = previousTime.map { time - $0 }
        previousTime = time
        if let now = m.value("node_time_seconds"), let boot = m.value("node_boot_time_seconds") { snap.uptimeSeconds = now - boot }
        cpu(m, into: &snap)
        if let one = m.value("node_load1"), let five = m.value("node_load5"), let fifteen = m.value("node_load15") {
            // node_exporter has no task total (the loadavg's y of x/y): 0 says "not known".
            snap.load = LoadAverage(one: one, five: five, fifteen: fifteen, runnable: Self.int(m.value("node_procs_running")) ?? 0, total: 0)
        }
        snap.runnable = Self.int(m.value("node_procs_running"))
        snap.blocked = Self.int(m.value("node_procs_blocked"))
        memory(m, into: &snap)
        filesystems(m, into: &snap)
        disks(m, into: &snap, dt: dt)
        interfaces(m, into: &snap, dt: dt)
        return snap
    }

    /// Seconds as the kernel's clock ticks (USER_HZ, 100 a second), the unit `CPUTimes` holds.
    static func ticks(_ seconds: Double) -> UInt64 { count(seconds * 100) }

    private mutating func cpu(_ m: NodeMetrics, into snap: inout HostSnapshot) {
        var cores: [Int: CPUTimes] = [:]
        for s in m.samples("node_cpu_seconds_total") {
            guard let id = s.labels["cpu"].flatMap({ Int($0) }), let mode = s.labels["mode"] else { continue }
            var t = cores[id] ?? CPUTimes()
            let v = Self.ticks(s.value)
            switch mode {
            case "user": t.user = v
            case "nice": t.nice = v
            case "system": t.system = v
            case "idle": t.idle = v
            case "iowait": t.iowait = v
            case "irq": t.irq = v
            case "softirq": t.softirq = v
            case "steal": t.steal = v
            default: continue
            }
            cores[id] = t
        }
        guard !cores.isEmpty else {
            snap.problems.append("node_cpu_seconds_total: not served")
            snap.missing[.cpu] = Self.notServed("node_cpu_seconds_total", collector: "cpu")
            previousCPU = nil
            return
        }
        var total = CPUTimes()
        for t in cores.values {
            total.user += t.user; total.nice += t.nice; total.system += t.system; total.idle += t.idle
            total.iowait += t.iowait; total.irq += t.irq; total.softirq += t.softirq; total.steal += t.steal
        }
        let stat = CPUStat(total: total, cores: cores, runnable: snap.runnable, blocked: snap.blocked)
        snap.counters.cpu = stat
        snap.coreCount = cores.count
        if previousCPU == nil { snap.missing[.cpu] = "no rate yet (first scrape)" }
        if let prev = previousCPU {
            snap.cpuTotal = CPUUsage(from: prev.total, to: total)
            // An exporter that caches its answer, or a scrape faster than its counters move.
            if snap.cpuTotal == nil { snap.missing[.cpu] = "no CPU time counted since the last scrape" }
            for (id, times) in cores {
                if let before = prev.cores[id], let u = CPUUsage(from: before, to: times) { snap.cpuCores[id] = u }
            }
        }
        previousCPU = stat
    }

    private func memory(_ m: NodeMetrics, into snap: inout HostSnapshot) {
        snap.memory = MemorySample.fromKernelFields { m.value("node_memory_\($0)_bytes").map(Self.count) }
        if snap.memory == nil {
            snap.problems.append("node_memory_MemTotal_bytes: not served")
            snap.missing[.memory] = Self.notServed("node_memory_MemTotal_bytes", collector: "meminfo")
        }
    }

    private func filesystems(_ m: NodeMetrics, into snap: inout HostSnapshot) {
        let sizes = m.samples("node_filesystem_size_bytes")
        guard !sizes.isEmpty else {
            snap.missing[.filesystems] = Self.notServed("node_filesystem_size_bytes", collector: "filesystem")
            return
        }
        func key(_ l: [String: String]) -> String { (l["mountpoint"] ?? "") + "\u{0}" + (l["device"] ?? "") }
        let avail = Dictionary(m.samples("node_filesystem_avail_bytes").map { (key($0.labels), $0.value) }, uniquingKeysWith: { a, _ in a })
        let free = Dictionary(m.samples("node_filesystem_free_bytes").map { (key($0.labels), $0.value) }, uniquingKeysWith: { a, _ in a })
        let broken = Set(m.samples("node_filesystem_device_error").filter { $0.value != 0 }.map { key($0.labels) })
        snap.filesystems = sizes.compactMap { s in
            let k = key(s.labels)
            guard s.value.isFinite, s.value > 0, !broken.contains(k), let a = avail[k], let f = free[k] else { return nil }
            let size = Self.count(s.value), freeBytes = min(size, Self.count(f))
            let mount = Mount(mountPoint: s.labels["mountpoint"] ?? "?", fsType: s.labels["fstype"] ?? "?",
                              source: s.labels["device"] ?? "?", device: "")
            return FilesystemUsage(mount: mount, size: size, available: min(size, Self.count(a)), used: size - freeBytes)
        }.sorted { $0.mount.mountPoint < $1.mount.mountPoint }
    }

    private mutating func disks(_ m: NodeMetrics, into snap: inout HostSnapshot, dt: Double?) {
        let reads = m.byLabel("node_disk_reads_completed_total", "device").filter { filter.isShownDisk($0.key, wholeDisks: nil) }
        guard !reads.isEmpty else {
            snap.missing[.disks] = Self.notServed("node_disk_reads_completed_total", collector: "diskstats")
            return
        }
        let readBytes = m.byLabel("node_disk_read_bytes_total", "device"), writes = m.byLabel("node_disk_writes_completed_total", "device")
        let written = m.byLabel("node_disk_written_bytes_total", "device"), readTime = m.byLabel("node_disk_read_time_seconds_total", "device")
        let writeTime = m.byLabel("node_disk_write_time_seconds_total", "device"), io = m.byLabel("node_disk_io_time_seconds_total", "device")
        func n(_ v: Double?) -> UInt64 { v.map(Self.count) ?? 0 }
        var current: [String: DiskCounters] = [:]
        var rates: [DiskRates] = []
        for (name, r) in reads.sorted(by: { $0.key < $1.key }) {
            // diskstats' units: 512-byte sectors and milliseconds.
            let d = DiskCounters(name: name, readsCompleted: n(r), sectorsRead: n(readBytes[name]) / 512,
                                 msReading: n(readTime[name].map { $0 * 1000 }), writesCompleted: n(writes[name]),
                                 sectorsWritten: n(written[name]) / 512, msWriting: n(writeTime[name].map { $0 * 1000 }),
                                 msDoingIO: n(io[name].map { $0 * 1000 }))
            current[name] = d
            if let dt, let p = previousDisks[name], let rate = DiskRateMath.rates(from: p, to: d, seconds: dt) { rates.append(rate) }
        }
        previousDisks = current
        snap.disks = rates
        snap.counters.disks = current.values.sorted { $0.name < $1.name }
    }

    private mutating func interfaces(_ m: NodeMetrics, into snap: inout HostSnapshot, dt: Double?) {
        let rxBytes = m.byLabel("node_network_receive_bytes_total", "device")
        guard !rxBytes.isEmpty else {
            snap.missing[.network] = Self.notServed("node_network_receive_bytes_total", collector: "netdev")
            return
        }
        let rxPackets = m.byLabel("node_network_receive_packets_total", "device"), rxErrors = m.byLabel("node_network_receive_errs_total", "device")
        let rxDrops = m.byLabel("node_network_receive_drop_total", "device"), txBytes = m.byLabel("node_network_transmit_bytes_total", "device")
        let txPackets = m.byLabel("node_network_transmit_packets_total", "device"), txErrors = m.byLabel("node_network_transmit_errs_total", "device")
        let txDrops = m.byLabel("node_network_transmit_drop_total", "device")
        func n(_ v: Double?) -> UInt64 { v.map(Self.count) ?? 0 }
        var current: [String: InterfaceCounters] = [:]
        var rates: [InterfaceRates] = []
        for (name, rx) in rxBytes.sorted(by: { $0.key < $1.key }) where name != "lo" {
            let i = InterfaceCounters(name: name, rxBytes: n(rx), rxPackets: n(rxPackets[name]), rxErrors: n(rxErrors[name]),
                                      rxDrops: n(rxDrops[name]), txBytes: n(txBytes[name]), txPackets: n(txPackets[name]),
                                      txErrors: n(txErrors[name]), txDrops: n(txDrops[name]))
            current[name] = i
            if let dt, let p = previousInterfaces[name], let r = InterfaceRateMath.rates(from: p, to: i, seconds: dt) { rates.append(r) }
        }
        previousInterfaces = current
        snap.interfaces = rates
        snap.counters.interfaces = current.values.sorted { $0.name < $1.name }
    }
}

/// A scrape's samples by metric name.
struct NodeMetrics {
    private var byName: [String: [ExpositionSample]] = [:]

    init(_ families: [MetricFamily]) {
        for f in families { for s in f.samples { byName[s.name, default: []].append(s) } }
    }

    func samples(_ name: String) -> [ExpositionSample] { byName[name] ?? [] }

    /// The value of a series without labels (or the first one).
    func value(_ name: String) -> Double? { byName[name]?.first.map(\.value) }

    /// Values keyed by one label (`device`).
    func byLabel(_ name: String, _ label: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for s in samples(name) { if let k = s.labels[label] { out[k] = s.value } }
        return out
    }
}
