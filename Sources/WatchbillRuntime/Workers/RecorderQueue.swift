#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Logging
import Synchronization
import WatchbillCore
import WatchbillRecording

/// Recording off the collection thread: a stuck disk (a hung NFS mount, a saturated array
/// in the middle of an incident) delays the recording, never the samples or the alert
/// rules. At most `capacity` records wait; beyond that they are dropped and counted. Each
/// destination (`--record`, the flight recorder) fails on its own: a failed write pauses
/// it, and a minute later it starts again in a fresh file (a full disk that was freed), the
/// damaged end left in the rotated part where readers stop at it.
public final class RecorderQueue: @unchecked Sendable {
    private let queue = DispatchQueue(label: "watchbill.recorder")
    private let log: Logger
    private let capacity = 64

    /// Touched only on `queue`.
    private var sinks: [RecordingSink]
    /// What every file starts with, for writers added later (`R`).
    private var preamble: (RecordKind, [UInt8])?
    private struct State {
        var pending = 0
        var dropped = 0
        /// Nothing is encoded while nothing is recorded.
        var destinations = 0
        /// Destinations other than the flight recorder.
        var files = 0
    }
    private let state = Mutex(State())

    /// Whether incident entries are wanted: opening the incident store costs about 4 MiB,
    /// paid for a recording to a file (`--record`, `R`) but not for the flight recorder
    /// alone (which still gets the entries while the store is open for the screens).
    public var wantsIncidents: Bool { state.withLock { $0.files > 0 } }

    /// Writers with the names the log uses for them (the file's path, `flight recorder`).
    public init(_ writers: [(RecordingWriter, String)], log: Logger) {
        sinks = writers.map { RecordingSink($0.0, name: $0.1) }
        self.log = log
        state.withLock {
            $0.destinations = writers.count
            $0.files = writers.filter { $0.1 != FlightRecorder.name }.count
        }
    }

    /// Starts writing to `writer` too (the file it opened gets the preamble first).
    public func add(_ writer: RecordingWriter, name: String) throws(RecordingWriter.Failure) {
        let failure: RecordingWriter.Failure? = queue.sync {
            if let (kind, payload) = preamble {
                do { try writer.setPreamble(kind: kind, payload) } catch { return error as? RecordingWriter.Failure }
            }
            sinks.append(RecordingSink(writer, name: name))
            return nil
        }
        if let failure { throw failure }
        state.withLock {
            $0.destinations += 1
            if name != FlightRecorder.name { $0.files += 1 }
        }
    }

    /// Stops writing to the destination named `name` and syncs it; false if there was none.
    @discardableResult
    public func remove(_ name: String) -> Bool {
        let removed = queue.sync { () -> RecordingSink? in
            guard let i = sinks.firstIndex(where: { $0.name == name }) else { return nil }
            return sinks.remove(at: i)
        }
        guard let removed else { return false }
        removed.writer.close()
        state.withLock {
            $0.destinations -= 1
            if name != FlightRecorder.name { $0.files -= 1 }
        }
        return true
    }

    public func has(_ name: String) -> Bool { queue.sync { sinks.contains { $0.name == name } } }

    public func append(_ snapshot: HostSnapshot, now: Double) {
        guard state.withLock({ $0.destinations > 0 }) else { return }
        let payload = SnapshotCodec.encode(snapshot)
        enqueue(now: now) { try $0.append(kind: .snapshot, payload, now: now) }
    }

    /// An alert transition, a probe result or an incident entry.
    public func append(kind: RecordKind, _ payload: [UInt8], now: Double) {
        enqueue(now: now) { try $0.append(kind: kind, payload, now: now) }
    }

    /// What every file of the recording starts with (the probe list), written now.
    public func setPreamble(kind: RecordKind, _ payload: [UInt8]) {
        queue.sync { preamble = (kind, payload) }
        enqueue(now: nil) { try $0.setPreamble(kind: kind, payload) }
    }

    /// `now` is monotonic seconds, for the retry after a failure (nil: no retry now).
    private func enqueue(now: Double?, _ write: @escaping @Sendable (RecordingWriter) throws -> Void) {
        let accepted = state.withLock { s -> Bool in
            guard s.destinations > 0 else { return false }
            guard s.pending < capacity else {
                s.dropped += 1
                return false
            }
            s.pending += 1
            return true
        }
        guard accepted else { return }
        queue.async { [self] in
            defer { state.withLock { $0.pending -= 1 } }
            for sink in sinks {
                switch sink.write(now: now, write) {
                case .written, .skipped: break
                case .paused(let why):
                    log.error("\(sink.name): recording paused: \(why); trying again in \(Int(sink.retryAfter)) s")
                case .resumed(let lost):
                    log.notice("\(sink.name): recording again in a fresh file after \(lost) records lost")
                }
            }
        }
    }

    /// Waits (at most `seconds`) for what is queued to be written, at exit.
    public func finish(seconds: Double = 2) {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        _ = done.wait(timeout: .now() + seconds)
        let dropped = state.withLock { $0.dropped }
        if dropped > 0 { log.warning("recording: \(dropped) records dropped while the disk was slow") }
    }
}

/// The last minutes of the dashboard kept on disk (on unless `--flight-recorder off`), so
/// what came before a crash or an SSH drop can be replayed: `watchbill replay --flight`.
public enum FlightRecorder {
    public static var path: String { FileLog.stateDirectory() + "/flight.wbr" }
    /// Its name in the log and among the recorder's destinations.
    public static let name = "flight recorder"
    /// Parts read back at most (`replay --flight` and `--rotated`).
    public static let maxParts = 5

    /// A recording's files, oldest first: its rotated parts that exist (`FILE.5` ... `FILE.1`)
    /// when asked for, then the file itself.
    public static func parts(of base: String, rotated: Bool) -> [String] {
        guard rotated else { return [base] }
        return (1...maxParts).reversed().map { "\(base).\($0)" }.filter { access($0, F_OK) == 0 } + [base]
    }

    /// What the last run recorded of the `span` before now, for a restart to take back;
    /// empty without a flight recording. Read before the writer opens (it rotates the file).
    public static func refill(specs: [ProbeSpec], span: Double, log: Logger) -> FlightRefill {
        let paths = parts(of: path, rotated: true).filter { access($0, F_OK) == 0 }
        guard !paths.isEmpty else { return FlightRefill() }
        let recording: RecordingSet
        do {
            recording = try RecordingSet(paths: paths)
        } catch {
            log.warning("flight recorder not read back: \(error)")
            return FlightRefill()
        }
        let refill = FlightRefill(recording, span: span, wallNow: Clock.wall(), monotonicNow: Clock.monotonic(), specs: specs)
        for p in refill.problems { log.warning("\(p); the samples before it are used") }
        if let (first, last) = refill.span {
            let span = "\(Clock.localTimestamp(first)) to \(Clock.localTimestamp(last))"
            log.info("flight recorder: \(refill.tickCount) samples (\(span)) and \(refill.probeResults.count) probe results taken back")
        }
        return refill
    }

    /// Rotates at half the span and keeps three parts: always at least the span on disk.
    public static func writer(span: Double, now: Double) throws(RecordingWriter.Failure) -> RecordingWriter {
        FileLog.makeDirectories(FileLog.stateDirectory())
        return try RecordingWriter(path: path, maxBytes: 64 << 20, maxAge: span, keep: 3, rotateAfter: span / 2, now: now)
    }
}
