import Foundation
import Testing
import GrensCore
@testable import GrensPipeline
import SQLiteWrap

@Suite("Ingest")
struct IngestTests {
    @Test("a new file is added with full provenance on every row")
    func provenance() throws {
        let ws = try Workspace()
        let bytes = poFile(delftRows)
        try ws.write("Delft.csv", bytes)
        let report = try ws.ingest(["Delft.csv"])
        #expect(report.files.count == 1)
        let line = try #require(report.files.first)
        #expect(line.outcome == .added(rows: 3))
        #expect(line.dataset == .poPostcode)
        #expect(line.layout == "po03-2024")
        #expect(line.encoding == .utf8BOM)
        #expect(line.peildatum == Peildatum(iso: "2024-10-01"))
        #expect(report.rowsAdded == 3)

        let files = try ws.db.rows("SELECT id, sha256, name, bytes, dataset, layout, encoding, peildatum, rows, synthetic FROM source_file")
        #expect(files.count == 1)
        let f = try #require(files.first)
        #expect(f[1].text == sha256Hex(bytes))
        #expect(f[2].text == "Delft.csv")
        #expect(f[3].int == bytes.count)
        #expect(f[4].text == "po_postcode")
        #expect(f[5].text == "po03-2024")
        #expect(f[6].text == "UTF-8 met BOM")
        #expect(f[7].text == "2024-10-01")
        #expect(f[8].int == 3)
        #expect(f[9].int == 0)
        #expect(try ws.db.rows("SELECT file_id, school_gemeente FROM source_file_scope").map(\.values) == [[f[0], .text("0503")]])

        let rows = try ws.db.rows("SELECT file_id, line, school_gemeente, school_id, home_pc4, home_name, cells, masked_bits, n_exact, n_masked, n_min, n_max FROM raw_count ORDER BY line")
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { $0[0] == f[0] })
        #expect(rows.map { $0[1].int } == [2, 3, 4])
        #expect(rows.map { $0[3].text } == ["00PZ00", "00PZ00", "00PZ01"])
        #expect(rows[0][6].text == "0;0;2;<5" + String(repeating: ";0", count: 19))
        #expect(rows.map { $0[7].int } == [1 << 3, 1 << 4, 0])
        #expect(rows.map { [$0[8].int, $0[9].int, $0[10].int, $0[11].int] } == [[2, 1, 3, 6], [0, 1, 1, 4], [12, 0, 12, 12]])
        #expect(try ws.int("SELECT count(*) FROM raw_count r LEFT JOIN source_file f ON f.id = r.file_id WHERE f.id IS NULL") == 0)

        // Homes resolved by name against the reference data.
        let homes = try ws.db.rows("SELECT home_name, home_code, method FROM stg_home ORDER BY home_name")
        #expect(homes.map { $0.map { $0.text } } == [["'s-Gravenhage", "0518", "name"], ["Delft", "0503", "name"], ["Rijswijk", "0603", "name"]])
        #expect(report.unresolvedHomes.isEmpty)

        let run = try ws.db.rows("SELECT files_seen, files_added, files_replaced, files_unchanged, files_empty, rows_added FROM ingest_run")
        #expect(run.map { $0.map(\.int) } == [[1, 1, 0, 0, 0, 3]])
        #expect(try ws.texts("SELECT level FROM ingest_log") == ["info"])

