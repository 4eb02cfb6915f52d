import GrensCore

/// Generic charts for notebook results: the value is printed next to every mark, so nothing depends on
/// reading a length or a colour; each chart sits beside the result table it draws.
extension Charts {
    /// Horizontal bars, scaled to the largest value.
    static func valueBars(_ items: [(label: String, value: Double, shown: String)], title: String, desc: String, id: String) -> Node {
        let labelW = 20 + 6.8 * Double(min(40, items.map(\.label.count).max() ?? 10))
        let barW = 360.0, rowH = 24.0, top = 8.0
        let width = labelW + barW + 90, height = top + rowH * Double(items.count) + 8
        let maximum = Swift.max(1e-9, items.map(\.value).max() ?? 1)
        var rows: [Node] = [el("line", ["x1": svgNumber(labelW), "y1": svgNumber(top), "x2": svgNumber(labelW),
                                        "y2": svgNumber(height - 8), "stroke": ink, "aria-hidden": "true"])]
        for (i, item) in items.enumerated() {
            let y = top + rowH * Double(i)
            let w = barW * Swift.max(0, item.value) / maximum
            rows.append(text(labelW - 8, y + 16, String(item.label.prefix(40)), anchor: "end"))
            rows.append(rect(labelW, y + 4, w, 15, fill: band))
            rows.append(text(labelW + w + 6, y + 16, item.shown))
        }
        return svg(id: id, width: width, height: height, title: title, desc: desc, rows)
    }

    /// Lines over ordered x labels (e.g. years), one per series. The first value is printed left of the line, the
    /// series name with its last value right of it (labels pushed apart so they never overlap), values in
    /// between above their points.
    static func lines(_ series: [(name: String, points: [(x: String, value: Double, shown: String)])], title: String, desc: String, id: String) -> Node {
        var xs: [String] = []
        for s in series { for p in s.points where !xs.contains(p.x) { xs.append(p.x) } }
        let left = 70.0, right = 260.0, top = 16.0, plotH = Swift.max(220, 16 * Double(series.count) + 20)
        let plotW = Swift.max(320, 140 * Double(Swift.max(1, xs.count - 1)))
        let width = left + plotW + right, height = top + plotH + 40
        let maximum = Swift.max(1e-9, series.flatMap { $0.points.map(\.value) }.max() ?? 1)
        func px(_ x: String) -> Double { xs.count < 2 ? left + plotW / 2 : left + plotW * Double(xs.firstIndex(of: x)!) / Double(xs.count - 1) }
        func py(_ v: Double) -> Double { top + plotH - plotH * Swift.max(0, v) / maximum }
        /// Label positions near `wanted`, at least 14 apart, in the same order.
        func spread(_ wanted: [Double]) -> [Double] {
            let order = wanted.indices.sorted { wanted[$0] < wanted[$1] }
            var placed = wanted
            var last = -Double.infinity
            for i in order { placed[i] = Swift.max(wanted[i], last + 14); last = placed[i] }
            return placed
        }
        let dashes = ["", "6 3", "2 3", "8 3 2 3"]
        var nodes: [Node] = [el("line", ["x1": svgNumber(left), "y1": svgNumber(top + plotH), "x2": svgNumber(left + plotW),
                                         "y2": svgNumber(top + plotH), "stroke": ink, "aria-hidden": "true"])]
        for x in xs { nodes.append(text(px(x), top + plotH + 18, x, anchor: "middle")) }
        let firsts = spread(series.map { py($0.points.first?.value ?? 0) + 4 })
        let lasts = spread(series.map { py($0.points.last?.value ?? 0) + 4 })
        for (i, s) in series.enumerated() {
            let d = s.points.enumerated().map { ($0.offset == 0 ? "M" : "L") + svgNumber(px($0.element.x)) + " " + svgNumber(py($0.element.value)) }.joined()
            let dash = dashes[i % dashes.count]
            nodes.append(el("path", ["d": d, "fill": "none", "stroke": band, "stroke-width": "2", "stroke-dasharray": dash.isEmpty ? nil : dash]))
            for (k, p) in s.points.enumerated() {
                nodes.append(el("circle", ["cx": svgNumber(px(p.x)), "cy": svgNumber(py(p.value)), "r": "3", "fill": band]))
                if k > 0 && k < s.points.count - 1 { nodes.append(text(px(p.x), py(p.value) - 6, p.shown, anchor: "middle")) }
            }
            if let first = s.points.first, s.points.count > 1 { nodes.append(text(px(first.x) - 8, firsts[i], first.shown, anchor: "end")) }
            if let last = s.points.last { nodes.append(text(px(last.x) + 8, lasts[i], "\(String(s.name.prefix(28))) \(last.shown)")) }
        }
        return svg(id: id, width: width, height: Swift.max(height, (lasts.max() ?? 0) + 30), title: title, desc: desc, nodes)
    }

    /// A grid of rows × columns, darker for more, the value printed in every cell.
    static func grid(_ cells: [(row: String, column: String, value: Double, shown: String)], title: String, desc: String, id: String) -> Node {
        var rows: [String] = [], columns: [String] = []
        for c in cells {
            if !rows.contains(c.row) { rows.append(c.row) }
            if !columns.contains(c.column) { columns.append(c.column) }
        }
        let labelW = 20 + 6.6 * Double(min(36, rows.map(\.count).max() ?? 10)), cw = 64.0, ch = 26.0, top = 30.0
        let width = labelW + cw * Double(columns.count) + 10, height = top + ch * Double(rows.count) + 10
        let maximum = cells.map(\.value).max() ?? 0
        var nodes: [Node] = []
        for (j, c) in columns.enumerated() { nodes.append(text(labelW + cw * (Double(j) + 0.5), top - 10, String(c.prefix(10)), anchor: "middle")) }
        for (i, r) in rows.enumerated() { nodes.append(text(labelW - 6, top + ch * Double(i) + 17, String(r.prefix(36)), anchor: "end")) }
        for c in cells {
            let i = Double(rows.firstIndex(of: c.row)!), j = Double(columns.firstIndex(of: c.column)!)
            let colour = blues[step(c.value, maximum: maximum)]
            nodes.append(rect(labelW + cw * j, top + ch * i, cw, ch, fill: colour.fill, stroke: "#ffffff"))
            nodes.append(text(labelW + cw * (j + 0.5), top + ch * i + 17, c.shown, anchor: "middle", fill: colour.text))
        }
        return svg(id: id, width: width, height: height, title: title, desc: desc, nodes)
    }
}
