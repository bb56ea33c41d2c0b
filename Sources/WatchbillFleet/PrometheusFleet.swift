/// A fleet read from Prometheus instead of scraped: the hosts are the instances of a job's
/// `up` series, and each column is one PromQL query over all of them (batched: seven
/// instant queries and one range query a refresh, whatever the fleet's size), the queries
/// Grafana's node dashboards run.
public struct PrometheusFleet: Sendable {
    public let job: String
    /// The rate window: four scrapes of the usual 15 s.
    public let window: String

    public init(job: String = "node", window: String = "1m") {
        self.job = job
        self.window = window
    }

    public enum Column: Int, CaseIterable, Sendable {
        case up, uname, cpu, memory, disk, rx, tx
    }

    var selector: String { "job=\"\(escape(job))\"" }

    /// The instant queries, in `Column` order. They compute what the scraping path (`--node`)
    /// and the local panes show, not Grafana's shortcuts: CPU busy is every mode but idle and
    /// iowait over all modes' time, and a filesystem is full as `df` says (used over used plus
    /// available, so blocks reserved for root do not count as used).
    public var queries: [String] {
        let s = selector
        let fs = "{\(s),fstype!~\"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|fuse.*\"}"
        let used = "(node_filesystem_size_bytes\(fs) - node_filesystem_free_bytes\(fs))"
        return [
            "up{\(s)}",
            "node_uname_info{\(s)}",
            cpuHistoryQuery,
            "1 - node_memory_MemAvailable_bytes{\(s)} / node_memory_MemTotal_bytes{\(s)}",
            "\(used) / (\(used) + node_filesystem_avail_bytes\(fs))",
            "sum by (instance) (rate(node_network_receive_bytes_total{\(s),device!=\"lo\"}[\(window)]))",
            "sum by (instance) (rate(node_network_transmit_bytes_total{\(s),device!=\"lo\"}[\(window)]))",
        ]
    }

    /// CPU busy, also the sparkline's range query.
    public var cpuHistoryQuery: String {
        "sum by (instance) (rate(node_cpu_seconds_total{\(selector),mode!~\"idle|iowait\"}[\(window)]))"
            + " / sum by (instance) (rate(node_cpu_seconds_total{\(selector)}[\(window)]))"
    }

    /// One host as the table shows it.
    public struct Host: Sendable, Equatable {
        public var instance: String
        public var name: String
        public var up: Bool
        public var cpu: Double?
        public var memory: Double?
        public var worstDisk: (mount: String, used: Double)?
        public var rx: Double?
        public var tx: Double?
        public var cpuHistory: [Double]

        public init(instance: String, name: String, up: Bool, cpu: Double? = nil, memory: Double? = nil,
                    worstDisk: (mount: String, used: Double)? = nil, rx: Double? = nil, tx: Double? = nil, cpuHistory: [Double]) {
            self.instance = instance
            self.name = name
            self.up = up
            self.cpu = cpu
            self.memory = memory
            self.worstDisk = worstDisk
            self.rx = rx
            self.tx = tx
            self.cpuHistory = cpuHistory
        }

        public static func == (a: Host, b: Host) -> Bool {
            a.instance == b.instance && a.name == b.name && a.up == b.up && a.cpu == b.cpu && a.memory == b.memory
                && a.worstDisk?.mount == b.worstDisk?.mount && a.worstDisk?.used == b.worstDisk?.used && a.rx == b.rx
                && a.tx == b.tx && a.cpuHistory == b.cpuHistory
        }
    }

    /// The answers, in `queries` order, and the CPU history, made into hosts (those `up`
    /// knows, in instance order).
    public func hosts(_ answers: [[PrometheusAPI.Sample]], cpuHistory: [PrometheusAPI.Series]) -> [Host] {
        func byInstance(_ c: Column) -> [String: Double] {
            guard c.rawValue < answers.count else { return [:] }
            var out: [String: Double] = [:]
            for s in answers[c.rawValue] { if let i = s.labels["instance"], s.value.isFinite { out[i] = s.value } }
            return out
        }
        let up = byInstance(.up), cpu = byInstance(.cpu), memory = byInstance(.memory), rx = byInstance(.rx), tx = byInstance(.tx)
        var names: [String: String] = [:]
        if Column.uname.rawValue < answers.count {
            for s in answers[Column.uname.rawValue] { if let i = s.labels["instance"], let n = s.labels["nodename"] { names[i] = n } }
        }
        var worst: [String: (mount: String, used: Double)] = [:]
        if Column.disk.rawValue < answers.count {
            for s in answers[Column.disk.rawValue] where s.value.isFinite {
                guard let i = s.labels["instance"] else { continue }
                if (worst[i]?.used ?? -1) < s.value { worst[i] = (s.labels["mountpoint"] ?? "?", s.value) }
            }
        }
        var history: [String: [Double]] = [:]
        for series in cpuHistory { if let i = series.labels["instance"] { history[i] = series.points.map(\.v) } }
        return up.keys.sorted().map { i in
            Host(instance: i, name: names[i] ?? i, up: up[i] == 1, cpu: cpu[i], memory: memory[i], worstDisk: worst[i],
                 rx: rx[i], tx: tx[i], cpuHistory: history[i] ?? [])
        }
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
