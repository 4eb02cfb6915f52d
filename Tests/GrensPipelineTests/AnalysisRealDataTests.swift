import Foundation
import Testing
import GrensCore
@testable import GrensPipeline
import GrensRender
import GrensTestSupport
import SQLiteWrap

/// The report of the real 2024 (masked) and 2017 (unmasked) PO files (`RealStore`), with the shipped cost items,
/// built once for the analysis and cost tests. Expected values below were computed independently with a 20-line
/// Python script straight from the CSV files (csv module, home gemeente by GEMEENTENAAM_LEERLING, `<5` counted as 1
/// resp. 4), not with this code.
enum AnalysisStore {
    static let repo = TestPaths.repo

    static let built = Result {
        try ReportBuilder.build(db: try RealStore.connection(), reference: try loadReference(), settings: AnalysisSettings(
            estimatorPath: repo + "/data/estimator/masked-cells.csv", costFolder: repo + "/data/kosten", strictCosts: true))
    }

    static func report() throws -> Report { try built.get() }
}

@Suite("Analysis on the real DUO files")
struct AnalysisRealDataTests {
    let report: Report
    init() throws { report = try AnalysisStore.report() }
    let y2024 = Peildatum(year: 2024, month: 10, day: 1)!
    let y2017 = Peildatum(year: 2017, month: 10, day: 1)!

    func cell(_ date: Peildatum, _ soort: SoortSelection, _ home: String, _ school: String) throws -> Quantity {
        let m = try #require(report.matrix(date, soort))
        let h = try #require(m.groups.firstIndex(of: home)), s = try #require(m.groups.firstIndex(of: school))
        return m.cells[h][s]
    }

    @Test("2024 matrix bounds equal the independent computation")
    func matrixBounds2024() throws {
        let expected: [(SoortSelection, String, String, Int, Int)] = [
            (.po, "0518", "0603", 522, 2019), (.po, "0603", "0518", 804, 2787), (.sbo, "0518", "0518", 773, 2618),
            (.so, "1926", "0518", 12, 48), (.po, "0503", "1842", 525, 654), (.vso, "1783", "0518", 73, 292),
            (.po, "0637", "0518", 197, 788), (.po, "0626", "0629", 22, 88),
        ]
        for (soort, home, school, lo, hi) in expected {
            let q = try cell(y2024, soort, home, school)
            #expect(q.min == lo && q.max == hi, "\(soort) \(home)→\(school): \(q.min)–\(q.max), expected \(lo)–\(hi)")
        }
        let shares = try #require(report.gemeenteShares[y2024]?.first { $0.code == "0518" && $0.soort == .po })
        #expect(shares.living.min == 40880 && shares.living.max == 76835)
        let pn = try #require(report.gemeenteShares[y2024]?.first { $0.code == "1926" && $0.soort == .po })
        #expect(pn.living.min == 5216 && pn.living.max == 7613)
    }

    @Test("2017 (unmasked) is published exactly: its matrix cells are the true counts, <5 only for 1 to 4")
    func exactYear2017() throws {
        #expect(report.exactPeildata == [y2017])
        // (soort, home, school, true count), from the CSV files by GEMEENTENAAM_LEERLING and TOTAAL.
        let expected: [(SoortSelection, String, String, Int)] = [
            (.po, "0518", "0603", 921), (.po, "0603", "0518", 596), (.po, "0503", "1842", 459), (.po, "0637", "0518", 177),
            (.po, "0626", "0629", 32), (.bo, "0518", "0603", 791), (.bo, "0603", "0518", 514), (.bo, "0518", "0503", 194),
            (.bo, "0503", "1842", 459)]
        for (soort, home, school, truth) in expected {
            let q = try cell(y2017, soort, home, school)
            if soort.isSingle {
                #expect(q.isExact && q.min == truth, "\(soort) \(home)→\(school): \(q.min)–\(q.max), true \(truth)")
            } else {
                // The po total is the sum of the published soort cells: exact where they all are, otherwise as wide as
                // their hidden <5 (591–596 for Rijswijk → 's-Gravenhage: its so cell is <5).
                #expect(q.min <= truth && truth <= q.max && q.max - q.min <= 9, "\(soort) \(home)→\(school): \(q.min)–\(q.max), true \(truth)")
            }
        }
        #expect(try cell(y2017, .po, "0518", "0603").bounds == Bounds(exact: 921))
        // 's-Gravenhage → Midden-Delfland bo: 4 pupils, published as <5 (bounds within 1…4).
        let small = try cell(y2017, .bo, "0518", "1842")
        #expect(small.min >= 1 && small.max <= 4 && Publish.count(small) == "<5")
    }

