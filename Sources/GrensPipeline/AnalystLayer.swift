import Foundation
import GrensCore
import SQLiteWrap

/// The analyst's layer of the store: what the dashboard computed, written back as tables (`ana_*`, `ref_*`) and
/// read through documented views with Dutch names (`stroom`, `matrix`, `aandeel`, `school`, `gemeente`, `regio`,
/// `swv`, `peildatum`). Written by every analysis run, in one transaction, so SQL on the views gives exactly the
/// numbers the dashboard shows (the flows and schools of the oldest years may stay as they were when they come from
/// the same analysis, see `write`). Every column is described in `notebooks-md/README.md`; a test keeps
/// that document and these views in step.
public enum AnalystLayer {
    /// The views notebooks may read without `intern: ja`.
    public static let views = ["stroom", "matrix", "aandeel", "school", "gemeente", "regio", "swv", "peildatum"]
    static let tables = ["ana_stroom", "ana_school", "ana_matrix", "ana_aandeel", "ana_naam", "ana_bron",
                         "ref_gemeente", "ref_regio", "ref_swv"]

    /// The tables of the flows and schools of every peildatum (the bulk of the layer).
    static let rowTables = ["ana_stroom", "ana_school"]
    static let createRows = """
    CREATE TABLE ana_stroom(peildatum TEXT NOT NULL, soort TEXT NOT NULL, school_id TEXT NOT NULL, home_code TEXT NOT NULL,
        school_swv TEXT, home_swv TEXT, minimum INTEGER NOT NULL, maximum INTEGER NOT NULL, schatting REAL NOT NULL,
        interval_90_laag INTEGER, interval_90_hoog INTEGER,
        PRIMARY KEY (peildatum, soort, school_id, home_code, home_swv));
    CREATE TABLE ana_school(peildatum TEXT NOT NULL, school_id TEXT NOT NULL, naam TEXT NOT NULL, gemeente_code TEXT NOT NULL,
        pc4 TEXT, PRIMARY KEY (peildatum, school_id)) WITHOUT ROWID;
    """
    static let create = """
    CREATE TABLE ana_matrix(peildatum TEXT NOT NULL, soort TEXT NOT NULL, woon_code TEXT NOT NULL, school_code TEXT NOT NULL,
        minimum INTEGER NOT NULL, maximum INTEGER NOT NULL, schatting REAL NOT NULL,
        interval_90_laag INTEGER, interval_90_hoog INTEGER,
        PRIMARY KEY (peildatum, soort, woon_code, school_code)) WITHOUT ROWID;
    CREATE TABLE ana_aandeel(peildatum TEXT NOT NULL, soort TEXT NOT NULL, gemeente_code TEXT NOT NULL,
        wonend_min INTEGER NOT NULL, wonend_max INTEGER NOT NULL, wonend_schatting REAL NOT NULL,
        eigen_gemeente_min INTEGER NOT NULL, eigen_gemeente_max INTEGER NOT NULL, eigen_gemeente_schatting REAL NOT NULL,
        uitstroom_min INTEGER NOT NULL, uitstroom_max INTEGER NOT NULL, uitstroom_schatting REAL NOT NULL,
        instroom_min INTEGER NOT NULL, instroom_max INTEGER NOT NULL, instroom_schatting REAL NOT NULL,
        PRIMARY KEY (peildatum, soort, gemeente_code)) WITHOUT ROWID;
    CREATE TABLE ana_naam(code TEXT PRIMARY KEY, naam TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE ana_bron(sleutel TEXT PRIMARY KEY, waarde TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE ref_gemeente(code TEXT PRIMARY KEY, naam TEXT NOT NULL, geldig_van TEXT, geldig_tot TEXT) WITHOUT ROWID;
    CREATE TABLE ref_regio(regio TEXT NOT NULL, regio_naam TEXT NOT NULL, gemeente_code TEXT NOT NULL, geldig_van TEXT, geldig_tot TEXT);
    CREATE TABLE ref_swv(code TEXT PRIMARY KEY, sector TEXT NOT NULL, naam TEXT NOT NULL) WITHOUT ROWID;

    CREATE VIEW stroom AS
        SELECT s.peildatum, s.soort, s.school_id AS vestiging, sc.naam AS school, sc.gemeente_code AS schoolgemeente_code,
               ns.naam AS schoolgemeente, s.home_code AS woongemeente_code, nh.naam AS woongemeente,
               CASE WHEN s.home_code = sc.gemeente_code THEN 0 ELSE 1 END AS grensoverschrijdend,
               s.school_swv, s.home_swv AS woon_swv,
               s.minimum, s.maximum, s.schatting, s.interval_90_laag, s.interval_90_hoog
        FROM ana_stroom s JOIN ana_school sc ON sc.peildatum = s.peildatum AND sc.school_id = s.school_id
        LEFT JOIN ana_naam ns ON ns.code = sc.gemeente_code LEFT JOIN ana_naam nh ON nh.code = s.home_code;
    CREATE VIEW matrix AS
        SELECT m.peildatum, m.soort, m.woon_code AS woongemeente_code, nw.naam AS woongemeente,
               m.school_code AS schoolgemeente_code, ns.naam AS schoolgemeente,
               m.minimum, m.maximum, m.schatting, m.interval_90_laag, m.interval_90_hoog
        FROM ana_matrix m LEFT JOIN ana_naam nw ON nw.code = m.woon_code LEFT JOIN ana_naam ns ON ns.code = m.school_code;
    CREATE VIEW aandeel AS
        SELECT a.peildatum, a.soort, a.gemeente_code, n.naam AS gemeente,
               a.wonend_min, a.wonend_max, a.wonend_schatting,
               a.eigen_gemeente_min, a.eigen_gemeente_max, a.eigen_gemeente_schatting,
               a.uitstroom_min, a.uitstroom_max, a.uitstroom_schatting,
               a.instroom_min, a.instroom_max, a.instroom_schatting
        FROM ana_aandeel a LEFT JOIN ana_naam n ON n.code = a.gemeente_code;
    CREATE VIEW school AS
        SELECT sc.peildatum, sc.school_id AS vestiging, sc.naam, sc.gemeente_code, n.naam AS gemeente, sc.pc4
        FROM ana_school sc LEFT JOIN ana_naam n ON n.code = sc.gemeente_code;
    CREATE VIEW gemeente AS SELECT code, naam, geldig_van, geldig_tot FROM ref_gemeente;
    CREATE VIEW regio AS
        SELECT r.regio, r.regio_naam, r.gemeente_code, g.naam AS gemeente, r.geldig_van, r.geldig_tot
        FROM ref_regio r LEFT JOIN ref_gemeente g ON g.code = r.gemeente_code;
    CREATE VIEW swv AS SELECT code, sector, naam FROM ref_swv;
    CREATE VIEW peildatum AS
        SELECT DISTINCT peildatum, (CAST(substr(peildatum, 1, 4) AS INTEGER)) || '-' || (CAST(substr(peildatum, 1, 4) AS INTEGER) + 1) AS schooljaar
        FROM ana_school;
    """

