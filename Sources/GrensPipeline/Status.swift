import GrensCore
import SQLiteWrap

/// What the store holds, per dataset and peildatum, with the bounds of the pupil total.
public struct StoreStatus: Sendable {
    public struct Part: Sendable {
        public let dataset: String
        public let peildatum: String
        public let files: Int
        public let rows: Int
        public let maskedCells: Int
        public let pupils: Bounds
        public let synthetic: Bool
    }
    public let parts: [Part]
    public let runs: Int
    public let unresolvedHomes: Int

    public static func read(_ db: Database) throws -> StoreStatus {
        let parts = try db.rows("""
            SELECT f.dataset, f.peildatum, count(DISTINCT f.id), count(*), sum(r.n_masked), sum(r.n_min), sum(r.n_max), max(f.synthetic)
            FROM source_file f JOIN raw_count r ON r.file_id = f.id
            GROUP BY f.dataset, f.peildatum ORDER BY f.peildatum, f.dataset
            """).map {
            Part(dataset: try $0.text(0), peildatum: try $0.text(1), files: try $0.int(2), rows: try $0.int(3), maskedCells: try $0.int(4),
                 pupils: Bounds(min: try $0.int(5), max: try $0.int(6)), synthetic: try $0.int(7) == 1)
        }
        let runs = try db.scalar("SELECT count(*) FROM ingest_run")?.int ?? 0
        let unresolved = try Staging.unresolvedHomes(db: db).reduce(0) { $0 + $1.rows }
        return StoreStatus(parts: parts, runs: runs, unresolvedHomes: unresolved)
    }
}
