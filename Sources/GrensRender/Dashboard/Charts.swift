import GrensCore

/// The SVG charts of the dashboard: small pure functions (value in, node out) so each can be golden-tested.
/// Every chart is `role="img"` with a <title> and <desc>, scales to the page width (viewBox) and never
/// carries meaning by colour alone: numbers are printed, the diagonal has a frame, non-applicable cells a hatch.
enum Charts {
    /// Sequential light → dark blue (ColorBrewer Blues) with the text colour that keeps ≥ 4,5:1 on each fill.
    static let blues: [(fill: String, text: String)] = [
        ("#f7fbff", "#1a1a1a"), ("#deebf7", "#1a1a1a"), ("#c6dbef", "#1a1a1a"), ("#9ecae1", "#1a1a1a"),
        ("#6baed6", "#1a1a1a"), ("#2171b5", "#ffffff"), ("#08519c", "#ffffff"), ("#08306b", "#ffffff"),
    ]
    static let zeroFill = (fill: "#ffffff", text: "#595959")
    static let ink = "#1a1a1a"
    static let band = "#2171b5"

    /// The palette step of a value on a logarithmic scale up to `maximum` (flows span four orders of magnitude).
    static func step(_ value: Double, maximum: Double) -> Int {
        guard maximum > 0, value > 0 else { return 0 }
        let t = lnOnePlus(value) / lnOnePlus(maximum)
        return Swift.min(blues.count - 1, Swift.max(0, Int(t * Double(blues.count))))
    }

    /// The base font size of every chart, and the smallest scale a chart may be drawn at (its minimum width):
    /// text is then never smaller than 10 px, also on a phone, where the chart scrolls in its box instead.
    static let fontSize = 12.0
    static let minimumScale = 10.0 / fontSize

