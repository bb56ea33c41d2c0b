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
public enum AlertActionStore {
    public static var path: String { FileLog.stateDirectory() + "/alert-actions.log" }

    /// The journal as it is, for a reader that must not rewrite it (`watchbill alerts`);
    /// also how many lines were skipped. nil when the file exists but cannot be read.
    public static func read(log: Logger) -> (actions: AlertActions, skipped: Int)? {
        guard access(path, F_OK) == 0 else { return (AlertActions(), 0) }
        guard let bytes = ProcRoot("/").read(path, limit: 64 << 20) else {
            log.error("\(path): cannot read: \(String(cString: strerror(errno))); silences and acknowledgements not loaded")
            return nil
        }
        let (actions, problems) = AlertActionJournal.decode(String(decoding: bytes, as: UTF8.self))
        for p in problems { log.warning("\(path):\(p.line): skipped: \(p.cause)") }
        return (AlertActions(actions), problems.count)
    }

    /// At start: the journal, with acknowledgements of alerts no longer active dropped, and
    /// rewritten compact when this is the only dashboard (`compact`). A journal that cannot
    /// be read is left alone, never replaced by an empty one.
    public static func load(at now: Double, activeAlerts: Set<Labels>, compact: Bool, log: Logger) -> AlertActions {
        guard let (loaded, skipped) = read(log: log) else { return AlertActions() }
        var state = loaded
        state.prune(at: now, activeAlerts: activeAlerts)
        let text = state.compacted.map { AlertActionJournal.encode($0) + "\n" }.joined()
        // A journal of nothing but bad lines is kept as it is, for someone to look at.
        if compact && (skipped == 0 || !state.compacted.isEmpty), let error = AtomicFile.write(Array(text.utf8), to: path) {
            log.warning("\(path): \(error)")
        }
        log.info("alert actions: \(state.silences.count) silences, \(state.acknowledgements.count) acknowledgements from \(path)")
        return state
    }

    /// Appends one action and syncs it, then adds it to the alert history; nil on
    /// success, else why it is not saved.
    public static func append(_ action: AlertAction) -> String? {
        if let error = JournalFile.append([AlertActionJournal.encode(action)], to: path) { return error }
        if case .mirror = action { return nil }
        // The history is for reports: a failure there is logged by its reader, not the user's problem now.
        _ = AlertHistoryStore.append([.action(action)])
        return nil
    }

    /// Eight hex digits, like the start of an Alertmanager silence ID: enough to tell a
    /// host's silences apart and short enough to read out.
    public static func newID() -> String {
        let hex = Array("0123456789abcdef")
        var n = UInt32.random(in: .min ... .max)
        var s = ""
        for _ in 0..<8 {
            s.append(hex[Int(n & 15)])
            n >>= 4
        }
        return s
    }

    /// Notices when the journal changed on disk (the other dashboard appended), by size and
    /// modification time, at most every `every` seconds.
    public struct Watch {
        public var every = 2.0
        private var checkedAt = -Double.infinity
        private var seen: (size: Int, seconds: Int, nanoseconds: Int)?

        public mutating func changed(at now: Double) -> Bool {
            guard now - checkedAt >= every else { return false }
            checkedAt = now
            var st = stat()
            guard stat(AlertActionStore.path, &st) == 0 else { return false }
            let current = (Int(st.st_size), Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec))
            defer { seen = current }
            guard let seen else { return false }
            return seen != current
        }
    }
}
