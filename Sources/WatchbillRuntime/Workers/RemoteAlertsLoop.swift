import Logging
import Synchronization
import WatchbillCore
import WatchbillFleet
import WatchbillRules
import WatchbillScreen

/// Reads the alerts Prometheus and Alertmanager hold (`--prometheus`, `--alertmanager`)
/// every `interval` on its own thread, all sources at once; a source that fails says why,
/// and its last alerts are dropped rather than shown as if current.
public final class RemoteAlertsLoop: Sendable {
    public struct Source: Sendable {
        public var origin: AlertOrigin
        public var request: FetchRequest
    }

    public struct Shared {
        public var alerts: [RemoteAlert] = []
        /// `alertmanager 127.0.0.1:9093: refused`, per failing source.
        public var problems: [String] = []
        public var generation = 0
    }

    public let shared = Mutex(Shared())
    private let worker: Mutex<PeriodicWorker?> = Mutex(nil)

    /// A base URL (`http://host:9090`) as the API's address and a name for the screen.
    public static func source(_ system: AlertOrigin.System, _ base: String, headers: [Header], timeout: Double) -> Source? {
        guard let (root, instance) = apiBase(base) else { return nil }
        let path = system == .prometheus ? "/api/v1/alerts" : "/api/v2/alerts"
        return Source(origin: AlertOrigin(system, instance),
                      request: FetchRequest(url: root + path, headers: headers, timeout: timeout, accept: "application/json"))
    }

    /// `host:port` or a URL as an API's base (`http://host:port`, no trailing slash) and
    /// the name it goes by on screen.
    public static func apiBase(_ text: String) -> (base: String, instance: String)? {
        guard let target = FleetTarget(text) else { return nil }
        var root = target.url
        // FleetTarget gives exporters a /metrics path; an API's base has none.
        if root.hasSuffix("/metrics") && !text.hasSuffix("/metrics") { root.removeLast("/metrics".count) }
        while root.hasSuffix("/") { root.removeLast() }
        return (root, target.instance)
    }

    public init(sources: [Source], interval: Double, fetcher: HTTPFetcher, wakeUp: any WakeUp, log: Logger) {
        let problemLog = Mutex(ProblemMemory())
        let worker = PeriodicWorker(label: "watchbill.remote-alerts", every: interval, wakeUp: wakeUp) { [self] in
            let results = fetcher.fetch(sources.map(\.request))
            var alerts: [RemoteAlert] = [], problems: [String] = [], bySource: [String: String] = [:]
            for (source, result) in zip(sources, results) {
                do {
                    switch result {
                    case .failed(let why): throw RemoteAlertsReader.Failure(description: why)
                    case .body(let bytes, _):
                        alerts += source.origin.system == .prometheus
                            ? try RemoteAlertsReader.prometheus(bytes, source: source.origin)
                            : try RemoteAlertsReader.alertmanager(bytes, source: source.origin)
                    }
                } catch {
                    problems.append("\(source.origin): \(error)")
                    bySource[source.origin.description] = "\(error)"
                }
            }
            for change in problemLog.withLock({ $0.update(bySource) }) {
                switch change {
                case .failing(let source, let cause): log.warning("\(source): \(cause)")
                case .recovered(let source): log.notice("\(source): answering again")
                }
            }
            shared.withLock { s in
                s.alerts = alerts
                s.problems = problems
                s.generation += 1
            }
        }
        self.worker.withLock { $0 = worker }
    }

    public func stop() { worker.withLock { $0 }?.stop() }
}
