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

    /// Lines over ordered x labels (e.g. peildata), one per series, with the value printed at every point.
    static func lines(_ series: [(name: String, points: [(x: String, value: Double, shown: String)])], title: String, desc: String, id: String) -> Node {
        var xs: [String] = []
        for s in series { for p in s.points where !xs.contains(p.x) { xs.append(p.x) } }
        let left = 60.0, right = 220.0, top = 16.0, plotW = Swift.max(120, 110 * Double(Swift.max(1, xs.count - 1))), plotH = 220.0
        let width = left + plotW + right, height = top + plotH + 40
        let maximum = Swift.max(1e-9, series.flatMap { $0.points.map(\.value) }.max() ?? 1)
        func px(_ x: String) -> Double { xs.count < 2 ? left + plotW / 2 : left + plotW * Double(xs.firstIndex(of: x)!) / Double(xs.count - 1) }
        func py(_ v: Double) -> Double { top + plotH - plotH * Swift.max(0, v) / maximum }
        let dashes = ["", "6 3", "2 3", "8 3 2 3"]
        var nodes: [Node] = [el("line", ["x1": svgNumber(left), "y1": svgNumber(top + plotH), "x2": svgNumber(left + plotW),
                                         "y2": svgNumber(top + plotH), "stroke": ink, "aria-hidden": "true"])]
        for x in xs { nodes.append(text(px(x), top + plotH + 18, x, anchor: "middle")) }
        for (i, s) in series.enumerated() {
            let d = s.points.enumerated().map { ($0.offset == 0 ? "M" : "L") + svgNumber(px($0.element.x)) + " " + svgNumber(py($0.element.value)) }.joined()
            nodes.append(el("path", ["d": d, "fill": "none", "stroke": band, "stroke-width": "2", "stroke-dasharray": dashes[i % dashes.count].isEmpty ? nil : dashes[i % dashes.count]]))
            for p in s.points {
                nodes.append(el("circle", ["cx": svgNumber(px(p.x)), "cy": svgNumber(py(p.value)), "r": "3", "fill": band]))
                nodes.append(text(px(p.x) + 5, py(p.value) - 5, p.shown))
            }
            if let last = s.points.last { nodes.append(text(left + plotW + 40, py(last.value) + 4, String(s.name.prefix(28)), weight: "bold")) }
        }
        return svg(id: id, width: width, height: height, title: title, desc: desc, nodes)
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
