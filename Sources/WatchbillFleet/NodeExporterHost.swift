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
    /// exporter serves no host name (no uname collector, DragonFly, Solaris).
    public mutating func snapshot(_ families: [MetricFamily], time: Double, wallClock: Double,
                                  fallbackName: String) -> HostSnapshot {
        let m = NodeMetrics(families)
        let os = ExporterOS.of(m)
        var snap = HostSnapshot(time: time, wallClock: wallClock, host: Self.hostInfo(m, os: os, fallbackName: fallbackName))
        let dt = previousTime.map { time - $0 }
        previousTime = time
        snap.uptimeSeconds = Self.uptime(m, os: os, wallClock: wallClock)
        cpu(m, os: os, into: &snap)
        if let one = m.value("node_load1"), let five = m.value("node_load5"), let fifteen = m.value("node_load15") {
            // node_exporter has no task total (the loadavg's y of x/y): 0 says "not known".
            snap.load = LoadAverage(one: one, five: five, fifteen: fifteen, runnable: Self.int(m.value("node_procs_running")) ?? 0, total: 0)
        }
        snap.runnable = Self.int(m.value("node_procs_running"))
        snap.blocked = Self.int(m.value("node_procs_blocked"))
        memory(m, os: os, into: &snap)
        filesystems(m, os: os, into: &snap)
        disks(m, os: os, into: &snap, dt: dt)
        interfaces(m, os: os, into: &snap, dt: dt)
        return snap
    }

    /// uname's node name and release; on Windows the os collector's host name and product;
    /// else the address, and the system's name as the kernel.
    static func hostInfo(_ m: NodeMetrics, os: ExporterOS, fallbackName: String) -> HostInfo {
        if os == .windows {
            let name = m.samples("windows_os_hostname").first?.labels["hostname"] ?? m.samples("windows_cs_hostname").first?.labels["hostname"]
            let info = m.samples("windows_os_info").first?.labels
            let kernel = info.map { [$0["product"], $0["build_number"].map { "build " + $0 }].compactMap { $0 }.joined(separator: " ") }
            return HostInfo(hostname: name ?? fallbackName, kernel: kernel.flatMap { $0.isEmpty ? nil : $0 } ?? os.displayName)
        }
        let uname = m.samples("node_uname_info").first?.labels
        let release = m.samples("node_os_info").first?.labels["pretty_name"]
        return HostInfo(hostname: uname?["nodename"] ?? fallbackName, kernel: uname?["release"] ?? release ?? (os == .linux ? "unknown" : os.displayName))
    }

    /// node_exporter's clock less its boot time. windows_exporter serves the boot time under
    /// three names over its versions, one of which (0.30.2 to 0.30.5) held the uptime itself.
    static func uptime(_ m: NodeMetrics, os: ExporterOS, wallClock: Double) -> Double? {
        if os == .windows {
            guard let boot = m.value("windows_system_boot_time_timestamp") ?? m.value("windows_system_boot_time_timestamp_seconds")
                    ?? m.value("windows_system_system_up_time"), boot.isFinite else { return nil }
            return boot < 1e9 ? boot : max(0, wallClock - boot)
        }
        guard let now = m.value("node_time_seconds") ?? (m.has("node_boot_time_seconds") ? wallClock : nil),
              let boot = m.value("node_boot_time_seconds") else { return nil }
        return now - boot
    }

    /// Seconds as the kernel's clock ticks (USER_HZ, 100 a second), the unit `CPUTimes` holds.
    static func ticks(_ seconds: Double) -> UInt64 { count(seconds * 100) }

    /// node_exporter numbers CPUs `0`, `1`...; windows_exporter names them `group,number`.
    static func coreNumber(_ label: String?) -> Int? {
        guard let label else { return nil }
        if let n = Int(label), n >= 0 { return n }
        let parts = label.split(separator: ",")
        guard parts.count == 2, let group = Int(parts[0]), let number = Int(parts[1]), group >= 0, group < 1024, number >= 0, number < 1024 else { return nil }
        return group * 64 + number
    }

    private mutating func cpu(_ m: NodeMetrics, os: ExporterOS, into snap: inout HostSnapshot) {
        var cores: [Int: CPUTimes] = [:]
        let metric = os == .windows ? "windows_cpu_time_total" : "node_cpu_seconds_total"
        for s in m.samples(metric) {
            guard let id = Self.coreNumber(s.labels[os == .windows ? "core" : "cpu"]), let mode = s.labels["mode"],
                  let state = os.cpuState(mode) else { continue }
            cores[id, default: CPUTimes()][keyPath: state].addSaturating(Self.ticks(s.value))
        }
        guard !cores.isEmpty else {
            snap.problems.append("\(metric): not served")
            snap.missing[.cpu] = Self.notServed(metric, collector: "cpu")
            previousCPU = nil
            return
        }
        var total = CPUTimes()
        // Saturating: a page's 1e300 seconds is a count at its largest, never a trap.
        for t in cores.values {
            for state in [\CPUTimes.user, \.nice, \.system, \.idle, \.iowait, \.irq, \.softirq, \.steal] {
                total[keyPath: state].addSaturating(t[keyPath: state])
            }
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

    private func memory(_ m: NodeMetrics, os: ExporterOS, into snap: inout HostSnapshot) {
        snap.memory = os.memory(m)
        guard snap.memory == nil else { return }
        // The first of the figures this system's arithmetic needs that the page lacks.
        let metric = os.memoryNeeds.first { !m.has($0) } ?? os.memoryNeeds.first ?? "node_memory_MemTotal_bytes"
        snap.problems.append("\(metric): not served")
        snap.missing[.memory] = Self.absent(.memory, os: os, metric: metric, collector: os == .windows ? "memory" : "meminfo")
    }

    /// Why a part has no figures: a collector to enable, or a system node_exporter has none for.
    static func absent(_ part: HostPart, os: ExporterOS, metric: String, collector: String) -> String {
        let what = switch part {
        case .cpu: "CPU"
        case .memory: "memory"
        case .filesystems: "filesystem"
        case .disks: "disk I/O"
        case .network: "network"
        }
        if os.neverServed(part) { return "node_exporter serves no \(what) figures on \(os.displayName)" }
        return notServed(metric, collector: collector)
    }

    private func filesystems(_ m: NodeMetrics, os: ExporterOS, into snap: inout HostSnapshot) {
        if os == .windows { return windowsVolumes(m, into: &snap) }
        let sizes = m.samples("node_filesystem_size_bytes")
        guard !sizes.isEmpty else {
            snap.missing[.filesystems] = Self.absent(.filesystems, os: os, metric: "node_filesystem_size_bytes", collector: "filesystem")
            return
        }
        func key(_ l: [String: String]) -> String { (l["mountpoint"] ?? "") + "\u{0}" + (l["device"] ?? "") }
        let avail = Dictionary(m.samples("node_filesystem_avail_bytes").map { (key($0.labels), $0.value) }, uniquingKeysWith: { a, _ in a })
        let free = Dictionary(m.samples("node_filesystem_free_bytes").map { (key($0.labels), $0.value) }, uniquingKeysWith: { a, _ in a })
        let broken = Set(m.samples("node_filesystem_device_error").filter { $0.value != 0 }.map { key($0.labels) })
        snap.filesystems = sizes.compactMap { s in
            let k = key(s.labels)
            // Size 0: macOS' autofs home map and the like, nothing to fill.
            guard s.value.isFinite, s.value > 0, !broken.contains(k), let a = avail[k], let f = free[k] else { return nil }
            let size = Self.count(s.value), freeBytes = min(size, Self.count(f))
            let mount = Mount(mountPoint: s.labels["mountpoint"] ?? "?", fsType: s.labels["fstype"] ?? "?",
                              source: s.labels["device"] ?? "?", device: "")
            return FilesystemUsage(mount: mount, size: size, available: min(size, Self.count(a)), used: size - freeBytes)
        }.sorted { $0.mount.mountPoint < $1.mount.mountPoint }
    }

    /// windows_exporter's logical disks with a drive letter (`C:`); the letterless
    /// `HarddiskVolumeN` are recovery and boot partitions. No quota: free is available.
    private func windowsVolumes(_ m: NodeMetrics, into snap: inout HostSnapshot) {
        let sizes = m.byLabel("windows_logical_disk_size_bytes", "volume")
        guard !sizes.isEmpty else {
            snap.missing[.filesystems] = Self.notServed("windows_logical_disk_size_bytes", collector: "logical_disk")
            return
        }
        let free = m.byLabel("windows_logical_disk_free_bytes", "volume")
        let types = Dictionary(m.samples("windows_logical_disk_info").compactMap { s in s.labels["volume"].map { ($0, s.labels["filesystem"] ?? "?") } },
                               uniquingKeysWith: { a, _ in a })
        snap.filesystems = sizes.compactMap { volume, sizeValue in
            guard Self.isDriveLetter(volume), sizeValue.isFinite, sizeValue > 0, let f = free[volume] else { return nil }
            let size = Self.count(sizeValue), freeBytes = min(size, Self.count(f))
            return FilesystemUsage(mount: Mount(mountPoint: volume, fsType: types[volume] ?? "?", source: volume, device: ""),
                                   size: size, available: freeBytes, used: size - freeBytes)
        }.sorted { $0.mount.mountPoint < $1.mount.mountPoint }
    }

    static func isDriveLetter(_ volume: String) -> Bool {
        let u = Array(volume.utf8)
        return u.count == 2 && u[1] == UInt8(ascii: ":") && ((u[0] | 0x20) >= UInt8(ascii: "a") && (u[0] | 0x20) <= UInt8(ascii: "z"))
    }

    private mutating func disks(_ m: NodeMetrics, os: ExporterOS, into snap: inout HostSnapshot, dt: Double?) {
        let all = RemoteDisks.counters(m, os: os)
        let shown = all.filter { os == .linux ? filter.isShownDisk($0.name, wholeDisks: nil) : RemoteDisks.isShown($0.name, os: os, all: filter.showAllBlockDevices) }
        guard !shown.isEmpty else {
            snap.missing[.disks] = RemoteDisks.absentReason(m, os: os)
            return
        }
        var current: [String: DiskCounters] = [:]
        var rates: [DiskRates] = []
        for d in shown.sorted(by: { $0.name < $1.name }) {
            current[d.name] = d
            if let dt, let p = previousDisks[d.name], let rate = DiskRateMath.rates(from: p, to: d, seconds: dt) { rates.append(rate) }
        }
        previousDisks = current
        snap.disks = rates
        snap.counters.disks = current.values.sorted { $0.name < $1.name }
    }

    private mutating func interfaces(_ m: NodeMetrics, os: ExporterOS, into snap: inout HostSnapshot, dt: Double?) {
        let names = os == .windows ? RemoteInterfaces.windows : RemoteInterfaces.node
        let rxBytes = m.byLabel(names.rxBytes, names.label)
        guard !rxBytes.isEmpty else {
            snap.missing[.network] = os == .windows ? Self.notServed(names.rxBytes, collector: "net")
                : Self.absent(.network, os: os, metric: names.rxBytes, collector: "netdev")
            return
        }
        let rxPackets = m.byLabel(names.rxPackets, names.label), rxErrors = m.byLabel(names.rxErrors, names.label)
        let rxDrops = m.byLabel(names.rxDrops, names.label), txBytes = m.byLabel(names.txBytes, names.label)
        let txPackets = m.byLabel(names.txPackets, names.label), txErrors = m.byLabel(names.txErrors, names.label)
        let txDrops = m.byLabel(names.txDrops, names.label)
        func n(_ v: Double?) -> UInt64 { v.map(Self.count) ?? 0 }
        var current: [String: InterfaceCounters] = [:]
        var rates: [InterfaceRates] = []
        for (name, rx) in rxBytes.sorted(by: { $0.key < $1.key }) where !RemoteInterfaces.isLoopback(name) {
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

    func has(_ name: String) -> Bool { byName[name] != nil }

    /// The value of a series without labels (or the first one).
    func value(_ name: String) -> Double? { byName[name]?.first.map(\.value) }

    /// Values keyed by one label (`device`).
    func byLabel(_ name: String, _ label: String) -> [String: Double] {
        var out: [String: Double] = [:]
        for s in samples(name) { if let k = s.labels[label] { out[k] = s.value } }
        return out
    }
}
