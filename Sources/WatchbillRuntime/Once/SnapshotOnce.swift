import WatchbillCollectors
import WatchbillCore
import WatchbillDomain
import WatchbillProbes

/// This host once (`--once`, `--format json`, a pipe): two samples an interval apart (rates
/// need two); with probes, each runs once while the second sample waits.
public enum SnapshotOnce {
    public static func take(root: ProcRoot, filter: DeviceFilter, probes specs: [ProbeSpec], interval: Double) throws
        -> (snapshot: HostSnapshot, probes: [[ProbeSummary]]) {
        var collector = HostCollector(root: root, filter: filter)
        _ = collector.sample(time: Clock.monotonic(), wallClock: Clock.wall())
        let started = Clock.monotonic()
        var summaries: [[ProbeSummary]] = []
        if !specs.isEmpty {
            // The budget and burn rates include what a running dashboard saved.
            let book = ProbeLoop.SharedBook(ProbeLoop.restoredBook(specs: specs, log: nil))
            try ProbeRunner(specs: specs) { r in book.book.withLock { $0.record(r) } }.runOnce()
            let now = Clock.wall()
            summaries = book.book.withLock { b in
                specs.indices.map { i in LatencyWindow.allCases.map { b.summary(i, at: now, window: $0) } }
            }
        }
        Clock.sleep(seconds: max(0, interval - (Clock.monotonic() - started)))
        return (collector.sample(time: Clock.monotonic(), wallClock: Clock.wall()), summaries)
    }
}
