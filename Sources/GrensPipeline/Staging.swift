import GrensCore
import SQLiteWrap

/// The `stg_*` layer: home locations resolved against the reference data of this run.
enum Staging {
    /// The flow rows of the store (`r`) with their file (`f`, which gives the peildatum): what `stg_home` is built
    /// from and checked against, and what the analysis reads. Bind `flowDatasets`.
    static let flowRows = """
        raw_count r JOIN source_file f ON f.id = r.file_id AND f.dataset IN (\(placeholders(Dataset.flows.count)))
        """
    static let flowDatasets = Dataset.flows.map { SQLValue.text($0.rawValue) }

    /// Brings `stg_home` up to date after an ingest run: the homes of the `changed` peildata (ISO dates; their
    /// files changed) are counted again from all their rows; those of every other peildatum keep their rows (their
    /// `raw_count` rows are as they were) and are resolved again against this run's reference data, so a changed
    /// alias or gemeente shows without regrouping the whole store; when the reference texts and the program are
    /// those the store's homes were last resolved with (`meta.stg_reference`), that step is skipped (a new program
    /// may resolve differently). Rows of a peildatum without flow files go.
    /// `written`: the homes of the flow files this run wrote (`run`), counted per peildatum as they were parsed; the
    /// rows of the other files of those peildata are counted from `raw_count`.
    static func refreshHomes(db: Database, reference: Reference, changed: Set<String>, run: Int64, written: [String: [Home: Int]]) throws {
        let current = Set(try db.rows("SELECT DISTINCT peildatum FROM source_file WHERE dataset IN (\(placeholders(flowDatasets.count)))",
                                      flowDatasets).map { try $0.text(0) })
        let staged = Set(try db.rows("SELECT DISTINCT peildatum FROM stg_home").map { try $0.text(0) })
        let regroup = changed.intersection(current).union(current.subtracting(staged)).sorted()
        let drop = staged.subtracting(current).union(changed).sorted()
        let delete = try db.prepare("DELETE FROM stg_home WHERE peildatum = ?")
        for date in drop { try delete.run([.text(date)]) }

        // Kept peildata: resolve again, write only what differs; not needed when they were resolved against the
        // same reference texts by the same program (`meta.stg_reference`).
        let resolvedWith = try db.scalar("SELECT value FROM meta WHERE key = 'stg_reference'")?.text
        let resolver = reference.textFingerprint.isEmpty ? nil : sha256Hex(Array((reference.textFingerprint + "\n" + Program.identity).utf8))
        if resolver == nil || resolvedWith != resolver {
            try db.execute("DELETE FROM meta WHERE key = 'stg_reference'")
            try resolveAgain(db: db, reference: reference)
            if let resolver { try db.prepare("INSERT INTO meta(key, value) VALUES ('stg_reference', ?)").run([.text(resolver)]) }
        }

        guard !regroup.isEmpty else { return }
        let insert = try db.prepare("INSERT INTO stg_home(peildatum, home_pc4, home_name, home_code_given, home_code, method, rows) VALUES (?, ?, ?, ?, ?, ?, ?)")
        var counts = written.filter { regroup.contains($0.key) }
        for (date, homes) in try homeCounts(db, peildata: regroup, besides: run) { counts[date, default: [:]].merge(homes, uniquingKeysWith: +) }
        for date in counts.keys.sorted() {
            let homes = counts[date]!
            guard let peildatum = Peildatum(iso: date) else { throw StoreError("peildatum '\(date)' in source_file is geen datum") }
            for (home, rows) in homes {
                let resolution = reference.resolveHome(pc4: home.pc4, name: home.name, code: home.given.isEmpty ? nil : home.given, on: peildatum)
                try insert.run([.text(date), .text(home.pc4), .text(home.name), .text(home.given), resolution.code.map { .text($0) } ?? .null,
                                .text(resolution.method.rawValue), .int(Int64(rows))])
            }
        }
    }

    /// A home as the flow rows write it. Keys are equal when their texts are equal byte by byte, as SQLite compares
    /// them in `stg_home`'s key and in the join of the analysis (Swift's `==` on String would also take two
    /// spellings of one accented letter as one home).
    struct Home: Hashable {
        let pc4: String, name: String, given: String

        static func == (a: Home, b: Home) -> Bool {
            a.pc4.utf8.elementsEqual(b.pc4.utf8) && a.name.utf8.elementsEqual(b.name.utf8) && a.given.utf8.elementsEqual(b.given.utf8)
        }

        func hash(into hasher: inout Hasher) {
            func add(_ text: String) {
                var text = text
                text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
                hasher.combine(0xFF as UInt8)
            }
            add(pc4); add(name); add(given)
        }
    }

    /// The number of rows of every home in `rows` (a parsed flow file), each home as `RawCount` stores it.
    static func homeCounts(_ rows: [SourceRow]) -> [Home: Int] {
        var counts: [Home: Int] = [:]
        for r in rows { counts[Home(pc4: r.homePC4 ?? "", name: r.homeName ?? "", given: r.homeGemeente ?? ""), default: 0] += 1 }
        return counts
    }

