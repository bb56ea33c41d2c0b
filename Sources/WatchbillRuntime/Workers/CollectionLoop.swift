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

/// Samples on its own thread, so a slow `/proc` read never freezes the screen, appends to
/// the series store, and rings the UI's wake pipe after each sample.
public final class CollectionLoop: Sendable {
    public typealias Shared = CollectionState

    public let shared: Mutex<Shared>
    public let notifier: AlertNotifier?
    /// `--record`: ticks and alert transitions from here; probe results and incident
    /// entries from their own threads.
    public let recorder: RecorderQueue?
    private let log: Logger
    private let doorbell = Doorbell()
    private let wakeUp: any WakeUp
    private let finished = DispatchSemaphore(value: 0)

    /// False for a replay: its alerts must not overwrite the live dashboard's state file.
    private let persistAlerts: Bool

    /// `recordedMarks`: a replay's marks, from the recording (nil: this engine's transitions).
    public init(collector: any SampleSource, processScanner: ProcessScanner, capacity: Int, retention: Double, interval: Double,
         rules: AlertEngine = AlertEngine(groups: []), actions: AlertActions = AlertActions(),
         notifier: AlertNotifier? = nil, recorder: RecorderQueue? = nil, recordedMarks: [TimelineMark]? = nil,
         wakeUp: any WakeUp, log: Logger, crashAfterSamples: Int? = nil) {
        self.log = log
        self.wakeUp = wakeUp
        self.notifier = notifier
        self.recorder = recorder
        persistAlerts = collector.isLive
        shared = Mutex(CollectionState(capacity: capacity, retention: retention, interval: interval, rules: rules, actions: actions,
                                       recordedMarks: recordedMarks, replayProbes: collector.isLive ? [] : collector.probeSpecs))
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
        var samples = 0
        var sourceProblems = ProblemMemory()
        var failingRules = ProblemMemory()
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
                for change in sourceProblems.update(Dictionary(snap.problems.map { ($0, "") }, uniquingKeysWith: { a, _ in a })) {
                    switch change {
                    case .failing(let p, _): log.warning("source problem: \(p)")
                    case .recovered(let p): log.info("source recovered: \(p)")
                    }
                }
                var processes: [ProcessActivity]?
                if collector.isLive && shared.withLock({ $0.processesWanted }) {
                    processes = scanner.scan(time: now, memoryTotal: snap.memory?.total ?? 0)
                } else {
                    scanner.reset()
                }
                let (interval, outcome, due, actions) = shared.withLock { s in
                    let outcome = s.tick(snap, processes: processes, probeResults: probeResults, live: collector.isLive)
                    let due = outcome.accepted ? notifier?.due(s.engine, at: snap.wallClock) ?? [] : []
                    return (s.interval, outcome, due, due.isEmpty ? AlertActions() : s.actions)
                }
                let (changes, alerts) = (outcome.transitions, outcome.alerts)
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
                let failing = Dictionary(outcome.failures.map { ("\($0.group)/\($0.rule)", $0.cause) }, uniquingKeysWith: { a, _ in a })
                for change in failingRules.update(failing) {
                    switch change {
                    case .failing(let rule, let cause): log.warning("rule \(rule) failed: \(cause)")
                    case .recovered(let rule): log.info("rule \(rule) evaluates again")
                    }
                }
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
    public func record(_ burn: [BurnRates]) {
        let now = Clock.wall()
        shared.withLock { $0.record(burn, at: now) }
    }

    /// Starts the store over from `history` (a replay seeking).
    public func restart(with history: [HostSnapshot], probeResults: [ProbeResult] = []) {
        shared.withLock { $0.restart(with: history, probeResults: probeResults) }
        doorbell.ring(urgent: true)
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
        if changed && wanted { doorbell.ring(urgent: true) }
    }

    public func setInterval(_ seconds: Double) {
        shared.withLock { $0.interval = seconds }
        doorbell.ring()
    }

    public func stop() {
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
