import WatchbillExposition

/// What `watchbill agent` answers: `/metrics` (behind the bearer token when there is one)
/// and `/healthz`.
public struct AgentRoutes: Sendable {
    let collector: CollectionLoop
    let histograms: ProbeHistograms?
    let token: String?
    let interval: Double
    let version: String
    let started = Clock.monotonic()

    public init(collector: CollectionLoop, histograms: ProbeHistograms?, token: String?, interval: Double, version: String) {
        self.collector = collector
        self.histograms = histograms
        self.token = token
        self.interval = interval
        self.version = version
    }

    public func answer(_ request: HTTPRequest) -> HTTPResponse {
        switch (request.method, request.path) {
        case ("GET", "/metrics"), ("HEAD", "/metrics"):
            if let token, request.headers["authorization"] != "Bearer \(token)" {
                return HTTPResponse(status: 401, text: "unauthorized\n", headers: [("WWW-Authenticate", "Bearer realm=\"watchbill\"")])
            }
            let now = Clock.wall()
            let (metrics, alerts, scrape) = collector.read { s in
                (s.engine.seriesSource(over: s.metrics), s.engine.alerts.map(\.alert), s.scrapeLabels(s.latest?.host.hostname ?? ""))
            }
            let body = ExpositionWriter.render(AgentMetrics.families(metrics: metrics, alerts: alerts, probes: histograms,
                                                                     version: version, now: now, scrapeLabels: scrape))
            return HTTPResponse(status: 200, headers: [("Content-Type", ExpositionWriter.contentType)], body: Array(body.utf8))
        case ("GET", "/healthz"), ("HEAD", "/healthz"):
            // Healthy while samples keep coming: a collector stuck in the kernel is not.
            let age = collector.read { s in s.latest.map { Clock.monotonic() - $0.time } } ?? (Clock.monotonic() - started)
            let fresh = age <= max(3 * interval, 10)
            return HTTPResponse(status: fresh ? 200 : 503, text: fresh ? "ok\n" : "stale: no sample for \(Int(age)) s\n")
        case (_, "/metrics"), (_, "/healthz"):
            return HTTPResponse(status: 405, text: "\(request.method.prefix(16)) is not served here\n", headers: [("Allow", "GET, HEAD")])
        default:
            return HTTPResponse(status: 404, text: "not found: /metrics and /healthz are served\n")
        }
    }
}
