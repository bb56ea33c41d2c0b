import Histogram

/// Every latency histogram in Watchbill has this one layout (microseconds, 1 µs to 60 s,
/// two significant digits), so any two can be merged without a trap.
public enum LatencyLayout {
    public static let highestMicros: UInt64 = 60_000_000

    public static func histogram() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: highestMicros, numberOfSignificantValueDigits: .two)
    }

    public static func micros(_ seconds: Double) -> UInt64 {
        UInt64(max(1, min(Double(highestMicros), (seconds * 1_000_000).rounded())))
    }
}

/// A closed slice of an HdrHistogram kept as its non-empty buckets only. A dense histogram
/// of this layout is 20 KiB; a slice of probes to one target fills a handful of buckets, so
/// a thousand targets times forty slices stay in a few megabytes. Merging is a sorted
/// merge, and a query replays the buckets into one dense scratch histogram.
public struct CompactHistogram: Sendable, Equatable {
    /// Each bucket's highest equivalent value (it maps back to the same bucket) and count.
    public private(set) var values: [UInt32] = []
    public private(set) var counts: [UInt32] = []
    /// The exact largest value recorded (a bucket only knows its range).
    public private(set) var max: UInt32 = 0

    public init() {}

    /// The non-empty buckets of `dense`; `max` is the exact maximum the caller tracked.
    public init(_ dense: Histogram<UInt64>, max: UInt32) {
        for v in dense.recordedValues() {
            values.append(UInt32(v.value))
            counts.append(UInt32(truncatingIfNeeded: v.count))
        }
        self.max = max
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
}
