/// A cursor over ASCII bytes for the `/proc` formats: whitespace-separated fields,
/// decimal integers, simple decimals. Parsing bytes avoids Foundation and string copies
/// on the collection path, which runs every second for as long as Watchbill runs.
struct ByteScanner {
    let bytes: [UInt8]
    var position: Int

    init(_ bytes: [UInt8], position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var atEnd: Bool { position >= bytes.count }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    mutating func skipSpaces() {
        while position < bytes.count, ByteScanner.isSpace(bytes[position]) { position += 1 }
    }

    /// Moves past the next newline; returns false at the end.
    @discardableResult
    mutating func nextLine() -> Bool {
        while position < bytes.count, bytes[position] != 0x0A { position += 1 }
        guard position < bytes.count else { return false }
        position += 1
        return position < bytes.count
    }

    var atLineEnd: Bool { position >= bytes.count || bytes[position] == 0x0A }

    /// The next whitespace-delimited field on this line, as a slice range.
    mutating func field() -> Range<Int>? {
        skipSpaces()
        let start = position
        while position < bytes.count, !ByteScanner.isSpace(bytes[position]), bytes[position] != 0x0A {
            position += 1
        }
        return start < position ? start..<position : nil
    }

    mutating func fieldString() -> String? {
        guard let r = field() else { return nil }
        return String(decoding: bytes[r], as: UTF8.self)
    }

    /// An unsigned decimal; nil when the next field is not one (or overflows).
    mutating func uint() -> UInt64? {
        skipSpaces()
        var value: UInt64 = 0
        var digits = 0
        while position < bytes.count {
            let b = bytes[position]
            guard b >= 0x30 && b <= 0x39 else { break }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(b - 0x30))
            if o1 || o2 { return nil }
            value = s
            digits += 1
            position += 1
        }
        return digits > 0 ? value : nil
    }

    /// A non-negative decimal such as `0.26` or `12.50`. All digits are read as one integer
    /// and divided once, so the result is the double nearest the text (`0.70` == 0.7).
    mutating func decimal() -> Double? {
        skipSpaces()
        guard var mantissa = uint() else { return nil }
        var scale = 1.0
        if position < bytes.count, bytes[position] == 0x2E {
            position += 1
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                if mantissa < UInt64(1) << 52 {
                    mantissa = mantissa * 10 + UInt64(bytes[position] - 0x30)
                    scale *= 10
                }
                position += 1
            }
        }
        return Double(mantissa) / scale
    }

    /// Whether the bytes at the cursor start with `prefix`.
    func hasPrefix(_ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { p in
            guard position + p.count <= bytes.count else { return false }
            for i in 0..<p.count where bytes[position + i] != p[i] { return false }
            return true
        }
    }

    mutating func skip(_ n: Int) { position = min(bytes.count, position + n) }

    mutating func expect(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }
}

