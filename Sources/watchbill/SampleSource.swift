import Synchronization
import WatchbillCollectors
import WatchbillCore
import WatchbillRecording

/// Where the collection thread's ticks come from: this host, or a recording.
protocol SampleSource {
    /// The next tick, or nil for none now (a paused or finished replay).
    mutating func next(time: Double, wallClock: Double) -> HostSnapshot?
    /// Whether the process table may be read: only for the live host.
    var isLive: Bool { get }
}

extension HostCollector: SampleSource {
    mutating func next(time: Double, wallClock: Double) -> HostSnapshot? { sample(time: time, wallClock: wallClock) }
    var isLive: Bool { true }
}

/// A recording's ticks, one per collection tick (the collection interval sets the speed),
/// with pause and seek driven from the UI thread. The ticks stay encoded (about 700 bytes
/// each) and are decoded as they play: an hour is 2.5 MB held, not ten times that.
final class ReplaySource: SampleSource, @unchecked Sendable {
    private let records: [[UInt8]]
    /// Each tick's wall-clock time, for `--at` and the header.
    let wallClocks: [Double]
    /// The recording's own interval (the median gap), the length of one tick at 1x.
    let step: Double
    private struct Control {
        var index = 0
        var paused = false
    }
    private let control = Mutex(Control())

    /// From snapshot records (payloads without their kind byte) that are known to decode.
    init(records: [[UInt8]], times: [Double], wallClocks: [Double], startAt index: Int = 0) {
        self.records = records
        self.wallClocks = wallClocks
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }.filter { $0 > 0 }.sorted()
        step = gaps.isEmpty ? 1 : min(60, max(0.05, gaps[gaps.count / 2]))
        control.withLock { $0.index = max(0, min(index, records.count)) }
    }

    var count: Int { records.count }
    var isLive: Bool { false }

    func snapshot(_ i: Int) -> HostSnapshot? { try? SnapshotCodec.decode(records[i]) }

    func next(time: Double, wallClock: Double) -> HostSnapshot? {
        let i = control.withLock { c -> Int? in
            guard !c.paused, c.index < records.count else { return nil }
            defer { c.index += 1 }
            return c.index
        }
        return i.flatMap(snapshot)
    }

    var paused: Bool {
        get { control.withLock { $0.paused } }
        set { control.withLock { $0.paused = newValue } }
    }

    /// The index of the next tick to play.
    var position: Int { control.withLock { $0.index } }

    /// Moves to `index`; returns the ticks before it that the store must hold again.
    func seek(to index: Int, history: Int) -> [HostSnapshot] {
        let target = max(0, min(index, records.count))
        control.withLock { $0.index = target }
        return (max(0, target - history)..<target).compactMap(snapshot)
    }
}
