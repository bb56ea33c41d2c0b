import WatchbillCore
import WatchbillRecording

/// A recording at one moment, for `watchbill replay --once --at TIME`: read in one pass,
/// a tick at a time, keeping the first tick (which `--at +5m` counts from), the one shown,
/// the one before it (for the interval) and the last one read. Damage after the moment
/// does not matter to it, so reading stops there.
public struct RecordingMoment {
    public var first: HostSnapshot
    public var shown: HostSnapshot
    /// The newest tick read (the recording's end, unless reading stopped at the moment).
    public var lastRead: HostSnapshot
    /// Seconds between the tick shown and the one before it, on the collector's monotonic
    /// clock (a restart gap or a wall-clock step is not an interval): 1 when unknown.
    public var interval: Double
    /// The moment asked for, when one was.
    public var target: Double?
    /// What was firing then, as the recording says (what the on-call saw).
    public var firing: [AlertRecord]

    /// Whether the moment asked for lies outside what was recorded.
    public var outside: Bool {
        guard let target else { return false }
        return target < first.wallClock - 1 || (shown.wallClock < target - 60 && lastRead.wallClock == shown.wallClock)
    }

    /// A file that could not be opened (it is not a recording, or cannot be read).
    public struct Unreadable: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads the files in order, each opened when reached; `moment` turns the first tick
    /// into the target time (nil: the end). The moment is nil when no tick was recorded;
    /// `problems` say which file was damaged where (`FILE: ...; replaying what came before
    /// (up to ...)`). Throws `Unreadable`, or what `moment` threw.
    public static func read(_ paths: [String], localTimestamp: (Double) -> String,
                            moment: (HostSnapshot) throws -> Double?) throws -> (moment: RecordingMoment?, problems: [String]) {
        var first: HostSnapshot?, previous: HostSnapshot?, chosen: HostSnapshot?, chosenPrevious: HostSnapshot?
        var target: Double?
        var bad: (any Error)?
        var events = RecordedEvents()
        var problems: [String] = []
        var done = false
        for path in paths where !done {
            let recording: RecordingFile
            do { recording = try RecordingFile(path: path) } catch { throw Unreadable(description: "\(error)") }
            let stopped = recording.scan { record, _ in
                guard !events.add(record), case .snapshot(let s) = record else { return true }
                if first == nil {
                    first = s
                    do { target = try moment(s) } catch {
                        bad = error
                        return false
                    }
                }
                if target == nil || s.wallClock <= target! || chosen == nil {
                    chosenPrevious = previous
                    chosen = s
                }
                previous = s
                done = !(target == nil || s.wallClock <= target!)
                return !done
            }
            if let stopped {
                let upTo = previous.map { " (up to \(localTimestamp($0.wallClock)))" } ?? ""
                problems.append("\(path): \(stopped); replaying what came before\(upTo)")
            }
        }
        if let bad { throw bad }
        guard let shown = chosen, let first, let lastRead = previous else { return (nil, problems) }
        let gap = chosenPrevious.map { shown.time - $0.time } ?? 1
        return (RecordingMoment(first: first, shown: shown, lastRead: lastRead, interval: gap > 0 && gap <= 3600 ? gap : 1,
                                target: target, firing: events.firing(at: shown.wallClock)), problems)
    }
}
