import GrensCore

/// The static dashboard: one self-contained HTML file per page (inline CSS and SVG, no JavaScript, no
/// external resources), Dutch, accessible and printable on A4 landscape. Every number goes through
/// `Publish`, so no count from 1 to 4 is ever shown.
public enum Dashboard {
    /// All pages of the site: relative file name → complete HTML document, each followed by the CSV files of its
    /// tables (the `html` of a `.csv` entry is the CSV text, Excel NL, disclosure rule applied by `ExportTable`).
    /// Deterministic (same report → same bytes).
    /// `notebooks`: the analyst's notebooks after their SQL ran; each becomes a page, linked from the index.
    public static func render(_ report: Report, notebooks: [NotebookRun] = []) -> [(path: String, html: String)] {
        let site = Site(report, notebooks: notebooks)
        var pages: [Page] = [site.indexPage()]
        for soort in report.soorten { if let p = site.matrixPage(soort) { pages.append(p) } }
        for soort in report.soorten { if let p = site.flowPage(soort) { pages.append(p) } }
        for soort in report.soorten { if let p = site.soortPage(soort) { pages.append(p) } }
        for code in site.gemeenten { pages.append(site.gemeentePage(code)) }
        for code in site.swvs { if let p = site.swvPage(code) { pages.append(p) } }
        if !report.changes.isEmpty { pages.append(site.changePage()) }
        if !report.costSplits.isEmpty {
            pages.append(site.costPage())
            for code in site.sheetGemeenten { pages.append(site.sheetPage(code)) }
        }
        if !report.schools.isEmpty { pages.append(site.teamsPage()) }
        for run in notebooks { pages.append(site.notebookPage(run)) }
        pages.append(site.aboutPage())
        // Every table's CSV download becomes a file beside its page (`<page>-<table id>.csv`), after the page.
        var out: [(path: String, html: String)] = []
        for page in pages {
            var files: [(path: String, html: String)] = []
            let stem = String(page.path.dropLast(".html".count))
            let body = page.body.map { $0.expandingDownloads(prefix: stem, into: &files) }
            out.append((page.path, site.document(Page(path: page.path, title: page.title, body: body, section: page.section))))
            out += files
        }
        return out
    }

    static func matrixPath(_ s: SoortSelection) -> String { "matrix-\(s.rawValue).html" }
    static func flowPath(_ s: SoortSelection) -> String { "stromen-\(s.rawValue).html" }
    static func soortPath(_ s: SoortSelection) -> String { "soort-\(s.rawValue).html" }
    static func gemeentePath(_ code: String) -> String { "gemeente-\(slug(code)).html" }
    static func swvPath(_ code: String) -> String { "swv-\(slug(code)).html" }
    static let changePath = "verandering.html"
    static let aboutPath = "over.html"
}

struct Page {
    let path: String
    let title: String
    let body: [Node]
    /// The nav entry this page belongs to, when it has none of its own (the "uw aandeel" sheets: kosten).
    var section: String? = nil
}

/// What every page needs to know about the site: the report, the latest peildatum and the page list (nav).
struct Site {
    let report: Report
    let latest: Peildatum?
    /// Region members, by name.
    let gemeenten: [String]
    /// Samenwerkingsverbanden with figures for the latest peildatum, by code.
    let swvs: [String]
    let soortenWithMatrix: [SoortSelection]
    /// The notebook pages of the site (path, title), in the order given.
    let notebookPages: [(path: String, title: String)]

    init(_ report: Report, notebooks: [NotebookRun] = []) {
        self.report = report
        notebookPages = notebooks.map { (Dashboard.notebookPath($0), $0.notebook.title) }
        let latest = report.latest
        self.latest = latest
        let members = Set(report.grouping.members)
        gemeenten = report.grouping.order.filter { members.contains($0) }
        var seen: Set<String> = []
        swvs = (latest.flatMap { report.swvShares[$0] } ?? []).map(\.swv).filter { seen.insert($0).inserted }.sorted()
        soortenWithMatrix = report.soorten.filter { s in latest.flatMap { report.matrix($0, s) } != nil }
    }

