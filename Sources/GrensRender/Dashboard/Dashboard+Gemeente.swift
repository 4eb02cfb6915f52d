import GrensCore

extension Site {
    // MARK: gemeente

    func gemeentePage(_ code: String) -> Page {
        let name = report.name(code)
        var body: [Node] = [el("h1", .text(name))]
        guard let latest else {
            body.append(summary("Er zijn nog geen leerlinggegevens ingelezen."))
            return Page(path: Dashboard.gemeentePath(code), title: name, body: body)
        }
        body.append(el("p", ["class": "meta"], .text("Gemeentecode \(code). Peildatum \(peildatumText(latest)). "
            + "Uitstroom: woont in \(name), school elders. Instroom: school in \(name), woont elders.")))
        let mine = (report.gemeenteShares[latest] ?? []).filter { $0.code == code }
        if let main = mainSoort, let s = mine.first(where: { $0.soort == main }) {
            body.append(summary("Van de \(quantityText(s.living)) leerlingen (\(main.short)) die in \(name) wonen, gaat \(shareText(s.outflowShare)) "
                + "naar school in een andere gemeente; van de \(quantityText(s.atSchool)) leerlingen op scholen in \(name) woont "
                + "\(shareText(s.inflowShare)) elders. Saldo (instroom min uitstroom): \(changeText(s.net)). "
                + balanceSentence(s.net, subject: name, others: "andere gemeenten", leaving: "er uit \(name) elders naar school gaan")))
        }
        body.append(el("h2", "Beide richtingen per schoolsoort"))
        body.append(sharesTables(mine, id: "richtingen",
                                 captions: ("\(name): leerlingen die hier wonen, naar school in \(name) of elders, per schoolsoort, peildatum \(dutchDate(latest))",
                                            "\(name): leerlingen op scholen hier, van elders, en het saldo, per schoolsoort, peildatum \(dutchDate(latest))"),
                                 first: ("Schoolsoort", { .text($0.soort.label) })))
        body.append(legend())
        body.append(figure(Charts.shareBars(mine.map { ($0.soort.short, $0.outflowShare) },
                                            title: "\(name): aandeel leerlingen dat buiten de gemeente naar school gaat, per schoolsoort",
                                            desc: "Staafdiagram; de dikke zwarte lijn geeft het 90%-interval, de dunne grijze lijn de harde grenzen. Zelfde cijfers als in de tabel hierboven.",
                                            id: "fig-uit"),
                           caption: "Uitstroom per schoolsoort; de aantallen staan in de tabel hierboven."))

        body.append(contentsOf: gemeenteMapSection(code, latest))

        // Schools elsewhere that this gemeente's children attend: the local team's contact list. Every school from
        // the threshold on is listed; the others follow folded (and all of them are in the CSV).
        let elsewhere = report.schoolsAttended(by: code)
        let threshold = report.teamThreshold
        body.append(el("h2", ["id": "scholen-elders-kop"], .text("Scholen buiten \(name) met leerlingen uit \(name)")))
        if elsewhere.isEmpty {
            body.append(el("p", "Geen."))
        } else {
            let above = elsewhere.filter { report.recommendsAgreement($0.pupils) }
            let below = elsewhere.filter { !report.recommendsAgreement($0.pupils) }
            body.append(el("p", ["class": "meta"], .text("\(elsewhere.count) scholen, gerangschikt naar het geschatte aantal leerlingen uit \(name). "
                + "Vanaf \(threshold) leerlingen (schatting) wordt een afspraak tussen school en lokaal team aanbevolen: "
                + (above.count == 1 ? "1 school" : "\(above.count) scholen") + ", alle hieronder.")))
            let columns = [Table.colHeader("School"), Table.colHeader("Gemeente"), Table.colHeader("Soort"),
                           Table.colHeader("Leerlingen uit \(name)", numeric: true), Table.colHeader("Aandeel van de school", numeric: true),
                           Table.colHeader("Afspraak")]
            func rows(_ list: [(school: Report.School, pupils: Quantity)]) -> [[Node]] {
                list.map { school, pupils in
                    [Table.rowHeader(.text(school.name)), Table.text(report.name(school.gemeente)), Table.text(school.soorten.map(\.rawValue).joined(separator: ", ")),
                     Table.count(pupils), Table.share(school.share(of: code)),
                     Table.text(report.recommendsAgreement(pupils) ? "afspraak aanbevolen" : "")]
                }
            }
            if above.isEmpty {
                body.append(el("p", .text("Geen school buiten \(name) heeft \(threshold) of meer leerlingen uit \(name).")))
            } else {
                body.append(Table.make(id: "scholen-elders", caption: "Scholen buiten \(name) met \(threshold) of meer leerlingen uit \(name) (afspraak aanbevolen), peildatum \(dutchDate(latest))",
                                       columns: columns, rows: rows(above)))
            }
            if !below.isEmpty {
                body.append(el("details", ["class": "more"],
                               el("summary", .text("De andere \(below.count) \(below.count == 1 ? "school" : "scholen") buiten \(name), met minder dan \(threshold) leerlingen uit \(name)")),
                               Table.make(id: "scholen-elders-overig", caption: "Scholen buiten \(name) met minder dan \(threshold) leerlingen uit \(name), peildatum \(dutchDate(latest))",
                                          columns: columns, rows: rows(below))))
            }
        }
        if report.costSplits.contains(where: { $0.lines.contains { $0.gemeente == code } }) {
            body.append(el("p", link(Dashboard.sheetPath(code), "Uw aandeel in de kostenposten (afdrukbaar)")))
        }

        // Schools here and where their pupils live: the school's list of local teams.
        let here = report.schools.filter { $0.gemeente == code }
            .sorted { ($1.total.estimate, $0.name, $0.id) < ($0.total.estimate, $1.name, $1.id) }
        body.append(el("h2", .text("Scholen in \(name) en de woongemeenten van hun leerlingen")))
        if here.isEmpty {
            body.append(el("p", "Geen scholen in de gegevens."))
        } else {
            let shownHomes = 6
            let rows: [[Node]] = here.map { school in
                let homes = school.homes.filter { $0.pupils.max > 0 }
                var parts = homes.prefix(shownHomes).map { "\(report.name($0.code)) \(Publish.count($0.pupils))" }
                if homes.count > shownHomes { parts.append("en meer") }
                return [Table.rowHeader(.text(school.name)), Table.text(school.soorten.map(\.rawValue).joined(separator: ", ")), Table.count(school.total),
                        Table.count(homes.first { $0.code == code }?.pupils ?? .zero),
                        Table.text(parts.joined(separator: " · "))]
            }
            body.append(Table.make(id: "scholen-hier", caption: "Scholen in \(name), peildatum \(dutchDate(latest)); woongemeenten van groot naar klein (eerste \(shownHomes))",
                                   columns: [Table.colHeader("School"), Table.colHeader("Soort"), Table.colHeader("Leerlingen", numeric: true),
                                             Table.colHeader("Uit \(name)", numeric: true), Table.colHeader("Woongemeenten")],
                                   rows: rows))
        }

        if report.peildata.count > 1 {
            body.append(el("h2", "Ontwikkeling door de jaren"))
            var rows: [[Node]] = []
            for soort in report.soorten {
                for date in report.peildata {
                    guard let s = (report.gemeenteShares[date] ?? []).first(where: { $0.code == code && $0.soort == soort }) else { continue }
                    rows.append([Table.rowHeader(.text("\(soort.short), \(date.schoolYear)")), Table.count(s.living), Table.share(s.outflowShare),
                                 Table.count(s.atSchool), Table.share(s.inflowShare), Table.change(s.net)])
                }
            }
            body.append(Table.make(id: "trend", caption: "\(name) per schooljaar (op de gemeentelijke indeling van \(dutchDate(latest)))",
                                   columns: [Table.colHeader("Soort en schooljaar")] + ["Wonen hier", "Uitstroom %", "Naar school hier", "Instroom %", "Saldo (in − uit)"]
                                       .map { Table.colHeader($0, numeric: true) },
                                   rows: rows))
        }
        return Page(path: Dashboard.gemeentePath(code), title: name, body: body)
    }

