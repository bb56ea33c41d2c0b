#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore

/// What a recording holds, one record per block: the first payload byte says which kind.
public enum RecordKind: UInt8, Sendable {
    case snapshot = 1
    /// An alert changing state (`AlertRecord`).
    case alert = 2
    /// An incident timeline entry (`IncidentRecord`).
    case incident = 3
    /// The probed targets (`RecordedProbe`s), at the start of every file.
    case probes = 4
    /// One probe's outcome (`ProbeResult`).
    case probeResult = 5
}

/// One record read back.
public enum Record: Sendable {
    case snapshot(HostSnapshot)
    case alert(AlertRecord)
    case incident(IncidentRecord)
    case probes([RecordedProbe])
    case probeResult(ProbeResult)

    /// When it happened, on the wall clock (nil for the probe list, which is not an event).
    public var wallClock: Double? {
        switch self {
        case .snapshot(let s): return s.wallClock
        case .alert(let a): return a.wallClock
        case .incident(let i): return i.at
        case .probes: return nil
        case .probeResult(let r): return r.time
        }
    }
}

/// Appends records to a recording file (created mode 0600 with its header), one block per
/// record, each in a single write: a crash loses at most the block being written. A file
/// already there is never appended to: a recording is moved to `FILE.1` (so a torn last
/// block of an earlier run cannot hide this one), anything else is refused untouched.
/// Rotates below-style by size and by age: `FILE` becomes `FILE.1` (older ones shift up,
/// `keep` are kept), and rotated files older than `maxAge` are removed. One writer per file
/// (an advisory lock), so two dashboards cannot interleave their blocks.
public final class RecordingWriter {
    public let path: String
    public let maxBytes: Int
    public let maxAge: Double
    public let keep: Int
    private var fd: Int32 = -1
    private var size = 0
    private var startedAt = 0.0
    private var lastSync = 0.0
    /// Blocks every file starts with (the probe list), so a rotated file replays alone.
    private var preamble: [[UInt8]] = []

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Seconds a file is written before it rotates (`maxAge` unless set: the flight
    /// recorder rotates at half its span and keeps the parts for the whole span).
    public let rotateAfter: Double

    public init(path: String, maxBytes: Int = 512 << 20, maxAge: Double = 7 * 86_400, keep: Int = 5,
                rotateAfter: Double? = nil, now: Double = 0) throws(Failure) {
        self.path = path
        self.maxBytes = maxBytes
        self.maxAge = maxAge
        self.rotateAfter = rotateAfter ?? maxAge
        self.keep = max(1, keep)
        var st = stat()
        if stat(path, &st) == 0 && st.st_size > 0 {
            guard RecordingWriter.isRecording(path) else {
                throw Failure(description: "\(path) exists and is not a watchbill recording; not touched")
            }
            try shift()
        }
        try openFile(now: now)
    }

    deinit { close() }

    /// Syncs and closes the file (a recording stopped with `R`); appends after it fail.
    public func close() {
        if fd >= 0 {
            fsync(fd)
            Glibc.close(fd)
        }
        fd = -1
    }

    static func isRecording(_ path: String) -> Bool {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { Glibc.close(fd) }
        var header = [UInt8](repeating: 0, count: BlockFile.headerSize)
        guard Glibc.read(fd, &header, header.count) == header.count else { return false }
        return Array(header[0..<BlockFile.magic.count]) == BlockFile.magic
    }

    private func openFile(now: Double) throws(Failure) {
        fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "\(path): cannot create: \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            Glibc.close(fd)
            fd = -1
            throw Failure(description: "\(path): another watchbill is recording to it")
        }
        size = 0
        startedAt = now
        try write(BlockFile.header)
        for block in preamble { try write(block) }
    }

    /// Sets what every file starts with and writes it to this one now.
    public func setPreamble(kind: RecordKind, _ payload: [UInt8]) throws(Failure) {
        guard let block = BlockFile.frame([kind.rawValue] + payload) else {
            throw Failure(description: "a record of \(payload.count) bytes is larger than a block may be")
        }
        preamble = [block]
        try write(block)
    }

    /// Appends one snapshot; `now` is monotonic seconds (for syncs and the age limit).
    public func append(_ snapshot: HostSnapshot, now: Double, syncEvery: Double = 10) throws(Failure) {
        try append(kind: .snapshot, SnapshotCodec.encode(snapshot), now: now, syncEvery: syncEvery)
    }

    public func append(kind: RecordKind, _ payload: [UInt8], now: Double, syncEvery: Double = 10) throws(Failure) {
        guard let block = BlockFile.frame([kind.rawValue] + payload) else {
            throw Failure(description: "a record of \(payload.count) bytes is larger than a block may be")
        }
        let fresh = BlockFile.headerSize + preamble.reduce(0) { $0 + $1.count }
        if size > fresh && (size + block.count > maxBytes || now - startedAt > rotateAfter) {
            try rotate(now: now)
        }
        try write(block)
        if now - lastSync >= syncEvery {
            // A full disk on a network filesystem may only say so here.
            guard fsync(fd) == 0 else { throw Failure(description: "\(path): cannot sync: \(String(cString: strerror(errno)))") }
            lastSync = now
        }
    }