    /// One peildatum's rows of the layer: its flows per (soort, school, home gemeente, school swv, home swv), in
    /// the order they are written, each with only its five numbers, and its schools. Worked out from that
    /// peildatum's rows alone (`ReportBuilder.analyse`), so the rows can be let go before the layer is written.
    /// The rows are held in their binary form (`ByteWriter`, about 20 bytes a flow where the values took 140), so
    /// an analysis of many years holds little more than the years it is working on; the analysis cache keeps these
    /// bytes as they are.
    public struct Year: Sendable {
        let peildatum: Peildatum
        /// The flows (soort, school, home, school swv, home swv, quantity without draws), then the schools (id,
        /// name, gemeente, PC4), each list with its count first.
        let rows: [UInt8]
        /// Every home code of the rows (for the names).
        let homes: Set<String>
        /// The key of the analysis these rows came from when it is in the analysis cache (`AnalysisCache`): the
        /// same key, the same rows.
        var key: String? = nil

        /// Every flow, then every school, in the order they are written.
        func forEach(flow: (_ soort: Soort, _ school: String, _ home: String, _ schoolSwv: String, _ homeSwv: String, _ pupils: Quantity) throws -> Void,
                     school: (_ id: String, _ name: String, _ gemeente: String, _ pc4: String?) throws -> Void) throws {
            var r = ByteReader(rows)
            // Quantities of the layer have no draws: a source that draws none.
            let none = DrawSource(count: 0)
            for _ in 0..<(try r.count()) {
                try flow(try r.raw(Soort.self), try r.string(), try r.string(), try r.string(), try r.string(), try r.quantity(source: none))
            }
            for _ in 0..<(try r.count()) {
                try school(try r.string(), try r.string(), try r.string(), try r.optionalString())
            }
        }
    }

