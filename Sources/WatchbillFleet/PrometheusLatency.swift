import WatchbillCore

/// Service latency from Prometheus: for each histogram the config names, `histogram_quantile`
/// at 0.5, 0.95 and 0.99 over the rate of its buckets, the request rate from its `_count`,
/// and the p95 over the last half hour. Four instant queries and one range query a
/// histogram, all in the refresh's one batch. These are the queries a team would put on a
/// Grafana panel, so the figures are the same.
public struct PrometheusLatency: Sendable {
    public let specs: [LatencyHistogramSpec]
    public static let quantiles = [0.5, 0.95, 0.99]
    /// The p95 history: 24 points over 30 minutes, one a sparkline cell.
    public static let historySpan = 1800.0
    public static let historyPoints = 24
    public static var historyStep: Double { historySpan / Double(historyPoints) }

    public init(_ specs: [LatencyHistogramSpec]) {
        self.specs = specs
    }

    /// Per histogram, in `specs` order: p50, p95, p99, then the request rate.
    public var queries: [String] {
        specs.flatMap { s in Self.quantiles.map { Self.quantileQuery(s, $0) } + [Self.rateQuery(s)] }
    }

    /// Per histogram: the p95, for a range query over `historySpan`.
    public var historyQueries: [String] { specs.map { Self.quantileQuery($0, 0.95) } }

    public static func quantileQuery(_ s: LatencyHistogramSpec, _ q: Double) -> String {
        "histogram_quantile(\(q), sum by (\((["le"] + s.by).joined(separator: ", "))) (rate(\(selector(s, "_bucket"))[\(duration(s.window))])))"
    }

    public static func rateQuery(_ s: LatencyHistogramSpec) -> String {
        let grouping = s.by.isEmpty ? "sum" : "sum by (\(s.by.joined(separator: ", ")))"
        return "\(grouping) (rate(\(selector(s, "_count"))[\(duration(s.window))]))"
    }

    /// PromQL's way of writing a window: `5m`, `1h`, `90s`.
    static func duration(_ seconds: Int) -> String {
        seconds % 3600 == 0 ? "\(seconds / 3600)h" : seconds % 60 == 0 ? "\(seconds / 60)m" : "\(seconds)s"
    }

    static func selector(_ s: LatencyHistogramSpec, _ suffix: String) -> String {
        s.histogram + suffix + (s.match.isEmpty ? "" : "{\(s.match)}")
    }

    /// The answers (in `queries` order) and the histories (in `historyQueries` order, empty
    /// when not asked) made into rows: a row per histogram, or per value of its `by` labels.
    /// A histogram Prometheus has no series for is still a row, in state `no data`.
    public func rows(_ answers: [[PrometheusAPI.Sample]], history: [[PrometheusAPI.Series]], historyEnd: Double) -> [ServiceLatency] {
        var out: [ServiceLatency] = []
        for (i, spec) in specs.enumerated() {
            func key(_ labels: [String: String]) -> [String] { spec.by.map { labels[$0] ?? "" } }
            func values(_ n: Int) -> [[String]: Double] {
                let at = i * 4 + n
                guard at < answers.count else { return [:] }
                var v: [[String]: Double] = [:]
                for s in answers[at] where s.value.isFinite { v[key(s.labels)] = s.value }
                return v
            }
            func seen(_ n: Int) -> [[String]] {
                let at = i * 4 + n
                return at < answers.count ? answers[at].map { key($0.labels) } : []
            }
            let p50 = values(0), p95 = values(1), p99 = values(2), rate = values(3)
            var histories: [[String]: [Double?]] = [:]
            if i < history.count {
                let start = historyEnd - Self.historySpan + Self.historyStep
                for series in history[i] {
                    var slots = [Double?](repeating: nil, count: Self.historyPoints)
                    for p in series.points where p.v.isFinite {
                        let slot = ((p.t - start) / Self.historyStep).rounded()
                        if slot >= 0 && slot < Double(slots.count) { slots[Int(slot)] = p.v }
                    }
                    histories[key(series.labels)] = slots
                }
            }
            let keys = Set((0..<4).flatMap(seen)).sorted { $0.lexicographicallyPrecedes($1) }
            if keys.isEmpty {
                out.append(ServiceLatency(name: spec.name, threshold: spec.threshold))
                continue
            }
            for k in keys {
                let label = k.allSatisfy(\.isEmpty) ? spec.name : spec.name + " " + k.joined(separator: " ")
                out.append(ServiceLatency(name: label, p50: p50[k], p95: p95[k], p99: p99[k], requestsPerSecond: rate[k],
                                          threshold: spec.threshold, p95History: histories[k] ?? []))
            }
        }
        return out
    }
}
