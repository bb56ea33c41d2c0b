#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore

/// What a recording holds, one record per block: the first payload byte says which kind.
public enum RecordKind: UInt8, Sendable {
    case snapshot = 1
}

/// Appends records to a recording file (created mode 0600 with its header), one block per
/// record, each in a single write: a crash loses at most the block being written. Rotates
/// by size, below-style: `FILE` becomes `FILE.1` (older ones shift up, `keep` are kept),
/// and rotated files older than `maxAge` are removed.
public final class RecordingWriter {
    public let path: String
    public let maxBytes: Int
    public let maxAge: Double
    public let keep: Int
    private var fd: Int32 = -1
    private var size = 0
    private var lastSync = 0.0

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(path: String, maxBytes: Int = 512 << 20, maxAge: Double = 7 * 86_400, keep: Int = 5) throws(Failure) {
        self.path = path
        self.maxBytes = maxBytes
        self.maxAge = maxAge
        self.keep = keep
        try openFile()
    }

    deinit { if fd >= 0 { fsync(fd); close(fd) } }

    private func openFile() throws(Failure) {
        fd = Glibc.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "\(path): cannot open: \(String(cString: strerror(errno)))") }
        var st = stat()
        fstat(fd, &st)
        size = Int(st.st_size)
        if size == 0 { try write(BlockFile.header) }
    }

    /// Appends one snapshot; syncs at most every `syncEvery` seconds of `now` (monotonic).
    public func append(_ snapshot: HostSnapshot, now: Double, syncEvery: Double = 10) throws(Failure) {
        try append(kind: .snapshot, SnapshotCodec.encode(snapshot), now: now, syncEvery: syncEvery)
    }

    public func append(kind: RecordKind, _ payload: [UInt8], now: Double, syncEvery: Double = 10) throws(Failure) {
        let block = BlockFile.frame([kind.rawValue] + payload)
        if size + block.count > maxBytes && size > BlockFile.headerSize { try rotate() }
        try write(block)
        if now - lastSync >= syncEvery {
            fsync(fd)
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

    private func rotate() throws(Failure) {
        fsync(fd)
        close(fd)
        fd = -1
        unlink("\(path).\(keep)")
        for n in stride(from: keep - 1, through: 1, by: -1) { rename("\(path).\(n)", "\(path).\(n + 1)") }
        rename(path, "\(path).1")
        let now = Double(time(nil))
        for n in 1...keep {
            var st = stat()
            if stat("\(path).\(n)", &st) == 0, now - Double(st.st_mtim.tv_sec) > maxAge { unlink("\(path).\(n)") }
        }
        try openFile()
    }
}

/// A recording read back: its snapshots in order, and where and why reading stopped early.
public struct RecordingContents: Sendable {
    public var snapshots: [HostSnapshot]
    public var problem: String?

    /// Every readable record of the file's bytes, up to the first damage.
    public init(bytes: [UInt8]) {
        let blocks = BlockFile.read(bytes)
        snapshots = []
        problem = blocks.problem
        for (n, block) in blocks.blocks.enumerated() {
            guard let kind = block.first.flatMap(RecordKind.init(rawValue:)) else { continue }  // a newer kind: skipped
            switch kind {
            case .snapshot:
                do {
                    snapshots.append(try SnapshotCodec.decode(Array(block.dropFirst())))
                } catch {
                    problem = "record \(n + 1) does not decode (byte \(error.at))"
                    return
                }
            }
        }
    }

    /// The snapshot on screen at `wallClock`: the last one taken at or before it.
    public func snapshot(at wallClock: Double) -> HostSnapshot? {
        snapshots.last { $0.wallClock <= wallClock } ?? snapshots.first
    }
}