    var title: String { "Grensverkeer \(report.regionName)" }

    /// Names for the map: the report's names, else the name in the outline file (gemeenten no pupil came from).
    var mapNames: [String: String] {
        var out: [String: String] = [:]
        for shape in report.map?.shapes ?? [] { out[shape.code] = report.gemeenteNames[shape.code] ?? report.grouping.names[shape.code] ?? shape.name }
        return out
    }

    // MARK: page shell

    func document(_ page: Page) -> String {
        var out = "<!doctype html>\n"
        el("html", ["lang": "nl"],
           el("head",
              .raw("<meta charset=\"utf-8\">"),
              .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
              el("title", .text("\(page.title) — \(title)")),
              el("style", .raw("\n" + Dashboard.css + "\n" + printFooter + "\n"))),
           el("body",
              el("a", ["class": "skip", "href": "#inhoud"], "Direct naar de inhoud"),
              el("header",
                 el("p", ["class": "site"], el("a", ["href": "index.html"], .text(title))),
                 report.synthetic ? el("p", ["class": "synth", "role": "note"], "SYNTHETISCHE GEGEVENS — geen echte leerlingaantallen") : .empty,
                 el("details", ["class": "menu"], el("summary", "Menu: alle pagina's"), nav(current: page.section ?? page.path))),
              el("main", ["id": "inhoud", "tabindex": "-1"], page.body),
              footer()))
            .render(into: &out)
        out += "\n"
        return out
    }

    /// What a printed page says at its foot. Chromium (since version 131) draws `@page` margin boxes with the page
    /// counters, so every sheet carries the peildatum, the data version and "pagina 2 van 3" without script; the
    /// page's own footer is left out of print, it would only repeat this on a last, nearly empty sheet.
    var printFooter: String {
        var left = report.synthetic ? "SYNTHETISCHE GEGEVENS · " + title : title
        if let latest { left += " · peildatum \(dutchDate(latest))" }
        left += " · gegevensversie \(report.dataVersion) · <5 = 1 t/m 4 leerlingen, ≈ = schatting"
        let font = "font:7.5pt system-ui,sans-serif;color:#4a4a4a"
        return "@page{@bottom-left{content:\(cssString(left));\(font)}"
            + "@bottom-right{content:\"pagina \" counter(page) \" van \" counter(pages);\(font)}}"
    }

    func footer() -> Node {
        var parts: [Node] = [.text(title)]
        if let latest { parts.append(.text(" · peildatum \(dutchDate(latest))")) }
        parts.append(.text(" · gegevensversie \(report.dataVersion) · DUO open data (CC0) · "))
        parts.append(el("a", ["href": Dashboard.aboutPath], "Over deze cijfers"))
        parts.append(" · Getallen van 1 t/m 4 worden nooit getoond (<5); ≈ is een schatting binnen de getoonde grenzen.")
        return el("footer", parts)
    }

    func nav(current: String) -> Node {
        func link(_ path: String, _ label: String, title: String? = nil) -> Node {
            el("a", ["href": path, "aria-current": path == current ? "page" : nil, "title": title], .text(label))
        }
        func row(_ label: String, _ links: [Node]) -> Node {
            links.isEmpty ? .empty : el("li", el("span", ["class": "lbl"], .text(label + ":")), el("ul", links.map { el("li", $0) }))
        }
        var items: [Node] = [el("li", link("index.html", "Overzicht"))]
        items.append(row("Matrix", soortenWithMatrix.map { link(Dashboard.matrixPath($0), $0.short, title: $0.label) }))
        items.append(row("Stromen", soortenWithMatrix.map { link(Dashboard.flowPath($0), $0.short, title: $0.label) }))
        items.append(row("Aandelen per soort", soortenWithMatrix.map { link(Dashboard.soortPath($0), $0.short, title: $0.label) }))
        items.append(row("Gemeenten", gemeenten.map { link(Dashboard.gemeentePath($0), report.name($0)) }))
        items.append(row("Samenwerkingsverbanden", swvs.map { link(Dashboard.swvPath($0), $0, title: report.swvNames[$0]) }))
        var last: [Node] = []
        if !report.changes.isEmpty { last.append(link(Dashboard.changePath, "Verandering")) }
        if !report.costSplits.isEmpty { last.append(link(Dashboard.costPath, "Kosten")) }
        if !report.schools.isEmpty { last.append(link(Dashboard.teamsPath, "Scholen en lokale teams")) }
        last.append(link(Dashboard.aboutPath, "Over deze cijfers"))
        items.append(row("Notitieboeken", notebookPages.map { link($0.path, $0.title) }))
        items.append(row("Verder", last))
        return el("nav", ["aria-label": "Hoofdmenu"], el("ul", items))
    }
}

