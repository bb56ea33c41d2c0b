import WatchbillCore
import WatchbillFleet
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
