import Foundation
import GrensCore
import SQLiteWrap

/// Reads what the analysis needs from the store: flow rows (joined to their resolved homes), school margins
/// and the provenance of every file.
public enum Facts {
    /// Flow rows of all peildata (or the given ones), in a fixed order, as published: rows from unmasked years are
    /// masked the way DUO masks now (every exact 1…4 cell becomes `<5`), so published figures of every year follow
    /// the same disclosure rule.
    public static func flowRows(_ db: Database, peildata: [Peildatum]? = nil) throws -> [FlowRow] {
        try read(db, peildata: peildata, keepExact: []).published
    }

    /// The peildata with flow files, oldest first (also the ones the change page can compare).
    public static func flowPeildata(_ db: Database) throws -> [Peildatum] {
        try db.rows("SELECT DISTINCT peildatum FROM source_file WHERE dataset IN (\(placeholders(Dataset.flows.count))) ORDER BY peildatum",
                    Staging.flowDatasets).map { row in
            let text = try row.text(0)
            guard let date = Peildatum(iso: text) else { throw StoreError("peildatum '\(text)' in source_file is geen datum") }
            return date
        }
    }

    /// The peildata whose flow files are all in a layout without masking (such as the 2017 files). Those whose
    /// rows also hold no `<5` are exact: their counts are published with cell suppression (`Matrix.published`).
    static func unmaskedPeildata(_ db: Database) throws -> Set<Peildatum> {
        let unmasked = Set(knownLayouts.filter { !$0.masked }.map(\.id))
        var layoutsUnmasked: [String: Bool] = [:]
        for row in try db.rows("SELECT peildatum, layout FROM source_file WHERE dataset IN (\(placeholders(Dataset.flows.count)))",
                               Staging.flowDatasets) {
            let date = try row.text(0), layout = try row.text(1)
            layoutsUnmasked[date] = (layoutsUnmasked[date] ?? true) && unmasked.contains(layout)
        }
        return Set(layoutsUnmasked.filter(\.value).keys.compactMap(Peildatum.init(iso:)))
    }

    /// The soorten of the flow rows of one peildatum (a scan of its rows): the report's selections must be known
    /// before its peildata are worked out one by one.
    static func flowSoorten(_ db: Database, on date: Peildatum) throws -> Set<Soort> {
        Set(try db.rows("SELECT DISTINCT r.soort FROM \(Staging.flowRows) WHERE f.peildatum = ?", Staging.flowDatasets + [.text(date.iso)]).map { row in
            let text = try row.text(0)
            guard let soort = Soort(rawValue: text) else { throw StoreError("onbekende soort '\(text)' in raw_count") }
            return soort
        })
    }

    /// One read of the flow rows: the rows as published, the true rows of the peildata asked for, and the
    /// number of `<5` cells per peildatum. Each row is held once as published (and once more only when its true
    /// form is kept).
    struct FlowRead: Sendable {
        var published: [FlowRow] = []
        var exact: [FlowRow] = []
        var masked: [Peildatum: Int] = [:]
    }

    static func read(_ db: Database, peildata: [Peildatum]?, keepExact: Set<Peildatum>) throws -> FlowRead {
        var records = try self.records(db, peildata: peildata, texts: false)
        var out = FlowRead(masked: records.masked)
        if !keepExact.isEmpty { out.exact = records.rows.filter { keepExact.contains($0.peildatum) } }
        // Taken over, not shared, so that masking them in place copies nothing.
        swap(&out.published, &records.rows)
        for i in out.published.indices { out.published[i] = published(out.published[i]) }
        return out
    }

    /// A row as published: an unmasked row with its cells of 1…4 masked.
    static func published(_ row: FlowRow) -> FlowRow {
        guard row.maskedBits == 0 else { return row }
        var row = row
        (row.exact, row.maskedBits) = (0, 0)
        for i in 0..<32 {
            let v = row.cellValues[i]
            if (1...4).contains(v) { row.maskedBits |= 1 << i; row.cellValues[i] = 0 } else { row.exact += Int(v) }
        }
        return row
    }