// MARK: shared formatting and building blocks

let dutchMonths = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                   "oktober", "november", "december"]

/// `1 oktober 2024`.
func dutchDate(_ d: Peildatum) -> String { "\(d.day) \(dutchMonths[d.month - 1]) \(d.year)" }

/// `1 oktober 2024 (schooljaar 2024-2025)`.
func peildatumText(_ d: Peildatum) -> String { "\(dutchDate(d)) (schooljaar \(d.schoolYear))" }

/// A count in running text: `≈123 (110–140)`, `37`, `<5`.
func quantityText(_ q: Quantity) -> String {
    let c = Publish.count(q), r = Publish.range(q)
    return c == r || c == "<5" ? c : "\(c) (\(r))"
}

/// A share in running text: `≈10,0% (6,4–26,6%)`, or `10,0%` when exact.
func shareText(_ s: Share?) -> String {
    guard let s else { return "–" }
    let text = Publish.share(s)
    return text.contains("(") ? "≈" + text : text
}

/// A change in percentage points: `≈+1,6 procentpunt`, `≈−0,3`; always an estimate (shares of two years).
func pointsText(_ p: Double, unit: Bool = true) -> String {
    let text = DutchFormat.decimal(p, decimals: 1)
    let signed = text == "0,0" ? text : (p > 0 ? "+" + text : minusSigns(text))
    return "≈" + signed + (unit ? " procentpunt" : "")
}

/// A change in running text: `≈+12 (8–15)`, `+12` when exact.
func changeText(_ c: Change) -> String {
    let e = changeEstimate(c)
    return c.min == c.max ? e : "\(e) (\(changeRange(c)))"
}

/// A change or balance as shown: `+12`, `−<5`, `0`, with `≈` when it is an estimate (its bounds differ).
func changeEstimate(_ c: Change) -> String {
    let e = minusSigns(Publish.change(c))
    return c.min == c.max || e == "0" ? e : "≈" + e
}

/// The bounds of a change: `−15–8`; a negative upper end gets spaces around the dash (`−15 – −8`).
func changeRange(_ c: Change) -> String {
    func one(_ n: Int) -> String { minusSigns(Publish.integer(n)) }
    if c.min == c.max { return one(c.min) }
    return one(c.min) + (c.max < 0 ? " – " : "–") + one(c.max)
}

/// Displayed negative numbers use the minus sign (U+2212), not the hyphen: `-12` → `−12`, `-<5` → `−<5`. Only for
/// numbers the dashboard formats itself; names keep their hyphens.
func minusSigns(_ s: String) -> String {
    var out = "", previous: Character = " "
    for (i, ch) in s.enumerated() {
        let next = s.dropFirst(i + 1).first
        if ch == "-" && (previous == " " || previous == "(" || i == 0) && (next.map { $0.isNumber || $0 == "<" || $0 == "€" } ?? false) {
            out.append("\u{2212}")
        } else {
            out.append(ch)
        }
        previous = ch
    }
    return out
}

/// Thousandths of a pupil as the cost split weighs them: `37590` → `37,590`. Exact (integer digits, no rounding).
func milli(_ units: Int) -> String {
    let rest = String(units.magnitude % 1000)
    return (units < 0 ? "\u{2212}" : "") + DutchFormat.integer(Int(units.magnitude / 1000)) + "," + String(repeating: "0", count: 3 - rest.count) + rest
}

