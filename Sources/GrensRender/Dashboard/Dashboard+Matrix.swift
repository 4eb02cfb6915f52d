import GrensCore

extension Site {
    // MARK: matrix

    func matrixPage(_ soort: SoortSelection) -> Page? {
        guard let latest, let m = report.matrix(latest, soort) else { return nil }
        let names = m.groups.map(report.name)
        var body: [Node] = [el("h1", .text("Herkomst en bestemming: \(soort.label)"))]
        body.append(el("p", ["class": "meta"], .text("Peildatum \(peildatumText(latest)). Rijen: woongemeente; kolommen: schoolgemeente.")))
        let (own, cross) = m.ownAndCrossing
        var sentence = "In deze matrix staan \(quantityText(m.total)) leerlingen die in \(report.regionName) wonen of er naar school gaan; "
            + "\(shareText(Share(part: cross, rest: own))) van hen gaat naar school in een andere gemeente dan de woongemeente"
        if let top = m.crossingFlows(limit: 1).first {
            sentence += ". De grootste stroom over de gemeentegrens loopt van \(names[top.home]) naar \(names[top.school]): \(quantityText(top.pupils))"
        }
        body.append(summary(sentence + "."))
        body.append(el("h2", "Heatmap"))
        body.append(figure(Charts.heatmap(m, report: report, id: "hm-\(soort.rawValue)"),
                           caption: "Donkerder = meer leerlingen (logaritmische schaal). Dikke rand: leerlingen die in de eigen gemeente naar school gaan. "
                            + "Gearceerd: niet van toepassing (woon- én schoolgemeente buiten de regio)."))
        body.append(el("h2", "Tabel"))
        var columns: [Node] = [el("td", ["class": "corner"], "woont ↓ / school →")]
        columns += names.map { Table.colHeader($0, numeric: true) }
        columns.append(Table.colHeader("Totaal", numeric: true))
        var rows: [[Node]] = []
        for h in m.groups.indices {
            var row: [Node] = [Table.rowHeader(.text(names[h]))]
            for s in m.groups.indices {
                if !m.applicable(h, s) {
                    row.append(el("td", ["class": "na", "title": "niet van toepassing"], "–"))
                } else if h == s {
                    row.append(Table.count(m.cells[h][s], extraClass: "own", title: "eigen gemeente"))
                } else {
                    row.append(Table.count(m.cells[h][s]))
                }
            }
            row.append(Table.count(m.homeTotals[h]))
            rows.append(row)
        }
        rows.append([Table.rowHeader("Totaal")] + m.schoolTotals.map { Table.count($0) } + [Table.count(m.total)])
        body.append(Table.make(id: "matrix-\(soort.rawValue)",
                               caption: "Leerlingen (\(soort.short)) naar woongemeente (rij) en schoolgemeente (kolom), peildatum \(dutchDate(latest))",
                               columns: columns, rows: rows, className: "matrix", printColumns: 10))
        body.append(legend("Omkaderd en vet: eigen gemeente. – = niet van toepassing. "))
        return Page(path: Dashboard.matrixPath(soort), title: "Matrix \(soort.short)", body: body)
    }

    // MARK: stromen

    func flowPage(_ soort: SoortSelection) -> Page? {
        guard let latest, let m = report.matrix(latest, soort) else { return nil }
        let limit = 25
        let flows = m.crossingFlows(limit: limit)
        var body: [Node] = [el("h1", .text("Stromen over de gemeentegrens: \(soort.label)"))]
        body.append(el("p", ["class": "meta"], .text("Peildatum \(peildatumText(latest)). Alleen leerlingen die buiten hun woongemeente naar school gaan; de \(limit) grootste stromen.")))
        guard let top = flows.first else {
            body.append(summary("Er zijn geen leerlingen die buiten hun woongemeente naar school gaan."))
            return Page(path: Dashboard.flowPath(soort), title: "Stromen \(soort.short)", body: body)
        }
        let shown = flows.reduce(Quantity.zero) { $0 + $1.pupils }
        body.append(summary("De grootste stroom loopt van \(report.name(m.groups[top.home])) naar \(report.name(m.groups[top.school])): "
            + "\(quantityText(top.pupils)) leerlingen; de getoonde stromen samen tellen \(quantityText(shown)) leerlingen."))
        body.append(figure(Charts.flowDiagram(flows, matrix: m, report: report, id: "fl-\(soort.rawValue)"),
                           caption: "Links woongemeente, rechts schoolgemeente; de bandbreedte is het geschatte aantal leerlingen, de punt wijst naar de school. "
                            + "Het getal achter elke naam is de som van de getoonde stromen."))
        let rows: [[Node]] = flows.map { f in
            let share = m.shareOfHome(f.home, f.school)
            return [Table.rowHeader(.text(report.name(m.groups[f.home]))), Table.text(report.name(m.groups[f.school])),
                    Table.count(f.pupils), Table.share(share)]
        }
        body.append(Table.make(id: "stromen-\(soort.rawValue)", caption: "De \(limit) grootste stromen over de gemeentegrens, \(soort.short), peildatum \(dutchDate(latest))",
                               columns: [Table.colHeader("Woongemeente"), Table.colHeader("Schoolgemeente"),
                                         Table.colHeader("Leerlingen", numeric: true), Table.colHeader("Aandeel van wie er woont", numeric: true)],
                               rows: rows))
        body.append(legend())
        return Page(path: Dashboard.flowPath(soort), title: "Stromen \(soort.short)", body: body)
    }