    /// The stored flow rows of some peildata, in their fixed order; with `texts`, also each row's stored `cells`
    /// text and its school's province, in the same order.
    struct Records {
        var rows: [FlowRow] = []
        var cells: [String] = []
        var provinces: [String] = []
        /// The number of `<5` cells per peildatum.
        var masked: [Peildatum: Int] = [:]
    }

    /// Every stored flow row of the given peildata (nil: all), ordered by peildatum, school, soort, home PC4, file
    /// and line, as SQLite orders their stored texts (byte by byte): the order fixes which draws each row gets.
    /// The rows are read in the store's own order and sorted here, on keys packed into integers, which costs a
    /// fraction of SQLite's sort of the whole rows; `Order` says why the packed keys order as the texts do.
    static func records(_ db: Database, peildata: [Peildatum]?, texts: Bool) throws -> Records {
        // Every flow row has its stg_home row (checked at the end of every ingest), so the join drops none.
        var sql = """
            SELECT f.peildatum, r.soort, r.school_id, r.school_name, r.school_gemeente, r.school_pc4,
                   coalesce(h.home_code, '\(unresolvedHome)'), r.home_pc4, r.n_exact, r.masked_bits, r.cells, r.school_province,
                   r.n_masked, r.file_id, r.line
            FROM \(Staging.flowRows)
            JOIN stg_home h ON h.peildatum = f.peildatum AND h.home_pc4 = r.home_pc4 AND h.home_name = r.home_name
                           AND h.home_code_given = r.home_code_given
            """
        var values = Staging.flowDatasets
        if let peildata {
            sql += " WHERE f.peildatum IN (\(placeholders(peildata.count)))"
            values += peildata.map { .text($0.iso) }
        }
        let statement = try db.prepare(sql)
        try statement.bind(values)
        var out = Records()
        var keys: [Order] = []
        // Room for the rows at once, by the files' row counts (only a hint: the rows are counted as they are read).
        let expected = try db.scalar("SELECT coalesce(sum(rows), 0) FROM source_file f WHERE f.dataset IN (\(placeholders(Dataset.flows.count)))"
            + (peildata.map { " AND f.peildatum IN (\(placeholders($0.count)))" } ?? ""), values)?.int ?? 0
        keys.reserveCapacity(expected)
        out.rows.reserveCapacity(expected)
        if texts {
            out.cells.reserveCapacity(expected)
            out.provinces.reserveCapacity(expected)
        }
        var dates: [String: Peildatum] = [:]
        // Rows come file by file, a school's rows together: the school's columns repeat from row to row, and are
        // read into a new String only when they change.
        var last = [String](repeating: "", count: 12)
        var lastSchool = "", schoolKey: UInt64 = 0
        while try statement.step() {
            let dateText = try statement.text(0, reusing: &last[0]), soortText = try statement.text(1, reusing: &last[1])
            guard let date = dates[dateText] ?? Peildatum(iso: dateText) else { throw StoreError("peildatum '\(dateText)' in source_file is geen datum") }
            dates[dateText] = date
            guard let soort = Soort(rawValue: soortText) else { throw StoreError("onbekende soort '\(soortText)' in raw_count") }
            let cells = try statement.text(10)
            let schoolPC4 = statement.isNull(5) ? nil : try statement.text(5, reusing: &last[5])
            let schoolID = try statement.text(2, reusing: &last[2]), homePC4 = try statement.text(7, reusing: &last[7])
            if schoolID != lastSchool { (lastSchool, schoolKey) = (schoolID, try Order.packed(schoolID, "school_id")) }
            let row = FlowRow(peildatum: date, soort: soort, schoolID: schoolID,
                              schoolName: try statement.text(3, reusing: &last[3]),
                              schoolGemeente: try statement.text(4, reusing: &last[4]), schoolPC4: schoolPC4,
                              homeCode: try statement.text(6, reusing: &last[6]), homePC4: homePC4,
                              exact: try statement.int(8), maskedBits: try statement.int(9), cellValues: publishedValues(cells))
            keys.append(try Order(date: date, school: schoolKey, soort: soort, homePC4: homePC4, file: try statement.int(13),
                                  line: try statement.int(14), index: keys.count))
            out.masked[date, default: 0] += try statement.int(12)
            out.rows.append(row)
            if texts {
                out.cells.append(cells)
                out.provinces.append(try statement.text(11, reusing: &last[11]))
            }
        }
        keys.sort()
        let order = keys.map { Int($0.index) }
        keys = []
        permute(&out.rows, order)
        if texts {
            permute(&out.cells, order)
            permute(&out.provinces, order)
        }
        return out
    }

