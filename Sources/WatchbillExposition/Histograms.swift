import WatchbillCore

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

    /// `histogram_quantile(q, ...)` as Prometheus computes it (`BucketQuantile`).
    public func quantile(_ q: Double) -> Double {
        BucketQuantile.quantile(q, buckets.map { ($0.upperBound, $0.count) })
    }
}
