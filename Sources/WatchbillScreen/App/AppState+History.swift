/// Rewinding the live dashboard: which tick is viewed, within what the history holds.
/// The caller keeps the bounds current and builds `data` for the tick viewed.
public struct HistoryView: Sendable {
    /// The absolute index of the tick viewed (`SnapshotHistory`'s numbering).
    public var index: Int
    /// The oldest and newest ticks held, set by the caller each pass.
    public var oldest: Int
    public var newest: Int
    /// Ticks in a minute at the interval they were taken (PgUp and PgDn).
    public var perMinute: Int
    /// The panes at the moment viewed, built by the caller for `index`.
    public var data: DashboardData?
    /// When the tick viewed was taken, formatted by the caller, and how long ago.
    public var viewedClock = ""
    public var viewedAgo = 0.0

    public init(index: Int, oldest: Int, newest: Int, perMinute: Int) {
        self.index = index
        self.oldest = oldest
        self.newest = newest
        self.perMinute = max(1, perMinute)
    }

    /// New bounds from the caller: a tick that fell off the old end gives way to the oldest.
    public mutating func bound(oldest: Int, newest: Int) {
        self.oldest = oldest
        self.newest = max(oldest, newest)
        index = min(max(index, oldest), self.newest)
    }
}

/// What the history holds now, set by the caller each pass (nil: nothing yet).
public struct HistoryBounds: Sendable, Equatable {
    public var oldest: Int
    public var newest: Int
    public var perMinute: Int

    public init(oldest: Int, newest: Int, perMinute: Int) {
        self.oldest = oldest
        self.newest = newest
        self.perMinute = perMinute
    }
}

extension AppState {
    /// `H`: into history at the newest tick, or back to live.
    mutating func toggleHistory() {
        if history != nil {
            history = nil
            return
        }
        // The history is this host's ticks; a fleet host's would be its scrapes (not kept whole).
        if fleet != nil {
            notice = "history rewinds this host's own dashboard, not the fleet's"
            return
        }
        guard let b = historyBounds, b.newest >= b.oldest else {
            notice = "no history yet: the first samples are still being taken"
            return
        }
        frozen = nil
        history = HistoryView(index: b.newest, oldest: b.oldest, newest: b.newest, perMinute: b.perMinute)
    }

    /// The keys that move through history while it is shown; nil for any other key, which
    /// then works as usual (focus, zoom, help, quit).
    mutating func handleHistoryKey(_ key: Key) -> [Effect]? {
        guard var h = history, !showHelp, !incidentScreenOpen, !DashboardView.alertScreenOpen(self) else { return nil }
        switch key {
        case .left: h.index -= 1
        case .right: h.index += 1
        case .pageUp: h.index -= h.perMinute
        case .pageDown: h.index += h.perMinute
        case .home, .character("g"): h.index = h.oldest
        case .end, .character("G"): h.index = h.newest
        case .escape:
            history = nil
            return []
        default:
            return nil
        }
        h.index = min(max(h.index, h.oldest), h.newest)
        history = h
        return []
    }

    /// The caller's new bounds, applied to the view (if any).
    public mutating func setHistoryBounds(_ bounds: HistoryBounds?) {
        historyBounds = bounds
        guard let bounds else {
            history = nil
            return
        }
        history?.perMinute = max(1, bounds.perMinute)
        history?.bound(oldest: bounds.oldest, newest: bounds.newest)
    }
}
