import Foundation
import Testing
import GrensCore
import GrensPipeline
import SQLiteWrap

@Suite("Real DUO data")
struct RealDataTests {
    @Test("po-postcode-leerling-2024-2025: 342 files, one empty, 110,853 rows, pupils 1,332,337–2,107,576")
    func po2024() throws {
        let store = try RealStore.store(), db = try RealStore.connection()
        #expect(store.files2024.count == 342)
        let report = store.report2024
        let rows = rawCount("2024-10-01")

        #expect(report.files.count == 342)
        let empty = report.files.filter { $0.outcome == .empty }
        #expect(empty.map(\.name) == ["Ridderkerk afgeschermd.csv"])
        #expect(report.count { if case .added = $0 { return true }; return false } == 341)
        #expect(report.rowsAdded == 110_853)
        #expect(Set(report.files.compactMap(\.layout)) == ["po03-2024"])
        #expect(Set(report.files.compactMap(\.encoding)) == [.utf8BOM])
        #expect(Set(report.files.compactMap(\.peildatum)) == [Peildatum(iso: "2024-10-01")!])

        #expect(try db.int("SELECT count(*) FROM \(rows)") == 110_853)
        #expect(try db.int("SELECT sum(n_min) FROM \(rows)") == 1_332_337)
        #expect(try db.int("SELECT sum(n_max) FROM \(rows)") == 2_107_576)
        #expect(try db.int("SELECT count(DISTINCT school_gemeente) FROM \(rows)") == 341)
        let status = try StoreStatus.read(db)
        #expect(status.parts.map(\.peildatum) == ["2017-10-01", "2024-10-01"])
        #expect(status.parts.map(\.pupils) == [Bounds(exact: 1_288_448), Bounds(min: 1_332_337, max: 2_107_576)])

        // Every home resolves: names via the reference data, the four pseudo-codes as pseudo-homes.
        #expect(report.unresolvedHomes == [])
        #expect(Set(report.pseudoHomes.keys) == ["P10", "P20", "P30", "P40"])
        #expect(try db.texts("SELECT DISTINCT method FROM stg_home WHERE peildatum = '2024-10-01' ORDER BY 1") == ["name", "pseudo"])
        #expect(report.unknownSchoolGemeenten == [])
        // Bergen (L.) and Bergen (NH.) as homes land on different codes.
        #expect(try db.texts("SELECT DISTINCT home_code FROM stg_home WHERE peildatum = '2024-10-01' AND home_name LIKE 'Bergen (%' ORDER BY 1") == ["0373", "0893"])
    }

    @Test("po-postcode-leerling-2017-2018-unmasked: 322 files, 89,003 rows, 1,288,448 pupils exactly, TOTAAL consistent")
    func po2017() throws {
        let store = try RealStore.store(), db = try RealStore.connection()
        #expect(store.files2017.count == 322)
        let report = store.report2017
        let rows = rawCount("2017-10-01")

        #expect(report.files.count == 322)
        #expect(report.count { if case .added = $0 { return true }; return false } == 322)
        #expect(report.rowsAdded == 89_003)
        #expect(Set(report.files.compactMap(\.layout)) == ["po03-oud"])
        #expect(Set(report.files.compactMap(\.peildatum)) == [Peildatum(iso: "2017-10-01")!])
        // Files with a non-ASCII byte are Windows-1252; the others are plain ASCII and read as UTF-8.
        #expect(report.files.contains { $0.encoding == .windows1252 })
        #expect(!report.files.contains { $0.encoding == .utf8BOM })

        #expect(try db.int("SELECT count(*) FROM \(rows)") == 89_003)
        #expect(try db.int("SELECT sum(n_exact) FROM \(rows)") == 1_288_448)
        #expect(try db.int("SELECT count(*) FROM \(rows) WHERE n_masked <> 0 OR n_min <> n_max") == 0)
        #expect(try db.int("SELECT count(*) FROM \(rows) WHERE total_given IS NULL OR total_given <> n_exact") == 0)
        #expect(try db.int("SELECT sum(total_given) FROM \(rows)") == 1_288_448)

        // Quirks: padded pseudo-postcodes, unpadded gemeentenummers, quoted names with doubled quotes.
        #expect(try db.texts("SELECT DISTINCT home_pc4 FROM \(rows) WHERE length(home_pc4) < 4 ORDER BY 1") == ["10", "20", "30", "40"])
        #expect(try db.int("SELECT count(*) FROM \(rows) WHERE length(school_gemeente) <> 4") == 0)
        #expect(try db.int("SELECT count(*) FROM \(rows) WHERE school_gemeente = '0518'") > 0)
        #expect(try db.int("SELECT count(*) FROM \(rows) WHERE school_name = 'Basisschool \"Kla4\"'") > 0)
        #expect(try db.int("SELECT count(*) FROM \(rows) WHERE school_name LIKE '%Mozaïek%'") > 0)

        // The one home without a name (Tiel, PC4 1100) cannot be resolved without a PC4 table; nothing else is left.
        #expect(report.unresolvedHomes.map(describe) == ["2017-10-01||[\"1100\"]|1"])
        #expect(Set(report.pseudoHomes.keys) == ["P10", "P20", "P30", "P40"])
        #expect(report.unknownSchoolGemeenten == [])
    }

    @Test("school-side files: po per vestiging 2015-2017 (15,181 rows, 3,074,391 pupils) and vo vavo 2025 (1,453 locations)")
    func schoolSide() throws {
        let ws = try Workspace()
        let reference = try loadReference()
        let po = try Ingest.run(files: try InputFiles.collect([try realFolder("po-leerlingen-per-vestiging-2015-2017")]), db: ws.db, reference: reference)
        #expect(po.files.map(\.outcome) == [.added(rows: 7_649), .added(rows: 7_532)])
        #expect(Set(po.files.compactMap(\.layout)) == ["po01-oud"])
        #expect(po.files.compactMap(\.peildatum) == [Peildatum(iso: "2015-10-01")!, Peildatum(iso: "2016-10-01")!])
        #expect(try ws.int("SELECT sum(n_exact) FROM \(rawCount("2015-10-01"))") == 1_546_014)
        #expect(try ws.int("SELECT sum(n_exact) FROM \(rawCount("2016-10-01"))") == 1_528_377)
        #expect(try ws.int("SELECT count(*) FROM raw_count WHERE total_given IS NULL OR total_given <> n_exact") == 0)
        // School names with quotes (quoted, inner quote doubled) are read whole: 3 rows in 2015, 4 in 2016.
        #expect(try ws.int("SELECT count(*) FROM raw_count WHERE school_name LIKE '%\"%'") == 7)
        #expect(try ws.int("SELECT count(*) FROM raw_count WHERE school_name LIKE '%\"De Maasparel\"%'") > 0)
        #expect(po.unknownSchoolGemeenten == [])

        let vo = try Ingest.run(files: try InputFiles.collect([try realFolder("vo-per-vestiging-vavo-2025")]), db: ws.db,
                                reference: reference, peildatum: Peildatum(iso: "2025-10-01"))
        #expect(vo.files.map(\.outcome) == [.added(rows: 1_453)])
        #expect(vo.files.compactMap(\.layout) == ["vo03-vavo"])
        let vestiging = "raw_count r JOIN source_file f ON f.id = r.file_id WHERE f.dataset = '\(Dataset.voVestiging.rawValue)'"
        #expect(try ws.int("SELECT sum(n_exact) FROM \(vestiging)") == 919_819)
        #expect(try ws.int("SELECT count(DISTINCT school_gemeente) FROM \(vestiging)") == 284)
    }
}
