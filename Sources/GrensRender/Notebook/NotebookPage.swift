import GrensCore

/// A notebook page as the other pages link to it: known before its SQL runs.
public struct NotebookLink: Sendable, Equatable {
    public let path: String
    public let title: String

    public init(notebook: Notebook, slug: String) {
        path = Dashboard.notebookPath(slug: slug)
        title = notebook.title
    }
}

extension NotebookRun {
    public var link: NotebookLink { NotebookLink(notebook: notebook, slug: slug) }
}

/// Notebook pages: the analyst's Markdown with the results of its SQL blocks as tables, charts over named results
/// (each with its table and a sentence) and inline values, in the dashboard's shell and style. Every value in a
/// column that holds pupil counts goes through `Publish`: no 1–4 is shown, also not in the CSV per result.
extension Dashboard {
    public static func notebookPath(_ run: NotebookRun) -> String { notebookPath(slug: run.slug) }
    static func notebookPath(slug: String) -> String { "notitieboek-\(slug).html" }
    static func notebookCSVPath(_ run: NotebookRun, _ block: String) -> String { "notitieboek-\(run.slug)-\(block).csv" }

    /// One CSV (Excel NL) per named result that ran, beside the page.
    public static func notebookCSVs(_ run: NotebookRun) -> [(path: String, csv: String)] {
        run.notebook.queries.compactMap { query in
            guard case .table(let table)? = run.outcomes[query.name] else { return nil }
            var export = ExportTable(columns: table.columns)
            for row in table.rows {
                export.rows.append(zip(table.columns, row).map { column, value in
                    let count = run.isCount(column, in: query.name)
                    switch value {
                    case .null: return .empty
                    case .integer(let n): return count ? .count(Int(n)) : .number(Double(n))
                    case .real(let x):
                        guard x.isFinite, abs(x) < 1e15 else { return .empty }
                        return count ? .count(Int(x.rounded(.toNearestOrAwayFromZero))) : .number(x)
                    case .text(let s): return .text(count ? NotebookValues.guarded(s) : s)
                    }
                })
            }
            return (notebookCSVPath(run, query.name), export.csv())
        }
    }
}

/// Published text of notebook values.
enum NotebookValues {
    static func shown(_ value: NotebookRun.Value, count: Bool) -> String {
        switch value {
        case .null: return "–"
        case .integer(let n): return count ? Publish.integer(Int(n)) : String(n)
        case .real(let x):
            guard x.isFinite, abs(x) < 1e15 else { return x.isNaN ? "–" : (x > 0 ? "∞" : "-∞") }
            return count ? Publish.estimate(x) : decimal(x)
        case .text(let s): return count ? guarded(s) : s
        }
    }

    /// At most two decimals, trailing zeros dropped: `9,7`, `12`, `0,05`.
    static func decimal(_ x: Double) -> String {
        var text = DutchFormat.decimal(x, decimals: 2)
        while text.hasSuffix("0"), text.contains(",") { text.removeLast() }
        if text.hasSuffix(",") { text.removeLast() }
        return text
    }

    /// Text that reads as a number 1–4 in a count column is hidden like a number.
    static func guarded(_ s: String) -> String {
        let t = trimmed(s)
        if let n = Int(t), (1...4).contains(abs(n)) { return n > 0 ? "<5" : "-<5" }
        // Only plain numerals (`3`, `-2`, `3,6`): a code such as `04E000` is text, not a number.
        let body = t.hasPrefix("-") ? t.dropFirst() : Substring(t)
        let parts = body.split(separator: ",", omittingEmptySubsequences: false).flatMap { $0.split(separator: ".", omittingEmptySubsequences: false) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let x = Double(parts.joined(separator: ".")) else { return s }
        if (0.5..<4.5).contains(x) { return t.hasPrefix("-") ? "-<5" : "<5" }
        return s
    }

    /// A number for charts (bar length, line height, colour); nil for text and null. A value shown as `<5` is
    /// drawn at 2,5 whatever it is, so the geometry tells no more than the label.
    static func number(_ value: NotebookRun.Value, count: Bool) -> Double? {
        let x: Double
        switch value {
        case .integer(let n): x = Double(n)
        case .real(let r): x = r
        default: return nil
        }
        guard x.isFinite else { return nil }
        if count, shown(value, count: true).hasSuffix("<5") { return x < 0 ? -2.5 : 2.5 }
        return x
    }
}

extension Site {
    func notebookPage(_ run: NotebookRun) -> Page {
        let nb = run.notebook
        var body: [Node] = []
        if nb.intern {
            body.append(el("p", ["class": "intern", "role": "note"], "INTERN — niet publiceren. Dit notitieboek leest ruwe tabellen."))
        }
        body.append(el("h1", .text(nb.title)))
        var meta = "Notitieboek \(nb.file)"
        if !run.parameters.isEmpty { meta += "; " + run.parameters.map { "\($0.key): \($0.value)" }.joined(separator: ", ") }
        body.append(el("p", ["class": "meta"], .text(meta + ". Aantallen van 1 t/m 4 staan er als <5.")))
        for block in nb.blocks {
            switch block {
            case .text(let markdown, _):
                body.append(contentsOf: MarkdownLite.render(markdown) { inlineValue($0, run) })
            case .query(let query):
                body.append(contentsOf: queryNodes(query, run))
            case .chart(let chart):
                body.append(chartNode(chart, run))
            }
        }
        return Page(path: Dashboard.notebookPath(run), title: nb.title, body: body)
    }

    func failure(_ error: InputError) -> Node {
        el("p", ["class": "error", "role": "alert"], .text("Fout: \(error)"))
    }