/// A cost key weight in thousandths of a pupil as shown: `37,590`, but `<5` for an estimate below 5 pupils (the
/// disclosure rule holds for estimates too; `4,500` would say "fewer than five" just as well as a hidden count).
func keyPupils(_ units: Int) -> String { units > 0 && units < 5_000 ? "<5" : milli(units) }

/// An amount as shown: `€ 1.234,56` with a non-breaking space, so the sign never ends a line without its amount.
func euro(_ cents: Int) -> String {
    minusSigns(DutchFormat.euro(cents: cents)).replacingOccurrences(of: " ", with: "\u{00A0}")
}

enum Table {
    static func colHeader(_ label: String, numeric: Bool = false) -> Node {
        el("th", ["scope": "col", "class": numeric ? "n" : nil], .text(label))
    }

    static func rowHeader(_ content: Node) -> Node { el("th", ["scope": "row"], content) }

    /// CSV columns of a count, a change or a share: the estimate, then the bounds (each disclosure-controlled).
    static func csv(_ q: Quantity) -> [CSVField] {
        [CSVField(suffix: " (schatting)", value: .count(Int(q.estimate.rounded(.toNearestOrAwayFromZero)))),
         CSVField(suffix: " min", value: .count(q.min)), CSVField(suffix: " max", value: .count(q.max))]
    }

    static func csv(_ c: Change) -> [CSVField] {
        [CSVField(suffix: " (schatting)", value: .change(Int(c.estimate.rounded(.toNearestOrAwayFromZero)))),
         CSVField(suffix: " min", value: .change(c.min)), CSVField(suffix: " max", value: .change(c.max))]
    }

    static func csv(_ s: Share?) -> [CSVField] {
        guard let s else { return [" (%)", " min (%)", " max (%)"].map { CSVField(suffix: $0, value: .empty) } }
        return [CSVField(suffix: " (%)", value: .percent(s.estimate)), CSVField(suffix: " min (%)", value: .percent(s.min)),
                CSVField(suffix: " max (%)", value: .percent(s.max))]
    }

    /// An amount in a table: shown as `€ 1.234,56`, in the CSV as euros with a decimal comma.
    static func amount(_ cents: Int, total: Bool = false) -> Node {
        .cell(el("td", ["class": total ? "n total" : "n"], .text(euro(cents))), [CSVField(suffix: " (€)", value: .euro(cents))])
    }

    /// A count cell: the published count, and when it is not exact its bounds on a second line.
    static func count(_ q: Quantity, extraClass: String? = nil, title: String? = nil) -> Node {
        let c = Publish.count(q), r = Publish.range(q)
        let cls = extraClass.map { "n " + $0 } ?? "n"
        if c == r || c == "<5" { return .cell(el("td", ["class": cls, "title": title], .text(c)), csv(q)) }
        return .cell(el("td", ["class": cls, "title": title], .text(c), el("span", ["class": "b"], .text(r))), csv(q))
    }

    static func share(_ s: Share?) -> Node {
        guard let s else { return .cell(el("td", ["class": "n"], "–"), csv(nil as Share?)) }
        let e = DutchFormat.percent(s.estimate), lo = DutchFormat.percent(s.min), hi = DutchFormat.percent(s.max)
        if lo == hi { return .cell(el("td", ["class": "n"], .text(e)), csv(s)) }
        return .cell(el("td", ["class": "n"], .text("≈" + e), el("span", ["class": "b"], .text("\(lo.dropLast())–\(hi)"))), csv(s))
    }

    static func change(_ c: Change) -> Node {
        let e = changeEstimate(c)
        if c.min == c.max { return .cell(el("td", ["class": "n"], .text(e)), csv(c)) }
        return .cell(el("td", ["class": "n"], .text(e), el("span", ["class": "b"], .text(changeRange(c)))), csv(c))
    }

    static func text(_ s: String) -> Node { el("td", .text(s)) }

    /// A change of a share in percentage points: the estimate, and its true bounds below.
    static func points(_ c: Report.OutflowChange) -> Node {
        guard let p = c.points, let r = c.pointsRange else { return el("td", ["class": "n"], "–") }
        return el("td", ["class": "n"], .text(pointsText(p, unit: false)),
                  el("span", ["class": "b"], .text(minusSigns("\(DutchFormat.decimal(r.min, decimals: 1))") + (r.max < 0 ? " – " : "–")
                      + minusSigns(DutchFormat.decimal(r.max, decimals: 1)))))
    }

