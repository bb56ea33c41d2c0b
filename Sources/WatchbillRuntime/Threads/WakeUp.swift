#if canImport(Glibc)
import Glibc
#endif

/// What a background thread needs from whatever shows its results: a way to say "a new
/// value is in" and what to do first on a new thread. The terminal backend implements it
/// (its signal pipe and crash stack); the headless agent and the tests use `Headless`.
/// Nothing outside the backend needs to know that curses is behind it.
public protocol WakeUp: Sendable {
    /// Called first on every worker thread.
    func prepareWorkerThread()
    /// Called after a worker published something the screen shows.
    func wake()
}

/// No screen to wake (the agent, `--once`, tests): worker threads only leave the quit
/// signals to the thread that waits for them.
public struct Headless: WakeUp {
    public init() {}
    public func prepareWorkerThread() { QuitSignals.blockInThisThread() }
    public func wake() {}
}

/// The signals the main thread handles (quit, resize, job control).
public enum QuitSignals {
    public static let all: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGWINCH, SIGTSTP, SIGCONT]

    /// Blocks them in the calling thread (and in the threads it starts afterwards), so
    /// they reach the thread that waits for them.
    public static func blockInThisThread() {
        var set = sigset_t()
        sigemptyset(&set)
        for s in all { sigaddset(&set, s) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }
}
