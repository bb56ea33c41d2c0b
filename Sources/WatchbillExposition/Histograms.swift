/// A histogram's series grouped back together: one per label set without `le`, its
/// cumulative buckets in order, and `_sum` and `_count` when served.
public struct HistogramSeries: Sendable, Equatable {
    public struct Bucket: Sendable, Equatable {
        public var upperBound: Double
        public var count: Double
    }
    public var labels: [String: String]
    public var buckets: [Bucket]
    public var sum: Double?
    public var count: Double?

    /// Every series of a histogram family (empty for any other type).
    public static func group(_ family: MetricFamily) -> [HistogramSeries] {
        guard family.type == .histogram else { return [] }
        var order: [[String: String]] = []
        var byLabels: [[String: String]: HistogramSeries] = [:]
        func series(_ labels: [String: String]) -> [String: String] {
            if byLabels[labels] == nil {
                order.append(labels)
                byLabels[labels] = HistogramSeries(labels: labels, buckets: [], sum: nil, count: nil)
            }
            return labels
        }
        for s in family.samples {
            var key = s.labels
            key["le"] = nil
            let k = series(key)
            switch s.name {
            case family.name + "_bucket":
                if let le = s.labels["le"].flatMap(ExpositionParser.float) {
                    byLabels[k]!.buckets.append(Bucket(upperBound: le, count: s.value))
                }
            case family.name + "_sum": byLabels[k]!.sum = s.value
            case family.name + "_count": byLabels[k]!.count = s.value
            default: break
            }
        }
        return order.map { k in
            var h = byLabels[k]!
            h.buckets.sort { $0.upperBound < $1.upperBound }
            return h
        }
    }

    /// `histogram_quantile(q, ...)` as Prometheus computes it: the bucket holding the rank,
    /// linear inside it (from 0 for the first bucket when its bound is positive); the
    /// highest finite bound when the rank falls in `+Inf`; NaN without a `+Inf` bucket or
    /// observations. Counts that go down (a scrape torn mid-update) are taken as flat.
    public func quantile(_ q: Double) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        guard buckets.count >= 2, let last = buckets.last, last.upperBound == .infinity else { return .nan }
        var counts = buckets.map(\.count)
        for i in counts.indices.dropFirst() where counts[i] < counts[i - 1] { counts[i] = counts[i - 1] }
        let total = counts[counts.count - 1]
        guard total > 0 else { return .nan }
        let rank = q * total
        let b = counts.firstIndex { $0 >= rank } ?? counts.count - 1
        if b == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if b == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var start = 0.0, below = 0.0
        if b > 0 {
            start = buckets[b - 1].upperBound
            below = counts[b - 1]
        }
        let inBucket = counts[b] - below
        // Only q = 0 over an empty first bucket: 0/0 in Prometheus too.
        guard inBucket > 0 else { return .nan }
        return start + (buckets[b].upperBound - start) * ((rank - below) / inBucket)
    }
}