    @Test("year over year 2017 → 2024 on 2024 gemeenten: the exact year against the estimated one")
    func changes() throws {
        let change = try #require(report.changes.first { $0.soort == .po && $0.home == "0518" && $0.school == "0603" })
        #expect(change.before.isExact && change.before.min == 921)
        #expect(change.after.min == 522 && change.after.max == 2019)
        #expect(change.change.min == 522 - 921 && change.change.max == 2019 - 921)
        // The example: 's-Gravenhage → Rijswijk bo, 791 pupils in 2017, shown as they were.
        let bo = try #require(report.changes.first { $0.soort == .bo && $0.home == "0518" && $0.school == "0603" })
        #expect(bo.before == Quantity(exact: 791))
        #expect(report.peildata == [y2017, y2024])
    }

    @Test("merged gemeenten map to their 2024 successor")
    func mergers() throws {
        let reference = try loadReference()
        #expect(reference.successors(of: "0081", on: y2024) == ["0080"])   // Leeuwarderadeel → Leeuwarden (2018)
        #expect(reference.successors(of: "0738", on: y2024) == ["1959"])   // Aalburg → Altena (2019)
        #expect(reference.successors(of: "0788", on: y2024).count == 4)    // Haaren split (2021)
        #expect(reference.successors(of: "0518", on: y2024) == ["0518"])
        let rows = try Facts.flowRows(try RealStore.connection(), peildata: [y2017])
        #expect(rows.filter { $0.homeCode == "0081" }.count == 69)
        let grouping = report.grouping
        var mapped = rows
        _ = Analysis.mapToGemeenten(of: y2024, rows: &mapped, reference: reference, grouping: grouping)
        #expect(mapped.filter { $0.homeCode == "0081" }.isEmpty)
        #expect(mapped.filter { $0.homeCode == "0080" }.count == rows.filter { $0.homeCode == "0080" || $0.homeCode == "0081" }.count)
    }

