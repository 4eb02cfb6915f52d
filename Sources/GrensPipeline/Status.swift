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
            Part(dataset: $0[0].text!, peildatum: $0[1].text!, files: $0[2].int!, rows: $0[3].int!, maskedCells: $0[4].int!,
                 pupils: Bounds(min: $0[5].int!, max: $0[6].int!), synthetic: $0[7].int! == 1)
        }
        let runs = try db.scalar("SELECT count(*) FROM ingest_run")?.int ?? 0
        let unresolved = try db.scalar("SELECT coalesce(sum(rows), 0) FROM stg_home WHERE home_code IS NULL")?.int ?? 0
        return StoreStatus(parts: parts, runs: runs, unresolvedHomes: unresolved)
    }
}
