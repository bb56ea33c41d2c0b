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
    /// force stays, whenever it began). Lines are kept as written, one decoded at a time,
    /// and a history whose first entry is young enough is not read further. A history that
    /// cannot be read is left alone.
    public static func compact(at now: Double, log: Logger, path: String = AlertHistoryStore.path) {
        let oldest = now - AlertHistoryStore.kept
        func keep(_ line: Substring) -> Bool {
            // A line that does not decode is kept for someone to look at, as the journal does.
            guard let entry = AlertHistoryJournal.decode(String(line)).entries.first else { return true }
            if case .action(.silence(let s)) = entry { return s.endsAt >= oldest }
            return (entry.at ?? now) >= oldest
        }
        guard let head = ProcRoot("/").read(path, limit: 4096), let first = head.split(separator: UInt8(ascii: "\n")).first,
              !keep(Substring(String(decoding: first, as: UTF8.self))) else { return }
        guard let bytes = ProcRoot("/").read(path, limit: 256 << 20) else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        var kept = ""
        var dropped = 0
        for line in text.split(separator: "\n") {
            if keep(line) { kept += line + "\n" } else { dropped += 1 }
        }
        if dropped > 0, let error = AtomicFile.write(Array(kept.utf8), to: path) { log.warning("\(path): \(error)") }
    }
}
