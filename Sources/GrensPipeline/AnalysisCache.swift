import Foundation
import GrensCore
import SQLiteWrap

/// What the analysis worked out for one peildatum, kept in the store (`cache_analyse`) so that a later `run`
/// takes it over instead of estimating that year again: the yearly refresh then works out the new year, not
/// every year in the store.
///
/// An entry is taken over only under the same key, a sha256 over everything the peildatum's outcome is made from:
/// - the program (`Program.identity`: a rebuilt binary is another program);
/// - the reference texts (`Reference.textFingerprint`) and the texts and program the store's homes were resolved
///   with (`meta.stg_reference`; without it nothing is kept);
/// - the estimator's parameter file, the number of draws and the seed;
/// - the peildatum and every file of that peildatum in the store (id, sha256, dataset, layout, encoding, rows and
///   the ingest run that wrote it), which fix its rows, their order and its school totals; for an unmasked year
///   also whether it is the latest (only an earlier one is published exactly);
/// - the soort selections, the grouping (region, members, neighbours, their order and names), and where every
///   gemeente of the reference data lands on the gemeenten of the latest peildatum (so a new latest year with
///   no mergers since keeps the key; a merger changes it).
/// An entry made for the latest peildatum has its school list; it serves the same peildatum once a newer one is
/// the latest (without the list), but an entry made for an earlier peildatum never serves the latest. The cost
/// items of the peildatum are kept in the entry with their splits (`itemsText`): it serves an analysis with the
/// same items, and one without items (`matrix`, `shares`: the splits are left out), but not one with other items.
/// Each entry also keeps the text of its peildatum's files it was made from (`files`) and the soorten of their
/// flow rows: the rows of a stored file never change, so while the files are the same the soorten are read from
/// the entry, not from a scan of the rows (which the report's soort selections, part of every key, need first).
/// Each entry also keeps a checksum of its bytes (`checksumHex`); an entry that does not read back whole is worked
/// out again.
public final class AnalysisCache {
    static let create = """
        CREATE TABLE IF NOT EXISTS cache_analyse(peildatum TEXT PRIMARY KEY, sleutel TEXT NOT NULL, bestanden TEXT NOT NULL,
            soorten TEXT NOT NULL, controle TEXT NOT NULL, inhoud BLOB NOT NULL) WITHOUT ROWID
        """
    /// Raised when what goes into a key or into the bytes changes.
    static let format = "grensverkeer-analyse-jaar-5"

    let db: Database
    /// Peildatum → what is known of the stored entries without their bytes (those are read when they are taken over).
    struct Entry { let key: String; let files: String; let soorten: String }
    let stored: [Peildatum: Entry]
    /// What is worked out is kept (false for the commands that never write the store).
    let writes: Bool
    /// Taken over from the store, and worked out (and stored where it could be kept), in this run.
    public internal(set) var reused: [Peildatum] = []
    public internal(set) var computed: [Peildatum] = []

    /// The cache of the store behind `db`, a connection that may write. `reuse` false (`run --opnieuw`): every
    /// peildatum is worked out again, and what comes out is kept. A table of another shape (made by another
    /// version) holds nothing this program can use: it is made again, empty.
    public convenience init(db: Database, reuse: Bool = true) throws {
        let shape = try Self.shape(db)
        if shape != .current {
            try db.transaction {
                if shape == .other { try db.execute("DROP TABLE cache_analyse") }
                try db.execute(Self.create)
            }
        }
        try self.init(db, reuse: reuse && shape == .current, writes: true)
    }

    /// The cache of a store that is only read (`dashboard`, `kosten`, `teams`, `matrix`, `shares`): entries are
    /// taken over, nothing is kept.
    public convenience init(reading db: Database) throws {
        try self.init(db, reuse: try Self.shape(db) == .current, writes: false)
    }

    enum Shape { case absent, current, other }

    static func shape(_ db: Database) throws -> Shape {
        let columns = try db.rows("SELECT name FROM pragma_table_info('cache_analyse')").map { try $0.text(0) }
        return columns.isEmpty ? .absent : columns == ["peildatum", "sleutel", "bestanden", "soorten", "controle", "inhoud"] ? .current : .other
    }

    private init(_ db: Database, reuse: Bool, writes: Bool) throws {
        self.db = db
        self.writes = writes
        var stored: [Peildatum: Entry] = [:]
        if reuse {
            for row in try db.rows("SELECT peildatum, sleutel, bestanden, soorten FROM cache_analyse") {
                if let date = Peildatum(iso: try row.text(0)) { stored[date] = Entry(key: try row.text(1), files: try row.text(2), soorten: try row.text(3)) }
            }
        }
        self.stored = stored
    }

    /// The files of every peildatum in the store as the keys hold them (ISO date → a line per file: number, sha256,
    /// dataset, layout, encoding, rows, synthetic and the ingest run that wrote its rows).
    static func files(_ db: Database) throws -> [String: String] {
        var files: [String: String] = [:]
        for row in try db.rows("""
            SELECT peildatum, quote(id) || ' ' || quote(sha256) || ' ' || quote(dataset) || ' ' || quote(layout) || ' ' ||
                   quote(encoding) || ' ' || quote(rows) || ' ' || quote(synthetic) || ' ' || quote(run_id)
            FROM source_file ORDER BY peildatum, id
            """) {
            files[try row.text(0), default: ""] += try row.text(1) + "\n"
        }
        return files
    }

