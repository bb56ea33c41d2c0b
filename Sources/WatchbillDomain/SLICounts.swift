/// Probe counts of one minute or one hour: what every SLI, budget and burn rate is made of.
public struct SLICounts: Sendable, Equatable {
    public var total: UInt32 = 0
    /// Probes that succeeded (the availability SLI's numerator).
    public var good: UInt32 = 0
    /// Successful probes under the latency threshold (the latency SLI's numerator).
    public var fast: UInt32 = 0

    public init(total: UInt32 = 0, good: UInt32 = 0, fast: UInt32 = 0) {
        self.total = total
        self.good = good
        self.fast = fast
    }

    static func + (a: SLICounts, b: SLICounts) -> SLICounts {
        SLICounts(total: a.total &+ b.total, good: a.good &+ b.good, fast: a.fast &+ b.fast)
    }

    /// Failed probes over all probes; nil without probes.
    /// (Counts read from a file may say more good than total: that is no failure, not a trap.)
    public var errorRatio: Double? { total == 0 ? nil : Double(total > good ? total - good : 0) / Double(total) }
    /// Slow probes over successful ones; nil without successes.
    public var slowRatio: Double? { good == 0 ? nil : Double(good > fast ? good - fast : 0) / Double(good) }
}

/// Per-minute counts for the last six hours and per-hour counts for the last 30 days, in
/// fixed rings (13 KB a target): the short burn-rate windows are exact to the minute, the
/// day-long ones and the budget to the hour.
public struct SLICounters: Sendable, Equatable {
    public static let minutesKept = 360
    public static let hoursKept = 720

    struct Slot: Sendable, Equatable {
        var index: Int32
        var counts: SLICounts
    }

    private(set) var minutes: [Slot]
    private(set) var hours: [Slot]

    public init() {
        minutes = Array(repeating: Slot(index: -1, counts: SLICounts()), count: SLICounters.minutesKept)
        hours = Array(repeating: Slot(index: -1, counts: SLICounts()), count: SLICounters.hoursKept)
    }

    static func minute(_ t: Double) -> Int32 { Int32((t / 60).rounded(.down)) }
    static func hour(_ t: Double) -> Int32 { Int32((t / 3600).rounded(.down)) }

    public mutating func record(at time: Double, good: Bool, fast: Bool) {
        let add = SLICounts(total: 1, good: good ? 1 : 0, fast: good && fast ? 1 : 0)
        SLICounters.add(add, index: SLICounters.minute(time), to: &minutes)
        SLICounters.add(add, index: SLICounters.hour(time), to: &hours)
    }

    /// Adds counts restored from the state file (or another recorder) at a minute or an hour.
    mutating func restore(minute: Int32, _ c: SLICounts) { SLICounters.add(c, index: minute, to: &minutes) }
    mutating func restore(hour: Int32, _ c: SLICounts) { SLICounters.add(c, index: hour, to: &hours) }

    private static func add(_ c: SLICounts, index: Int32, to ring: inout [Slot]) {
        guard index >= 0 else { return }
        let k = Int(index) % ring.count
        if ring[k].index != index { ring[k] = Slot(index: index, counts: SLICounts()) }
        ring[k].counts = ring[k].counts + c
    }

    /// Counts over the `seconds` ending at `time`: whole minutes up to six hours (the current
    /// one included), whole hours beyond.
    public func counts(overLast seconds: Double, at time: Double) -> SLICounts {
        if seconds <= Double(SLICounters.minutesKept) * 60 {
            return SLICounters.sum(minutes, end: SLICounters.minute(time), span: Int32((seconds / 60).rounded(.up)))
        }
        return SLICounters.sum(hours, end: SLICounters.hour(time),
                               span: Int32(min(Double(SLICounters.hoursKept), (seconds / 3600).rounded(.up))))
    }

    /// Visits only the `span` slots the window covers, not the whole ring.
    private static func sum(_ ring: [Slot], end: Int32, span: Int32) -> SLICounts {
        var total = SLICounts()
        guard end >= 0 else { return total }
        let n = Int32(ring.count)
        var k = max(0, end - min(span, n) + 1)
        while k <= end {
            let slot = ring[Int(k % n)]
            if slot.index == k { total = total + slot.counts }
            k += 1
        }
        return total
    }

    /// The non-empty slots, for the state file.
    var storedMinutes: [(Int32, SLICounts)] { minutes.filter { $0.index >= 0 && $0.counts.total > 0 }.map { ($0.index, $0.counts) } }
    var storedHours: [(Int32, SLICounts)] { hours.filter { $0.index >= 0 && $0.counts.total > 0 }.map { ($0.index, $0.counts) } }
}
