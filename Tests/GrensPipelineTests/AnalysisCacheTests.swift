import Foundation
import Testing
@testable import GrensCore
@testable import GrensPipeline
import GrensTestSupport
import SQLiteWrap

/// The analysis cache (`AnalysisCache`) on real files: the 2024 files of Delft and Rijswijk (masked) and the 2017
/// file of Delft (unmasked). What it gives back must be what the analysis works out, draws included, and a
/// change in what a peildatum is made of must make it be worked out again.
@Suite("analysis cache")
struct AnalysisCacheTests {
    static let real2024 = TestPaths.duoReal + "/po-postcode-leerling-2024-2025/"
    static let real2017 = TestPaths.duoReal + "/po-postcode-leerling-2017-2018-unmasked/"
    let y2024 = Peildatum(year: 2024, month: 10, day: 1)!
    let y2017 = Peildatum(year: 2017, month: 10, day: 1)!
    let settings = AnalysisSettings(estimatorPath: TestPaths.repo + "/data/estimator/masked-cells.csv", costFolder: nil)

    func bytes(_ path: String) throws -> [UInt8] { [UInt8](try #require(FileManager.default.contents(atPath: path))) }

    /// A store with the three files.
    func workspace() throws -> Workspace {
        let ws = try Workspace()
        try ws.write("a/Delft afgeschermd.csv", try bytes(Self.real2024 + "Delft afgeschermd.csv"), folders: true)
        try ws.write("a/Rijswijk afgeschermd.csv", try bytes(Self.real2024 + "Rijswijk afgeschermd.csv"), folders: true)
        try ws.write("b/Delft.csv", try bytes(Self.real2017 + "Delft.csv"), folders: true)
        _ = try ws.ingest(["a", "b"])
        return ws
    }

    /// Every joint draw of the report's matrices and shares, in order (nil for a quantity without draws).
    func draws(_ report: Report) -> [[Int32]?] {
        var all: [Quantity] = []
        for m in report.matrices { all += m.cells.joined() + m.homeTotals + m.schoolTotals + [m.total] }
        for (_, list) in report.gemeenteShares.sorted(by: { $0.key < $1.key }) {
            for g in list { all += [g.living, g.atSchool, g.own, g.outflow, g.inflow, g.ownSwv, g.otherSwv, g.inRegion, g.outRegion] }
        }
        for (_, list) in report.swvShares.sorted(by: { $0.key < $1.key }) {
            for s in list { all += [s.living, s.atSchool, s.own, s.outflow, s.inflow] }
        }
        for school in report.schools { all += [school.total] + school.homes.map(\.pupils) }
        return all.map { $0.draws?.values }
    }

    /// How many quantities of two reports differ in their draws (or in how many quantities they have).
    func differing(_ a: Report, _ b: Report) -> Int {
        let x = draws(a), y = draws(b)
        return zip(x, y).filter { $0 != $1 }.count + abs(x.count - y.count)
    }

    /// The draws of every count of the cost splits.
    func splitDraws(_ report: Report) -> [[Int32]?] {
        report.costSplits.flatMap { split in [split.chargeable] + split.lines.map(\.pupils) + split.uncharged.map(\.pupils) }.map { $0.draws?.values }
    }

    func analyse(_ db: Database, reference: Reference? = nil, settings: AnalysisSettings? = nil,
                 cache: AnalysisCache? = nil) throws -> (report: Report, layer: [AnalystLayer.Year]) {
        try ReportBuilder.analyse(db: db, reference: try reference ?? loadReference(), settings: settings ?? self.settings, layer: true, cache: cache)
    }

    @Test("a peildatum taken over from the cache is the one worked out: figures, draws and the analyst layer's rows")
    func takenOverEqualsWorkedOut() throws {
        let ws = try workspace()
        let fresh = try analyse(ws.db)
        let first = try AnalysisCache(db: ws.db)
        let computed = try analyse(ws.db, cache: first)
        #expect(first.computed == [y2017, y2024] && first.reused.isEmpty)
        #expect(try ws.texts("SELECT peildatum FROM cache_analyse ORDER BY peildatum") == [y2017.iso, y2024.iso])

        let second = try AnalysisCache(db: ws.db)
        let reused = try analyse(ws.db, cache: second)
        #expect(second.reused == [y2017, y2024] && second.computed.isEmpty)
        for run in [computed, reused] {
            #expect(run.report == fresh.report)
            #expect(differing(run.report, fresh.report) == 0)
            #expect(run.report.changes.map(\.change) == fresh.report.changes.map(\.change))
            #expect(run.layer.map(\.rows) == fresh.layer.map(\.rows) && run.layer.map(\.homes) == fresh.layer.map(\.homes))
        }
        // Not a comparison of empty things: both years have matrices, the latest its schools, and the change
        // between them intervals from the draws of both years.
        #expect(fresh.report.matrices.map(\.peildatum).contains(y2017) && !fresh.report.schools.isEmpty)
        #expect(draws(fresh.report).compactMap { $0 }.count > 100)
        #expect(fresh.report.changes.contains { !$0.after.isExact && $0.change.interval90 != nil })
        #expect(fresh.layer.allSatisfy { $0.flowCount > 100 })

        // A command that only reads the store takes the entries over and keeps nothing.
        let reader = try Store.open(path: ws.db.path, access: .read)
        let reading = try AnalysisCache(reading: reader)
        let read = try ReportBuilder.build(db: reader, reference: try loadReference(), settings: settings, cache: reading)
        #expect(reading.reused == [y2017, y2024] && read == fresh.report && differing(read, fresh.report) == 0)
    }

    @Test("a cache table of another shape (another version) is made again, empty; read only, it is passed by")
    func otherShape() throws {
        let ws = try workspace()
        try ws.db.execute("CREATE TABLE cache_analyse(x TEXT)")
        try ws.db.execute("INSERT INTO cache_analyse VALUES ('oud')")
        let reading = try AnalysisCache(reading: try Store.open(path: ws.db.path, access: .read))
        #expect(reading.stored.isEmpty)
        let cache = try AnalysisCache(db: ws.db)
        let run = try analyse(ws.db, cache: cache)
        let fresh = try analyse(ws.db)
        #expect(cache.reused.isEmpty && cache.computed == [y2017, y2024] && run.report == fresh.report)
        #expect(try ws.texts("SELECT peildatum FROM cache_analyse ORDER BY peildatum") == [y2017.iso, y2024.iso])
    }

    @Test("a store without the cache, only read: everything worked out, nothing written")
    func readOnlyWithoutCache() throws {
        let ws = try workspace()
        let reader = try Store.open(path: ws.db.path, access: .read)
        let reading = try AnalysisCache(reading: reader)
        let read = try ReportBuilder.build(db: reader, reference: try loadReference(), settings: settings, cache: reading)
        #expect(reading.reused.isEmpty && reading.computed == [y2017, y2024])
        #expect(read == (try analyse(ws.db)).report)
        #expect(try ws.int("SELECT count(*) FROM sqlite_master WHERE name = 'cache_analyse'") == 0)
    }

    @Test("one cell changed in the 2024 Delft file: 2024 is worked out again and shows the change, 2017 is taken over")
    func oneCellChanged() throws {
        let ws = try workspace()
        let before = try analyse(ws.db, cache: try AnalysisCache(db: ws.db))
        let (changed, _) = try #require(changingOneCell(try bytes(Self.real2024 + "Delft afgeschermd.csv"), from: "15", to: "18"))
        try ws.write("c/Delft afgeschermd.csv", changed, folders: true)
        _ = try ws.ingest(["c/Delft afgeschermd.csv"])

        let cache = try AnalysisCache(db: ws.db)
        let after = try analyse(ws.db, cache: cache)
        #expect(cache.reused == [y2017] && cache.computed == [y2024])
        let fresh = try analyse(ws.db)
        #expect(after.report == fresh.report && differing(after.report, fresh.report) == 0)
        #expect(after.layer.map(\.rows) == fresh.layer.map(\.rows))
        // The change itself: Delft's pupils at school 3 more in 2024, 2017 as it was.
        let old = try #require(before.report.matrix(y2024, .po)), new = try #require(after.report.matrix(y2024, .po))
        #expect(new.total.bounds == Bounds(min: old.total.min + 3, max: old.total.max + 3))
        let delft = try #require(new.groups.firstIndex(of: "0503"))
        #expect(new.schoolTotals[delft].min == old.schoolTotals[delft].min + 3)
        #expect(before.report.matrices.filter { $0.peildatum == y2017 } == after.report.matrices.filter { $0.peildatum == y2017 })
        #expect(try ws.texts("SELECT peildatum FROM cache_analyse ORDER BY peildatum") == [y2017.iso, y2024.iso])
    }

    @Test("other reference data or a damaged entry: worked out again; a cost item: worked out once with its year, then taken over with it")
    func notTakenOver() throws {
        let ws = try workspace()
        let reference = try loadReference()
        let fresh = try analyse(ws.db)
        _ = try analyse(ws.db, cache: try AnalysisCache(db: ws.db))

        // Reference texts that differ (here only their fingerprint): every peildatum is worked out.
        var other = reference
        other.textFingerprint = String(reference.textFingerprint.reversed())
        let changedReference = try AnalysisCache(db: ws.db)
        _ = try analyse(ws.db, reference: other, cache: changedReference)
        #expect(changedReference.reused.isEmpty && changedReference.computed == [y2017, y2024])
        // Reference data not read from texts: nothing is kept or taken over.
        other.textFingerprint = ""
        let unknown = try AnalysisCache(db: ws.db)
        _ = try analyse(ws.db, reference: other, cache: unknown)
        #expect(unknown.reused.isEmpty)
        #expect(try ws.int("SELECT count(*) FROM cache_analyse") == 0)
        _ = try analyse(ws.db, cache: try AnalysisCache(db: ws.db))

        // The shipped cost items (pinned to 2024-10-01) are kept in 2024's entry: an entry made without them does
        // not serve an analysis with them; 2024 is worked out once with them, and its splits are then taken over with
        // it, draws included.
        let costs = AnalysisSettings(estimatorPath: settings.estimatorPath, costFolder: TestPaths.repo + "/data/kosten")
        let withCosts = try AnalysisCache(db: ws.db)
        let split = try analyse(ws.db, settings: costs, cache: withCosts)
        #expect(withCosts.reused == [y2017] && withCosts.computed == [y2024] && !split.report.costSplits.isEmpty && split.report.costSplits.count + split.report.refusedCostItems.count == 4)
        let costsAgain = try AnalysisCache(db: ws.db)
        let splitAgain = try analyse(ws.db, settings: costs, cache: costsAgain)
        let splitFresh = try analyse(ws.db, settings: costs)
        #expect(costsAgain.reused == [y2017, y2024])
        for run in [split, splitAgain] {
            #expect(run.report.costSplits == splitFresh.report.costSplits && run.report == splitFresh.report)
            #expect(splitDraws(run.report) == splitDraws(splitFresh.report))
        }
        #expect(splitDraws(splitFresh.report).compactMap { $0 }.count > 10)
        #expect(try ws.texts("SELECT peildatum FROM cache_analyse ORDER BY peildatum") == [y2017.iso, y2024.iso])
        // An analysis without cost items (`matrix`, `shares`) takes the entry with splits over and leaves them out;
        // the entry keeps them for the next analysis with the items.
        let withoutItems = try AnalysisCache(reading: ws.db)
        let plain = try analyse(ws.db, cache: withoutItems)
        #expect(withoutItems.reused == [y2017, y2024] && plain.report.costSplits.isEmpty)
        #expect(plain.report == fresh.report && differing(plain.report, fresh.report) == 0)
        // Other items: 2024 is worked out again, and kept with them. First one of the four shipped, then the same
        // one with another amount (as many items, another text).
        let folder = ws.dir + "/kosten", file = ws.dir + "/kosten/collectieve-jeugdhulp-h3.txt"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TestPaths.repo + "/data/kosten/collectieve-jeugdhulp-h3.txt", toPath: file)
        let oneItem = AnalysisSettings(estimatorPath: settings.estimatorPath, costFolder: folder)
        for amount in ["€ 450.000,00", "€ 460.000,00"] {
            let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "€ 450.000,00", with: amount)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let otherItems = try AnalysisCache(db: ws.db)
            let one = try analyse(ws.db, settings: oneItem, cache: otherItems)
            #expect(otherItems.reused == [y2017] && otherItems.computed == [y2024])
            let oneFresh = try analyse(ws.db, settings: oneItem)
            #expect(one.report.costSplits.count == 1 && one.report == oneFresh.report && one.report.costSplits[0].totalCents == (amount == "€ 450.000,00" ? 45_000_000 : 46_000_000))
            #expect(splitDraws(one.report) == splitDraws(oneFresh.report) && splitDraws(one.report).compactMap { $0 }.count > 3)
        }
        let costsThird = try AnalysisCache(db: ws.db)
        _ = try analyse(ws.db, settings: costs, cache: costsThird)
        #expect(costsThird.reused == [y2017] && costsThird.computed == [y2024])

        // A damaged entry does not read back whole: worked out again, the same.
        try ws.db.execute("UPDATE cache_analyse SET inhoud = substr(inhoud, 1, length(inhoud) - 1) || x'00'")
        let damaged = try AnalysisCache(db: ws.db)
        let again = try analyse(ws.db, cache: damaged)
        #expect(damaged.reused.isEmpty && again.report == fresh.report && differing(again.report, fresh.report) == 0)
        // `--opnieuw`: nothing taken over, what comes out kept.
        let forced = try AnalysisCache(db: ws.db, reuse: false)
        _ = try analyse(ws.db, cache: forced)
        #expect(forced.reused.isEmpty && forced.computed == [y2017, y2024])
    }