    /// A row's place in the fixed order, in 32 bytes: peildatum (as yyyymmdd, which orders as its ISO text), school,
    /// soort, home PC4, file, line (file and line packed into one integer, each below 2³²). School and home PC4 are
    /// packed big-endian into integers, padded with zero bytes: for texts of at most that many bytes and without a
    /// NUL byte, the integers order as the texts do byte by byte, a shorter text before a longer one that starts
    /// with it. The ingest writes school IDs of 6 letters and digits and home PC4s
    /// of 4 digits or a two-digit pseudocode; a store holding another text there was not written by grensverkeer,
    /// and is refused. The soort is ranked by its stored text. File and line are unique together, so the order is
    /// total.
    struct Order: Comparable {
        /// The peildatum as yyyymmdd, the row's index in the order read; the school; soort rank and home PC4; file and line.
        let date: UInt32, index: UInt32, school: UInt64, soortAndHome: UInt64, fileAndLine: UInt64

        init(date: Peildatum, school: UInt64, soort: Soort, homePC4: String, file: Int, line: Int, index: Int) throws {
            guard (0..<(1 << 32)).contains(file), (0..<(1 << 32)).contains(line) else {
                throw StoreError("bestand \(file) regel \(line) in raw_count: zo'n nummer schrijft grensverkeer niet")
            }
            self.date = UInt32(date.year * 10_000 + date.month * 100 + date.day)
            self.index = UInt32(index)
            self.school = school
            soortAndHome = UInt64(Self.soortRank[soort]!) << 32 | (try Self.packed(homePC4, "home_pc4", bytes: 4))
            fileAndLine = UInt64(file) << 32 | UInt64(line)
        }

        static func < (a: Order, b: Order) -> Bool {
            (a.date, a.school, a.soortAndHome, a.fileAndLine) < (b.date, b.school, b.soortAndHome, b.fileAndLine)
        }

        static func == (a: Order, b: Order) -> Bool { a.fileAndLine == b.fileAndLine && a.date == b.date }

        static let soortRank: [Soort: Int] = Dictionary(uniqueKeysWithValues: Soort.allCases
            .sorted { $0.rawValue.utf8.lexicographicallyPrecedes($1.rawValue.utf8) }.enumerated().map { ($1, $0) })

        static func packed(_ text: String, _ column: String, bytes: Int = 8) throws -> UInt64 {
            var key: UInt64 = 0, count = 0
            for byte in text.utf8 {
                guard count < bytes, byte != 0 else {
                    throw StoreError("\(column) '\(text)' in raw_count is geen code zoals grensverkeer die inleest (hoogstens \(bytes) tekens)")
                }
                key |= UInt64(byte) << UInt64(8 * (bytes - 1 - count))
                count += 1
            }
            return key
        }
    }

    /// The exact values of a `cells` text of an unmasked row.
    static func cellValues(_ cells: String) -> [Int] {
        cells.split(separator: ";").map { Int($0)! }
    }

    /// The published value of each of the first 32 cells of a `cells` text, 0 for `<5` (read byte by byte: every
    /// row has one), as `FlowRow.cellValues` holds them.
    static func publishedValues(_ cells: String) -> SIMD32<UInt16> {
        var out = SIMD32<UInt16>()
        var i = 0, n: UInt16 = 0
        var masked = false
        for b in cells.utf8 {
            if b == UInt8(ascii: ";") {
                if i < 32 { out[i] = masked ? 0 : n }
                (i, n, masked) = (i + 1, 0, false)
            }
            else if b == UInt8(ascii: "<") { masked = true }
            else if b >= 0x30 && b <= 0x39 { n = n &* 10 &+ UInt16(b - 0x30) }
        }
        if i < 32 { out[i] = masked ? 0 : n }
        return out
    }