    /// The layer's rows of one peildatum of `data` (rows of the country, homes on the gemeenten of the latest
    /// peildatum). One swv per home PC4 and per school: a (school, home gemeente) flow can span several home swv
    /// areas (a gemeente split between swv), so the key includes the home swv.
    /// `swvs`: the swvs of the rows of `date` (`RowSwvs`).
    public static func year(_ data: EstimatedRows, on date: Peildatum, reference: Reference, swvs: RowSwvs) -> Year {
        struct Key: Hashable { let soort: Soort; let school: String; let home: String; let schoolSwv: String; let homeSwv: String }
        // Field by field, as the tuple (soort, school, home, homeSwv) compares, without building the tuples; the
        // keys alone are sorted (moving the accumulators with them costs more than the comparisons).
        func before(_ a: Key, _ b: Key) -> Bool {
            if a.soort != b.soort { return a.soort < b.soort }
            if a.school != b.school { return a.school < b.school }
            if a.home != b.home { return a.home < b.home }
            return a.homeSwv < b.homeSwv
        }
        var flows: [Key: Accumulator] = [:]
        var schools: [String: FlowRow] = [:]
        var homes: Set<String> = []
        for i in data.indices(on: date) {
            let row = data.rows[i]
            flows[Key(soort: row.soort, school: row.schoolID, home: row.homeCode, schoolSwv: swvs.school[i] ?? "", homeSwv: swvs.home[i] ?? ""),
                  default: Accumulator()].add(i, data)
            if schools[row.schoolID] == nil { schools[row.schoolID] = row }
            homes.insert(row.homeCode)
        }
        var w = ByteWriter()
        w.int(flows.count)
        for key in flows.keys.sorted(by: before) {
            for text in [key.soort.rawValue, key.school, key.home, key.schoolSwv, key.homeSwv] { w.string(text) }
            w.quantity(flows[key]!.quantity(data).withoutDraws)
        }
        w.int(schools.count)
        for (id, row) in schools.sorted(by: { $0.key < $1.key }) {
            for text in [id, row.schoolName, row.schoolGemeente] { w.string(text) }
            w.optionalString(row.schoolPC4)
        }
        return Year(peildatum: date, rows: w.bytes, homes: homes)
    }