    @Test("every estimate lies within its bounds")
    func estimatesInsideBounds() {
        for m in report.matrices {
            for row in m.cells { for q in row { #expect(Double(q.min) <= q.estimate + 1e-9 && q.estimate <= Double(q.max) + 1e-9) } }
        }
        for (_, list) in report.gemeenteShares {
            for g in list {
                for s in [g.outflowShare, g.inflowShare, g.ownSwvShare, g.inRegionShare].compactMap({ $0 }) {
                    #expect(s.min <= s.estimate && s.estimate <= s.max)
                }
            }
        }
    }

    @Test("team connections exist for every Haaglanden school location")
    func schools() throws {
        let expected = try RealStore.connection().scalar("""
            SELECT count(DISTINCT r.school_id) FROM raw_count r JOIN source_file f ON f.id = r.file_id
            WHERE f.peildatum = '2024-10-01' AND f.dataset = 'po_postcode'
            AND r.school_gemeente IN ('0503','0518','1916','1842','1926','0603','0626','0629','1783','0637')
            """)?.int
        let inRegion = report.schools.filter { report.grouping.members.contains($0.gemeente) }
        #expect(inRegion.count == expected)
        #expect(inRegion.allSatisfy { !$0.homes.isEmpty })
    }
}

@Suite("Cost splits and team lists on the real 2024 files")
struct CostRealDataTests {
    let y2024 = Peildatum(year: 2024, month: 10, day: 1)!

    @Test("the shipped items split to the cent, and their counts agree with the matrix")
    func shippedItems() throws {
        let report = try AnalysisStore.report()
        #expect(report.costSplits.count == 4)
        for split in report.costSplits { #expect(split.lines.reduce(0) { $0 + $1.cents } == split.totalCents, "\(split.item.name)") }
        let h3 = try #require(report.costSplits.first { $0.item.name == "Collectieve jeugdhulp sbo/so/vso H3" })
        for line in h3.lines where report.grouping.isMember(line.gemeente) {
            var lo = 0, hi = 0
            for soort in [SoortSelection.sbo, .so, .vso] {
                let m = try #require(report.matrix(y2024, soort))
                let h = try #require(m.groups.firstIndex(of: line.gemeente))
                for school in ["0518", "0603", "1916"] { lo += m.cells[h][m.groups.firstIndex(of: school)!].min; hi += m.cells[h][m.groups.firstIndex(of: school)!].max }
            }
            #expect(line.pupils.min == lo && line.pupils.max == hi, "\(line.gemeente): \(line.pupils.bounds) vs \(lo)–\(hi)")
        }
        let oja = try #require(report.costSplits.first { $0.item.name.hasPrefix("OJA cluster 4") })
        #expect(oja.schools == ["16VG00", "20IX00", "20JE00", "20KP00", "20KP06"])
        #expect(oja.lines.map(\.gemeente) == ["0518", "0603", "1916"])
    }

    @Test("every amount split by pupils has a 90% interval within its range, around the amount, and narrower than the range")
    func costIntervals() throws {
        let report = try AnalysisStore.report()
        var narrower = 0, lines = 0
        for split in report.costSplits where split.item.key == .leerlingen || split.item.key == .tarief {
            for line in split.lines where !line.pupils.isExact && line.pupils.max > 0 {
                lines += 1
                let interval = try #require(line.interval90Cents, "\(split.item.name) \(line.gemeente)")
                #expect(line.minCents <= interval.lowerBound && interval.upperBound <= line.maxCents && interval.contains(line.cents),
                        "\(split.item.name) \(line.gemeente): \(interval) outside \(line.minCents)…\(line.maxCents) or without \(line.cents)")
                if interval.upperBound - interval.lowerBound < line.maxCents - line.minCents { narrower += 1 }
                if split.item.key == .tarief, let q = line.pupils.interval90 {
                    // Each draw pays the tariff times its own pupils: the interval is the pupils' interval in euros.
                    #expect(interval.lowerBound >= split.item.tariffCents! * q.min - 1 && interval.upperBound <= split.item.tariffCents! * q.max + 1)
                }
            }
        }
        #expect(lines > 0 && narrower == lines, "\(narrower) of \(lines) intervals narrower than the range")
    }

    @Test("every Haaglanden school location has its team list, and every region gemeente its schools elsewhere")
    func teams() throws {
        let report = try AnalysisStore.report()
        let members = Set(report.grouping.members)
        for school in report.schools where members.contains(school.gemeente) {
            #expect(school.homes.reduce(Quantity.zero) { $0 + $1.pupils }.bounds == school.total.bounds)
        }
        for code in report.grouping.members {
            let attended = report.schoolsAttended(by: code)
            #expect(!attended.isEmpty)
            #expect(attended.allSatisfy { $0.school.gemeente != code })
            #expect(zip(attended, attended.dropFirst()).allSatisfy { $0.pupils.estimate >= $1.pupils.estimate })
        }
    }
}

@Suite("Another region from the real files")
struct OtherRegionTests {
    @Test("every jeugdregio of 2024 is in regions.csv: 42 regions, each 2024 gemeente in exactly one, Voorschoten in Holland Rijnland from 2024")
    func jeugdregios() throws {
        let reference = try loadReference()
        let y2024 = Peildatum(year: 2024, month: 10, day: 1)!, y2023 = Peildatum(year: 2023, month: 10, day: 1)!
        let ids = Set(reference.regions.map(\.region)).filter { $0.hasPrefix("jeugdregio-") } .union(["jeugdhulpregio-haaglanden"])
        #expect(ids.count == 42)
        let existing = reference.gemeenten.values.filter { $0.exists(on: y2024) }.map(\.code)
        #expect(existing.count == 342)
        for code in existing {
            #expect(ids.filter { reference.members(of: $0, on: y2024).contains(code) }.count == 1, "\(code)")
        }
        #expect(reference.members(of: "jeugdregio-holland-rijnland", on: y2024).contains("0626"))
        #expect(!reference.members(of: "jeugdregio-holland-rijnland", on: y2023).contains("0626"))
        #expect(reference.members(of: "jeugdhulpregio-haaglanden", on: y2023).contains("0626"))
    }

    @Test("the 2024 figures from a store with 2024 alone equal those from the store with 2024 and 2017: a year added changes no other year")
    func yearsIndependent() throws {
        let report = try AnalysisStore.report()
        let y2024 = Peildatum(year: 2024, month: 10, day: 1)!, y2017 = Peildatum(year: 2017, month: 10, day: 1)!
        let path = NSTemporaryDirectory() + "grensverkeer-2024-alone-\(getpid()).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
        let reference = try loadReference()
        let db = try Store.open(path: path)
        _ = try Ingest.run(files: try RealStore.store().files2024, db: db, reference: reference)
        let alone = try ReportBuilder.build(db: db, reference: reference, settings: AnalysisSettings(
            estimatorPath: AnalysisStore.repo + "/data/estimator/masked-cells.csv", costFolder: AnalysisStore.repo + "/data/kosten", strictCosts: true))
        #expect(alone.peildata == [y2024] && report.peildata == [y2017, y2024])
        let matrices = report.matrices.filter { $0.peildatum == y2024 }
        #expect(matrices.count == report.soorten.count && matrices.count >= 5 && alone.matrices == matrices)
        #expect(alone.gemeenteShares[y2024] == report.gemeenteShares[y2024] && alone.swvShares[y2024] == report.swvShares[y2024])
        #expect(alone.schools == report.schools && alone.costSplits == report.costSplits && !alone.costSplits.isEmpty)
        // Not a comparison of empty things: the year has intervals.
        #expect(matrices.flatMap { $0.cells.joined() }.filter { $0.interval90 != nil && !$0.isExact }.count > 100)
    }

    @Test("the real analysis read on one connection, one peildatum at a time, equals the one read on a connection per peildatum side by side")
    func oneConnection() throws {
        // Inside a transaction the other connections would not see its writes, so the analysis reads on this one.
        let report = try AnalysisStore.report()
        let y2024 = Peildatum(year: 2024, month: 10, day: 1)!, y2017 = Peildatum(year: 2017, month: 10, day: 1)!
        let db = try Store.open(path: try RealStore.connection().path, access: .read)
        try db.execute("BEGIN")
        defer { try? db.execute("ROLLBACK") }
        #expect(db.inTransaction)
        let (serial, layer) = try ReportBuilder.analyse(db: db, reference: try loadReference(), settings: AnalysisSettings(
            estimatorPath: AnalysisStore.repo + "/data/estimator/masked-cells.csv", costFolder: AnalysisStore.repo + "/data/kosten", strictCosts: true),
            layer: true)
        #expect(serial == report && serial.peildata == [y2017, y2024])
        #expect(layer.map(\.peildatum) == [y2017, y2024] && layer.allSatisfy { $0.flowCount > 0 && $0.schoolCount > 0 })
        #expect(serial.changes.contains { !$0.after.isExact && $0.change.interval90 != nil })
    }

    @Test("the whole site for Holland Rijnland from the real 2024 and 2017 files: its own gemeenten, map, matrix and change page")
    func hollandRijnland() throws {
        let db = try RealStore.connection(), reference = try loadReference()
        let settings = AnalysisSettings(region: "jeugdregio-holland-rijnland", neighbours: nil,
                                        estimatorPath: AnalysisStore.repo + "/data/estimator/masked-cells.csv", costFolder: nil)
        let report = try ReportBuilder.build(db: db, reference: reference, settings: settings)
        let members = reference.members(of: "jeugdregio-holland-rijnland", on: Peildatum(year: 2024, month: 10, day: 1)!)
        #expect(report.regionName == "Jeugdregio Holland Rijnland" && Set(report.grouping.members) == Set(members) && members.count == 13)
        let site = Dictionary(uniqueKeysWithValues: Dashboard.render(report).map { ($0.path, $0.html) })
        for code in members { #expect(site["gemeente-\(code).html"]?.contains("aria-labelledby=\"kaart-t\"") == true, "\(code)") }
        #expect(site["gemeente-0518.html"] == nil)
        let index = try #require(site["index.html"])
        #expect(index.contains("<h1>Grensverkeer Jeugdregio Holland Rijnland</h1>") && index.contains("aria-labelledby=\"kaart-t\""))
        #expect(site["matrix-po.html"]?.contains(">Leiden</th>") == true && site["verandering.html"] != nil)
        // The region's own matrix: every pupil living in a member gemeente is in its row.
        let m = try #require(report.matrix(report.latest!, .po))
        #expect(m.groups.prefix(members.count).allSatisfy(members.contains))
    }
}
