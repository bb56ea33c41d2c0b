#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Logging
import Synchronization
import WatchbillCollectors
import WatchbillCore
import WatchbillDomain
import WatchbillNotify
import WatchbillRecording
import WatchbillRules
import WatchbillScreen
import WatchbillRuntime

/// Samples on its own thread, so a slow `/proc` read never freezes the screen, appends to
/// the series store, and rings the UI's wake pipe after each sample.
final class CollectionLoop: Sendable {
    struct Shared {
        var store: SeriesStore
        var latest: HostSnapshot?
        var interval: Double
        var stopping = false
        /// Scan processes only while their pane is on screen: the scan is the costliest read.
        var processesWanted = false
        var processes: [ProcessActivity]?
        /// What alert rules read (node_exporter and blackbox_exporter names) and the rules' state.
        var metrics: MetricStore
        var engine: AlertEngine
        /// Silences and acknowledgements, journaled by `AlertActionStore` before they land here.
        var actions: AlertActions
        /// Rules whose last evaluation failed, as `group/rule: cause`.
        var ruleFailures: [String] = []
        /// Moves on every evaluation and action, so the screen rebuilds its alert list only then.
        var alertsGeneration = 0
        /// Whole ticks for the history's length, encoded, for rewinding every pane (`H`).
        var history: SnapshotHistory
        /// When alerts started firing, for the graphs' marks (as long as the history).
        var alertMarks: [TimelineMark] = []
        /// The alert list after each change, for a rewind's Alerts pane.
        var alertTimeline: AlertTimeline
        /// A replay's marks come from the recording (what the on-call saw), not from here.
        var marksRecorded = false
        /// A replay's probes: the recorded results, for the Latency and SLO panes.
        var replayProbes: ProbeBook?
        var burnRatesAt = -Double.infinity

        /// A replay's probe results into its book and the rules' series; every 15 s of
        /// recorded time the SLO burn rates as the live probe loop publishes them.
        mutating func feed(_ results: [ProbeResult], specs: [ProbeSpec], at wallClock: Double) {
            guard replayProbes != nil else { return }
            for r in results where r.probe < specs.count {
                replayProbes!.record(r)
                metrics.record(r, spec: specs[r.probe])
            }
            if wallClock - burnRatesAt >= 15 || wallClock < burnRatesAt {
                burnRatesAt = wallClock
                for b in ProbeLoop.burnRates(specs: specs, counters: replayProbes!.countersByName, at: wallClock) {
                    metrics.recordBurnRates(b.rates, sli: b.sli, spec: b.spec, at: wallClock)
                }
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
                alertMarks.append(TimelineMark(wallClock: t.at, kind: .alert(paging: (t.labels["severity"] ?? "P3") <= "P1")))
            }
            let horizon = now - history.retention
            if alertMarks.count > 5000 || alertMarks.first.map({ $0.wallClock < horizon }) == true {
                alertMarks.removeAll { $0.wallClock < horizon }
                if alertMarks.count > 5000 { alertMarks.removeFirst(alertMarks.count - 5000) }
            }
        }
    }

    let shared: Mutex<Shared>
    let notifier: AlertNotifier?
    /// `--record`: ticks and alert transitions from here; probe results and incident
    /// entries from their own threads.
    let recorder: RecorderQueue?
    private let log: Logger
    private let doorbell = Doorbell()
    private let wakeUp: any WakeUp
    private let finished = DispatchSemaphore(value: 0)

    private let capacity: Int
    private let retention: Double
    /// The rules as loaded, for starting over when a replay seeks back.
    private let initialEngine: AlertEngine
    /// False for a replay: its alerts must not overwrite the live dashboard's state file.
    private let persistAlerts: Bool
    /// A replay's recorded targets.
    private let probeSpecs: [ProbeSpec]

