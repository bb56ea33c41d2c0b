import WatchbillCore

/// `watchbill --node ... --once` (or `--prometheus` without a terminal): the fleet table
/// once, as text a line a host, or JSON, for scripts and cron. Exit 0 when every host is
/// up, 2 when one is down or stale (its figures are not current).
public struct FleetReport: Encodable, Sendable {
    public var schema = "watchbill.fleet/1"
    public var source: String
    public var hosts: [Host]
    /// Service latency from Prometheus, when the config names histograms.
    public var latency: [Latency]?

    public struct Latency: Encodable, Sendable {
        public var name: String
        public var p50Seconds: Double?
        public var p95Seconds: Double?
        public var p99Seconds: Double?
        public var requestsPerSecond: Double?
        public var thresholdSeconds: Double
        /// `ok`, `slow`, `idle` or `no data`.
        public var state: String
    }

    public struct Host: Encodable, Sendable {
        public var id: String
        public var name: String
        public var up: Bool
        /// `up`, `stale`, `down` or `waiting`.
        public var state: String
        /// Why it is down or stale (`timeout`, `refused`, `HTTP 500`, ...).
        public var problem: String?
        public var cpuPercent: Double?
        public var memoryPercent: Double?
        public var fullestMount: String?
        public var fullestPercent: Double?
        public var receiveBytesPerSecond: Double?
        public var transmitBytesPerSecond: Double?
    }

    public init(rows: [FleetRow], source: String, latency: [ServiceLatency]? = nil) {
        self.source = source
        self.latency = latency?.map {
            Latency(name: $0.name, p50Seconds: $0.p50, p95Seconds: $0.p95, p99Seconds: $0.p99, requestsPerSecond: $0.requestsPerSecond,
                    thresholdSeconds: $0.threshold, state: $0.state.rawValue.lowercased())
        }
        func pct(_ v: Double?) -> Double? { v.map { ($0 * 1000).rounded() / 10 } }
        hosts = FleetList.visible(rows, FleetViewState()).map { r in
            let problem = r.status == .waiting ? "no answer yet" : r.status.problem
            return Host(id: r.id, name: r.name, up: r.isUp, state: r.status == .waiting ? "waiting" : r.status.word.lowercased(), problem: problem, cpuPercent: pct(r.cpu), memoryPercent: pct(r.memory),
                        fullestMount: r.worstDisk?.mount, fullestPercent: pct(r.worstDisk?.used),
                        receiveBytesPerSecond: r.rx.map { $0.rounded() }, transmitBytesPerSecond: r.tx.map { $0.rounded() })
        }
    }

    public var exitCode: Int32 { hosts.allSatisfy(\.up) ? 0 : 2 }

    /// `host  web-01 (10.0.0.1:9100)  UP  cpu 42.0%  mem 61.0%  disk / 55%  rx 1.3 MB/s  tx 310 kB/s`
    public var text: String {
        var out = ""
        for h in hosts {
            var line = "host  " + (h.name == h.id ? h.name : "\(h.name) (\(h.id))") + "  " + h.state.uppercased()
            if let p = h.problem { line += ": \(p)" }
            if let c = h.cpuPercent { line += "  cpu \(Format.fixed(c, 1))%" }
            if let m = h.memoryPercent { line += "  mem \(Format.fixed(m, 1))%" }
            if let mount = h.fullestMount, let d = h.fullestPercent { line += "  disk \(mount) \(Format.fixed(d, 0))%" }
            if let rx = h.receiveBytesPerSecond { line += "  rx \(Format.rate(rx))" }
            if let tx = h.transmitBytesPerSecond { line += "  tx \(Format.rate(tx))" }
            out += line + "\n"
        }
        for l in latency ?? [] {
            var line = "latency  \(l.name)  \(l.state.uppercased())"
            for (word, v) in [("p50", l.p50Seconds), ("p95", l.p95Seconds), ("p99", l.p99Seconds)] {
                if let v { line += "  \(word) \(ProbeFormat.latency(v))" }
            }
            if let r = l.requestsPerSecond { line += "  \(ServiceLatencyPane.requests(r)) req/s" }
            out += line + "  (p95 target <\(ProbeFormat.latency(l.thresholdSeconds)))\n"
        }
        return out
    }
}
