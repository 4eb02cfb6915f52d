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
            body.append(summary("Van de \(quantityText(s.living)) leerlingen (\(main.label)) die in \(name) wonen, gaat \(shareText(s.outflowShare)) "
                + "naar school in een andere gemeente; van de \(quantityText(s.atSchool)) leerlingen op scholen in \(name) woont "
                + "\(shareText(s.inflowShare)) elders. Saldo (instroom min uitstroom): \(changeText(s.net))."))
        }
        body.append(el("h2", "Beide richtingen per schoolsoort"))
        body.append(sharesTable(mine, id: "richtingen", caption: "\(name): leerlingen in beide richtingen per schoolsoort, peildatum \(dutchDate(latest))",
                                first: ("Schoolsoort", { .text($0.soort.label) })))
        body.append(figure(Charts.shareBars(mine.map { ($0.soort.short, $0.outflowShare) },
                                            title: "\(name): aandeel leerlingen dat buiten de gemeente naar school gaat, per schoolsoort",
                                            desc: "Staafdiagram; de zwarte lijn geeft de onder- en bovengrens. Zelfde cijfers als in de tabel hierboven.",
                                            id: "fig-uit"),
                           caption: "Uitstroom per schoolsoort; de aantallen staan in de tabel hierboven."))

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
            body.append(summary("Van de \(quantityText(s.living)) leerlingen (\(s.soort.label)) die in het gebied van \(code) wonen, gaat "
                + "\(shareText(s.outflowShare)) naar een school van een ander samenwerkingsverband; saldo (instroom min uitstroom): \(changeText(s.net))."))
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
        body.append(figure(Charts.shareBars(list.map { ($0.soort.short, $0.outflowShare) },
                                            title: "\(code): aandeel leerlingen dat naar een school van een ander samenwerkingsverband gaat",
                                            desc: "Staafdiagram per schoolsoort; de zwarte lijn geeft de onder- en bovengrens. Zelfde cijfers als in de tabel.",
                                            id: "fig-swv"),
                           caption: "Uitstroom per schoolsoort; de aantallen staan in de tabel hierboven."))
        return Page(path: Dashboard.swvPath(code), title: "\(code) \(name)", body: body)
    }
}
