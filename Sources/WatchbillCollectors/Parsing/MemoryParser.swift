import WatchbillCore

public enum MemoryParser {
    /// `/proc/meminfo`: `Key:   value kB` lines.
    public static func meminfo(_ bytes: [UInt8]) throws -> MemorySample {
        var s = ByteScanner(bytes)
        var values: [String: UInt64] = [:]
        var line = 0
        repeat {
            line += 1
            let start = s.position
            while !s.atLineEnd, s.bytes[s.position] != 0x3A { s.position += 1 }
            if !s.atLineEnd {
                let key = String(decoding: s.bytes[start..<s.position], as: UTF8.self)
                s.position += 1
                if let v = s.uint() {
                    s.skipSpaces()
                    let (bytes, overflow) = s.hasPrefix("kB") ? v.multipliedReportingOverflow(by: 1024) : (v, false)
                    // Past 2^54 bytes no sum of two fields can overflow either.
                    guard !overflow, bytes < (UInt64(1) << 54) else {
                        throw SourceError(file: "/proc/meminfo", line: line, cause: "\(key) is out of range")
                    }
                    values[key] = bytes
                }
            }
        } while s.nextLine()
        guard let sample = MemorySample.fromKernelFields({ values[$0] }) else {
            throw SourceError(file: "/proc/meminfo", line: 1, cause: "MemTotal or MemFree missing")
        }
        return sample
    }
}
