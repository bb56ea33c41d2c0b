import WatchbillCore

public enum NetworkParser {
    /// `/proc/net/dev`: two header lines, then `name: 8 rx counters 8 tx counters`.
    /// A name and its counters may touch (`eth0:18446744...`) when the number is wide.
    public static func netdev(_ bytes: [UInt8]) throws -> [InterfaceCounters] {
        var s = ByteScanner(bytes)
        var out: [InterfaceCounters] = []
        var line = 1
        repeat {
            defer { line += 1 }
            guard line > 2, !s.atLineEnd else { continue }
            s.skipSpaces()
            let start = s.position
            guard let colon = s.bytes[start...].firstIndex(of: 0x3A),
                  !s.bytes[start..<colon].contains(0x0A) else {
                throw SourceError(file: "/proc/net/dev", line: line, cause: "expected 'interface:'")
            }
            let name = String(decoding: s.bytes[start..<colon], as: UTF8.self)
            s.position = colon + 1
            var v: [UInt64] = []
            while v.count < 16, let n = s.uint() { v.append(n) }
            guard v.count == 16 else {
                throw SourceError(file: "/proc/net/dev", line: line, cause: "\(name) has \(v.count) counters, need 16")
            }
            out.append(InterfaceCounters(name: name, rxBytes: v[0], rxPackets: v[1], rxErrors: v[2], rxDrops: v[3],
                                         txBytes: v[8], txPackets: v[9], txErrors: v[10], txDrops: v[11]))
        } while s.nextLine()
        return out
    }
}