    static func svg(id: String, width: Double, height: Double, title: String, desc: String, _ children: [Node]) -> Node {
        el("svg", ["xmlns": "http://www.w3.org/2000/svg", "class": "chart", "role": "img",
                   "viewBox": "0 0 \(svgNumber(width)) \(svgNumber(height))", "width": "100%",
                   "style": "max-width:\(svgNumber(width))px;min-width:\(svgNumber((width * minimumScale).rounded(.up)))px",
                   "aria-labelledby": id + "-t", "aria-describedby": id + "-d",
                   "font-family": "system-ui,-apple-system,Segoe UI,Roboto,Arial,sans-serif", "font-size": svgNumber(fontSize)],
           [el("title", ["id": id + "-t"], .text(title)), el("desc", ["id": id + "-d"], .text(desc))] + children)
    }

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String? = nil, fill: String? = nil,
                      weight: String? = nil, transform: String? = nil) -> Node {
        el("text", ["x": transform == nil ? svgNumber(x) : nil, "y": transform == nil ? svgNumber(y) : nil,
                    "transform": transform, "text-anchor": anchor, "fill": fill, "font-weight": weight], .text(s))
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                     strokeWidth: String? = nil) -> Node {
        el("rect", ["x": svgNumber(x), "y": svgNumber(y), "width": svgNumber(w), "height": svgNumber(h),
                    "fill": fill, "stroke": stroke, "stroke-width": strokeWidth])
    }

    // MARK: heatmap

    /// The OD matrix as a heatmap: rows woongemeente, columns schoolgemeente, the count printed in each cell.
    static func heatmap(_ m: Matrix, report: Report, id: String) -> Node {
        let n = m.groups.count
        let names = m.groups.map(report.name)
        let corner = "woont in ↓  school in →"
        let labelW = 20 + 6.6 * Double(max(names.map(\.count).max() ?? 10, corner.count))
        let cw = 58.0, ch = 28.0
        let top = 40 + 0.7 * 6.6 * Double(names.map(\.count).max() ?? 10)
        let gridW = cw * Double(n), gridH = ch * Double(n)
        // Wide enough for the grid with its slanted last column label, and for the legend line.
        let width = Swift.max(labelW + gridW + 110, labelW + 40 + 20 * Double(blues.count) + 480), legendY = top + gridH + 24
        let height = legendY + 64
        var maximum = 0.0
        for h in 0..<n { for s in 0..<n where m.applicable(h, s) { maximum = Swift.max(maximum, m.cells[h][s].estimate) } }

        var body: [Node] = [
            el("defs", el("pattern", ["id": id + "-hatch", "width": "6", "height": "6", "patternUnits": "userSpaceOnUse",
                                      "patternTransform": "rotate(45)"],
                          rect(0, 0, 6, 6, fill: "#ececec"),
                          el("line", ["x1": "0", "y1": "0", "x2": "0", "y2": "6", "stroke": "#8c8c8c", "stroke-width": "2"]))),
            text(labelW - 8, top - 8, corner, anchor: "end", weight: "700"),
        ]
        var columnLabels: [Node] = []
        for (s, name) in names.enumerated() {
            let x = labelW + cw * Double(s) + cw / 2
            columnLabels.append(text(0, 0, name, transform: "translate(\(svgNumber(x)) \(svgNumber(top - 6))) rotate(-45)"))
        }
        body.append(el("g", ["aria-hidden": "true"], columnLabels))
        var rows: [Node] = []
        for h in 0..<n {
            let y = top + ch * Double(h)
            rows.append(text(labelW - 8, y + ch / 2 + 4, names[h], anchor: "end"))
            for s in 0..<n {
                let x = labelW + cw * Double(s)
                guard m.applicable(h, s) else {
                    rows.append(el("g", el("title", .text("\(names[h]) → \(names[s]): niet van toepassing (woon- en schoolgemeente buiten de regio)")),
                                   rect(x, y, cw, ch, fill: "url(#\(id)-hatch)", stroke: "#ffffff")))
                    continue
                }
                let q = m.cells[h][s]
                let colours = q.max == 0 ? zeroFill : blues[step(q.estimate, maximum: maximum)]
                let own = h == s
                let label = "\(names[h]) → \(names[s])\(own ? " (eigen gemeente)" : ""): \(quantityText(q))"
                var cell: [Node] = [el("title", .text(label)), rect(x, y, cw, ch, fill: colours.fill, stroke: "#ffffff")]
                if own { cell.append(rect(x + 2, y + 2, cw - 4, ch - 4, fill: "none", stroke: ink, strokeWidth: "3")) }
                cell.append(text(x + cw / 2, y + ch / 2 + 4, Publish.count(q), fill: colours.text, weight: own ? "700" : nil))
                rows.append(el("g", cell))
            }
        }
        body.append(el("g", ["text-anchor": "middle"], rows))
        // Legend: what the shading, the frame and the hatch mean (also said in words next to the chart).
        var legend: [Node] = [text(labelW, legendY + 14, "0", anchor: "middle")]
        legend.append(rect(labelW - 10, legendY + 20, 20, 16, fill: zeroFill.fill, stroke: "#8c8c8c"))
        for (i, c) in blues.enumerated() {
            legend.append(rect(labelW + 20 + 20 * Double(i), legendY + 20, 20, 16, fill: c.fill, stroke: "#8c8c8c"))
        }
        legend.append(text(labelW + 20, legendY + 14, "weinig"))
        legend.append(text(labelW + 20 + 20 * Double(blues.count), legendY + 14, "veel", anchor: "end"))
        let ox = labelW + 40 + 20 * Double(blues.count)
        legend.append(rect(ox, legendY + 18, 24, 20, fill: blues[1].fill))
        legend.append(rect(ox + 2, legendY + 20, 20, 16, fill: "none", stroke: ink, strokeWidth: "3"))
        legend.append(text(ox + 30, legendY + 32, "dikke rand: eigen gemeente"))
        legend.append(rect(ox + 210, legendY + 18, 24, 20, fill: "url(#\(id)-hatch)"))
        legend.append(text(ox + 240, legendY + 32, "gearceerd: niet van toepassing"))
        legend.append(text(labelW, legendY + 54, "Kleur op logaritmische schaal; het getal in de cel is de telling (≈ = schatting, <5 = afgeschermd klein aantal)."))
        body.append(el("g", ["aria-hidden": "true"], legend))
        let title = "Herkomst en bestemming, \(m.soort.label), peildatum \(dutchDate(m.peildatum))"
        let desc = "Heatmap: rijen zijn woongemeenten, kolommen schoolgemeenten; hoe donkerder de cel, hoe meer leerlingen. "
            + "De cijfers staan ook in de tabel onder de figuur."
        return svg(id: id, width: width, height: height, title: title, desc: desc, body)
    }

    // MARK: flow diagram

    /// Two columns (woongemeente left, schoolgemeente right); each band runs left → right, ends in an arrow
    /// point and is as wide as its estimate.
    static func flowDiagram(_ flows: [Matrix.Flow], matrix m: Matrix, report: Report, id: String) -> Node {
        let labelW = 230.0, nodeW = 12.0, span = 380.0, gap = 10.0, top = 44.0, arrow = 8.0
        let x0 = labelW, x1 = labelW + nodeW + span
        let width = x1 + nodeW + labelW
        let total = flows.reduce(0.0) { $0 + $1.pupils.estimate }
        let homes = Array(Set(flows.map(\.home))).sorted(), schools = Array(Set(flows.map(\.school))).sorted()
        let available = 520.0 - gap * Double(Swift.max(homes.count, schools.count) - 1)
        let k = total > 0 ? Swift.max(available, 100) / total : 0
        func thickness(_ f: Matrix.Flow) -> Double { Swift.max(2, f.pupils.estimate * k) }

        // Node positions: stacked in grouping order; bands inside a node ordered by the other end to avoid crossings.
        func layout(_ nodes: [Int], key: (Matrix.Flow) -> Int) -> [Int: (y: Double, h: Double, value: Quantity)] {
            var out: [Int: (y: Double, h: Double, value: Quantity)] = [:]
            var y = top
            for node in nodes {
                let mine = flows.filter { key($0) == node }
                let h = mine.reduce(0.0) { $0 + thickness($1) }
                out[node] = (y, h, mine.reduce(Quantity.zero) { $0 + $1.pupils })
                y += h + gap
            }
            return out
        }
        let left = layout(homes) { $0.home }, right = layout(schools) { $0.school }
        var leftOffset = left.mapValues(\.y), rightOffset = right.mapValues(\.y)
        var bandStart: [Int: Double] = [:], bandEnd: [Int: Double] = [:]
        for (i, f) in flows.enumerated().sorted(by: { ($0.element.home, $0.element.school) < ($1.element.home, $1.element.school) }) {
            bandStart[i] = leftOffset[f.home]!
            leftOffset[f.home]! += thickness(f)
        }
        for (i, f) in flows.enumerated().sorted(by: { ($0.element.school, $0.element.home) < ($1.element.school, $1.element.home) }) {
            bandEnd[i] = rightOffset[f.school]!
            rightOffset[f.school]! += thickness(f)
        }
        let bottom = Swift.max(left.values.map { $0.y + $0.h }.max() ?? top, right.values.map { $0.y + $0.h }.max() ?? top)
        let height = bottom + 24

        var body: [Node] = [
            text(x0 + nodeW, 20, "Woongemeente", anchor: "end", weight: "700"),
            text(x0 + nodeW + span / 2, 20, "→ richting van de stroom →", anchor: "middle"),
            text(x1, 20, "Schoolgemeente", weight: "700"),
        ]
        var bands: [Node] = []
        let xa = x0 + nodeW, xb = x1 - arrow, xm = (xa + xb) / 2
        // Draw thick bands first so thin ones stay visible on top.
        for (i, f) in flows.enumerated().reversed() {
            let t = thickness(f), ya = bandStart[i]!, yb = bandEnd[i]!
            let d = "M\(svgNumber(xa)) \(svgNumber(ya))C\(svgNumber(xm)) \(svgNumber(ya)) \(svgNumber(xm)) \(svgNumber(yb)) \(svgNumber(xb)) \(svgNumber(yb))"
                + "L\(svgNumber(x1)) \(svgNumber(yb + t / 2))L\(svgNumber(xb)) \(svgNumber(yb + t))"
                + "C\(svgNumber(xm)) \(svgNumber(yb + t)) \(svgNumber(xm)) \(svgNumber(ya + t)) \(svgNumber(xa)) \(svgNumber(ya + t))Z"
            bands.append(el("path", ["d": d],
                            el("title", .text("\(report.name(m.groups[f.home])) → \(report.name(m.groups[f.school])): \(quantityText(f.pupils))"))))
        }
        body.append(el("g", ["fill": band, "fill-opacity": "0.5", "stroke": "#08306b", "stroke-opacity": "0.6", "stroke-width": "0.6"], bands))
        var nodes: [Node] = []
        for h in homes {
            let p = left[h]!
            nodes.append(rect(x0, p.y, nodeW, Swift.max(p.h, 1), fill: "#08306b"))
            nodes.append(text(x0 - 6, p.y + p.h / 2 + 4, "\(report.name(m.groups[h])) \(Publish.count(p.value))", anchor: "end", fill: ink))
        }
        for s in schools {
            let p = right[s]!
            nodes.append(rect(x1, p.y, nodeW, Swift.max(p.h, 1), fill: "#08306b"))
            nodes.append(text(x1 + nodeW + 6, p.y + p.h / 2 + 4, "\(report.name(m.groups[s])) \(Publish.count(p.value))", fill: ink))
        }
        body.append(el("g", nodes))
        let title = "Grootste stromen over de gemeentegrens, \(m.soort.label), peildatum \(dutchDate(m.peildatum))"
        let desc = "Stroomdiagram: links de woongemeente, rechts de schoolgemeente; elke band loopt van links naar rechts en is "
            + "zo breed als het geschatte aantal leerlingen. Alleen leerlingen die buiten de eigen gemeente naar school gaan. "
            + "De cijfers staan ook in de tabel onder de figuur."
        return svg(id: id, width: width, height: height, title: title, desc: desc, body)
    }

    // MARK: bar chart of shares

    /// Horizontal bars of shares (0–100%) with the 90% interval as a thick whisker, the hard bounds as a thin grey line
    /// behind it, and the estimate with its interval printed next to each bar.
    static func shareBars(_ items: [(label: String, share: Share?)], title: String, desc: String, id: String) -> Node {
        let labelW = 20 + 6.8 * Double(items.map(\.label.count).max() ?? 10)
        let barW = 360.0, rowH = 26.0, top = 28.0
        let width = labelW + barW + 190, height = top + rowH * Double(items.count) + 10
        var body: [Node] = []
        var grid: [Node] = []
        for p in [0, 25, 50, 75, 100] {
            let x = labelW + barW * Double(p) / 100
            grid.append(el("line", ["x1": svgNumber(x), "y1": svgNumber(top - 4), "x2": svgNumber(x), "y2": svgNumber(height - 8),
                                    "stroke": p == 0 ? ink : "#c8c8c8"]))
            grid.append(text(x, top - 10, "\(p)%", anchor: "middle"))
        }
        body.append(el("g", ["aria-hidden": "true"], grid))
        var rows: [Node] = []
        for (i, item) in items.enumerated() {
            let y = top + rowH * Double(i)
            rows.append(text(labelW - 8, y + 17, item.label, anchor: "end"))
            guard let s = item.share else {
                rows.append(text(labelW + 6, y + 17, "geen leerlingen"))
                continue
            }
            rows.append(rect(labelW, y + 5, barW * s.estimate, 16, fill: band))
            if s.max - s.min >= 0.001 {
                let a = labelW + barW * s.min, b = labelW + barW * s.max
                let d = "M\(svgNumber(a)) \(svgNumber(y + 9))v8M\(svgNumber(a)) \(svgNumber(y + 13))H\(svgNumber(b))M\(svgNumber(b)) \(svgNumber(y + 9))v8"
                rows.append(el("path", ["d": d, "stroke": "#595959", "stroke-width": "1", "fill": "none"]))
            }
            if let i = s.interval90, i.upperBound - i.lowerBound >= 0.001 {
                let a = labelW + barW * i.lowerBound, b = labelW + barW * i.upperBound
                let d = "M\(svgNumber(a)) \(svgNumber(y + 6))v14M\(svgNumber(a)) \(svgNumber(y + 13))H\(svgNumber(b))M\(svgNumber(b)) \(svgNumber(y + 6))v14"
                rows.append(el("path", ["d": d, "stroke": ink, "stroke-width": "3", "fill": "none"]))
            }
            rows.append(text(labelW + barW + 8, y + 17, Shown(s).short))
        }
        body.append(el("g", rows))
        return svg(id: id, width: width, height: height, title: title, desc: desc, body)
    }
}

