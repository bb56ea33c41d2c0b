/// The recording file's framing (docs/recording-format.md): a header, then blocks that are
/// only ever appended. Each block carries its length and a CRC-32 of its payload, so a
/// crash or a full disk in the middle of a write loses that block only: a reader stops at
/// the first block that is short or does not check, and everything before it stands.
///
///     header:  "WATCHBILLREC", format version (u16 LE), 0x00 0x00   (16 bytes)
///     block:   "BLK1", payload length (u32 LE), CRC-32 of the payload (u32 LE), payload
public enum BlockFile {
    public static let magic = Array("WATCHBILLREC".utf8)
    public static let version: UInt16 = 1
    public static let headerSize = 16
    static let blockMagic = Array("BLK1".utf8)
    static let blockOverhead = 12
    /// No block is larger: a length beyond this is damage, not data.
    public static let maxPayload = 16 << 20

    public static var header: [UInt8] {
        magic + [UInt8(version & 0xFF), UInt8(version >> 8), 0, 0]
    }

    /// One block, ready to append; nil for a payload larger than a block may be.
    public static func frame(_ payload: [UInt8]) -> [UInt8]? {
        guard payload.count <= maxPayload else { return nil }
        var out = blockMagic
        out.reserveCapacity(blockOverhead + payload.count)
        append(UInt32(payload.count), to: &out)
        append(CRC32.checksum(payload), to: &out)
        return out + payload
    }

    public struct Reading: Equatable, Sendable {
        public var blocks: [[UInt8]]
        /// Where reading stopped early (a torn or damaged block), and why; nil when every
        /// byte was read.
        public var stoppedAt: Int?
        public var problem: String?
    }

    /// The blocks of a file's bytes, up to the first damage.
    public static func read(_ bytes: [UInt8]) -> Reading {
        var blocks: [[UInt8]] = []
        let end = forEachBlock(bytes) { payload in
            blocks.append(Array(payload))
            return true
        }
        return Reading(blocks: blocks, stoppedAt: end.stoppedAt, problem: end.problem)
    }

    /// Hands each good block's payload to `body` in order, without copying the file, until
    /// `body` returns false or the first damage; says where and why it stopped early.
    @discardableResult
    public static func forEachBlock(_ bytes: [UInt8], _ body: (ArraySlice<UInt8>) -> Bool)
        -> (stoppedAt: Int?, problem: String?) {
        guard bytes.count >= headerSize, Array(bytes[0..<magic.count]) == magic else {
            return (0, "not a watchbill recording")
        }
        if let problem = versionProblem(bytes) { return (0, problem) }
        var at = headerSize
        while at < bytes.count {
            guard bytes.count - at >= blockOverhead else { return (at, "a block header cut short at byte \(at)") }
            guard Array(bytes[at..<at + 4]) == blockMagic else { return (at, "no block starts at byte \(at)") }
            let length = Int(u32(bytes, at + 4)), sum = u32(bytes, at + 8)
            guard length <= maxPayload else { return (at, "a block at byte \(at) claims \(length) bytes") }
            let start = at + blockOverhead
            guard bytes.count - start >= length else { return (at, "the block at byte \(at) is cut short") }
            let payload = bytes[start..<start + length]
            guard CRC32.checksum(payload) == sum else { return (at, "the block at byte \(at) fails its checksum") }
            at = start + length
            if !body(payload) { return (nil, nil) }
        }
        return (nil, nil)
    }

    /// Why a file with our magic cannot be read or appended to by this version.
    public static func versionProblem(_ header: [UInt8]) -> String? {
        let fileVersion = UInt16(header[magic.count]) | UInt16(header[magic.count + 1]) << 8
        guard fileVersion <= version else {
            return "recording format version \(fileVersion) is newer than this watchbill reads (\(version))"
        }
        return nil
    }

    static func append(_ v: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((v >> UInt32(shift)) & 0xFF)) }
    }

    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
}
