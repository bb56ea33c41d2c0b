import WatchbillCore

/// One host's panes read from Prometheus, for when the fleet table opens it: the same
/// `HostSnapshot` a scrape makes (rates already taken by PromQL), and the graphed series as
/// range queries. Only the opened host is queried this way.
public struct PrometheusHost: Sendable {
    public let instance: String
    public let job: String
    public let window: String

    public init(instance: String, job: String, window: String = "1m") {
        self.instance = instance
        self.job = job
        self.window = window
    }

    public enum Query: Int, CaseIterable, Sendable {
        case cpu, levels, filesystems, diskRead, diskWritten, diskReads, diskWrites, diskBusy, netRx, netTx, netRxPackets,
             netTxPackets, netErrors, netDrops
    }

    var selector: String { "instance=\"\(escape(instance))\",job=\"\(escape(job))\"" }

    /// The instant queries, in `Query` order.
    public var queries: [String] {
        let s = selector, w = window
        func rate(_ metric: String, _ extra: String = "") -> String { "rate(\(metric){\(s)\(extra)}[\(w)])" }
        return [
            rate("node_cpu_seconds_total"),
            "{__name__=~\"node_memory_(MemTotal|MemAvailable|MemFree|Buffers|Cached|SReclaimable|SwapTotal|SwapFree)_bytes"
                + "|node_load(1|5|15)|node_boot_time_seconds|node_time_seconds|node_uname_info|node_procs_(running|blocked)\",\(s)}",
            "{__name__=~\"node_filesystem_(size|avail|free)_bytes\",\(s),fstype!~\"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|fuse.*\"}",
            rate("node_disk_read_bytes_total"), rate("node_disk_written_bytes_total"), rate("node_disk_reads_completed_total"),
            rate("node_disk_writes_completed_total"), rate("node_disk_io_time_seconds_total"),
            rate("node_network_receive_bytes_total", ",device!=\"lo\""), rate("node_network_transmit_bytes_total", ",device!=\"lo\""),
            rate("node_network_receive_packets_total", ",device!=\"lo\""), rate("node_network_transmit_packets_total", ",device!=\"lo\""),
            "sum by (device) (" + rate("node_network_receive_errs_total", ",device!=\"lo\"") + " + "
                + rate("node_network_transmit_errs_total", ",device!=\"lo\"") + ")",
            "sum by (device) (" + rate("node_network_receive_drop_total", ",device!=\"lo\"") + " + "
                + rate("node_network_transmit_drop_total", ",device!=\"lo\"") + ")",
        ]
    }

    /// The graphs' range queries: CPU busy (every mode but idle and iowait, as the panes and
    /// the fleet table count it), memory used, network in and out.
    public var graphQueries: [String] {
        let s = selector, w = window
        return [
            "sum(rate(node_cpu_seconds_total{\(s),mode!~\"idle|iowait\"}[\(w)])) / sum(rate(node_cpu_seconds_total{\(s)}[\(w)]))",
            "1 - node_memory_MemAvailable_bytes{\(s)} / node_memory_MemTotal_bytes{\(s)}",
            "sum(rate(node_network_receive_bytes_total{\(s),device!=\"lo\"}[\(w)]))",
            "sum(rate(node_network_transmit_bytes_total{\(s),device!=\"lo\"}[\(w)]))",
        ]
    }

