#if canImport(Glibc)
import Glibc
#endif
import Logging

/// One account may run two dashboards (a wall display and an interactive one). The first
/// holds `$XDG_STATE_HOME/watchbill/dashboard.lock` until it exits and is the one that
/// sends notifications and rewrites the shared journals; a second one reads them and
/// appends to them, and picks up what the other appended (`AlertActionStore.Watch`).
public enum InstanceLock {
    public static var path: String { FileLog.stateDirectory() + "/dashboard.lock" }

    /// true when this process is the only dashboard; the lock lives as long as the process.
    public static func acquire(log: Logger) -> Bool {
        FileLog.makeDirectories(FileLog.stateDirectory())
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        // No lock file (a read-only state directory): nothing to share with, so carry on alone.
        guard fd >= 0 else { return true }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            _ = ftruncate(fd, 0)
            let pid = Array("\(getpid())\n".utf8)
            _ = pid.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            return true  // the descriptor stays open: closing it would drop the lock
        }
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = pread(fd, &buffer, buffer.count, 0)
        let other = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingWhitespace : "?"
        close(fd)
        log.warning("another watchbill (pid \(other)) runs on this account: it sends the notifications; this one shares its silences and acknowledgements")
        return false
    }
}