    /// A gemeente's map: the gemeente outlined, the region coloured as on the index, and its largest flows across
    /// the border (either way) as arrows from home to school, with the same flows in a table.
    func gemeenteMapSection(_ code: String, _ latest: Peildatum) -> [Node] {
        guard let map = report.map, map.shape(code) != nil, let main = mainSoort, let m = report.matrix(latest, main) else { return [] }
        let name = report.name(code)
        var byCode: [String: Share] = [:]
        for s in shares(latest, main) where report.grouping.isMember(s.code) { if let share = s.outflowShare { byCode[s.code] = share } }
        let drawable = report.largestFlows(touching: code, soort: main, limit: Int.max)
            .filter { map.shape(m.groups[$0.home]) != nil && map.shape(m.groups[$0.school]) != nil }.prefix(6)
        var out: [Node] = [el("h2", .text("Kaart: de grootste stromen van en naar \(name)"))]
        guard let top = drawable.first else { return [] }
        func describe(_ f: Matrix.Flow) -> String { "\(report.name(m.groups[f.home])) → \(report.name(m.groups[f.school])): \(quantityText(f.pupils)) leerlingen" }
        out.append(summary("De grootste stroom over de grens van \(name) (\(main.short)) loopt van \(report.name(m.groups[top.home])) naar "
            + "\(report.name(m.groups[top.school])): \(quantityText(top.pupils)) leerlingen. De kaart toont de \(drawable.count) grootste stromen van en naar \(name) "
            + "tussen gemeenten op de kaart."))
        let mapFigure = figure(Charts.regionMap(map, members: Set(report.grouping.members), shares: byCode, names: mapNames, highlight: code,
                                           flows: drawable.map { (m.groups[$0.home], m.groups[$0.school], $0.pupils, describe($0)) },
                                           title: "Kaart: de grootste stromen van en naar \(name), \(main.label)",
                                           desc: "Kaart met \(name) dik omlijnd; pijlen van woon- naar schoolgemeente, zo breed als het geschatte aantal "
                                               + "leerlingen; de regio gekleurd naar het aandeel dat buiten de eigen gemeente naar school gaat. "
                                               + "Zelfde stromen als in de tabel bij de kaart.",
                                           id: "kaart"),
                          caption: "Kaart (gemeentegrenzen \(map.year)); de aantallen staan in de tabel bij de kaart.")
        let mapTable = Table.make(id: "kaart-stromen", caption: "De grootste stromen van en naar \(name) op de kaart, \(main.short), peildatum \(dutchDate(latest))",
                              columns: [Table.colHeader("Woongemeente"), Table.colHeader("Schoolgemeente"),
                                        Table.colHeader("Leerlingen", numeric: true), Table.colHeader("Aandeel van wie er woont", numeric: true)],
                              rows: drawable.map { f in
                                  [Table.rowHeader(.text(report.name(m.groups[f.home]))), Table.text(report.name(m.groups[f.school])),
                                   Table.count(f.pupils), Table.share(m.shareOfHome(f.home, f.school))]
                              })
        // Map and table side by side where there is room (wide screens, A4 landscape).
        out.append(el("div", ["class": "side"], mapFigure, el("div", mapTable)))
        return out
    }

