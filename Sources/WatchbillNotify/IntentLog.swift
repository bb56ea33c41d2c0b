#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The notifier's write-ahead journal: an intent line is on disk (fsync'ed) before its
/// send starts and a done line after it ends, so a crash at any point re-sends what was
/// not confirmed (a duplicate is possible, a loss is not). Receivers deduplicate alerts
/// by labels, so a duplicate costs nothing.
///
/// Opening reads the file, skips and reports lines it cannot trust (a torn last line
/// from a crash mid-write, anything malformed), drops intents older than `maxAge` (a
/// resolved notice from yesterday is noise), and rewrites the file with only the pending
/// intents. Thread-safe: the collection thread appends, the notifier thread marks done.
public final class IntentLog: Sendable {
    public struct Limits: Sendable {
        /// The file is rewritten once it passes either size, and at most half of it is live.
        public var maxBytes: Int
        public var maxLines: Int
        /// Intents older than this when the log is opened are dropped, not re-sent.
        public var maxAge: Double

        public init(maxBytes: Int = 1 << 20, maxLines: Int = 1000, maxAge: Double = 3600) {
            self.maxBytes = maxBytes
            self.maxLines = maxLines
            self.maxAge = maxAge
        }
    }

    /// A line skipped on open.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var cause: String
        public var description: String { "line \(line): \(cause)" }
    }

    /// What opening found, for the log: intents to re-send, lines skipped, stale intents dropped.
    public struct Recovery: Sendable, Equatable {
        public var pending: [Intent]
        public var problems: [Problem]
        public var droppedAsOld: Int
    }

    public let path: String
    public let limits: Limits
    public let recovery: Recovery

    private struct State {
        var fd: Int32
        var pending: [UInt64: Intent]
        var nextSeq: UInt64
        var lines: Int
        var bytes: Int
    }

    private let state: Mutex<State>

    /// Opens (or creates) the journal at `path`; `now` is the wall clock, for `maxAge`.
    public init(path: String, now: Double, limits: Limits = Limits()) throws(FileError) {
        self.path = path
        self.limits = limits
        let (recovered, maxSeq) = IntentLog.recover(try DurableFile.readAll(path) ?? [], now: now, maxAge: limits.maxAge)
        recovery = recovered
        let live = IntentLog.render(recovered.pending)
        try DurableFile.replace(path, with: live)
        let fd = try DurableFile.openForAppend(path)
        state = Mutex(State(fd: fd, pending: Dictionary(uniqueKeysWithValues: recovered.pending.map { ($0.seq, $0) }),
                            nextSeq: maxSeq + 1, lines: recovered.pending.count, bytes: live.count))
    }

    deinit { state.withLock { _ = close($0.fd) } }

    /// Journals a new intent (written and fsync'ed on return) and gives it its number.
    public func append(destination: String, body: String, at now: Double) throws(FileError) -> Intent {
        try state.withLock { (s: inout State) throws(FileError) -> Intent in
            let intent = Intent(seq: s.nextSeq, createdAt: now, destination: destination, body: body)
            try write(.intent(intent), to: &s)
            s.nextSeq += 1
            s.pending[intent.seq] = intent
            try compactIfLarge(&s)
            return intent
        }
    }

    /// Journals that an intent needs no more sending (delivered, refused, or given up on).
    public func markDone(_ seq: UInt64) throws(FileError) {
        try state.withLock { (s: inout State) throws(FileError) in
            guard s.pending[seq] != nil else { return }
            try write(.done(seq), to: &s)
            s.pending[seq] = nil
            try compactIfLarge(&s)
        }
    }

    /// Intents not yet done, oldest first: on open, the ones a crash left behind.
    public func pending() -> [Intent] {
        state.withLock { $0.pending.values.sorted { $0.seq < $1.seq } }
    }

    /// The journal's current size, for tests and the health line.
    public var size: (lines: Int, bytes: Int) { state.withLock { ($0.lines, $0.bytes) } }

    private func write(_ line: IntentLine, to s: inout State) throws(FileError) {
        let bytes = Array((line.text + "\n").utf8)
        do {
            try DurableFile.writeAll(s.fd, bytes, path: path)
            try DurableFile.sync(s.fd, path: path)
        } catch {
            // Cut a partial line off, or the next append would be glued to it.
            _ = ftruncate(s.fd, off_t(s.bytes))
            throw error
        }
        s.lines += 1
        s.bytes += bytes.count
    }

    /// Rewriting costs a write of every live intent, so it waits until most lines are dead.
    private func compactIfLarge(_ s: inout State) throws(FileError) {
        guard s.lines >= limits.maxLines || s.bytes >= limits.maxBytes, s.pending.count * 2 <= s.lines else { return }
        let live = s.pending.values.sorted { $0.seq < $1.seq }
        let bytes = IntentLog.render(live)
        try DurableFile.replace(path, with: bytes)
        let fd = try DurableFile.openForAppend(path)
        close(s.fd)
        s.fd = fd
        s.lines = live.count
        s.bytes = bytes.count
    }

    static func render(_ intents: [Intent]) -> [UInt8] {
        Array(intents.map { IntentLine.intent($0).text + "\n" }.joined().utf8)
    }

    /// Replays the file's lines; also returns the highest sequence number seen, so new
    /// intents never reuse one still in the file.
    static func recover(_ bytes: [UInt8], now: Double, maxAge: Double) -> (Recovery, maxSeq: UInt64) {
        var intents: [UInt64: Intent] = [:]
        var problems: [Problem] = []
        var maxSeq: UInt64 = 0
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let isLast = index == lines.count - 1
            if isLast && raw.isEmpty { break }  // the newline that ends the file
            if isLast {
                problems.append(Problem(line: number, cause: "torn: the file ends mid-line (a crash while writing)"))
                break
            }
            guard let text = String(validating: raw, as: UTF8.self) else {
                problems.append(Problem(line: number, cause: "not UTF-8"))
                continue
            }
            switch IntentLine.parse(Substring(text)) {
            case .failure(let e):
                problems.append(Problem(line: number, cause: e.cause))
            case .success(.intent(let intent)):
                if intents[intent.seq] != nil {
                    problems.append(Problem(line: number, cause: "sequence \(intent.seq) is used twice"))
                    continue
                }
                intents[intent.seq] = intent
                maxSeq = max(maxSeq, intent.seq)
            case .success(.done(let seq)):
                // A done for an intent compacted away earlier is harmless.
                intents[seq] = nil
                maxSeq = max(maxSeq, seq)
            }
        }
        let fresh = intents.values.filter { now - $0.createdAt <= maxAge }.sorted { $0.seq < $1.seq }
        return (Recovery(pending: fresh, problems: problems, droppedAsOld: intents.count - fresh.count), maxSeq)
    }
}
