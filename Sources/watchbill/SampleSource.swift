import Synchronization
import WatchbillCollectors
import WatchbillCore

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
/// with pause and seek driven from the UI thread.
final class ReplaySource: SampleSource, @unchecked Sendable {
    let snapshots: [HostSnapshot]
    /// The recording's own interval (the median gap), the length of one tick at 1x.
    let step: Double
    private struct Control {
        var index = 0
        var paused = false
    }
    private let control = Mutex(Control())

    init(_ snapshots: [HostSnapshot], startAt index: Int = 0) {
        self.snapshots = snapshots
        let gaps = zip(snapshots.dropFirst(), snapshots).map { $0.time - $1.time }.filter { $0 > 0 }.sorted()
        step = gaps.isEmpty ? 1 : min(60, max(0.05, gaps[gaps.count / 2]))
        control.withLock { $0.index = max(0, min(index, snapshots.count)) }
    }

    var isLive: Bool { false }

    func next(time: Double, wallClock: Double) -> HostSnapshot? {
        control.withLock { c -> HostSnapshot? in
            guard !c.paused, c.index < snapshots.count else { return nil }
            defer { c.index += 1 }
            return snapshots[c.index]
        }
    }

    var paused: Bool {
        get { control.withLock { $0.paused } }
        set { control.withLock { $0.paused = newValue } }
    }

    /// The index of the next tick to play.
    var position: Int { control.withLock { $0.index } }

    /// Moves to `index`; returns the ticks before it that the store must hold again.
    func seek(to index: Int, history: Int) -> ArraySlice<HostSnapshot> {
        let target = max(0, min(index, snapshots.count))
        control.withLock { $0.index = target }
        return snapshots[max(0, target - history)..<target]
    }
}