extension Charts {
    // MARK: bar chart of amounts

    /// Horizontal bars of amounts in cents, scaled to the largest upper bound, with the range (bandbreedte) as a
    /// whisker and the amount printed next to each bar: the numbers never depend on the bar length alone.
    static func amountBars(_ items: [(label: String, cents: Int, minCents: Int, maxCents: Int)], title: String, desc: String, id: String) -> Node {
        let labelW = 20 + 6.8 * Double(items.map(\.label.count).max() ?? 10)
        let barW = 360.0, rowH = 26.0, top = 12.0
        let width = labelW + barW + 130, height = top + rowH * Double(items.count) + 10
        let maximum = Double(Swift.max(1, items.map { Swift.max($0.cents, $0.maxCents) }.max() ?? 1))
        func x(_ cents: Int) -> Double { labelW + barW * Double(cents) / maximum }
        var body: [Node] = [el("g", ["aria-hidden": "true"],
                               el("line", ["x1": svgNumber(labelW), "y1": svgNumber(top - 4), "x2": svgNumber(labelW),
                                           "y2": svgNumber(height - 8), "stroke": ink]))]
        var rows: [Node] = []
        for (i, item) in items.enumerated() {
            let y = top + rowH * Double(i)
            rows.append(text(labelW - 8, y + 17, item.label, anchor: "end"))
            rows.append(rect(labelW, y + 5, x(item.cents) - labelW, 16, fill: band))
            if item.minCents != item.maxCents {
                let a = x(item.minCents), b = x(item.maxCents)
                let d = "M\(svgNumber(a)) \(svgNumber(y + 7))v12M\(svgNumber(a)) \(svgNumber(y + 13))H\(svgNumber(b))M\(svgNumber(b)) \(svgNumber(y + 7))v12"
                rows.append(el("path", ["d": d, "stroke": ink, "stroke-width": "2", "fill": "none"]))
            }
            rows.append(text(Swift.max(x(item.cents), x(item.maxCents)) + 8, y + 17, euro(item.cents)))
        }
        body.append(el("g", rows))
        return svg(id: id, width: width, height: height, title: title, desc: desc, body)
    }
}

