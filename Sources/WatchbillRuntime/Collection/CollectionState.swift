import WatchbillCore
import WatchbillDomain
import WatchbillIncidents
import WatchbillRecording
import WatchbillRules
import WatchbillScreen

/// What one host's collection holds between ticks: the series the panes graph, the series
/// the rules read and the rules' state, the history a rewind shows, the people's silences
/// and acknowledgements. `tick` is the whole step of a sample, as a value: the collection
/// thread calls it under its lock with the clock's readings, and tests call it with a
/// fake clock.
public struct CollectionState: Sendable {
    public var store: SeriesStore
    public var latest: HostSnapshot?
    public var interval: Double
    /// Scan processes only while their pane is on screen: the scan is the costliest read.
    public var processesWanted = false
    public var processes: [ProcessActivity]?
    /// What alert rules read (node_exporter and blackbox_exporter names) and the rules' state.
    public var metrics: MetricStore
    public var engine: AlertEngine
    /// The rules as loaded, for starting over when a replay seeks back.
    public let initialEngine: AlertEngine
    /// Silences and acknowledgements, journaled by `AlertActionStore` before they land here.
    public var actions: AlertActions
    /// Rules whose last evaluation failed, as `group/rule: cause`.
    public var ruleFailures: [String] = []
    /// Moves on every evaluation and action, so the screen rebuilds its alert list only then.
    public var alertsGeneration = 0
    /// Whole ticks for the history's length, encoded, for rewinding every pane (`H`).
    public var history: SnapshotHistory
    /// When alerts started firing, for the graphs' marks (as long as the history).
    public var alertMarks: [TimelineMark] = []
    /// The alert list after each change, for a rewind's Alerts pane.
    public var alertTimeline: AlertTimeline
    /// A replay's marks come from the recording (what the on-call saw), not from here.
    public let marksRecorded: Bool
    /// A replay's probes: the recorded results, for the Latency and SLO panes.
    public var replayProbes: ProbeBook?
    public let probeSpecs: [ProbeSpec]
    private var burnRatesAt = -Double.infinity
    private let capacity: Int

    /// `recordedMarks`: a replay's marks, from the recording (nil: this engine's
    /// transitions). `replayProbes`: a replay's recorded targets get a book.
    public init(capacity: Int, retention: Double, interval: Double, rules: AlertEngine, actions: AlertActions,
                recordedMarks: [TimelineMark]? = nil, replayProbes specs: [ProbeSpec] = []) {
        self.capacity = capacity
        store = SeriesStore(capacity: capacity, retention: retention)
        self.interval = interval
        metrics = MetricStore(retention: max(retention, MetricStore.ruleHistory))
        engine = rules
        initialEngine = rules
        self.actions = actions
        history = SnapshotHistory(retention: retention)
        alertTimeline = AlertTimeline(retention: retention)
        // Alerts restored as firing (a restart mid-incident) keep their marks.
        let restored = rules.alerts.compactMap { a in
            a.alert.firedAt.map { TimelineMark(wallClock: $0, kind: .alert(paging: Severity.of(a.alert.labels).pages)) }
        }
        alertMarks = recordedMarks ?? restored.sorted { $0.wallClock < $1.wallClock }
        marksRecorded = recordedMarks != nil
        probeSpecs = specs
        replayProbes = specs.isEmpty ? nil : ProbeBook(specs: specs)
    }

    /// What a tick changed that others must hear of (the log, the recording, the notifier).
    public struct TickOutcome: Sendable {
        /// False when the tick was older than the newest held (a replay that just sought back).
        public var accepted: Bool
        public var transitions: [AlertTransition]
        public var failures: [AlertEngine.RuleFailure]
        /// Every alert the engine holds, when something moved (for the state file).
        public var alerts: [ActiveAlert]
    }

    /// One sample: into the graphs' store, the history and the rules' series; the recorded
    /// probe results of a replay; the rules evaluated at the sample's wall clock; marks and
    /// the alert list's timeline on a change; acknowledgements of resolved alerts pruned.
    public mutating func tick(_ snap: HostSnapshot, processes: [ProcessActivity]?, probeResults: [ProbeResult] = [],
                              live: Bool) -> TickOutcome {
        if let latest, snap.time <= latest.time && !live {
            return TickOutcome(accepted: false, transitions: [], failures: [], alerts: [])
        }
        store.record(snap)
        history.append(snap)
        latest = snap
        self.processes = processes
        if live && metrics.coveredSince == nil { metrics.coveredSince = snap.wallClock }
        metrics.record(snap)
        feed(probeResults, at: snap.wallClock)
        let evaluationsBefore = engine.evaluations
        let r = engine.tick(at: snap.wallClock, source: rulesSource(snap))
        ruleFailures = r.failures.map { "\($0.group)/\($0.rule): \($0.cause)" }
        mark(r.transitions, now: snap.wallClock)
        if !r.transitions.isEmpty || alertTimeline.count == 0 { noteAlerts(at: snap.wallClock) }
        if !r.transitions.isEmpty {
            let active = engine.alerts.filter { $0.alert.phase != .resolved }.map(\.alert.labels)
            actions.prune(at: snap.wallClock, activeAlerts: Set(active))
        }
        // Values move only when a group ran; the screen's copy is redone only then.
        if engine.evaluations != evaluationsBefore { alertsGeneration += 1 }
        return TickOutcome(accepted: true, transitions: r.transitions, failures: r.failures,
                           alerts: r.transitions.isEmpty ? [] : engine.alerts.map(\.alert))
    }

