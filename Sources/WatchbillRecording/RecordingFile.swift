#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore

/// A recording read from its file, never whole: one pass reads it in chunks, checks every
/// block and notes where each record is; a record is read again (`pread`) when it is
/// played. A file larger than memory replays in the memory of its index (a few dozen bytes
/// a tick). The blocks before the end never change (the writer only appends), so what the
/// pass checked stays checked.
public final class RecordingFile: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    /// Bytes read at a time while scanning (small in tests, so blocks straddle chunks).
    var chunkSize = 1 << 20

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Where a record's payload (its kind byte first) is in the file.
    public struct Place: Sendable, Equatable {
        public var offset: Int64
        public var length: Int32
    }

    public init(path: String) throws(Failure) {
        self.path = path
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "\(path): cannot read: \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    /// The file's size now (a live recording grows).
    public var size: Int64 {
        var st = stat()
        return fstat(fd, &st) == 0 ? Int64(st.st_size) : 0
    }

    /// Every record in order, decoded, with its place, until `body` returns false, the
    /// first damage or the end; returns why reading stopped early, if it did. The messages
    /// are `BlockFile`'s, with the byte offset.
    @discardableResult
    public func scan(_ body: (Record, Place) -> Bool) -> String? {
        let end = size
        var chunks = ChunkReader(fd: fd, chunk: chunkSize)
        guard let header = chunks.bytes(at: 0, count: BlockFile.headerSize),
              Array(header[0..<BlockFile.magic.count]) == BlockFile.magic else { return "not a watchbill recording" }
        if let problem = BlockFile.versionProblem(header) { return problem }
        var at = Int64(BlockFile.headerSize)
        var number = 0
        while at < end {
            guard end - at >= Int64(BlockFile.blockOverhead), let head = chunks.bytes(at: at, count: BlockFile.blockOverhead) else {
                return "a block header cut short at byte \(at)"
            }
            guard Array(head[0..<4]) == BlockFile.blockMagic else { return "no block starts at byte \(at)" }
            let length = Int(BlockFile.u32(head, 4)), sum = BlockFile.u32(head, 8)
            guard length <= BlockFile.maxPayload else { return "a block at byte \(at) claims \(length) bytes" }
            let start = at + Int64(BlockFile.blockOverhead)
            guard end - start >= Int64(length), let payload = chunks.bytes(at: start, count: length) else {
                return "the block at byte \(at) is cut short"
            }
            guard CRC32.checksum(payload[...]) == sum else { return "the block at byte \(at) fails its checksum" }
            number += 1
            at = start + Int64(length)
            // A kind a newer watchbill wrote is skipped, not an error.
            guard let kind = payload.first.flatMap(RecordKind.init(rawValue:)) else { continue }
            guard let record = RecordingContents.decode(kind, Array(payload.dropFirst())), RecordingContents.plausible(record) else {
                return "record \(number) does not decode"
            }
            if !body(record, Place(offset: start, length: Int32(length))) { return nil }
        }
        return nil
    }

    /// The record at `place` (noted by `scan`), read again from the file.
    public func record(at place: Place) -> Record? {
        var buffer = [UInt8](repeating: 0, count: Int(place.length))
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(place.offset)) }
        guard n == Int(place.length), let kind = buffer.first.flatMap(RecordKind.init(rawValue:)) else { return nil }
        return RecordingContents.decode(kind, Array(buffer.dropFirst()))
    }

    public func snapshot(at place: Place) -> HostSnapshot? {
        if case .snapshot(let s)? = record(at: place) { return s }
        return nil
    }
}

/// Sequential reads in 1 MiB chunks, so a scan costs a read per megabyte, not two per block.
struct ChunkReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var bufferStart: Int64 = 0
    let chunk: Int

    init(fd: Int32, chunk: Int) {
        self.fd = fd
        self.chunk = chunk
    }

    /// `count` bytes at `offset`, or nil when the file ends first.
    mutating func bytes(at offset: Int64, count: Int) -> [UInt8]? {
        let end = bufferStart + Int64(buffer.count)
        if offset < bufferStart || offset + Int64(count) > end {
            buffer = [UInt8](repeating: 0, count: max(count, chunk))
            var filled = 0
            while filled < buffer.count {
                let n = buffer.withUnsafeMutableBytes {
                    pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(offset) + off_t(filled))
                }
                if n <= 0 { break }
                filled += n
            }
            buffer.removeLast(buffer.count - filled)
            bufferStart = offset
            guard filled >= count else { return nil }
        }
        let from = Int(offset - bufferStart)
        return Array(buffer[from..<from + count])
    }
}

/// Recording files read as one, oldest first (a rotated set, or the flight recorder's):
/// where every tick is and when it was taken, and everything else they hold. The ticks
/// stay in the files.
public final class RecordingSet: @unchecked Sendable {
    public struct Tick: Sendable {
        public var file: Int
        public var place: RecordingFile.Place
        public var time: Double
        public var wallClock: Double
    }

    public let files: [RecordingFile]
    public private(set) var ticks: [Tick] = []
    public private(set) var events = RecordedEvents()
    /// Where and why reading a file stopped early, as `path: why`.
    public private(set) var problems: [String] = []

    public init(paths: [String]) throws(RecordingFile.Failure) {
        var files: [RecordingFile] = []
        for p in paths { files.append(try RecordingFile(path: p)) }
        self.files = files
        for (n, file) in files.enumerated() {
            var events = self.events
            let problem = file.scan { record, place in
                if !events.add(record), case .snapshot(let s) = record {
                    ticks.append(Tick(file: n, place: place, time: s.time, wallClock: s.wallClock))
                }
                return true
            }
            self.events = events
            if let problem { problems.append("\(file.path): \(problem)") }
        }
        events.finish()
    }

    public func snapshot(_ i: Int) -> HostSnapshot? {
        guard ticks.indices.contains(i) else { return nil }
        return files[ticks[i].file].snapshot(at: ticks[i].place)
    }
}
