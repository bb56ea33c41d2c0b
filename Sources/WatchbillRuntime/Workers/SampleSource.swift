import Synchronization
import WatchbillCollectors
import WatchbillCore
import WatchbillIncidents
import WatchbillRecording
import WatchbillScreen

/// Where the collection thread's ticks come from: this host, or a recording.
public protocol SampleSource {
    /// The next tick, or nil for none now (a paused or finished replay).
    mutating func next(time: Double, wallClock: Double) -> HostSnapshot?
    /// Whether the process table may be read: only for the live host.
    var isLive: Bool { get }
    /// The probed targets a recording holds (the live host's probes run on their own thread).
    var probeSpecs: [ProbeSpec] { get }
    /// Recorded probe results up to `wallClock` not handed over yet, in order.
    func probeResults(through wallClock: Double) -> [ProbeResult]
}

extension HostCollector: SampleSource {
    public mutating func next(time: Double, wallClock: Double) -> HostSnapshot? { sample(time: time, wallClock: wallClock) }
    public var isLive: Bool { true }
    public var probeSpecs: [ProbeSpec] { [] }
    public func probeResults(through wallClock: Double) -> [ProbeResult] { [] }
}

extension RecordedEvents {
    /// Alerts that started firing and incident entries, for the graphs and the time bar.
    public var marks: [TimelineMark] {
        let fired = alerts.filter { $0.to == "firing" }.map {
            TimelineMark(wallClock: $0.wallClock, kind: .alert(paging: Severity(label: $0.severity).pages))
        }
        return (fired + incidents.map { TimelineMark(wallClock: $0.at, kind: .incident) }).sorted { $0.wallClock < $1.wallClock }
    }
}

/// A recording's ticks, one per collection tick (the collection interval sets the speed),
/// with pause and seek driven from the UI thread. The ticks stay in the files and are read
/// and decoded as they play: a recording larger than memory replays in the memory of its
/// index.
public final class ReplaySource: SampleSource, @unchecked Sendable {
    private let recording: RecordingSet
    /// Each tick's wall-clock time, for `--at`, the header and the time bar.
    public let wallClocks: [Double]
    public let events: RecordedEvents
    /// The alerts that fired and the incident entries, for the time bar and the graphs.
    public let marks: [TimelineMark]
    public let probeSpecs: [ProbeSpec]
    /// The recording's own interval (the median gap), the length of one tick at 1x.
    public let step: Double
    private struct Control {
        var index = 0
        var paused = false
        /// The first probe result not handed over yet.
        var probeIndex = 0
    }
    private let control = Mutex(Control())

    public init(_ recording: RecordingSet, startAt index: Int = 0) {
        self.recording = recording
        wallClocks = recording.ticks.map(\.wallClock)
        events = recording.events
        marks = recording.events.marks
        probeSpecs = events.probes.map(\.spec)
        let times = recording.ticks.map(\.time)
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }.filter { $0 > 0 }.sorted()
        step = gaps.isEmpty ? 1 : min(60, max(0.05, gaps[gaps.count / 2]))
        control.withLock { $0.index = max(0, min(index, recording.ticks.count)) }
    }

    public var count: Int { wallClocks.count }
    public var isLive: Bool { false }

    public func snapshot(_ i: Int) -> HostSnapshot? { recording.snapshot(i) }

    public func next(time: Double, wallClock: Double) -> HostSnapshot? {
        let i = control.withLock { c -> Int? in
            guard !c.paused, c.index < count else { return nil }
            defer { c.index += 1 }
            return c.index
        }
        return i.flatMap(snapshot)
    }

    public var paused: Bool {
        get { control.withLock { $0.paused } }
        set { control.withLock { $0.paused = newValue } }
    }

    /// The index of the next tick to play: the one on screen, counted from 1.
    public var position: Int { control.withLock { $0.index } }

    public func probeResults(through wallClock: Double) -> [ProbeResult] {
        let results = events.probeResults
        let range = control.withLock { c -> Range<Int> in
            let from = c.probeIndex
            while c.probeIndex < results.count && results[c.probeIndex].time <= wallClock { c.probeIndex += 1 }
            return from..<c.probeIndex
        }
        return Array(results[range])
    }

    /// Shows tick `index` (clamped to the recording): returns it with the ticks before it
    /// that the store must hold again, and the probe results up to it (all of them: the SLO
    /// counts span the recording). The next tick played is the one after it.
    public func seek(to index: Int, history: Int) -> (ticks: [HostSnapshot], probeResults: [ProbeResult]) {
        guard count > 0 else { return ([], []) }
        let shown = max(0, min(index, count - 1))
        let until = wallClocks[shown]
        let results = events.probeResults
        var done = 0
        while done < results.count && results[done].time <= until { done += 1 }
        control.withLock {
            $0.index = shown + 1
            $0.probeIndex = done
        }
        return ((max(0, shown + 1 - history)...shown).compactMap(snapshot), Array(results[0..<done]))
    }
}
