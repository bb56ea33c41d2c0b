import Dispatch
import Synchronization

/// A background loop: a round on its own thread, then the next when the round says (by
/// default every `interval` seconds of the monotonic clock; a slow round delays the next,
/// never bunches them), the screen woken after each round that produced something, stopped
/// by `stop`. Every thread that refreshes something on a schedule (collection, fleet,
/// Prometheus, Alertmanager, service latency, the probes' state file and burn rates) is one
/// of these; what a round does is theirs.
public final class PeriodicWorker: Sendable {
    /// What a round came to: how long until the next one, and whether the screen has news.
    public struct Outcome: Sendable {
        public var next: Double
        public var wake: Bool
        public init(next: Double, wake: Bool = true) {
            self.next = next
            self.wake = wake
        }
    }

    private let stopping = Mutex(false)
    private let doorbell = Doorbell()
    private let finished = DispatchSemaphore(value: 0)
    /// Rounds run, for tests and the log.
    private let count = Mutex(0)
    /// A sooner next round asked for (`reschedule(within:)`), on the monotonic clock.
    private let soonest = Mutex<Double?>(nil)

    /// `slice`: the longest single wait (tests shorten it to show a long interval is kept).
    public init(label: String, wakeUp: any WakeUp, delay first: Double = 0, slice: Double = 60,
                step: @escaping @Sendable () -> Outcome) {
        DispatchQueue(label: label).async { [self] in
            wakeUp.prepareWorkerThread()
            var next = Clock.monotonic() + first
            while !stopping.withLock({ $0 }) && Clock.monotonic() < next {
                if doorbell.wait(until: next, slice: slice) == .urgent { break }
            }
            while !stopping.withLock({ $0 }) {
                let outcome = step()
                count.withLock { $0 += 1 }
                if outcome.wake { wakeUp.wake() }
                next += outcome.next
                if next < Clock.monotonic() { next = Clock.monotonic() + outcome.next }
                // The doorbell waits at most a minute at a time (and a signal can cut a wait
                // short): the clock, not the end of a wait, says when the round is due.
                while !stopping.withLock({ $0 }) && Clock.monotonic() < next {
                    guard let rung = doorbell.wait(until: next, slice: slice) else { continue }
                    if rung == .urgent {
                        next = Clock.monotonic()
                    } else if let sooner = soonest.withLock({ s -> Double? in defer { s = nil }; return s }) {
                        next = min(next, sooner)
                    }
                }
            }
            finished.signal()
        }
    }

    /// A round every `interval` seconds.
    public convenience init(label: String, every interval: Double, wakeUp: any WakeUp, delay first: Double = 0,
                            round: @escaping @Sendable () -> Void) {
        self.init(label: label, wakeUp: wakeUp, delay: first) {
            round()
            return Outcome(next: interval)
        }
    }

    /// How many rounds have finished.
    public var rounds: Int { count.withLock { $0 } }

    /// Runs the next round now instead of at its time.
    public func runNow() { doorbell.ring(urgent: true) }

    /// The next round no later than `seconds` from now (an interval made shorter).
    public func reschedule(within seconds: Double) {
        let at = Clock.monotonic() + seconds
        soonest.withLock { $0 = min($0 ?? at, at) }
        doorbell.ring()
    }

    /// Asks the loop to end and waits for the round in progress, at most `timeout` seconds
    /// (a fetch stuck past its own timeout, a read stuck in the kernel, must not hold up
    /// quitting). True when it ended.
    @discardableResult
    public func stop(timeout: Double = 12) -> Bool {
        stopping.withLock { $0 = true }
        doorbell.ring()
        let ended = finished.wait(timeout: .now() + .milliseconds(Int(timeout * 1000))) == .success
        // The semaphore counts once: give it back for a second stop.
        if ended { finished.signal() }
        return ended
    }
}