        let status = try StoreStatus.read(ws.db)
        #expect(status.parts.count == 1)
        #expect(status.parts[0].pupils == Bounds(min: 16, max: 22))
        #expect(status.parts[0].maskedCells == 2)
        #expect(status.parts[0].rows == 3)
        #expect(status.runs == 1)
    }

    @Test("the same file twice: the second run reports .unchanged and writes no rows")
    func idempotent() throws {
        let ws = try Workspace()
        try ws.write("Delft.csv", poFile(delftRows))
        _ = try ws.ingest(["Delft.csv"])
        let before = try ws.counts()
        let hashes = try ws.hashes()
        let again = try ws.ingest(["Delft.csv"])
        #expect(again.files.map(\.outcome) == [.unchanged])
        #expect(again.rowsAdded == 0)
        let after = try ws.counts()
        #expect(after["raw_count"] == 3)
        #expect(after["source_file"] == 1)
        #expect(after["raw_count"] == before["raw_count"])
        #expect(after["stg_home"] == before["stg_home"])
        #expect(try ws.hashes() == hashes)
        // The run itself is logged.
        #expect(after["ingest_run"] == 2)
        #expect(try ws.texts("SELECT level FROM ingest_log WHERE run_id = 2") == ["ongewijzigd"])
    }

    @Test("the same bytes under another name are recognized as the same file")
    func sameBytesOtherName() throws {
        let ws = try Workspace()
        try ws.write("Delft.csv", poFile(delftRows))
        try ws.write("Delft (kopie).csv", poFile(delftRows))
        _ = try ws.ingest(["Delft.csv"])
        let report = try ws.ingest(["Delft (kopie).csv"])
        #expect(report.files.map(\.outcome) == [.unchanged])
        #expect(try ws.texts("SELECT name FROM source_file") == ["Delft.csv"])
    }

    @Test("a corrected file (same dataset, peildatum, school gemeente) replaces the old one in one run")
    func replacement() throws {
        let ws = try Workspace()
        try ws.write("Delft v1.csv", poFile(delftRows))
        var corrected = Array(delftRows.prefix(2))
        corrected[1].cells = ["7": "5"]
        try ws.write("Delft v2.csv", poFile(corrected))
        _ = try ws.ingest(["Delft v1.csv"])

        let report = try ws.ingest(["Delft v2.csv"])
        #expect(report.files.map(\.outcome) == [.replaced(rows: 2, previous: ["Delft v1.csv"])])
        #expect(try ws.texts("SELECT name FROM source_file") == ["Delft v2.csv"])
        #expect(try ws.int("SELECT count(*) FROM raw_count") == 2)
        #expect(try ws.int("SELECT count(*) FROM raw_count WHERE file_id = (SELECT id FROM source_file)") == 2)
        // The old rows are gone: no line 4, no Sbo row, no home 2495.
        #expect(try ws.texts("SELECT line FROM raw_count ORDER BY line").count == 2)
        #expect(try ws.int("SELECT count(*) FROM raw_count WHERE line = 4 OR soort = 'Sbo' OR home_pc4 = '2495'") == 0)
        #expect(try ws.int("SELECT n_exact FROM raw_count WHERE line = 3") == 5)
        #expect(try ws.texts("SELECT level FROM ingest_log WHERE run_id = 2") == ["vervangen"])
        #expect(try ws.int("SELECT files_replaced FROM ingest_run WHERE id = 2") == 1)
        #expect(try ws.int("SELECT count(*) FROM stg_home") == 2)
    }

    @Test("a flow row without its stg_home row fails the ingest, naming file and line; nothing is written")
    func everyFlowRowStaged() throws {
        let ws = try Workspace()
        try ws.write("Delft.csv", poFile(delftRows))
        // Staging that loses a home, whatever the cause: the check at the end of the ingest must catch it.
        try ws.db.execute("""
            CREATE TEMP TRIGGER lose_home AFTER INSERT ON main.stg_home WHEN NEW.home_name = 'Rijswijk'
            BEGIN DELETE FROM stg_home WHERE home_name = 'Rijswijk'; END
            """)
        let before = try ws.snapshot()
        let error = try #require(throws: StoreError.self) { try ws.ingest(["Delft.csv"]) }
        #expect(error.description.contains("regels zonder woonlocatie in stg_home (Delft.csv regel 3)"), "\(error)")
        #expect(error.description.contains("de database is niet gewijzigd"))
        #expect(try ws.snapshot() == before)
        try ws.db.execute("DROP TRIGGER lose_home")
        #expect(try ws.ingest(["Delft.csv"]).rowsAdded == 3)
    }

    @Test("a file covering more school gemeenten replaces the narrower files it contains")
    func widerReplacesNarrower() throws {
        let ws = try Workspace()
        try ws.write("Delft.csv", poFile(delftRows))
        try ws.write("Rijswijk.csv", poFile([PoRow(gemeente: "0603", gemeenteName: "Rijswijk", pc4: "2285", home: "Rijswijk", school: "27RW")]))
        try ws.write("Landelijk.csv", poFile(delftRows + [PoRow(gemeente: "0603", gemeenteName: "Rijswijk", pc4: "2286", home: "Rijswijk", school: "27RW"),
                                                         PoRow(gemeente: "0518", gemeenteName: "'s-Gravenhage", pc4: "2511", home: "'s-Gravenhage", school: "12AB")]))
        _ = try ws.ingest(["Delft.csv", "Rijswijk.csv"])
        let report = try ws.ingest(["Landelijk.csv"])
        #expect(report.files.map(\.outcome) == [.replaced(rows: 5, previous: ["Delft.csv", "Rijswijk.csv"])])
        #expect(try ws.scopes() == ["0503,0518,0603"])
        #expect(try ws.int("SELECT count(*) FROM raw_count") == 5)
    }

    @Test("a file that covers only part of an earlier file is refused without --vervang, naming what would vanish")
    func partialOverlap() throws {
        let ws = try Workspace()
        let twoGemeenten = delftRows + [PoRow(gemeente: "0603", gemeenteName: "Rijswijk", pc4: "2285", home: "Rijswijk", school: "27RW")]
        let wide = poFile(twoGemeenten)
        try ws.write("Delft en Rijswijk.csv", wide)
        try ws.write("Delft.csv", poFile(Array(delftRows.prefix(2))))
        _ = try ws.ingest(["Delft en Rijswijk.csv"])
        let before = try ws.snapshot()
        let failure = try #require(throws: IngestFailure.self) { try ws.ingest(["Delft.csv"]) }
        #expect(failure.errors.count == 1)
        let e = try #require(failure.errors.first)
        #expect(e.file == "Delft.csv")
        #expect(e.line == nil)
        #expect(e.message.contains("overlapt gedeeltelijk met het eerder ingelezen Delft en Rijswijk.csv (sha256 \(sha256Hex(wide).prefix(12))…, schoolgemeenten 0503, 0603)"))
        #expect(e.message.contains("schoolgemeente 0603 ontbreekt in de bestanden van deze ronde"))
        #expect(e.message.contains("--vervang"))
        #expect(e.message.contains("verdwijnen de gegevens van schoolgemeente 0603"))
        #expect(failure.description.contains("de database is niet gewijzigd"))
        #expect(try ws.snapshot() == before)

        // With the switch the earlier file goes, and the report says which school gemeente lost its data.
        let report = try ws.ingest(["Delft.csv"], replacePartial: true)
        #expect(report.files.map(\.outcome) == [.replaced(rows: 2, previous: ["Delft en Rijswijk.csv"])])
        #expect(report.replacedFiles == [ReplacedFile(name: "Delft en Rijswijk.csv", sha256: sha256Hex(wide), dataset: .poPostcode,
                                                      peildatum: Peildatum(iso: "2024-10-01")!, scope: ["0503", "0603"], rows: 4,
                                                      replacedBy: ["Delft.csv"], lostScope: ["0603"])])
        #expect(report.replacedFiles[0].summary.contains("schoolgemeente 0603 heeft nu geen gegevens"))
        #expect(try ws.texts("SELECT name FROM source_file") == ["Delft.csv"])
        #expect(try ws.int("SELECT count(*) FROM raw_count WHERE school_gemeente = '0603'") == 0)
        #expect(try ws.db.rows("SELECT name, replaced_run, lost_scope FROM source_file_history").map { $0.map { $0.text ?? String($0.int!) } }
                == [["Delft en Rijswijk.csv", "2", "0603"]])
    }

    @Test("files of one run together replace a stored file they cover between them, without --vervang")
    func unionOfRunReplaces() throws {
        let ws = try Workspace()
        let rijswijk = PoRow(gemeente: "0603", gemeenteName: "Rijswijk", pc4: "2285", home: "Rijswijk", school: "27RW")
        let denHaag = PoRow(gemeente: "0518", gemeenteName: "'s-Gravenhage", pc4: "2511", home: "'s-Gravenhage", school: "12AB")
        try ws.write("Landelijk.csv", poFile(delftRows + [rijswijk, denHaag]))
        try ws.write("Delft.csv", poFile(delftRows))
        try ws.write("Rijswijk.csv", poFile([rijswijk]))
        try ws.write("s-Gravenhage.csv", poFile([denHaag]))
        _ = try ws.ingest(["Landelijk.csv"])
        let report = try ws.ingest(["Delft.csv", "Rijswijk.csv", "s-Gravenhage.csv"])
        #expect(report.files.map(\.outcome) == [.replaced(rows: 3, previous: ["Landelijk.csv"]), .replaced(rows: 1, previous: ["Landelijk.csv"]),
                                                .replaced(rows: 1, previous: ["Landelijk.csv"])])
        #expect(report.replacedFiles.map(\.replacedBy) == [["Delft.csv", "Rijswijk.csv", "s-Gravenhage.csv"]])
        #expect(report.replacedFiles.map(\.lostScope) == [[]])
        #expect(try ws.scopes() == ["0503", "0518", "0603"])
    }

    @Test("every replacement can be undone by ingesting the earlier files again: the store's data is as before")
    func replacementReversible() throws {
        let ws = try Workspace()
        let rijswijk = PoRow(gemeente: "0603", gemeenteName: "Rijswijk", pc4: "2285", home: "Rijswijk", school: "27RW")
        let landelijk = poFile(delftRows + [PoRow(gemeente: "0603", gemeenteName: "Rijswijk", pc4: "2286", home: "Rijswijk", school: "27RW"),
                                            PoRow(gemeente: "0518", gemeenteName: "'s-Gravenhage", pc4: "2511", home: "'s-Gravenhage", school: "12AB")])
        try ws.write("Delft.csv", poFile(delftRows))
        try ws.write("Rijswijk.csv", poFile([rijswijk]))
        try ws.write("Landelijk.csv", landelijk)
        _ = try ws.ingest(["Delft.csv", "Rijswijk.csv"])
        let narrow = try ws.dataDump()

        // One extra school gemeente (0518): the wider file replaces both, and the report lists both.
        let wider = try ws.ingest(["Landelijk.csv"])
        #expect(wider.replacedFiles.map(\.name) == ["Delft.csv", "Rijswijk.csv"])
        #expect(wider.replacedFiles.map { $0.sha256.prefix(12) } == [sha256Hex(poFile(delftRows)).prefix(12), sha256Hex(poFile([rijswijk])).prefix(12)])
        #expect(wider.replacedFiles.map(\.scope) == [["0503"], ["0603"]])
        #expect(wider.replacedFiles.allSatisfy { $0.lostScope.isEmpty && $0.replacedBy == ["Landelijk.csv"] })
        let wide = try ws.dataDump()
        #expect(wide != narrow)

        // Back: the originals are no longer a "partial overlap" dead end. Without the switch the refusal says what
        // would vanish; with it the store holds exactly what it held before.
        let failure = try #require(throws: IngestFailure.self) { try ws.ingest(["Delft.csv", "Rijswijk.csv"]) }
        #expect(failure.errors.map(\.file) == ["Delft.csv"])
        #expect(failure.errors[0].message.contains("verdwijnen de gegevens van schoolgemeente 0518"))
        #expect(try ws.dataDump() == wide)
        let back = try ws.ingest(["Delft.csv", "Rijswijk.csv"], replacePartial: true)
        #expect(back.replacedFiles.map(\.name) == ["Landelijk.csv"])
        #expect(back.replacedFiles.map(\.lostScope) == [["0518"]])
        #expect(try ws.dataDump() == narrow)

        // And forward again.
        _ = try ws.ingest(["Landelijk.csv"])
        #expect(try ws.dataDump() == wide)

        // Nothing is forgotten: every file that went out is in the history, with the run and the files that replaced it.
        let history = try ws.db.rows("SELECT name, rows, scope, replaced_run, replaced_by, lost_scope FROM source_file_history ORDER BY replaced_run, name")
        let landelijkHash = sha256Hex(landelijk)
        let pair = [sha256Hex(poFile(delftRows)), sha256Hex(poFile([rijswijk]))].joined(separator: ",")
        #expect(history.map { $0.map { $0.text ?? String($0.int!) } } == [
            ["Delft.csv", "3", "0503", "2", landelijkHash, ""],
            ["Rijswijk.csv", "1", "0603", "2", landelijkHash, ""],
            // Run 3 was refused and wrote nothing, not even its run: the --vervang run is run 3.
            ["Landelijk.csv", "5", "0503,0518,0603", "3", pair, "0518"],
            ["Delft.csv", "3", "0503", "4", landelijkHash, ""],
            ["Rijswijk.csv", "1", "0603", "4", landelijkHash, ""],
        ])
        #expect(try ws.int("SELECT count(*) FROM source_file_history h JOIN ingest_run r ON r.id = h.run_id") == 5)
    }

    @Test("a corrected file and back: ingesting the first version again restores its data")
    func correctionReversible() throws {
        let ws = try Workspace()
        try ws.write("Delft v1.csv", poFile(delftRows))
        var corrected = delftRows
        corrected[0].cells = ["5": "3"]
        try ws.write("Delft v2.csv", poFile(corrected))
        _ = try ws.ingest(["Delft v1.csv"])
        let first = try ws.dataDump()
        _ = try ws.ingest(["Delft v2.csv"])
        #expect(try ws.dataDump() != first)
        let report = try ws.ingest(["Delft v1.csv"])
        #expect(report.files.map(\.outcome) == [.replaced(rows: 3, previous: ["Delft v2.csv"])])
        #expect(try ws.dataDump() == first)
        #expect(try ws.texts("SELECT name FROM source_file_history ORDER BY replaced_run") == ["Delft v1.csv", "Delft v2.csv"])
    }

    @Test("--vervang does not weaken atomicity: with a parse error elsewhere nothing is written")
    func replacePartialStillAtomic() throws {
        let ws = try Workspace()
        try ws.write("Delft en Rijswijk.csv", poFile(delftRows + [PoRow(gemeente: "0603", gemeenteName: "Rijswijk", pc4: "2285", home: "Rijswijk", school: "27RW")]))
        _ = try ws.ingest(["Delft en Rijswijk.csv"])
        let before = try ws.snapshot()
        try ws.write("Delft.csv", poFile(delftRows))
        try ws.write("kapot.csv", poFile([PoRow(gemeente: "0518", gemeenteName: "'s-Gravenhage", pc4: "2511", home: "'s-Gravenhage", school: "12AB", cells: ["9": "x"])]))
        let failure = try #require(throws: IngestFailure.self) { try ws.ingest(["Delft.csv", "kapot.csv"], replacePartial: true) }
        #expect(failure.errors.map(\.file) == ["kapot.csv"])
        #expect(try ws.snapshot() == before)
    }

    @Test("two files with the same rows in one run are refused, and nothing is written")
    func overlapWithinRun() throws {
        let ws = try Workspace()
        try ws.write("a.csv", poFile(delftRows))
        try ws.write("b.csv", poFile(Array(delftRows.prefix(1))))
        let failure = try #require(throws: IngestFailure.self) { try ws.ingest(["a.csv", "b.csv"]) }
        #expect(failure.errors.count == 1)
        let e = try #require(failure.errors.first)
        #expect(e.file == "b.csv")
        #expect(e.message.contains("schoolgemeente 0503) als a.csv"))
        #expect(try ws.counts().values.reduce(0, +) == 1)   // only meta's schema_version
    }

    @Test("an empty file is a warning (.empty), not an error; the other files are read")
    func emptyFile() throws {
        let ws = try Workspace()
        try ws.write("Ridderkerk.csv", [])
        try ws.write("Delft.csv", poFile(delftRows))
        let report = try ws.ingest(["Delft.csv", "Ridderkerk.csv"])
        #expect(report.files.count == 2)
        let outcomes = Dictionary(uniqueKeysWithValues: report.files.map { ($0.name, $0.outcome) })
        #expect(outcomes == ["Delft.csv": .added(rows: 3), "Ridderkerk.csv": .empty])
        #expect(report.files.first { $0.name == "Ridderkerk.csv" }?.dataset == nil)
        #expect(try ws.db.rows("SELECT level, file FROM ingest_log ORDER BY seq").map { $0.map(\.text) } == [["info", "Delft.csv"], ["waarschuwing", "Ridderkerk.csv"]])
        #expect(try ws.int("SELECT files_empty FROM ingest_run") == 1)
        #expect(try ws.int("SELECT files_seen FROM ingest_run") == 2)
        #expect(try ws.int("SELECT count(*) FROM source_file") == 1)
    }

    @Test("an unknown home gemeente name is listed in unresolvedHomes and its rows are kept")
    func unresolvedHome() throws {
        let ws = try Workspace()
        try ws.write("Delft.csv", poFile(delftRows + [PoRow(pc4: "9999", home: "Atlantis", cells: ["8": "<5"]),
                                                      PoRow(pc4: "10", home: "Belgie", cells: ["8": "1"])]))
        let report = try ws.ingest(["Delft.csv"])
        #expect(report.unresolvedHomes.map(describe) == ["2024-10-01|Atlantis|[\"9999\"]|1"])
        #expect(report.pseudoHomes == ["P10": 1])
        #expect(try ws.int("SELECT count(*) FROM raw_count WHERE home_name = 'Atlantis'") == 1)
        #expect(try ws.int("SELECT count(*) FROM raw_count") == 5)
        #expect(try ws.texts("SELECT method FROM stg_home WHERE home_name = 'Atlantis'") == ["unresolved"])
        #expect(try ws.db.rows("SELECT home_code FROM stg_home WHERE home_name = 'Atlantis'").map(\.values) == [[.null]])
        #expect(try StoreStatus.read(ws.db).unresolvedHomes == 1)
    }

    @Test("a store built run by run stages its homes as one built in a single run; a changed reference resolves kept peildata again")
    func incrementalStaging() throws {
        var later = delftRows.map { row -> PoRow in var r = row; r.peildatum = "20231001"; return r }
        later.append(PoRow(pc4: "9999", home: "Atlantis", peildatum: "20231001", cells: ["8": "3"]))
        let stepwise = try Workspace(), once = try Workspace()
        for ws in [stepwise, once] {
            try ws.write("Delft 2024.csv", poFile(delftRows))
            try ws.write("Delft 2023.csv", poFile(later))
        }
        _ = try stepwise.ingest(["Delft 2024.csv"])
        _ = try stepwise.ingest(["Delft 2023.csv"])
        _ = try stepwise.ingest(["Delft 2024.csv", "Delft 2023.csv"])
        _ = try once.ingest(["Delft 2024.csv", "Delft 2023.csv"])
        let homes = "SELECT peildatum || '|' || home_pc4 || '|' || home_name || '|' || quote(home_code) || '|' || method || '|' || rows FROM stg_home ORDER BY 1"
        #expect(try stepwise.texts(homes) == once.texts(homes))
        #expect(try stepwise.texts(homes).count == 7)
        #expect(try stepwise.texts("SELECT method FROM stg_home WHERE home_name = 'Atlantis'") == ["unresolved"])

        // The same files again with an alias for Atlantis: nothing to parse or regroup, but the kept home resolves.
        let folder = stepwise.dir + "/reference"
        try FileManager.default.copyItem(atPath: repoRoot + "/data/reference", toPath: folder)
        let aliases = try String(contentsOfFile: folder + "/gemeente_aliases.csv", encoding: .utf8)
        try (aliases + "Atlantis;0503;;;test\n").write(toFile: folder + "/gemeente_aliases.csv", atomically: true, encoding: .utf8)
        let report = try Ingest.run(files: try stepwise.inputs(["Delft 2024.csv", "Delft 2023.csv"]), db: stepwise.db,
                                    reference: try Reference.load(folder: folder))
        #expect(report.files.map(\.outcome) == [.unchanged, .unchanged])
        #expect(report.unresolvedHomes.isEmpty)
        #expect(try stepwise.db.rows("SELECT home_code, method, rows FROM stg_home WHERE home_name = 'Atlantis'").map(\.values)
                == [[.text("0503"), .text("name"), .int(1)]])
        #expect(try stepwise.int("SELECT sum(rows) FROM stg_home") == 7)
    }

    @Test("a school gemeente that does not exist on the peildatum is reported")
    func unknownSchoolGemeente() throws {
        let ws = try Workspace()
        try ws.write("Aalburg.csv", poFile([PoRow(gemeente: "0738", gemeenteName: "Aalburg", pc4: "4261", home: "Altena")]))
        let report = try ws.ingest(["Aalburg.csv"])
        #expect(report.unknownSchoolGemeenten == ["0738 (peildatum 2024-10-01)"])
    }

    @Test("atomicity: one good and one bad file leave the store exactly as it was")
    func atomicParseFailure() throws {
        let ws = try Workspace()
        try ws.write("Delft.csv", poFile(delftRows))
        _ = try ws.ingest(["Delft.csv"])
        let before = try ws.snapshot(), counts = try ws.counts(), hashes = try ws.hashes()

        try ws.write("Rijswijk.csv", poFile([PoRow(gemeente: "0603", gemeenteName: "Rijswijk", pc4: "2285", home: "Rijswijk", school: "27RW")]))
        var bad = poFile([PoRow(gemeente: "0518", gemeenteName: "'s-Gravenhage", pc4: "2511", home: "'s-Gravenhage", school: "12AB"),
                          PoRow(gemeente: "0518", gemeenteName: "'s-Gravenhage", pc4: "2512", home: "'s-Gravenhage", school: "12AB", cells: ["9": "x"])])
        bad.append(contentsOf: Array("\n".utf8))
        try ws.write("s-Gravenhage.csv", bad)
        let failure = try #require(throws: IngestFailure.self) { try ws.ingest(["Rijswijk.csv", "s-Gravenhage.csv"]) }
        #expect(failure.errors.count == 1)
        let e = try #require(failure.errors.first)
        #expect(e.file == "s-Gravenhage.csv")
        #expect(e.line == 3)
        #expect(e.column == "LEEFTIJD_9")
        #expect(e.message.contains("'x' is geen aantal"))

        #expect(try ws.counts() == counts)
        #expect(try ws.hashes() == hashes)
        #expect(try ws.snapshot() == before)
    }

    @Test("atomicity: a refusal found while writing rolls back files already written in that run")
    func atomicRollback() throws {
        let ws = try Workspace()
        try ws.write("Delft en Rijswijk.csv", poFile(delftRows + [PoRow(gemeente: "0603", gemeenteName: "Rijswijk", pc4: "2285", home: "Rijswijk", school: "27RW")]))
        _ = try ws.ingest(["Delft en Rijswijk.csv"])
        let before = try ws.snapshot()
        // a.csv is new and valid (written first), z.csv overlaps the stored file only in part.
        try ws.write("a.csv", poFile([PoRow(gemeente: "0599", gemeenteName: "Rotterdam", pc4: "3011", home: "Rotterdam")]))
        try ws.write("z.csv", poFile(Array(delftRows.prefix(1))))
        let failure = try #require(throws: IngestFailure.self) { try ws.ingest(["a.csv", "z.csv"]) }
        #expect(failure.errors.map(\.file) == ["z.csv"])
        #expect(try ws.snapshot() == before)
        #expect(try ws.int("SELECT count(*) FROM raw_count WHERE school_gemeente = '0599'") == 0)
    }

    @Test("files are read when the ingest gets to them: one that went after it was found is refused by name, nothing written")
    func readWhenIngested() throws {
        let ws = try Workspace()
        let delft = poFile(delftRows), rijswijk = poFile([PoRow(gemeente: "0603", gemeenteName: "Rijswijk", pc4: "2285", home: "Rijswijk", school: "27RW")])
        try ws.write("Delft.csv", delft)
        try ws.write("Rijswijk.csv", rijswijk)
        let files = try ws.inputs(["Delft.csv", "Rijswijk.csv"])
        #expect(files.map(\.size) == [delft.count, rijswijk.count])
        try FileManager.default.removeItem(atPath: ws.dir + "/in/Rijswijk.csv")
        let failure = try #require(throws: IngestFailure.self) { try Ingest.run(files: files, db: ws.db, reference: try loadReference()) }
        #expect(failure.errors.count == 1 && failure.errors[0].file.hasSuffix("/in/Rijswijk.csv"))
        #expect(failure.errors[0].message.contains("kan niet worden geopend"))
        #expect(try ws.int("SELECT count(*) FROM source_file") == 0 && ws.int("SELECT count(*) FROM ingest_run") == 0)
    }

    @Test("every parse error of a run is reported, not only the first")
    func allErrors() throws {
        let ws = try Workspace()
        try ws.write("a.csv", Array("NAAM;ADRES\nx;y\n".utf8))
        try ws.write("b.csv", [0xFF, 0xFE, 0x41, 0x00])
        try ws.write("c.csv", poFile(delftRows))
        let failure = try #require(throws: IngestFailure.self) { try ws.ingest(["a.csv", "b.csv", "c.csv"]) }
        #expect(failure.errors.map(\.file) == ["a.csv", "b.csv"])
        #expect(failure.description.contains("2 fouten"))
        #expect(try ws.int("SELECT count(*) FROM source_file") == 0)
        #expect(try ws.int("SELECT count(*) FROM ingest_run") == 0)
    }

    @Test("a vo file without PEILDATUM is read with the given peildatum; its home codes resolve by code")
    func voWithGivenPeildatum() throws {
        let ws = try Workspace()
        let header = "BRIN NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM VESTIGING;GEMEENTENUMMER;GEMEENTENAAM;POSTCODE LEERLING;PLAATSNAAM LEERLING;GEMEENTENUMMER LEERLING;GEMEENTENAAM LEERLING;LEER- OF VERBLIJFSJAAR 1;LEER- OF VERBLIJFSJAAR 2;LEER- OF VERBLIJFSJAAR 3;LEER- OF VERBLIJFSJAAR 4;LEER- OF VERBLIJFSJAAR 5;LEER- OF VERBLIJFSJAAR 6\r\n"
        let body = "02DZ;00;Stanislascollege;503;Delft;2612;DELFT;503;Delft;120;98;0;0;0;0\r\n02DZ;00;Stanislascollege;503;Delft;2285;RIJSWIJK;603;Ryswyk;1;0;2;0;0;3\r\n"
        try ws.write("vo.csv", Array((header + body).utf8))
        #expect(throws: IngestFailure.self) { try ws.ingest(["vo.csv"]) }
        let report = try ws.ingest(["vo.csv"], peildatum: Peildatum(iso: "2019-10-01"))
        #expect(report.files.map(\.outcome) == [.added(rows: 2)])
        #expect(try ws.texts("SELECT peildatum FROM source_file") == ["2019-10-01"])
        let homes = try ws.db.rows("SELECT home_code_given, home_code, method FROM stg_home ORDER BY home_code_given")
        #expect(homes.map { $0.map(\.text) } == [["0503", "0503", "code"], ["0603", "0603", "code"]])
        #expect(report.unresolvedHomes.isEmpty)
    }

    @Test("synthetic and real files never share a store")
    func syntheticSeparated() throws {
        let ws = try Workspace()
        try ws.write("Delft.csv", poFile(delftRows))
        _ = try ws.ingest(["Delft.csv"])
        let folder = ws.dir + "/synth"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: folder + "/" + InputFiles.syntheticMarker, contents: Data()))
        #expect(FileManager.default.createFile(atPath: folder + "/Rijswijk.csv",
                                               contents: Data(poFile([PoRow(gemeente: "0603", gemeenteName: "Rijswijk", pc4: "2285", home: "Rijswijk", school: "27RW")]))))
        let files = try InputFiles.collect([folder])
        #expect(files.map(\.synthetic) == [true])
        let failure = try #require(throws: IngestFailure.self) {
            try Ingest.run(files: files, db: ws.db, reference: try loadReference())
        }
        #expect(failure.errors.first?.message.contains("synthetische gegevens") == true)
        #expect(try ws.int("SELECT count(*) FROM source_file") == 1)
    }
}

