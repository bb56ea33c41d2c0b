/// One timestamped value in a series. Time is seconds on the monotonic collection clock.
public struct Point: Sendable, Equatable {
    public var time: Double
    public var value: Double
    public init(time: Double, value: Double) {
        self.time = time
        self.value = value
    }
}

/// Summary of a window of points.
public struct WindowStats: Sendable, Equatable {
    public var count: Int
    public var min: Double
    public var max: Double
    public var average: Double
}

/// A metric's history: a ring buffer of points with window queries.
///
/// A missing reading is stored as NaN so that a gap stays visible in graphs and is
/// skipped by the statistics, instead of being drawn as zero.
public struct Series: Sendable {
    public private(set) var points: RingBuffer<Point>
    /// Points older than this many seconds before the newest are dropped, so history is a
    /// span of time whatever the interval; the capacity is only the ceiling.
    public let retention: Double

    public init(capacity: Int, retention: Double = .infinity) {
        points = RingBuffer(capacity: capacity)
        self.retention = retention
    }

    public var capacity: Int { points.capacity }
    public var count: Int { points.count }
    public var latest: Point? { points.last }
    public var appendedCount: Int { points.appendedCount }

    public mutating func append(time: Double, value: Double) {
        points.append(Point(time: time, value: value))
        while let first = points.first, first.time < time - retention { points.removeFirst() }
    }

    public mutating func appendGap(time: Double) { append(time: time, value: .nan) }

    /// The newest `n` points, oldest first.
    public func last(_ n: Int) -> [Point] { points.last(n) }

    /// Points with `time >= start`, oldest first. Binary search: points are time-ordered.
    public func since(_ start: Double) -> [Point] {
        var lo = 0, hi = points.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if points[mid].time < start { lo = mid + 1 } else { hi = mid }
        }
        var out: [Point] = []
        out.reserveCapacity(points.count - lo)
        for i in lo..<points.count { out.append(points[i]) }
        return out
    }

    /// The position (0 = oldest held) of the last point taken at or before `time`; nil
    /// when every point is later.
    public func position(atOrBefore time: Double) -> Int? {
        var lo = 0, hi = points.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if points[mid].time <= time { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : lo - 1
    }

    /// Min, max and average of the non-gap values among `window` points.
    public static func stats(of window: [Point]) -> WindowStats? {
        var n = 0, lo = Double.infinity, hi = -Double.infinity, sum = 0.0
        for p in window where !p.value.isNaN {
            n += 1
            lo = Swift.min(lo, p.value)
            hi = Swift.max(hi, p.value)
            sum += p.value
        }
        return n == 0 ? nil : WindowStats(count: n, min: lo, max: hi, average: sum / Double(n))
    }

    public func stats(lastCount n: Int) -> WindowStats? { Series.stats(of: last(n)) }
    public func stats(since start: Double) -> WindowStats? { Series.stats(of: since(start)) }
}