/// A positive number with six decimals, never locale-dependent: the map's scale (0,0… px per map unit).
func fixed6(_ x: Double) -> String {
    let n = Int((x * 1_000_000).rounded(.toNearestOrAwayFromZero))
    let fraction = String(n % 1_000_000)
    return String(n / 1_000_000) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
}

private func lnOnePlus(_ x: Double) -> Double {
    // ln(1 + x) by the series-free identity: enough precision for choosing one of eight colour steps.
    var y = 0.0, v = 1 + x
    while v >= 2 { v /= 2; y += 0.6931471805599453 }
    // ln on [1, 2) by atanh series: ln(v) = 2 atanh((v-1)/(v+1)).
    let z = (v - 1) / (v + 1), z2 = z * z
    var term = z, sum = 0.0
    for k in stride(from: 1, through: 31, by: 2) { sum += term / Double(k); term *= z2 }
    return y + 2 * sum
}

extension Charts {
    // MARK: slope chart

    /// Two vertical axes (then, now) with one line per item from its share then to its share now, each end labelled
    /// with the name and the percentage. Labels that would overlap are moved apart (the line ends stay true).
    /// `emphasis` items (the region) are drawn thick and dark.
    static func slopeChart(_ items: [(label: String, before: Share?, after: Share?, emphasis: Bool)], beforeLabel: String,
                           afterLabel: String, title: String, desc: String, id: String) -> Node {
        let shown = items.filter { $0.before != nil && $0.after != nil }
        let labelW = 24 + 6.8 * Double((shown.map(\.label.count).max() ?? 10) + 7)
        let span = 300.0, top = 40.0, plotH = Swift.max(320, 32 * Double(shown.count)), lineGap = 15.0
        let x0 = labelW, x1 = labelW + span, width = x1 + labelW
        let highest = shown.flatMap { [$0.before!.estimate, $0.after!.estimate] }.max() ?? 0.1
        let scaleMax = Swift.max(0.05, (highest * 20).rounded(.up) / 20)
        func y(_ share: Double) -> Double { top + plotH * (1 - share / scaleMax) }
        /// Label positions as near their true ends as possible and at least `lineGap` apart: overlapping labels form
        /// a block centred on the mean of their ends; blocks that then overlap merge, until none do.
        func spread(_ values: [Double]) -> [Double] {
            let order = values.indices.sorted { (values[$0], $0) < (values[$1], $1) }
            var blocks: [(members: [Int], first: Double)] = []
            for i in order {
                blocks.append(([i], values[i]))
                while blocks.count > 1 {
                    let b = blocks.removeLast(), a = blocks.removeLast()
                    if a.first + lineGap * Double(a.members.count) <= b.first { blocks += [a, b]; break }
                    let members = a.members + b.members
                    let mean = members.reduce(0.0) { $0 + values[$1] } / Double(members.count)
                    blocks.append((members, mean - lineGap * Double(members.count - 1) / 2))
                }
            }
            var pos = Array(repeating: 0.0, count: values.count)
            for block in blocks { for (k, i) in block.members.enumerated() { pos[i] = block.first + lineGap * Double(k) } }
            return pos
        }
        let leftY = spread(shown.map { y($0.before!.estimate) }), rightY = spread(shown.map { y($0.after!.estimate) })
        var body: [Node] = [
            text(x0, 20, beforeLabel, anchor: "middle", weight: "700"),
            text(x1, 20, afterLabel, anchor: "middle", weight: "700"),
        ]
        var axes: [Node] = []
        for x in [x0, x1] {
            axes.append(el("line", ["x1": svgNumber(x), "y1": svgNumber(top), "x2": svgNumber(x), "y2": svgNumber(top + plotH), "stroke": ink]))
        }
        for p in stride(from: 0.0, through: scaleMax + 1e-9, by: 0.05) {
            axes.append(el("line", ["x1": svgNumber(x0), "y1": svgNumber(y(p)), "x2": svgNumber(x1), "y2": svgNumber(y(p)),
                                    "stroke": "#dcdcdc"]))
            axes.append(text((x0 + x1) / 2, y(p) - 3, DutchFormat.percent(p, decimals: 0), anchor: "middle", fill: "#4a4a4a"))
        }
        body.append(el("g", ["aria-hidden": "true"], axes))
        var lines: [Node] = []
        for (i, item) in shown.enumerated() {
            let a = item.before!, b = item.after!
            let colour = item.emphasis ? ink : band
            lines.append(el("g", ["stroke": colour, "fill": colour],
                            el("line", ["x1": svgNumber(x0), "y1": svgNumber(y(a.estimate)), "x2": svgNumber(x1), "y2": svgNumber(y(b.estimate)),
                                        "stroke-width": item.emphasis ? "3.5" : "1.5"]),
                            el("circle", ["cx": svgNumber(x0), "cy": svgNumber(y(a.estimate)), "r": item.emphasis ? "4.5" : "3"]),
                            el("circle", ["cx": svgNumber(x1), "cy": svgNumber(y(b.estimate)), "r": item.emphasis ? "4.5" : "3"])))
            lines.append(text(x0 - 8, leftY[i] + 4, "\(item.label) \(DutchFormat.percent(a.estimate))", anchor: "end",
                              weight: item.emphasis ? "700" : nil))
            lines.append(text(x1 + 8, rightY[i] + 4, "\(DutchFormat.percent(b.estimate)) \(item.label)", weight: item.emphasis ? "700" : nil))
        }
        body.append(el("g", lines))
        let height = top + plotH + 24
        return svg(id: id, width: width, height: height, title: title, desc: desc, body)
    }
}

