#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Logging
import Synchronization
import WatchbillCollectors
import WatchbillCore
import WatchbillDomain
import WatchbillProbes
import WatchbillScreen

/// The probe runner on its own thread, the book its results go into, and the state file
/// that keeps the SLO counts across restarts (written every minute and at exit, atomically).
/// Unchecked: the workers are set up in `init` and only stopped after.
public final class ProbeLoop: @unchecked Sendable {
    public let shared: SharedBook
    public let runner: ProbeRunner
    private let statePath: String
    private let log: Logger
    private let finished = DispatchSemaphore(value: 0)
    private let workers: Mutex<[PeriodicWorker]> = Mutex([])

    public final class SharedBook: Sendable {
        public let book: Mutex<ProbeBook>
        /// Up or down per probe as last logged, so the log gets transitions, not every probe.
        public let logged: Mutex<[Bool?]>
        public init(_ book: ProbeBook) {
            self.book = Mutex(book)
            logged = Mutex(Array(repeating: nil, count: book.specs.count))
        }
    }

    public static var statePath: String { FileLog.stateDirectory() + "/slo-counts.bin" }

    /// A book for `specs` with the SLO counts saved by an earlier run put back.
    public static func restoredBook(specs: [ProbeSpec], log: Logger?) -> ProbeBook {
        var book = ProbeBook(specs: specs)
        if let bytes = ProcRoot("/").read(statePath, limit: 64 << 20) {
            if let saved = SLICountsFile.decode(bytes) {
                book.restore(saved)
                log?.info("SLO counts restored from \(statePath)")
            } else {
                log?.warning("\(statePath): damaged; SLO counts start again")
            }
        }
        return book
    }

    /// `record` also receives every result (for the alert rules' series), on the probe thread.
    /// `burnRates` receives every target's SLO burn rates per window every 15 seconds.
    /// `recent`: results from before a restart (the flight recorder), for the latency
    /// windows; the SLO counts already hold them.
    public init(specs: [ProbeSpec], recent: [ProbeResult] = [], wakeUp: any WakeUp, log: Logger, record: @escaping @Sendable (ProbeResult, ProbeSpec) -> Void = { _, _ in },
                burnRates: @escaping @Sendable ([BurnRates]) -> Void = { _ in }) throws {
        self.log = log
        statePath = ProbeLoop.statePath
        var book = ProbeLoop.restoredBook(specs: specs, log: log)
        for r in recent { book.record(r, counting: false) }
        let shared = SharedBook(book)
        self.shared = shared
        runner = try ProbeRunner(specs: specs) { [log] result in
            shared.book.withLock { $0.record(result) }
            record(result, specs[result.probe])
            let up = result.succeeded
            let changed = shared.logged.withLock { seen -> Bool in
                defer { seen[result.probe] = up }
                return seen[result.probe] != up
            }
            if changed {
                let name = specs[result.probe].name
                if up { log.notice("probe \(name) up") } else {
                    log.warning("probe \(name) down: \(result.error?.rawValue ?? "?"): \(result.message)")
                }
            }
        }
        let runner = self.runner
        DispatchQueue(label: "watchbill.probes").async { [finished] in
            wakeUp.prepareWorkerThread()
            runner.run()
            finished.signal()
        }
        // Neither has news for the screen: it reads the book on its own clock.
        let saver = PeriodicWorker(label: "watchbill.slo-save", wakeUp: wakeUp, delay: 60) { [self] in
            save()
            logHealth()
            return PeriodicWorker.Outcome(next: 60, wake: false)
        }
        let publisher = PeriodicWorker(label: "watchbill.slo-burn", wakeUp: wakeUp, delay: 1) { [shared] in
            burnRates(ProbeLoop.burnRates(shared, at: Clock.wall()))
            return PeriodicWorker.Outcome(next: 15, wake: false)
        }
        workers.withLock { $0 = [saver, publisher] }
    }

    /// Burn rates per target and SLI from the SLI counters (30 days, kept across restarts),
    /// computed off the probe thread's lock.
    public static func burnRates(_ shared: SharedBook, at t: Double) -> [BurnRates] {
        let (specs, counters) = shared.book.withLock { ($0.specs, $0.countersByName) }
        return BurnRates.of(specs: specs, counters: counters, at: t)
    }

    /// Summarises a copy taken under the lock (copy-on-write: cheap), so the runner thread
    /// never waits while the UI computes percentiles.
    public func summaries(at time: Double, window: LatencyWindow, detail: Int?) -> [ProbeSummary] {
        // Advancing closes the slices of targets that have not answered since, so every
        // window reads from the merges kept per slice.
        let book = shared.book.withLock { b -> ProbeBook in
            b.advance(to: time)
            return b
        }
        return book.summaries(at: time, window: window, detail: detail)
    }

    public func save() {
        let bytes = shared.book.withLock { SLICountsFile.encode($0.countersByName) }
        if let error = AtomicFile.write(bytes, to: statePath) { log.warning("\(statePath): \(error)") }
    }

    public func stop() {
        for w in workers.withLock({ $0 }) { w.stop(timeout: 2) }
        runner.stop()
        _ = finished.wait(timeout: .now() + .seconds(2))
        save()
        logHealth()
    }

    /// How well the runner keeps its schedule: the figures Benchmarks/probes.sh reads.
    public func logHealth() {
        let c = runner.counters
        let lags = c.lags.sorted()
        func p(_ q: Double) -> String {
            lags.isEmpty ? "-" : Format.fixed(lags[min(lags.count - 1, Int(Double(lags.count) * q))] * 1000, 1) + "ms"
        }
        let line = "probe runner: started \(c.started) completed \(c.completed) missed \(c.missed) refused \(c.refused) "
            + "in-flight \(c.inFlight) lag p50 \(p(0.5)) p99 \(p(0.99)) max \(p(1))"
        log.info("\(line)")
    }
}

/// Write to a temporary file in the same directory, fsync, rename over the target: a crash
/// leaves the old file or the new one, never half of either.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) -> String? {
        FileLog.makeDirectories(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
        let temp = path + ".tmp.\(getpid())"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return "cannot write: \(String(cString: strerror(errno)))" }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                let why = String(cString: strerror(errno))
                close(fd)
                unlink(temp)
                return "cannot write: \(why)"
            }
            offset += n
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced, rename(temp, path) == 0 else {
            unlink(temp)
            return "cannot replace: \(String(cString: strerror(errno)))"
        }
        return nil
    }
}

/// Where the Latency and SLO panes' figures come from: the live probe loop, or a replay's
/// book of recorded results.
public protocol ProbeSummaries {
    func summaries(at time: Double, window: LatencyWindow, detail: Int?) -> [ProbeSummary]
}

extension ProbeLoop: ProbeSummaries {}

/// A replay's probes: the book the collection thread fills from the recording, read at the
/// recording's clock.
public struct ReplayProbeSummaries: ProbeSummaries {
    public let collection: CollectionLoop

    public init(collection: CollectionLoop) { self.collection = collection }

    public func summaries(at time: Double, window: LatencyWindow, detail: Int?) -> [ProbeSummary] {
        guard var book = collection.read({ $0.replayProbes }) else { return [] }
        book.advance(to: time)
        return book.summaries(at: time, window: window, detail: detail)
    }
}