    /// School-side totals that constrain the flow rows, joined to them on peildatum, school location and soort:
    /// per age column from "01" (po per vestiging, soort, cluster en leeftijd; cluster rows of one location and
    /// soort summed; a `<5` cell makes the total an interval), and per location from the datasets without age
    /// columns. Empty when the store holds no school-side files.
    public static func margins(_ db: Database) throws -> [SchoolMargin] {
        struct Key: Hashable { let peildatum: String; let school: String; let soort: String }
        var perAge: [Key: (min: [Int], max: [Int])] = [:]
        var order: [Key] = []
        let statement = try db.prepare("""
            SELECT f.peildatum, r.school_id, r.soort, r.cells FROM raw_count r JOIN source_file f ON f.id = r.file_id
            WHERE f.dataset = ?
            ORDER BY f.peildatum, r.school_id, r.soort, r.file_id, r.line
            """)
        try statement.bind([.text(Dataset.poVestiging.rawValue)])
        while try statement.step() {
            let key = Key(peildatum: try statement.text(0), school: try statement.text(1), soort: try statement.text(2))
            let cells = try statement.text(3).split(separator: ";", omittingEmptySubsequences: false)
            var sums = perAge[key] ?? ([Int](repeating: 0, count: cells.count), [Int](repeating: 0, count: cells.count))
            if perAge[key] == nil { order.append(key) }
            guard cells.count == sums.min.count else { throw StoreError("school \(key.school): rijen met \(sums.min.count) en \(cells.count) leeftijden in raw_count") }
            for (i, cell) in cells.enumerated() {
                if cell == "<5" { sums.min[i] += 1; sums.max[i] += 4 }
                else if let n = Int(cell) { sums.min[i] += n; sums.max[i] += n }
                else { throw StoreError("school \(key.school): cel '\(cell)' is geen aantal in raw_count") }
            }
            perAge[key] = sums
        }
        func typed(_ key: Key) throws -> (Peildatum, Soort) {
            guard let soort = Soort(rawValue: key.soort) else { throw StoreError("onbekende soort '\(key.soort)' in raw_count") }
            return (Peildatum(iso: key.peildatum)!, soort)
        }
        var out: [SchoolMargin] = []
        for key in order {
            let (date, soort) = try typed(key)
            let sums = perAge[key]!
            for i in sums.min.indices {
                out.append(SchoolMargin(peildatum: date, schoolID: key.school, soort: soort, cell: i, total: Bounds(min: sums.min[i], max: sums.max[i])))
            }
        }
        let whole = Dataset.margins.filter { $0 != .poVestiging }
        for row in try db.rows("""
            SELECT f.peildatum, r.school_id, r.soort, sum(r.n_min), sum(r.n_max) FROM raw_count r JOIN source_file f ON f.id = r.file_id
            WHERE f.dataset IN (\(placeholders(whole.count)))
            GROUP BY f.peildatum, r.school_id, r.soort ORDER BY f.peildatum, r.school_id, r.soort
            """, whole.map { .text($0.rawValue) }) {
            let (date, soort) = try typed(Key(peildatum: (try row.text(0)), school: (try row.text(1)), soort: (try row.text(2))))
            out.append(SchoolMargin(peildatum: date, schoolID: (try row.text(1)), soort: soort, cell: nil, total: Bounds(min: (try row.int(3)), max: (try row.int(4)))))
        }
        return out
    }

