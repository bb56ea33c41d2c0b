import Dispatch
import Synchronization
import WatchbillCore

/// Sends notifications from one background thread, so the collection thread that calls
/// `enqueue` never waits on a network. Every request is journaled in the intent log first
/// and marked done once it is delivered, refused, or given up on; what a crash or a stop
/// leaves pending is sent again by the next `start`.
///
/// Failed requests are retried with exponential backoff until `giveUpAfter` has passed
/// since their first attempt; a destination that is down does not hold up the others
/// (see `DeliveryQueue`).
public final class Notifier: Sendable {
    struct State: Sendable {
        var queue: DeliveryQueue
        var counters = Counters()
        var started = false
        var stopping = false
    }

    public let destinations: [Destination]
    public let settings: Settings
    private let intentLog: IntentLog
    private let transport: any Transport
    private let clock: any NotifierClock
    private let random: @Sendable () -> Double
    private let logLine: @Sendable (String) -> Void
    private let redaction: Redaction
    private let state: Mutex<State>
    /// Signalled on new work and on stop; the worker waits on it.
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// `log` receives one line per event worth an operator's attention; lines never
    /// contain a token or a URL password.
    public init(destinations: [Destination], intentLog: IntentLog, transport: any Transport,
                clock: any NotifierClock = MonotonicClock(), settings: Settings = Settings(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                log: @escaping @Sendable (String) -> Void) {
        self.destinations = destinations
        self.settings = settings
        self.intentLog = intentLog
        self.transport = transport
        self.clock = clock
        self.random = random
        logLine = log
        state = Mutex(State(queue: DeliveryQueue(capacity: settings.queueCapacity)))
        var secrets: [String] = []
        for d in destinations {
            secrets += d.bearerToken.map { [$0.revealed] } ?? []
            secrets += Redaction.userinfoPassword(d.url).map { [$0] } ?? []
        }
        redaction = Redaction(secrets: secrets)
    }

    public var counters: Counters { state.withLock { $0.counters } }

    /// Starts the worker thread, first queueing what the intent log held from the last run.
    public func start() {
        guard state.withLock({ s in
            defer { s.started = true }
            return !s.started
        }) else { return }
        let recovery = intentLog.recovery
        for problem in recovery.problems { log("notify: intent log \(intentLog.path): skipped \(problem)") }
        if recovery.droppedAsOld > 0 {
            log("notify: intent log: dropped \(recovery.droppedAsOld) unsent notification(s) older than "
                + "\(Int(intentLog.limits.maxAge)) s instead of sending them late")
        }
        // What the file held, less what is done since; intents enqueued before `start` are already queued.
        let stillPending = Set(intentLog.pending().map(\.seq))
        let leftover = recovery.pending.filter { stillPending.contains($0.seq) }
        if !leftover.isEmpty { log("notify: re-sending \(leftover.count) notification(s) left unconfirmed by the last run") }
        // Ahead of anything enqueued before `start`: they carry older state, and a receiver
        // should see states in the order they happened.
        var position = 0
        for intent in leftover {
            guard let destination = destinations.first(where: { $0.name == intent.destination }) else {
                log("notify: dropping notification \(intent.seq) for '\(intent.destination)', no longer a destination")
                markDone(intent.seq)
                continue
            }
            queue(destination: destination, body: intent.body, seq: intent.seq, position: position)
            position += 1
        }
        DispatchQueue(label: "watchbill.notify", qos: .utility).async { self.run() }
    }

    /// Queues `alerts` for every destination and returns at once (after the intent log's
    /// fsync). Safe from any thread; before `start` the requests wait, after `stop` they
    /// stay in the intent log for the next run.
    /// `include` picks a destination's share (a webhook skips what is silenced here, while
    /// Alertmanager gets everything and applies its own silences).
    public func enqueue(_ alerts: [NotifyAlert], now: Double,
                        include: (Destination, NotifyAlert) -> Bool = { _, _ in true }) {
        for destination in destinations {
            let chosen = alerts.filter { include(destination, $0) }
            guard !chosen.isEmpty else { continue }
            for body in destination.bodies(for: chosen, externalURL: settings.externalURL, now: now) {
                var seq: UInt64?
                do {
                    seq = try intentLog.append(destination: destination.name, body: body, at: now).seq
                } catch {
                    log("notify: \(destination.name): could not journal a notification (sending it anyway; "
                        + "a crash now would lose it): \(error)")
                }
                queue(destination: destination, body: body, seq: seq)
            }
        }
    }

    /// Asks the worker to finish and waits at most `timeout` seconds; true if it did. A
    /// request in flight is not interrupted (its own timeout bounds it); requests still
    /// queued stay pending in the intent log.
    @discardableResult
    public func stop(timeout: Double) -> Bool {
        let started = state.withLock { s in
            s.stopping = true
            return s.started
        }
        guard started else { return true }
        wake.signal()
        guard finished.wait(timeout: .now() + .milliseconds(Int(max(0, timeout) * 1000))) == .success else {
            log("notify: stop: a request is still in flight after \(timeout) s; leaving it")
            return false
        }
        finished.signal()  // so a later call returns at once too
        return true
    }

    /// Waits (really, not on the injected clock) until nothing is queued, at most
    /// `timeout` seconds; true if the queue emptied. For tests and a `--once` run.
    public func waitUntilIdle(timeout: Double) -> Bool {
        let deadline = monotonicSeconds() + timeout
        while monotonicSeconds() < deadline {
            if state.withLock({ $0.queue.count == 0 }) { return true }
            _ = DispatchSemaphore(value: 0).wait(timeout: .now() + .milliseconds(5))
        }
        return state.withLock { $0.queue.count == 0 }
    }

    private func queue(destination: Destination, body: String, seq: UInt64?, position: Int? = nil) {
        let dropped = state.withLock { s in
            let dropped = s.queue.add(destination: destination, body: body, seq: seq, now: clock.now(), position: position)
            if dropped != nil { s.counters.dropped += 1 }
            s.counters.pending = s.queue.count
            return dropped
        }
        if let dropped {
            log("notify: queue full (\(settings.queueCapacity)); dropped the oldest notification for "
                + "\(dropped.destination.name)")
            if let seq = dropped.seq { markDone(seq) }
        }
        wake.signal()
    }

    private func run() {
        while true {
            let next: DeliveryQueue.Next? = state.withLock { s in s.stopping ? nil : s.queue.next(now: clock.now()) }
            switch next {
            case nil:
                finished.signal()
                return
            case .idle?:
                wake.wait()
            case .wait(let seconds)?:
                clock.wait(seconds, wake: wake)
            case .send(let delivery)?:
                attempt(delivery)
            }
        }
    }

    private func attempt(_ d: DeliveryQueue.Delivery) {
        let result = transport.post(url: d.destination.postURL, body: d.body, headers: d.destination.headers,
                                    timeout: d.destination.timeout)
        let why = result.error ?? "HTTP \(result.status.map(String.init) ?? "?")"
        let settled = state.withLock { s in
            let settled = s.queue.settle(d.id, outcome: result.outcome, now: clock.now(), backoff: settings.backoff,
                                         giveUpAfter: settings.giveUpAfter, random: random())
            switch settled {
            case .delivered?: s.counters.sent += 1
            case .rejected?: s.counters.rejected += 1
            case .gaveUp?:
                s.counters.failedAttempts += 1
                s.counters.gaveUp += 1
            case .retrying?: s.counters.failedAttempts += 1
            case nil: break
            }
            s.counters.pending = s.queue.count
            return settled
        }
        let name = d.destination.name
        switch settled {
        case .delivered?:
            if d.attempts > 1 { log("notify: \(name): delivered at attempt \(d.attempts)") }
        case .rejected?:
            log("notify: \(name): refused, not retried: \(why)")
        case .gaveUp(_, let elapsed)?:
            log("notify: \(name): gave up after \(d.attempts) attempts over \(Int(elapsed.rounded())) s: \(why)")
        case .retrying(_, let delay)?:
            log("notify: \(name): attempt \(d.attempts) failed: \(why); retrying in \((delay * 10).rounded() / 10) s")
        case nil:
            break
        }
        switch settled {
        case .delivered?, .rejected?, .gaveUp?:
            if let seq = d.seq { markDone(seq) }
        case .retrying?, nil:
            break
        }
    }

    private func markDone(_ seq: UInt64) {
        do {
            try intentLog.markDone(seq)
        } catch {
            log("notify: could not mark notification \(seq) done (it may be sent again after a restart): \(error)")
        }
    }

    /// Every line goes through here: a transport's error text is scrubbed again, in case
    /// it is not `HTTPPost` and echoed a credential.
    private func log(_ line: String) { logLine(redaction.scrub(line)) }
}
