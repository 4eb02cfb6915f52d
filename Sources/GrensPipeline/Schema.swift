import Foundation
import GrensCore
import SQLiteWrap

/// The store's tables, by layer: `source_file`/`ingest_*` (provenance), `raw_*` (what the files say, typed),
/// `stg_*` (resolved against reference data; rebuilt on every ingest run). Every column an analyst may query is
/// documented in notebooks-md/README.md ("Ruwe tabellen").
enum Schema {
    /// Raised with every change of `create`; a store of another version is refused (see `Store.check`).
    static let version = 4

    /// A closed set as a CHECK expression (`x = 'a' OR x = 'b'`), from the Swift type that defines it: the
    /// constraints below cannot disagree with the code. Not `x IN ('a', 'b')`: SQLite builds a temporary table
    /// for an IN list on every run of an INSERT, which costs more than the insert itself.
    static func oneOf(_ column: String, _ values: [String]) -> String {
        values.map { "\(column) = '" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: " OR ")
    }
    static func oneOf<T: CaseIterable & RawRepresentable>(_ column: String, _: T.Type) -> String where T.RawValue == String {
        oneOf(column, T.allCases.map(\.rawValue))
    }

    /// What a file is, in source_file and (once replaced) in source_file_history.
    static let fileColumns = [
        "name TEXT NOT NULL", "path TEXT NOT NULL", "bytes INTEGER NOT NULL",
        "dataset TEXT NOT NULL CHECK (\(oneOf("dataset", Dataset.self)))",
        "layout TEXT NOT NULL CHECK (\(oneOf("layout", knownLayouts.map(\.id))))",
        "encoding TEXT NOT NULL CHECK (\(oneOf("encoding", TextEncoding.self)))",
        "peildatum TEXT NOT NULL",
    ].joined(separator: ",\n    ") + ","

