import Testing
import GrensCore
@testable import GrensRender

@Suite("Notebook pages")
struct NotebookPageTests {
    static func run() throws -> NotebookRun {
        let text = """
            ---
            titel: Voorbeeld
            peildatum: laatste
            ---
            Tekst met **vet**, `code`, een [link](index.html) en een [externe](https://example.org).
            De grootste is {top[0].naam} met {top[0].leerlingen}; de kleinste {top[2].leerlingen}.

            - een
            - twee

            ```sql top
            -- geen aantal: rang
            SELECT …
            ```

            ```grafiek staaf top x=naam y=leerlingen
            ```

            ```sql jaren
            -- geen aantal: jaar
            SELECT …
            ```

            ```grafiek lijn jaren x=jaar y=leerlingen reeks=gemeente
            ```

            ```grafiek heatmap jaren x=gemeente kolom=jaar y=leerlingen
            ```

            ```sql kapot
            SELECT * FROM raw_count
            ```
            """
        let notebook = try Notebook.parse(Array(text.utf8), file: "notebooks-md/voorbeeld.md")
        let top = NotebookRun.Table(columns: ["rang", "naam", "leerlingen"], rows: [
            [.integer(1), .text("<script>alert(1)</script>"), .real(123.4)],
            [.integer(2), .text("=HYPERLINK(\"x\")"), .integer(40)],
            [.integer(3), .text("Klein"), .integer(3)],
        ], truncated: false)
        let years = NotebookRun.Table(columns: ["gemeente", "jaar", "leerlingen"], rows: [
            [.text("Delft"), .integer(2017), .integer(120)], [.text("Delft"), .integer(2024), .integer(150)],
            [.text("Rijswijk"), .integer(2017), .integer(2)], [.text("Rijswijk"), .integer(2024), .null],
        ], truncated: true)
        let error = InputError(file: "notebooks-md/voorbeeld.md", line: 32, column: "kapot", message: "geweigerd: de tabel raw_count is niet toegestaan")
        return NotebookRun(notebook: notebook, parameters: [("peildatum", "2024-10-01")],
                           outcomes: ["top": .table(top), "jaren": .table(years), "kapot": .failed(error)], slug: "voorbeeld")
    }

    @Test("golden page: text, tables, three charts, inline values, an error in place, no 1–4")
    func golden() throws {
        let run = try Self.run()
        let page = try #require(Dashboard.render(DashboardFixture.small(), notebooks: [run]).first { $0.path == "notitieboek-voorbeeld.html" })
        try expectGolden(page.html, "notitieboek-voorbeeld.html")
        #expect(page.html.contains("de kleinste &lt;5"))
        #expect(page.html.contains("<td class=\"n\">&lt;5</td>"))
        #expect(page.html.contains("<a href=\"index.html\">link</a>"))
        #expect(!page.html.contains("href=\"https://example.org\""))
        #expect(page.html.contains("role=\"alert\">Fout: notebooks-md/voorbeeld.md:32 kolom kapot: geweigerd"))
        #expect(page.html.contains("afgekapt na 5.000 rijen"))
        #expect(!page.html.contains("<script>"))
    }

    @Test("the index links every notebook; each result has a CSV with the same disclosure and safe cells")
    func linksAndCSV() throws {
        let run = try Self.run()
        let site = Dashboard.render(DashboardFixture.small(), notebooks: [run])
        let index = try #require(site.first { $0.path == "index.html" }).html
        #expect(index.contains("<a href=\"notitieboek-voorbeeld.html\">Voorbeeld</a>"))
        let csvs = Dashboard.notebookCSVs(run)
        #expect(csvs.map(\.path) == ["notitieboek-voorbeeld-top.csv", "notitieboek-voorbeeld-jaren.csv"])
        #expect(csvs[0].csv == "\u{FEFF}rang;naam;leerlingen\n1;<script>alert(1)</script>;123\n2;\"'=HYPERLINK(\"\"x\"\")\";40\n3;Klein;<5\n")
        #expect(csvs[1].csv.contains("Rijswijk;2017;<5\n"))
    }

    @Test("the report's pages made before the notebooks ran, with the notebook pages made after, are the whole site")
    func inTwoParts() throws {
        let run = try Self.run()
        let report = DashboardFixture.small()
        let whole = Dashboard.render(report, notebooks: [run])
        let links = [NotebookLink(notebook: run.notebook, slug: run.slug)]
        #expect(links == [run.link])
        let first = Dashboard.reportPages(report, notebooks: links), second = Dashboard.notebookPages(report, runs: [run])
        #expect(!first.contains { $0.path.hasPrefix("notitieboek-") })
        #expect(second.map(\.path) == ["notitieboek-voorbeeld.html"])
        let parts = Dictionary(uniqueKeysWithValues: (first + second).map { ($0.path, $0.html) })
        #expect(parts == Dictionary(uniqueKeysWithValues: whole.map { ($0.path, $0.html) }))
        #expect(parts.count == whole.count)
        // Made without the links, the report's pages do not link the notebook.
        #expect(Dashboard.reportPages(report, notebooks: []).first { $0.path == "index.html" }?.html.contains("notitieboek-voorbeeld.html") == false)
    }

    @Test("a hidden value leaves no trace: pages that differ only in a value from 1 to 4 are identical")
    func hiddenValuesLeaveNoTrace() throws {
        let base = try Self.run()
        func page(_ small: Int64) -> String {
            var outcomes = base.outcomes
            guard case .table(let t)? = outcomes["top"] else { return "" }
            var rows = t.rows
            rows[2][2] = .integer(small)
            outcomes["top"] = .table(NotebookRun.Table(columns: t.columns, rows: rows, truncated: false))
            let run = NotebookRun(notebook: base.notebook, parameters: base.parameters, outcomes: outcomes, slug: "voorbeeld")
            return Dashboard.render(DashboardFixture.small(), notebooks: [run]).first { $0.path == "notitieboek-voorbeeld.html" }!.html
                + Dashboard.notebookCSVs(run).map(\.csv).joined()
        }
        #expect(page(1) == page(4))
        #expect(page(1) != page(5))
    }
}
