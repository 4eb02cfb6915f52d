import Foundation
import Testing
import GrensCore
import GrensTestSupport
@testable import GrensRender

// MARK: golden files

let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try GrensTestSupport.expectGolden(actual, name, in: goldenFolder, sourceLocation: sourceLocation)
}

// MARK: helpers

func pages(_ report: Report) -> [String: String] {
    Dictionary(uniqueKeysWithValues: htmlPages(report).map { ($0.path, $0.html) })
}

/// The HTML pages of a render, without the CSV files of their tables.
func htmlPages(_ report: Report) -> [(path: String, html: String)] {
    Dashboard.render(report).filter { $0.path.hasSuffix(".html") }
}

/// The contents of every `<tag …>…</tag>` (non-nested), tags inside stripped and entities decoded.
func cellTexts(_ html: String, tag: String) -> [String] {
    var out: [String] = []
    var rest = html[...]
    while let open = rest.range(of: "<\(tag)") {
        guard let gt = rest[open.upperBound...].firstIndex(of: ">"),
              let close = rest[gt...].range(of: "</\(tag)>") else { break }
        out.append(plainText(String(rest[rest.index(after: gt)..<close.lowerBound])))
        rest = rest[close.upperBound...]
    }
    return out
}

func plainText(_ html: String) -> String {
    var text = "", inTag = false
    for ch in html {
        if ch == "<" { inTag = true; text.append(" ") } else if ch == ">" { inTag = false } else if !inTag { text.append(ch) }
    }
    for (entity, ch) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
        text = replace(text, entity, ch)
    }
    return text
}

func replace(_ s: String, _ a: String, _ b: String) -> String { s.components(separatedBy: a).joined(separator: b) }

/// Whole numbers in a text (digits with thousands dots; a decimal comma makes it not whole).
func wholeNumbers(_ text: String) -> [Int] {
    var out: [Int] = [], run = ""
    func flush() {
        if !run.isEmpty, !run.contains(","), let n = Int(replace(run, ".", "")) { out.append(n) }
        run = ""
    }
    for ch in text {
        if ch.isASCII && (ch.isNumber || ch == "." || ch == ",") { run.append(ch) } else { flush() }
    }
    flush()
    return out
}

// MARK: tests

