import CTermGuard
import WatchbillRuntime

/// How worker threads reach a UI thread asleep in `Terminal.waitForEvent`: the signal
/// handlers' wake pipe, and an alternate stack so a crash there still restores the terminal.
public struct TerminalWakeUp: WakeUp {
    public init() {}

    public func prepareWorkerThread() {
        CTermGuard_blockSignalsInThisThread()
        CTermGuard_prepareThread()
    }

    public func wake() { CTermGuard_wake() }

    /// One malloc arena for the whole process (see CTermGuard.h); before any thread starts.
    public static func useOneMallocArena() { CTermGuard_singleMallocArena() }
}