    @Test("a peildatum's soorten come from its entry while its files are the same, from its rows once one is replaced")
    func soortenFromEntry() throws {
        let ws = try workspace()
        _ = try analyse(ws.db, cache: try AnalysisCache(db: ws.db))
        // What each entry keeps is what its rows have.
        for date in [y2017, y2024] {
            let rows = try ws.texts("""
                SELECT DISTINCT r.soort FROM raw_count r JOIN source_file f ON f.id = r.file_id
                WHERE f.peildatum = '\(date.iso)' ORDER BY 1
                """)
            #expect(rows.count > 1)
            let kept = try AnalysisCache(db: ws.db).soorten(date, files: try AnalysisCache.files(ws.db)[date.iso] ?? "")
            #expect(kept == Set(rows.compactMap(Soort.init(rawValue:))))
        }
        // Entries that say (with a right checksum) there is only bo: the analysis goes by them, not by the rows.
        func onlyBo() throws {
            let files = try AnalysisCache.files(ws.db)
            for date in [y2017, y2024] {
                try ws.db.prepare("UPDATE cache_analyse SET soorten = ? WHERE peildatum = ?")
                    .run([.text(AnalysisCache.soortenText("Bo", files: files[date.iso] ?? "")), .text(date.iso)])
            }
        }
        try onlyBo()
        #expect(try analyse(ws.db, cache: try AnalysisCache(db: ws.db)).report.soorten == [.bo, .po])
        // A damaged soorten text is not taken: the rows are read.
        try ws.db.execute("UPDATE cache_analyse SET soorten = replace(soorten, 'Bo ', 'Sbo ')")
        let all = try analyse(ws.db).report.soorten
        let damaged = try analyse(ws.db, cache: try AnalysisCache(db: ws.db)).report.soorten
        #expect(all.count > 2 && damaged == all)
        // 2024 with one of its files replaced (its last row left out): its soorten are read from its rows again.
        try onlyBo()
        let original = try bytes(Self.real2024 + "Rijswijk afgeschermd.csv")
        var lines = original.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        lines.removeLast()
        try ws.write("c/Rijswijk afgeschermd.csv", Array(lines.joined(separator: [0x0A])) + [0x0A], folders: true)
        _ = try ws.ingest(["c"])
        let replaced = try analyse(ws.db, cache: try AnalysisCache(db: ws.db)).report.soorten
        let y2024Soorten = try AnalysisCache(db: ws.db).soorten(y2024, files: try AnalysisCache.files(ws.db)[y2024.iso] ?? "")
        let fresh = try analyse(ws.db).report.soorten
        #expect(replaced != [.bo, .po] && replaced == fresh && (y2024Soorten?.count ?? 0) > 1)
    }

