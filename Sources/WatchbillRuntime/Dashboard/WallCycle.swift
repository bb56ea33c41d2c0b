import WatchbillScreen

/// A wall display's layouts shown in turn, one every `every` seconds of the monotonic
/// clock (no cycling with one layout or no period).
public struct WallCycle: Sendable, Equatable {
    public struct Layout: Sendable, Equatable {
        public var name: String
        public var panes: [String]
        public var compact: Bool
        public init(name: String, panes: [String], compact: Bool) {
            self.name = name
            self.panes = panes
            self.compact = compact
        }
    }

    public let layouts: [Layout]
    public let every: Double?
    public private(set) var index = 0
    private var nextAt: Double?

    public init(layouts: [Layout], every: Double?) {
        self.layouts = layouts
        self.every = every
    }

    public var current: Layout? { layouts.isEmpty ? nil : layouts[index] }

    /// The layout to switch to at `monotonic`, when its turn came; the first call starts the clock.
    public mutating func advance(at monotonic: Double) -> Layout? {
        guard let every, every > 0, layouts.count > 1 else { return nil }
        guard let due = nextAt else {
            nextAt = monotonic + every
            return nil
        }
        guard monotonic >= due else { return nil }
        index = (index + 1) % layouts.count
        // A long stall (a suspended laptop) moves one step, not one per missed period.
        nextAt = max(due + every, monotonic)
        if nextAt! <= monotonic { nextAt = monotonic + every }
        return layouts[index]
    }
}
