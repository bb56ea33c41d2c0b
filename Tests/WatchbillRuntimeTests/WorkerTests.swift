import Synchronization
import Testing
import WatchbillRuntime

/// Counts what the workers ask of the screen.
final class CountingWakeUp: WakeUp {
    let prepared = Mutex(0)
    let woken = Mutex(0)
    func prepareWorkerThread() { prepared.withLock { $0 += 1 } }
    func wake() { woken.withLock { $0 += 1 } }
}

/// Waits (bounded) until `condition` holds.
func eventually(seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let end = Clock.monotonic() + seconds
    while Clock.monotonic() < end {
        if condition() { return true }
        Clock.sleep(seconds: 0.005)
    }
    return condition()
}

@Suite struct PeriodicWorkerTests {
    @Test func runsRoundsWakesTheScreenAndStops() {
        let wake = CountingWakeUp()
        let rounds = Mutex(0)
        let worker = PeriodicWorker(label: "test.rounds", every: 0.01, wakeUp: wake) { rounds.withLock { $0 += 1 } }
        #expect(eventually { worker.rounds >= 3 })
        #expect(worker.stop(timeout: 2))
        let after = rounds.withLock { $0 }
        // The thread was prepared once and the screen woken after every round.
        #expect(wake.prepared.withLock { $0 } == 1)
        #expect(wake.woken.withLock { $0 } == after)
        Clock.sleep(seconds: 0.05)
        #expect(rounds.withLock { $0 } == after, "no round after stop")
        #expect(worker.stop(timeout: 0.1), "a second stop returns at once")
    }

    @Test func runNowDoesNotWaitForTheInterval() {
        let worker = PeriodicWorker(label: "test.now", every: 3600, wakeUp: CountingWakeUp()) {}
        #expect(eventually { worker.rounds == 1 })
        worker.runNow()
        #expect(eventually(seconds: 2) { worker.rounds == 2 })
        worker.stop()
    }

    @Test func aRoundSetsTheNextAndWhetherTheScreenHearsOfIt() {
        let wake = CountingWakeUp()
        let n = Mutex(0)
        // Quick rounds that have news only every other time, after a first delay.
        let started = Clock.monotonic()
        let firstAt = Mutex<Double?>(nil)
        let worker = PeriodicWorker(label: "test.outcome", wakeUp: wake, delay: 0.05) {
            firstAt.withLock { $0 = $0 ?? Clock.monotonic() }
            let i = n.withLock { $0 += 1; return $0 }
            return PeriodicWorker.Outcome(next: 0.005, wake: i % 2 == 0)
        }
        #expect(eventually { worker.rounds >= 6 })
        worker.stop()
        #expect((firstAt.withLock { $0 } ?? 0) - started >= 0.05, "the first round waits its delay")
        #expect(wake.woken.withLock { $0 } == worker.rounds / 2)
    }

    /// A wait is cut into slices (a minute in use); an interval longer than a slice is
    /// still kept whole (a 5-minute scrape interval once ran every minute).
    @Test func anIntervalLongerThanAWaitIsKept() {
        let worker = PeriodicWorker(label: "test.slices", wakeUp: CountingWakeUp(), slice: 0.01) {
            PeriodicWorker.Outcome(next: 0.3)
        }
        #expect(eventually { worker.rounds == 1 })
        Clock.sleep(seconds: 0.2)
        #expect(worker.rounds == 1, "ran after a slice, not after its interval")
        #expect(eventually(seconds: 2) { worker.rounds == 2 })
        worker.stop()
    }

    @Test func aShorterIntervalTakesEffectAtOnce() {
        let worker = PeriodicWorker(label: "test.reschedule", every: 3600, wakeUp: CountingWakeUp()) {}
        #expect(eventually { worker.rounds == 1 })
        // An hour away, asked for within 10 ms: the next round comes then, not in an hour.
        worker.reschedule(within: 0.01)
        #expect(eventually(seconds: 2) { worker.rounds == 2 })
        // Asking for later than the next round changes nothing.
        worker.reschedule(within: 7200)
        Clock.sleep(seconds: 0.05)
        #expect(worker.rounds == 2)
        worker.stop()
    }

    @Test func stopGivesUpOnARoundThatHangs() {
        let release = Mutex(false), inRound = Mutex(false)
        let worker = PeriodicWorker(label: "test.hang", every: 1, wakeUp: CountingWakeUp()) {
            inRound.withLock { $0 = true }
            while !release.withLock({ $0 }) { Clock.sleep(seconds: 0.01) }
        }
        #expect(eventually { inRound.withLock { $0 } })
        let started = Clock.monotonic()
        #expect(!worker.stop(timeout: 0.1))
        #expect(Clock.monotonic() - started < 1)
        release.withLock { $0 = true }
        #expect(worker.stop(timeout: 2))
    }
}

@Suite struct ProblemMemoryTests {
    @Test func saysAFailureOnceAndTheRecoveryOnce() {
        var memory = ProblemMemory()
        #expect(memory.note("am", problem: nil) == nil)
        #expect(memory.note("am", problem: "refused") == .failing(source: "am", cause: "refused"))
        #expect(memory.note("am", problem: "refused") == nil)
        #expect(memory.note("am", problem: "timeout") == .failing(source: "am", cause: "timeout"))
        #expect(memory.note("am", problem: nil) == .recovered(source: "am"))
        #expect(memory.note("am", problem: nil) == nil)
    }

    @Test func aRoundOfSources() {
        var memory = ProblemMemory()
        #expect(memory.update(["prom": "refused", "am": "timeout"])
                    == [.failing(source: "am", cause: "timeout"), .failing(source: "prom", cause: "refused")])
        // A source missing from the round answered.
        #expect(memory.update(["prom": "refused"]) == [.recovered(source: "am")])
        #expect(memory.failingSources == ["prom"])
    }
}
