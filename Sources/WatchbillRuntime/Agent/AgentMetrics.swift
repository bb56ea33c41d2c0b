import Synchronization
import WatchbillCore
import WatchbillExposition
import WatchbillRules

/// Every probe's durations as a Prometheus histogram since the agent started (the default
/// buckets client libraries use), and failures by class: what `histogram_quantile` and
/// `rate` need on the Prometheus side.
public final class ProbeHistograms: Sendable {
    public static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    private struct Counts {
        var buckets: [Int]
        var sum = 0.0
        var count = 0
        var failures: [String: Int] = [:]
    }
    private let specs: [ProbeSpec]
    private let counts: Mutex<[Counts]>

    public init(specs: [ProbeSpec]) {
        self.specs = specs
        counts = Mutex(specs.map { _ in Counts(buckets: Array(repeating: 0, count: ProbeHistograms.bounds.count + 1)) })
    }

    public func record(_ r: ProbeResult) {
        guard r.probe < specs.count, r.duration.isFinite, r.duration >= 0 else { return }
        counts.withLock { all in
            // Cumulative buckets are made when written; here each result lands in one.
            let slot = ProbeHistograms.bounds.firstIndex { r.duration <= $0 } ?? ProbeHistograms.bounds.count
            all[r.probe].buckets[slot] += 1
            all[r.probe].sum += r.duration
            all[r.probe].count += 1
            if let e = r.error { all[r.probe].failures[e.rawValue, default: 0] += 1 }
        }
    }

    public var families: [MetricFamily] {
        let snapshot = counts.withLock { $0 }
        var duration = MetricFamily(name: "watchbill_probe_duration_seconds", type: .histogram,
                                    help: "How long each probe took, success or not, since the agent started.")
        var failures = MetricFamily(name: "watchbill_probe_failures_total", type: .counter,
                                    help: "Probes that failed, by failure class.")
        for (spec, c) in zip(specs, snapshot) {
            let labels = ["probe": spec.name, "instance": spec.target]
            var cumulative = 0
            for (i, bound) in (ProbeHistograms.bounds + [.infinity]).enumerated() {
                cumulative += c.buckets[i]
                var l = labels
                l["le"] = bound == .infinity ? "+Inf" : ExpositionWriter.number(bound)
                duration.samples.append(ExpositionSample(name: "watchbill_probe_duration_seconds_bucket", labels: l, value: Double(cumulative)))
            }
            duration.samples.append(ExpositionSample(name: "watchbill_probe_duration_seconds_sum", labels: labels, value: c.sum))
            duration.samples.append(ExpositionSample(name: "watchbill_probe_duration_seconds_count", labels: labels, value: Double(c.count)))
            for (error, n) in c.failures.sorted(by: { $0.key < $1.key }) {
                var l = labels
                l["error"] = error
                failures.samples.append(ExpositionSample(name: "watchbill_probe_failures_total", labels: l, value: Double(n)))
            }
        }
        return [duration, failures]
    }
}

/// What `watchbill agent` serves at /metrics.
public enum AgentMetrics {
    /// The newest value of every series the alert rules read (node_exporter's and
    /// blackbox_exporter's names, docs/metrics.md, and what recording rules wrote), the
    /// alerts as Prometheus exports them (`ALERTS`), and the probes' histograms.
    /// Labels equal to `scrapeLabels` (the `job` and `instance` the rules saw, on recorded
    /// series and alerts) are left out: the scraping Prometheus adds its own.
    public static func families(metrics: any SeriesSource, alerts: [ActiveAlert], probes: ProbeHistograms?, version: String,
                                now: Double, scrapeLabels: [String: String] = [:]) -> [MetricFamily] {
        var byName: [String: MetricFamily] = [:]
        var order: [String] = []
        for (labels, point) in metrics.latest(matching: [], at: now, lookback: 300) {
            guard let name = labels.metricName else { continue }
            if byName[name] == nil {
                order.append(name)
                byName[name] = MetricFamily(name: name, type: name.hasSuffix("_total") ? .counter : .gauge)
            }
            var l: [String: String] = [:]
            for (k, v) in labels.pairs where k != "__name__" && scrapeLabels[k] != v { l[k] = v }
            byName[name]!.samples.append(ExpositionSample(name: name, labels: l, value: point.v))
        }
        var out = order.sorted().map { name -> MetricFamily in
            var f = byName[name]!
            f.samples.sort { $0.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                < $1.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") }
            return f
        }
        var alertFamily = MetricFamily(name: "ALERTS", type: .gauge, help: "Pending and firing alerts, as Prometheus exports them.")
        for a in alerts where a.phase != .resolved {
            var l: [String: String] = [:]
            for (k, v) in a.labels.pairs where scrapeLabels[k] != v { l[k] = v }
            l["alertstate"] = a.phase == .firing ? "firing" : "pending"
            alertFamily.samples.append(ExpositionSample(name: "ALERTS", labels: l, value: 1))
        }
        out.append(alertFamily)
        out += probes?.families ?? []
        out.append(MetricFamily(name: "watchbill_agent_info", type: .gauge, help: "The agent's version.",
                                samples: [ExpositionSample(name: "watchbill_agent_info", labels: ["version": version], value: 1)]))
        return out
    }
}