    /// The answers, in `queries` order, as a snapshot; what is missing stays nil (a pane
    /// then says n/a), as for a scrape.
    public func snapshot(_ answers: [[PrometheusAPI.Sample]], time: Double, wallClock: Double) -> HostSnapshot {
        func answer(_ q: Query) -> [PrometheusAPI.Sample] { q.rawValue < answers.count ? answers[q.rawValue] : [] }
        var levels: [String: PrometheusAPI.Sample] = [:]
        for s in answer(.levels) { if let n = s.labels["__name__"] { levels[n] = s } }
        func level(_ name: String) -> Double? { levels[name]?.value }
        let uname = levels["node_uname_info"]?.labels
        var snap = HostSnapshot(time: time, wallClock: wallClock,
                                host: HostInfo(hostname: uname?["nodename"] ?? instance, kernel: uname?["release"] ?? "unknown"))
        if let now = level("node_time_seconds"), let boot = level("node_boot_time_seconds") { snap.uptimeSeconds = now - boot }
        if let one = level("node_load1"), let five = level("node_load5"), let fifteen = level("node_load15") {
            snap.load = LoadAverage(one: one, five: five, fifteen: fifteen, runnable: NodeExporterHost.int(level("node_procs_running")) ?? 0, total: 0)
        }
        snap.runnable = NodeExporterHost.int(level("node_procs_running"))
        snap.blocked = NodeExporterHost.int(level("node_procs_blocked"))
        snap.memory = MemorySample.fromKernelFields { level("node_memory_\($0)_bytes").map(NodeExporterHost.count) }
        // CPU: rates of seconds per second are already the fractions the panes show.
        var cores: [Int: CPUUsage] = [:]
        for s in answer(.cpu) {
            guard let id = s.labels["cpu"].flatMap({ Int($0) }), let mode = s.labels["mode"], s.value.isFinite else { continue }
            var u = cores[id] ?? CPUUsage()
            switch mode {
            case "user": u.user = s.value
            case "nice": u.nice = s.value
            case "system": u.system = s.value
            case "idle": u.idle = s.value
            case "iowait": u.iowait = s.value
            case "irq": u.irq = s.value
            case "softirq": u.softirq = s.value
            case "steal": u.steal = s.value
            default: continue
            }
            cores[id] = u
        }
        if !cores.isEmpty {
            snap.cpuCores = cores
            snap.coreCount = cores.count
            var t = CPUUsage()
            let n = Double(cores.count)
            for u in cores.values {
                t.user += u.user / n; t.nice += u.nice / n; t.system += u.system / n; t.idle += u.idle / n
                t.iowait += u.iowait / n; t.irq += u.irq / n; t.softirq += u.softirq / n; t.steal += u.steal / n
            }
            snap.cpuTotal = t
        }
        // Filesystems: size, avail and free by mount point.
        var fs: [String: (size: Double?, avail: Double?, free: Double?, type: String, device: String)] = [:]
        for s in answer(.filesystems) {
            guard let mount = s.labels["mountpoint"], let name = s.labels["__name__"] else { continue }
            var f = fs[mount] ?? (nil, nil, nil, s.labels["fstype"] ?? "?", s.labels["device"] ?? "?")
            switch name {
            case "node_filesystem_size_bytes": f.size = s.value
            case "node_filesystem_avail_bytes": f.avail = s.value
            default: f.free = s.value
            }
            fs[mount] = f
        }
        if !fs.isEmpty {
            snap.filesystems = fs.compactMap { mount, f in
                guard let size = f.size, size.isFinite, size > 0, let avail = f.avail, let free = f.free else { return nil }
                let total = NodeExporterHost.count(size)
                return FilesystemUsage(mount: Mount(mountPoint: mount, fsType: f.type, source: f.device, device: ""), size: total,
                                       available: min(total, NodeExporterHost.count(avail)),
                                       used: total - min(total, NodeExporterHost.count(free)))
            }.sorted { $0.mount.mountPoint < $1.mount.mountPoint }
        }
        func byDevice(_ q: Query) -> [String: Double] {
            var out: [String: Double] = [:]
            for s in answer(q) { if let d = s.labels["device"], s.value.isFinite { out[d] = s.value } }
            return out
        }
        let reads = byDevice(.diskReads)
        if !reads.isEmpty {
            let readBytes = byDevice(.diskRead), written = byDevice(.diskWritten), writes = byDevice(.diskWrites), busy = byDevice(.diskBusy)
            snap.disks = reads.keys.sorted().map { d in
                DiskRates(name: d, readBytesPerSecond: readBytes[d] ?? 0, writeBytesPerSecond: written[d] ?? 0,
                          readsPerSecond: reads[d] ?? 0, writesPerSecond: writes[d] ?? 0, busy: min(1, busy[d] ?? 0), averageWaitMs: nil)
            }
        }
        let rx = byDevice(.netRx)
        if !rx.isEmpty {
            let tx = byDevice(.netTx), rxp = byDevice(.netRxPackets), txp = byDevice(.netTxPackets)
            let errors = byDevice(.netErrors), drops = byDevice(.netDrops)
            snap.interfaces = rx.keys.sorted().map { d in
                InterfaceRates(name: d, rxBytesPerSecond: rx[d] ?? 0, txBytesPerSecond: tx[d] ?? 0, rxPacketsPerSecond: rxp[d] ?? 0,
                               txPacketsPerSecond: txp[d] ?? 0, errorsPerSecond: errors[d] ?? 0, dropsPerSecond: drops[d] ?? 0)
            }
        }
        return snap
    }

    func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            if c == "\\" || c == "\"" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}
