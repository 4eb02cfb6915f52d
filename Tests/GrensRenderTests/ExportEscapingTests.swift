import Foundation
import Testing
import GrensCore
@testable import GrensRender

/// Names a data file could carry that attack a spreadsheet, a Markdown table or the reading order of a text.
enum HostileText {
    static let formulas = ["=HYPERLINK(\"http://x\",\"klik\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR"]
    /// Every bidirectional control character, each inside a name.
    static let bidiControls: [Unicode.Scalar] = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
                                                 0x2066, 0x2067, 0x2068, 0x2069].map { Unicode.Scalar($0)! }
    static let bidiNames = bidiControls.map { "School \(Character($0))fdp.exe" }
}

/// Splits `;`-separated CSV the way a spreadsheet does: quoted fields may hold `;`, `""`, CR and LF.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = "", quoted = false, atStart = true
    var chars = Array(text.unicodeScalars.dropFirst(text.hasPrefix("\u{FEFF}") ? 1 : 0)), i = 0
    while i < chars.count {
        let c = chars[i]
        if quoted {
            if c == "\"" {
                if i + 1 < chars.count && chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 1 } else { quoted = false }
            } else { field.unicodeScalars.append(c) }
        } else if c == "\"" && atStart {
            quoted = true
        } else if c == ";" {
            row.append(field); field = ""; atStart = true; i += 1; continue
        } else if c == "\n" {
            row.append(field); rows.append(row); row = []; field = ""; atStart = true; i += 1; continue
        } else {
            field.unicodeScalars.append(c)
        }
        atStart = false
        i += 1
    }
    chars = []
    if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
    return rows
}

@Suite("Exports: CSV, Markdown and JSON cells")
struct ExportEscapingTests {
    let table: ExportTable = {
        var t = ExportTable(columns: ["naam", "aantal", "saldo", "aandeel", "bedrag"])
        for name in HostileText.formulas + ["a;b", "zeg \"hoi\"", "regel\neen", "regel\rtwee", "a|b\\|c", "<img src=x onerror=alert(1)>", "gewoon"] + HostileText.bidiNames {
            t.rows.append([.text(name), .count(12), .count(-12), .percent(0.25), .euro(-1250)])
        }
        t.rows.append([.text("klein"), .count(3), .count(-3), .empty, .euro(0)])
        return t
    }()

    @Test("text cells that a spreadsheet would run as a formula get a leading apostrophe; numbers stay numbers")
    func csvFormulaInjection() {
        let rows = parseCSV(table.csv())
        #expect(rows.count == table.rows.count + 1)
        #expect(rows.allSatisfy { $0.count == 5 }, "every record has five fields: \(rows.filter { $0.count != 5 })")
        let names = rows.dropFirst().map { $0[0] }
        for (name, cell) in zip(HostileText.formulas, names) {
            #expect(cell == "'" + name, "\(cell)")
        }
        for cell in names { #expect(!"=+-@\t\r".unicodeScalars.contains(cell.unicodeScalars.first!), "\(cell)") }
        // Our own numbers, negative ones too, are never prefixed.
        #expect(rows[1][1...] == ["12", "-12", "25,0", "-12,50"])
        #expect(rows.last![1...] == ["<5", "-<5", "", "0,00"])
        #expect(!table.csv().contains("'-12") && !table.csv().contains("'-<5"))
    }

    @Test("CSV fields with ; \" CR or LF are quoted, so every record stays one record")
    func csvQuoting() {
        let csv = table.csv()
        #expect(csv.contains("\"a;b\";12;"))
        #expect(csv.contains("\"zeg \"\"hoi\"\"\";12;"))
        #expect(csv.contains("\"regel\neen\";12;"))
        #expect(csv.contains("\"regel\rtwee\";12;"))
        #expect(csv.contains("\"'\rCR\";12;"))
        #expect(csv.contains("\ngewoon;12;-12;25,0;-12,50\n"))
        let names = parseCSV(csv).dropFirst().map { $0[0] }
        #expect(names.contains("regel\rtwee") && names.contains("regel\neen") && names.contains("zeg \"hoi\""))
    }

    @Test("Markdown cells: | and \\ escaped, line breaks become spaces, every row has the columns of the header")
    func markdownCells() {
        let md = table.markdown()
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == table.rows.count + 2)
        func unescapedPipes(_ line: Substring) -> Int {
            var n = 0, escaped = false
            for c in line {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "|" { n += 1 }
            }
            return n
        }
        for line in lines { #expect(unescapedPipes(line) == 6, "\(line)") }
        #expect(!md.contains("\r"))
        #expect(md.contains("| regel een |") && md.contains("| regel twee |"))
        #expect(md.contains("| a\\|b\\\\\\|c |"))
        #expect(md.contains("| \\<img src=x onerror=alert(1)> |"), "no raw HTML in a Markdown cell")
        #expect(md.contains("| \\<5 |") == false && md.contains("| <5 | -<5 |"))
    }

    @Test("JSON text survives a JSON parser unchanged (apart from bidi controls)")
    func jsonCells() throws {
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(table.json().utf8)) as? [[String: Any]])
        #expect(parsed.count == table.rows.count)
        let names = parsed.map { $0["naam"] as? String }
        #expect(Array(names.prefix(HostileText.formulas.count)) == HostileText.formulas)
        #expect(names.contains("regel\rtwee") && names.contains("a|b\\|c"))
        // A hidden count is null with its flag, never the string "<5" in a numeric field.
        #expect(parsed.last?["aantal"] is NSNull && parsed.last?["aantal_onder_5"] as? Bool == true)
        #expect(parsed.last?["saldo"] is NSNull && parsed.last?["saldo_onder_5"] as? Bool == true)
        #expect(parsed.first?["saldo"] as? Int == -12 && parsed.first?["saldo_onder_5"] as? Bool == false)
        #expect(!table.json().contains("<5"))
    }

    @Test("bidi control characters never reach an export: each becomes U+FFFD")
    func bidiInExports() {
        for output in [table.csv(), table.markdown(), table.json()] {
            for c in HostileText.bidiControls { #expect(!output.unicodeScalars.contains(c), "U+\(String(c.value, radix: 16, uppercase: true))") }
            #expect(output.contains("School \u{FFFD}fdp.exe"))
        }
        #expect(ExportTable(columns: ["a\u{202E}b"]).csv() == "\u{FEFF}a\u{FFFD}b\n")
    }
}

