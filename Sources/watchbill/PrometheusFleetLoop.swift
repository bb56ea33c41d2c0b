import CTermGuard
import Dispatch
import Logging
import Synchronization
import WatchbillCore
import WatchbillFleet
import WatchbillScreen

/// The fleet from Prometheus (`--prometheus URL --fleet-from-prometheus`): every refresh, the
/// seven column queries and the CPU history in one batch of GETs on its own thread. A query
/// that fails empties its column and says why; Prometheus down takes every host's figures.
final class PrometheusFleetLoop: FleetSource {
    let interval: Double
    let source: String
    var opensHosts: Bool { false }
    private struct Shared {
        var hosts: [PrometheusFleet.Host] = []
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
                        switch result {
                        case .failed(let why): throw PrometheusAPI.Failure(description: why)
                        case .body(let bytes): answers.append(try PrometheusAPI.vector(bytes))
                        }
                    } catch {
                        answers.append([])
                        problems.append("\(column): \(error)")
                    }
                }
                var history: [PrometheusAPI.Series] = []
                if case .body(let bytes) = results.last { history = (try? PrometheusAPI.matrix(bytes)) ?? [] }
                let hosts = fleet.hosts(answers, cpuHistory: history)
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
            let age = s.lastGood.map { max(0, now - $0) }
            return s.hosts.map { h in
                let status: FleetRow.Status = s.problem?.hasPrefix("up: ") == true ? .down("prometheus: \(s.problem!)")
                    : h.up ? .up : .down("prometheus says up = 0")
                return FleetRow(id: h.instance, name: h.name, status: status, cpu: h.cpu, memory: h.memory, worstDisk: h.worstDisk,
                                rx: h.rx, tx: h.tx, alerts: nil,
                                cpuHistory: GraphData(values: h.cpuHistory, endIndex: h.cpuHistory.count), age: age)
            }
        }
    }

    func dashboardData(_ id: String, points: Int) -> DashboardData? { nil }

    func stop() {
        stopping.withLock { $0 = true }
        doorbell.ring()
        _ = finished.wait(timeout: .now() + .seconds(12))
    }
}
