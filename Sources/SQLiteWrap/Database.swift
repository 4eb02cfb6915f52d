import CSQLite

/// An error from SQLite: the (extended) result code, SQLite's own message, the database and the SQL text that failed.
/// Bound values are never part of the message (they may hold data that must not leak into logs).
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public let sql: String?
    public var path: String? = nil

    /// The primary result code (SQLITE_BUSY for SQLITE_BUSY_SNAPSHOT, …).
    public var primary: Int32 { code & 0xFF }
    public static let readOnly = SQLITE_READONLY, cannotOpen = SQLITE_CANTOPEN, notADatabase = SQLITE_NOTADB

    public var description: String {
        let db = path ?? "?"
        switch primary {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return "de database \(db) is in gebruik door een ander proces; probeer het opnieuw als dat klaar is"
        case SQLITE_READONLY:
            return "de database \(db) kan niet worden beschreven (alleen-lezen bestand of map)"
        case SQLITE_NOTADB:
            return "\(db) is geen SQLite-database"
        default:
            var text = "SQLite-fout \(code) (\(String(cString: sqlite3_errstr(code)))) in \(db): \(message)"
            if let sql { text += " — in: \(sql.prefix(200))" }
            return text
        }
    }
}

// SQLite copies the bytes during the bind call when given SQLITE_TRANSIENT.
let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection. Closed when the value goes away.
public final class Database {
    let handle: OpaquePointer
    public let path: String
    /// Guards installed on this connection (kept alive as long as SQLite may call them).
    var guards: [ReadGuard] = []

    /// `readOnly` opens a connection that can never write; `create` makes the file when it is missing.
    /// `immutable` reads a file that nothing can change (a read-only folder, where SQLite cannot make its
    /// WAL index). Waits up to `busyTimeout` ms for a lock held by another connection.
    public init(path: String, readOnly: Bool = false, create: Bool = false, immutable: Bool = false, busyTimeout: Int32 = 5000) throws {
        self.path = path
        var db: OpaquePointer?
        var flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX
        if create { flags |= SQLITE_OPEN_CREATE }
        var name = path
        if immutable {
            flags |= SQLITE_OPEN_URI
            // In a URI '?' and '#' end the path and '%' starts an escape.
            let escaped = path.utf8.flatMap { b -> [UInt8] in b == 0x25 ? Array("%25".utf8) : b == 0x3F ? Array("%3f".utf8) : b == 0x23 ? Array("%23".utf8) : [b] }
            name = "file:" + String(decoding: escaped, as: UTF8.self) + "?immutable=1"
        }
        let rc = sqlite3_open_v2(name, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: message, sql: nil, path: path)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeout)
        try execute("PRAGMA foreign_keys = ON")
    }

    /// True when this connection cannot write (opened read-only, or the file is write-protected).
    public var isReadOnly: Bool { sqlite3_db_readonly(handle, "main") == 1 }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message, sql: sql, path: path)
        }
    }

    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `body` inside one transaction; any thrown error rolls everything back.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// All rows of a query, each as an array of values.
    public func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [[SQLValue]] {
        let statement = try prepare(sql)
        try statement.bind(values)
        var result: [[SQLValue]] = []
        while try statement.step() {
            result.append((0..<statement.columnCount).map { statement.value($0) })
        }
        return result
    }

    /// The first column of the first row, or nil.
    public func scalar(_ sql: String, _ values: [SQLValue] = []) throws -> SQLValue? {
        try rows(sql, values).first?.first
    }

    func error(_ rc: Int32, sql: String?) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql, path: path)
    }
}

/// A value read from or bound to SQLite.
public enum SQLValue: Equatable, Sendable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    public var int: Int? { if case .int(let v) = self { return Int(v) }; return nil }
    public var double: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        default: return nil
        }
    }
    public var text: String? { if case .text(let v) = self { return v }; return nil }
}

/// A prepared statement, finalized when the value goes away.
public final class Statement {
    let database: Database
    let handle: OpaquePointer
    public let sql: String

    init(database: Database, sql: String) throws {
        self.database = database
        self.sql = sql
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(database.handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw database.error(rc, sql: sql) }
        handle = statement
    }

    deinit { sqlite3_finalize(handle) }

    public var columnCount: Int32 { sqlite3_column_count(handle) }

    public func bind(_ values: [SQLValue]) throws {
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    public func bind(_ value: SQLValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .int(let v): rc = sqlite3_bind_int64(handle, index, v)
        case .double(let v): rc = sqlite3_bind_double(handle, index, v)
        case .text(let v): rc = sqlite3_bind_text(handle, index, v, -1, transient)
        }
        if rc != SQLITE_OK { throw database.error(rc, sql: sql) }
    }

    /// Binds UTF-8 bytes directly, without building a String (the ingest hot path).
    public func bindText(_ bytes: UnsafeRawBufferPointer, at index: Int32) throws {
        let rc = sqlite3_bind_text(handle, index, bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                                   Int32(bytes.count), transient)
        if rc != SQLITE_OK { throw database.error(rc, sql: sql) }
    }

    public func bindText(_ value: String, at index: Int32) throws { try bind(.text(value), at: index) }
    public func bindInt(_ value: Int, at index: Int32) throws { try bind(.int(Int64(value)), at: index) }
    public func bindNull(at index: Int32) throws { try bind(.null, at: index) }

    /// Advances to the next row: true when a row is available, false when done.
    @discardableResult
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc: throw database.error(rc, sql: sql)
        }
    }

    /// Runs a statement that returns no rows with the given values, then resets it for reuse.
    public func run(_ values: [SQLValue] = []) throws {
        try bind(values)
        try step()
        try reset()
    }

    public func resetKeepingBindings() { sqlite3_reset(handle) }

    public func reset() throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    public func value(_ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .int(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(handle, column))
        case SQLITE_NULL: return .null
        default:
            guard let pointer = sqlite3_column_text(handle, column) else { return .null }
            return .text(String(cString: pointer))
        }
    }

    public func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    public func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: pointer)
    }
}
