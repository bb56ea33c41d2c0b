import DequeModule
import WatchbillCore

/// The series alert rules read, under node_exporter's and blackbox_exporter's names and
/// labels (docs/metrics.md), so a rule written for Prometheus runs here unchanged. Points
/// are wall-clock seconds; each series keeps `retention` seconds, per-CPU series less
/// (`cpuRetention`), since there are eight of them per core.
public struct MetricStore: SeriesSource, Sendable {
    public let retention: Double
    public let cpuRetention: Double
    private var series: [Labels: Deque<RangeSeries.Point>] = [:]
    /// Series by metric name: nearly every selector names its metric, so it looks at a
    /// hundred series instead of every one.
    private var byName: [String: [Labels]] = [:]
    private var appends = 0
    /// The wall clock of the first sample a live dashboard put here (nil: windows are taken
    /// as they are written, as Prometheus and a rule test take them). Set by whoever feeds
    /// it, earlier after a restart's refill.
    public var coveredSince: Double?

    /// USER_HZ: /proc/stat counts CPU time in hundredths of a second.
    static let ticksPerSecond = 100.0

    /// How long the live engine keeps each series for the rules (longer when the screen's
    /// history is longer). A rule reading a longer range is warned about at load.
    public static let ruleHistory: Double = 3600

    public init(retention: Double = MetricStore.ruleHistory, cpuRetention: Double = 900) {
        self.retention = retention
        self.cpuRetention = min(cpuRetention, retention)
    }

    public var seriesCount: Int { series.count }

    public mutating func append(_ labels: Labels, t: Double, v: Double) {
        // One hash per append: find the slot, then work on it in place.
        let i = series.index(forKey: labels) ?? {
            series[labels] = []
            byName[labels.metricName ?? "", default: []].append(labels)
            return series.index(forKey: labels)!
        }()
        // Points stay in time order (windows are found by binary search). After the wall
        // clock steps back (NTP, a resumed VM), the points now "in the future" are dropped,
        // as if the series restarted.
        while let last = series.values[i].last, last.t >= t { series.values[i].removeLast() }
        series.values[i].append(RangeSeries.Point(t, v))
        let keep = labels.metricName == "node_cpu_seconds_total" ? cpuRetention : retention
        while let first = series.values[i].first, first.t < t - keep { series.values[i].removeFirst() }
        appends += 1
        // Now and then, forget series that stopped (an unmounted filesystem, a removed probe).
        if appends % 4096 == 0 {
            series = series.filter { ($0.value.last?.t ?? 0) >= t - retention }
            byName = byName.compactMapValues { names in
                let kept = names.filter { series[$0] != nil }
                return kept.isEmpty ? nil : kept
            }
        }
    }

    /// The candidates for a selector: the series of its metric name when it has one.
    private func candidates(_ m: [LabelMatcher]) -> [Labels] {
        if let name = m.first(where: { $0.name == "__name__" && $0.kind == .equal })?.value {
            return byName[name] ?? []
        }
        return Array(series.keys)
    }

    public func series(matching m: [LabelMatcher], in range: ClosedRange<Double>) -> [RangeSeries] {
        candidates(m).compactMap { labels in
            guard m.allSatisfy({ $0.matches(labels) }), let points = series[labels] else { return nil }
            // Points are in time order: find the window by binary search, copy only it.
            let start = MetricStore.firstIndex(in: points) { $0.t >= range.lowerBound }
            let end = MetricStore.firstIndex(in: points) { $0.t > range.upperBound }
            return RangeSeries(labels: labels, points: start < end ? Array(points[start..<end]) : [])
        }
    }

    public func latest(matching m: [LabelMatcher], at end: Double, lookback: Double) -> [(labels: Labels, point: RangeSeries.Point)] {
        candidates(m).compactMap { labels in
            guard m.allSatisfy({ $0.matches(labels) }), let points = series[labels] else { return nil }
            let after = MetricStore.firstIndex(in: points) { $0.t > end }
            guard after > 0 else { return nil }
            let p = points[after - 1]
            // The window's start is included, as Prometheus 2.42 looks back.
            return p.t >= end - lookback ? (labels, p) : nil
        }
    }