    private func write(_ bytes: [UInt8]) throws(Failure) {
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count else {
            let why = n < 0 ? String(cString: strerror(errno)) : "short write (disk full?)"
            throw Failure(description: "\(path): \(why)")
        }
        size += n
    }

    /// Starts a fresh file after a failed write (a full disk freed, a remount): the
    /// damaged end stays in the rotated file, where readers stop at it.
    public func restart(now: Double) throws(Failure) {
        // A file that never got past its start (the disk was still full) is replaced, not
        // rotated: retries must not push good recordings out of the kept parts.
        guard size <= BlockFile.headerSize + preamble.reduce(0, { $0 + $1.count }) else {
            try rotate(now: now)
            return
        }
        close()
        unlink(path)
        try openFile(now: now)
    }

    private func rotate(now: Double) throws(Failure) {
        close()
        try shift()
        try openFile(now: now)
    }

    /// `FILE` to `FILE.1`, the older ones up by one, the oldest and the too old removed.
    private func shift() throws(Failure) {
        unlink("\(path).\(keep)")
        for n in stride(from: keep - 1, through: 1, by: -1) { rename("\(path).\(n)", "\(path).\(n + 1)") }
        guard rename(path, "\(path).1") == 0 else {
            throw Failure(description: "\(path): cannot rotate: \(String(cString: strerror(errno)))")
        }
        let wall = Double(time(nil))
        for n in 1...keep {
            var st = stat()
            if stat("\(path).\(n)", &st) == 0, wall - Double(st.st_mtim.tv_sec) > maxAge { unlink("\(path).\(n)") }
        }
    }
}

/// A recording read back: its snapshots in order, and where and why reading stopped early.
public struct RecordingContents: Sendable {
    public var snapshots: [HostSnapshot]
    public var problem: String?

    /// Every readable record of the file's bytes, up to the first damage.
    public init(bytes: [UInt8]) {
        var snapshots: [HostSnapshot] = []
        var problem: String?
        let end = RecordingContents.scan(bytes) { snapshot in
            snapshots.append(snapshot)
            return true
        } damaged: { problem = $0 }
        self.snapshots = snapshots
        self.problem = problem ?? end
    }

    /// The snapshot on screen at `wallClock`: the last one taken at or before it.
    public func snapshot(at wallClock: Double) -> HostSnapshot? {
        snapshots.last { $0.wallClock <= wallClock } ?? snapshots.first
    }

    /// Decodes snapshots one at a time (a file of a week is not held decoded) until `body`
    /// returns false; returns why reading stopped early, if it did.
    @discardableResult
    public static func scan(_ bytes: [UInt8], _ body: (HostSnapshot) -> Bool, damaged: (String) -> Void = { _ in }) -> String? {
        scanRecords(bytes, { record in
            if case .snapshot(let s) = record { return body(s) }
            return true
        }, damaged: damaged)
    }

    /// Every record in order, decoded one at a time, until `body` returns false; returns why
    /// reading stopped early, if it did. A kind a newer watchbill wrote is skipped.
    @discardableResult
    public static func scanRecords(_ bytes: [UInt8], _ body: (Record) -> Bool, damaged: (String) -> Void = { _ in }) -> String? {
        var number = 0
        var problem: String?
        let end = BlockFile.forEachBlock(bytes) { block in
            number += 1
            guard let kind = block.first.flatMap(RecordKind.init(rawValue:)) else { return true }
            guard let record = decode(kind, Array(block.dropFirst())), plausible(record) else {
                problem = "record \(number) does not decode"
                return false
            }
            return body(record)
        }
        if let problem { damaged(problem) }
        return problem ?? end.problem
    }

    public static func decode(_ kind: RecordKind, _ payload: [UInt8]) -> Record? {
        switch kind {
        case .snapshot: return (try? SnapshotCodec.decode(payload)).map(Record.snapshot)
        case .alert: return (try? EventCodec.decodeAlert(payload)).map(Record.alert)
        case .incident: return (try? EventCodec.decodeIncident(payload)).map(Record.incident)
        case .probes: return (try? EventCodec.decodeProbes(payload)).map(Record.probes)
        case .probeResult: return (try? EventCodec.decodeProbeResult(payload)).map(Record.probeResult)
        }
    }

    static func plausible(_ r: Record) -> Bool {
        switch r {
        case .snapshot(let s): return plausible(s)
        case .probes: return true
        case .probeResult(let p): return plausible(time: p.time) && p.duration.isFinite && plausible(time: p.phases.total)
        default: return plausible(time: r.wallClock ?? 0)
        }
    }

    static func plausible(time: Double) -> Bool { time.isFinite && abs(time) < 1e11 }

    /// Times a real tick could carry: a record that passed its checksum but holds these is
    /// the writer's bug or a crafted file, and would trap the clock formatting.
    static func plausible(_ s: HostSnapshot) -> Bool {
        s.wallClock.isFinite && abs(s.wallClock) < 1e11 && s.time.isFinite && abs(s.time) < 1e11
    }
}