@Suite struct DashboardTests {
    @Test func pageSet() throws {
        let report = DashboardFixture.small()
        let all = Dashboard.render(report)
        let site = all.filter { $0.path.hasSuffix(".html") }
        let paths = all.map(\.path)
        #expect(paths.first == "index.html")
        #expect(Set(paths).count == paths.count)
        for s in report.soorten {
            for prefix in ["matrix", "stromen", "soort"] { #expect(paths.contains("\(prefix)-\(s.rawValue).html")) }
        }
        for code in ["0503", "0518", "0603"] { #expect(paths.contains("gemeente-\(code).html")) }
        #expect(!paths.contains("gemeente-0599.html"))
        for code in ["PO2802", "PO2815", "VO2806", "VO2809"] { #expect(paths.contains("swv-\(code).html")) }
        #expect(paths.contains("verandering.html"))
        #expect(paths.contains("over.html"))
        #expect(paths.contains("kosten.html") && paths.contains("teams.html"))
        let sheets = paths.filter { $0.hasPrefix("uw-aandeel-") && $0.hasSuffix(".html") }
        #expect(sheets == Exports.costGemeenten(report).map { "uw-aandeel-\($0).html" })
        // Every local link points at a page of the site; the index links every page, the cost page every sheet.
        let index = site[0].html
        let costs = site.first { $0.path == "kosten.html" }!.html
        for (path, html) in site {
            for href in hrefs(html) where !href.hasPrefix("#") {
                #expect(paths.contains(String(href.prefix { $0 != "#" })), "\(path) verwijst naar \(href)")
            }
            let linkedFrom = sheets.contains(path) ? costs : index
            #expect(path == "index.html" || linkedFrom.contains("href=\"\(path)\""), "geen link naar \(path)")
        }
    }

    func hrefs(_ html: String) -> [String] {
        html.components(separatedBy: "href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func everyPageIsSelfContainedAccessibleAndPrintable() throws {
        for (path, html) in htmlPages(DashboardFixture.small()) {
            #expect(html.hasPrefix("<!doctype html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"), "\(path)")
            #expect(html.components(separatedBy: "<style>").count == 2, "\(path): één gedeelde <style>")
            #expect(!html.contains("<script"), "\(path): geen JavaScript")
            #expect(!replace(html, "xmlns=\"http://www.w3.org/2000/svg\"", "").contains("http"), "\(path): geen externe bronnen")
            #expect(html.contains("@page{size:A4 landscape;margin:12mm 12mm 15mm}") && html.contains("counter(page)"), "\(path): A4 liggend, paginanummers")
            #expect(html.contains("SYNTHETISCHE GEGEVENS — geen echte leerlingaantallen"), "\(path): banner")
            #expect(html.contains("class=\"skip\" href=\"#inhoud\""), "\(path): skiplink")
            #expect(html.contains("<main id=\"inhoud\""))
            #expect(html.contains("<nav aria-label=\"Hoofdmenu\">"), "\(path): nav")
            #expect(html.contains("aria-current=\"page\""), "\(path): huidige pagina in nav")
            // One h1, then no skipped heading levels.
            var levels: [Int] = []
            for part in html.components(separatedBy: "<h").dropFirst() {
                if let d = part.first?.wholeNumberValue, part.dropFirst().first == ">" { levels.append(d) }
            }
            #expect(levels.filter { $0 == 1 }.count == 1, "\(path): precies één h1")
            #expect(levels.first == 1, "\(path)")
            for (a, b) in zip(levels, levels.dropFirst()) { #expect(b <= a + 1, "\(path): kop h\(a) gevolgd door h\(b)") }
            // Every table has a caption; every chart is an image with title and description and a table next to it.
            #expect(html.components(separatedBy: "<table").count == html.components(separatedBy: "<caption").count, "\(path)")
            for svg in html.components(separatedBy: "<svg ").dropFirst() {
                let open = String(svg.prefix { $0 != ">" })
                #expect(open.contains("role=\"img\""), "\(path)")
                guard let id = open.components(separatedBy: "aria-labelledby=\"").dropFirst().first?.prefix(while: { $0 != "\"" }) else {
                    Issue.record("\(path): svg zonder aria-labelledby"); continue
                }
                #expect(svg.contains("<title id=\"\(id)\">"), "\(path): title \(id)")
                #expect(open.contains("aria-describedby=\"\(id.dropLast(2))-d\"") && svg.contains("<desc id=\"\(id.dropLast(2))-d\">"), "\(path)")
                #expect(open.contains("viewBox=") && open.contains("width=\"100%\""))
            }
            if html.contains("<svg ") {
                #expect(html.contains("<table"), "\(path): grafiek zonder tabel")
                #expect(html.contains("class=\"summary\""), "\(path): grafiek zonder samenvattende zin")
            }
        }
    }

    @Test func bannerOnlyForSyntheticData() {
        for (_, html) in htmlPages(DashboardFixture.small(synthetic: false)) {
            #expect(!html.contains("SYNTHETISCHE GEGEVENS"))
        }
    }

    @Test func hostileNamesAreEscapedEverywhere() {
        let report = DashboardFixture.small(hostile: true)
        let site = htmlPages(report)
        #expect(site.count > 10)
        var sawEscaped = Set<String>()
        for (path, html) in site {
            for raw in DashboardFixture.hostileNames {
                #expect(!html.contains(raw), "\(path) bevat onge-escapete naam \(raw)")
            }
            #expect(!html.contains("<script"), "\(path)")
            #expect(!html.contains("alert(1)</"), "\(path)")
            for escaped in ["&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;quotes&quot;", "O&#39;Brien &amp; Zn"] where html.contains(escaped) {
                sawEscaped.insert(escaped)
            }
        }
        // The names did reach the pages (escaped), so the test is not vacuous.
        #expect(sawEscaped.count == 3)
        let gemeente = site.first { $0.path == "gemeente-0503.html" }!.html
        #expect(gemeente.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"))
        // The cost, sheet and team pages are part of the checked site and carry the hostile names (escaped).
        let byPath = Dictionary(uniqueKeysWithValues: site.map { ($0.path, $0.html) })
        for path in ["kosten.html", "teams.html", "uw-aandeel-0503.html", "uw-aandeel-0518.html", "uw-aandeel-0603.html"] {
            let html = byPath[path] ?? ""
            #expect(!html.isEmpty, "\(path) ontbreekt")
            #expect(["&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;quotes&quot;", "O&#39;Brien &amp; Zn"].contains { html.contains($0) }, "\(path)")
        }
        #expect(byPath["uw-aandeel-0503.html"]?.contains("<h1>Uw aandeel — &lt;script&gt;alert(1)&lt;/script&gt;</h1>") == true)
        #expect(byPath["kosten.html"]?.contains("<h2>&lt;script&gt;alert(1)&lt;/script&gt;</h2>") == true)
        #expect(byPath["kosten.html"]?.contains("<p>&quot;quotes&quot;</p>") == true)
    }

    @Test func escapingOfTextAndAttributes() {
        let node = el("a", ["title": "a\"b'c<d>&e"], .text("<b>&'\""))
        #expect(node.render() == "<a title=\"a&quot;b&#39;c&lt;d&gt;&amp;e\">&lt;b&gt;&amp;&#39;&quot;</a>")
        #expect(Node.raw("<br>").render() == "<br>")
        #expect(slug("PO28/15 <x>") == "PO28_15__x_")
    }

    @Test func matrixTableCellsNeverShowOneToFour() {
        let site = pages(DashboardFixture.small())
        var checked = 0
        for (path, html) in site where path.hasPrefix("matrix-") || path.hasPrefix("stromen-") {
            for text in cellTexts(html, tag: "td") + cellTexts(html, tag: "text") {
                for n in wholeNumbers(text) {
                    #expect(!(1...4).contains(n), "\(path): cel '\(text)' toont \(n)")
                    checked += 1
                }
            }
        }
        #expect(checked > 50)
        // The fixture really has masked cells, shown as <5.
        #expect(site["matrix-bo.html"]!.contains(">&lt;5<"))
    }

    @Test func renderingIsDeterministic() {
        let a = Dashboard.render(DashboardFixture.small()), b = Dashboard.render(DashboardFixture.small())
        #expect(a.map(\.path) == b.map(\.path))
        #expect(a.map(\.html) == b.map(\.html))
    }

    @Test func paletteKeepsTextContrast() {
        func luminance(_ hex: String) -> Double {
            let v = Int(hex.dropFirst(), radix: 16)!
            func channel(_ c: Int) -> Double {
                let s = Double(c) / 255
                return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channel(v >> 16) + 0.7152 * channel((v >> 8) & 0xff) + 0.0722 * channel(v & 0xff)
        }
        func contrast(_ a: String, _ b: String) -> Double {
            let x = luminance(a), y = luminance(b)
            return (max(x, y) + 0.05) / (min(x, y) + 0.05)
        }
        for c in Charts.blues + [Charts.zeroFill] { #expect(contrast(c.fill, c.text) >= 4.5, "\(c)") }
        // Sequential: every step darker than the one before.
        for (a, b) in zip(Charts.blues, Charts.blues.dropFirst()) { #expect(luminance(b.fill) < luminance(a.fill)) }
        for (fg, bg) in [("#1a1a1a", "#ffffff"), ("#4a4a4a", "#ffffff"), ("#4a4a4a", "#ececec"), ("#0b4f8a", "#f2f5f8"),
                         ("#3d2a00", "#fff3bf"), ("#1a1a1a", "#e8eef4")] {
            #expect(contrast(fg, bg) >= 4.5, "\(fg) op \(bg)")
        }
    }

    @Test func goldenHeatmap() throws {
        let report = DashboardFixture.small()
        let m = report.matrix(report.latest!, .alle)!
        try expectGolden(Charts.heatmap(m, report: report, id: "hm").render() + "\n", "heatmap-alle.svg")
    }

    @Test func goldenFlowDiagram() throws {
        let report = DashboardFixture.small()
        let m = report.matrix(report.latest!, .alle)!
        try expectGolden(Charts.flowDiagram(m.crossingFlows(limit: 25), matrix: m, report: report, id: "fl").render() + "\n", "stromen-alle.svg")
    }

    @Test func goldenIndexPage() throws {
        try expectGolden(pages(DashboardFixture.small())["index.html"]!, "index.html")
    }

    @Test func haaglandenSizedPagesStaySmall() throws {
        let report = try DashboardFixture.haaglandenScale()
        #expect(report.grouping.order.count == 22)
        let site = htmlPages(report)
        var total = 0
        for (path, html) in site {
            let size = html.utf8.count
            total += size
            #expect(size < 300_000, "\(path): \(size) bytes")
        }
        // Opt-in: DASHBOARD_DUMP=/some/folder writes both fixture sites there to look at in a browser.
        if let folder = ProcessInfo.processInfo.environment["DASHBOARD_DUMP"] {
            for (name, pages) in [("haaglanden", site), ("klein", Dashboard.render(DashboardFixture.small())),
                                  ("vijandig", Dashboard.render(DashboardFixture.small(hostile: true)))] {
                let dir = URL(fileURLWithPath: folder).appendingPathComponent(name)
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                for page in pages { try Data(page.html.utf8).write(to: dir.appendingPathComponent(page.path)) }
            }
        }
        let largest = site.max { $0.html.utf8.count < $1.html.utf8.count }!
        print("Dashboard (Haaglanden-formaat): \(site.count) pagina's, \(total / 1024) kB; grootste \(largest.path) \(largest.html.utf8.count / 1024) kB")
        for (path, html) in site where path.hasPrefix("matrix-") {
            for text in cellTexts(html, tag: "td") { for n in wholeNumbers(text) { #expect(!(1...4).contains(n), "\(path): \(text)") } }
        }
    }
}

@Suite("Dashboard: cost and team pages")
struct AgreementPagesTests {
    /// The `<tr>` elements of a page, as raw HTML.
    func tableRows(_ html: String) -> [String] {
        html.components(separatedBy: "<tr>").dropFirst().map { String($0.prefix { $0 != "\n" }) }
    }

    @Test("the cost page lists every gemeente line and a total row equal to the item total")
    func costPage() throws {
        let report = DashboardFixture.small()
        #expect(report.costSplits.count == 4)
        #expect(Set(report.costSplits.map(\.item.key)) == Set(CostItem.Key.allCases))
        let site = pages(report)
        let costs = try #require(site["kosten.html"])
        let rows = tableRows(costs)
        let totals = rows.filter { $0.hasPrefix("<th scope=\"row\">Totaal</th>") }
        #expect(totals.count == report.costSplits.count)
        for (split, total) in zip(report.costSplits, totals) {
            #expect(split.lines.reduce(0) { $0 + $1.cents } == split.totalCents)
            #expect(total.contains("<td class=\"n total\">\(euro(split.totalCents))</td>"), "\(split.item.name): \(total)")
            #expect(costs.contains(escapeHTML(split.item.key.label)))
            for line in split.lines {
                let row = "<th scope=\"row\"><a href=\"uw-aandeel-\(line.gemeente).html\">\(escapeHTML(report.name(line.gemeente)))</a></th>"
                #expect(rows.contains { $0.hasPrefix(row) && $0.contains(">\(euro(line.cents))<") },
                        "\(split.item.name): geen regel voor \(line.gemeente)")
            }
        }
        // The equal split of € 1.000,00 over three gemeenten: the extra cent goes to the lowest code.
        #expect(costs.contains("€\u{00A0}333,33") && costs.contains("€\u{00A0}333,34"))
        // Version, description, peildatum, tariff and the uncharged pupils are shown.
        #expect(costs.contains("versie 2024-1") && costs.contains("Leerlingenvervoer (voorbeeldbedrag)"))
        #expect(costs.contains("peildatum 1 oktober 2024 (schooljaar 2024-2025)") && costs.contains("tarief €\u{00A0}125,50 per leerling"))
        #expect(costs.contains("Niet toegerekend: ") && costs.contains("Rotterdam 12"))
        #expect(costs.contains("Sbo Het Avontuur (S2)"))
    }

    @Test("every gemeente with a cost line has a sheet with its amounts, its pupils and the grand total")
    func sheets() throws {
        let report = DashboardFixture.small()
        let site = pages(report)
        let codes = Exports.costGemeenten(report)
        #expect(codes.contains("0599"), "also gemeenten outside the region pay under 'deelnemers: alle'")
        #expect(site.keys.filter { $0.hasPrefix("uw-aandeel-") }.sorted() == codes.map { "uw-aandeel-\($0).html" })
        for code in codes {
            let sheet = try #require(site["uw-aandeel-\(code).html"])
            #expect(sheet.contains("<h1>Uw aandeel — \(escapeHTML(report.name(code)))</h1>"))
            var total = 0
            for split in report.costSplits {
                guard let line = split.lines.first(where: { $0.gemeente == code }) else {
                    #expect(!sheet.contains(">\(escapeHTML(split.item.name))<span"), "\(code): \(split.item.name)")
                    continue
                }
                total += line.cents
                let row = try #require(tableRows(sheet).first { $0.hasPrefix("<th scope=\"row\">\(escapeHTML(split.item.name))<span class=\"b\">") })
                #expect(row.contains(">\(euro(line.cents))<"), "\(code): \(split.item.name)")
                #expect(row.contains(escapeHTML(Publish.count(line.pupils))), "\(code): leerlingen")
                #expect(row.contains(escapeHTML(split.item.key.label)))
                if split.item.key == .leerlingen {
                    #expect(row.contains("van de \(escapeHTML(quantityText(split.chargeable))) leerlingen op deze scholen wonen in"))
                    // The numbers the split used, with which a controller can redo the amount.
                    #expect(row.contains(escapeHTML("\(euro(split.totalCents)) × \(keyPupils(line.keyUnits)) / \(keyPupils(split.keyUnitsTotal)) leerlingen (schattingen) = \(euro(line.cents))")),
                            "\(code): \(row)")
                }
                if split.item.key == .tarief {
                    #expect(row.contains(escapeHTML("\(keyPupils(line.keyUnits)) leerlingen (schatting) × \(euro(split.item.tariffCents!)) = \(euro(line.cents))")), "\(code): \(row)")
                }
            }
            #expect(sheet.contains("<td class=\"n total\">\(euro(total))</td>"), "\(code): totaal")
            #expect(sheet.contains("betaalt in totaal \(euro(total))"))
            // Printable: the sheet belongs to the cost section of the nav and links back to the cost page.
            #expect(sheet.contains("<a href=\"kosten.html\" aria-current=\"page\">Kosten</a>"))
        }
        // Region members link their sheet from the gemeente page; the global nav does not list the sheets.
        for code in report.grouping.members {
            #expect(site["gemeente-\(code).html"]!.contains("href=\"uw-aandeel-\(code).html\""))
        }
        #expect(!site["index.html"]!.contains("uw-aandeel-"))
    }

    @Test("a long school list stops after 30; Haaglanden-sized cost pages stay small")
    func longSchoolList() throws {
        let report = try DashboardFixture.haaglandenScale()
        let split = try #require(report.costSplits.first)
        #expect(split.schools.count > 30)
        let site = pages(report)
        let costs = try #require(site["kosten.html"])
        #expect(costs.contains(" en \(split.schools.count - 30) meer."))
        #expect(costs.contains("(\(split.schools[29]))") && !costs.contains("(\(split.schools[30]))"))
        #expect(site.keys.filter { $0.hasPrefix("uw-aandeel-") }.count == split.lines.count)
        #expect(tableRows(costs).contains { $0.contains("<td class=\"n total\">€\u{00A0}250.000,00</td>") })
    }

    @Test("team page and gemeente pages mark schools from the threshold on")
    func teams() throws {
        let report = DashboardFixture.small()
        let site = pages(report)
        let teams = try #require(site["teams.html"])
        #expect(teams.contains("<h1>Koppeling scholen en lokale teams</h1>"))
        #expect(teams.contains("vanaf \(report.teamThreshold) leerlingen"))
        for code in report.grouping.members {
            let gemeente = try #require(site["gemeente-\(code).html"])
            let attended = report.schoolsAttended(by: code)
            let above = attended.filter { Int($0.pupils.estimate.rounded(.toNearestOrAwayFromZero)) >= report.teamThreshold }
            #expect(gemeente.components(separatedBy: ">afspraak aanbevolen<").count - 1 == above.count, "\(code)")
            #expect(gemeente.contains("Vanaf \(report.teamThreshold) leerlingen (schatting)"))
            // Same ranking as the export: the table rows follow schoolsAttended.
            let names = attended.map { "<th scope=\"row\">\(escapeHTML($0.school.name))</th>" }
            let positions = names.compactMap { gemeente.range(of: $0)?.lowerBound }
            #expect(positions.count == names.count && positions == positions.sorted(), "\(code)")
            // The team page: one row per region gemeente with the count of schools elsewhere above the threshold.
            #expect(teams.contains("<th scope=\"row\"><a href=\"#gemeente-\(code)\">\(escapeHTML(report.name(code)))</a></th>"
                + "<td class=\"n k\">\(attended.count)</td><td class=\"n k\">\(above.count)</td>"))
            // Each gemeente has its own section with an anchor on the team page.
            #expect(teams.contains("<h2 id=\"gemeente-\(code)\">Scholen in \(escapeHTML(report.name(code)))</h2>"))
            // Every school from the threshold on is listed in the main table of the gemeente page, the rest folded.
            let main = gemeente.components(separatedBy: "id=\"scholen-elders-overig\"")[0]
            for (school, _) in above { #expect(main.contains("<th scope=\"row\">\(escapeHTML(school.name))</th>"), "\(code): \(school.id)") }
        }
        // Every school location in the region, under an h3 of its gemeente, with its local teams.
        for school in report.schools where report.grouping.isMember(school.gemeente) {
            let teamsCount = school.homes.filter { $0.pupils.max > 0 && !$0.code.hasPrefix("P") && $0.code != unresolvedHome }.count
            #expect(teams.contains("<th scope=\"row\">\(escapeHTML(school.name)) (\(school.id))</th>"), "\(school.id)")
            #expect(tableRows(teams).contains { $0.contains("(\(school.id))</th>") && $0.contains("<td class=\"n k\">\(teamsCount)</td>") })
        }
        #expect(!teams.contains("(S4)") && !teams.contains("(S5)"), "schools outside the region are not listed")
        #expect(!teams.contains("<h3>"))
    }

    @Test("a gemeente page lists every school from the threshold on, also beyond 30; the others folded, none lost")
    func everySchoolAboveThreshold() throws {
        var report = try DashboardFixture.haaglandenScale()
        report.teamThreshold = 5
        let site = pages(report)
        var longest = 0
        for code in report.grouping.members {
            let page = try #require(site["gemeente-\(code).html"])
            let attended = report.schoolsAttended(by: code)
            let above = attended.filter { report.recommendsAgreement($0.pupils) }
            longest = max(longest, above.count)
            let parts = page.components(separatedBy: "id=\"scholen-elders-overig\"")
            for (school, _) in attended {
                let row = "<th scope=\"row\">\(escapeHTML(school.name))</th>"
                let isAbove = report.recommendsAgreement(attended.first { $0.school.id == school.id }!.pupils)
                #expect(parts[0].contains(row) == isAbove, "\(code): \(school.id)")
                #expect(isAbove || (parts.count == 2 && parts[1].contains(row)), "\(code): \(school.id) ontbreekt")
            }
        }
        #expect(longest > 30, "the fixture has a gemeente with more than 30 schools above the threshold")
    }

    @Test("the mark 'afspraak aanbevolen' sits on exactly the schools elsewhere with at least the threshold of a gemeente's pupils")
    func agreementMarks() throws {
        let report = DashboardFixture.small()
        let site = pages(report)
        var marked = 0
        for code in report.grouping.members {
            // Straight from the report model: schools in another gemeente whose pupils from `code` reach the threshold.
            let expected = report.schools.filter { school in
                school.gemeente != code && Int((school.homes.first { $0.code == code }?.pupils.estimate ?? 0).rounded(.toNearestOrAwayFromZero)) >= report.teamThreshold
            }.map(\.name).sorted()
            let rows = tableRows(try #require(site["gemeente-\(code).html"])).filter { $0.contains("<td>afspraak aanbevolen</td>") }
            let names = rows.compactMap { row in expected.first { row.hasPrefix("<th scope=\"row\">\(escapeHTML($0))</th>") } }
            #expect(rows.count == expected.count && names.sorted() == expected, "\(code): \(rows)")
            marked += expected.count
        }
        // 0518: S2 (25 pupils) and S3 (45 + <5); 0603: S1 (8 + <5, estimate 10,5); 0503: none.
        #expect(marked == 3)
    }

    /// The records of a CSV file (`;`, fields with `;`, `"` or a line break in double quotes).
    func csvRecords(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = "", quoted = false, previousQuote = false
        for c in text.unicodeScalars {
            if quoted {
                if c == "\"" { quoted = false; previousQuote = true } else { field.unicodeScalars.append(c) }
                continue
            }
            if c == "\"" { if previousQuote { field += "\"" }; quoted = true; previousQuote = false; continue }
            previousQuote = false
            switch c {
            case ";": record.append(field); field = ""
            case "\n": record.append(field); records.append(record); record = []; field = ""
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    @Test("every table has a CSV download beside its page, with estimate, 90% interval and bounds per count, never 1 to 4")
    func csvDownloads() throws {
        let all = Dashboard.render(DashboardFixture.small())
        let files = Dictionary(uniqueKeysWithValues: all.map { ($0.path, $0.html) })
        var checked = 0
        for (path, html) in all where path.hasSuffix(".html") && !path.hasPrefix("notitieboek-") {
            let tables = html.components(separatedBy: "<table").count - 1 - html.components(separatedBy: "<div class=\"print\">").count + 1
            let links = html.components(separatedBy: "download=\"\"").dropFirst().count
            #expect(links == tables, "\(path): \(tables) tabellen, \(links) CSV-links")
            for piece in html.components(separatedBy: "<p class=\"csv\"><a href=\"").dropFirst() {
                let csvPath = String(piece.prefix { $0 != "\"" })
                #expect(csvPath.hasPrefix(String(path.dropLast(5)) + "-") && csvPath.hasSuffix(".csv"), "\(path): \(csvPath)")
                let csv = try #require(files[csvPath], "\(path): \(csvPath) ontbreekt")
                #expect(csv.hasPrefix("\u{FEFF}"))
                let lines = csvRecords(String(csv.dropFirst()))
                let header = lines[0]
                for row in lines.dropFirst() {
                    #expect(row.count == header.count, "\(csvPath)")
                    // Pupil counts only: a change of a share in percentage points is not a count.
                    for (name, value) in zip(header, row) where [" (schatting)", " min", " max", " 90%-interval laag", " 90%-interval hoog"].contains(where: name.hasSuffix)
                        && !name.contains("procentpunt") {
                        if let n = Int(value) { #expect(!(1...4).contains(abs(n)), "\(csvPath): \(name) = \(value)") }
                        checked += 1
                    }
                }
            }
        }
        #expect(checked > 500)
        // The matrix: one column per school gemeente and per value (estimate, 90% interval, min, max), one row per home gemeente.
        let m = DashboardFixture.small().matrix(DashboardFixture.small().latest!, .po)!
        let matrix = try #require(files["matrix-po-matrix-po.csv"])
        #expect(matrix.split(separator: "\n").count == 1 + m.groups.count + 1)
        let header = csvRecords(String(matrix.dropFirst()))[0]
        #expect(header.count == 1 + 5 * (m.groups.count + 1))
        #expect(Array(header[1...5]) == ["\(m.groups.map(DashboardFixture.small().name)[0]) (schatting)", "\(m.groups.map(DashboardFixture.small().name)[0]) 90%-interval laag",
                                         "\(m.groups.map(DashboardFixture.small().name)[0]) 90%-interval hoog", "\(m.groups.map(DashboardFixture.small().name)[0]) min",
                                         "\(m.groups.map(DashboardFixture.small().name)[0]) max"])
        // A drawn, not exact cell has its interval in the CSV; the interval lies within the bounds.
        let total = try #require(csvRecords(String(matrix.dropFirst())).last)
        let totalCell = m.total
        #expect(total.suffix(5) == ["\(Int(totalCell.estimate.rounded(.toNearestOrAwayFromZero)))", "\(totalCell.interval90!.min)", "\(totalCell.interval90!.max)",
                                    "\(totalCell.min)", "\(totalCell.max)"])
    }

    @Test("key weights in thousandths of a pupil: exact digits, and <5 below five pupils")
    func keyWeights() {
        #expect(milli(37_590) == "37,590" && milli(412_300) == "412,300" && milli(1_931_602) == "1.931,602" && milli(7) == "0,007")
        #expect(keyPupils(0) == "0,000" && keyPupils(1_480) == "<5" && keyPupils(4_999) == "<5" && keyPupils(5_000) == "5,000")
    }

    @Test("pupil counts and amounts on the new pages never show 1 to 4")
    func noSmallCounts() throws {
        let site = pages(DashboardFixture.small())
        var checked = 0
        for path in site.keys.sorted() where path == "kosten.html" || path == "teams.html" || path.hasPrefix("uw-aandeel-") {
            // Counts of schools or local teams (class "n k") are not pupil counts: leave those cells out.
            let html = site[path]!.components(separatedBy: "<td class=\"n k\">").enumerated()
                .map { $0.offset == 0 ? $0.element : String($0.element.drop { $0 != "<" }) }.joined()
            for cell in cellTexts(html, tag: "td") {
                for n in wholeNumbers(cell) {
                    #expect(!(1...4).contains(n), "\(path): cel '\(cell)' toont \(n)")
                    checked += 1
                }
            }
        }
        #expect(checked > 40)
        #expect(site["kosten.html"]!.contains("&lt;5"), "the fixture has masked pupils in a cost split")
    }
}

@Suite("Dashboard: maps")
struct MapPageTests {
    /// The small report with four square gemeenten side by side (the region's three and Rotterdam).
    static func report(hostile: Bool = false) -> Report {
        var report = DashboardFixture.small(hostile: hostile)
        let squares = ["0503", "0518", "0603", "0599"].enumerated().map { i, code in
            MapShape(code: code, name: "Kaartnaam \(code)", path: "M\(i * 1000) 0l1000 0 0 1000-1000 0z",
                     minX: i * 1000, minY: 0, maxX: i * 1000 + 1000, maxY: 1000, labelX: i * 1000 + 500, labelY: 500)
        }
        report.map = RegionMap.make(GemeenteShapes(year: 2024, attribution: "CBS / PDOK (CC BY 4.0)", shapes: squares), members: report.grouping.members)
        return report
    }

    func svg(_ html: String, id: String) -> String? {
        guard let i = html.range(of: "aria-labelledby=\"\(id)-t\"") else { return nil }
        let start = html[..<i.lowerBound].range(of: "<svg", options: .backwards)!.lowerBound
        return String(html[start..<html[i.upperBound...].range(of: "</svg>")!.upperBound])
    }

    @Test("the index has a map of the region with its legend, a sentence and a table of the same shares")
    func indexMap() throws {
        let report = Self.report()
        let index = try #require(pages(report)["index.html"])
        let map = try #require(svg(index, id: "kaart"))
        #expect(map.utf8.count < 60_000)
        for code in report.grouping.members {
            #expect(map.contains(">\(escapeHTML(report.name(code)))</text>"), "label \(code)")
            #expect(index.contains("<th scope=\"row\"><a href=\"gemeente-\(code).html\">\(escapeHTML(report.name(code)))</a></th>"), "table \(code)")
        }
        // A region member is filled by its class, a neighbour grey; the legend names the classes and the source.
        #expect(map.contains("fill=\"#ececec\"") && map.contains("minder dan 5%") && map.contains("CBS / PDOK (CC BY 4.0)"))
        #expect(index.contains("id=\"kaart-tabel\"") && index.contains("buiten de eigen gemeente naar school gaat, is het grootst in"))
    }

    @Test("a gemeente page outlines the gemeente and draws its largest flows as arrows, the same flows as in its table")
    func gemeenteMap() throws {
        let report = Self.report()
        let site = pages(report)
        var checked = 0
        for code in report.grouping.members {
            let page = try #require(site["gemeente-\(code).html"])
            let flows = try #require(report.latest.flatMap { report.matrix($0, .alle) }).crossingFlows(limit: 1000)
            let expected = report.largestFlows(touching: code, soort: .alle, limit: 100).filter { f in
                let m = report.matrix(report.latest!, .alle)!
                return report.map!.shape(m.groups[f.home]) != nil && report.map!.shape(m.groups[f.school]) != nil
            }.prefix(6)
            #expect(!flows.isEmpty)
            guard !expected.isEmpty else { continue }
            let map = try #require(svg(page, id: "kaart"), "\(code)")
            #expect(map.contains("stroke-width=\"3.5\""), "\(code): highlighted")
            #expect(map.components(separatedBy: "<polygon").count - 1 == expected.count, "\(code): one arrow per flow")
            let table = try #require(page.components(separatedBy: "id=\"kaart-stromen\"").dropFirst().first)
            #expect(table.components(separatedBy: "</table>")[0].components(separatedBy: "<tr>").count - 2 == expected.count, "\(code)")
            checked += 1
        }
        #expect(checked == report.grouping.members.count)
    }

    @Test("map labels and titles escape hostile names")
    func hostileMap() throws {
        let report = Self.report(hostile: true)
        for (_, html) in pages(report) { #expect(!html.contains("<script>alert")) }
    }
}
