/// This host's series as Prometheus would hold them after scraping it: the `job` and
/// `instance` labels a scrape adds, on every series that lacks them. Rules written for a
/// Prometheus select on them (node-mixin's `job="node"`), and their alerts then carry the
/// host, as Prometheus' alerts do. Probe series (those with a `probe` label) are
/// blackbox_exporter's: their `instance` is the target, their job `blackbox`. The store
/// itself holds neither, so the agent's page does not (Prometheus adds them when it scrapes).
public struct ScrapeTargetLabels: SeriesSource {
    public var base: any SeriesSource
    /// What a scrape of the host's series adds: `job` and `instance` by default.
    public var host: [String: String]
    public var probeJob: String

    public static let defaultJob = "node"

    public init(base: any SeriesSource, host: [String: String], probeJob: String = "blackbox") {
        self.base = base
        self.host = host
        self.probeJob = probeJob
    }

    public var coveredSince: Double? { base.coveredSince }

    func labelled(_ labels: Labels) -> Labels {
        var l = labels
        if l["probe"] != nil {
            if l["job"] == nil { l["job"] = probeJob }
        } else {
            for (k, v) in host where l[k] == nil { l[k] = v }
        }
        return l
    }

    /// The matchers the base can answer: those on added labels are checked afterwards.
    func baseMatchers(_ m: [LabelMatcher]) -> [LabelMatcher] {
        m.filter { $0.name != "job" && host[$0.name] == nil }
    }

    public func series(matching m: [LabelMatcher], in range: ClosedRange<Double>) -> [RangeSeries] {
        base.series(matching: baseMatchers(m), in: range).compactMap { s in
            let l = labelled(s.labels)
            return m.allSatisfy({ $0.matches(l) }) ? RangeSeries(labels: l, points: s.points) : nil
        }
    }

    public func latest(matching m: [LabelMatcher], at end: Double, lookback: Double) -> [(labels: Labels, point: RangeSeries.Point)] {
        base.latest(matching: baseMatchers(m), at: end, lookback: lookback).compactMap { s in
            let l = labelled(s.labels)
            return m.allSatisfy({ $0.matches(l) }) ? (l, s.point) : nil
        }
    }
}
