#if canImport(Glibc)
import Glibc
#endif
import Logging
import WatchbillCollectors
import WatchbillRules

/// Every alert's changes of state and every silence, expiry and acknowledgement, for eight
/// days: `$XDG_STATE_HOME/watchbill/alert-history.log`, what `watchbill report` reads. The
/// dashboard that holds the account's lock writes the changes; anyone who acts on an alert
/// writes the action (through `AlertActionStore.append`).
public enum AlertHistoryStore {
    public static let kept = 8.0 * 86_400
    public static var path: String { FileLog.stateDirectory() + "/alert-history.log" }

    /// nil on success, else why the entries are not saved.
    @discardableResult
    public static func append(_ entries: [AlertHistoryEntry]) -> String? {
        JournalFile.append(entries.map(AlertHistoryJournal.encode), to: path)
    }

    /// The history as written (bad lines reported by number, the rest kept); empty when
    /// there is none yet, nil when it exists and cannot be read.
    public static func read(log: Logger) -> [AlertHistoryEntry]? {
        guard access(path, F_OK) == 0 else { return [] }
        guard let bytes = ProcRoot("/").read(path, limit: 256 << 20) else {
            log.error("\(path): cannot read: \(String(cString: strerror(errno)))")
            return nil
        }
        let (entries, problems) = AlertHistoryJournal.decode(String(decoding: bytes, as: UTF8.self))
        for p in problems { log.warning("\(path):\(p.line): skipped: \(p.cause)") }
        return entries
    }

    /// At the lock holder's start: entries older than `kept` dropped (a silence still in
    /// force stays, whenever it began). A history that cannot be read is left alone.
    public static func compact(at now: Double, log: Logger) {
        guard access(path, F_OK) == 0, let entries = read(log: log) else { return }
        let kept = entries.filter { entry in
            if case .action(.silence(let s)) = entry { return s.endsAt >= now - AlertHistoryStore.kept }
            return (entry.at ?? now) >= now - AlertHistoryStore.kept
        }
        guard kept.count < entries.count else { return }
        let text = kept.map { AlertHistoryJournal.encode($0) + "\n" }.joined()
        if let error = AtomicFile.write(Array(text.utf8), to: path) { log.warning("\(path): \(error)") }
    }
}
