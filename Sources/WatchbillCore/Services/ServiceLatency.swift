/// A service's latency histogram in Prometheus, as the config's `fleet: latency:` names it:
/// the percentiles are `histogram_quantile` over its buckets' rate.
public struct LatencyHistogramSpec: Sendable, Equatable {
    /// The row's name (`api`).
    public var name: String
    /// The histogram's metric name without `_bucket` (`http_request_duration_seconds`).
    public var histogram: String
    /// Label matchers inside the braces (`job="api", code!~"5.."`); empty for none.
    public var match: String
    /// Labels that split it into a row each (`[instance]`); empty for one row.
    public var by: [String]
    /// The rate window in whole seconds (300: `[5m]`).
    public var window: Int
    /// P95 at or over this many seconds is SLOW (the SLA's 500 ms unless told).
    public var threshold: Double

    public init(name: String, histogram: String, match: String = "", by: [String] = [], window: Int = 300,
                threshold: Double = SLOTargets.sla.latencyThreshold) {
        self.name = name
        self.histogram = histogram
        self.match = match
        self.by = by
        self.window = window
        self.threshold = threshold
    }
}

/// One row of service latency: percentiles over the window, the request rate, and the p95
/// over the last half hour.
public struct ServiceLatency: Sendable, Equatable {
    public enum State: String, Sendable {
        /// p95 under the threshold.
        case ok = "OK"
        /// p95 at or over it.
        case slow = "SLOW"
        /// Series exist, but no request in the window: no percentile to speak of.
        case idle = "idle"
        /// No percentile although there are requests, or no series at all: a wrong name or
        /// matcher, a summary rather than a histogram, or nothing scraped yet.
        case noData = "no data"
    }

    public var name: String
    public var p50: Double?
    public var p95: Double?
    public var p99: Double?
    public var requestsPerSecond: Double?
    public var threshold: Double
    /// Oldest first; nil where there was no answer.
    public var p95History: [Double?]

    public init(name: String, p50: Double? = nil, p95: Double? = nil, p99: Double? = nil, requestsPerSecond: Double? = nil,
                threshold: Double, p95History: [Double?] = []) {
        self.name = name
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.requestsPerSecond = requestsPerSecond
        self.threshold = threshold
        self.p95History = p95History
    }

    public var state: State {
        if let p95 { return p95 < threshold ? .ok : .slow }
        return requestsPerSecond == 0 ? .idle : .noData
    }
}
