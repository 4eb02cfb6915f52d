import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// Limits for SQL written by a user (the analyst's notebooks): read only, only the tables and views allowed,
/// within a time limit. The authorizer runs when a statement is prepared, so a refused statement never runs.
public final class ReadGuard {
    /// Views the user may read; tables are read only through them (SQLite reports the view as the accessor).
    /// nil: every table and view may be read (still nothing written).
    let readable: Set<String>?
    /// Tables and views of the database. A name read that is not one of them is a common table expression of
    /// the statement itself (`WITH RECURSIVE r …`), which only holds what its own body read.
    var schemaNames: Set<String> = []
    var deadline: UInt64 = 0
    /// The last refusal, in Dutch, for the error message.
    public private(set) var refusal: String?

    init(readable: Set<String>?) { self.readable = readable }

    /// Called by SQLite for every action of a statement being prepared.
    func authorize(_ action: Int32, _ a: String?, _ b: String?, _ view: String?) -> Int32 {
        switch action {
        case SQLITE_SELECT, SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_FUNCTION:
            // load_extension is off on our connections anyway; refuse it by name as well.
            if b?.lowercased() == "load_extension" { return deny("de functie load_extension is niet toegestaan") }
            return SQLITE_OK
        case SQLITE_READ:
            guard let readable, let table = a else { return SQLITE_OK }
            let lower = table.lowercased()
            if lower == "sqlite_master" || lower == "sqlite_schema" || lower == "sqlite_temp_master" { return SQLITE_OK }
            if readable.contains(lower) || view.map({ readable.contains($0.lowercased()) }) == true { return SQLITE_OK }
            if !schemaNames.contains(lower) { return SQLITE_OK }
            return deny("de tabel \(table) is niet toegestaan; gebruik de analistenviews (zie notebooks-md/README.md) of zet 'intern: ja'")
        case SQLITE_PRAGMA:
            return deny("PRAGMA is niet toegestaan")
        case SQLITE_ATTACH, SQLITE_DETACH:
            return deny("ATTACH en DETACH zijn niet toegestaan")
        default:
            return deny("alleen lezen (SELECT) is toegestaan")
        }
    }

    private func deny(_ message: String) -> Int32 {
        refusal = message
        return SQLITE_DENY
    }
}

/// C callbacks: the guard travels as the user-data pointer.
private let authorizerCallback: @convention(c) (UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?,
                                                UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32 = { context, action, a, b, _, view in
    guard let context else { return SQLITE_DENY }
    let guardian = Unmanaged<ReadGuard>.fromOpaque(context).takeUnretainedValue()
    return guardian.authorize(action, a.map { String(cString: $0) }, b.map { String(cString: $0) }, view.map { String(cString: $0) })
}

private let progressCallback: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
    guard let context else { return 1 }
    let guardian = Unmanaged<ReadGuard>.fromOpaque(context).takeUnretainedValue()
    return guardian.deadline != 0 && monotonicNanoseconds() > guardian.deadline ? 1 : 0
}

func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

extension Database {
    /// Installs a guard for user SQL: `query_only` (no writes even if the guard misses something), an authorizer
    /// that allows reading `readable` only (nil: any table), and a progress handler for the time limit set by
    /// `ReadGuard.start(seconds:)`. The guard lives as long as the connection.
    public func guardReads(readable: Set<String>?) throws -> ReadGuard {
        try execute("PRAGMA query_only = ON")
        let guardian = ReadGuard(readable: readable.map { Set($0.map { $0.lowercased() }) })
        guardian.schemaNames = Set(try rows("SELECT lower(name) FROM sqlite_schema WHERE type IN ('table', 'view')").compactMap { $0[0].text })
        guards.append(guardian)
        let context = Unmanaged.passUnretained(guardian).toOpaque()
        sqlite3_set_authorizer(handle, authorizerCallback, context)
        sqlite3_progress_handler(handle, 1000, progressCallback, context)
        return guardian
    }
}

extension ReadGuard {
    /// Starts the clock for the next statement.
    public func start(seconds: Double) {
        refusal = nil
        deadline = monotonicNanoseconds() + UInt64(seconds * 1_000_000_000)
    }
}

extension Statement {
    /// The named parameters of the statement (`:naam`, `@naam`, `$naam`) with their indices.
    public var parameterNames: [(index: Int, name: String)] {
        let count = Int(sqlite3_bind_parameter_count(handle))
        guard count > 0 else { return [] }
        return (1...count).compactMap { i in sqlite3_bind_parameter_name(handle, Int32(i)).map { (i, String(cString: $0)) } }
    }
}

extension Database {
    /// The SQL after the first complete statement, when it holds more than spaces and comments: SQLite would
    /// prepare the first statement and silently ignore the rest.
    public func trailingStatement(_ sql: String) throws -> String? {
        try sql.withCString { start -> String? in
            var statement: OpaquePointer?
            var tail: UnsafePointer<CChar>?
            let rc = sqlite3_prepare_v2(handle, start, -1, &statement, &tail)
            sqlite3_finalize(statement)
            guard rc == SQLITE_OK else { throw error(rc, sql: sql) }
            guard let tail else { return nil }
            let rest = String(cString: tail)
            var probe: OpaquePointer?
            var next: UnsafePointer<CChar>?
            // A tail of only spaces and comments prepares to no statement at all.
            let rc2 = sqlite3_prepare_v2(handle, tail, -1, &probe, &next)
            defer { sqlite3_finalize(probe) }
            return rc2 == SQLITE_OK && probe == nil ? nil : rest
        }
    }
}