    public static func sources(_ db: Database) throws -> [Report.Source] {
        try db.rows("SELECT name, sha256, dataset, layout, encoding, peildatum, rows, synthetic FROM source_file ORDER BY peildatum, dataset, name")
            .map { row in
                let date = try row.text(5)
                guard let peildatum = Peildatum(iso: date) else { throw StoreError("peildatum '\(date)' in source_file is geen datum") }
                return Report.Source(name: try row.text(0), sha256: try row.text(1), dataset: try row.text(2), layout: try row.text(3),
                                     encoding: try row.text(4), peildatum: peildatum, rows: try row.int(6), synthetic: try row.int(7) == 1)
            }
    }
}

extension Facts {
    /// Rows of an unmasked peildatum with their true cell values and the school's province.
    /// Refuses a peildatum whose files contain `<5`: there is no truth to learn from.
    public static func truthRows(_ db: Database, peildatum: Peildatum) throws -> [Accuracy.TruthRow] {
        let masked = try db.scalar("SELECT coalesce(sum(r.n_masked), 0) FROM raw_count r JOIN source_file f ON f.id = r.file_id WHERE f.dataset = ? AND f.peildatum = ?",
                                   [.text(Dataset.poPostcode.rawValue), .text(peildatum.iso)])?.int ?? 0
        guard masked == 0 else {
            throw StoreError("peildatum \(peildatum) bevat \(masked) <5-cellen; leren en meten kan alleen op een onafgeschermd jaar (bijvoorbeeld 2017-10-01)")
        }
        let records = try self.records(db, peildata: [peildatum], texts: true)
        let rows = records.rows.indices.map { i in
            Accuracy.TruthRow(row: records.rows[i], values: cellValues(records.cells[i]), province: records.provinces[i])
        }
        guard !rows.isEmpty else { throw StoreError("geen po-stromen voor peildatum \(peildatum) in de database") }
        return rows
    }
}

/// `?, ?, ?`: values are bound, never interpolated into SQL.
func placeholders(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }

extension Facts {
    /// Everything of the store that an analysis reads, reduced to one sha256: the schema, every current source
    /// file with its row count (its rows are written and deleted only together with its `source_file` row, inside
    /// one ingest; counting `raw_count` itself would read the whole table), and how far the history of replaced
    /// files and the change reports go. The staged
    /// homes and the analyst layer are derived from these and the reference data, so they are not part of it.
    /// A store edited by hand outside grensverkeer is not seen.
    public static func storeFingerprint(_ db: Database) throws -> String {
        let parts = [
            ("meta", "SELECT key, value FROM meta ORDER BY key"),
            ("user_version", "PRAGMA user_version"),
            ("source_file", "SELECT id, sha256, name, path, bytes, dataset, layout, encoding, peildatum, rows, synthetic, run_id FROM source_file ORDER BY id"),
            ("source_file_scope", "SELECT count(*) FROM source_file_scope"),
            ("source_file_history", "SELECT count(*), coalesce(max(rowid), 0), coalesce(max(replaced_run), 0) FROM source_file_history"),
            ("change_part", "SELECT coalesce(max(run_id), 0), count(*) FROM change_part"),
        ]
        var text = ""
        for (name, sql) in parts {
            text += "[\(name)]\n"
            for row in try db.rows(sql) {
                text += (0..<row.count).map { column -> String in
                    switch row.value(column) {
                    case .null: "∅"
                    case .int(let v): String(v)
                    case .double(let v): String(v)
                    case .text(let v): "'" + v.replacingOccurrences(of: "'", with: "''") + "'"
                    }
                }.joined(separator: "\u{1F}") + "\n"
            }
        }
        return sha256Hex(Array(text.utf8))
    }
}

/// Puts `array` in the order `order` (position k gets the element that was at `order[k]`), in place: along each
/// cycle of the permutation one swap per element, so the elements are never held twice.
func permute<T>(_ array: inout [T], _ order: [Int]) {
    precondition(order.count == array.count, "an order of \(order.count) for \(array.count) elements")
    var done = [Bool](repeating: false, count: order.count)
    for start in order.indices where !done[start] {
        var k = start
        while order[k] != start {
            array.swapAt(k, order[k])
            done[k] = true
            k = order[k]
        }
        done[k] = true
    }
}
