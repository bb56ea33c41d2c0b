import WatchbillCore

/// The plain-text snapshot for `--once` and pipes: one fact per line, a keyword first,
/// so `grep '^fs '` or `awk` can pick it apart.
public enum TextReport {
    public static func render(_ s: HostSnapshot, interval: Double, localTime: String) -> String {
        var out: [String] = []
        out.append("host \(s.host.hostname)  kernel \(s.host.kernel)  up \(Format.duration(s.uptimeSeconds))  "
                   + "at \(localTime)  interval \(Format.interval(interval))")
        if let t = s.cpuTotal {
            out.append("cpu  busy \(Format.percent(t.busy))  user \(Format.percent(t.user + t.nice))  "
                       + "system \(Format.percent(t.system))  iowait \(Format.percent(t.iowait))  "
                       + "irq \(Format.percent(t.irq + t.softirq))  steal \(Format.percent(t.steal))  cores \(s.coreCount)")
            for (id, u) in s.cpuCores.sorted(by: { $0.key < $1.key }) {
                out.append("core \(id)  busy \(Format.percent(u.busy))  iowait \(Format.percent(u.iowait))")
            }
        } else {
            out.append("cpu  n/a")
        }
        if let l = s.load {
            out.append("load \(Format.fixed(l.one, 2)) \(Format.fixed(l.five, 2)) \(Format.fixed(l.fifteen, 2))  "
                       + "tasks \(s.runnable ?? l.runnable)/\(l.total)" + (s.blocked.map { "  blocked \($0)" } ?? ""))
        }
        if let p = s.pressure {
            func v(_ x: Pressure?) -> String { x.map { Format.fixed($0.someAvg10, 2) + "%" } ?? "n/a" }
            out.append("psi  some avg10  cpu \(v(p.cpu))  memory \(v(p.memory))  io \(v(p.io))")
        }
        if let m = s.memory {
            out.append("mem  total \(Format.bytes(m.total))  used \(Format.bytes(m.used)) (\(Format.percent(m.usedFraction)))  "
                       + "available \(Format.bytes(m.available))  buffers \(Format.bytes(m.buffers))  "
                       + "cache \(Format.bytes(m.cached))  swap \(Format.bytes(m.swapUsed))/\(Format.bytes(m.swapTotal))")
        } else {
            out.append("mem  n/a")
        }
        for fs in s.filesystems ?? [] {
            out.append("fs   \(fs.mount.mountPoint)  \(fs.mount.fsType) \(fs.mount.source)  used \(Format.bytes(fs.used)) "
                       + "of \(Format.bytes(fs.size)) (\(Format.percent(fs.usedFraction, decimals: 0)))  "
                       + "free \(Format.bytes(fs.available))" + (fs.isStale ? "  (stale: not answering)" : ""))
        }
        if let disks = s.disks {
            for d in disks {
                out.append("disk \(d.name)  read \(Format.rate(d.readBytesPerSecond))  write \(Format.rate(d.writeBytesPerSecond))  "
                           + "iops \(Format.perSecond(d.iops))  busy \(Format.percent(d.busy, decimals: 0))  "
                           + "await \(d.averageWaitMs.map { Format.fixed($0, 1) + "ms" } ?? "-")")
            }
        } else {
            out.append("disk n/a (no /proc/diskstats)")
        }
        for i in s.interfaces ?? [] {
            out.append("net  \(i.name)  rx \(Format.rate(i.rxBytesPerSecond))  tx \(Format.rate(i.txBytesPerSecond))  "
                       + "rx \(Format.perSecond(i.rxPacketsPerSecond)) pk/s  tx \(Format.perSecond(i.txPacketsPerSecond)) pk/s  "
                       + "errors \(Format.perSecond(i.errorsPerSecond))/s  drops \(Format.perSecond(i.dropsPerSecond))/s")
        }
        for p in s.problems { out.append("problem \(p)") }
        return out.joined(separator: "\n") + "\n"
    }
}
