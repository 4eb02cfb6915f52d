import Foundation
import Testing
import GrensCore
@testable import GrensPipeline
import GrensRender
import GrensTestSupport
import SQLiteWrap

/// A store of the synthetic sample with its analyst layer, closed after writing so the file on disk is complete
/// and a test can compare its bytes.
enum NotebookStore {
    static let built: (path: String, report: Report) = {
        let path = NSTemporaryDirectory() + "grensverkeer-notebooks-\(getpid()).sqlite"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let reference = try! Reference.load(folder: TestPaths.repo + "/data/reference")
        var report: Report!
        do {
            let db = try! Store.open(path: path)
            _ = try! Ingest.run(files: InputFiles.collect([TestPaths.repo + "/data/sample"]), db: db, reference: reference)
            let settings = AnalysisSettings(estimatorPath: TestPaths.repo + "/data/estimator/masked-cells.csv", costFolder: nil)
            let (r, layer) = try! ReportBuilder.analyse(db: db, reference: reference, settings: settings, layer: true)
            try! AnalystLayer.write(db: db, years: layer, report: r, reference: reference)
            report = r
        }
        return (path, report)
    }()

    static func bytes() -> [UInt8] { [UInt8](FileManager.default.contents(atPath: built.path) ?? Data()) }

    static func run(_ text: String, seconds: Double = NotebookRunner.secondsPerBlock) throws -> NotebookRun {
        let notebook = try Notebook.parse(Array(text.utf8), file: "test.md")
        return try NotebookRunner.run(notebook, storePath: built.path, slug: "test", secondsPerBlock: seconds)
    }

    static func failure(_ run: NotebookRun, _ block: String) -> InputError? {
        if case .failed(let error)? = run.outcomes[block] { return error }
        return nil
    }

    static func table(_ run: NotebookRun, _ block: String) -> NotebookRun.Table? {
        if case .table(let table)? = run.outcomes[block] { return table }
        return nil
    }
}

@Suite("Notebooks on the store", .serialized)
struct NotebookRunTests {
    @Test("hostile blocks are refused with the notebook, the block's line and a clear message; the store stays byte-identical", arguments: [
        ("DROP TABLE raw_count", "alleen lezen"),
        ("ATTACH DATABASE '/tmp/x.sqlite' AS x", "ATTACH"),
        ("PRAGMA writable_schema = ON", "PRAGMA"),
        ("SELECT load_extension('/tmp/x')", "load_extension"),
        ("SELECT * FROM raw_count", "raw_count is niet toegestaan"),
        ("SELECT * FROM stg_home", "stg_home is niet toegestaan"),
        ("SELECT 1 AS x; DROP TABLE source_file", "meer dan één SQL-opdracht"),
        ("INSERT INTO ana_naam VALUES ('x', 'y')", "alleen lezen"),
        ("SELECT * FROM sqlite_master; DELETE FROM meta", "meer dan één"),
    ])
    func hostile(_ sql: String, _ words: String) throws {
        let before = NotebookStore.bytes()
        let run = try NotebookStore.run("# Kwaad\n\n```sql kwaad\n\(sql)\n```\n\n```sql goed\nSELECT count(*) AS n FROM stroom\n```\n")
        let error = try #require(NotebookStore.failure(run, "kwaad"), "\(sql) was not refused")
        #expect(error.file == "test.md" && error.line == 3, "\(error)")
        #expect(error.description.contains(words), "\(error)")
        // One failing block does not stop the others.
        #expect(NotebookStore.table(run, "goed")?.rows.count == 1)
        #expect(NotebookStore.bytes() == before)
        #expect(try Database(path: NotebookStore.built.path, readOnly: true).scalar("SELECT count(*) FROM raw_count")?.int ?? 0 > 0)
    }

