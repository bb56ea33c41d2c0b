import WatchbillCollectors
import WatchbillCore
import WatchbillDomain
import WatchbillFleet
import WatchbillProbes
import WatchbillScreen

/// The fleet table once, for scripts (`--once` with `--node` or `--prometheus`).
public enum FleetOnce {
    /// Every node_exporter scraped twice, `interval` apart (rates need two).
    public static func scrape(_ targets: [FleetTarget], headers: [Header], interval: Double, fetcher: HTTPFetcher) -> [FleetRow] {
        var fleet = Fleet(targets: targets, history: 60, interval: interval)
        let requests = targets.map { FetchRequest(url: $0.url, headers: headers, timeout: 5) }
        for round in 0..<2 {
            if round == 1 { Clock.sleep(seconds: interval) }
            let started = Clock.monotonic()
            let results = fetcher.fetch(requests)
            fleet.update(results, time: Clock.monotonic(), wallClock: Clock.wall(), seconds: Clock.monotonic() - started)
        }
        let now = Clock.wall()
        return fleet.hosts.map { NodeExporterRows.row($0, now: now, points: 0) }
    }

    /// One round of Prometheus' queries for `job`.
    public static func prometheus(base: String, job: String, interval: Double, headers: [Header], fetcher: HTTPFetcher)
        -> PrometheusFleetRound {
        let fleet = PrometheusFleet(job: job)
        return PrometheusFleetRound(fleet, answers: fetcher.fetch(PrometheusFleetRound.requests(
            fleet, base: base, interval: interval, now: Clock.wall(), headers: headers, timeout: 10)))
    }
}

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