    static let create = """
    CREATE TABLE IF NOT EXISTS meta(
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ingest_run(
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        files_seen INTEGER NOT NULL,
        files_added INTEGER NOT NULL,
        files_replaced INTEGER NOT NULL,
        files_unchanged INTEGER NOT NULL,
        files_empty INTEGER NOT NULL,
        rows_added INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ingest_log(
        run_id INTEGER NOT NULL REFERENCES ingest_run(id),
        seq INTEGER NOT NULL,
        level TEXT NOT NULL CHECK (\(oneOf("level", IngestLogLevel.self))),
        file TEXT NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
    );
    CREATE TABLE IF NOT EXISTS source_file(
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        \(fileColumns)
        rows INTEGER NOT NULL,
        synthetic INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
        run_id INTEGER NOT NULL REFERENCES ingest_run(id)
    );
    CREATE INDEX IF NOT EXISTS source_file_key ON source_file(dataset, peildatum);
    -- The school gemeenten a stored file covers (those of its rows): what a later file of the same dataset and
    -- peildatum replaces.
    CREATE TABLE IF NOT EXISTS source_file_scope(
        file_id INTEGER NOT NULL REFERENCES source_file(id) ON DELETE CASCADE,
        school_gemeente TEXT NOT NULL CHECK (length(school_gemeente) = 4),
        PRIMARY KEY (file_id, school_gemeente)
    ) WITHOUT ROWID;
    -- Files that a later run replaced: their metadata as it was in source_file (their rows are deleted), with their
    -- school gemeenten (`scope`, comma-separated), the run that replaced them, the sha256 of the files that did
    -- (comma-separated, in run order) and the school gemeenten of `scope` that the replacing files did not cover
    -- (comma-separated; empty when none was lost). Ingesting such a file again brings it back.
    CREATE TABLE IF NOT EXISTS source_file_history(
        sha256 TEXT NOT NULL,
        \(fileColumns)
        scope TEXT NOT NULL,
        rows INTEGER NOT NULL,
        synthetic INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
        run_id INTEGER NOT NULL REFERENCES ingest_run(id),
        replaced_run INTEGER NOT NULL REFERENCES ingest_run(id),
        replaced_by TEXT NOT NULL,
        lost_scope TEXT NOT NULL
    );
    -- One row per data row of a source file; its dataset and peildatum are those of the file. `cells` is the row's
    -- counts exactly as published, separated by ';' (`<5` kept as text); n_min/n_max are the row total's bounds
    -- (every `<5` counted as 1 resp. 4); n_exact is the sum of the exact cells and masked_bits marks which cells
    -- were `<5`.
    CREATE TABLE IF NOT EXISTS raw_count(
        file_id INTEGER NOT NULL REFERENCES source_file(id) ON DELETE CASCADE,
        line INTEGER NOT NULL,
        school_gemeente TEXT NOT NULL CHECK (length(school_gemeente) = 4),
        school_gemeente_name TEXT NOT NULL,
        school_id TEXT NOT NULL,
        school_name TEXT NOT NULL,
        school_pc4 TEXT,
        school_place TEXT NOT NULL,
        school_province TEXT NOT NULL,
        soort TEXT NOT NULL CHECK (\(oneOf("soort", Soort.self))),
        cluster TEXT,
        home_pc4 TEXT NOT NULL,
        home_name TEXT NOT NULL,
        home_code_given TEXT NOT NULL,
        cells TEXT NOT NULL,
        masked_bits INTEGER NOT NULL,
        n_exact INTEGER NOT NULL,
        n_masked INTEGER NOT NULL,
        n_min INTEGER NOT NULL,
        n_max INTEGER NOT NULL,
        total_given INTEGER,
        PRIMARY KEY (file_id, line),
        CHECK (n_min = n_exact + n_masked AND n_max = n_exact + 4 * n_masked)
    ) WITHOUT ROWID;
    -- The header line of every file ingested (column names, one per line), so a later file can say which
    -- columns appeared or went.
    CREATE TABLE IF NOT EXISTS file_header(
        sha256 TEXT PRIMARY KEY,
        header TEXT NOT NULL
    ) WITHOUT ROWID;
    -- What each ingest run changed, per dataset × peildatum it added files to (written by the run itself, in
    -- its transaction; never deleted). `baseline`: '' (nothing to compare with), the same peildatum (files
    -- replaced or added) or the earlier peildatum a new one is compared with. Lists have one item per line;
    -- columns_added/columns_removed are NULL when the earlier headers are not known.
    CREATE TABLE IF NOT EXISTS change_part(
        run_id INTEGER NOT NULL REFERENCES ingest_run(id),
        dataset TEXT NOT NULL,
        peildatum TEXT NOT NULL,
        baseline TEXT NOT NULL,
        files_before TEXT NOT NULL,
        files_after TEXT NOT NULL,
        layouts_before TEXT NOT NULL,
        layouts_after TEXT NOT NULL,
        columns_added TEXT,
        columns_removed TEXT,
        rows_before INTEGER NOT NULL,
        rows_after INTEGER NOT NULL,
        rows_added INTEGER NOT NULL,
        rows_removed INTEGER NOT NULL,
        rows_changed INTEGER NOT NULL,
        before_min INTEGER NOT NULL,
        before_max INTEGER NOT NULL,
        after_min INTEGER NOT NULL,
        after_max INTEGER NOT NULL,
        change_min INTEGER NOT NULL,
        change_max INTEGER NOT NULL,
        PRIMARY KEY (run_id, dataset, peildatum)
    ) WITHOUT ROWID;
    -- Pupils per school gemeente (side 'school') and home gemeente (side 'home') whose count changed.
    CREATE TABLE IF NOT EXISTS change_area(
        run_id INTEGER NOT NULL,
        dataset TEXT NOT NULL,
        peildatum TEXT NOT NULL,
        seq INTEGER NOT NULL,
        side TEXT NOT NULL CHECK (side IN ('school', 'home')),
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        before_min INTEGER NOT NULL,
        before_max INTEGER NOT NULL,
        after_min INTEGER NOT NULL,
        after_max INTEGER NOT NULL,
        change_min INTEGER NOT NULL,
        change_max INTEGER NOT NULL,
        PRIMARY KEY (run_id, dataset, peildatum, seq),
        FOREIGN KEY (run_id, dataset, peildatum) REFERENCES change_part(run_id, dataset, peildatum)
    ) WITHOUT ROWID;
    -- School locations that appeared or vanished.
    CREATE TABLE IF NOT EXISTS change_school(
        run_id INTEGER NOT NULL,
        dataset TEXT NOT NULL,
        peildatum TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('nieuw', 'verdwenen')),
        school_id TEXT NOT NULL,
        school_name TEXT NOT NULL,
        school_gemeente TEXT NOT NULL,
        pupils_min INTEGER NOT NULL,
        pupils_max INTEGER NOT NULL,
        PRIMARY KEY (run_id, dataset, peildatum, seq),
        FOREIGN KEY (run_id, dataset, peildatum) REFERENCES change_part(run_id, dataset, peildatum)
    ) WITHOUT ROWID;
    -- Rows added, removed or changed, with both versions (file, line, cells as published); same peildatum only.
    CREATE TABLE IF NOT EXISTS change_row(
        run_id INTEGER NOT NULL,
        dataset TEXT NOT NULL,
        peildatum TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('toegevoegd', 'verwijderd', 'gewijzigd')),
        school_id TEXT NOT NULL,
        school_name TEXT NOT NULL,
        school_gemeente TEXT NOT NULL,
        soort TEXT NOT NULL,
        home_pc4 TEXT NOT NULL,
        home_name TEXT NOT NULL,
        file_before TEXT,
        line_before INTEGER,
        cells_before TEXT,
        file_after TEXT,
        line_after INTEGER,
        cells_after TEXT,
        change_min INTEGER NOT NULL,
        change_max INTEGER NOT NULL,
        PRIMARY KEY (run_id, dataset, peildatum, seq),
        FOREIGN KEY (run_id, dataset, peildatum) REFERENCES change_part(run_id, dataset, peildatum)
    ) WITHOUT ROWID;
    -- Home locations resolved to gemeente codes (or pseudo-codes P10..P40), one row per distinct home as written.
    CREATE TABLE IF NOT EXISTS stg_home(
        peildatum TEXT NOT NULL,
        home_pc4 TEXT NOT NULL,
        home_name TEXT NOT NULL,
        home_code_given TEXT NOT NULL,
        home_code TEXT,
        method TEXT NOT NULL CHECK (\(oneOf("method", ResolutionMethod.self))),
        rows INTEGER NOT NULL,
        PRIMARY KEY (peildatum, home_pc4, home_name, home_code_given)
    ) WITHOUT ROWID;
    """
}

