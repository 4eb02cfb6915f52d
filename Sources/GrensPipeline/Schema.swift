import SQLiteWrap

/// The store's tables, by layer: `source_file`/`ingest_*` (provenance), `raw_*` (what the files say, typed),
/// `stg_*` (resolved against reference data; rebuilt on every ingest run).
enum Schema {
    static let version = "1"

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
        level TEXT NOT NULL CHECK (level IN ('info', 'waarschuwing', 'vervangen', 'ongewijzigd')),
        file TEXT NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
    );
    CREATE TABLE IF NOT EXISTS source_file(
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        dataset TEXT NOT NULL,
        layout TEXT NOT NULL,
        encoding TEXT NOT NULL,
        peildatum TEXT NOT NULL,
        scope TEXT NOT NULL,
        rows INTEGER NOT NULL,
        synthetic INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
        run_id INTEGER NOT NULL REFERENCES ingest_run(id)
    );
    CREATE INDEX IF NOT EXISTS source_file_key ON source_file(dataset, peildatum);
    -- Files that a later run replaced: their metadata as it was in source_file (their rows are deleted), the run
    -- that replaced them, the sha256 of the files that did (comma-separated, in run order) and the school
    -- gemeenten of `scope` that the replacing files did not cover (comma-separated; empty when none was lost).
    -- Ingesting such a file again brings it back.
    CREATE TABLE IF NOT EXISTS source_file_history(
        sha256 TEXT NOT NULL,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        dataset TEXT NOT NULL,
        layout TEXT NOT NULL,
        encoding TEXT NOT NULL,
        peildatum TEXT NOT NULL,
        scope TEXT NOT NULL,
        rows INTEGER NOT NULL,
        synthetic INTEGER NOT NULL CHECK (synthetic IN (0, 1)),
        run_id INTEGER NOT NULL REFERENCES ingest_run(id),
        replaced_run INTEGER NOT NULL REFERENCES ingest_run(id),
        replaced_by TEXT NOT NULL,
        lost_scope TEXT NOT NULL
    );
    -- One row per data row of a source file. `cells` is the row's counts exactly as published, separated by ';'
    -- (`<5` kept as text); n_min/n_max are the row total's bounds (every `<5` counted as 1 resp. 4);
    -- n_exact is the sum of the exact cells and masked_bits marks which cells were `<5`.
    CREATE TABLE IF NOT EXISTS raw_count(
        file_id INTEGER NOT NULL REFERENCES source_file(id) ON DELETE CASCADE,
        line INTEGER NOT NULL,
        dataset TEXT NOT NULL,
        peildatum TEXT NOT NULL,
        school_gemeente TEXT NOT NULL CHECK (length(school_gemeente) = 4),
        school_gemeente_name TEXT NOT NULL,
        school_id TEXT NOT NULL,
        school_name TEXT NOT NULL,
        school_pc4 TEXT,
        school_place TEXT NOT NULL,
        school_province TEXT NOT NULL,
        soort TEXT NOT NULL,
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
    -- Home locations resolved to gemeente codes (or pseudo-codes P10..P40), one row per distinct home as written.
    CREATE TABLE IF NOT EXISTS stg_home(
        peildatum TEXT NOT NULL,
        home_pc4 TEXT NOT NULL,
        home_name TEXT NOT NULL,
        home_code_given TEXT NOT NULL,
        home_code TEXT,
        method TEXT NOT NULL,
        rows INTEGER NOT NULL,
        PRIMARY KEY (peildatum, home_pc4, home_name, home_code_given)
    ) WITHOUT ROWID;
    """

}

public enum Store {
    /// Opens (and if needed creates) the store; refuses a store made by an incompatible version.
    public static func open(path: String) throws -> Database {
        let db = try Database(path: path)
        try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        try db.execute(Schema.create)
        let existing = try db.scalar("SELECT value FROM meta WHERE key = 'schema_version'")?.text
        if let existing, existing != Schema.version {
            throw StoreError("de database \(path) heeft schemaversie \(existing); deze versie van grensverkeer verwacht \(Schema.version). Maak een nieuwe database (verwijder het bestand) en lees de bestanden opnieuw in.")
        }
        if existing == nil { try db.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '\(Schema.version)')") }
        return db
    }
}

public struct StoreError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