    /// `recordedMarks`: a replay's marks, from the recording (nil: this engine's transitions).
    init(collector: any SampleSource, processScanner: ProcessScanner, capacity: Int, retention: Double, interval: Double,
         rules: AlertEngine = AlertEngine(groups: []), actions: AlertActions = AlertActions(),
         notifier: AlertNotifier? = nil, recorder: RecorderQueue? = nil, recordedMarks: [TimelineMark]? = nil,
         wakeUp: any WakeUp, log: Logger, crashAfterSamples: Int? = nil) {
        self.log = log
        self.wakeUp = wakeUp
        self.notifier = notifier
        self.recorder = recorder
        self.capacity = capacity
        self.retention = retention
        initialEngine = rules
        persistAlerts = collector.isLive
        probeSpecs = collector.probeSpecs
        // Alerts restored as firing (a restart mid-incident) keep their marks.
        let restored = rules.alerts.compactMap { a in
            a.alert.firedAt.map { TimelineMark(wallClock: $0, kind: .alert(paging: (a.alert.labels["severity"] ?? "P3") <= "P1")) }
        }
        shared = Mutex(Shared(store: SeriesStore(capacity: capacity, retention: retention), interval: interval,
                              metrics: MetricStore(retention: max(retention, 3600)), engine: rules, actions: actions,
                              history: SnapshotHistory(retention: retention),
                              alertMarks: recordedMarks ?? restored.sorted { $0.wallClock < $1.wallClock },
                              alertTimeline: AlertTimeline(retention: retention),
                              marksRecorded: recordedMarks != nil,
                              replayProbes: collector.isLive || collector.probeSpecs.isEmpty ? nil : ProbeBook(specs: collector.probeSpecs)))
        let box = CollectorBox(collector, processScanner, recorder)
        DispatchQueue(label: "watchbill.collection").async { [self] in
            wakeUp.prepareWorkerThread()
            run(box.collector, box.scanner, recorder: box.recorder, log: log, crashAfterSamples: crashAfterSamples)
            finished.signal()
        }
    }

