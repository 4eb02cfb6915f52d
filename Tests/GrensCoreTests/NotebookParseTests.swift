import Testing
@testable import GrensCore

@Suite("Notebook format")
struct NotebookParseTests {
    func parse(_ text: String) throws(InputError) -> Notebook { try Notebook.parse(Array(text.utf8), file: "nb.md") }

    func refusal(_ text: String) -> InputError? {
        do { _ = try parse(text); return nil } catch { return error }
    }

    @Test("front matter, text, named SQL blocks with their line, declared non-counts and charts")
    func parsesEverything() throws {
        let nb = try parse("""
            ---
            titel: Test
            peildatum: laatste
            intern: nee
            ---
            # Kop
            Tekst met {a[0].x}.

            ```sql a
            -- geen aantal: rang, Jaar
            SELECT 1 AS x
            ```
            ```grafiek staaf a x=x y=x
            ```
            ```python
            print("geen blok")
            ```
            """)
        #expect(nb.title == "Test")
        #expect(nb.parameters.map(\.key) == ["peildatum"] && nb.parameters.map(\.value) == ["laatste"])
        #expect(!nb.intern)
        #expect(nb.queries.map(\.name) == ["a"])
        #expect(nb.queries[0].line == 9)
        #expect(nb.queries[0].notCounts == ["rang", "jaar"])
        #expect(nb.queries[0].sql.contains("SELECT 1 AS x"))
        guard case .chart(let chart) = nb.blocks[2] else { Issue.record("geen grafiek: \(nb.blocks)"); return }
        #expect(chart.kind == .staaf && chart.result == "a" && chart.options == ["x": "x", "y": "x"] && chart.line == 13)
        // A fenced block of another language stays Markdown text.
        guard case .text(let code, _) = nb.blocks[3] else { Issue.record("geen tekst"); return }
        #expect(code.contains("print(\"geen blok\")"))
    }

    @Test("every malformed notebook is refused with its line and what was expected", arguments: [
        ("```sql\nSELECT 1\n```", 1, "één naam"),
        ("```sql a\nSELECT 1\n```\n```sql a\nSELECT 2\n```", 4, "al gebruikt"),
        ("```sql a\nSELECT 1", 1, "niet afgesloten"),
        ("```grafiek staaf b x=a y=b\n```", 1, "geen SQL-blok"),
        ("```sql a\nSELECT 1\n```\n```grafiek taart a x=a y=b\n```", 4, "verwacht ```grafiek"),
        ("```sql a\nSELECT 1\n```\n```grafiek staaf a x=a\n```", 4, "y= nodig"),
        ("```sql a\nSELECT 1\n```\n```grafiek staaf a x=a y=b kleur=rood\n```", 4, "verwacht opties"),
        ("---\ntitel: x\n", 1, "niet afgesloten"),
        ("---\nintern: misschien\n---\n", 2, "ja of nee"),
        ("---\nzonder dubbele punt\n---\n", 2, "dubbele punt"),
        ("```sql a\n\n```", 1, "leeg"),
    ])
    func refusals(_ text: String, _ line: Int, _ words: String) throws {
        let error = try #require(refusal(text), "\(text)")
        #expect(error.file == "nb.md")
        #expect(error.line == line, "\(error)")
        #expect(error.message.contains(words), "\(error)")
    }

    @Test("a notebook must be UTF-8: Windows-1252 is refused")
    func encoding() {
        var bytes = Array("Gemeente: ".utf8)
        bytes.append(0xEB) // ë in Windows-1252
        #expect(throws: InputError.self) { _ = try Notebook.parse(bytes, file: "nb.md") }
    }
}