public enum Store {
    /// `.write` creates the store when it is missing (ingest, run); `.read` needs an existing store and opens
    /// a connection that cannot change it, so a write-protected store can still be read.
    public enum Access: Sendable { case read, write }

    /// Opens the store after checking that it is one: made by this version (`PRAGMA user_version`, or for
    /// older stores `meta.schema_version`) with every table, column and constraint of the schema. Anything else is
    /// refused with its path and left untouched; the schema is only ever created in a new, empty database.
    public static func open(path: String, access: Access = .write) throws -> Database {
        var st = stat()
        guard stat(path, &st) == 0 else {
            guard access == .write else {
                throw StoreError("de database \(path) bestaat niet. Maak er een met: grensverkeer ingest <map met DUO-bestanden> --db \(path) (of grensverkeer run)")
            }
            let folder = folderPath(path)
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            return try create(Database(path: path, create: true))
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw StoreError("\(path) is geen bestand; geef met --db het pad van een database") }
        // Checked through a connection that leaves no trace: without a WAL file the main file holds everything,
        // and an immutable read makes no lock or index file beside it.
        let probe = try Database(path: path, readOnly: true, immutable: !FileManager.default.fileExists(atPath: path + "-wal"))
        let tables: [String: TableShape]
        do {
            tables = try shapes(probe)
        } catch let error as SQLiteError where error.primary == SQLiteError.notADatabase {
            throw foreign(path, "het is geen SQLite-database")
        }
        if tables.isEmpty {
            guard access == .write else {
                throw StoreError("de database \(path) is leeg. Lees eerst bestanden in met: grensverkeer ingest <map> --db \(path)")
            }
            return try create(writeConnection(path))
        }
        try check(probe, tables: tables, path: path)
        guard access == .write else { return try readConnection(path) }
        let db = try writeConnection(path)
        try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        return db
    }

    /// A connection that never writes. Where the file and its folder are writable it is a read-write connection
    /// with `query_only`, so SQLite removes its WAL files on close as after any other run; otherwise read-only,
    /// and in a folder where SQLite cannot make the WAL index, immutable.
    static func readConnection(_ path: String) throws -> Database {
        let folder = folderPath(path)
        if access(path, W_OK) == 0, access(folder.isEmpty ? "." : folder, W_OK) == 0 {
            let db = try Database(path: path)
            try db.execute("PRAGMA query_only = ON")
            return db
        }
        let db = try Database(path: path, readOnly: true)
        do {
            _ = try db.scalar("SELECT count(*) FROM sqlite_schema")
            return db
        } catch let error as SQLiteError where [SQLiteError.readOnly, SQLiteError.cannotOpen].contains(error.primary) {
            return try Database(path: path, readOnly: true, immutable: true)
        }
    }

    static func writeConnection(_ path: String) throws -> Database {
        let db = try Database(path: path)
        guard !db.isReadOnly else {
            throw StoreError("de database \(path) kan niet worden beschreven (alleen-lezen). Lezen kan wel (status, matrix, dashboard, …); om in te lezen is schrijfrecht op het bestand en de map nodig.")
        }
        return db
    }

