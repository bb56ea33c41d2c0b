#if canImport(Glibc)
import Glibc
#endif
import WatchbillCollectors

/// kill(2) with a check that the PID still names the process the user confirmed: PIDs are
/// reused, and the confirmation may have been on screen for a while.
public enum SignalSender {
    public static func send(_ signal: Int32, named name: String, to pid: Int32, startedAt start: UInt64,
                            root: ProcRoot = ProcRoot("/")) -> String {
        guard let bytes = root.read("/proc/\(pid)/stat"), let st = try? ProcessParsers.stat(bytes),
              st.startTicks == start else {
            return "\(pid) has exited: nothing sent"
        }
        if kill(pid, signal) == 0 { return "sent \(name) to \(pid)" }
        let reason = errno == EPERM ? "not permitted" : (errno == ESRCH ? "no such process" : "error \(errno)")
        return "\(name) to \(pid) failed: \(reason)"
    }
}
