import Foundation
import Testing
import GrensCore
import GrensPipeline
import GrensTestSupport
import SQLiteWrap

/// What an ingest run changed: computed in the run's transaction, stored with it, read back unchanged.
@Suite("what an ingest changed")
struct ChangesTests {
    static let real2024 = TestPaths.duoReal + "/po-postcode-leerling-2024-2025/"
    static let real2017 = TestPaths.duoReal + "/po-postcode-leerling-2017-2018-unmasked/"

    func bytes(_ path: String) throws -> [UInt8] { [UInt8](try #require(FileManager.default.contents(atPath: path))) }



    @Test("one cell 15 → 18 in the Delft file: the row that changed and Delft +3, not just 'vervangen: 1'")
    func oneCell() throws {
        let ws = try Workspace()
        let original = try bytes(Self.real2024 + "Delft afgeschermd.csv")
        try ws.write("a/Delft afgeschermd.csv", original, folders: true)
        let first = try ws.ingest(["a/Delft afgeschermd.csv"])
        #expect(first.changes.map(\.baseline) == [.none])
        #expect(first.changes.first?.rowsAfter == 783)

        let (changed, line) = try #require(changingOneCell(original, from: "15", to: "18"))
        try ws.write("b/Delft afgeschermd.csv", changed, folders: true)
        let report = try ws.ingest(["b/Delft afgeschermd.csv"])
        let part = try #require(report.changes.first)
        #expect(report.changes.count == 1)
        #expect(part.baseline == .same && part.dataset == .poPostcode && part.peildatum == Peildatum(iso: "2024-10-01"))
        #expect((part.rowsBefore, part.rowsAfter, part.rowsAdded, part.rowsRemoved, part.rowsChanged) == (783, 783, 0, 0, 1))
        #expect(part.pupilsChange == Bounds(exact: 3))
        #expect(part.pupilsAfter == Bounds(min: part.pupilsBefore.min + 3, max: part.pupilsBefore.max + 3))
        let row = try #require(part.rows.first)
        #expect(part.rows.count == 1)
        #expect(row.kind == .changed && row.before?.line == line && row.after?.line == line && row.change == Bounds(exact: 3))
        #expect(row.schoolID == "12SL01" && row.homePC4 == "2286")
        let cellsBefore = row.before!.cells.split(separator: ";"), cellsAfter = row.after!.cells.split(separator: ";")
        #expect(zip(cellsBefore, cellsAfter).filter { $0 != $1 }.map { "\($0)→\($1)" } == ["15→18"])
        let delft = try #require(part.areas.first { $0.side == .school && $0.code == "0503" })
        #expect(delft.change == Bounds(exact: 3) && delft.name == "Delft" && !delft.flagged)
        #expect(part.areas.filter { $0.side == .home }.map(\.change) == [Bounds(exact: 3)])
        #expect(part.schools.isEmpty && !part.flagged)

        // Stored with the run, and read back as the report had it.
        let run = try ws.int("SELECT max(id) FROM ingest_run")
        #expect(try Changes.load(ws.db) == Refresh(run: run, parts: report.changes))
        #expect(try Changes.load(ws.db, run: run - 1)?.parts.map(\.baseline) == [.none])

        // Ingesting the same file again changes nothing and records nothing: the last refresh stays this run.
        #expect(try ws.ingest(["b/Delft afgeschermd.csv"]).changes.isEmpty)
        #expect(try Changes.load(ws.db)?.run == run)
        // Putting the old file back is a change the other way.
        let back = try ws.ingest(["a/Delft afgeschermd.csv"])
        #expect(back.changes.first?.pupilsChange == Bounds(exact: -3))
    }

    @Test("rows added, removed and changed are told apart; a <5 becoming a number counts with its bounds")
    func rowKinds() throws {
        let ws = try Workspace()
        let a = PoRow(pc4: "2612", home: "Delft", cells: ["5": "<5", "6": "10"])
        let b = PoRow(pc4: "2285", home: "Rijswijk", cells: ["7": "<5"])
        let c = PoRow(pc4: "2495", home: "'s-Gravenhage", cells: ["8": "6"])
        try ws.write("old/d.csv", poFile([a, b]), folders: true)
        _ = try ws.ingest(["old/d.csv"])
        var a2 = a
        a2.cells = ["5": "7", "6": "10"]
        try ws.write("new/d.csv", poFile([a2, c]), folders: true)
        let part = try #require(try ws.ingest(["new/d.csv"]).changes.first)
        #expect((part.rowsAdded, part.rowsRemoved, part.rowsChanged) == (1, 1, 1))
        let kinds = Dictionary(uniqueKeysWithValues: part.rows.map { ($0.homePC4, $0) })
        #expect(kinds["2612"]?.kind == .changed && kinds["2612"]?.change == Bounds(min: 3, max: 6))
        #expect(kinds["2285"]?.kind == .removed && kinds["2285"]?.change == Bounds(min: -4, max: -1))
        #expect(kinds["2495"]?.kind == .added && kinds["2495"]?.change == Bounds(exact: 6))
        #expect(part.pupilsChange == Bounds(min: 3 - 4 + 6, max: 6 - 1 + 6))
        let homes = Dictionary(uniqueKeysWithValues: part.areas.filter { $0.side == .home }.map { ($0.code, $0) })
        #expect(homes["0603"]?.after == .zero && homes["0518"]?.before == .zero && homes["0518"]?.after == Bounds(exact: 6))
    }

    @Test("a school gemeente whose data goes (--vervang) and a school that vanishes are flagged first")
    func vanished() throws {
        let ws = try Workspace()
        var big = PoRow(gemeente: "0603", gemeenteName: "Rijswijk", pc4: "2281", home: "Rijswijk", school: "02AB", cells: ["6": "40"])
        big.location = "00"
        try ws.write("old/two.csv", poFile(delftRows + [big]), folders: true)
        _ = try ws.ingest(["old/two.csv"])
        try ws.write("new/delft.csv", poFile(delftRows), folders: true)
        let part = try #require(try ws.ingest(["new/delft.csv"], replacePartial: true).changes.first)
        #expect(part.flagged)
        let first = try #require(part.areas.first)
        #expect(first.side == .school && first.code == "0603" && first.flagged && first.after == .zero && first.before == Bounds(exact: 40))
        #expect(part.schools.map(\.kind) == [.vanished] && part.schools.first?.schoolID == "02AB00" && part.schools.first?.flagged == true)
    }

    @Test("a new year is compared with the one before: layout and columns that changed, schools that came and went")
    func newYear() throws {
        let ws = try Workspace()
        try ws.write("2017/Delft.csv", try bytes(Self.real2017 + "Delft.csv"), folders: true)
        try ws.write("2024/Delft afgeschermd.csv", try bytes(Self.real2024 + "Delft afgeschermd.csv"), folders: true)
        _ = try ws.ingest(["2017/Delft.csv"])
        let part = try #require(try ws.ingest(["2024/Delft afgeschermd.csv"]).changes.first)
        #expect(part.baseline == .earlier(Peildatum(iso: "2017-10-01")!))
        #expect(part.layoutsBefore == ["po03-oud"] && part.layoutsAfter == ["po03-2024"] && part.layoutChanged && part.flagged)
        #expect(part.columnsRemoved == ["BRIN_NUMMER", "TOTAAL", "VESTIGINGSNUMMER"])
        #expect(part.columnsAdded == ["INSTELLINGSCODE", "VESTIGINGSCODE"])
        #expect(part.rowsBefore == (try ws.int("SELECT rows FROM source_file WHERE peildatum = '2017-10-01'")) && part.rowsAfter == 783)
        #expect(part.rows.isEmpty, "a new year keeps no row-by-row list")
        #expect(!part.schools.isEmpty && part.schools.allSatisfy { $0.gemeente == "0503" })
        let delft = try #require(part.areas.first { $0.side == .school && $0.code == "0503" })
        #expect(delft.before == part.pupilsBefore && delft.after == part.pupilsAfter)
        #expect(delft.change == Bounds(min: delft.after.min - delft.before.max, max: delft.after.max - delft.before.min))
    }

    @Test("a new year in the run that also corrects the year before: compared with that year as it stood before the run")
    func newYearBesideCorrection() throws {
        let ws = try Workspace()
        let original = try bytes(Self.real2017 + "Delft.csv")
        try ws.write("2017/Delft.csv", original, folders: true)
        // The correction leaves out the last three rows.
        var lines = original.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        lines.removeLast(3)
        try ws.write("fix/Delft.csv", Array(lines.joined(separator: [0x0A])) + [0x0A], folders: true)
        try ws.write("2024/Delft afgeschermd.csv", try bytes(Self.real2024 + "Delft afgeschermd.csv"), folders: true)
        _ = try ws.ingest(["2017/Delft.csv"])
        let stored = try ws.int("SELECT rows FROM source_file WHERE peildatum = '2017-10-01'")
        let changes = try ws.ingest(["fix/Delft.csv", "2024/Delft afgeschermd.csv"]).changes
        #expect(changes.map(\.peildatum.iso) == ["2017-10-01", "2024-10-01"])
        let correction = try #require(changes.first), year = try #require(changes.last)
        #expect(correction.baseline == .same && correction.rowsRemoved == 3 && correction.rowsAfter == stored - 3)
        #expect(year.baseline == .earlier(Peildatum(iso: "2017-10-01")!))
        #expect(year.rowsBefore == stored, "the earlier year's rows as they were before this run")
        // Stored with the run, and read back the same.
        let run = try ws.int("SELECT max(run_id) FROM change_part")
        #expect(try ws.int("SELECT count(*) FROM change_part WHERE run_id = \(run)") == 2)
    }

    @Test("a new year compared beside the writing (the first in a run) equals one compared from the store after it (a second)")
    func streamedEqualsStored() throws {
        let y2017 = try bytes(Self.real2017 + "Delft.csv"), y2024 = try bytes(Self.real2024 + "Delft afgeschermd.csv")
        // The same rows a year earlier: only the peildatum differs.
        let y2023 = Array(String(decoding: y2024, as: UTF8.self).replacingOccurrences(of: "\"20241001\"", with: "\"20231001\"").utf8)
        #expect(y2023 != y2024 && y2023.count == y2024.count)
        let alone = try Workspace(), both = try Workspace()
        for ws in [alone, both] {
            try ws.write("2017/Delft.csv", y2017, folders: true)
            try ws.write("2024/Delft afgeschermd.csv", y2024, folders: true)
            _ = try ws.ingest(["2017/Delft.csv"])
        }
        try both.write("2023/Delft afgeschermd.csv", y2023, folders: true)
        let streamed = try alone.ingest(["2024/Delft afgeschermd.csv"]).changes
        let second = try both.ingest(["2023/Delft afgeschermd.csv", "2024/Delft afgeschermd.csv"]).changes
        let earlier = PartChange.Baseline.earlier(Peildatum(iso: "2017-10-01")!)
        #expect(streamed.count == 1 && second.map(\.peildatum.iso) == ["2023-10-01", "2024-10-01"])
        #expect(second.allSatisfy { $0.baseline == earlier } && streamed.first?.baseline == earlier)
        #expect(second.last == streamed.first)
        #expect(streamed.first.map { !$0.areas.isEmpty && !$0.schools.isEmpty && $0.columnsAdded != nil } == true)
    }

    @Test("another school gemeente for a stored peildatum: its rows added, same columns, the others' totals as context")
    func addedGemeente() throws {
        let ws = try Workspace()
        try ws.write("d/Delft afgeschermd.csv", try bytes(Self.real2024 + "Delft afgeschermd.csv"), folders: true)
        try ws.write("r/Rijswijk afgeschermd.csv", try bytes(Self.real2024 + "Rijswijk afgeschermd.csv"), folders: true)
        _ = try ws.ingest(["d/Delft afgeschermd.csv"])
        let part = try #require(try ws.ingest(["r/Rijswijk afgeschermd.csv"]).changes.first)
        let rijswijk = try ws.int("SELECT count(*) FROM raw_count r JOIN source_file f ON f.id = r.file_id WHERE f.name LIKE 'Rijswijk%'")
        #expect(part.baseline == .same && part.filesBefore.isEmpty)
        #expect((part.rowsBefore, part.rowsAfter, part.rowsAdded, part.rowsRemoved) == (783, 783 + rijswijk, rijswijk, 0))
        #expect(part.columnsAdded == [] && part.columnsRemoved == [] && !part.layoutChanged)
        let school = try #require(part.areas.first { $0.side == .school && $0.code == "0603" })
        #expect(school.before == .zero && school.after == school.change)
        // Home gemeente Delft: before counts the Delft file's Delft homes, after adds those at Rijswijk's schools.
        let home = try #require(part.areas.first { $0.side == .home && $0.code == "0503" })
        #expect(home.before.min > 0 && home.after.min == home.before.min + home.change.min)
    }

    @Test("a refused ingest records no change")
    func refused() throws {
        let ws = try Workspace()
        try ws.write("old/two.csv", poFile(delftRows + [PoRow(gemeente: "0603", gemeenteName: "Rijswijk", school: "02AB")]), folders: true)
        _ = try ws.ingest(["old/two.csv"])
        try ws.write("new/delft.csv", poFile(delftRows.map { var r = $0; r.cells = ["6": "9"]; return r }), folders: true)
        #expect(throws: IngestFailure.self) { try ws.ingest(["new/delft.csv"]) }
        #expect(try ws.int("SELECT count(*) FROM change_part") == 1)
        #expect(try ws.int("SELECT count(*) FROM change_row") == 0)
    }

    @Test("the manifest lists every file ever ingested, replaced ones with what replaced them")
    func manifest() throws {
        let ws = try Workspace()
        try ws.write("a/d.csv", poFile(delftRows), folders: true)
        try ws.write("b/d.csv", poFile(delftRows.map { var r = $0; r.cells = ["6": "9"]; return r }), folders: true)
        _ = try ws.ingest(["a/d.csv"])
        _ = try ws.ingest(["b/d.csv"])
        _ = try ws.ingest(["a/d.csv"])
        let entries = try SourceManifest.read(ws.db).entries
        let a = try ws.hashes().first!, shas = entries.map(\.sha256)
        #expect(entries.count == 3)
        #expect(entries.map(\.replacedRun) == [2, 3, nil])
        #expect(entries[0].sha256 == a && entries[2].sha256 == a && shas[1] != a)
        #expect(entries[0].replacedBy.map(\.sha256) == [shas[1]] && entries[1].replacedBy.map(\.sha256) == [a])
        #expect(entries.allSatisfy { $0.dataset == "po_postcode" && $0.layout == "po03-2024" && $0.peildatum == "2024-10-01" && $0.rows == 3 })
    }
}

extension Workspace {
    /// Writes an input file in a subfolder of the input folder (`a/x.csv`, `b/x.csv`: two versions, one name).
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8], folders: Bool) throws -> String {
        try FileManager.default.createDirectory(atPath: (dir + "/in/" + name as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        return try write(name, bytes)
    }
}