@Suite("Exports of a report with formula names")
struct ReportExportTests {
    @Test("no CSV export starts a text cell with a formula character; negative balances stay numbers")
    func everyExport() {
        let names = ["=HYPERLINK(\"http://x\",\"klik\")", "+cmd|' /C calc'!A0", "@Delft"]
        let report = DashboardFixture.small(names: names)
        let shares = report.gemeenteShares.sorted { $0.key < $1.key }.flatMap { date, list in list.map { (date, $0) } }
        let tables = [Exports.costOverview(report), Exports.teamsBySchool(report), Exports.teamsByGemeente(report),
                      Exports.flows(report, matrices: report.matrices), Exports.gemeenteShares(report, shares)]
        var prefixed = 0, negative = 0
        for table in tables {
            let rows = parseCSV(table.csv())
            #expect(rows.count == table.rows.count + 1)
            for (row, cells) in zip(rows.dropFirst(), table.rows) {
                #expect(row.count == cells.count)
                for (field, cell) in zip(row, cells) {
                    if case .text(let s) = cell, let first = s.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) {
                        #expect(field == "'" + s)
                        prefixed += 1
                    } else if let n = integer(cell), n < 0 {
                        #expect(field.hasPrefix("-"), "\(field)")
                        negative += 1
                    }
                    #expect(!field.hasPrefix("=") && !field.hasPrefix("+") && !field.hasPrefix("@"), "\(field)")
                }
            }
        }
        #expect(prefixed > 20 && negative > 0, "the names reached the exports: \(prefixed), negative balances: \(negative)")
    }
}

@Suite("HTML text")
struct HTMLTextTests {
    @Test("bidi control characters in names become U+FFFD in text and attributes")
    func bidiInHTML() {
        for name in HostileText.bidiNames {
            let html = el("a", ["title": name], .text(name)).render()
            #expect(html == "<a title=\"School \u{FFFD}fdp.exe\">School \u{FFFD}fdp.exe</a>", "\(html.unicodeScalars.map { $0.value })")
        }
        #expect(escapeHTML("a\u{202E}<b>") == "a\u{FFFD}&lt;b&gt;")
    }

    @Test("bidi control characters in a report's names reach no page of the dashboard")
    func bidiOnEveryPage() {
        // Three names with four bidi controls each: all twelve reach every kind of name in the fixture.
        let names = stride(from: 0, to: 12, by: 4).map { i in
            "School " + String(String.UnicodeScalarView(HostileText.bidiControls[i..<i + 4])) + "fdp.exe"
        }
        let site = Dashboard.render(DashboardFixture.small(names: names))
        var sawReplacement = 0
        for page in site {
            for c in HostileText.bidiControls { #expect(!page.html.unicodeScalars.contains(c), "\(page.path): U+\(String(c.value, radix: 16))") }
            if page.html.contains("\u{FFFD}fdp.exe") { sawReplacement += 1 }
        }
        #expect(sawReplacement > 10, "the names did reach the pages")
    }

    @Test("a share next to an amount that is not zero is never shown as 0,0%, nor less than everything as 100,0%")
    func costShares() {
        #expect(costShareText(weight: 0.0004, cents: 5) == "<0,1%")
        #expect(costShareText(weight: 0, cents: 0) == "0,0%")
        #expect(costShareText(weight: 0.0004, cents: 0) == "0,0%")
        #expect(costShareText(weight: 0.9996, cents: 99_960) == ">99,9%")
        #expect(costShareText(weight: 1, cents: 100_000) == "100,0%")
        #expect(costShareText(weight: 0.25, cents: 25) == "25,0%")
    }
}
