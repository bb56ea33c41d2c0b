import CTermGuard
import Dispatch
import Logging
import Synchronization
import WatchbillCore
import WatchbillFleet
import WatchbillScreen

/// The fleet from Prometheus (`--prometheus URL --fleet-from-prometheus`): every refresh, the
/// seven column queries and the CPU history in one batch of GETs on its own thread. A query
/// that fails empties its column and says why. When Prometheus does not answer, every host
/// keeps its last figures, STALE: the hosts may be fine, it is the source that is not.
final class PrometheusFleetLoop: FleetSource {
    let interval: Double
    let source: String
    var opensHosts: Bool { true }
    private struct Shared {
        var hosts: [PrometheusFleet.Host] = []
        /// The host the screen has open, how many points its graphs want, and its panes.
        var opened: (id: String, points: Int)?
        var openedData: (id: String, data: DashboardData)?
        /// Why the last refresh lacked something (`cpu: timeout`), or Prometheus is down.
        var problem: String?
        var generation = 0
        var lastGood: Double?
    }
    private let shared = Mutex(Shared())
    private let stopping = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)
    private let doorbell = Doorbell()

    init(base: String, instance: String, job: String, interval: Double, headers: [Header], fetcher: HTTPFetcher, log: Logger) {
        self.interval = interval
        source = "prometheus \(instance) job \(job)"
        let fleet = PrometheusFleet(job: job)
        let timeout = max(0.5, min(10, interval * 0.8))
        DispatchQueue(label: "watchbill.prometheus-fleet").async { [self] in
            CTermGuard_blockSignalsInThisThread()
            CTermGuard_prepareThread()
            var failing = false
            while !stopping.withLock({ $0 }) {
                let now = Clock.wall()
                let (hosts, problems) = PrometheusFleetLoop.round(fleet, base: base, interval: interval, now: now, headers: headers,
                                                                  timeout: timeout, fetcher: fetcher)
                // The opened host's panes: its own queries, in the same round.
                if let (id, points) = shared.withLock({ $0.opened }) {
                    let data = PrometheusFleetLoop.hostData(id, job: job, base: base, points: points, interval: interval, now: now,
                                                           headers: headers, timeout: timeout, fetcher: fetcher)
                    shared.withLock { $0.openedData = (id, data) }
                }
                let down = problems.first { $0.hasPrefix("up: ") }
                shared.withLock { s in
                    // Without `up` there is no fleet: keep the last one, marked by the problem.
                    if down == nil { s.hosts = hosts }
                    s.problem = problems.isEmpty ? nil : problems.joined(separator: "; ")
                    if down == nil { s.lastGood = now }
                    s.generation += 1
                }
                if !problems.isEmpty && !failing { log.warning("\(source): \(problems.joined(separator: "; "))") }
                if problems.isEmpty && failing { log.notice("\(source): answering again") }
                failing = !problems.isEmpty
                CTermGuard_wake()
                _ = doorbell.wait(timeoutMs: Int32(interval * 1000))
            }
            finished.signal()
        }
    }

    func rows(now: Double, points: Int, since seen: inout Int) -> [FleetRow]? {
        shared.withLock { s -> [FleetRow]? in
            guard s.generation != seen else { return nil }
            seen = s.generation
            return PrometheusFleetLoop.rows(s.hosts, problem: s.problem, age: s.lastGood.map { max(0, now - $0) })
        }
    }

    /// One refresh: the column queries and the CPU history in one batch, made into hosts,
    /// with what failed (`cpu: timeout`).
    static func round(_ fleet: PrometheusFleet, base: String, interval: Double, now: Double, headers: [Header], timeout: Double,
                      fetcher: HTTPFetcher) -> (hosts: [PrometheusFleet.Host], problems: [String]) {
        // Two minutes of CPU at the refresh step: the sparkline's 24 cells.
        let range = PrometheusAPI.rangePath(fleet.cpuHistoryQuery, start: (now - interval * 24).rounded(.down),
                                            end: now.rounded(.down), step: interval)
        let requests = fleet.queries.map { FetchRequest(url: base + PrometheusAPI.queryPath($0), headers: headers,
                                                         timeout: timeout, accept: "application/json") }
            + [FetchRequest(url: base + range, headers: headers, timeout: timeout, accept: "application/json")]
        let results = fetcher.fetch(requests)
        var answers: [[PrometheusAPI.Sample]] = [], problems: [String] = []
        for (column, result) in zip(PrometheusFleet.Column.allCases, results) {
            do {
                answers.append(try PrometheusAPI.vector(result))
            } catch {
                answers.append([])
                problems.append("\(column): \(error)")
            }
        }
        let history = results.last.flatMap { try? PrometheusAPI.matrix($0) } ?? []
        return (fleet.hosts(answers, cpuHistory: history), problems)
    }

    /// Hosts as the table's rows; `problem` from the round that made them.
    static func rows(_ hosts: [PrometheusFleet.Host], problem: String?, age: Double?) -> [FleetRow] {
        hosts.map { h in
            // Prometheus out: what was up is STALE (it may be fine), what was down stays DOWN.
            let status: FleetRow.Status = !h.up ? .down("prometheus says up = 0")
                : problem?.hasPrefix("up: ") == true ? .stale("prometheus: \(problem!)") : .up
            return FleetRow(id: h.instance, name: h.name, status: status, cpu: h.cpu, memory: h.memory, worstDisk: h.worstDisk,
                            rx: h.rx, tx: h.tx, alerts: nil,
                            cpuHistory: GraphData(values: h.cpuHistory, endIndex: h.cpuHistory.count), age: age)
        }
    }

    func dashboardData(_ id: String, points: Int) -> DashboardData? {
        shared.withLock { s in s.openedData.flatMap { $0.id == id ? $0.data : nil } }
    }

    func open(_ id: String?, points: Int) {
        let changed = shared.withLock { s -> Bool in
            let before = s.opened
            s.opened = id.map { ($0, points) }
            if id == nil { s.openedData = nil }
            return before?.id != id || before?.points != points
        }
        // A newly opened host is queried at once, not at the next round.
        if changed && id != nil { doorbell.ring() }
    }

    /// One host's snapshot and graphs, from its instant and range queries.
    static func hostData(_ id: String, job: String, base: String, points: Int, interval: Double, now: Double, headers: [Header],
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
            return GraphData(values: series.points.map(\.v), endIndex: Int((series.points.last?.t ?? 0) / interval) + 1)
        }
        var snap = host.snapshot(answers, time: now, wallClock: now)
        if answers.allSatisfy(\.isEmpty) { snap.problems.append("prometheus: no answer for \(id)") }
        func graph(_ i: Int) -> GraphData { i < graphs.count ? graphs[i] : .empty }
        return DashboardData(snapshot: snap, cpu: graph(0), memory: graph(1), networkRx: graph(2), networkTx: graph(3))
    }

    func stop() {
        stopping.withLock { $0 = true }
        doorbell.ring()
        _ = finished.wait(timeout: .now() + .seconds(12))
    }
}
