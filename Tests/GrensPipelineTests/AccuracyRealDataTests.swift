import Foundation
import Testing
import GrensCore
import GrensPipeline
import SQLiteWrap

/// The estimator measured on the real unmasked 2017 files (the shared `RealStore`, its own read-only connection): masked as DUO does
/// now, learned outside Zuid-Holland, measured on Zuid-Holland, without margins and with "01" margins derived
/// from the same files. Ceilings are a little above what `make accuracy` prints, so a real regression fails.
@Suite("Estimator accuracy on the real 2017 files")
struct AccuracyRealDataTests {
    @Test("held-out Zuid-Holland: errors below the ceilings, 90% intervals cover 84–95%, bounds never violated")
    func heldOutProvince() throws {
        let db = try RealStore.connection()
        let rows = try Facts.truthRows(db, peildatum: Peildatum(year: 2017, month: 10, day: 1)!)
        let learn = Set(rows.map(\.province)).subtracting([Accuracy.heldOutProvince])
        let r = Accuracy.measure(rows, learnProvinces: learn, name: "test", draws: 200)
        #expect(r.measuredOn == [Accuracy.heldOutProvince])
        #expect(r.spread < 0.2 && r.rowSpread > 0.2 && r.rowSpread < 0.5, "spreads \(r.spread), \(r.rowSpread)")
        for e in [r.withoutMargins, r.withMargins, r.naive] { #expect(e.boundViolations == 0) }
        let plain = r.withoutMargins, margins = r.withMargins
        #expect(plain.cellCount > 250)
        #expect(plain.cellMedian < 0.032 && plain.cellP90 < 0.12, "without margins: \(plain.cellMedian) / \(plain.cellP90)")
        #expect(margins.cellMedian < 0.022 && margins.cellP90 < 0.095, "with margins: \(margins.cellMedian) / \(margins.cellP90)")
        #expect(margins.cellMedian < plain.cellMedian && margins.cellP90 < plain.cellP90)
        #expect(plain.homeMedian < 0.005 && margins.homeMedian < plain.homeMedian)
        for e in [plain, margins] {
            let coverage = try #require(e.coverage), width = try #require(e.medianWidth)
            #expect(coverage > 0.84 && coverage < 0.95, "coverage \(coverage)")
            #expect(width > 0.05 && width < 0.2, "width \(width)")
        }
        #expect(try #require(margins.medianWidth) < (try #require(plain.medianWidth)))
        // The naive midpoint is far off: the learned distributions matter.
        #expect(r.naive.cellMedian > 0.5)
    }
}

/// Margins from the store: DUO's "01" file per school location × soort × age, joined to the flow rows.
@Suite("School margins from the store", .serialized)
struct MarginFactsTests {
    @Test("real 01 file (2016, po01-oud): one margin per school location × soort × age, totals as the file says")
    func realPo01() throws {
        let ws = try Workspace()
        let files = try InputFiles.collect([repoRoot + "/../shared/duo-real/po-leerlingen-per-vestiging-2015-2017/01.-leerlingen-po-soort-po,-cluster,-leeftijd-2016-2017.csv"])
        let report = try Ingest.run(files: files, db: ws.db, reference: try loadReference())
        #expect(report.files.compactMap(\.layout) == ["po01-oud"])
        let margins = try Facts.margins(ws.db)
        // Counted independently from the CSV (Python csv module): 7,532 location × soort rows, 1,528,377 pupils,
        // 66,456 age cells above zero; school 00AW00 (So) has 7 pupils aged 9.
        #expect(margins.count == 7_532 * 23)
        #expect(margins.allSatisfy { $0.total.isExact && $0.cell != nil })
        #expect(margins.reduce(0) { $0 + $1.total.min } == 1_528_377)
        #expect(margins.filter { $0.total.min > 0 }.count == 66_456)
        #expect(margins.first { $0.schoolID == "00AW00" && $0.soort == .so && $0.cell == 6 }?.total == Bounds(exact: 7))
        // No flow rows in this store: nothing to constrain, and a store without 01 files has no margins.
        #expect(try Facts.flowRows(ws.db).isEmpty)
        #expect(try Facts.margins(try Workspace().db).isEmpty)
    }

    @Test("01 file with <5 and two cluster rows: summed per age, <5 as an interval; it pins a flow cell")
    func maskedPo01() throws {
        let ws = try Workspace()
        try ws.write("stromen.csv", poFile(delftRows))
        let header = ["PEILDATUM", "GEMEENTENUMMER", "GEMEENTENAAM", "INSTELLINGSNAAM_VESTIGING", "POSTCODE_VESTIGING", "PLAATSNAAM",
                      "PROVINCIE", "SOORT_PO", "DENOMINATIE_VESTIGING", "BEVOEGD_GEZAG_NUMMER", "INSTELLINGSCODE", "VESTIGINGSCODE"]
            + ageLabels.map { "LEEFTIJD_\($0)" } + ["CLUSTER"]
        func line(_ location: String, _ soort: String, _ cluster: String, _ cells: [String: String]) -> [String] {
            ["20241001", "0503", "Delft", "Herman Broerenschool", "2612SP", "DELFT", "Zuid-Holland", soort, "Openbaar", "38209", "00PZ", location]
                + ageLabels.map { cells[$0] ?? "0" } + [cluster]
        }
        let lines = [header, line("00", "Bo", "nvt", ["5": "2", "6": "3", "7": "<5"]), line("00", "Bo", "2", ["6": "<5"]),
                     line("01", "Sbo", "nvt", ["10": "12"])]
        try ws.write("vestigingen.csv", [0xEF, 0xBB, 0xBF] + Array(lines.map { $0.map { "\"\($0)\"" }.joined(separator: ";") + "\n" }.joined().utf8))
        let report = try ws.ingest(["stromen.csv", "vestigingen.csv"])
        #expect(Set(report.files.compactMap(\.layout)) == ["po03-2024", "po01-2024"])

        let margins = try Facts.margins(ws.db)
        #expect(margins.count == 2 * 23)
        func total(_ school: String, _ age: Int) -> Bounds? { margins.first { $0.schoolID == school && $0.cell == age - 3 }?.total }
        #expect(total("00PZ00", 5) == Bounds(exact: 2))
        #expect(total("00PZ00", 6) == Bounds(min: 4, max: 7))
        #expect(total("00PZ00", 7) == Bounds(min: 1, max: 4))
        #expect(total("00PZ01", 10) == Bounds(exact: 12))

        let rows = try Facts.flowRows(ws.db)
        let data = EstimatedRows(rows: rows, model: .naive, margins: margins)
        #expect(data.inconsistentMargins.isEmpty && data.schoolsWithMargins == 1)
        // The Delft row: 2 exact at age 5 and one <5 at age 6 whose column holds 4–7 pupils: it is 4.
        let delft = try #require(rows.firstIndex { $0.homePC4 == "2612" })
        #expect(data.quantity(of: delft).bounds == Bounds(exact: 6))
        #expect(abs(data.maskedEstimates[delft] - 4) < 1e-9)
        // The Rijswijk row: the only <5 at age 7 of a column published as <5: still 1–4.
        let rijswijk = try #require(rows.firstIndex { $0.homePC4 == "2285" })
        #expect(data.quantity(of: rijswijk).bounds == Bounds(min: 1, max: 4))
    }
}