    /// The first index whose point satisfies `isAfter` (false then true along the deque).
    static func firstIndex(in points: Deque<RangeSeries.Point>, where isAfter: (RangeSeries.Point) -> Bool) -> Int {
        var lo = 0, hi = points.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if isAfter(points[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// One collection tick under node_exporter's names. Rates are not stored: rules take
    /// `rate()` of the `_total` counters themselves, as they would in Prometheus.
    public mutating func record(_ s: HostSnapshot) {
        let t = s.wallClock
        func put(_ name: String, _ labels: [String: String] = [:], _ v: Double?) {
            guard let v else { return }
            var l = Labels(labels)
            l["__name__"] = name
            append(l, t: t, v: v)
        }
        if let load = s.load {
            put("node_load1", [:], load.one)
            put("node_load5", [:], load.five)
            put("node_load15", [:], load.fifteen)
        }
        put("node_procs_running", [:], s.runnable.map(Double.init))
        put("node_procs_blocked", [:], s.blocked.map(Double.init))
        if let m = s.memory {
            put("node_memory_MemTotal_bytes", [:], Double(m.total))
            put("node_memory_MemAvailable_bytes", [:], Double(m.available))
            put("node_memory_MemFree_bytes", [:], Double(m.free))
            put("node_memory_Buffers_bytes", [:], Double(m.buffers))
            put("node_memory_Cached_bytes", [:], Double(m.cached))
            put("node_memory_SwapTotal_bytes", [:], Double(m.swapTotal))
            put("node_memory_SwapFree_bytes", [:], Double(m.swapFree))
        }
        for fs in s.filesystems ?? [] where !fs.isStale {
            let l = ["mountpoint": fs.mount.mountPoint, "fstype": fs.mount.fsType, "device": fs.mount.source]
            put("node_filesystem_size_bytes", l, Double(fs.size))
            put("node_filesystem_avail_bytes", l, Double(fs.available))
            put("node_filesystem_free_bytes", l, Double(fs.size > fs.used ? fs.size - fs.used : 0))
        }
        if let cpu = s.counters.cpu {
            for (id, times) in cpu.cores {
                let modes: [(String, UInt64)] = [("user", times.user), ("nice", times.nice), ("system", times.system),
                                                 ("idle", times.idle), ("iowait", times.iowait), ("irq", times.irq),
                                                 ("softirq", times.softirq), ("steal", times.steal)]
                for (mode, ticks) in modes {
                    put("node_cpu_seconds_total", ["cpu": "\(id)", "mode": mode], Double(ticks) / MetricStore.ticksPerSecond)
                }
            }
        }
        for d in s.counters.disks {
            let l = ["device": d.name]
            put("node_disk_read_bytes_total", l, Double(d.sectorsRead) * 512)
            put("node_disk_written_bytes_total", l, Double(d.sectorsWritten) * 512)
            put("node_disk_io_time_seconds_total", l, Double(d.msDoingIO) / 1000)
        }
        for i in s.counters.interfaces {
            let l = ["device": i.name]
            put("node_network_receive_bytes_total", l, Double(i.rxBytes))
            put("node_network_transmit_bytes_total", l, Double(i.txBytes))
            put("node_network_receive_errs_total", l, Double(i.rxErrors))
            put("node_network_transmit_errs_total", l, Double(i.txErrors))
            put("node_network_receive_drop_total", l, Double(i.rxDrops))
            put("node_network_transmit_drop_total", l, Double(i.txDrops))
        }
    }

    /// One probe result under blackbox_exporter's names; `probe` is Watchbill's probe name,
    /// `instance` its target, and the probe's own labels come along.
    public mutating func record(_ r: ProbeResult, spec: ProbeSpec) {
        var base = spec.labels
        base["probe"] = spec.name
        base["instance"] = spec.target
        func put(_ name: String, _ extra: [String: String] = [:], _ v: Double) {
            var l = Labels(base.merging(extra) { $1 })
            l["__name__"] = name
            append(l, t: r.time, v: v)
        }
        put("probe_success", [:], r.succeeded ? 1 : 0)
        put("probe_duration_seconds", [:], r.duration)
        put("probe_dns_lookup_time_seconds", [:], r.phases.dns)
        if let status = r.status { put("probe_http_status_code", [:], Double(status)) }
        if let expiry = r.certificateExpiry { put("probe_ssl_earliest_cert_expiry", [:], expiry) }
        if case .http = spec.kind {
            let phases: [(String, Double)] = [("resolve", r.phases.dns), ("connect", r.phases.connect), ("tls", r.phases.tls),
                                              ("processing", r.phases.firstByte), ("transfer", r.phases.transfer)]
            for (phase, v) in phases { put("probe_http_duration_seconds", ["phase": phase], v) }
        }
    }

    /// SLO burn rates from the probes' SLI counters, which hold 30 days where this store
    /// holds an hour: `watchbill_slo_burn_rate_1h{probe, instance, sli}`. One name per
    /// window, so a multiwindow rule `and`s two windows without `ignoring(window)`.
    public mutating func recordBurnRates(_ rates: [Double: Double], sli: String, spec: ProbeSpec, at t: Double) {
        var base = spec.labels
        base["probe"] = spec.name
        base["instance"] = spec.target
        base["sli"] = sli
        for (window, rate) in rates {
            var l = Labels(base)
            l["__name__"] = "watchbill_slo_burn_rate_" + MetricStore.windowName(window)
            append(l, t: t, v: rate)
        }
    }

    /// `5m`, `1h`, `3d`: Prometheus' duration spelling.
    static func windowName(_ seconds: Double) -> String {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return "\(seconds)s" }
        let s = Int(seconds)
        if s % 86_400 == 0 { return "\(s / 86_400)d" }
        if s % 3600 == 0 { return "\(s / 3600)h" }
        if s % 60 == 0 { return "\(s / 60)m" }
        return "\(s)s"
    }
}