    @Test("the key follows where the gemeenten land on the latest peildatum: the same without mergers in between, another after one")
    func keyFollowsMergers() throws {
        let ws = try workspace()
        let reference = try loadReference()
        let members = reference.members(of: "haaglanden", on: y2024)
        let grouping = Grouping(region: "haaglanden", members: members, neighbours: [], reference: reference)
        func key(latest: Peildatum) throws -> String? {
            try AnalysisCache.keys(db: ws.db, files: try AnalysisCache.files(ws.db), peildata: [y2017], latest: latest, reference: reference, grouping: grouping, soorten: [.po],
                                   unmasked: [y2017], estimator: try ReportBuilder.loadModel(settings.estimatorPath).digest)[y2017]
        }
        // No gemeente of the reference data ended between 2023-10-01 and 2024-10-01; three did on 2023-01-01.
        let y2023 = Peildatum(year: 2023, month: 10, day: 1)!, y2022 = Peildatum(year: 2022, month: 10, day: 1)!
        #expect(try key(latest: y2023) == key(latest: y2024))
        #expect(try key(latest: y2022) != key(latest: y2024))
        #expect(try key(latest: y2024) != nil)
        // Another file of that peildatum, or another program's view of the estimator, gives another key.
        let other = try AnalysisCache.keys(db: ws.db, files: try AnalysisCache.files(ws.db), peildata: [y2017], latest: y2024, reference: reference, grouping: grouping,
                                           soorten: [.po], unmasked: [y2017], estimator: try ReportBuilder.loadModel("/niet/aanwezig.csv").digest)[y2017]
        #expect(try other != key(latest: y2024))
    }

