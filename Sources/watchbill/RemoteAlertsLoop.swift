import CTermGuard
import Dispatch
import Logging
import Synchronization
import WatchbillCore
import WatchbillFleet
import WatchbillRules
import WatchbillScreen

/// Reads the alerts Prometheus and Alertmanager hold (`--prometheus`, `--alertmanager`)
/// every `interval` on its own thread, all sources at once; a source that fails says why,
/// and its last alerts are dropped rather than shown as if current.
final class RemoteAlertsLoop: Sendable {
    struct Source: Sendable {
        enum Kind: Sendable { case prometheus, alertmanager }
        var kind: Kind
        /// `prometheus 127.0.0.1:9090`.
        var name: String
        var request: FetchRequest
    }

    struct Shared {
        var alerts: [RemoteAlert] = []
        /// `alertmanager 127.0.0.1:9093: refused`, per failing source.
        var problems: [String] = []
        var generation = 0
    }

    let shared = Mutex(Shared())
    private let stopping = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)
    private let doorbell = Doorbell()

    /// A base URL (`http://host:9090`) as the API's address and a name for the screen.
    static func source(_ kind: Source.Kind, _ base: String, headers: [Header], timeout: Double) -> Source? {
        guard let (root, instance) = apiBase(base) else { return nil }
        let path = kind == .prometheus ? "/api/v1/alerts" : "/api/v2/alerts"
        return Source(kind: kind, name: (kind == .prometheus ? "prometheus " : "alertmanager ") + instance,
                      request: FetchRequest(url: root + path, headers: headers, timeout: timeout, accept: "application/json"))
    }

    /// `host:port` or a URL as an API's base (`http://host:port`, no trailing slash) and
    /// the name it goes by on screen.
    static func apiBase(_ text: String) -> (base: String, instance: String)? {
        guard let target = FleetTarget(text) else { return nil }
        var root = target.url
        // FleetTarget gives exporters a /metrics path; an API's base has none.
        if root.hasSuffix("/metrics") && !text.hasSuffix("/metrics") { root.removeLast("/metrics".count) }
        while root.hasSuffix("/") { root.removeLast() }
        return (root, target.instance)
    }

    init(sources: [Source], interval: Double, fetcher: HTTPFetcher, log: Logger) {
        DispatchQueue(label: "watchbill.remote-alerts").async { [self] in
            CTermGuard_blockSignalsInThisThread()
            CTermGuard_prepareThread()
            var failing: Set<String> = []
            while !stopping.withLock({ $0 }) {
                let results = fetcher.fetch(sources.map(\.request))
                var alerts: [RemoteAlert] = [], problems: [String] = []
                for (source, result) in zip(sources, results) {
                    do {
                        switch result {
                        case .failed(let why): throw RemoteAlertsReader.Failure(description: why)
                        case .body(let bytes):
                            alerts += source.kind == .prometheus
                                ? try RemoteAlertsReader.prometheus(bytes, source: source.name)
                                : try RemoteAlertsReader.alertmanager(bytes, source: source.name)
                        }
                        if failing.remove(source.name) != nil { log.notice("\(source.name): answering again") }
                    } catch {
                        problems.append("\(source.name): \(error)")
                        if failing.insert(source.name).inserted { log.warning("\(source.name): \(error)") }
                    }
                }
                shared.withLock { s in
                    s.alerts = alerts
                    s.problems = problems
                    s.generation += 1
                }
                CTermGuard_wake()
                _ = doorbell.wait(timeoutMs: Int32(interval * 1000))
            }
            finished.signal()
        }
    }

    /// The remote alerts as the Alerts pane lists them. An alert both systems hold is shown
    /// once, Alertmanager's copy, which knows about its silences.
    static func items(_ alerts: [RemoteAlert], actions: AlertActions, at now: Double) -> [AlertItem] {
        let managed = Set(alerts.filter { $0.source.hasPrefix("alertmanager") }.map(\.labels))
        return alerts.filter { $0.source.hasPrefix("alertmanager") || !managed.contains($0.labels) }.map { a in
            AlertItem(origin: a.source, labels: a.labels, annotations: a.annotations, phase: a.state == .firing ? .firing : .pending,
                      activeAt: a.activeAt ?? now, value: a.value, remoteSuppression: a.suppressedBy, actions: actions, at: now)
        }
    }

    func stop() {
        stopping.withLock { $0 = true }
        doorbell.ring()
        _ = finished.wait(timeout: .now() + .seconds(12))
    }
}
