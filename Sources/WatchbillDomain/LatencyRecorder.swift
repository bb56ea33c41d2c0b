import DequeModule

/// One target's latencies, kept the way the windows need them: the open 10-second slice as
/// raw values, closed slices for the last five minutes, and slices merged into 5-minute
/// epochs for the last hour. The 1 m and 5 m windows roll at 10-second steps, the hour at
/// 5-minute steps (it covers 55 to 60 minutes).
public struct LatencyRecorder: Sendable {
    public static let sliceSeconds = 10.0
    public static let slicesKept = 30
    public static let epochSlices = 30
    public static let epochsKept = 12

    struct Slice: Sendable {
        var index: Int
        var histogram: CompactHistogram
        var bands: LatencyBand?
        var failures: Int
    }

    struct Epoch: Sendable {
        var index: Int
        var histogram: CompactHistogram
        var failures: Int
    }

    /// Far in the past, but not `Int.min`, so window arithmetic on it cannot overflow.
    private var openIndex = Int.min / 4
    private var open: [UInt32] = []
    private var openFailures = 0
    private var slices: Deque<Slice> = []
    private var epochs: Deque<Epoch> = []
    /// The closed part of each window as of `openIndex`, merged once when a slice closes,
    /// so a query merges one histogram with the open slice instead of up to thirty.
    private var closed = ClosedWindows()

    struct ClosedWindows: Sendable {
        var minute = CompactHistogram(), minuteFailures = 0
        var five = CompactHistogram(), fiveFailures = 0
        var hour = CompactHistogram(), hourFailures = 0
        /// The epochs before the current one, merged once per epoch (five minutes).
        var pastEpochs = CompactHistogram(), pastEpochsFailures = 0, pastEpochsAt = Int.min / 4
    }

    public init() {}

    static func slice(_ time: Double) -> Int { Int((time / sliceSeconds).rounded(.down)) }
    static func epoch(ofSlice s: Int) -> Int { s >= 0 ? s / epochSlices : (s - epochSlices + 1) / epochSlices }

    /// Records a successful probe's latency at wall-clock `time`.
    public mutating func record(_ seconds: Double, at time: Double) {
        advance(to: time)
        // A probe that started before the open slice (it ran long) counts in the open one.
        open.append(UInt32(LatencyLayout.micros(seconds)))
    }

    /// Counts a failed probe at `time`: it has no latency, but the window's error rate needs it.
    public mutating func recordFailure(at time: Double) {
        advance(to: time)
        openFailures += 1
    }

    /// Closes the open slice once `time` is past it and forgets what fell out of the hour.
    public mutating func advance(to time: Double) {
        let s = LatencyRecorder.slice(time)
        guard s > openIndex else { return }
        if !open.isEmpty || openFailures > 0 {
            let compact = CompactHistogram(raw: open)
            slices.append(Slice(index: openIndex, histogram: compact,
                                bands: open.isEmpty ? nil : LatencyBand(compact), failures: openFailures))
            let e = LatencyRecorder.epoch(ofSlice: openIndex)
            if let last = epochs.last, last.index == e {
                epochs[epochs.count - 1].histogram = last.histogram.merged(with: compact)
                epochs[epochs.count - 1].failures += openFailures
            } else {
                epochs.append(Epoch(index: e, histogram: compact, failures: openFailures))
            }
            open.removeAll(keepingCapacity: true)
            openFailures = 0
        }
        openIndex = s
        while let first = slices.first, first.index <= s - LatencyRecorder.slicesKept { slices.removeFirst() }
        let e = LatencyRecorder.epoch(ofSlice: s)
        while let first = epochs.first, first.index <= e - LatencyRecorder.epochsKept { epochs.removeFirst() }
        // Once per slice: what the 1 m window holds changes with `s` even when nothing closed.
        mergeClosed(at: s)
    }

    private mutating func mergeClosed(at s: Int) {
        var c = ClosedWindows()
        for slice in slices {
            if slice.index > s - 6 {
                c.minute = c.minute.merged(with: slice.histogram)
                c.minuteFailures += slice.failures
            }
            c.five = c.five.merged(with: slice.histogram)
            c.fiveFailures += slice.failures
        }
        let e = LatencyRecorder.epoch(ofSlice: s)
        if closed.pastEpochsAt == e {
            (c.pastEpochs, c.pastEpochsFailures, c.pastEpochsAt) = (closed.pastEpochs, closed.pastEpochsFailures, e)
        } else {
            c.pastEpochsAt = e
            for epoch in epochs where epoch.index < e {
                c.pastEpochs = c.pastEpochs.merged(with: epoch.histogram)
                c.pastEpochsFailures += epoch.failures
            }
        }
        (c.hour, c.hourFailures) = (c.pastEpochs, c.pastEpochsFailures)
        if let current = epochs.last, current.index == e {
            c.hour = c.hour.merged(with: current.histogram)
            c.hourFailures += current.failures
        }
        closed = c
    }

