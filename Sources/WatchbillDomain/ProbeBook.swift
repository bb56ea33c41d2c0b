import DequeModule
import WatchbillCore

/// Everything known about the probed targets: latency windows, SLI counters, the last
/// result and recent failures per target. Fed by the probe runner, read by the panes and
/// the JSON snapshot through `summaries`.
public struct ProbeBook: Sendable {
    public static let recentErrorsKept = 20

    struct Target: Sendable {
        var latency = LatencyRecorder()
        var counters = SLICounters()
        var last: ProbeResult?
        var lastSuccess: ProbeResult?
        var failingSince: Double?
        var recentErrors: Deque<ProbeResult> = []
        var certificateExpiry: Double?
    }

    public let specs: [ProbeSpec]
    private var targets: [Target]

    public init(specs: [ProbeSpec]) {
        self.specs = specs
        targets = Array(repeating: Target(), count: specs.count)
    }

    /// `counting: false` for results the SLO counters already hold (refilled from the
    /// flight recorder after a restart: the counters came back from their own file).
    public mutating func record(_ r: ProbeResult, counting: Bool = true) {
        guard targets.indices.contains(r.probe) else { return }
        let spec = specs[r.probe]
        // In place: a copy of the target would copy its rings on every probe.
        targets[r.probe].last = r
        if r.succeeded {
            targets[r.probe].latency.record(r.duration, at: r.time)
            targets[r.probe].lastSuccess = r
            targets[r.probe].failingSince = nil
        } else {
            if targets[r.probe].failingSince == nil { targets[r.probe].failingSince = r.time }
            targets[r.probe].latency.recordFailure(at: r.time)
            targets[r.probe].recentErrors.append(r)
            if targets[r.probe].recentErrors.count > ProbeBook.recentErrorsKept { targets[r.probe].recentErrors.removeFirst() }
        }
        if let e = r.certificateExpiry { targets[r.probe].certificateExpiry = e }
        if counting {
            targets[r.probe].counters.record(at: r.time, good: r.succeeded, fast: r.duration < spec.slo.latencyThreshold)
        }
    }

    /// Closes slices that ended without probes (a target that stopped answering at all).
    public mutating func advance(to time: Double) {
        for i in targets.indices { targets[i].latency.advance(to: time) }
    }

    /// What the panes show for each target at `time` over `window`. `detail` adds the band
    /// history (costlier) for one target.
    public func summaries(at time: Double, window: LatencyWindow, detail: Int? = nil) -> [ProbeSummary] {
        specs.indices.map { summary($0, at: time, window: window, withBands: $0 == detail) }
    }

    public func summary(_ i: Int, at time: Double, window: LatencyWindow, withBands: Bool = false) -> ProbeSummary {
        let t = targets[i], spec = specs[i]
        let pct = t.latency.percentiles(window, at: time)
        var s = ProbeSummary(spec: spec, window: window, latency: pct,
                             slo: SLOReport(counters: t.counters, targets: spec.slo, at: time))
        s.last = t.last
        s.lastSuccess = t.lastSuccess
        s.failingSince = t.failingSince
        s.recentErrors = Array(t.recentErrors.reversed())
        s.certificateDaysLeft = t.certificateExpiry.map { ($0 - time) / 86_400 }
        s.p95History = t.latency.sliceBands(at: time).map { $0?.p95 }
        s.historyEndIndex = LatencyRecorder.slice(time) + 1
        let hour = window == .oneHour ? pct : t.latency.percentiles(.oneHour, at: time)
        s.hourP95 = hour.count > 0 ? hour.p95 : nil
        if withBands {
            s.bands = window == .oneHour ? t.latency.epochBands(at: time) : t.latency.sliceBands(at: time)
        }
        return s
    }

    /// The counters, for the state file.
    public var countersByName: [String: SLICounters] {
        Dictionary(specs.indices.map { (specs[$0].name, targets[$0].counters) }, uniquingKeysWith: { a, _ in a })
    }

    /// Puts counters saved before a restart back, for the targets still configured.
    public mutating func restore(_ saved: [String: SLICounters]) {
        for i in specs.indices {
            guard let c = saved[specs[i].name] else { continue }
            for (m, counts) in c.storedMinutes { targets[i].counters.restore(minute: m, counts) }
            for (h, counts) in c.storedHours { targets[i].counters.restore(hour: h, counts) }
        }
    }

    public var footprintBytes: Int { targets.reduce(0) { $0 + $1.latency.footprintBytes + 13_000 } }
}

/// One target as the Latency and SLO panes and the JSON snapshot see it.
public struct ProbeSummary: Sendable, Equatable {
    public var spec: ProbeSpec
    public var window: LatencyWindow
    /// Percentiles and failures over `window`.
    public var latency: LatencyPercentiles
    public var slo: SLOReport
    public var last: ProbeResult?
    public var lastSuccess: ProbeResult?
    /// When the current run of failures began (its first failed probe), nil while the newest
    /// probe succeeds: the earliest evidence an incident's "detected" moment can name.
    public var failingSince: Double?
    /// Newest first.
    public var recentErrors: [ProbeResult] = []
    public var certificateDaysLeft: Double?
    /// p95 per 10-second slice over the last five minutes, oldest first, nil for no probes.
    public var p95History: [Double?] = []
    /// The absolute slice number after the newest, so sparklines page instead of shifting.
    public var historyEndIndex = 0
    /// p95 over the last hour, for the SLO pane whatever the Latency pane's window.
    public var hourP95: Double?
    /// Percentile bands for the detail view: per slice (1m, 5m) or per 5 minutes (1h).
    public var bands: [LatencyBand?] = []

    public init(spec: ProbeSpec, window: LatencyWindow, latency: LatencyPercentiles, slo: SLOReport) {
        self.spec = spec
        self.window = window
        self.latency = latency
        self.slo = slo
    }

    /// Failed over all probes in the window, nil without probes.
    public var errorRate: Double? { latency.errorRatio }
    public var uptime: Double? { latency.errorRatio.map { 1 - $0 } }
    /// Up, down, or not probed yet, from the newest result.
    public var isUp: Bool? { last.map(\.succeeded) }
}
