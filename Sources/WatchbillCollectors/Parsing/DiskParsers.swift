import WatchbillCore

public enum DiskParsers {
    /// `/proc/self/mountinfo`. Fields: id parent major:minor root mountpoint options
    /// [optional fields...] - fstype source superoptions.
    public static func mountinfo(_ bytes: [UInt8]) throws -> [Mount] {
        var s = ByteScanner(bytes)
        var mounts: [Mount] = []
        var line = 1
        repeat {
            if !s.atLineEnd {
                var fields: [Range<Int>] = []
                while let f = s.field() { fields.append(f) }
                guard fields.count >= 7,
                      let dash = fields.indices.dropFirst(6).first(where: { s.bytes[fields[$0]] == [0x2D] }),
                      dash + 2 < fields.count else {
                    throw SourceError(file: "/proc/self/mountinfo", line: line, cause: "malformed mount line")
                }
                mounts.append(Mount(
                    mountPoint: unescape(s.bytes[fields[4]]),
                    fsType: String(decoding: s.bytes[fields[dash + 1]], as: UTF8.self),
                    source: unescape(s.bytes[fields[dash + 2]]),
                    device: String(decoding: s.bytes[fields[2]], as: UTF8.self)))
            }
            line += 1
        } while s.nextLine()
        return mounts
    }

    /// The kernel writes space, tab, newline and backslash in paths as `\040`-style octal.
    static func unescape(_ raw: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let b = raw[i]
            if b == 0x5C, i + 3 < raw.endIndex {
                let digits = raw[(i + 1)...(i + 3)]
                if digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x37 }) {
                    let v = digits.reduce(0) { $0 * 8 + Int($1 - 0x30) }
                    if v <= 0xFF {
                        out.append(UInt8(v))
                        i += 4
                        continue
                    }
                }
            }
            out.append(b)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `/proc/diskstats`: major minor name, then at least 11 counters.
    public static func diskstats(_ bytes: [UInt8]) throws -> [DiskCounters] {
        var s = ByteScanner(bytes)
        var disks: [DiskCounters] = []
        var line = 1
        repeat {
            if !s.atLineEnd {
                guard s.uint() != nil, s.uint() != nil, let name = s.fieldString() else {
                    throw SourceError(file: "/proc/diskstats", line: line, cause: "expected 'major minor name'")
                }
                var v: [UInt64] = []
                while v.count < 11, let n = s.uint() { v.append(n) }
                guard v.count >= 10 else {
                    throw SourceError(file: "/proc/diskstats", line: line, cause: "\(name) has \(v.count) counters, need 10")
                }
                disks.append(DiskCounters(name: name, readsCompleted: v[0], sectorsRead: v[2], msReading: v[3],
                                          writesCompleted: v[4], sectorsWritten: v[6], msWriting: v[7],
                                          msDoingIO: v[9]))
            }
            line += 1
        } while s.nextLine()
        return disks
    }
}
