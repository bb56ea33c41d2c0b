import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The notifier's sense of time for retries, injectable so tests run a ten-minute
/// give-up in microseconds.
public protocol NotifierClock: Sendable {
    /// Seconds on a clock that never jumps (a changed wall clock must not fire or stall retries).
    func now() -> Double
    /// Waits `seconds`, or less if `wake` is signalled (new work, or stop).
    func wait(_ seconds: Double, wake: DispatchSemaphore)
}

/// CLOCK_MONOTONIC and a semaphore's timed wait.
public struct MonotonicClock: NotifierClock {
    public init() {}

    public func now() -> Double { monotonicSeconds() }

    public func wait(_ seconds: Double, wake: DispatchSemaphore) {
        _ = wake.wait(timeout: .now() + .milliseconds(Int((max(0, seconds) * 1000).rounded(.up))))
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