    func queryNodes(_ query: Notebook.Query, _ run: NotebookRun) -> [Node] {
        guard let outcome = run.outcomes[query.name] else { return [] }
        switch outcome {
        case .failed(let error):
            return [failure(error)]
        case .table(let table):
            let rows: [[Node]] = table.rows.map { row in
                zip(table.columns, row).map { column, value in
                    let count = run.isCount(column, in: query.name)
                    let numeric: Bool
                    if case .text = value { numeric = false } else { numeric = true }
                    return el("td", ["class": numeric ? "n" : nil], .text(NotebookValues.shown(value, count: count)))
                }
            }
            var nodes: [Node] = [Table.make(id: "nb-\(query.name)", caption: "\(query.name) (\(rowCount(table.rows.count)))",
                                            columns: table.columns.map { Table.colHeader($0) }, rows: rows, csv: false)]
            var notes: [Node] = [el("a", ["href": Dashboard.notebookCSVPath(run, query.name), "download": nil], .text("CSV van \(query.name)"))]
            if table.truncated { notes.append(.text(" · afgekapt na \(DutchFormat.integer(NotebookRun.rowLimit)) rijen")) }
            nodes.append(el("p", ["class": "meta"], notes))
            return nodes
        }
    }

    func rowCount(_ n: Int) -> String { n == 1 ? "1 rij" : "\(DutchFormat.integer(n)) rijen" }

    func inlineValue(_ reference: String, _ run: NotebookRun) -> String {
        // naam[rij].kolom
        guard let open = reference.firstIndex(of: "["), let close = reference.firstIndex(of: "]"), open < close,
              let row = Int(reference[reference.index(after: open)..<close]),
              reference[reference.index(after: close)...].first == "." else { return "{\(reference)}" }
        let name = String(reference[..<open]), column = String(reference[reference.index(close, offsetBy: 2)...])
        guard case .table(let table)? = run.outcomes[name], let c = table.columns.firstIndex(of: column),
              row >= 0, row < table.rows.count else { return "⟨geen waarde: \(reference)⟩" }
        return NotebookValues.shown(table.rows[row][c], count: run.isCount(column, in: name))
    }

    func chartNode(_ chart: Notebook.Chart, _ run: NotebookRun) -> Node {
        let where_ = "\(run.notebook.file):\(chart.line)"
        guard case .table(let table)? = run.outcomes[chart.result] else {
            return el("p", ["class": "error", "role": "alert"], .text("Fout: \(where_): grafiek over \(chart.result), maar dat blok gaf geen resultaat"))
        }
        func column(_ role: String) -> Int? { chart.options[role].flatMap { table.columns.firstIndex(of: $0) } }
        guard let x = column("x"), let y = column("y") else {
            return el("p", ["class": "error", "role": "alert"], .text("Fout: \(where_): kolom \(chart.options["x"] ?? "") of \(chart.options["y"] ?? "") staat niet in \(chart.result)"))
        }
        let count = run.isCount(table.columns[y], in: chart.result)
        let id = "nbfig-\(chart.result)-\(chart.line)"
        let label = { (v: NotebookRun.Value) -> String in NotebookValues.shown(v, count: false) }
        switch chart.kind {
        case .staaf:
            let items = table.rows.prefix(40).map { (label: label($0[x]), value: NotebookValues.number($0[y], count: count) ?? 0, shown: NotebookValues.shown($0[y], count: count)) }
            let top = items.max { $0.value < $1.value }
            let sentence = top.map { "Hoogste waarde: \($0.label) (\($0.shown))." } ?? "Geen waarden."
            return figure(Charts.valueBars(items, title: "\(table.columns[y]) per \(table.columns[x])", desc: sentence + " Zelfde cijfers als de tabel \(chart.result).", id: id),
                          caption: sentence + " De cijfers staan in de tabel \(chart.result) hierboven.")
        case .lijn:
            let series = column("reeks")
            var lines: [(name: String, points: [(x: String, value: Double, shown: String)])] = []
            for row in table.rows {
                let name = series.map { label(row[$0]) } ?? table.columns[y]
                let point = (x: label(row[x]), value: NotebookValues.number(row[y], count: count) ?? 0, shown: NotebookValues.shown(row[y], count: count))
                if let i = lines.firstIndex(where: { $0.name == name }) { lines[i].points.append(point) } else { lines.append((name, [point])) }
            }
            let sentence = lines.prefix(6).map { l in "\(l.name): \(l.points.first?.shown ?? "–") (\(l.points.first?.x ?? "")) → \(l.points.last?.shown ?? "–") (\(l.points.last?.x ?? ""))" }
                .joined(separator: "; ") + "."
            return figure(Charts.lines(Array(lines.prefix(12)), title: "\(table.columns[y]) per \(table.columns[x])", desc: sentence, id: id),
                          caption: sentence + " De cijfers staan in de tabel \(chart.result) hierboven.")
        case .heatmap:
            guard let k = column("kolom") else {
                return el("p", ["class": "error", "role": "alert"], .text("Fout: \(where_): kolom \(chart.options["kolom"] ?? "") staat niet in \(chart.result)"))
            }
            let cells = table.rows.map { (row: label($0[x]), column: label($0[k]), value: NotebookValues.number($0[y], count: count) ?? 0, shown: NotebookValues.shown($0[y], count: count)) }
            let top = cells.max { $0.value < $1.value }
            let sentence = top.map { "Hoogste waarde: \($0.row) × \($0.column) (\($0.shown))." } ?? "Geen waarden."
            return figure(Charts.grid(cells, title: "\(table.columns[y]) naar \(table.columns[x]) en \(table.columns[k])", desc: sentence, id: id),
                          caption: sentence + " De cijfers staan in de tabel \(chart.result) hierboven.")
        }
    }
}
