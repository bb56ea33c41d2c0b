/// The per-minute and per-hour SLI counts that the error budget needs, as bytes for the
/// state file, so a restart does not reset a month's budget. Little-endian:
///
///     "WBSLI1\n"  then  u32 targets, per target: u16 name length, name (UTF-8),
///     u32 minutes, minutes × (i32 minute, u32 total, u32 good, u32 fast),
///     u32 hours, hours × (i32 hour, u32 total, u32 good, u32 fast);
///     then u64 FNV-1a of everything before it.
///
/// A damaged or truncated file decodes to nil: the budget starts again rather than from
/// wrong numbers.
public enum SLICountsFile {
    static let magic = Array("WBSLI1\n".utf8)

    public static func encode(_ counters: [String: SLICounters]) -> [UInt8] {
        var out = magic
        put(UInt32(counters.count), &out)
        for (name, c) in counters.sorted(by: { $0.key < $1.key }) {
            let bytes = Array(name.utf8.prefix(Int(UInt16.max)))
            put(UInt16(bytes.count), &out)
            out += bytes
            for slots in [c.storedMinutes, c.storedHours] {
                put(UInt32(slots.count), &out)
                for (index, counts) in slots {
                    put(UInt32(bitPattern: index), &out)
                    put(counts.total, &out)
                    put(counts.good, &out)
                    put(counts.fast, &out)
                }
            }
        }
        put(fnv1a(out), &out)
        return out
    }

    public static func decode(_ bytes: [UInt8]) -> [String: SLICounters]? {
        guard bytes.count >= magic.count + 12, Array(bytes.prefix(magic.count)) == magic else { return nil }
        let body = bytes.count - 8
        var sum: UInt64 = 0
        for k in 0..<8 { sum |= UInt64(bytes[body + k]) << (8 * k) }
        guard sum == fnv1a(bytes[..<body]) else { return nil }
        var r = Reader(bytes: bytes, end: body, at: magic.count)
        guard let n = r.u32() else { return nil }
        var result: [String: SLICounters] = [:]
        for _ in 0..<n {
            guard let len = r.u16(), let name = r.string(Int(len)) else { return nil }
            var c = SLICounters()
            for ring in 0..<2 {
                guard let slots = r.u32() else { return nil }
                for _ in 0..<slots {
                    guard let i = r.u32(), let total = r.u32(), let good = r.u32(), let fast = r.u32() else { return nil }
                    let counts = SLICounts(total: total, good: good, fast: fast)
                    // More good than total, or more fast than good, is no count: the slot is left out.
                    guard good <= total && fast <= good else { continue }
                    if ring == 0 { c.restore(minute: Int32(bitPattern: i), counts) } else { c.restore(hour: Int32(bitPattern: i), counts) }
                }
            }
            result[name] = c
        }
        return r.at == body ? result : nil
    }

    private static func put<T: FixedWidthInteger>(_ v: T, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    static func fnv1a<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        return h
    }

    private struct Reader {
        let bytes: [UInt8]
        let end: Int
        var at: Int

        mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, at + n <= end else { return nil }
            defer { at += n }
            return bytes[at..<(at + n)]
        }

        mutating func u16() -> UInt16? { take(2).map { UInt16($0[$0.startIndex]) | UInt16($0[$0.startIndex + 1]) << 8 } }

        mutating func u32() -> UInt32? {
            take(4).map { s in (0..<4).reduce(UInt32(0)) { $0 | UInt32(s[s.startIndex + $1]) << (8 * $1) } }
        }

        mutating func string(_ n: Int) -> String? { take(n).map { String(decoding: $0, as: UTF8.self) } }
    }
}
