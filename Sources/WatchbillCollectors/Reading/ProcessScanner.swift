#if canImport(Glibc)
import Glibc
#endif
import WatchbillCore

/// Reads every process under `/proc` and derives per-process rates from the previous scan.
///
/// Processes come and go between listing the directory and reading their files: a PID
/// whose `stat` has vanished is skipped, not reported. A PID reused by a new process
/// (another start time) starts over without a rate.
public struct ProcessScanner {
    public let root: ProcRoot
    private var users: [UInt32: String]?
    private var previous: [Int32: (start: UInt64, cpu: UInt64, read: UInt64?, written: UInt64?)] = [:]
    /// What does not change in a process's life, read once: owner, cgroup, command line.
    /// (A process can exec or setuid, but a monitor refreshing these every second costs
    /// three extra reads per process for news that rarely comes.)
    private var fixed: [Int32: (start: UInt64, uid: UInt32?, cgroup: String, unit: String, command: String)] = [:]
    private var previousTime: Double?
    private let ticksPerSecond: Double
    private let pageSize: UInt64

    public init(root: ProcRoot, ticksPerSecond: Double = Double(sysconf(Int32(_SC_CLK_TCK))),
                pageSize: UInt64 = UInt64(sysconf(Int32(_SC_PAGESIZE)))) {
        self.root = root
        self.ticksPerSecond = ticksPerSecond
        self.pageSize = pageSize
    }

    /// One pass over `/proc`. `memoryTotal` turns resident bytes into a share of memory.
    public mutating func scan(time: Double, memoryTotal: UInt64) -> [ProcessActivity] {
        if users == nil { users = root.read("/etc/passwd").map(ProcessParsers.passwd) ?? [:] }
        let dt = previousTime.map { time - $0 }
        previousTime = time
        var next: [Int32: (start: UInt64, cpu: UInt64, read: UInt64?, written: UInt64?)] = [:]
        var nextFixed: [Int32: (start: UInt64, uid: UInt32?, cgroup: String, unit: String, command: String)] = [:]
        var out: [ProcessActivity] = []
        for name in root.list("/proc") ?? [] {
            guard let first = name.utf8.first, first >= 0x30 && first <= 0x39, let pid = Int32(name) else { continue }
            let dir = "/proc/" + name
            guard let statBytes = root.read(dir + "/stat"),
                  let st = try? ProcessParsers.stat(statBytes, file: dir + "/stat") else { continue }
            let io = root.read(dir + "/io").flatMap(ProcessParsers.io)
            let known: (start: UInt64, uid: UInt32?, cgroup: String, unit: String, command: String)
            if let f = fixed[pid], f.start == st.startTicks, !f.command.isEmpty {
                known = f
            } else {
                let uid = root.read(dir + "/status").flatMap(ProcessParsers.uid(fromStatus:))
                let cgroup = root.read(dir + "/cgroup").map(ProcessParsers.cgroup) ?? ""
                var cmd = st.isKernelThread ? "" : (root.read(dir + "/cmdline", limit: 4096).map(ProcessParsers.commandLine) ?? "")
                if cmd.isEmpty { cmd = st.isKernelThread ? "[" + st.name + "]" : st.name }
                known = (st.startTicks, uid, cgroup, ProcessParsers.unitName(cgroup: cgroup), cmd)
            }
            nextFixed[pid] = known
            let (uid, cgroup, cmd) = (known.uid, known.cgroup, known.command)
            let sample = ProcessSample(
                pid: pid, parentPID: st.parentPID, name: st.name, state: st.state, uid: uid, cpuTicks: st.cpuTicks,
                startTicks: st.startTicks, residentBytes: st.residentPages &* pageSize, threads: st.threads,
                readBytes: io?.read, writtenBytes: io?.written, commandLine: cmd, cgroup: cgroup,
                isKernelThread: st.isKernelThread)
            next[pid] = (st.startTicks, st.cpuTicks, io?.read, io?.written)
            var cpu: Double?, readRate: Double?, writeRate: Double?
            if let dt, dt > 0, let p = previous[pid], p.start == st.startTicks {
                cpu = st.cpuTicks >= p.cpu ? Double(st.cpuTicks - p.cpu) / ticksPerSecond / dt : nil
                if let r = io?.read, let pr = p.read, r >= pr { readRate = Double(r - pr) / dt }
                if let w = io?.written, let pw = p.written, w >= pw { writeRate = Double(w - pw) / dt }
            }
            out.append(ProcessActivity(
                sample: sample, user: uid.map { users?[$0] ?? String($0) } ?? "?", cpuFraction: cpu,
                memoryFraction: memoryTotal == 0 ? 0 : Double(sample.residentBytes) / Double(memoryTotal),
                readBytesPerSecond: readRate, writeBytesPerSecond: writeRate,
                startedAfterBoot: Double(st.startTicks) / ticksPerSecond,
                unit: known.unit))
        }
        previous = next
        fixed = nextFixed
        return out
    }

    /// Forget rates, for when scanning pauses (the pane was hidden): the next scan shows
    /// no rate instead of an average over the hidden time.
    public mutating func reset() {
        previous = [:]
        fixed = [:]
        previousTime = nil
    }
}
