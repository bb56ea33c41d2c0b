import Dispatch
import Synchronization

/// A background loop: `round` on its own thread every `interval` seconds of the monotonic
/// clock (a slow round delays the next, never bunches them), the screen woken after each,
/// stopped by `stop`. Every refresh thread (the fleet, Prometheus, Alertmanager, service
/// latency) is one of these; what a round does is theirs.
public final class PeriodicWorker: Sendable {
    private let stopping = Mutex(false)
    private let doorbell = Doorbell()
    private let finished = DispatchSemaphore(value: 0)
    /// Rounds run, for tests and the log.
    private let count = Mutex(0)

    public init(label: String, every interval: Double, wakeUp: any WakeUp, round: @escaping @Sendable () -> Void) {
        DispatchQueue(label: label).async { [self] in
            wakeUp.prepareWorkerThread()
            var next = Clock.monotonic()
            while !stopping.withLock({ $0 }) {
                round()
                count.withLock { $0 += 1 }
                wakeUp.wake()
                next += interval
                if next < Clock.monotonic() { next = Clock.monotonic() + interval }
                if doorbell.wait(until: next) == .urgent { next = Clock.monotonic() }
            }
            finished.signal()
        }
    }

    /// How many rounds have finished.
    public var rounds: Int { count.withLock { $0 } }

    /// Runs the next round now instead of at its time.
    public func runNow() { doorbell.ring(urgent: true) }

    /// Asks the loop to end and waits for the round in progress, at most `timeout` seconds
    /// (a fetch stuck past its own timeout must not hold up quitting). True when it ended.
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