    private func run(_ initial: any SampleSource, _ initialScanner: ProcessScanner, recorder: RecorderQueue?,
                     log: Logger, crashAfterSamples: Int?) {
        var collector = initial
        var scanner = initialScanner
        let probeSpecs = initial.probeSpecs
        var samples = 0
        var knownProblems: Set<String> = []
        var failingRules: Set<String> = []
        var alertsSavedAt = -Double.infinity
        var next = Clock.monotonic()
        while true {
            let now = Clock.monotonic()
            if now >= next {
                guard let snap = collector.next(time: now, wallClock: Clock.wall()) else {
                    // A paused or finished replay: nothing this tick.
                    next += shared.withLock { $0.interval }
                    if next < Clock.monotonic() { next = Clock.monotonic() + shared.withLock { $0.interval } }
                    _ = doorbell.wait(timeoutMs: Int32(max(0, min(60_000, (next - Clock.monotonic()) * 1000)).rounded(.up)))
                    if shared.withLock({ $0.stopping }) { return }
                    continue
                }
                samples += 1
                let probeResults = collector.probeResults(through: snap.wallClock)
                recorder?.append(snap, now: now)
                if let limit = crashAfterSamples, samples > limit { fatalError("--debug-crash-after-samples \(limit)") }
                let problems = Set(snap.problems)
                for p in problems.subtracting(knownProblems) { log.warning("source problem: \(p)") }
                for p in knownProblems.subtracting(problems) { log.info("source recovered: \(p)") }
                knownProblems = problems
                var processes: [ProcessActivity]?
                if collector.isLive && shared.withLock({ $0.processesWanted }) {
                    processes = scanner.scan(time: now, memoryTotal: snap.memory?.total ?? 0)
                } else {
                    scanner.reset()
                }
                let (interval, changes, failures, alerts, due, actions) = shared.withLock {
                    s -> (Double, [AlertTransition], [AlertEngine.RuleFailure], [ActiveAlert], [NotifyAlert], AlertActions) in
                    // A replay that just sought back may hand over one tick older than the store.
                    if let latest = s.latest, snap.time <= latest.time && !collector.isLive {
                        return (s.interval, [], [], [], [], AlertActions())
                    }
                    s.store.record(snap)
                    s.history.append(snap)
                    s.latest = snap
                    s.processes = processes
                    s.metrics.record(snap)
                    s.feed(probeResults, specs: probeSpecs, at: snap.wallClock)
                    let evaluationsBefore = s.engine.evaluations
                    let r = s.engine.tick(at: snap.wallClock, source: s.metrics)
                    s.ruleFailures = r.failures.map { "\($0.group)/\($0.rule): \($0.cause)" }
                    s.mark(r.transitions, now: snap.wallClock)
                    if !r.transitions.isEmpty || s.alertTimeline.count == 0 { s.noteAlerts(at: snap.wallClock) }
                    if !r.transitions.isEmpty {
                        let active = s.engine.alerts.filter { $0.alert.phase != .resolved }.map(\.alert.labels)
                        s.actions.prune(at: snap.wallClock, activeAlerts: Set(active))
                    }
                    // Values move only when a group ran; the screen's copy is redone only then.
                    if s.engine.evaluations != evaluationsBefore { s.alertsGeneration += 1 }
                    let due = notifier?.due(s.engine, at: snap.wallClock) ?? []
                    return (s.interval, r.transitions, r.failures, r.transitions.isEmpty ? [] : s.engine.alerts.map(\.alert),
                            due, due.isEmpty ? AlertActions() : s.actions)
                }
                notifier?.send(due, actions: actions, at: snap.wallClock)
                // On every change, and every 30 s so `watchbill alerts` can tell a live
                // dashboard's quiet state from a stopped one.
                // A replay's alerts are the recording's, not this host's: never saved over them.
                if collector.isLive && (!changes.isEmpty || now - alertsSavedAt >= 30) {
                    RuleLoader.save(changes.isEmpty ? shared.withLock { $0.engine.alerts.map(\.alert) } : alerts, log: log)
                    alertsSavedAt = now
                }
                for c in changes {
                    recorder?.append(kind: .alert, EventCodec.encode(AlertRecord(
                        wallClock: c.at, labels: Dictionary(c.labels.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }), from: c.from?.rawValue, to: c.to?.rawValue)), now: now)
                    let name = c.labels["alertname"] ?? "?"
                    log.notice("alert \(name) \(c.from?.rawValue ?? "inactive") -> \(c.to?.rawValue ?? "inactive") \(c.labels)")
                }
                // A failing rule is logged when it starts failing and when it recovers, not every tick.
                let failing = Set(failures.map { "\($0.group)/\($0.rule)" })
                for f in failures where !failingRules.contains("\(f.group)/\(f.rule)") {
                    log.warning("rule \(f.group)/\(f.rule) failed: \(f.cause)")
                }
                for r in failingRules.subtracting(failing) { log.info("rule \(r) evaluates again") }
                failingRules = failing
                wakeUp.wake()
                // Keep to the schedule, but never try to catch up on missed ticks. The second
                // sample comes early so that rates appear a moment after start, not a full
                // interval later.
                next += samples == 1 ? min(interval, 0.25) : interval
                if next < Clock.monotonic() { next = Clock.monotonic() + interval }
            }
            let wait = max(0, next - Clock.monotonic())
            if let rung = doorbell.wait(timeoutMs: Int32(min(wait * 1000, 60_000).rounded(.up))) {
                let (stop, interval) = shared.withLock { ($0.stopping, $0.interval) }
                if stop { return }
                next = rung == .urgent ? Clock.monotonic() : min(next, Clock.monotonic() + interval)
            }
        }
    }

    /// SLO burn rates into the series alert rules read (called on the burn-rate timer).
    func record(_ burn: [ProbeLoop.BurnRates]) {
        let now = Clock.wall()
        shared.withLock { s in
            for b in burn { s.metrics.recordBurnRates(b.rates, sli: b.sli, spec: b.spec, at: now) }
        }
    }

    /// Starts the store over from `history` (a replay seeking): the graphs, the rules'
    /// series, the probes' book and the alerts as they would have been at its end.
    func restart(with history: [HostSnapshot], probeResults: [ProbeResult] = []) {
        shared.withLock { s in
            s.store = SeriesStore(capacity: capacity, retention: retention)
            s.metrics = MetricStore(retention: max(retention, 3600))
            s.engine = initialEngine
            s.latest = nil
            s.history = SnapshotHistory(retention: retention)
            if s.replayProbes != nil {
                s.replayProbes = ProbeBook(specs: probeSpecs)
                s.burnRatesAt = -Double.infinity
                // The book takes every result (its SLO counts span the recording); the rules'
                // series only the hour they hold.
                let since = (history.last?.wallClock ?? 0) - max(retention, 3600)
                let older = probeResults.prefix { $0.time < since }
                for r in older where r.probe < probeSpecs.count { s.replayProbes!.record(r) }
                s.feed(Array(probeResults.dropFirst(older.count)), specs: probeSpecs, at: history.last?.wallClock ?? 0)
            }
            s.alertTimeline.removeAll()
            // Evaluated tick by tick as the live loop would have: an alert that was firing
            // an hour into the recording is firing since then, not since the seek.
            for snap in history {
                s.store.record(snap)
                s.history.append(snap)
                s.metrics.record(snap)
                s.latest = snap
                let r = s.engine.tick(at: snap.wallClock, source: s.metrics)
                if !r.transitions.isEmpty || s.alertTimeline.count == 0 { s.noteAlerts(at: snap.wallClock) }
            }
            s.alertsGeneration += 1
        }
        doorbell.ring(urgent: true)
    }

    /// Takes the journal as re-read from disk (another dashboard appended to it).
    func replaceActions(_ actions: AlertActions, at now: Double) {
        shared.withLock { s in
            s.actions = actions
            let active = s.engine.alerts.filter { $0.alert.phase != .resolved }.map(\.alert.labels)
            s.actions.prune(at: now, activeAlerts: Set(active))
            s.alertsGeneration += 1
        }
    }

    /// Applies a silence, expiry or acknowledgement already journaled.
    func apply(_ action: AlertAction) {
        shared.withLock {
            $0.actions.apply(action)
            $0.alertsGeneration += 1
        }
    }

    /// A probe result into the series alert rules read (called on the probe thread).
    func record(_ result: ProbeResult, spec: ProbeSpec) {
        shared.withLock { $0.metrics.record(result, spec: spec) }
    }

    /// Copies what the screen needs under the lock; rendering happens outside it.
    func read<T>(_ body: (borrowing Shared) -> T) -> T {
        shared.withLock { body($0) }
    }

    /// Starts or stops the process scan; a new start samples at once so the pane fills.
    func setProcessesWanted(_ wanted: Bool) {
        let changed = shared.withLock { s -> Bool in
            defer { s.processesWanted = wanted }
            return s.processesWanted != wanted
        }
        if changed && wanted { doorbell.ring(urgent: true) }
    }

    func setInterval(_ seconds: Double) {
        shared.withLock { $0.interval = seconds }
        doorbell.ring()
    }

    func stop() {
        shared.withLock { $0.stopping = true }
        doorbell.ring()
        // A read stuck in the kernel (a hung NFS mount) must not keep us from exiting.
        _ = finished.wait(timeout: .now() + .seconds(2))
        // After the thread, so two saves never share the temporary file. lastSeen moves
        // every evaluation: save it so a quick restart trusts the state.
        if persistAlerts { RuleLoader.save(shared.withLock { $0.engine.alerts.map(\.alert) }, log: log) }
        notifier?.stop()
    }
}

/// Moves the non-Sendable collector into the collection thread, which is its only user.
private final class CollectorBox: @unchecked Sendable {
    let collector: any SampleSource
    let scanner: ProcessScanner
    let recorder: RecorderQueue?
    init(_ c: any SampleSource, _ s: ProcessScanner, _ r: RecorderQueue?) {
        collector = c
        scanner = s
        recorder = r
    }
}