    static func create(_ db: Database) throws -> Database {
        try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        try db.transaction {
            try db.execute(Schema.create)
            try db.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '\(Schema.version)'); PRAGMA user_version = \(Schema.version);")
        }
        return db
    }

    /// A table as the store has it: its columns as "name type notnull pk", in order, and the SQL that made it
    /// (which holds its CHECK constraints).
    struct TableShape: Equatable {
        var columns: [String] = []
        var sql = ""
    }

    /// Every table of a database (SQLite's own excluded).
    static func shapes(_ db: Database) throws -> [String: TableShape] {
        var tables: [String: TableShape] = [:]
        for row in try db.rows("""
            SELECT m.name, m.sql, p.name || ' ' || p.type || ' ' || p."notnull" || ' ' || p.pk FROM sqlite_schema m, pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name, p.cid
            """) {
            let name = try row.text(0), sql = try row.optionalText(1) ?? ""
            tables[name, default: TableShape(sql: sql)].columns.append(try row.text(2))
        }
        return tables
    }

    /// The tables `Schema.create` makes, read from a database in memory.
    static let expected: [String: TableShape] = {
        let db = try! Database(path: ":memory:", create: true)
        try! db.execute(Schema.create)
        return try! shapes(db)
    }()

    /// Refuses a store of another schema version, another program's database, and a store whose tables are not
    /// exactly those of `Schema.create` (columns and constraints).
    static func check(_ db: Database, tables: [String: TableShape], path: String) throws {
        let newStore = "maak een nieuwe database (grensverkeer ingest <map met DUO-bestanden> --db <nieuw pad>, of verwijder dit bestand zelf als het weg mag) en lees de bestanden opnieuw in; grensverkeer verandert niets aan dit bestand."
        let userVersion = try db.scalar("PRAGMA user_version")?.int ?? 0
        let metaVersion = tables["meta"] == nil ? nil : try db.scalar("SELECT value FROM meta WHERE key = 'schema_version'")?.text
        for version in [userVersion == 0 ? nil : String(userVersion), metaVersion].compactMap({ $0 }) where version != String(Schema.version) {
            // Versions before 3 kept dataset and peildatum on every raw_count row and the scope as a list: the
            // columns changed, so such a store cannot be upgraded in place (its files can be ingested again).
            if let v = Int(version), v >= 1, v < Schema.version {
                throw StoreError("de database \(path) is gemaakt door een eerdere versie van grensverkeer (schemaversie \(v); deze versie gebruikt \(Schema.version)) en kan niet worden bijgewerkt: \(newStore)")
            }
            throw StoreError("de database \(path) heeft schemaversie \(version); deze versie van grensverkeer verwacht \(Schema.version): \(newStore)")
        }
        let ours = Set(expected.keys)
        guard !ours.isDisjoint(with: tables.keys) else {
            throw foreign(path, "het is een SQLite-database van een ander programma (tabellen: \(tables.keys.sorted().joined(separator: ", ")))")
        }
        let present = ours.intersection(tables.keys)
        let missing = ours.subtracting(tables.keys).sorted()
        let changed = present.filter { tables[$0]?.columns != expected[$0]?.columns }.sorted()
        guard missing.isEmpty && changed.isEmpty else {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("ontbrekende tabellen: \(missing.joined(separator: ", "))") }
            if !changed.isEmpty { parts.append("tabellen met andere kolommen: \(changed.joined(separator: ", "))") }
            throw StoreError("de database \(path) is beschadigd of onvolledig (\(parts.joined(separator: "; "))). Kies met --db een ander pad (een nieuwe database wordt dan gemaakt) of verwijder dit bestand zelf als het weg mag; grensverkeer verandert er niets aan.")
        }
        // Same columns, other constraints: made by a build whose closed sets (datasets, layouts, soorten, …) differ.
        let rules = present.filter { tables[$0]?.sql != expected[$0]?.sql }.sorted()
        guard rules.isEmpty else {
            throw StoreError("de database \(path) heeft andere regels voor de gegevens dan deze versie van grensverkeer (tabellen: \(rules.joined(separator: ", "))): \(newStore)")
        }
    }

    static func foreign(_ path: String, _ what: String) -> StoreError {
        StoreError("\(path) is geen grensverkeer-database: \(what). Kies met --db een ander pad (een nieuwe database wordt dan gemaakt); grensverkeer verandert niets aan dit bestand.")
    }
}

public struct StoreError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