    /// A table with caption, header row and body, inside a keyboard-scrollable region whose header row and first
    /// column stay in view. With `printColumns`, a table with more data columns than that prints as parts of at
    /// most that many columns, each with the row headers (first column) repeated: A4 landscape holds about 14
    /// matrix columns at 7 pt. The screen keeps the one table.
    static func make(id: String, caption: String, columns: [Node], rows: [[Node]], className: String? = nil, printColumns: Int? = nil,
                     csv: Bool = true) -> Node {
        func table(_ id: String, _ caption: String, _ columns: [Node], _ rows: [[Node]], _ cls: String?) -> Node {
            el("table", ["class": cls],
               el("caption", ["id": id], .text(caption)),
               el("thead", el("tr", columns)),
               el("tbody", rows.map { el("tr", $0) }))
        }
        let download: Node = csv ? .download(id: id, caption: caption, table: export(columns: columns, rows: rows)) : .empty
        let dataColumns = columns.count - 1
        guard let limit = printColumns, dataColumns > limit, rows.allSatisfy({ $0.count == columns.count }) else {
            return .group([el("div", ["class": "scroll", "role": "region", "aria-labelledby": id, "tabindex": "0"],
                              table(id, caption, columns, rows, className)), download])
        }
        let parts = (dataColumns + limit - 1) / limit
        let size = (dataColumns + parts - 1) / parts
        var out: [Node] = [el("div", ["class": "scroll screen", "role": "region", "aria-labelledby": id, "tabindex": "0"],
                              table(id, caption, columns, rows, className))]
        for part in 0..<parts {
            let range = (1 + part * size)..<Swift.min(columns.count, 1 + (part + 1) * size)
            out.append(el("div", ["class": "print"],
                          table("\(id)-deel\(part + 1)", "\(caption) — deel \(part + 1) van \(parts)",
                                [columns[0]] + columns[range], rows.map { [$0[0]] + $0[range] }, className)))
        }
        return .group(out + [download])
    }

    /// The CSV of a table: per column as many CSV columns as its widest cell has values (a count: estimate, min,
    /// max), named after the header with the value's suffix.
    static func export(columns: [Node], rows: [[Node]]) -> ExportTable {
        let fields = rows.map { $0.map(\.csvFields) }
        var names: [String] = [], widths: [Int] = []
        for (j, header) in columns.enumerated() {
            let widest = fields.compactMap { j < $0.count ? $0[j] : nil }.max { $0.count < $1.count } ?? [CSVField(suffix: "", value: .empty)]
            let label = header.plainText
            widths.append(widest.count)
            names += widest.map { label + $0.suffix }
        }
        return ExportTable(columns: names, rows: fields.map { row in
            widths.indices.flatMap { j -> [ExportTable.Cell] in
                let cells = j < row.count ? row[j].map(\.value) : []
                return cells + Array(repeating: .empty, count: widths[j] - cells.count)
            }
        })
    }
}

/// A chart with its caption. The chart sits in its own scroll box: on a narrow screen it keeps its minimum width
/// (text never below 10 px) and scrolls sideways instead of shrinking.
func figure(_ chart: Node, caption: String) -> Node {
    el("figure", el("div", ["class": "chartbox", "role": "region", "aria-label": "Grafiek (schuift zijwaarts op een smal scherm)", "tabindex": "0"], chart),
       el("figcaption", .text(caption)))
}

func summary(_ s: String) -> Node { el("p", ["class": "summary"], .text(s)) }

func link(_ path: String, _ label: String) -> Node { el("a", ["href": path], .text(label)) }

/// The rest of `total` after `part` (whose cells are a subset of total's), with bounds that stay true bounds
/// even when exact school margins made `total` tighter than its parts: never a reversed interval.

func ownSwvShare(_ s: GemeenteShares) -> Share? { s.ownSwvShare }
