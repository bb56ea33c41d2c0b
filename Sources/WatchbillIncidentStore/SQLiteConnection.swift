import CSQLite
import Synchronization

/// One connection to an SQLite file through SQLite's C API: the few things the incident
/// store needs (statements with bound values, rows back, transactions that take the write
/// lock when they begin), and SQLite's own message in every error.
final class SQLiteConnection: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    enum Value: Equatable {
        case null, integer(Int64), real(Double), text(String), blob([UInt8])

        var int64: Int64? {
            switch self {
            case .integer(let i): return i
            case .real(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
            default: return nil
            }
        }

        var double: Double? {
            switch self {
            case .real(let d): return d
            case .integer(let i): return Double(i)
            default: return nil
            }
        }

        var string: String? {
            if case .text(let s) = self { return s }
            return nil
        }
    }

    private let handle: OpaquePointer
    /// SQLite's connection is used by one thread at a time; the store is shared by threads.
    private let lock = Mutex(())

    /// Opens the file (`create`: make it if it is missing) and waits up to `busyTimeoutMs`
    /// for another process' lock before a statement fails with "database is locked".
    init(path: String, readOnly: Bool = false, create: Bool = false, busyTimeoutMs: Int32 = 30_000) throws(Failure) {
        var db: OpaquePointer?
        var flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close(db)
            throw Failure(description: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMs)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs statements that take no values (a schema, a PRAGMA), one after another.
    func execute(_ sql: String) throws(Failure) {
        try lock.withLock { _ throws(Failure) in try unlockedExecute(sql) }
    }

    /// The rows a statement returns, each a list of its columns' values.
    func rows(_ sql: String, _ values: [Value] = []) throws(Failure) -> [[Value]] {
        try lock.withLock { _ throws(Failure) in try unlockedRows(sql, values) }
    }

    /// `body` inside one transaction, committed if it returns, rolled back if it throws.
    /// `immediate` takes the write lock at BEGIN: a deferred transaction that writes after
    /// reading fails at once with "database is locked" when another process wrote meanwhile
    /// (WAL), where an immediate one waits its turn.
    func transaction<T>(immediate: Bool, _ body: (Transaction) throws -> T) throws -> T {
        try lock.withLock { _ in
            try unlockedExecute(immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
            do {
                let result = try body(Transaction(connection: self))
                try unlockedExecute("COMMIT")
                return result
            } catch {
                try? unlockedExecute("ROLLBACK")
                throw error
            }
        }
    }

    /// What a transaction's body can do: the connection's calls without taking its lock again.
    struct Transaction {
        fileprivate let connection: SQLiteConnection

        func execute(_ sql: String) throws(Failure) { try connection.unlockedExecute(sql) }

        func rows(_ sql: String, _ values: [Value] = []) throws(Failure) -> [[Value]] {
            try connection.unlockedRows(sql, values)
        }

        /// Runs one statement and returns the rowid it inserted.
        @discardableResult
        func insert(_ sql: String, _ values: [Value]) throws(Failure) -> Int64 {
            _ = try connection.unlockedRows(sql, values)
            return sqlite3_last_insert_rowid(connection.handle)
        }
    }

    // MARK: Unlocked

    private func unlockedExecute(_ sql: String) throws(Failure) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(message)
            throw Failure(description: text)
        }
    }

    private func unlockedRows(_ sql: String, _ values: [Value]) throws(Failure) -> [[Value]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw failure()
        }
        defer { sqlite3_finalize(statement) }
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(statement, index)
            case .integer(let v): rc = sqlite3_bind_int64(statement, index, v)
            case .real(let v): rc = sqlite3_bind_double(statement, index, v)
            case .text(let v): rc = sqlite3_bind_text(statement, index, v, -1, SQLiteConnection.transient)
            case .blob(let v): rc = v.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), SQLiteConnection.transient) }
            }
            guard rc == SQLITE_OK else { throw failure() }
        }
        var rows: [[Value]] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return rows }
            guard rc == SQLITE_ROW else { throw failure() }
            rows.append((0..<sqlite3_column_count(statement)).map { column(statement, $0) })
        }
    }

    private func column(_ statement: OpaquePointer, _ i: Int32) -> Value {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, i))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, i))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, i))
            guard let bytes = sqlite3_column_text(statement, i) else { return .text("") }
            // Text that is not UTF-8 (a hand edit) is bytes, not a string to trust.
            let buffer = UnsafeBufferPointer(start: bytes, count: count)
            if let s = String(validating: buffer, as: UTF8.self) { return .text(s) }
            return .blob(Array(buffer))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, i))
            guard count > 0, let bytes = sqlite3_column_blob(statement, i) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    private func failure() -> Failure { Failure(description: String(cString: sqlite3_errmsg(handle))) }

    /// SQLITE_TRANSIENT: SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
