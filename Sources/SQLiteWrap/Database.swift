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
    /// SQLite's settings for the whole process, made once before the first connection.
    private static let configured: Void = { _ = grensverkeer_sqlite_uncounted_memory() }()

    let handle: OpaquePointer
    public let path: String
    /// Guards installed on this connection (kept alive as long as SQLite may call them).
    var guards: [ReadGuard] = []

    /// `readOnly` opens a connection that can never write; `create` makes the file when it is missing.
    /// `immutable` reads a file that nothing can change (a read-only folder, where SQLite cannot make its
    /// WAL index). Waits up to `busyTimeout` ms for a lock held by another connection.
    public init(path: String, readOnly: Bool = false, create: Bool = false, immutable: Bool = false, busyTimeout: Int32 = 5000) throws {
        _ = Database.configured
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

    /// True inside a transaction (`BEGIN` without its `COMMIT`): what it wrote is not yet seen by other connections.
    public var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

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

    /// All rows of a query.
    public func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [Row] {
        let statement = try prepare(sql)
        try statement.bind(values)
        var result: [Row] = []
        while try statement.step() { result.append(statement.row) }
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

/// Typed reads of the columns of a result row. A value of another type (or NULL where a value is required) is an
/// error that names the column and the SQL, never a crash.
public protocol ColumnReader {
    func value(_ column: Int) -> SQLValue
    /// The column's name, the statement's SQL and the database, for the error message.
    func origin(_ column: Int) -> (name: String, sql: String, path: String)
}

extension ColumnReader {
    public func text(_ column: Int) throws -> String {
        guard case .text(let v) = value(column) else { throw mismatch(column, "tekst") }
        return v
    }

    public func int(_ column: Int) throws -> Int {
        guard case .int(let v) = value(column) else { throw mismatch(column, "een geheel getal") }
        return Int(v)
    }

    /// NULL is nil; any other value must be text.
    public func optionalText(_ column: Int) throws -> String? {
        try value(column) == .null ? nil : text(column)
    }

    func mismatch(_ column: Int, _ expected: String) -> SQLiteError {
        let (name, sql, path) = origin(column)
        let found = switch value(column) { case .null: "NULL"; case .text: "tekst"; case .int, .double: "een getal" }
        return SQLiteError(code: SQLITE_MISMATCH, message: "kolom \(column) (\(name)) is \(found); verwacht \(expected)", sql: sql, path: path)
    }
}

/// One result row, read out of its statement.
public struct Row: RandomAccessCollection, ColumnReader {
    public let values: [SQLValue]
    let columns: [String]
    let sql: String
    let path: String

    public var startIndex: Int { 0 }
    public var endIndex: Int { values.count }
    public subscript(_ column: Int) -> SQLValue { values[column] }
    public func value(_ column: Int) -> SQLValue { values[column] }
    public func origin(_ column: Int) -> (name: String, sql: String, path: String) { (columns[column], sql, path) }
}

/// A prepared statement, finalized when the value goes away.
public final class Statement: ColumnReader {
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

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }
    public private(set) lazy var columnNames = (0..<columnCount).map { sqlite3_column_name(handle, Int32($0)).map { String(cString: $0) } ?? "" }
    public func columnName(_ column: Int) -> String { columnNames[column] }

    /// Binds one value to every parameter, in order: as many values as the SQL has parameters.
    public func bind(_ values: [SQLValue]) throws {
        let count = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == count else {
            throw SQLiteError(code: SQLITE_RANGE, message: "\(values.count) waarden voor \(count) parameters", sql: sql, path: database.path)
        }
        for (offset, value) in values.enumerated() { try bind(value, at: offset + 1) }
    }

    /// Binds parameter `index` (from 1). Every parameter stays bound until it is bound again.
    public func bind(_ value: SQLValue, at index: Int) throws {
        let i = Int32(index)
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, i)
        case .int(let v): rc = sqlite3_bind_int64(handle, i, v)
        case .double(let v): rc = sqlite3_bind_double(handle, i, v)
        case .text(let v): rc = sqlite3_bind_text(handle, i, v, -1, transient)
        }
        if rc != SQLITE_OK { throw database.error(rc, sql: sql) }
    }

    /// Binds UTF-8 bytes as text without building a String (the ingest hot path).
    public func bind(utf8 bytes: UnsafeRawBufferPointer, at index: Int) throws {
        let rc = sqlite3_bind_text(handle, Int32(index), bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
        if rc != SQLITE_OK { throw database.error(rc, sql: sql) }
    }

    /// Binds a String as text from its UTF-8 bytes, with its length (no C string, no `SQLValue`).
    public func bind(text value: String, at index: Int) throws {
        var value = value
        try value.withUTF8 { try bind(utf8: UnsafeRawBufferPointer($0), at: index) }
    }

    /// Binds bytes as a BLOB.
    public func bind(blob bytes: [UInt8], at index: Int) throws {
        let rc = bytes.withUnsafeBytes { sqlite3_bind_blob(handle, Int32(index), $0.baseAddress, Int32($0.count), transient) }
        if rc != SQLITE_OK { throw database.error(rc, sql: sql) }
    }

    /// The bytes of a BLOB column; nil when the column holds no BLOB.
    public func blob(_ column: Int) -> [UInt8]? {
        let c = Int32(column)
        guard sqlite3_column_type(handle, c) == SQLITE_BLOB else { return nil }
        let count = Int(sqlite3_column_bytes(handle, c))
        guard count > 0, let pointer = sqlite3_column_blob(handle, c) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// Binds a String as text, or NULL for nil.
    public func bind(optionalText value: String?, at index: Int) throws {
        if let value { try bind(text: value, at: index) } else { try bind(.null, at: index) }
    }

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
    public func run(_ values: [SQLValue]) throws {
        try bind(values)
        try step()
        reset()
    }

    /// Back to the start, for the next run; the bindings stay.
    public func reset() { sqlite3_reset(handle) }

    public func value(_ column: Int) -> SQLValue {
        let c = Int32(column)
        switch sqlite3_column_type(handle, c) {
        case SQLITE_INTEGER: return .int(sqlite3_column_int64(handle, c))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(handle, c))
        case SQLITE_NULL: return .null
        default:
            guard let pointer = sqlite3_column_text(handle, c) else { return .null }
            return .text(String(cString: pointer))
        }
    }

    public func origin(_ column: Int) -> (name: String, sql: String, path: String) { (columnName(column), sql, database.path) }

    public func isNull(_ column: Int) -> Bool { sqlite3_column_type(handle, Int32(column)) == SQLITE_NULL }

    /// Like `text(_:)`, but when the column holds the same bytes as `previous` that String is returned again
    /// (no new String): for columns that repeat from row to row in a sorted result.
    public func text(_ column: Int, reusing previous: inout String) throws -> String {
        let c = Int32(column)
        guard sqlite3_column_type(handle, c) == SQLITE_TEXT, let pointer = sqlite3_column_text(handle, c) else { return try text(column) }
        let count = Int(sqlite3_column_bytes(handle, c))
        let bytes = UnsafeBufferPointer(start: pointer, count: count)
        let same = previous.utf8.count == count && previous.utf8.withContiguousStorageIfAvailable { $0.elementsEqual(bytes) } == true
        if !same { previous = String(decoding: bytes, as: UTF8.self) }
        return previous
    }

    /// The current row as a value.
    public var row: Row { Row(values: (0..<columnCount).map(value), columns: columnNames, sql: sql, path: database.path) }
}