    @Test("the analyst layer keeps the rows of the years it holds under the same key, from the oldest on, and equals a whole rewrite")
    func layerRowsKept() throws {
        let ws = try workspace()
        let reference = try loadReference()
        func write(keepRows: Bool) throws {
            let run = try analyse(ws.db, cache: try AnalysisCache(db: ws.db))
            try AnalystLayer.write(db: ws.db, years: run.layer, report: run.report, reference: reference, keepRows: keepRows)
        }
        // Every row of every table of the layer, in table order (for ana_stroom with its rowid: insertion order).
        func layer() throws -> [String] {
            try AnalystLayer.tables.flatMap { table in
                try ws.db.rows(table == "ana_stroom" ? "SELECT rowid, * FROM ana_stroom" : "SELECT * FROM \(table)").map { row in
                    table + ":" + (0..<row.count).map { "\(row.value($0))" }.joined(separator: "|")
                }
            }
        }
        try write(keepRows: true)
        #expect(try ws.texts("SELECT sleutel FROM ana_bron WHERE sleutel LIKE 'jaar:%' ORDER BY sleutel") == ["jaar:" + y2017.iso, "jaar:" + y2024.iso])
        let whole = try layer()
        #expect(try ws.int("SELECT count(*) FROM ana_stroom WHERE peildatum = '\(y2017.iso)'") > 100)

        // A mark on the first 2017 row shows whether the rows were kept or written again.
        let first = "(SELECT min(rowid) FROM ana_stroom)"
        let original = try #require(try ws.db.scalar("SELECT schatting FROM ana_stroom WHERE rowid = \(first)")?.double)
        func marked() throws -> Bool { try ws.int("SELECT count(*) FROM ana_stroom WHERE schatting = -1") == 1 }
        func mark() throws { try ws.db.execute("UPDATE ana_stroom SET schatting = -1 WHERE rowid = \(first)") }
        func unmark() throws { try ws.db.execute("UPDATE ana_stroom SET schatting = \(original) WHERE schatting = -1") }
        try mark()
        try write(keepRows: true)
        #expect(try marked())
        try write(keepRows: false)
        #expect(try !marked() && layer() == whole)

        // 2024 changed: 2017 (the oldest) kept, 2024 written again; the same as a whole rewrite.
        try mark()
        let (changed, _) = try #require(changingOneCell(try bytes(Self.real2024 + "Delft afgeschermd.csv"), from: "15", to: "18"))
        try ws.write("c/Delft afgeschermd.csv", changed, folders: true)
        _ = try ws.ingest(["c/Delft afgeschermd.csv"])
        try write(keepRows: true)
        #expect(try marked())
        try unmark()
        let incremental = try layer()
        try write(keepRows: false)
        #expect(try layer() == incremental && incremental != whole)

        // 2017 changed (the oldest): nothing is kept.
        try mark()
        let bytes2017 = try bytes(Self.real2017 + "Delft.csv")
        let text = String(decoding: bytes2017, as: UTF8.self)
        // The first row of the file (one pupil of 16 at the Herman Broerenschool) gets a second pupil.
        let row = ";2271;Leidschendam-Voorburg;00PZ;00;Herman Broerenschool;2612SP;DELFT;Zuid-Holland;Vso;Algemeen bijzonder;38209;"
        let range = try #require(text.range(of: row + "0;0;0;0;0;0;0;0;0;0;0;0;1;0;0;0;0;0;0;0;0;0;0;1"))
        let edited = text.replacingCharacters(in: range, with: row + "0;0;0;0;0;0;0;0;0;0;0;0;2;0;0;0;0;0;0;0;0;0;0;2")
        try ws.write("d/Delft.csv", Array(edited.utf8), folders: true)
        _ = try ws.ingest(["d/Delft.csv"])
        try write(keepRows: true)
        #expect(try !marked())
        let afterOldest = try layer()
        try write(keepRows: false)
        #expect(try layer() == afterOldest)
    }