    // MARK: aandelen per soort

    func soortPage(_ soort: SoortSelection) -> Page? {
        guard let latest else { return nil }
        let list = shares(latest, soort)
        guard !list.isEmpty else { return nil }
        var body: [Node] = [el("h1", .text("Aandelen per gemeente: \(soort.label)"))]
        body.append(el("p", ["class": "meta"], .text("Peildatum \(peildatumText(latest)). Uitstroom: woont hier, school elders. Instroom: school hier, woont elders.")))
        let ranked = list.compactMap { s in s.outflowShare.map { (s, $0) } }.sorted { ($1.1.estimate, $0.0.code) < ($0.1.estimate, $1.0.code) }
        if let hi = ranked.first, let lo = ranked.last {
            body.append(summary("Het grootste aandeel leerlingen dat buiten de eigen gemeente naar school gaat heeft \(report.name(hi.0.code)): "
                + "\(shareText(hi.1)); het kleinste \(report.name(lo.0.code)): \(shareText(lo.1))."))
        }
        body.append(figure(Charts.shareBars(list.map { (report.name($0.code), $0.outflowShare) },
                                            title: "Uitstroom: aandeel leerlingen dat buiten de eigen gemeente naar school gaat, \(soort.label)",
                                            desc: "Staafdiagram per gemeente; de dikke zwarte lijn geeft het 90%-interval, de dunne grijze lijn de harde grenzen. Zelfde cijfers als in de tabel.",
                                            id: "fig-\(soort.rawValue)"),
                           caption: "Uitstroom per gemeente; de aantallen staan in de tabel."))
        body.append(sharesTables(list, id: "aandelen-\(soort.rawValue)",
                                 captions: ("Leerlingen (\(soort.short)) per woongemeente: naar school in de eigen gemeente of elders, peildatum \(dutchDate(latest))",
                                            "Leerlingen (\(soort.short)) per schoolgemeente: van elders en het saldo, peildatum \(dutchDate(latest))"),
                                 first: ("Gemeente", { link(Dashboard.gemeentePath($0.code), report.name($0.code)) })))
        body.append(legend())
        if let sentence = balancesSentence(list) { body.append(summary(sentence)) }
        return Page(path: Dashboard.soortPath(soort), title: "Aandelen \(soort.short)", body: body)
    }

    /// The balances of the gemeenten in words, grouped by their direction (`Change.direction`): who receives more
    /// pupils from other gemeenten than go elsewhere, who fewer, and where that is not certain.
    func balancesSentence(_ list: [GemeenteShares]) -> String? {
        let members = list.filter { report.grouping.isMember($0.code) }
        guard !members.isEmpty else { return nil }
        func names(_ d: Direction) -> String? {
            let n = members.filter { $0.net.direction == d }.map { report.name($0.code) }
            guard let last = n.last else { return nil }
            return n.count == 1 ? last : n.dropLast().joined(separator: ", ") + " en " + last
        }
        var sentences: [String] = []
        if let up = names(.up) { sentences.append("Meer leerlingen uit andere gemeenten ontvangen dan er elders naar school gaan (saldo boven 0): \(up).") }
        if let down = names(.down) { sentences.append("Minder leerlingen uit andere gemeenten ontvangen dan er elders naar school gaan (saldo onder 0): \(down).") }
        if let equal = names(.zero) { sentences.append("Evenveel: \(equal).") }
        if let open = names(.uncertain) { sentences.append("Of er meer of minder leerlingen komen dan er gaan, is niet zeker bij \(open).") }
        let sentence = sentences.joined(separator: " ")
        return sentence
    }

    /// GemeenteShares in both directions, one row each, as two tables: where the pupils living here go to school
    /// (`<id>-uit`), and who come to the schools here with the balance (`<id>-in`). One table of ten number columns,
    /// each with its interval and bounds, would not fit a screen or an A4 page.
    func sharesTables(_ list: [GemeenteShares], id: String, captions: (out: String, in: String),
                      first: (String, (GemeenteShares) -> Node)) -> Node {
        func headers(_ names: [String]) -> [Node] { [Table.colHeader(first.0)] + names.map { Table.colHeader($0, numeric: true) } }
        let out = Table.make(id: id + "-uit", caption: captions.out,
                             columns: headers(["Wonen hier", "Eigen gemeente", "Uitstroom", "Uitstroom %", "In eigen swv %", "Buiten de regio %"]),
                             rows: list.map { s in
                                 [Table.rowHeader(first.1(s)), Table.count(s.living), Table.count(s.own), Table.count(s.outflow),
                                  Table.share(s.outflowShare), Table.share(ownSwvShare(s)), Table.share(s.outRegionShare)]
                             })
        let incoming = Table.make(id: id + "-in", caption: captions.in,
                                  columns: headers(["Naar school hier", "Instroom", "Instroom %", "Saldo (in − uit)"]),
                                  rows: list.map { s in
                                      [Table.rowHeader(first.1(s)), Table.count(s.atSchool), Table.count(s.inflow), Table.share(s.inflowShare),
                                       Table.change(s.net)]
                                  })
        return .group([out, incoming])
    }
}
