import WatchbillCore

/// Pure parsers for the CPU-related `/proc` files: bytes in, samples out.
public enum CPUParsers {
    /// `/proc/stat`: the aggregate `cpu` line, one `cpuN` line per online CPU, and the
    /// `procs_running`/`procs_blocked` counts.
    public static func stat(_ bytes: [UInt8]) throws -> CPUStat {
        var s = ByteScanner(bytes)
        var total: CPUTimes?
        var cores: [Int: CPUTimes] = [:]
        var running: Int?, blocked: Int?
        var line = 1
        repeat {
            if s.hasPrefix("cpu") {
                s.skip(3)
                let isTotal = s.atLineEnd || ByteScanner.isSpace(s.bytes[s.position])
                let id = isTotal ? nil : s.uint()
                if !isTotal && id == nil {
                    throw SourceError(file: "/proc/stat", line: line, cause: "bad cpu number")
                }
                guard let t = times(&s) else {
                    throw SourceError(file: "/proc/stat", line: line, cause: "cpu line has fewer than 4 counters")
                }
                if let id {
                    guard let n = Int(exactly: id), n < 1 << 20 else {
                        throw SourceError(file: "/proc/stat", line: line, cause: "cpu number \(id) out of range")
                    }
                    cores[n] = t
                } else {
                    total = t
                }
            } else if s.hasPrefix("procs_running ") {
                s.skip(14); running = s.uint().flatMap { Int(exactly: $0) }
            } else if s.hasPrefix("procs_blocked ") {
                s.skip(14); blocked = s.uint().flatMap { Int(exactly: $0) }
            }
            line += 1
        } while s.nextLine()
        guard let total else { throw SourceError(file: "/proc/stat", line: 1, cause: "no aggregate cpu line") }
        return CPUStat(total: total, cores: cores, runnable: running, blocked: blocked)
    }

    private static func times(_ s: inout ByteScanner) -> CPUTimes? {
        var v: [UInt64] = []
        v.reserveCapacity(8)
        while v.count < 8, let n = s.uint() { v.append(n) }
        // Kernels before 2.6.11 had no steal and before 2.6 only four fields; pad with zeros.
        guard v.count >= 4 else { return nil }
        while v.count < 8 { v.append(0) }
        return CPUTimes(user: v[0], nice: v[1], system: v[2], idle: v[3],
                        iowait: v[4], irq: v[5], softirq: v[6], steal: v[7])
    }

    /// `/proc/loadavg`: `0.26 0.11 0.04 1/80 1896`.
    public static func loadavg(_ bytes: [UInt8]) throws -> LoadAverage {
        var s = ByteScanner(bytes)
        guard let a = s.decimal(), let b = s.decimal(), let c = s.decimal(),
              let run = s.uint().flatMap({ Int(exactly: $0) }), s.expect(0x2F),
              let total = s.uint().flatMap({ Int(exactly: $0) }) else {
            throw SourceError(file: "/proc/loadavg", line: 1, cause: "expected 'L1 L5 L15 running/total'")
        }
        return LoadAverage(one: a, five: b, fifteen: c, runnable: run, total: total)
    }

    /// `/proc/pressure/{cpu,memory,io}`: `some avg10=.. avg60=.. avg300=.. total=..` and `full ...`.
    public static func pressure(_ bytes: [UInt8], file: String) throws -> Pressure {
        var s = ByteScanner(bytes)
        var some: (Double, Double, Double)?
        var full: Double?
        var line = 1
        repeat {
            let isSome = s.hasPrefix("some ")
            let isFull = s.hasPrefix("full ")
            if isSome || isFull {
                s.skip(5)
                var avgs: [Double] = []
                while avgs.count < 3, let f = s.field() {
                    guard let eq = s.bytes[f].firstIndex(of: 0x3D) else { break }
                    var v = ByteScanner(s.bytes, position: eq + 1)
                    guard let d = v.decimal() else { break }
                    avgs.append(d)
                }
                guard avgs.count == 3 else {
                    throw SourceError(file: file, line: line, cause: "expected avg10= avg60= avg300=")
                }
                if isSome { some = (avgs[0], avgs[1], avgs[2]) } else { full = avgs[0] }
            }
            line += 1
        } while s.nextLine()
        guard let some else { throw SourceError(file: file, line: 1, cause: "no 'some' line") }
        return Pressure(someAvg10: some.0, someAvg60: some.1, someAvg300: some.2, fullAvg10: full)
    }

    /// `/proc/uptime`: seconds since boot (first field).
    public static func uptime(_ bytes: [UInt8]) throws -> Double {
        var s = ByteScanner(bytes)
        guard let up = s.decimal() else {
            throw SourceError(file: "/proc/uptime", line: 1, cause: "expected seconds since boot")
        }
        return up
    }
}