    /// The number of flow rows of every home of the given peildata (ISO dates) in the files that run `run` did not
    /// write, per peildatum: one pass over their rows in the store's order, counted in a dictionary (SQLite's GROUP
    /// BY would sort every row first).
    static func homeCounts(_ db: Database, peildata: [String], besides run: Int64) throws -> [String: [Home: Int]] {
        let statement = try db.prepare("""
            SELECT f.peildatum, r.home_pc4, r.home_name, r.home_code_given FROM \(flowRows)
            WHERE f.peildatum IN (\(placeholders(peildata.count))) AND f.run_id <> ?
            """)
        try statement.bind(flowDatasets + peildata.map { SQLValue.text($0) } + [.int(run)])
        var counts: [String: [Home: Int]] = [:]
        var last = [String](repeating: "", count: 4)
        while try statement.step() {
            let home = Home(pc4: try statement.text(1, reusing: &last[1]), name: try statement.text(2, reusing: &last[2]),
                            given: try statement.text(3, reusing: &last[3]))
            counts[try statement.text(0, reusing: &last[0]), default: [:]][home, default: 0] += 1
        }
        return counts
    }

    /// Resolves every staged home again against `reference` and writes the ones that differ.
    static func resolveAgain(db: Database, reference: Reference) throws {
        let update = try db.prepare("UPDATE stg_home SET home_code = ?, method = ? WHERE peildatum = ? AND home_pc4 = ? AND home_name = ? AND home_code_given = ?")
        // A few peildata for many homes: each date is read once.
        var dates: [String: Peildatum] = [:]
        for h in try db.rows("SELECT peildatum, home_pc4, home_name, home_code_given, home_code, method FROM stg_home") {
            let date = try h.text(0)
            guard let peildatum = dates[date] ?? Peildatum(iso: date) else { throw StoreError("peildatum '\(date)' in stg_home is geen datum") }
            dates[date] = peildatum
            let given = try h.text(3)
            let resolution = reference.resolveHome(pc4: try h.text(1), name: try h.text(2), code: given.isEmpty ? nil : given, on: peildatum)
            let code: SQLValue = resolution.code.map { .text($0) } ?? .null
            if code != h[4] || h[5] != .text(resolution.method.rawValue) {
                try update.run([code, .text(resolution.method.rawValue), h[0], h[1], h[2], h[3]])
            }
        }
    }

    /// Must find nothing: a flow row without its `stg_home` row would silently drop out of the analysis (it joins
    /// the two). Run at the end of every ingest, inside its transaction.
    /// Only the given peildata (ISO dates) are checked: the others' rows and homes are as the run that last
    /// changed them checked them.
    static func checkEveryFlowRowStaged(db: Database, peildata: Set<String>) throws {
        guard !peildata.isEmpty else { return }
        let dates = peildata.sorted()
        // Each staged home counts the rows it was grouped from: when the counts of these peildata add up to their
        // rows, every row has its home. Only otherwise is every row looked up, to name the first without one.
        let values = flowDatasets + dates.map { SQLValue.text($0) }
        let rows = try db.scalar("SELECT count(*) FROM \(flowRows) WHERE f.peildatum IN (\(placeholders(dates.count)))", values)?.int ?? 0
        let staged = try db.scalar("SELECT coalesce(sum(rows), 0) FROM stg_home WHERE peildatum IN (\(placeholders(dates.count)))",
                                   dates.map { .text($0) })?.int ?? 0
        guard rows != staged else { return }
        let missing = try db.rows("""
            SELECT f.name, r.line FROM \(flowRows) WHERE f.peildatum IN (\(placeholders(dates.count)))
                AND NOT EXISTS (SELECT 1 FROM stg_home h WHERE h.peildatum = f.peildatum
                AND h.home_pc4 = r.home_pc4 AND h.home_name = r.home_name AND h.home_code_given = r.home_code_given)
            ORDER BY f.name, r.line LIMIT 5
            """, values)
        guard !missing.isEmpty else {
            throw StoreError("inlezen afgebroken, de database is niet gewijzigd: stg_home telt \(staged) regels voor \(rows) stroomregels")
        }
        let first = try missing.map { "\(try $0.text(0)) regel \(try $0.int(1))" }
        throw StoreError("inlezen afgebroken, de database is niet gewijzigd: regels zonder woonlocatie in stg_home (\(first.joined(separator: ", "))); zij zouden uit de analyse vallen")
    }

    /// Homes that resolve to no gemeente, per peildatum and name as written, with their PC4s and row count.
    static func unresolvedHomes(db: Database) throws -> [UnresolvedHome] {
        try db.rows("""
            SELECT peildatum, home_name, group_concat(home_pc4, ','), sum(rows) FROM
              (SELECT * FROM stg_home WHERE home_code IS NULL ORDER BY home_pc4)
            GROUP BY peildatum, home_name ORDER BY peildatum, home_name
            """).map {
            UnresolvedHome(peildatum: try $0.text(0), name: try $0.text(1), pc4s: try $0.text(2).split(separator: ",").map(String.init), rows: try $0.int(3))
        }
    }

    static func describe(db: Database, reference: Reference, into report: inout IngestReport) throws {
        report.unresolvedHomes = try unresolvedHomes(db: db)
        for row in try db.rows("SELECT home_code, sum(rows) FROM stg_home WHERE method = ? GROUP BY home_code ORDER BY home_code",
                               [.text(ResolutionMethod.pseudo.rawValue)]) {
            report.pseudoHomes[try row.text(0)] = try row.int(1)
        }
        // Every stored file has rows and its scope lists its school gemeenten, so the scopes give the distinct
        // (gemeente, peildatum) pairs without a scan of raw_count.
        report.unknownSchoolGemeenten = try db.rows("""
            SELECT DISTINCT s.school_gemeente, f.peildatum FROM source_file_scope s JOIN source_file f ON f.id = s.file_id ORDER BY 1, 2
            """).compactMap { row in
            let (code, date) = (try row.text(0), try row.text(1))
            guard let g = reference.gemeenten[code], let peildatum = Peildatum(iso: date), g.exists(on: peildatum) else { return "\(code) (peildatum \(date))" }
            return nil
        }
    }
}