    /// The soorten of the flow rows of `date` as its stored entry has them, when the entry was made from the same
    /// `files` (`files(_:)`); nil when it was not, or there is no entry.
    func soorten(_ date: Peildatum, files: String) -> Set<Soort>? {
        guard let entry = stored[date], entry.files == files, let space = entry.soorten.lastIndex(of: " ") else { return nil }
        let list = String(entry.soorten[..<space])
        guard entry.soorten == Self.soortenText(list, files: files) else { return nil }
        let soorten = list.split(separator: ",").map { Soort(rawValue: String($0)) }
        return soorten.contains(nil) ? nil : Set(soorten.compactMap { $0 })
    }

    /// How an entry keeps the soorten of its files: their names, then a checksum over the files and the names, so a
    /// damaged text is not taken for the soorten of the files.
    static func soortenText(_ soorten: Set<Soort>, files: String) -> String {
        soortenText(soorten.sorted().map(\.rawValue).joined(separator: ","), files: files)
    }

    static func soortenText(_ list: String, files: String) -> String {
        list + " " + checksumHex(Array((files + "\n" + list).utf8))
    }

    /// The keys of the given peildata (`files`: `files(_:)`; `estimator`: the sha256 of the estimator's file,
    /// `ReportBuilder.loadModel`); none when nothing can be kept: reference data not read from texts, or homes in the
    /// store resolved with reference data of unknown texts (nothing derived from those is taken as current).
    static func keys(db: Database, files: [String: String], peildata: [Peildatum], latest: Peildatum, reference: Reference, grouping: Grouping,
                     soorten: [SoortSelection], unmasked: Set<Peildatum>, estimator: String) throws -> [Peildatum: String] {
        // The homes of the store must have been resolved with known reference texts and program.
        guard !reference.textFingerprint.isEmpty,
              let resolvedWith = try db.scalar("SELECT value FROM meta WHERE key = 'stg_reference'")?.text else { return [:] }
        var common = Self.format + "\n"
        common += "[programma]\n\(Program.identity)\n"
        common += "[referentie]\n\(reference.textFingerprint)\n"
        common += "[opgelost met]\n\(resolvedWith)\n"
        common += "[schatter]\n\(estimator)\n"
        common += "[trekkingen]\n\(EstimatedRows.defaultDraws) \(EstimatedRows.defaultSeed)\n"
        common += "[soorten]\n" + soorten.map(\.rawValue).joined(separator: ",") + "\n"
        common += "[indeling]\n\(grouping.region)\n" + grouping.members.joined(separator: ",") + "\n"
            + grouping.neighbours.joined(separator: ",") + "\n" + grouping.order.joined(separator: ",") + "\n"
        for (code, name) in grouping.names.sorted(by: { $0.key < $1.key }) { common += "\(code)\t\(name)\n" }
        common += "[opvolgers]\n"
        for code in reference.gemeenten.keys.sorted() {
            common += code + "\t" + reference.successors(of: code, on: latest).joined(separator: ",") + "\n"
        }
        var keys: [Peildatum: String] = [:]
        for date in peildata {
            // An unmasked year is published exactly unless it is the latest; a masked year is the same either way
            // (an entry made for the latest also has its school list, see `ReportBuilder.analyse`).
            let role = unmasked.contains(date) ? (date == latest ? "ongemaskeerd laatste" : "ongemaskeerd eerder") : "gemaskeerd"
            let text = common + "[peildatum]\n\(date.iso) \(role)\n" + "[bestanden]\n" + (files[date.iso] ?? "")
            keys[date] = sha256Hex(Array(text.utf8))
        }
        return keys
    }

    /// The cost items of one peildatum as the entry keeps them: canonical JSON, empty for none.
    static func itemsText(_ items: [CostItem]) throws -> String {
        guard !items.isEmpty else { return "" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(items), as: UTF8.self)
    }

    /// Whether the store holds an entry of `date` under `key` (its bytes are not read here).
    func holds(_ date: Peildatum, key: String?) -> Bool { key != nil && stored[date]?.key == key }

    /// The stored bytes of `date` under `key`, read on `connection` (any connection to the store); nil when there
    /// is no such entry or it does not read back whole.
    func bytes(_ date: Peildatum, key: String, on connection: Database) throws -> [UInt8]? {
        guard holds(date, key: key) else { return nil }
        let statement = try connection.prepare("SELECT controle, inhoud FROM cache_analyse WHERE peildatum = ? AND sleutel = ?")
        try statement.bind([.text(date.iso), .text(key)])
        guard try statement.step(), let bytes = statement.blob(1), try statement.text(0) == checksumHex(bytes) else { return nil }
        return bytes
    }

    /// Keeps the outcome of `date` (on the calling thread, on the cache's own connection), made from `files` whose
    /// flow rows have `soorten`; `checksum`: the `checksumHex` of `bytes`.
    func store(_ date: Peildatum, key: String, files: String, soorten: Set<Soort>, bytes: [UInt8], checksum: String) throws {
        guard writes else { return }
        let statement = try db.prepare("""
            INSERT OR REPLACE INTO cache_analyse(peildatum, sleutel, bestanden, soorten, controle, inhoud) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for (index, value) in [date.iso, key, files, Self.soortenText(soorten, files: files), checksum].enumerated() { try statement.bind(text: value, at: index + 1) }
        try statement.bind(blob: bytes, at: 6)
        try statement.step()
    }

    /// Lets go of the entries of every peildatum that is not in `keep` (no longer in the store, or worked out
    /// without being kept).
    func finish(keep: Set<Peildatum>) throws {
        guard writes else { return }
        let gone = try db.rows("SELECT peildatum FROM cache_analyse").map { try $0.text(0) }.filter { text in
            Peildatum(iso: text).map { !keep.contains($0) } ?? true
        }
        guard !gone.isEmpty else { return }
        try db.transaction {
            let delete = try db.prepare("DELETE FROM cache_analyse WHERE peildatum = ?")
            for text in gone { try delete.run([.text(text)]) }
        }
    }
}