    @Test("a recursive CTE that never ends is stopped by the time limit")
    func endless() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let run = try NotebookStore.run("```sql eindeloos\nWITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r\n```\n", seconds: 0.3)
        let error = try #require(NotebookStore.failure(run, "eindeloos"))
        #expect(error.message.contains("afgebroken"), "\(error)")
        #expect(clock.now - start < .seconds(20))
    }

    @Test("raw tables with intern: ja, and the page says INTERN on screen and in print")
    func intern() throws {
        let run = try NotebookStore.run("---\nintern: ja\n---\n```sql ruw\nSELECT count(*) AS regels FROM raw_count\n```\n")
        let table = try #require(NotebookStore.table(run, "ruw"))
        #expect(table.rows.count == 1)
        let page = try #require(Dashboard.render(NotebookStore.built.report, notebooks: [run]).first { $0.path == "notitieboek-test.html" })
        #expect(page.html.contains("INTERN — niet publiceren"))
        #expect(page.html.contains(".intern{position:fixed"))
    }

    @Test("a parameter the front matter does not define is an error of its block; laatste becomes the latest peildatum")
    func parameters() throws {
        let run = try NotebookStore.run("---\npeildatum: laatste\n---\n```sql a\nSELECT :peildatum AS p\n```\n```sql b\nSELECT :regio AS r\n```\n")
        #expect(NotebookStore.table(run, "a")?.rows == [[.text("2024-10-01")]])
        #expect(NotebookStore.failure(run, "b")?.message.contains(":regio") == true)
        #expect(throws: InputError.self) { _ = try NotebookStore.run("---\npeildatum: 1999-10-01\n---\n```sql a\nSELECT 1\n```\n") }
    }

    @Test("disclosure: a notebook that selects single cells shows no 1–4 in its table, text or CSV")
    func disclosure() throws {
        let text = """
            Kleinste: {cellen[0].minimum} en {cellen[0].schatting}.

            ```sql cellen
            SELECT vestiging, woongemeente, minimum, maximum, schatting, CAST(minimum AS TEXT) AS als_tekst
            FROM stroom ORDER BY minimum, schatting LIMIT 200
            ```
            """
        let run = try NotebookStore.run(text)
        let table = try #require(NotebookStore.table(run, "cellen"))
        // The query really returns small values: the test is about hiding them.
        #expect(table.rows.contains { $0[2] == .integer(1) })
        let page = try #require(Dashboard.render(NotebookStore.built.report, notebooks: [run]).first { $0.path == "notitieboek-test.html" }).html
        let cells = page.components(separatedBy: "<td").dropFirst().map { String($0.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }) }
        #expect(!cells.isEmpty)
        #expect(cells.allSatisfy { !["1", "2", "3", "4", "-1", "-2", "-3", "-4"].contains($0) })
        #expect(page.contains("Kleinste: &lt;5 en &lt;5."))
        let csv = try #require(Dashboard.notebookCSVs(run).first?.csv)
        for line in csv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            #expect(fields[2...].allSatisfy { !["1", "2", "3", "4"].contains($0) }, "\(line)")
        }
    }

    @Test("the analyst views give exactly the dashboard's numbers: matrix cells, and stroom sums without margins")
    func sameNumbersAsDashboard() throws {
        let report = NotebookStore.built.report
        let db = try Store.open(path: NotebookStore.built.path, access: .read)
        var checked = 0, intervals = 0
        for m in report.matrices {
            for h in m.groups.indices {
                for s in m.groups.indices where m.applicable(h, s) && m.cells[h][s].max > 0 {
                    let rows = try db.rows("SELECT minimum, maximum, schatting, interval_90_laag, interval_90_hoog FROM matrix WHERE peildatum = ? AND soort = ? AND woongemeente_code = ? AND schoolgemeente_code = ?",
                                                       [.text(m.peildatum.iso), .text(m.soort.rawValue), .text(m.groups[h]), .text(m.groups[s])])
                    let row = try #require(rows.first)
                    let q = m.cells[h][s]
                    #expect(row[0].int == q.min && row[1].int == q.max && row[2].double == q.estimate)
                    #expect(row[3].int == q.interval90?.min && row[4].int == q.interval90?.max)
                    if q.interval90 != nil { intervals += 1 }
                    checked += 1
                }
            }
        }
        #expect(checked > 100 && intervals > 50)
        // The sample has no school margins, so sums of stroom rows are the matrix cells (bo: one soort, members only).
        let latest = try #require(report.latest)
        let bo = try #require(report.matrix(latest, .bo))
        for h in bo.groups.indices where report.grouping.isMember(bo.groups[h]) {
            for s in bo.groups.indices where report.grouping.isMember(bo.groups[s]) && bo.cells[h][s].max > 0 {
                let row = try db.rows("SELECT sum(minimum), sum(maximum), sum(schatting) FROM stroom WHERE peildatum = ? AND soort = 'bo' AND woongemeente_code = ? AND schoolgemeente_code = ?",
                                      [.text(bo.peildatum.iso), .text(bo.groups[h]), .text(bo.groups[s])])[0]
                #expect(row[0].int == bo.cells[h][s].min && row[1].int == bo.cells[h][s].max)
                #expect(abs((row[2].double ?? 0) - bo.cells[h][s].estimate) < 1e-6)
            }
        }
        #expect(try AnalystLayer.isCurrent(db: db))
    }

    /// notebooks-md/README.md per `## ` section: per `### ` table its rows as (column, meaning).
    static func documented() throws -> [String: [String: [(column: String, meaning: String)]]] {
        let text = try String(contentsOfFile: TestPaths.repo + "/notebooks-md/README.md", encoding: .utf8)
        var sections: [String: [String: [(column: String, meaning: String)]]] = [:]
        var section = "", table: String?
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("## ") { section = String(line.dropFirst(3)); table = nil; continue }
            if line.hasPrefix("### ") { table = String(line.dropFirst(4)); sections[section, default: [:]][table!] = []; continue }
            guard let table, line.hasPrefix("| "), !line.hasPrefix("| kolom"), !line.hasPrefix("| ---") else { continue }
            let cells = line.dropFirst(2).components(separatedBy: " | ")
            sections[section]?[table]?.append((cells[0], cells.dropFirst().joined(separator: " | ")))
        }
        return sections
    }

    @Test("notebooks-md/README.md documents every view and every column, in order")
    func viewsDocumented() throws {
        let documented = try #require(try Self.documented()["De analistenviews"])
        let db = try Store.open(path: NotebookStore.built.path, access: .read)
        #expect(Set(documented.keys) == Set(AnalystLayer.views))
        for view in AnalystLayer.views {
            let columns = try db.rows("SELECT name FROM pragma_table_info(?)", [.text(view)]).map { try $0.text(0) }
            #expect(!columns.isEmpty, "\(view)")
            #expect(documented[view]?.map(\.column) == columns, "\(view)")
        }
    }

    @Test("notebooks-md/README.md documents every raw table of the store and every column, in order, with every value of the closed sets")
    func rawTablesDocumented() throws {
        let documented = try #require(try Self.documented()["Ruwe tabellen (alleen met intern: ja)"])
        let db = try Store.open(path: NotebookStore.built.path, access: .read)
        #expect(Set(documented.keys) == Set(Store.expected.keys))
        for table in Store.expected.keys.sorted() {
            let columns = try db.rows("SELECT name FROM pragma_table_info(?)", [.text(table)]).map { try $0.text(0) }
            #expect(!columns.isEmpty, "\(table)")
            #expect(documented[table]?.map(\.column) == columns, "\(table)")
        }
        let closedSets: [(table: String, column: String, values: [String])] = [
            ("raw_count", "soort", Soort.allCases.map(\.rawValue)), ("stg_home", "method", ResolutionMethod.allCases.map(\.rawValue)),
            ("source_file", "dataset", Dataset.allCases.map(\.rawValue)), ("source_file", "layout", knownLayouts.map(\.id)),
            ("source_file", "encoding", TextEncoding.allCases.map(\.rawValue)), ("ingest_log", "level", IngestLogLevel.allCases.map(\.rawValue)),
        ]
        for (table, column, values) in closedSets {
            let meaning = try #require(documented[table]?.first { $0.column == column }?.meaning, "\(table).\(column)")
            for value in values { #expect(meaning.contains(value), "\(table).\(column) does not name \(value)") }
        }
    }

    @Test("the shipped notebooks run without errors on the sample")
    func shippedNotebooks() throws {
        let notebooks = try NotebookFiles.load([TestPaths.repo + "/notebooks-md"])
        #expect(notebooks.count >= 4)
        for (notebook, slug) in notebooks {
            let run = try NotebookRunner.run(notebook, storePath: NotebookStore.built.path, slug: slug)
            for query in notebook.queries {
                #expect(NotebookStore.failure(run, query.name) == nil, "\(notebook.file) \(query.name): \(String(describing: NotebookStore.failure(run, query.name)))")
                #expect((NotebookStore.table(run, query.name)?.rows.count ?? 0) > 0, "\(notebook.file) \(query.name) has no rows")
            }
        }
    }
}
