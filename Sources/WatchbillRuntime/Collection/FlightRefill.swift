import WatchbillCore
import WatchbillRecording

/// What a restarted dashboard takes back from the flight recorder: the last minutes of
/// samples and probe results, so graphs go on where they stopped and the rules' windows
/// are full at once (a burn rate is there at the first evaluation, not an hour later).
public struct FlightRefill: Sendable {
    private var recording: RecordingSet?
    /// The recording's ticks taken back, oldest first; decoded one at a time when applied,
    /// so a quarter of an hour of samples is never in memory twice.
    private var tickIndexes: [Int] = []
    /// From the recorder's monotonic clock to this boot's (through the wall clock: the
    /// recording may come from before a reboot).
    private var offset = 0.0
    public var tickCount: Int { tickIndexes.count }
    /// Renumbered to this run's probes (matched by name); results of probes no longer
    /// configured are left out.
    public var probeResults: [ProbeResult] = []
    /// `path: why` for a part that ended early; what came before is still used.
    public var problems: [String] = []

    public init() {}

    /// The recording's last `span` seconds before `wallNow`, for `specs`.
    public init(_ recording: RecordingSet, span: Double, wallNow: Double, monotonicNow: Double, specs: [ProbeSpec]) {
        self.recording = recording
        problems = recording.problems
        let from = wallNow - span
        offset = monotonicNow - wallNow
        var last = -Double.infinity
        for (i, tick) in recording.ticks.enumerated() where tick.wallClock >= from && tick.wallClock <= wallNow {
            // Out of order (a clock stepped back): the store takes time forward only.
            guard tick.wallClock > last else { continue }
            last = tick.wallClock
            tickIndexes.append(i)
        }
        let index = Dictionary(specs.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let recorded = recording.events.probes.map(\.name)
        for var r in recording.events.probeResults where r.time >= from && r.time <= wallNow {
            guard recorded.indices.contains(r.probe), let now = index[recorded[r.probe]] else { continue }
            r.probe = now
            probeResults.append(r)
        }
    }

    /// The first and last tick's wall clock, for the log.
    public var span: (first: Double, last: Double)? {
        guard let recording, let first = tickIndexes.first, let last = tickIndexes.last else { return nil }
        return (recording.ticks[first].wallClock, recording.ticks[last].wallClock)
    }

    /// Each tick taken back, oldest first, on this boot's clock; a tick that no longer reads
    /// (the file changed under us) is skipped.
    public func forEachTick(_ body: (HostSnapshot) -> Void) {
        guard let recording else { return }
        for i in tickIndexes {
            guard var snap = recording.snapshot(i) else { continue }
            snap.time = snap.wallClock + offset
            body(snap)
        }
    }
}