extension Charts {
    // MARK: map

    /// Share classes of the maps: upper bounds (the last class is open) and their fills, light to dark.
    static let mapBreaks = [0.05, 0.10, 0.15, 0.20, 0.30]
    static var mapFills: [(fill: String, text: String)] { Array(blues[1...6]) }
    static func mapClass(_ share: Double) -> Int { mapBreaks.firstIndex { share < $0 } ?? mapBreaks.count }
    static func mapClassLabel(_ i: Int) -> String {
        let pct = { (x: Double) in DutchFormat.percent(x, decimals: 0) }
        if i == 0 { return "minder dan \(pct(mapBreaks[0]))" }
        if i == mapBreaks.count { return "\(pct(mapBreaks[i - 1])) of meer" }
        return "\(pct(mapBreaks[i - 1]).dropLast())–\(pct(mapBreaks[i]))"
    }

    /// The region and its surroundings: region members filled by their share going to school elsewhere (grey
    /// when unknown), the rest of the frame light grey, every gemeente named at its label point (white halo), an
    /// optional highlighted gemeente, and flow lines with arrow points from home to school, as wide as their
    /// estimate. The outlines sit in a scaled group; labels, lines and legend are in pixels, so text keeps its size.
    static func regionMap(_ map: RegionMap, members: Set<String>, shares: [String: Share], names: [String: String], highlight: String? = nil,
                          flows: [(home: String, school: String, pupils: Quantity, label: String)] = [],
                          title: String, desc: String, id: String) -> Node {
        let mapW = 620.0
        let scale = mapW / Double(map.width), mapH = (Double(map.height) * scale).rounded()
        func px(_ x: Int, _ y: Int) -> (Double, Double) { (Double(x - map.minX) * scale, Double(y - map.minY) * scale) }
        var outlines: [Node] = []
        for shape in map.shapes {
            let member = members.contains(shape.code)
            let fill = member ? shares[shape.code].map { mapFills[mapClass($0.estimate)].fill } ?? "#ffffff" : "#ececec"
            let share = shares[shape.code].map { ": \(shareText($0)) naar school buiten de gemeente" } ?? ""
            outlines.append(el("path", ["d": shape.path, "fill": fill, "stroke": member ? "#4a4a4a" : "#9a9a9a",
                                        "stroke-width": member ? "1" : "0.7", "vector-effect": "non-scaling-stroke"],
                               el("title", .text((names[shape.code] ?? shape.name) + share))))
        }
        if let highlight, let shape = map.shape(highlight) {
            outlines.append(el("path", ["d": shape.path, "fill": "none", "stroke": ink, "stroke-width": "3.5", "vector-effect": "non-scaling-stroke"]))
        }
        // The outlines are clipped to the frame (shapes reaching into it extend beyond it).
        var body: [Node] = [
            el("defs", el("clipPath", ["id": id + "-frame"], rect(0, 0, mapW, mapH, fill: "#000000"))),
            el("rect", ["width": svgNumber(mapW), "height": svgNumber(mapH), "fill": "#f4f8fb"]),
            el("g", ["clip-path": "url(#\(id)-frame)"],
               el("g", ["transform": "scale(\(fixed6(scale))) translate(\(-map.minX) \(-map.minY))", "stroke-linejoin": "round"], outlines)),
        ]
        // Flow lines: a gentle curve from home to school, ending in an arrow point short of the school's label point.
        let largest = flows.map(\.pupils.estimate).max() ?? 1
        var lines: [Node] = []
        for f in flows {
            guard let a = map.shape(f.home), let b = map.shape(f.school) else { continue }
            let (ax, ay) = px(a.labelX, a.labelY), (bx, by) = px(b.labelX, b.labelY)
            let dx = bx - ax, dy = by - ay, length = Swift.max(1, (dx * dx + dy * dy).squareRoot())
            let ux = dx / length, uy = dy / length
            let w = 1.5 + 7 * f.pupils.estimate / Swift.max(largest, 1)
            let head = 7 + w
            let ex = bx - ux * 12, ey = by - uy * 12, sx = ax + ux * 8, sy = ay + uy * 8
            let cx = (sx + ex) / 2 - uy * length * 0.15, cy = (sy + ey) / 2 + ux * length * 0.15
            // The arrow point follows the curve's direction at its end (from the control point).
            let tx = ex - cx, ty = ey - cy, tl = Swift.max(1, (tx * tx + ty * ty).squareRoot())
            let vx = tx / tl, vy = ty / tl
            let bxh = ex - vx * head, byh = ey - vy * head
            let d = "M\(svgNumber(sx)) \(svgNumber(sy))Q\(svgNumber(cx)) \(svgNumber(cy)) \(svgNumber(bxh)) \(svgNumber(byh))"
            let tip = "\(svgNumber(ex)),\(svgNumber(ey)) \(svgNumber(bxh - vy * head * 0.6)),\(svgNumber(byh + vx * head * 0.6)) "
                + "\(svgNumber(bxh + vy * head * 0.6)),\(svgNumber(byh - vx * head * 0.6))"
            lines.append(el("g", el("title", .text(f.label)),
                            el("path", ["d": d, "fill": "none", "stroke": "#a34700", "stroke-width": svgNumber(w), "stroke-opacity": "0.85",
                                        "stroke-linecap": "round"]),
                            el("polygon", ["points": tip, "fill": "#a34700"])))
        }
        body.append(el("g", lines))
        // Labels with a white halo, so they read on every fill; region members bold.
        var labels: [Node] = []
        for shape in map.shapes.sorted(by: { $0.code < $1.code }) {
            let (x, y) = px(shape.labelX, shape.labelY)
            let member = members.contains(shape.code)
            let half = 3.3 * Double((names[shape.code] ?? shape.name).count) * (member ? 1.08 : 1)
            guard x - half > 2, x + half < mapW - 2, y > 12, y < mapH - 6 else { continue }
            labels.append(el("text", ["x": svgNumber(x), "y": svgNumber(y + 4), "text-anchor": "middle",
                                      "font-weight": member ? "700" : nil, "fill": member ? ink : "#4a4a4a"], .text(names[shape.code] ?? shape.name)))
        }
        body.append(el("g", ["aria-hidden": "true", "stroke": "#ffffff", "stroke-width": "3", "paint-order": "stroke", "stroke-linejoin": "round",
                             "font-size": "11"], labels))
        // Legend below the map.
        var legend: [Node] = [text(0, mapH + 20, "Aandeel dat buiten de eigen gemeente naar school gaat:", weight: "700")]
        var x = 0.0
        for (i, c) in mapFills.enumerated() {
            let label = mapClassLabel(i)
            legend.append(rect(x, mapH + 30, 18, 14, fill: c.fill, stroke: "#4a4a4a"))
            legend.append(text(x + 23, mapH + 42, label))
            x += 34 + 6.8 * Double(label.count)
        }
        legend.append(rect(0, mapH + 52, 18, 14, fill: "#ececec", stroke: "#9a9a9a"))
        legend.append(text(23, mapH + 64, "buiten de regio"))
        var lx = 150.0
        if highlight != nil {
            legend.append(rect(lx, mapH + 52, 18, 14, fill: "none", stroke: ink, strokeWidth: "3"))
            legend.append(text(lx + 23, mapH + 64, "deze gemeente"))
            lx += 130
        }
        if !flows.isEmpty {
            legend.append(el("path", ["d": "M\(svgNumber(lx)) \(svgNumber(mapH + 59))h18", "stroke": "#a34700", "stroke-width": "4"]))
            legend.append(text(lx + 23, mapH + 64, "stroom van woon- naar schoolgemeente"))
            lx += 23 + 6.8 * 37
        }
        legend.append(text(0, mapH + 86, "Grenzen: \(map.attribution)", fill: "#4a4a4a"))
        body.append(el("g", ["aria-hidden": "true"], legend))
        let width = Swift.max(mapW, x, lx)
        return svg(id: id, width: width, height: mapH + 96, title: title, desc: desc, body)
    }
}