    /// Starts over from `ticks` (a replay seeking): the graphs, the rules' series, the
    /// probes' book and the alerts, evaluated tick by tick as the live loop would have, so
    /// an alert firing an hour into the recording is firing since then, not since the seek.
    public mutating func restart(with ticks: [HostSnapshot], probeResults: [ProbeResult] = []) {
        store = SeriesStore(capacity: capacity, retention: history.retention)
        metrics = MetricStore(retention: max(history.retention, MetricStore.ruleHistory))
        engine = initialEngine
        latest = nil
        history = SnapshotHistory(retention: history.retention)
        alertTimeline.removeAll()
        if replayProbes != nil {
            replayProbes = ProbeBook(specs: probeSpecs)
            burnRatesAt = -Double.infinity
            // The book takes every result (its SLO counts span the recording); the rules'
            // series only the hour they hold.
            let since = (ticks.last?.wallClock ?? 0) - max(history.retention, MetricStore.ruleHistory)
            let older = probeResults.prefix { $0.time < since }
            for r in older where r.probe < probeSpecs.count { replayProbes!.record(r) }
            feed(Array(probeResults.dropFirst(older.count)), at: ticks.last?.wallClock ?? 0)
        }
        for snap in ticks {
            store.record(snap)
            history.append(snap)
            metrics.record(snap)
            latest = snap
            let r = engine.tick(at: snap.wallClock, source: rulesSource(snap))
            if !r.transitions.isEmpty || alertTimeline.count == 0 { noteAlerts(at: snap.wallClock) }
        }
        alertsGeneration += 1
    }

    /// A restart: the flight recorder's last minutes back into the graphs, the history and
    /// the rules' series. The engine is not run over them: its alerts came back from the
    /// state file, and evaluating the past again would send what was sent already.
    public mutating func refill(_ refill: FlightRefill, specs: [ProbeSpec]) {
        if let first = refill.span?.first { metrics.coveredSince = min(metrics.coveredSince ?? .infinity, first) }
        refill.forEachTick { snap in
            store.record(snap)
            history.append(snap)
            metrics.record(snap)
            latest = snap
        }
        for r in refill.probeResults where specs.indices.contains(r.probe) { metrics.record(r, spec: specs[r.probe]) }
        if let span = refill.span, let last = latest {
            engine.backfillRecordings(source: rulesSource(last), from: span.first, to: span.last + 1)
        }
        alertsGeneration += 1
    }

    /// The rules' series: the store's, with the scrape's labels for this host.
    public func rulesSource(_ snap: HostSnapshot) -> ScrapeTargetLabels {
        ScrapeTargetLabels(base: metrics, host: scrapeLabels(snap.host.hostname))
    }

    public var rulesSource: any SeriesSource { latest.map { rulesSource($0) } ?? metrics }

    public func scrapeLabels(_ hostname: String) -> [String: String] {
        engine.targetLabels ?? ["job": ScrapeTargetLabels.defaultJob, "instance": hostname]
    }

    /// The journal as re-read from disk (another dashboard appended to it).
    public mutating func replaceActions(_ new: AlertActions, at now: Double) {
        actions = new
        let active = engine.alerts.filter { $0.alert.phase != .resolved }.map(\.alert.labels)
        actions.prune(at: now, activeAlerts: Set(active))
        alertsGeneration += 1
    }

    /// A silence, expiry or acknowledgement already journaled.
    public mutating func apply(_ action: AlertAction) {
        actions.apply(action)
        alertsGeneration += 1
    }

    /// SLO burn rates into the series alert rules read.
    public mutating func record(_ burn: [BurnRates], at now: Double) {
        for b in burn { metrics.recordBurnRates(b.rates, sli: b.sli, spec: b.spec, at: now) }
    }

    /// A replay's probe results into its book and the rules' series; every 15 s of
    /// recorded time the SLO burn rates as the live probe loop publishes them.
    mutating func feed(_ results: [ProbeResult], at wallClock: Double) {
        guard replayProbes != nil else { return }
        for r in results where r.probe < probeSpecs.count {
            replayProbes!.record(r)
            metrics.record(r, spec: probeSpecs[r.probe])
        }
        if wallClock - burnRatesAt >= 15 || wallClock < burnRatesAt {
            burnRatesAt = wallClock
            record(BurnRates.of(specs: probeSpecs, counters: replayProbes!.countersByName, at: wallClock), at: wallClock)
        }
    }

    /// The alert list as it now stands, from `at` on (a rewind shows it).
    mutating func noteAlerts(at: Double) {
        alertTimeline.record(AlertsData(engine: engine, actions: actions, at: at).items, at: at)
    }

    /// Alerts that started firing, as marks; kept to the history's span (and 5,000).
    mutating func mark(_ transitions: [AlertTransition], now: Double) {
        guard !marksRecorded else { return }
        for t in transitions where t.to == .firing {
            alertMarks.append(TimelineMark(wallClock: t.at, kind: .alert(paging: Severity.of(t.labels).pages)))
        }
        let horizon = now - history.retention
        if alertMarks.count > 5000 || alertMarks.first.map({ $0.wallClock < horizon }) == true {
            alertMarks.removeAll { $0.wallClock < horizon }
            if alertMarks.count > 5000 { alertMarks.removeFirst(alertMarks.count - 5000) }
        }
    }
}
