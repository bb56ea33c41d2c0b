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

/// Samples on its own thread (a `PeriodicWorker`), so a slow `/proc` read never freezes the
/// screen, takes each sample through `CollectionState.tick` under one lock, tells the log,
/// the recording and the notifier what changed, and wakes the screen.
public final class CollectionLoop: Sendable {
    public typealias Shared = CollectionState

    public let shared: Mutex<Shared>
    public let notifier: AlertNotifier?
    /// `--record`: ticks and alert transitions from here; probe results and incident
    /// entries from their own threads.
    public let recorder: RecorderQueue?
    let log: Logger
    private let worker: Mutex<PeriodicWorker?> = Mutex(nil)

    /// False for a replay: its alerts must not overwrite the live dashboard's state file.
    private let persistAlerts: Bool
    /// This process holds the account's lock: it writes the alerts' changes to the history
    /// the shift report reads (two dashboards would write each change twice).
    let keepsHistory: Bool

    /// `recordedMarks`: a replay's marks, from the recording (nil: this engine's transitions).
    public init(collector: any SampleSource, processScanner: ProcessScanner, capacity: Int, retention: Double, interval: Double,
                rules: AlertEngine = AlertEngine(groups: []), actions: AlertActions = AlertActions(),
                notifier: AlertNotifier? = nil, recorder: RecorderQueue? = nil, recordedMarks: [TimelineMark]? = nil,
                keepsHistory: Bool = false, wakeUp: any WakeUp, log: Logger, crashAfterSamples: Int? = nil) {
        self.log = log
        self.notifier = notifier
        self.recorder = recorder
        persistAlerts = collector.isLive
        self.keepsHistory = keepsHistory && collector.isLive
        shared = Mutex(CollectionState(capacity: capacity, retention: retention, interval: interval, rules: rules, actions: actions,
                                       recordedMarks: recordedMarks, replayProbes: collector.isLive ? [] : collector.probeSpecs))
        let round = CollectionRound(collector, processScanner, crashAfterSamples: crashAfterSamples)
        let worker = PeriodicWorker(label: "watchbill.collection", wakeUp: wakeUp) { [self] in round.step(self) }
        self.worker.withLock { $0 = worker }
    }

    /// SLO burn rates into the series alert rules read (called on the burn-rate timer).
    public func record(_ burn: [BurnRates]) {
        let now = Clock.wall()
        shared.withLock { $0.record(burn, at: now) }
    }

    /// The flight recorder's last minutes, before the first sample (a restart).
    public func refill(_ refill: FlightRefill, specs: [ProbeSpec]) {
        shared.withLock { $0.refill(refill, specs: specs) }
    }

    /// Starts the store over from `history` (a replay seeking).
    public func restart(with history: [HostSnapshot], probeResults: [ProbeResult] = []) {
        shared.withLock { $0.restart(with: history, probeResults: probeResults) }
        worker.withLock { $0 }?.runNow()
    }

    /// Takes the journal as re-read from disk (another dashboard appended to it).
    public func replaceActions(_ actions: AlertActions, at now: Double) {
        shared.withLock { $0.replaceActions(actions, at: now) }
    }

    /// Applies a silence, expiry or acknowledgement already journaled.
    public func apply(_ action: AlertAction) {
        shared.withLock { $0.apply(action) }
    }

    /// A probe result into the series alert rules read (called on the probe thread).
    public func record(_ result: ProbeResult, spec: ProbeSpec) {
        shared.withLock { $0.metrics.record(result, spec: spec) }
    }

    /// Copies what the screen needs under the lock; rendering happens outside it.
    public func read<T>(_ body: (borrowing Shared) -> T) -> T {
        shared.withLock { body($0) }
    }

    /// Starts or stops the process scan; a new start samples at once so the pane fills.
    public func setProcessesWanted(_ wanted: Bool) {
        let changed = shared.withLock { s -> Bool in
            defer { s.processesWanted = wanted }
            return s.processesWanted != wanted
        }
        if changed && wanted { worker.withLock { $0 }?.runNow() }
    }

    public func setInterval(_ seconds: Double) {
        shared.withLock { $0.interval = seconds }
        worker.withLock { $0 }?.reschedule(within: seconds)
    }

    public func stop() {
        // A read stuck in the kernel (a hung NFS mount) must not keep us from exiting.
        worker.withLock { $0 }?.stop(timeout: 2)
        // After the thread, so two saves never share the temporary file. lastSeen moves
        // every evaluation: save it so a quick restart trusts the state.
        if persistAlerts { RuleLoader.save(shared.withLock { $0.engine.alerts.map(\.alert) }, log: log) }
        notifier?.stop()
    }
}

