import Histogram

/// Every latency histogram in Watchbill has HdrHistogram's bucket layout for microseconds
/// from 1 µs to 60 s at two significant digits, so any two merge exactly.
public enum LatencyLayout {
    public static let highestMicros: UInt64 = 60_000_000
    /// Used for its bucket arithmetic only (inlined, so it costs a few instructions a value).
    static let layout = histogram()

    /// A dense histogram of the shared layout (20 KiB), for tests and one-off reports.
    public static func histogram() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: highestMicros, numberOfSignificantValueDigits: .two)
    }

    public static func micros(_ seconds: Double) -> UInt64 {
        UInt64(max(1, min(Double(highestMicros), (seconds * 1_000_000).rounded())))
    }

    /// The bucket a value falls in, named by its highest equivalent value (what HdrHistogram
    /// reports for a percentile that lands in it).
    static func bucket(_ micros: UInt64) -> UInt32 { UInt32(layout.highestEquivalentForValue(micros)) }
}

/// An HdrHistogram kept as its non-empty buckets only. A dense histogram of this layout is
/// 20 KiB; a slice of probes to one target fills a handful of buckets, so a thousand
/// targets times forty slices stay in a few megabytes. Merging is a sorted merge, and
/// percentiles are read the way HdrHistogram reads them (tests hold the two equal).
public struct CompactHistogram: Sendable, Equatable {
    /// Bucket (highest equivalent value), ascending.
    public private(set) var values: [UInt32] = []
    public private(set) var counts: [UInt32] = []
    /// The exact largest value recorded (a bucket only knows its range).
    public private(set) var max: UInt32 = 0

    public init() {}

    /// Buckets the raw microsecond values.
    public init(raw: [UInt32]) {
        guard !raw.isEmpty else { return }
        var buckets = raw.map { LatencyLayout.bucket(UInt64($0)) }
        buckets.sort()
        for b in buckets {
            if values.last == b { counts[counts.count - 1] += 1 } else { values.append(b); counts.append(1) }
        }
        max = raw.max() ?? 0
    }

    public var total: UInt64 { counts.reduce(0) { $0 + UInt64($1) } }
    public var isEmpty: Bool { values.isEmpty }

    public func merged(with other: CompactHistogram) -> CompactHistogram {
        var out = CompactHistogram()
        out.values.reserveCapacity(values.count + other.values.count)
        out.counts.reserveCapacity(values.count + other.values.count)
        var i = 0, j = 0
        while i < values.count || j < other.values.count {
            if j == other.values.count || (i < values.count && values[i] < other.values[j]) {
                out.values.append(values[i]); out.counts.append(counts[i]); i += 1
            } else if i == values.count || other.values[j] < values[i] {
                out.values.append(other.values[j]); out.counts.append(other.counts[j]); j += 1
            } else {
                out.values.append(values[i]); out.counts.append(counts[i] &+ other.counts[j]); i += 1; j += 1
            }
        }
        out.max = Swift.max(max, other.max)
        return out
    }

    /// Adds these buckets to a dense histogram of the shared layout.
    public func add(to dense: inout Histogram<UInt64>) {
        for k in values.indices { _ = dense.record(UInt64(values[k]), count: UInt64(counts[k])) }
    }

    /// Values at `percentiles` (ascending, 0 < p < 100) over all `parts`, in microseconds,
    /// as HdrHistogram's `valueAtPercentile` computes them, capped at the exact maximum.
    public static func values(at percentiles: [Double], over parts: [CompactHistogram]) -> [UInt32] {
        // Merging sorted bucket lists is linear; the typical query is one cached window plus
        // the open slice.
        let all = parts.count == 1 ? parts[0] : parts.reduce(CompactHistogram()) { $0.merged(with: $1) }
        let total = all.total
        guard total > 0 else { return percentiles.map { _ in 0 } }
        var out: [UInt32] = []
        out.reserveCapacity(percentiles.count)
        var k = 0
        var cumulative: UInt64 = 0
        for q in percentiles {
            let wanted = Swift.max(1, UInt64((Swift.min(Swift.max(q.nextDown, 0), 100) * Double(total) / 100).rounded(.up)))
            while k < all.values.count - 1 && cumulative + UInt64(all.counts[k]) < wanted {
                cumulative += UInt64(all.counts[k])
                k += 1
            }
            out.append(Swift.min(all.values[k], all.max))
        }
        return out
    }
}