    /// Rewrites the layer from one analysis: the rows of every peildatum (`year`, oldest first) and the report
    /// (the region's matrices and shares).
    /// `runKey`: the key of the `run` that writes the layer (see the command line's `RunKey`), kept so that a later
    /// run with the same key knows the layer is its own.
    /// `keepRows`: the flows and schools of the first peildata stay as they are when the layer holds them under
    /// the same analysis key (`Year.key`, kept in `ana_bron` as `jaar:<peildatum>`), so the yearly refresh writes
    /// the rows of the years it worked out, not of every year. Only a run of such peildata from the oldest on is
    /// kept, so the rows stand in the order a whole rewrite gives them.
    public static func write(db: Database, years: [Year], report: Report, reference: Reference, runKey: String? = nil,
                             keepRows: Bool = false) throws {
        try db.transaction {
            var stored: [String: String] = [:]
            if keepRows, try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('ana_bron', 'ana_stroom', 'ana_school')")?.int == 3 {
                for row in try db.rows("SELECT sleutel, waarde FROM ana_bron WHERE sleutel LIKE 'jaar:%'") { stored[try row.text(0)] = try row.text(1) }
            }
            let kept = years.prefix { year in year.key.map { stored["jaar:" + year.peildatum.iso] == $0 } ?? false }
            for view in views { try db.execute("DROP VIEW IF EXISTS \(view)") }
            for table in tables where kept.isEmpty || !rowTables.contains(table) { try db.execute("DROP TABLE IF EXISTS \(table)") }
            if kept.isEmpty {
                try db.execute(createRows)
            } else {
                let dates = kept.map { SQLValue.text($0.peildatum.iso) }
                for table in rowTables { try db.prepare("DELETE FROM \(table) WHERE peildatum NOT IN (\(placeholders(dates.count)))").run(dates) }
            }
            try db.execute(create)

            let flow = try db.prepare("INSERT INTO ana_stroom VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            let school = try db.prepare("INSERT INTO ana_school VALUES (?, ?, ?, ?, ?)")
            // Every value bound in its place (no list of values per row): the flows are most of the layer's rows.
            for year in years.dropFirst(kept.count) {
                let date = year.peildatum.iso
                try year.forEach(flow: { soort, id, home, schoolSwv, homeSwv, pupils in
                    try flow.bind(text: date, at: 1)
                    try flow.bind(text: soort.code, at: 2)
                    try flow.bind(text: id, at: 3)
                    try flow.bind(text: home, at: 4)
                    try flow.bind(optionalText: schoolSwv.isEmpty ? nil : schoolSwv, at: 5)
                    try flow.bind(optionalText: homeSwv.isEmpty ? nil : homeSwv, at: 6)
                    try bind(pupils, to: flow, from: 7)
                    try flow.step()
                    flow.reset()
                }, school: { id, name, gemeente, pc4 in
                    try school.bind(text: date, at: 1)
                    try school.bind(text: id, at: 2)
                    try school.bind(text: name, at: 3)
                    try school.bind(text: gemeente, at: 4)
                    try school.bind(optionalText: pc4, at: 5)
                    try school.step()
                    school.reset()
                })
            }
            let cell = try db.prepare("INSERT INTO ana_matrix VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for m in report.matrices {
                for h in m.groups.indices {
                    for s in m.groups.indices where m.applicable(h, s) && m.cells[h][s].max > 0 {
                        for (index, text) in [m.peildatum.iso, m.soort.rawValue, m.groups[h], m.groups[s]].enumerated() { try cell.bind(text: text, at: index + 1) }
                        try bind(m.cells[h][s], to: cell, from: 5)
                        try cell.step()
                        cell.reset()
                    }
                }
            }
            let share = try db.prepare("INSERT INTO ana_aandeel VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for (date, list) in report.gemeenteShares.sorted(by: { $0.key < $1.key }) {
                for g in list {
                    var values: [SQLValue] = [.text(date.iso), .text(g.soort.rawValue), .text(g.code)]
                    for q in [g.living, g.own, g.outflow, g.inflow] { values += [.int(Int64(q.min)), .int(Int64(q.max)), .double(q.estimate)] }
                    try share.run(values)
                }
            }
            var names: [String: String] = [:]
            for (code, g) in reference.gemeenten.sorted(by: { $0.key < $1.key }) { names[code] = g.name }
            for (code, name) in report.gemeenteNames { names[code] = name }
            for code in report.grouping.order { names[code] = report.name(code) }
            for code in years.reduce(into: Set<String>(), { $0.formUnion($1.homes) }) where names[code] == nil { names[code] = report.name(code) }
            let name = try db.prepare("INSERT INTO ana_naam VALUES (?, ?)")
            for (code, n) in names.sorted(by: { $0.key < $1.key }) { try name.run([.text(code), .text(n)]) }
            let gemeente = try db.prepare("INSERT INTO ref_gemeente VALUES (?, ?, ?, ?)")
            for (code, g) in reference.gemeenten.sorted(by: { $0.key < $1.key }) { try gemeente.run([.text(code), .text(g.name), date(g.validFrom), date(g.validTo)]) }
            let region = try db.prepare("INSERT INTO ref_regio VALUES (?, ?, ?, ?, ?)")
            for r in reference.regions { try region.run([.text(r.region), .text(r.regionName), .text(r.code), date(r.validFrom), date(r.validTo)]) }
            let swv = try db.prepare("INSERT INTO ref_swv VALUES (?, ?, ?)")
            for (code, s) in reference.swvs.sorted(by: { $0.key < $1.key }) { try swv.run([.text(code), .text(s.sector.rawValue), .text(s.name)]) }
            let source = try db.prepare("INSERT INTO ana_bron VALUES (?, ?)")
            try source.run([.text("bronnen"), .text(fingerprint(report.sources))])
            try source.run([.text("regio"), .text(report.grouping.region)])
            try source.run([.text("schatter"), .text(report.estimatorSource)])
            if let runKey { try source.run([.text("run"), .text(runKey)]) }
            for year in years { if let key = year.key { try source.run([.text("jaar:" + year.peildatum.iso), .text(key)]) } }
        }
    }

