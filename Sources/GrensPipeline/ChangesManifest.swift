import GrensCore
import SQLiteWrap

/// Every file the store ever ingested: the ones it holds and the ones a later run replaced
/// (`source_file_history`, never deleted), with the run that read them and what replaced them.
public struct SourceManifest: Sendable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let dataset: String
        public let layout: String
        public let peildatum: String
        public let sha256: String
        public let rows: Int
        public let run: Int
        public let ingestedAt: String
        /// nil: still in the store.
        public let replacedRun: Int?
        public let replacedAt: String?
        /// The files that replaced it (name and sha256), in run order.
        public let replacedBy: [(name: String, sha256: String)]

        public static func == (a: Entry, b: Entry) -> Bool {
            a.sha256 == b.sha256 && a.run == b.run && a.replacedRun == b.replacedRun
        }
    }

    public let entries: [Entry]

    public static func read(_ db: Database) throws -> SourceManifest {
        let rows = try db.rows("""
            SELECT f.name, f.dataset, f.layout, f.peildatum, f.sha256, f.rows, f.run_id, r.started_at, NULL, NULL, ''
            FROM source_file f JOIN ingest_run r ON r.id = f.run_id
            UNION ALL
            SELECT h.name, h.dataset, h.layout, h.peildatum, h.sha256, h.rows, h.run_id, r.started_at, h.replaced_run, x.started_at, h.replaced_by
            FROM source_file_history h JOIN ingest_run r ON r.id = h.run_id JOIN ingest_run x ON x.id = h.replaced_run
            ORDER BY 4, 2, 1, 7, 9
            """)
        var names: [String: String] = [:]
        for row in rows { names[(try row.text(4))] = (try row.text(0)) }
        return SourceManifest(entries: try rows.map { row in
            Entry(name: (try row.text(0)), dataset: (try row.text(1)), layout: (try row.text(2)), peildatum: (try row.text(3)), sha256: (try row.text(4)),
                  rows: (try row.int(5)), run: (try row.int(6)), ingestedAt: (try row.text(7)), replacedRun: row[8].int, replacedAt: row[9].text,
                  replacedBy: (try row.text(10)).split(separator: ",").map { (names[String($0)] ?? "?", String($0)) })
        })
    }
}
