import Logging
import Synchronization
import WatchbillCore
import WatchbillFleet
import WatchbillScreen

/// The fleet from Prometheus (`--prometheus URL --fleet-from-prometheus`): every refresh, the
/// seven column queries and the CPU history in one batch of GETs on its own thread. A query
/// that fails empties its column and says why. When Prometheus does not answer, every host
/// keeps its last figures, STALE: the hosts may be fine, it is the source that is not.
public final class PrometheusFleetLoop: FleetSource {
    public let interval: Double
    public let source: String
    public var opensHosts: Bool { true }
    private struct Shared {
        var hosts: [PrometheusFleet.Host] = []
        /// The host the screen has open, how many points its graphs want, and its panes.
        var opened: (id: String, points: Int)?
        var openedData: (id: String, data: DashboardData)?
        /// What the last refresh lacked (`cpu: timeout`), or that Prometheus is down (`up: ...`).
        var problems: [PrometheusFleetRound.Problem] = []
        var generation = 0
        var lastGood: Double?
    }
    private let shared = Mutex(Shared())
    private let worker: Mutex<PeriodicWorker?> = Mutex(nil)

    public init(base: String, instance: String, job: String, interval: Double, headers: [Header], fetcher: HTTPFetcher,
                wakeUp: any WakeUp, log: Logger) {
        self.interval = interval
        source = "prometheus \(instance) job \(job)"
        let fleet = PrometheusFleet(job: job)
        let timeout = max(0.5, min(10, interval * 0.8))
        let problemLog = Mutex(ProblemMemory())
        let worker = PeriodicWorker(label: "watchbill.prometheus-fleet", every: interval, wakeUp: wakeUp) { [self] in
            let now = Clock.wall()
            let round = PrometheusFleetRound(fleet, answers: fetcher.fetch(
                PrometheusFleetRound.requests(fleet, base: base, interval: interval, now: now, headers: headers, timeout: timeout)))
            // The opened host's panes: its own queries, in the same round.
            if let (id, points) = shared.withLock({ $0.opened }) {
                let data = PrometheusFleetLoop.hostData(id, job: job, base: base, points: points, interval: interval, now: now,
                                                       headers: headers, timeout: timeout, fetcher: fetcher)
                shared.withLock { $0.openedData = (id, data) }
            }
            shared.withLock { s in
                // Without `up` there is no fleet: keep the last one, marked by the problem.
                if !round.sourceDown {
                    s.hosts = round.hosts
                    s.lastGood = now
                }
                s.problems = round.problems
                s.generation += 1
            }
            switch problemLog.withLock({ $0.note(source, problem: round.problemText) }) {
            case .failing(_, let cause)?: log.warning("\(source): \(cause)")
            case .recovered?: log.notice("\(source): answering again")
            case nil: break
            }
        }
        self.worker.withLock { $0 = worker }
    }

    public func rows(now: Double, points: Int, since seen: inout Int) -> [FleetRow]? {
        shared.withLock { s -> [FleetRow]? in
            guard s.generation != seen else { return nil }
            seen = s.generation
            return PrometheusFleetRound.rows(s.hosts, problems: s.problems, age: s.lastGood.map { max(0, now - $0) })
        }
    }

    public func dashboardData(_ id: String, points: Int) -> DashboardData? {
        shared.withLock { s in s.openedData.flatMap { $0.id == id ? $0.data : nil } }
    }

    public func open(_ id: String?, points: Int) {
        let changed = shared.withLock { s -> Bool in
            let before = s.opened
            s.opened = id.map { ($0, points) }
            if id == nil { s.openedData = nil }
            return before?.id != id || before?.points != points
        }
        // A newly opened host is queried at once, not at the next round.
        if changed && id != nil { worker.withLock { $0 }?.runNow() }
    }

    /// One host's snapshot and graphs, from its instant and range queries.
    public static func hostData(_ id: String, job: String, base: String, points: Int, interval: Double, now: Double, headers: [Header],
                                timeout: Double, fetcher: HTTPFetcher) -> DashboardData {
        let host = PrometheusHost(instance: id, job: job)
        let start = (now - interval * Double(max(2, points))).rounded(.down), end = now.rounded(.down)
        let requests = host.queries.map { FetchRequest(url: base + PrometheusAPI.queryPath($0), headers: headers, timeout: timeout,
                                                        accept: "application/json") }
            + host.graphQueries.map { FetchRequest(url: base + PrometheusAPI.rangePath($0, start: start, end: end, step: interval),
                                                    headers: headers, timeout: timeout, accept: "application/json") }
        let results = fetcher.fetch(requests)
        let answers = results.prefix(host.queries.count).map { (try? PrometheusAPI.vector($0)) ?? [] }
        let graphs = results.dropFirst(host.queries.count).map { r -> GraphData in
            guard let series = (try? PrometheusAPI.matrix(r))?.first else { return .empty }
            // Times are plausible (PrometheusAPI drops the rest); the interval is at least a second.
            return GraphData(values: series.points.map(\.v), endIndex: Int(max(0, (series.points.last?.t ?? 0) / interval)) + 1)
        }
        var snap = host.snapshot(answers, time: now, wallClock: now)
        if answers.allSatisfy(\.isEmpty) { snap.problems.append("prometheus: no answer for \(id)") }
        func graph(_ i: Int) -> GraphData { i < graphs.count ? graphs[i] : .empty }
        return DashboardData(snapshot: snap, cpu: graph(0), memory: graph(1), networkRx: graph(2), networkTx: graph(3))
    }

    public func stop() { worker.withLock { $0 }?.stop() }
}
