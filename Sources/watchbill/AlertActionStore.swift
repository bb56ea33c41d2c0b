#if canImport(Glibc)
import Glibc
#endif
import Logging
import WatchbillCollectors
import WatchbillRules

/// Silences and acknowledgements on disk: `$XDG_STATE_HOME/watchbill/alert-actions.log`,
/// one action a line. An action is appended and synced before it is applied and shown as
/// saved; at start the journal is read (bad lines reported by number, the rest kept) and
/// rewritten with only what still matters.
enum AlertActionStore {
    static var path: String { FileLog.stateDirectory() + "/alert-actions.log" }

    /// The journal as it is, for a reader that must not rewrite it (`watchbill alerts`);
    /// also how many lines were skipped.
    static func read(log: Logger) -> (actions: AlertActions, skipped: Int) {
        guard let bytes = ProcRoot("/").read(path, limit: 64 << 20) else { return (AlertActions(), 0) }
        let (actions, problems) = AlertActionJournal.decode(String(decoding: bytes, as: UTF8.self))
        for p in problems { log.warning("\(path):\(p.line): skipped: \(p.cause)") }
        return (AlertActions(actions), problems.count)
    }

    static func load(at now: Double, log: Logger) -> AlertActions {
        var (state, skipped) = read(log: log)
        // Acknowledgements of alerts that are gone are pruned after the first evaluation.
        state.prune(at: now, activeAlerts: Set(state.acknowledgements.keys))
        let text = state.compacted.map { AlertActionJournal.encode($0) + "\n" }.joined()
        // A journal of nothing but bad lines is kept as it is, for someone to look at.
        if skipped == 0 || !state.compacted.isEmpty, let error = AtomicFile.write(Array(text.utf8), to: path) {
            log.warning("\(path): \(error)")
        }
        log.info("alert actions: \(state.silences.count) silences, \(state.acknowledgements.count) acknowledgements from \(path)")
        return state
    }

    /// Appends one action and syncs it; nil on success, else why it is not saved.
    static func append(_ action: AlertAction) -> String? {
        FileLog.makeDirectories(FileLog.stateDirectory())
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return "cannot open \(path): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        let bytes = Array((AlertActionJournal.encode(action) + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            let why = written < 0 ? String(cString: strerror(errno)) : "short write"
            // A partial line would be skipped on load; cut it off so the next append starts clean.
            if written > 0 { _ = ftruncate(fd, lseek(fd, 0, SEEK_END) - off_t(written)) }
            return "cannot write \(path): \(why)"
        }
        guard fsync(fd) == 0 else { return "cannot sync \(path): \(String(cString: strerror(errno)))" }
        return nil
    }

    /// Eight hex digits, like the start of an Alertmanager silence ID: enough to tell a
    /// host's silences apart and short enough to read out.
    static func newID() -> String {
        let hex = Array("0123456789abcdef")
        var n = UInt32.random(in: .min ... .max)
        var s = ""
        for _ in 0..<8 {
            s.append(hex[Int(n & 15)])
            n >>= 4
        }
        return s
    }
}
