import CCurl
import Dispatch
import Glibc
import Synchronization
import WatchbillCore

/// Runs every probe on its own schedule from one thread: HTTP and TCP through libcurl's
/// multi interface (no thread per probe; a slow or hanging target only holds its own
/// transfer until its timeout), DNS on a small worker pool. Results go to `sink` on the
/// runner thread as each probe ends.
public final class ProbeRunner: @unchecked Sendable {
    /// How well the runner keeps its schedule (the benchmark's figures).
    public struct Counters: Sendable, Equatable {
        public var started = 0
        public var completed = 0
        /// Starts skipped because the runner fell more than an interval behind.
        public var missed = 0
        /// Starts refused because `maxInFlight` transfers were already running.
        public var refused = 0
        public var inFlight = 0
        /// Start delays (seconds late against the schedule), newest last, at most 100,000.
        public var lags: [Double] = []
    }

    public let specs: [ProbeSpec]
    private let sink: (ProbeResult) -> Void
    private let maxInFlight: Int
    private let multi: UnsafeMutableRawPointer
    private let state = Mutex(SharedState())
    private let dnsQueue = DispatchQueue(label: "watchbill.dns", attributes: .concurrent)

    struct SharedState {
        var stopping = false
        var counters = Counters()
        /// DNS answers handed over by worker threads.
        var dnsDone: [(token: UInt64, result: ProbeResult)] = []
    }

    /// libcurl could not be loaded (it is loaded when the first runner starts).
    public struct LibraryMissing: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "probes need libcurl (Debian: libcurl4): \(reason)" }
    }

    public init(specs: [ProbeSpec], maxInFlight: Int = 4096, sink: @escaping (ProbeResult) -> Void) throws {
        var why = [CChar](repeating: 0, count: 256)
        guard wb_curl_load(&why, why.count) == 0 else { throw LibraryMissing(reason: String(cString: why)) }
        self.specs = specs
        self.sink = sink
        self.maxInFlight = maxInFlight
        multi = wb_curl_multi_init()
        wb_curl_multi_set_long(multi, CURLMOPT_MAXCONNECTS, 16)
    }

    deinit { wb_curl_multi_cleanup(multi) }

    public var counters: Counters { state.withLock { $0.counters } }

    /// Asks `run` to return; callable from any thread.
    public func stop() {
        state.withLock { $0.stopping = true }
        wb_curl_multi_wakeup(multi)
    }

    /// Probes on schedule until `stop()`. Blocks the calling thread.
    public func run() {
        var schedule = ProbeSchedule(names: specs.map(\.name), intervals: specs.map(\.interval), now: probeMonotonic())
        loop(schedule: &schedule, once: nil)
    }

    /// Runs every probe once, now, and returns when all have ended (for `--once`).
    public func runOnce() {
        var none = ProbeSchedule(names: [], intervals: [], now: 0)
        loop(schedule: &none, once: Array(specs.indices))
    }

    private var transfers: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var dnsPending: [UInt64: (probe: Int, deadline: Double)] = [:]
    private var nextToken: UInt64 = 0

    private func loop(schedule: inout ProbeSchedule, once: [Int]?) {
        var immediate = once ?? []
        var finished = 0
        while !state.withLock({ $0.stopping }) {
            let now = probeMonotonic()
            var due = schedule.due(at: now)
            due += immediate.map { ($0, 0) }
            immediate = []
            for (probe, lag) in due { start(probe, lag: lag, now: now) }
            var running: Int32 = 0
            wb_curl_multi_perform(multi, &running)
            finished += collectCurl()
            finished += collectDNS()
            let missed = schedule.missed
            let inFlight = transfers.count + dnsPending.count
            state.withLock {
                $0.counters.missed = missed
                $0.counters.inFlight = inFlight
            }
            if let once, finished >= once.count { break }
            var wait = 1000.0
            if let next = schedule.nextDue { wait = min(wait, max(0, (next - probeMonotonic()) * 1000)) }
            if let soonest = dnsPending.values.map(\.deadline).min() {
                wait = min(wait, max(0, (soonest - probeMonotonic()) * 1000))
            }
            wb_curl_multi_poll(multi, Int32(wait.rounded(.up)))
        }
        for (h, _) in transfers { wb_curl_multi_remove_handle(multi, h) }
        transfers.removeAll()
    }

    private func start(_ probe: Int, lag: Double, now: Double) {
        let spec = specs[probe]
        let over = transfers.count + dnsPending.count >= maxInFlight
        state.withLock {
            if over { $0.counters.refused += 1; return }
            $0.counters.started += 1
            if $0.counters.lags.count >= 100_000 { $0.counters.lags.removeFirst(50_000) }
            $0.counters.lags.append(lag)
        }
        if over { return }
        if case .dns(let dns) = spec.kind {
            nextToken += 1
            dnsPending[nextToken] = (probe, now + spec.timeout)
            DNSLookup.start(name: dns.name, probe: probe, token: nextToken, queue: dnsQueue) { [self] token, result in
                state.withLock { $0.dnsDone.append((token, result)) }
                wb_curl_multi_wakeup(multi)
            }
            return
        }
        guard let t = CurlTransfer(probe: probe, spec: spec, startWall: probeWallClock(), startMonotonic: now) else {
            deliver(ProbeResult(probe: probe, time: probeWallClock(), duration: 0, error: .other,
                                message: "libcurl could not start a transfer"))
            return
        }
        transfers[t.handle] = t
        wb_curl_multi_add_handle(multi, t.handle)
    }

    private func collectCurl() -> Int {
        var done = 0
        var left: Int32 = 0
        while let msg = wb_curl_multi_info_read(multi, &left) {
            guard wb_curl_msg_done(msg) != 0 else { continue }
            let handle = wb_curl_msg_handle(msg)!
            let code = wb_curl_msg_result(msg)
            guard let t = transfers.removeValue(forKey: handle) else { continue }
            let result = t.result(code: code, nowMonotonic: probeMonotonic())
            wb_curl_multi_remove_handle(multi, handle)
            deliver(result)
            done += 1
        }
        return done
    }

    private func collectDNS() -> Int {
        var done = 0
        let answers = state.withLock { s -> [(token: UInt64, result: ProbeResult)] in
            defer { s.dnsDone.removeAll() }
            return s.dnsDone
        }
        for a in answers where dnsPending.removeValue(forKey: a.token) != nil {
            deliver(a.result)
            done += 1
        }
        let now = probeMonotonic()
        for (token, p) in dnsPending where p.deadline <= now {
            dnsPending[token] = nil
            let spec = specs[p.probe]
            deliver(ProbeResult(probe: p.probe, time: probeWallClock() - spec.timeout, duration: spec.timeout,
                                error: .timeout, message: "no answer within \(formatSeconds(spec.timeout))",
                                phases: ProbePhases(dns: spec.timeout)))
            done += 1
        }
        return done
    }

    private func deliver(_ result: ProbeResult) {
        state.withLock { $0.counters.completed += 1 }
        sink(result)
    }
}

func formatSeconds(_ s: Double) -> String {
    guard s.isFinite && abs(s) < 1e15 else { return "\(s) s" }
    return s < 1 ? "\(Int((s * 1000).rounded())) ms" : (s == s.rounded() ? "\(Int(s)) s" : "\(s) s")
}
