import WatchbillScreen

/// The Alerts pane's list as it was after each change (an alert became pending, fired or
/// resolved), for as long as the history reaches: a rewind shows the list of its moment.
public struct AlertTimeline: Sendable {
    private var entries: [(at: Double, items: [AlertItem])] = []
    public let retention: Double
    public let maxEntries: Int

    public init(retention: Double, maxEntries: Int = 2000) {
        self.retention = retention
        self.maxEntries = maxEntries
    }

    public var count: Int { entries.count }

    /// The list from `at` on (a change of the engine's alerts at that time).
    public mutating func record(_ items: [AlertItem], at: Double) {
        // Out of order (a replay that sought back): the later entries are of another timeline.
        while let last = entries.last, last.at > at { entries.removeLast() }
        entries.append((at, items))
        let horizon = at - retention
        let old = entries.prefix { $0.at < horizon }.count
        // The entry in force at the horizon stays: it is what the oldest tick shows.
        var drop = max(0, old - 1)
        drop = max(drop, entries.count - maxEntries)
        if drop > 0 { entries.removeFirst(drop) }
    }

    /// The list in force at `moment` (empty before the first change known).
    public func items(at moment: Double) -> [AlertItem] {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].at <= moment { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? [] : entries[lo - 1].items
    }

    public mutating func removeAll() { entries.removeAll() }
}