    // MARK: samenwerkingsverband

    func swvPage(_ code: String) -> Page? {
        guard let latest else { return nil }
        let list = (report.swvShares[latest] ?? []).filter { $0.swv == code }
        guard !list.isEmpty else { return nil }
        let name = report.swvNames[code] ?? code
        var body: [Node] = [el("h1", .text("\(name) (\(code))"))]
        body.append(el("p", ["class": "meta"], .text("Samenwerkingsverband passend onderwijs. Peildatum \(peildatumText(latest)). "
            + "Het swv van een leerling volgt uit de postcode van het woonadres, dat van een school uit de postcode van de school.")))
        if let s = list.first {
            body.append(summary("Van de \(quantityText(s.living)) leerlingen (\(s.soort.short)) die in het gebied van \(code) wonen, gaat "
                + "\(shareText(s.outflowShare)) naar een school van een ander samenwerkingsverband; saldo (instroom min uitstroom): \(changeText(s.net)). "
                + balanceSentence(s.net, subject: "Het gebied van \(code)", others: "andere samenwerkingsverbanden",
                                  leaving: "er uit dit gebied naar een school van een ander samenwerkingsverband gaan")))
        }
        let rows: [[Node]] = list.map { s in
            [Table.rowHeader(.text(s.soort.label)), Table.count(s.living), Table.count(s.own), Table.count(s.outflow), Table.share(s.outflowShare),
             Table.count(s.atSchool), Table.count(s.inflow), Table.share(s.inflowShare), Table.change(s.net)]
        }
        body.append(el("h2", "Beide richtingen per schoolsoort"))
        body.append(Table.make(id: "swv", caption: "\(code): leerlingen in beide richtingen, peildatum \(dutchDate(latest))",
                               columns: [Table.colHeader("Schoolsoort")] + ["Wonen in gebied", "School in eigen swv", "Uitstroom", "Uitstroom %",
                                                                            "Naar school in gebied", "Instroom", "Instroom %", "Saldo (in − uit)"]
                                   .map { Table.colHeader($0, numeric: true) },
                               rows: rows))
        body.append(legend())
        body.append(figure(Charts.shareBars(list.map { ($0.soort.short, $0.outflowShare) },
                                            title: "\(code): aandeel leerlingen dat naar een school van een ander samenwerkingsverband gaat",
                                            desc: "Staafdiagram per schoolsoort; de dikke zwarte lijn geeft het 90%-interval, de dunne grijze lijn de harde grenzen. Zelfde cijfers als in de tabel.",
                                            id: "fig-swv"),
                           caption: "Uitstroom per schoolsoort; de aantallen staan in de tabel hierboven."))
        return Page(path: Dashboard.swvPath(code), title: "\(code) \(name)", body: body)
    }
}
