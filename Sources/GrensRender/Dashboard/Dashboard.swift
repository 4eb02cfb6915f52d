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
        reportPages(report, notebooks: notebooks.map(\.link)) + notebookPages(report, runs: notebooks)
    }

    /// The pages of `render` but the notebook pages, which they link to (`notebooks`): made while the notebooks
    /// still run.
    public static func reportPages(_ report: Report, notebooks: [NotebookLink]) -> [(path: String, html: String)] {
        let site = Site(report, notebooks: notebooks)
        // The pages in site order; each is made and laid out on its own, on all cores, and put back in its place.
        var pages: [@Sendable (Site) -> Page?] = [{ $0.indexPage() }]
        for soort in report.soorten { pages.append { $0.matrixPage(soort) } }
        for soort in report.soorten { pages.append { $0.flowPage(soort) } }
        for soort in report.soorten { pages.append { $0.soortPage(soort) } }
        for code in site.gemeenten { pages.append { $0.gemeentePage(code) } }
        for code in site.swvs { pages.append { $0.swvPage(code) } }
        if !report.changes.isEmpty { pages.append { $0.changePage() } }
        if !report.costSplits.isEmpty {
            pages.append { $0.costPage() }
            for code in site.sheetGemeenten { pages.append { $0.sheetPage(code) } }
        }
        if !report.schools.isEmpty { pages.append { $0.teamsPage() } }
        pages.append { $0.aboutPage() }
        return make(pages, site)
    }

    /// The notebook pages of `render`, once their SQL ran (`runs`: every notebook of the site).
    public static func notebookPages(_ report: Report, runs: [NotebookRun]) -> [(path: String, html: String)] {
        make(runs.map { run in { $0.notebookPage(run) } }, Site(report, notebooks: runs.map(\.link)))
    }

    /// Every page made and laid out on its own, on all cores, in the given order. Every table's CSV download becomes
    /// a file beside its page (`<page>-<table id>.csv`), after the page.
    private static func make(_ makers: [@Sendable (Site) -> Page?], _ site: Site) -> [(path: String, html: String)] {
        concurrentMap(makers.count) { i -> [(path: String, html: String)] in
            guard let page = makers[i](site) else { return [] }
            var files: [(path: String, html: String)] = []
            let stem = String(page.path.dropLast(".html".count))
            let body = page.body.map { $0.expandingDownloads(prefix: stem, into: &files) }
            return [(page.path, site.document(Page(path: page.path, title: page.title, body: body, section: page.section)))] + files
        }.flatMap { $0 }
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
    /// The notebook pages of the site, in the order given.
    let notebookPages: [NotebookLink]
    /// `Report.dataVersion`, a sha256 over every source file's sha256: worked out once, every page shows it twice.
    let dataVersion: String

    init(_ report: Report, notebooks: [NotebookLink] = []) {
        self.report = report
        dataVersion = report.dataVersion
        notebookPages = notebooks
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
        left += " · gegevensversie \(dataVersion) · <5 = 1 t/m 4 leerlingen, ≈ = schatting, (…) = 90%-interval"
        let font = "font:7.5pt system-ui,sans-serif;color:#4a4a4a"
        return "@page{@bottom-left{content:\(cssString(left));\(font)}"
            + "@bottom-right{content:\"pagina \" counter(page) \" van \" counter(pages);\(font)}}"
    }

    func footer() -> Node {
        var parts: [Node] = [.text(title)]
        if let latest { parts.append(.text(" · peildatum \(dutchDate(latest))")) }
        parts.append(.text(" · gegevensversie \(dataVersion) · DUO open data (CC0) · "))
        parts.append(el("a", ["href": Dashboard.aboutPath], "Over deze cijfers"))
        parts.append(" · Getallen van 1 t/m 4 worden nooit getoond (<5); ≈ is een schatting, tussen haakjes het 90%-interval.")
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

// MARK: numbers: estimate, 90% interval, hard bounds

/// One number as the dashboard shows it, in three parts: the headline (the estimate `≈951`, or the exact value
/// `37`), its 90% interval (`900–1.005`) and its hard bounds (`zeker tussen 804 en 2.787`). Every count, share and
/// change on the dashboard is written through this one type: in running text (`text`), in table cells
/// (`Table.count`, `share`, `change`, `points`) and in chart labels (`short`). Every part is disclosure-controlled
/// (`Publish`): a value from 1 to 4 is `<5`, a change of 1 to 4 is `<5 meer` or `<5 minder`.
struct Shown: Equatable {
    /// `≈951`, `37`, `<5`, `0`, `≈10,1%`, `≈+12`, `<5 meer`.
    let headline: String
    /// The 90% interval: `900–1.005`, `9,8–10,4%`, `+8 tot +15`; nil when the number is exact, was not drawn, or
    /// the interval would read the same at both ends or the same as the bounds.
    let interval: String?
    /// `zeker tussen 804 en 2.787`; nil when the number is exact.
    let bounds: String?
    /// Written after the headline in running text only (`procentpunt`); a table names it in its column header.
    var unit: String = ""

    /// Running text: `≈951 (900–1.005; zeker tussen 804 en 2.787)`; without an interval `≈951 (zeker tussen 804 en
    /// 2.787)`; exact `37`.
    var text: String {
        let inner = [interval, bounds].compactMap { $0 }
        return headline + unit + (inner.isEmpty ? "" : " (" + inner.joined(separator: "; ") + ")")
    }

    /// A chart label: the headline and the interval, `≈10,1% (9,8–10,4%)`; the bounds are drawn, not written.
    var short: String { headline + (interval.map { " (\($0))" } ?? "") }

    /// The content of a table cell: the headline with the interval, and the bounds on a small second line.
    var cell: [Node] {
        var out: [Node] = [.text(headline)]
        if let interval { out += [" ", el("span", ["class": "i"], .text("(\(interval))"))] }
        if let bounds { out.append(el("span", ["class": "b"], .text(bounds))) }
        return out
    }

    init(headline: String, interval: String?, bounds: String?, unit: String = "") {
        self.headline = headline
        self.interval = interval
        self.bounds = bounds
        self.unit = unit
    }

    /// `low–high` (or `low tot high` for signed numbers), nil when both ends read the same.
    private static func range(_ low: String, _ high: String, separator: String = "–") -> String? {
        low == high ? nil : low + separator + high
    }

    private static func between(_ low: String, _ high: String) -> String { "zeker tussen \(low) en \(high)" }

    /// A count: `≈951 (900–1.005; zeker tussen 804 en 2.787)`, `37`, `<5`, `0`, `≈6 (hoogstens 9; zeker hoogstens 16)`.
    init(_ q: Quantity) {
        let headline = Publish.count(q)
        guard !q.isExact && q.max > 4 else { self.init(headline: headline, interval: nil, bounds: nil); return }
        // A low end from 0 to 4 is not written (it would be `<5` or 0): the range says "at most" instead.
        let interval = q.interval90.flatMap { i -> String? in
            i == q.bounds || i.max <= 4 ? nil
                : i.min <= 4 ? "hoogstens " + Publish.integer(i.max) : Shown.range(Publish.integer(i.min), Publish.integer(i.max))
        }
        let bounds = q.min <= 4 ? "zeker hoogstens " + Publish.integer(q.max) : Shown.between(Publish.integer(q.min), Publish.integer(q.max))
        self.init(headline: headline, interval: interval, bounds: bounds)
    }

    /// A share: `≈10,1% (9,8–10,4%; zeker tussen 6,4% en 26,6%)`; `10,0%` when its bounds read the same; `–` without one.
    init(_ s: Share?) {
        guard let s else { self.init(headline: "–", interval: nil, bounds: nil); return }
        let e = DutchFormat.percent(s.estimate), lo = DutchFormat.percent(s.min), hi = DutchFormat.percent(s.max)
        guard lo != hi else { self.init(headline: e, interval: nil, bounds: nil); return }
        let interval = s.interval90.flatMap { i -> String? in
            var a = DutchFormat.percent(i.lowerBound), b = DutchFormat.percent(i.upperBound)
            // A narrow interval that reads the same at one decimal gets two, so it is not lost.
            if a == b { (a, b) = (DutchFormat.percent(i.lowerBound, decimals: 2), DutchFormat.percent(i.upperBound, decimals: 2)) }
            return a == b || (a, b) == (lo, hi) ? nil : "\(a.dropLast())–\(b)"
        }
        self.init(headline: "≈" + e, interval: interval, bounds: Shown.between(lo, hi))
    }

    /// A change or balance: `≈+12 (+8 tot +15; zeker tussen −3 en +40)`, `+12` when exact, `<5 meer`, `≈0`.
    init(_ c: Change) {
        guard c.min != c.max else { self.init(headline: Publish.signed(c.min), interval: nil, bounds: nil); return }
        let n = Int(c.estimate.rounded(.toNearestOrAwayFromZero))
        let headline = (1...4).contains(abs(n)) ? Publish.signed(n) : "≈" + Publish.signed(n)
        let interval = c.interval90.flatMap {
            $0 == Bounds(min: c.min, max: c.max) ? nil : Shown.range(Publish.signed($0.min), Publish.signed($0.max), separator: " tot ")
        }
        self.init(headline: headline, interval: interval, bounds: Shown.between(Publish.signed(c.min), Publish.signed(c.max)))
    }

    /// A change of a share in percentage points: `≈+1,7 procentpunt (+0,9 tot +2,5; zeker tussen −15,8 en +21,2)`.
    init(points c: Report.OutflowChange) {
        guard let p = c.points, let r = c.pointsRange else { self.init(headline: "–", interval: nil, bounds: nil); return }
        func one(_ x: Double) -> String {
            let text = DutchFormat.decimal(x, decimals: 1)
            return text == "0,0" ? text : (x > 0 ? "+" + text : minusSigns(text))
        }
        let lo = one(r.min), hi = one(r.max)
        guard lo != hi else { self.init(headline: one(p), interval: nil, bounds: nil, unit: " procentpunt"); return }
        let interval = c.pointsInterval90.flatMap { i in
            (one(i.lowerBound), one(i.upperBound)) == (lo, hi) ? nil : Shown.range(one(i.lowerBound), one(i.upperBound), separator: " tot ")
        }
        self.init(headline: "≈" + one(p), interval: interval, bounds: Shown.between(lo, hi), unit: " procentpunt")
    }

    /// Bounds known without an estimate (the refresh summary): `tussen 6.586 en 12.190`, `37`, `<5`, `0`.
    init(bounds b: Bounds) {
        if b.max == 0 { self.init(headline: "0", interval: nil, bounds: nil); return }
        if b.max <= 4 { self.init(headline: "<5", interval: nil, bounds: nil); return }
        if b.isExact { self.init(headline: Publish.integer(b.min), interval: nil, bounds: nil); return }
        self.init(headline: "tussen \(Publish.integer(b.min)) en \(Publish.integer(b.max))", interval: nil, bounds: nil)
    }

    /// A change known only by its bounds (the refresh summary): `+12`, `<5 meer`, `<5 minder tot +9`.
    init(change b: Bounds) {
        let headline = b.isExact ? Publish.signed(b.min) : Shown.range(Publish.signed(b.min), Publish.signed(b.max), separator: " tot ") ?? Publish.signed(b.min)
        self.init(headline: headline, interval: nil, bounds: nil)
    }
}

/// A count in running text (see `Shown`).
func quantityText(_ q: Quantity) -> String { Shown(q).text }

/// A share in running text (see `Shown`).
func shareText(_ s: Share?) -> String { Shown(s).text }

/// A change or balance in running text (see `Shown`).
func changeText(_ c: Change) -> String { Shown(c).text }

/// The legend under tables of counts: what `≈`, the interval in brackets and the small second line mean. The
/// coverage is the one measured in the README ("Accuracy"): 86,6–87,7% of OD cells in the three test sets.
let numbersLegend = "≈ is de schatting; tussen haakjes het 90%-interval: daarbinnen ligt de echte waarde meestal "
    + "(in een test op een jaar zonder afscherming in 87 tot 90 van de 100 gevallen). Kleine regel (zeker tussen …): de harde "
    + "grenzen door de afscherming van DUO, met elke <5 als 1 en als 4. <5 = 1 t/m 4 leerlingen."

func legend(_ prefix: String = "") -> Node { el("p", ["class": "meta"], .text(prefix + numbersLegend)) }

/// The direction of a change in a table cell: `toegenomen`, `afgenomen`, `gelijk`, `niet zeker`.
func directionWord(_ d: Direction?) -> String {
    switch d {
    case .up: return "toegenomen"
    case .down: return "afgenomen"
    case .zero: return "gelijk"
    case .uncertain: return "niet zeker"
    case nil: return "–"
    }
}

/// One sentence on a balance (instroom − uitstroom) whose direction the report states (`Change.direction`):
/// `subject` receives (`'s-Gravenhage`, `Het gebied van PO2815`), `others` are where its incoming pupils live
/// (`andere gemeenten`), `leaving` says who go elsewhere (`er uit 's-Gravenhage elders naar school gaan`).
func balanceSentence(_ net: Change, subject: String, others: String, leaving: String) -> String {
    switch net.direction {
    case .up: return "\(subject) ontvangt meer leerlingen uit \(others) dan \(leaving)."
    case .down: return "\(subject) ontvangt minder leerlingen uit \(others) dan \(leaving)."
    case .zero: return "\(subject) ontvangt evenveel leerlingen uit \(others) als \(leaving)."
    case .uncertain: return "Of \(lowerFirst(subject)) meer of minder leerlingen uit \(others) ontvangt dan \(leaving), is niet zeker."
    }
}

/// `Het gebied van X` → `het gebied van X` inside a sentence; a name keeps its capital.
func lowerFirst(_ s: String) -> String { s.hasPrefix("Het ") ? "het " + s.dropFirst(4) : s }

/// Displayed negative numbers use the minus sign (U+2212), not the hyphen: `-12` → `−12`. Only for
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

    /// CSV columns of a count, a change or a share: the estimate, the 90% interval (empty when not drawn; the value
    /// itself when exact), then the bounds, each disclosure-controlled.
    static func csv(_ q: Quantity) -> [CSVField] {
        let i = q.interval90 ?? (q.isExact ? q.bounds : nil)
        return [CSVField(suffix: " (schatting)", value: .count(Int(q.estimate.rounded(.toNearestOrAwayFromZero)))),
                CSVField(suffix: " 90%-interval laag", value: i.map { .count($0.min) } ?? .empty),
                CSVField(suffix: " 90%-interval hoog", value: i.map { .count($0.max) } ?? .empty),
                CSVField(suffix: " min", value: .count(q.min)), CSVField(suffix: " max", value: .count(q.max))]
    }

    static func csv(_ c: Change) -> [CSVField] {
        let i = c.interval90 ?? (c.min == c.max ? Bounds(exact: c.min) : nil)
        return [CSVField(suffix: " (schatting)", value: .change(Int(c.estimate.rounded(.toNearestOrAwayFromZero)))),
                CSVField(suffix: " 90%-interval laag", value: i.map { .change($0.min) } ?? .empty),
                CSVField(suffix: " 90%-interval hoog", value: i.map { .change($0.max) } ?? .empty),
                CSVField(suffix: " min", value: .change(c.min)), CSVField(suffix: " max", value: .change(c.max))]
    }

    static let shareSuffixes = [" (%)", " 90%-interval laag (%)", " 90%-interval hoog (%)", " min (%)", " max (%)"]

    static func csv(_ s: Share?) -> [CSVField] {
        guard let s else { return shareSuffixes.map { CSVField(suffix: $0, value: .empty) } }
        let i = s.interval90 ?? (s.min == s.max ? s.min...s.max : nil)
        let values: [ExportTable.Cell] = [.percent(s.estimate), i.map { .percent($0.lowerBound) } ?? .empty,
                                          i.map { .percent($0.upperBound) } ?? .empty, .percent(s.min), .percent(s.max)]
        return zip(shareSuffixes, values).map { CSVField(suffix: $0, value: $1) }
    }

    /// CSV columns of a change in percentage points (one decimal).
    static func csv(points c: Report.OutflowChange) -> [CSVField] {
        let suffixes = [" (schatting)", " 90%-interval laag", " 90%-interval hoog", " min", " max"]
        guard let p = c.points, let r = c.pointsRange else { return suffixes.map { CSVField(suffix: $0, value: .empty) } }
        func one(_ x: Double) -> ExportTable.Cell { .number((x * 10).rounded(.toNearestOrAwayFromZero) / 10) }
        let i = c.pointsInterval90 ?? (r.min == r.max ? r.min...r.max : nil)
        let values: [ExportTable.Cell] = [one(p), i.map { one($0.lowerBound) } ?? .empty, i.map { one($0.upperBound) } ?? .empty, one(r.min), one(r.max)]
        return zip(suffixes, values).map { CSVField(suffix: $0, value: $1) }
    }

    /// An amount in a table: shown as `€ 1.234,56`, in the CSV as euros with a decimal comma.
    static func amount(_ cents: Int, total: Bool = false) -> Node {
        .cell(el("td", ["class": total ? "n total" : "n"], .text(euro(cents))), [CSVField(suffix: " (€)", value: .euro(cents))])
    }

    /// A count cell: the headline with its 90% interval, and when it is not exact its bounds on a second line.
    static func count(_ q: Quantity, extraClass: String? = nil, title: String? = nil) -> Node {
        .cell(el("td", ["class": extraClass.map { "n " + $0 } ?? "n", "title": title], Shown(q).cell), csv(q))
    }

    static func share(_ s: Share?) -> Node { .cell(el("td", ["class": "n"], Shown(s).cell), csv(s)) }

    static func change(_ c: Change) -> Node { .cell(el("td", ["class": "n"], Shown(c).cell), csv(c)) }

    static func text(_ s: String) -> Node { el("td", .text(s)) }

    /// A change of a share in percentage points: the estimate with its 90% interval, and its bounds below.
    static func points(_ c: Report.OutflowChange) -> Node { .cell(el("td", ["class": "n"], Shown(points: c).cell), csv(points: c)) }

    /// A table with caption, header row and body, inside a keyboard-scrollable region whose header row and first
    /// column stay in view. With `printColumns`, a table with more data columns than that prints as parts of at
    /// most that many columns, each with the row headers (first column) repeated: A4 landscape holds about 10
    /// matrix columns at 7 pt, each with its estimate and 90% interval. The screen keeps the one table.
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