/// The collection thread's round: one sample through the store, the rules and the rest.
/// Holds what only that thread touches (the collector, the process scanner, what was
/// already said in the log).
private final class CollectionRound: @unchecked Sendable {
    var collector: any SampleSource
    var scanner: ProcessScanner
    let crashAfterSamples: Int?
    var samples = 0
    var sourceProblems = ProblemMemory()
    var failingRules = ProblemMemory()
    var historyProblem = ProblemMemory()
    var alertsSavedAt = -Double.infinity

    init(_ collector: any SampleSource, _ scanner: ProcessScanner, crashAfterSamples: Int?) {
        self.collector = collector
        self.scanner = scanner
        self.crashAfterSamples = crashAfterSamples
    }

    func step(_ loop: CollectionLoop) -> PeriodicWorker.Outcome {
        let now = Clock.monotonic()
        // A paused or finished replay: nothing this tick, and no news for the screen.
        guard let snap = collector.next(time: now, wallClock: Clock.wall()) else {
            return PeriodicWorker.Outcome(next: loop.shared.withLock { $0.interval }, wake: false)
        }
        samples += 1
        let probeResults = collector.probeResults(through: snap.wallClock)
        loop.recorder?.append(snap, now: now)
        if let limit = crashAfterSamples, samples > limit { fatalError("--debug-crash-after-samples \(limit)") }
        for change in sourceProblems.update(Dictionary(snap.problems.map { ($0, "") }, uniquingKeysWith: { a, _ in a })) {
            switch change {
            case .failing(let p, _): loop.log.warning("source problem: \(p)")
            case .recovered(let p): loop.log.info("source recovered: \(p)")
            }
        }
        var processes: [ProcessActivity]?
        if collector.isLive && loop.shared.withLock({ $0.processesWanted }) {
            processes = scanner.scan(time: now, memoryTotal: snap.memory?.total ?? 0)
        } else {
            scanner.reset()
        }
        let (interval, outcome, due, actions) = loop.shared.withLock { s in
            let outcome = s.tick(snap, processes: processes, probeResults: probeResults, live: collector.isLive)
            let due = outcome.accepted ? loop.notifier?.due(s.engine, at: snap.wallClock) ?? [] : []
            return (s.interval, outcome, due, due.isEmpty ? AlertActions() : s.actions)
        }
        let (changes, alerts) = (outcome.transitions, outcome.alerts)
        loop.notifier?.send(due, actions: actions, at: snap.wallClock)
        // On every change, and every 30 s so `watchbill alerts` can tell a live
        // dashboard's quiet state from a stopped one.
        // A replay's alerts are the recording's, not this host's: never saved over them.
        if collector.isLive && (!changes.isEmpty || now - alertsSavedAt >= 30) {
            RuleLoader.save(changes.isEmpty ? loop.shared.withLock { $0.engine.alerts.map(\.alert) } : alerts, log: loop.log)
            alertsSavedAt = now
        }
        // Old history is dropped once the first frames are up (a week of it takes a moment),
        // on this thread, so no change of this process is appended while it is rewritten.
        if loop.keepsHistory && samples == 3 { AlertHistoryStore.compact(at: snap.wallClock, log: loop.log) }
        if loop.keepsHistory, !changes.isEmpty {
            let failure = AlertHistoryStore.append(changes.map(AlertHistoryEntry.transition))
            for change in historyProblem.update(failure.map { ["history": $0] } ?? [:]) {
                switch change {
                case .failing(_, let cause): loop.log.warning("alert history not written: \(cause)")
                case .recovered: loop.log.info("alert history written again")
                }
            }
        }
        for c in changes {
            loop.recorder?.append(kind: .alert, EventCodec.encode(AlertRecord(
                wallClock: c.at, labels: Dictionary(c.labels.pairs.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }), from: c.from?.rawValue, to: c.to?.rawValue)), now: now)
            let name = c.labels["alertname"] ?? "?"
            loop.log.notice("alert \(name) \(c.from?.rawValue ?? "inactive") -> \(c.to?.rawValue ?? "inactive") \(c.labels)")
        }
        // A failing rule is logged when it starts failing and when it recovers, not every tick.
        let failing = Dictionary(outcome.failures.map { ("\($0.group)/\($0.rule)", $0.cause) }, uniquingKeysWith: { a, _ in a })
        for change in failingRules.update(failing) {
            switch change {
            case .failing(let rule, let cause): loop.log.warning("rule \(rule) failed: \(cause)")
            case .recovered(let rule): loop.log.info("rule \(rule) evaluates again")
            }
        }
        // The second sample comes early so that rates appear a moment after start, not a
        // full interval later.
        return PeriodicWorker.Outcome(next: samples == 1 ? min(interval, 0.25) : interval)
    }
}