    /// Percentiles over `window` ending at `time` (the open slice included).
    public func percentiles(_ window: LatencyWindow, at time: Double) -> LatencyPercentiles {
        if LatencyRecorder.slice(time) == openIndex {
            let (h, f): (CompactHistogram, Int)
            switch window {
            case .oneMinute: (h, f) = (closed.minute, closed.minuteFailures)
            case .fiveMinutes: (h, f) = (closed.five, closed.fiveFailures)
            case .oneHour: (h, f) = (closed.hour, closed.hourFailures)
            }
            var result = LatencyPercentiles(open.isEmpty ? [h] : [h, CompactHistogram(raw: open)])
            result.failures = f + openFailures
            return result
        }
        return recomputed(window, at: time)
    }

    /// The same answer from the slices themselves, for a time other than the open slice's.
    func recomputed(_ window: LatencyWindow, at time: Double) -> LatencyPercentiles {
        var parts: [CompactHistogram] = []
        var failures = 0
        let s = LatencyRecorder.slice(time), e = LatencyRecorder.epoch(ofSlice: s)
        let inWindow: (Int) -> Bool
        switch window {
        case .oneMinute, .fiveMinutes:
            let n = window == .oneMinute ? 6 : LatencyRecorder.slicesKept
            inWindow = { $0 > s - n && $0 <= s }
            for slice in slices where inWindow(slice.index) {
                parts.append(slice.histogram)
                failures += slice.failures
            }
        case .oneHour:
            inWindow = { LatencyRecorder.epoch(ofSlice: $0) > e - LatencyRecorder.epochsKept && $0 <= s }
            for epoch in epochs where epoch.index > e - LatencyRecorder.epochsKept {
                parts.append(epoch.histogram)
                failures += epoch.failures
            }
        }
        if (!open.isEmpty || openFailures > 0) && inWindow(openIndex) {
            parts.append(CompactHistogram(raw: open))
            failures += openFailures
        }
        var result = LatencyPercentiles(parts)
        result.failures = failures
        return result
    }

    /// p50/p95/p99 per 10-second slice over the last five minutes (the open slice last),
    /// oldest first; a slice without probes is nil (a gap in the graph, not a zero).
    public func sliceBands(at time: Double) -> [LatencyBand?] {
        let s = LatencyRecorder.slice(time)
        let first = s - LatencyRecorder.slicesKept + 1
        var bands = [LatencyBand?](repeating: nil, count: LatencyRecorder.slicesKept)
        for slice in slices where slice.index >= first && slice.index <= s { bands[slice.index - first] = slice.bands }
        if !open.isEmpty && openIndex >= first && openIndex <= s {
            bands[openIndex - first] = LatencyBand(CompactHistogram(raw: open))
        }
        return bands
    }

    /// p50/p95/p99 per 5-minute epoch over the last hour, oldest first.
    public func epochBands(at time: Double) -> [LatencyBand?] {
        let e = LatencyRecorder.epoch(ofSlice: LatencyRecorder.slice(time))
        var byEpoch: [Int: CompactHistogram] = [:]
        for epoch in epochs { byEpoch[epoch.index] = epoch.histogram }
        return ((e - LatencyRecorder.epochsKept + 1)...e).map { i in
            guard let h = byEpoch[i] else { return nil }
            return LatencyBand(h)
        }
    }

    /// Bytes held, roughly: for the memory figures in BENCHMARKS.md.
    public var footprintBytes: Int {
        open.capacity * 4 + slices.reduce(0) { $0 + $1.histogram.values.capacity * 8 + 64 }
            + epochs.reduce(0) { $0 + $1.histogram.values.capacity * 8 + 48 }
    }
}

/// The three lines of a percentile band chart, in seconds.
public struct LatencyBand: Sendable, Equatable {
    public var p50: Double
    public var p95: Double
    public var p99: Double

    public init(p50: Double, p95: Double, p99: Double) {
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
    }

    init(_ h: CompactHistogram) {
        let v = CompactHistogram.values(at: [50, 95, 99], over: [h]).map { Double($0) / 1e6 }
        p50 = v[0]
        p95 = v[1]
        p99 = v[2]
    }
}

extension LatencyPercentiles {
    /// Reads merged parts; a percentile never exceeds the exact maximum (a bucket's highest
    /// equivalent value can).
    init(_ parts: [CompactHistogram]) {
        let total = parts.reduce(0) { $0 + Int($1.total) }
        let v = CompactHistogram.values(at: [50, 90, 95, 99, 99.9], over: parts).map { Double($0) / 1e6 }
        let maxValue = Double(parts.map(\.max).max() ?? 0) / 1e6
        self.init(count: total, p50: v[0], p90: v[1], p95: v[2], p99: v[3], p999: v[4], max: maxValue)
    }
}