    /// The key of the `run` that wrote the layer, if a run did.
    public static func runKey(db: Database) throws -> String? {
        guard try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ana_bron'")?.int == 1 else { return nil }
        return try db.scalar("SELECT waarde FROM ana_bron WHERE sleutel = 'run'")?.text
    }

    /// Identifies the input files an analysis ran on: the layer is stale when the store's files differ.
    public static func fingerprint(_ sources: [Report.Source]) -> String {
        sha256Hex(Array(sources.map(\.sha256).sorted().joined(separator: ",").utf8))
    }

    /// True when the layer exists and was written from the files now in the store.
    public static func isCurrent(db: Database) throws -> Bool {
        guard try db.scalar("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ana_bron'")?.int == 1 else { return false }
        let stored = try db.scalar("SELECT waarde FROM ana_bron WHERE sleutel = 'bronnen'")?.text
        return stored == fingerprint(try Facts.sources(db))
    }

    /// A quantity's five columns (minimum, maximum, estimate and the 90% interval, NULL without one), bound from
    /// parameter `first` on.
    static func bind(_ q: Quantity, to statement: Statement, from first: Int) throws {
        try statement.bind(.int(Int64(q.min)), at: first)
        try statement.bind(.int(Int64(q.max)), at: first + 1)
        try statement.bind(.double(q.estimate), at: first + 2)
        try statement.bind(q.interval90.map { .int(Int64($0.min)) } ?? .null, at: first + 3)
        try statement.bind(q.interval90.map { .int(Int64($0.max)) } ?? .null, at: first + 4)
    }

    static func date(_ d: Peildatum?) -> SQLValue { d.map { .text($0.iso) } ?? .null }
}

extension AnalystLayer.Year {
    /// The binary form of a year's rows, for the analysis cache: its rows' bytes as they are.
    func write(to w: inout ByteWriter) {
        w.string(peildatum.iso)
        w.blob(rows)
        w.strings(homes.sorted())
    }

    static func read(from r: inout ByteReader) throws(ByteFormatError) -> AnalystLayer.Year {
        let text = try r.string()
        guard let date = Peildatum(iso: text) else { throw ByteFormatError("'\(text)' is geen peildatum") }
        return AnalystLayer.Year(peildatum: date, rows: try r.blob(), homes: Set(try r.strings()))
    }
}
