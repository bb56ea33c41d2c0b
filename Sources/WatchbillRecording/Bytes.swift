/// The values inside a block's payload: unsigned LEB128 varints, zigzag for signed ones,
/// IEEE doubles little-endian, strings as a varint length and UTF-8.
public struct ByteWriter {
    public private(set) var bytes: [UInt8] = []
    public init() {}

    public mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func signed(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    public mutating func double(_ v: Double) {
        let bits = v.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8((bits >> UInt64(shift)) & 0xFF)) }
    }

    public mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        varint(UInt64(utf8.count))
        bytes += utf8
    }
}

/// Reads what `ByteWriter` wrote; every read is checked, so a damaged payload is an error,
/// never a trap.
public struct ByteReader {
    public struct Damaged: Error, Equatable { public var at: Int }

    let bytes: [UInt8]
    public private(set) var offset = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var atEnd: Bool { offset >= bytes.count }

    public mutating func varint() throws(Damaged) -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw Damaged(at: offset) }
            let b = bytes[offset]
            offset += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    public mutating func signed() throws(Damaged) -> Int64 {
        let u = try varint()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    public mutating func double() throws(Damaged) -> Double {
        guard bytes.count - offset >= 8 else { throw Damaged(at: offset) }
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
        offset += 8
        return Double(bitPattern: bits)
    }

    public mutating func string() throws(Damaged) -> String {
        let n = try varint()
        guard n <= UInt64(bytes.count - offset) else { throw Damaged(at: offset) }
        let s = String(decoding: bytes[offset..<offset + Int(n)], as: UTF8.self)
        offset += Int(n)
        return s
    }
}
