import WatchbillScreen

/// What a replay's keys ask of the recording being played.
public enum ReplaySteer: Sendable, Equatable {
    case togglePause
    /// To the tick at this index (0-based; clamped by the source).
    case seek(Int)
    /// Ticks played per second of real time, as an interval between ticks.
    case speed(Double)
}

/// Where a replay stands, reported by its source each pass.
public struct ReplayPosition: Sendable, Equatable {
    /// The tick on screen, counted from 1 (0 before the first).
    public var position: Int
    public var count: Int
    /// Seconds between recorded ticks.
    public var step: Double
    /// Seconds between ticks played now (the speed is `step / interval`).
    public var interval: Double
    public var paused: Bool
    public var start: Double
    public var end: Double
    public var marks: [TimelineMark]

    public init(position: Int, count: Int, step: Double, interval: Double, paused: Bool, start: Double, end: Double,
                marks: [TimelineMark] = []) {
        self.position = position
        self.count = count
        self.step = step
        self.interval = interval
        self.paused = paused
        self.start = start
        self.end = end
        self.marks = marks
    }

    public var speed: Double { step / interval }

    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]

    /// A replay's keys, before the dashboard's: Space pauses, Left/Right move a minute,
    /// g/G go to the start/end, [ ] change the speed. Nil: the key is the dashboard's.
    public func command(for key: Key) -> ReplaySteer? {
        let minute = max(1, Int((60 / step).rounded()))
        switch key {
        case .character(" "): return .togglePause
        case .left: return .seek(max(0, position - 1 - minute))
        case .right: return .seek(min(count - 1, position - 1 + minute))
        case .character("g"): return .seek(0)
        case .character("G"): return .seek(max(0, count - 1))
        case .character("["), .character("]"):
            let current = Self.speeds.firstIndex { abs($0 - speed) < 1e-9 } ?? 2
            let next = Self.speeds[max(0, min(Self.speeds.count - 1, current + (key == .character("]") ? 1 : -1)))]
            return .speed(step / next)
        default: return nil
        }
    }

    /// `REPLAY 21:55:27 4x 120/3600` (or `paused`, `end`), for the header.
    public func status(clock: String) -> String {
        let rate = speed >= 1 ? "\(Int(speed.rounded()))x" : (speed >= 0.5 ? "0.5x" : "0.25x")
        let mode = position >= count ? "end" : paused ? "paused" : rate
        return "REPLAY \(clock) \(mode) \(position)/\(count)"
    }
}