    @Test("a new latest year: only that year is worked out; the year that was the latest is taken over, its splits too")
    func newLatestYear() throws {
        let ws = try workspace()
        let costs = AnalysisSettings(estimatorPath: settings.estimatorPath, costFolder: TestPaths.repo + "/data/kosten")
        _ = try analyse(ws.db, settings: costs, cache: try AnalysisCache(db: ws.db))
        // 2025: the 2024 files with only their peildatum changed.
        for name in ["Delft afgeschermd.csv", "Rijswijk afgeschermd.csv"] {
            let text = String(decoding: try bytes(Self.real2024 + name), as: UTF8.self)
            #expect(text.contains("\"20241001\""))
            try ws.write("e/" + name, Array(text.replacingOccurrences(of: "\"20241001\"", with: "\"20251001\"").utf8), folders: true)
        }
        _ = try ws.ingest(["e"])
        let y2025 = Peildatum(year: 2025, month: 10, day: 1)!
        let cache = try AnalysisCache(db: ws.db)
        let refreshed = try analyse(ws.db, settings: costs, cache: cache)
        #expect(cache.reused == [y2017, y2024] && cache.computed == [y2025])
        let fresh = try analyse(ws.db, settings: costs)
        #expect(refreshed.report == fresh.report && differing(refreshed.report, fresh.report) == 0)
        #expect(splitDraws(refreshed.report) == splitDraws(fresh.report) && !refreshed.report.costSplits.isEmpty)
        #expect(refreshed.layer.map(\.rows) == fresh.layer.map(\.rows))
        // The school list is the new latest's, and the change page compares 2024 with 2025 draw by draw.
        #expect(refreshed.report.latest == y2025 && !refreshed.report.schools.isEmpty)
        #expect(refreshed.report.changeTo == y2025 && refreshed.report.changes.contains { $0.change.interval90 != nil })
    }
}

extension AnalystLayer.Year {
    /// How many flows and schools its rows hold (read back through `forEach`, as the layer writes them).
    var counts: (flows: Int, schools: Int) {
        var (flows, schools) = (0, 0)
        try? forEach(flow: { _, _, _, _, _, _ in flows += 1 }, school: { _, _, _, _ in schools += 1 })
        return (flows, schools)
    }
    var flowCount: Int { counts.flows }
    var schoolCount: Int { counts.schools }
}