@Suite("Store and InputFiles")
struct StoreAndInputTests {
    @Test("a store of another schema version is refused; one of an earlier version is told to make a new database")
    func schemaVersion() throws {
        let ws = try Workspace()
        try ws.db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
        let error = try #require(throws: StoreError.self) { try Store.open(path: ws.dir + "/store.sqlite") }
        #expect(error.description.contains("schemaversie 0"))
        for version in 1..<Schema.version {
            try ws.db.execute("UPDATE meta SET value = '\(version)' WHERE key = 'schema_version'")
            let old = try #require(throws: StoreError.self) { try Store.open(path: ws.dir + "/store.sqlite", access: .read) }
            #expect(old.description.contains("eerdere versie van grensverkeer (schemaversie \(version)"), "\(old)")
            #expect(old.description.contains("maak een nieuwe database"), "\(old)")
        }
        // A fresh open of a good store is fine and keeps the data.
        try ws.db.execute("UPDATE meta SET value = '\(Schema.version)' WHERE key = 'schema_version'")
        _ = try Store.open(path: ws.dir + "/store.sqlite")
    }

    @Test("a store whose tables have other constraints (another closed set of soorten) is refused, and left as it was")
    func otherConstraints() throws {
        let ws = try Workspace()
        let path = ws.dir + "/other.sqlite"
        let narrower = Schema.create.replacingOccurrences(of: "soort = 'Vso' OR ", with: "")
        #expect(narrower != Schema.create)
        do {
            let db = try Database(path: path, create: true)
            try db.execute(narrower + "INSERT INTO meta VALUES ('schema_version', '\(Schema.version)'); PRAGMA user_version = \(Schema.version);")
        }
        let before = FileManager.default.contents(atPath: path)
        for access in [Store.Access.read, .write] {
            let error = try #require(throws: StoreError.self) { try Store.open(path: path, access: access) }
            #expect(error.description.contains("andere regels voor de gegevens") && error.description.contains("raw_count"), "\(error)")
        }
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test("the CHECK constraints hold exactly the Swift closed sets: one value outside each is refused by SQLite")
    func closedSets() throws {
        let ws = try Workspace()
        try ws.write("Delft.csv", poFile(delftRows))
        _ = try ws.ingest(["Delft.csv"])
        let sql = try #require(Store.expected["raw_count"]?.sql)
        for soort in Soort.allCases { #expect(sql.contains("'\(soort.rawValue)'")) }
        let refused = [
            "UPDATE raw_count SET soort = 'Mbo'", "UPDATE source_file SET dataset = 'mbo_postcode'", "UPDATE source_file SET layout = 'po03-2030'",
            "UPDATE source_file SET encoding = 'UTF-16'", "UPDATE stg_home SET method = 'gok'", "UPDATE ingest_log SET level = 'fout'",
        ]
        for statement in refused {
            let error = try #require(throws: SQLiteError.self, "\(statement)") { try ws.db.execute(statement) }
            #expect(error.message.contains("CHECK constraint failed"), "\(statement): \(error)")
        }
        // Every value of the Swift sets is accepted.
        for soort in Soort.allCases { try ws.db.execute("UPDATE raw_count SET soort = '\(soort.rawValue)'") }
        for dataset in Dataset.allCases { try ws.db.execute("UPDATE source_file SET dataset = '\(dataset.rawValue)'") }
        for layout in knownLayouts { try ws.db.execute("UPDATE source_file SET layout = '\(layout.id)'") }
        for encoding in TextEncoding.allCases { try ws.db.execute("UPDATE source_file SET encoding = '\(encoding.rawValue)'") }
        for method in ResolutionMethod.allCases { try ws.db.execute("UPDATE stg_home SET method = '\(method.rawValue)'") }
        for level in IngestLogLevel.allCases { try ws.db.execute("UPDATE ingest_log SET level = '\(level.rawValue)'") }
    }

    @Test("folders give their *.csv files sorted by name, skipping hidden files and subfolders")
    func collect() throws {
        let ws = try Workspace()
        for name in ["b.csv", "A.CSV", "a.csv", ".hidden.csv", "notes.txt"] { try ws.write(name, Array(name.utf8)) }
        try FileManager.default.createDirectory(atPath: ws.dir + "/in/sub.csv", withIntermediateDirectories: true)
        let files = try InputFiles.collect([ws.dir + "/in"])
        #expect(files.map(\.name) == ["A.CSV", "a.csv", "b.csv"])
        #expect(try files.map { String(decoding: try $0.read(), as: UTF8.self) } == ["A.CSV", "a.csv", "b.csv"])
        #expect(files.map(\.size) == [5, 5, 5])
        #expect(files.allSatisfy { !$0.synthetic })
        // A file given explicitly is read whatever its extension.
        #expect(try InputFiles.collect([ws.dir + "/in/notes.txt"]).map(\.name) == ["notes.txt"])
    }

    @Test("a missing path is an error naming it")
    func missingPath() throws {
        let error = try #require(throws: InputError.self) { try InputFiles.collect(["/nonexistent/grens/x.csv"]) }
        #expect(error.file == "/nonexistent/grens/x.csv")
        #expect(error.message.contains("bestaat niet"))
    }

    @Test("the shipped reference data loads, with the gemeente counts its README states per peildatum")
    func shippedReference() throws {
        let ref = try loadReference()
        #expect(ref.gemeenten.count == 414)
        for (date, count) in [("2015-10-01", 393), ("2016-10-01", 390), ("2017-10-01", 388), ("2024-10-01", 342)] {
            let day = try #require(Peildatum(iso: date))
            #expect(ref.gemeenten.values.filter { $0.exists(on: day) }.count == count, "\(date)")
        }
        #expect(ref.gemeente(named: "Nuenen c.a.", on: Peildatum(iso: "2024-10-01")!) == "0820")
        #expect(ref.gemeente(named: "Bergen", on: Peildatum(iso: "2024-10-01")!) == nil)
        #expect(ref.successors(of: "0738", on: Peildatum(iso: "2024-10-01")!) == ["1959"])
    }
}
