import Logging
import Synchronization
import WatchbillCore
import WatchbillFleet

/// Service latency from Prometheus (`fleet: latency:` in the config): every histogram's
/// percentiles, request rate and half-hour p95 in one batch of GETs each interval, on its
/// own thread. When Prometheus does not answer, the last rows stay and the pane says why.
public final class ServiceLatencyLoop: Sendable {
    private struct Shared {
        var rows: [ServiceLatency] = []
        var problem: String?
        var generation = 0
    }
    private let shared = Mutex(Shared())
    private let worker: Mutex<PeriodicWorker?> = Mutex(nil)

    public init(base: String, specs: [LatencyHistogramSpec], interval: Double, headers: [Header], fetcher: HTTPFetcher,
                wakeUp: any WakeUp, log: Logger) {
        let latency = PrometheusLatency(specs)
        let timeout = max(0.5, min(10, interval * 0.8))
        let problemLog = Mutex(ProblemMemory())
        let worker = PeriodicWorker(label: "watchbill.service-latency", every: interval, wakeUp: wakeUp) { [self] in
            let (rows, problem) = Self.round(latency, base: base, now: Clock.wall(), headers: headers, timeout: timeout, fetcher: fetcher)
            shared.withLock { s in
                if let rows { s.rows = rows }
                s.problem = problem
                s.generation += 1
            }
            switch problemLog.withLock({ $0.note("prometheus", problem: problem) }) {
            case .failing(_, let cause)?: log.warning("latency from prometheus: \(cause)")
            case .recovered?: log.notice("latency from prometheus: answering again")
            case nil: break
            }
        }
        self.worker.withLock { $0 = worker }
    }

    /// One refresh: the rows (nil when nothing answered: keep the last ones) and what failed.
    public static func round(_ latency: PrometheusLatency, base: String, now: Double, headers: [Header], timeout: Double,
                             fetcher: HTTPFetcher) -> (rows: [ServiceLatency]?, problem: String?) {
        let end = now.rounded(.down)
        let start = end - PrometheusLatency.historySpan + PrometheusLatency.historyStep
        func request(_ path: String) -> FetchRequest {
            FetchRequest(url: base + path, headers: headers, timeout: timeout, accept: "application/json")
        }
        let instant = latency.queries.map { request(PrometheusAPI.queryPath($0)) }
        let ranges = latency.historyQueries.map {
            request(PrometheusAPI.rangePath($0, start: start, end: end, step: PrometheusLatency.historyStep))
        }
        let results = fetcher.fetch(instant + ranges)
        var answers: [[PrometheusAPI.Sample]] = [], problems: [String] = []
        for result in results.prefix(instant.count) {
            do {
                answers.append(try PrometheusAPI.vector(result))
            } catch {
                answers.append([])
                if !problems.contains(error.description) { problems.append(error.description) }
            }
        }
        var history: [[PrometheusAPI.Series]] = []
        for result in results.dropFirst(instant.count) {
            do {
                history.append(try PrometheusAPI.matrix(result))
            } catch {
                history.append([])
                if !problems.contains("history: \(error)") { problems.append("history: \(error)") }
            }
        }
        let problem = problems.isEmpty ? nil : problems.joined(separator: "; ")
        if problems.count > 0 && answers.allSatisfy(\.isEmpty) { return (nil, problem) }
        return (latency.rows(answers, history: history, historyEnd: end), problem)
    }

    /// The rows and the last problem, when they moved on since `seen`.
    public func latest(since seen: inout Int) -> (rows: [ServiceLatency], problem: String?)? {
        shared.withLock { s in
            guard s.generation != seen else { return nil }
            seen = s.generation
            return (s.rows, s.problem)
        }
    }

    public func stop() { worker.withLock { $0 }?.stop() }
}
