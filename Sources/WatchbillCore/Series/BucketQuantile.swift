/// `histogram_quantile(q, ...)` over classic cumulative buckets, as Prometheus computes it:
/// the bucket holding the rank, linear inside it (from 0 for the first bucket when its bound
/// is positive); the highest finite bound when the rank falls in `+Inf`; NaN without a `+Inf`
/// bucket or observations. Counts that go down (a scrape torn mid-update) are taken as flat.
/// One arithmetic for the fleet's latency rows and the rules' `histogram_quantile`.
public enum BucketQuantile {
    /// `buckets` as (upper bound, cumulative count), in any order.
    public static func quantile(_ q: Double, _ buckets: [(upperBound: Double, count: Double)]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        var sorted = buckets.sorted { $0.upperBound < $1.upperBound }
        guard let last = sorted.last, last.upperBound == .infinity else { return .nan }
        // Buckets with the same bound (a series twice) are one bucket, their counts added.
        var merged: [(upperBound: Double, count: Double)] = []
        for b in sorted {
            if let l = merged.last, l.upperBound == b.upperBound { merged[merged.count - 1].count += b.count } else { merged.append(b) }
        }
        sorted = merged
        guard sorted.count >= 2 else { return .nan }
        var counts = sorted.map(\.count)
        for i in counts.indices.dropFirst() where counts[i] < counts[i - 1] { counts[i] = counts[i - 1] }
        let total = counts[counts.count - 1]
        guard total > 0 else { return .nan }
        let rank = q * total
        let b = counts.firstIndex { $0 >= rank } ?? counts.count - 1
        if b == sorted.count - 1 { return sorted[sorted.count - 2].upperBound }
        if b == 0 && sorted[0].upperBound <= 0 { return sorted[0].upperBound }
        var start = 0.0, below = 0.0
        if b > 0 {
            start = sorted[b - 1].upperBound
            below = counts[b - 1]
        }
        let inBucket = counts[b] - below
        // Only q = 0 over an empty first bucket: 0/0 in Prometheus too.
        guard inBucket > 0 else { return .nan }
        return start + (sorted[b].upperBound - start) * ((rank - below) / inBucket)
    }
}
