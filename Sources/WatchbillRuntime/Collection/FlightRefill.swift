import WatchbillCore
import WatchbillRecording

/// What a restarted dashboard takes back from the flight recorder: the last minutes of
/// samples and probe results, so graphs go on where they stopped and the rules' windows
/// are full at once (a burn rate is there at the first evaluation, not an hour later).
public struct FlightRefill: Sendable {
    /// Oldest first, their monotonic times moved onto this boot's clock (through the wall
    /// clock: the recorder's may come from before a reboot).
    public var ticks: [HostSnapshot] = []
    /// Renumbered to this run's probes (matched by name); results of probes no longer
    /// configured are left out.
    public var probeResults: [ProbeResult] = []
    /// `path: why` for a part that ended early; what came before is still used.
    public var problems: [String] = []

    public init() {}

    /// The recording's last `span` seconds before `wallNow`, for `specs`.
    public init(_ recording: RecordingSet, span: Double, wallNow: Double, monotonicNow: Double, specs: [ProbeSpec]) {
        problems = recording.problems
        let from = wallNow - span
        let offset = monotonicNow - wallNow
        for i in recording.ticks.indices where recording.ticks[i].wallClock >= from && recording.ticks[i].wallClock <= wallNow {
            guard var snap = recording.snapshot(i) else { continue }
            snap.time = snap.wallClock + offset
            // Out of order (a clock stepped back): the store takes time forward only.
            if let last = ticks.last, snap.time <= last.time { continue }
            ticks.append(snap)
        }
        let index = Dictionary(specs.enumerated().map { ($0.element.name, $0.offset) }, uniquingKeysWith: { a, _ in a })
        let recorded = recording.events.probes.map(\.name)
        for var r in recording.events.probeResults where r.time >= from && r.time <= wallNow {
            guard recorded.indices.contains(r.probe), let now = index[recorded[r.probe]] else { continue }
            r.probe = now
            probeResults.append(r)
        }
    }
}
