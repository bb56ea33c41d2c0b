#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore

/// Watchbill's own CPU share and resident memory, from `/proc/self`.
final class SelfUsageReader {
    let root: ProcRoot
    private var previous: (time: Double, ticks: UInt64)?
    private let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
    private let pageSize = UInt64(sysconf(Int32(_SC_PAGESIZE)))

    init(root: ProcRoot) { self.root = root }

    func read(time: Double) -> SelfUsage {
        var cpu: Double?
        if let ticks = cpuTicks() {
            if let p = previous, time > p.time, ticks >= p.ticks {
                cpu = Double(ticks - p.ticks) / ticksPerSecond / (time - p.time)
            }
            previous = (time, ticks)
        }
        return SelfUsage(cpuFraction: cpu, rssBytes: rss())
    }

    /// utime + stime: fields 14 and 15, counted after the parenthesised command name.
    private func cpuTicks() -> UInt64? {
        guard let b = root.read("/proc/self/stat"), let close = b.lastIndex(of: 0x29) else { return nil }
        var s = ByteScanner(b, position: close + 1)
        for _ in 0..<11 { guard s.field() != nil else { return nil } }
        guard let u = s.uint(), let k = s.uint() else { return nil }
        return u &+ k
    }

    private func rss() -> UInt64? {
        guard let b = root.read("/proc/self/statm") else { return nil }
        var s = ByteScanner(b)
        guard s.uint() != nil, let pages = s.uint() else { return nil }
        return pages &* pageSize
    }
}
