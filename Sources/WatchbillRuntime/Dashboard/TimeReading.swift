/// One reading of the clocks, taken by the loop that gathers events and handed to the
/// runtime as a value: the monotonic clock for ages of samples and schedules, the wall
/// clock (and the local zone's offset then) for what people read.
public struct TimeReading: Sendable, Equatable {
    public var wall: Double
    public var monotonic: Double
    /// Seconds east of UTC at `wall`.
    public var utcOffset: Int

    public init(wall: Double, monotonic: Double, utcOffset: Int = 0) {
        self.wall = wall
        self.monotonic = monotonic
        self.utcOffset = utcOffset
    }

    /// `HH:MM:SS` of a wall-clock time in this reading's zone.
    public func localClock(_ t: Double) -> String {
        let seconds = Int((t + Double(utcOffset)).rounded(.down))
        let day = ((seconds % 86_400) + 86_400) % 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(day / 3600)):\(two(day / 60 % 60)):\(two(day % 60))"
    }
}

/// Which moment the panes show. Live shows now; a rewind (`H`) shows a tick of the
/// history; a replay shows the recording's clock, rewound or not. Every age on screen is
/// measured from `at`, never from the wall clock.
public enum Moment: Sendable, Equatable {
    case live(at: Double)
    case history(at: Double)
    case replay(at: Double)

    public var at: Double {
        switch self {
        case .live(let t), .history(let t), .replay(let t): return t
        }
    }

    public var isLive: Bool { if case .live = self { return true }; return false }
}

/// A clock time (`14:05`) on the local day of another moment, for options that take one
/// (`incident ... --at 14:05`, `replay --at 14:05`).
public enum LocalDay {
    /// `seconds` after local midnight of the day `moment` falls on, in a zone `utcOffset`
    /// seconds east of UTC.
    public static func time(_ seconds: Int, onDayOf moment: Double, utcOffset: Int) -> Double {
        let offset = Double(utcOffset)
        let midnight = ((moment + offset) / 86_400).rounded(.down) * 86_400 - offset
        return midnight + Double(seconds)
    }
}
