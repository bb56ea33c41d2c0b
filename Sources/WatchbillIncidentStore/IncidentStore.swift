#if canImport(Glibc)
import Glibc
#endif
import WatchbillIncidents

/// The incident store: SQLite (its C API, no wrapper library), in WAL mode, shared by every
/// watchbill on the host (a wall display and two SSH sessions). It holds events only,
/// append-only (triggers refuse updates and deletes); an incident is what its events fold
/// to. An event is reported as saved only after its transaction commits with
/// `synchronous = FULL`.
public final class IncidentStore: @unchecked Sendable {
    public struct StoreError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    public let path: String
    private let db: SQLiteConnection

    /// Opens (or creates, mode 0600) the store. A file that is not a usable store is an
    /// error naming it, and is never touched.
    public init(path: String) throws(StoreError) {
        self.path = path
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError(description: "\(path): cannot open: \(String(cString: strerror(errno)))")
        }
        close(fd)
        // Look before touching: opening for writing already writes (WAL mode, the schema),
        // so a file that is not ours, or is damaged, must be refused before that.
        if let problem = IncidentStore.inspect(path) {
            throw StoreError(description: "\(path): not a usable incident store (\(problem)); left as it is")
        }
        do {
            // The busy timeout is long enough to outwait another process writing in a tight
            // loop (a script adding a hundred notes) on a loaded machine: 5 s was seen to run
            // out under a full CI run. A person's note waits for the lock rather than failing.
            db = try SQLiteConnection(path: path, busyTimeoutMs: 30_000)
            // A note is "saved" only once its commit is on disk, power cut included.
            _ = try db.rows("PRAGMA journal_mode = WAL")
            try db.execute("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON")
            try IncidentStore.migrate(db)
        } catch {
            throw StoreError(description: "\(path): not a usable incident store (\(error)); left as it is")
        }
    }

    /// Why the file cannot be ours, or nil: an empty file (new), or SQLite whose tables are
    /// this store's and which passes `quick_check`. Read-only, so nothing is changed.
    static func inspect(_ path: String) -> String? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "cannot read it" }
        var header = [UInt8](repeating: 0, count: 16)
        let n = Glibc.read(fd, &header, 16)
        close(fd)
        if n == 0 { return nil }
        guard n == 16, header == Array("SQLite format 3\0".utf8) else { return "not an SQLite database" }
        do {
            // Another writer may be mid-commit or checkpointing: wait for it as a write would,
            // or a colleague's note makes this one fail with "database is locked" (issue 19).
            let reader = try SQLiteConnection(path: path, readOnly: true, busyTimeoutMs: 30_000)
            return try reader.transaction(immediate: false) { t in
                let tables = Set(try t.rows("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first?.string })
                if !tables.isEmpty && !tables.isSubset(of: ["incidents", "events", migrationsTable, "sqlite_sequence", "grdb_issue_102"]) {
                    return "an SQLite database of something else (tables: \(tables.sorted().joined(separator: ", ")))"
                }
                let check = try t.rows("PRAGMA quick_check").first?.first?.string ?? "?"
                return check == "ok" ? nil : "damaged: \(check)"
            }
        } catch {
            return "\(error)"
        }
    }

    /// For tests: the connection's `PRAGMA synchronous` (2 is FULL).
    func synchronousMode() throws -> Int {
        Int(try db.rows("PRAGMA synchronous").first?.first?.int64 ?? -1)
    }

    /// The applied migrations are kept by name in the table GRDB (the store's library until
    /// version 0.1) kept them in, so stores written by either open alike.
    static let migrationsTable = "grdb_migrations"

    /// Versioned schema. A migration is never edited once shipped: a new one is added.
    static let migrations: [(name: String, sql: String)] = [
        ("v1 events", """
            CREATE TABLE incidents (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at REAL NOT NULL);
            CREATE TABLE events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                incident INTEGER NOT NULL REFERENCES incidents(id),
                at REAL NOT NULL, written_at REAL NOT NULL, author TEXT NOT NULL,
                kind TEXT NOT NULL, field TEXT NOT NULL, text TEXT NOT NULL);
            CREATE INDEX events_by_incident ON events(incident, seq);
            CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, 'incident events are append-only'); END;
            CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
                BEGIN SELECT RAISE(ABORT, 'incident events are append-only'); END;
            """),
    ]

    /// Applies the migrations the file lacks, each in its own transaction with its record.
    static func migrate(_ db: SQLiteConnection) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS \(migrationsTable) (identifier TEXT NOT NULL PRIMARY KEY)")
        for migration in migrations {
            try db.transaction(immediate: true) { t in
                let applied = try t.rows("SELECT 1 FROM \(migrationsTable) WHERE identifier = ?", [.text(migration.name)])
                guard applied.isEmpty else { return }
                try t.execute(migration.sql)
                try t.insert("INSERT INTO \(migrationsTable) (identifier) VALUES (?)", [.text(migration.name)])
            }
        }
    }

    /// Opens an incident: its row and its `opened` event (title, severity) in one
    /// transaction, plus `detected` and `alerted` when given (from an alert). Returns its id.
    public func open(title: String, severity: Severity, detectedAt: Double? = nil, alertedAt: Double? = nil,
                     at now: Double, author: String) throws(StoreError) -> Int64 {
        let title = title.isEmpty ? "untitled incident" : title
        return try write { db in
            let id = try db.insert("INSERT INTO incidents (created_at) VALUES (?)", [.real(now)])
            var events = [IncidentEvent(incident: id, at: now, writtenAt: now, author: author, kind: .opened,
                                        field: severity.rawValue, text: title)]
            if let d = detectedAt { events.append(IncidentEvent(incident: id, at: d, writtenAt: now, author: author, kind: .detected)) }
            if let a = alertedAt { events.append(IncidentEvent(incident: id, at: a, writtenAt: now, author: author, kind: .alerted)) }
            try IncidentStore.check(events, id: id)
            for e in events { try IncidentStore.insert(e, db) }
            return id
        }
    }

    /// From an alert: the open incident that links it (or, with `occurrenceSince`, any
    /// incident that linked it since then), else a new one linked to it. Checked and written
    /// in one transaction, so two dashboards, or a key and `auto_open`, cannot open two.
    public func openOrJoin(title: String, severity: Severity, detectedAt: Double?, alertedAt: Double?, alert: String,
                           summary: String, occurrenceSince: Double? = nil, at now: Double,
                           author: String) throws(StoreError) -> (id: Int64, opened: Bool) {
        try write { db in
            let linking = try db.rows("""
                SELECT DISTINCT incident FROM events WHERE kind = 'alert_linked' AND field = ?
                """, [.text(alert)]).compactMap { $0.first?.int64 }
            for id in linking {
                guard let incident = Incident.fold(id: id, events: try IncidentStore.events(of: id, db)) else { continue }
                if incident.status != .resolved { return (id, false) }
                if let since = occurrenceSince, (incident.linkedAlerts[alert]?.linkedAt ?? -.infinity) >= since { return (id, false) }
            }
            let id = try db.insert("INSERT INTO incidents (created_at) VALUES (?)", [.real(now)])
            var events = [IncidentEvent(incident: id, at: now, writtenAt: now, author: author, kind: .opened,
                                        field: severity.rawValue, text: title.isEmpty ? "untitled incident" : title)]
            if let d = detectedAt { events.append(IncidentEvent(incident: id, at: d, writtenAt: now, author: author, kind: .detected)) }
            if let a = alertedAt { events.append(IncidentEvent(incident: id, at: a, writtenAt: now, author: author, kind: .alerted)) }
            events.append(IncidentEvent(incident: id, at: now, writtenAt: now, author: author, kind: .alertLinked, field: alert,
                                        text: summary))
            try IncidentStore.check(events, id: id)
            for e in events { try IncidentStore.insert(e, db) }
            return (id, true)
        }
    }

    /// Each event against the incident as the ones before it leave it.
    static func check(_ events: [IncidentEvent], id: Int64) throws(StoreError) {
        var sofar: [IncidentEvent] = []
        for e in events {
            if let reason = IncidentRules.check(e, against: Incident.fold(id: id, events: sofar)) {
                throw StoreError(description: reason)
            }
            sofar.append(e)
        }
    }

    /// Appends one event after checking it against the incident as stored now (inside the
    /// same transaction, so two writers cannot both acknowledge). Returns it with its seq.
    @discardableResult
    public func append(_ event: IncidentEvent) throws(StoreError) -> IncidentEvent {
        try write { db in
            let current = Incident.fold(id: event.incident, events: try IncidentStore.events(of: event.incident, db))
            if let reason = IncidentRules.check(event, against: current) { throw StoreError(description: reason) }
            var stored = event
            stored.seq = try IncidentStore.insert(event, db)
            return stored
        }
    }

    public func events(of incident: Int64) throws(StoreError) -> [IncidentEvent] {
        try read { db in try IncidentStore.events(of: incident, db) }
    }

    /// Every incident, folded from the log.
    public func incidents() throws(StoreError) -> [Incident] {
        try read { db in
            let all = try db.rows("SELECT \(IncidentStore.columns) FROM events ORDER BY seq").compactMap(IncidentStore.event)
            return Dictionary(grouping: all, by: \.incident).compactMap { Incident.fold(id: $0.key, events: $0.value) }
                .sorted { $0.id < $1.id }
        }
    }

    /// The newest seq: another process wrote when it moves (polled about once a second).
    public func lastSeq() throws(StoreError) -> Int64 {
        try read { db in try db.rows("SELECT COALESCE(MAX(seq), 0) FROM events").first?.first?.int64 ?? 0 }
    }

    // MARK: Rows

    static let columns = "seq, incident, at, written_at, author, kind, field, text"

    @discardableResult
    static func insert(_ e: IncidentEvent, _ db: SQLiteConnection.Transaction) throws -> Int64 {
        try db.insert("""
            INSERT INTO events (incident, at, written_at, author, kind, field, text) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.integer(e.incident), .real(e.at), .real(e.writtenAt), .text(e.author), .text(e.kind.rawValue),
                  .text(e.field), .text(e.text)])
    }

    static func events(of incident: Int64, _ db: SQLiteConnection.Transaction) throws -> [IncidentEvent] {
        try db.rows("SELECT \(columns) FROM events WHERE incident = ? ORDER BY seq", [.integer(incident)])
            .compactMap(event)
    }

    /// A row's event (columns as `columns` lists them); a kind this version does not know
    /// (written by a newer one) reads as a note. A row whose values are not of their
    /// column's type (the file was edited by hand: SQLite keeps what it is given) is left
    /// out rather than trusted or trapped on.
    static func event(_ row: [SQLiteConnection.Value]) -> IncidentEvent? {
        guard row.count == 8, let seq = row[0].int64, let incident = row[1].int64,
              let at = row[2].double, let writtenAt = row[3].double,
              let author = row[4].string, let kind = row[5].string,
              let field = row[6].string, let text = row[7].string else { return nil }
        return IncidentEvent(seq: seq, incident: incident, at: at, writtenAt: writtenAt, author: author,
                             kind: IncidentEvent.Kind(rawValue: kind) ?? .note, field: field, text: text)
    }

    // MARK: Transactions

    private func write<T>(_ body: (SQLiteConnection.Transaction) throws -> T) throws(StoreError) -> T {
        do {
            return try db.transaction(immediate: true, body)
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(description: "\(path): \(error)")
        }
    }

    private func read<T>(_ body: (SQLiteConnection.Transaction) throws -> T) throws(StoreError) -> T {
        do {
            return try db.transaction(immediate: false, body)
        } catch {
            throw StoreError(description: "\(path): \(error)")
        }
    }
}
