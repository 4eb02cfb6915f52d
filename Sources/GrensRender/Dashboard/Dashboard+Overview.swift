import GrensCore

extension Site {
    func shares(_ date: Peildatum, _ soort: SoortSelection) -> [GemeenteShares] {
        (report.gemeenteShares[date] ?? []).filter { $0.soort == soort }
    }

    /// The soort for one-sentence summaries: everything when there is a total, else the po total.
    var mainSoort: SoortSelection? {
        if report.soorten.contains(.alle) { return .alle }
        if report.soorten.contains(.po) { return .po }
        return report.soorten.first
    }

    // MARK: index

    func indexPage() -> Page {
        var body: [Node] = [el("h1", .text(title))]
        guard let latest else {
            body.append(summary("Er zijn nog geen leerlinggegevens ingelezen; dit dashboard is leeg."))
            body.append(contentsOf: pageList())
            return Page(path: "index.html", title: "Overzicht", body: body)
        }
        body.append(el("p", ["class": "meta"], .text("Leerlingen die in de ene gemeente wonen en in een andere naar school gaan (grensverkeer), "
            + "per schoolsoort. Peildatum \(peildatumText(latest)).")))
        if let main = mainSoort {
            let f = RegionFigures(shares(latest, main))
            body.append(summary("Op \(dutchDate(latest)) woonden \(quantityText(f.living)) leerlingen (\(main.label)) in \(report.regionName); "
                + "\(Publish.share(f.outsideOwnShare)) van hen ging naar school buiten de eigen gemeente en "
                + "\(Publish.share(f.outsideRegionShare)) buiten de regio."))
        }
        body.append(el("h2", "Kerncijfers per schoolsoort"))
        var rows: [[Node]] = []
        var bars: [(label: String, share: Share?)] = []
        for soort in report.soorten {
            let f = RegionFigures(shares(latest, soort))
            rows.append([Table.rowHeader(link(Dashboard.soortPath(soort), soort.label)), Table.count(f.living),
                         Table.count(f.outflow), Table.share(f.outsideOwnShare),
                         Table.count(f.outRegion), Table.share(f.outsideRegionShare)])
            bars.append((soort.short, f.outsideOwnShare))
        }
        body.append(Table.make(id: "kerncijfers", caption: "Leerlingen die in \(report.regionName) wonen, peildatum \(dutchDate(latest))",
                               columns: [Table.colHeader("Schoolsoort"), Table.colHeader("Wonen in de regio", numeric: true),
                                         Table.colHeader("Naar school buiten eigen gemeente", numeric: true),
                                         Table.colHeader("Aandeel buiten eigen gemeente", numeric: true),
                                         Table.colHeader("Naar school buiten de regio", numeric: true),
                                         Table.colHeader("Aandeel buiten de regio", numeric: true)],
                               rows: rows))
        body.append(el("p", ["class": "meta"], "Kleine regel onder elk getal: ondergrens–bovengrens door de afscherming van DUO; ≈ is de schatting."))
        body.append(figure(Charts.shareBars(bars, title: "Aandeel leerlingen dat buiten de eigen gemeente naar school gaat, per schoolsoort",
                                            desc: "Staafdiagram; de zwarte lijn geeft de onder- en bovengrens. Zelfde cijfers als in de tabel Kerncijfers.",
                                            id: "fig-kern"),
                           caption: "Aandeel buiten de eigen gemeente per schoolsoort (zie de tabel hierboven voor de aantallen)."))
        body.append(contentsOf: pageList())
        return Page(path: "index.html", title: "Overzicht", body: body)
    }

    func pageList() -> [Node] {
        func list(_ items: [(String, String)]) -> Node { el("ul", items.map { el("li", link($0.0, $0.1)) }) }
        var out: [Node] = [el("h2", "Alle pagina's")]
        if !soortenWithMatrix.isEmpty {
            out.append(el("h3", "Herkomst en bestemming (matrix) per schoolsoort"))
            out.append(list(soortenWithMatrix.map { (Dashboard.matrixPath($0), $0.label) }))
            out.append(el("h3", "Grootste stromen over de gemeentegrens"))
            out.append(list(soortenWithMatrix.map { (Dashboard.flowPath($0), $0.label) }))
            out.append(el("h3", "Aandelen per gemeente"))
            out.append(list(soortenWithMatrix.map { (Dashboard.soortPath($0), $0.label) }))
        }
        if !gemeenten.isEmpty {
            out.append(el("h3", "Gemeenten"))
            out.append(list(gemeenten.map { (Dashboard.gemeentePath($0), report.name($0)) }))
        }
        if !swvs.isEmpty {
            out.append(el("h3", "Samenwerkingsverbanden passend onderwijs"))
            out.append(list(swvs.map { (Dashboard.swvPath($0), "\(report.swvNames[$0] ?? $0) (\($0))") }))
        }
        out.append(el("h3", "Verder"))
        var rest: [(String, String)] = []
        if !report.changes.isEmpty { rest.append((Dashboard.changePath, "Verandering sinds vorig jaar")) }
        if !report.costSplits.isEmpty { rest.append((Dashboard.costPath, "Kostenverdeling per gemeente")) }
        if !report.schools.isEmpty { rest.append((Dashboard.teamsPath, "Koppeling scholen en lokale teams")) }
        rest.append((Dashboard.aboutPath, "Over deze cijfers: bronnen, afscherming en schatting"))
        out.append(list(rest))
        if !notebookPages.isEmpty {
            out.append(el("h3", "Notitieboeken (eigen analyses)"))
            out.append(list(notebookPages.map { ($0.path, $0.title) }))
        }
        return out
    }

    // MARK: verandering

    func changePage() -> Page {
        let before = report.changeFrom ?? report.peildata.suffix(2).first!, after = report.changeTo ?? report.peildata.last!
        var body: [Node] = [el("h1", .text("Verandering \(before.schoolYear) → \(after.schoolYear)"))]
        body.append(el("p", ["class": "meta"], .text("Stromen tussen woon- en schoolgemeente op \(dutchDate(before)) en \(dutchDate(after)), "
            + "op de gemeentelijke indeling van \(dutchDate(after)). Verandering = schatting; daaronder de grenzen.")))
        let columns = [Table.colHeader("Woongemeente"), Table.colHeader("Schoolgemeente"),
                       Table.colHeader(before.schoolYear, numeric: true), Table.colHeader(after.schoolYear, numeric: true),
                       Table.colHeader("Verandering", numeric: true)]
        func rows(_ list: [Report.FlowChange]) -> [[Node]] {
            list.map { c in
                [Table.rowHeader(.text(report.name(c.home))), Table.text(report.name(c.school)),
                 Table.count(c.before), Table.count(c.after), Table.change(c.change)]
            }
        }
        func describe(_ c: Report.FlowChange) -> String {
            "\(report.name(c.home)) → \(report.name(c.school)) (\(Publish.change(c.change)))"
        }
        for soort in report.soorten {
            let changes = report.changes.filter { $0.soort == soort }
            guard !changes.isEmpty else { continue }
            let key = soort.rawValue
            let ups = changes.filter { $0.change.estimate >= 0.5 }
                .sorted { ($1.change.estimate, $0.home, $0.school) < ($0.change.estimate, $1.home, $1.school) }
            let downs = changes.filter { $0.change.estimate <= -0.5 }
                .sorted { ($0.change.estimate, $0.home, $0.school) < ($1.change.estimate, $1.home, $1.school) }
            let new = changes.filter(\.isNew).sorted { ($1.after.estimate, $0.home, $0.school) < ($0.after.estimate, $1.home, $1.school) }
            let ended = changes.filter(\.hasEnded).sorted { ($1.before.estimate, $0.home, $0.school) < ($0.before.estimate, $1.home, $1.school) }
            body.append(el("h2", .text(soort.label)))
            var sentence = ups.first.map { "Grootste toename: \(describe($0))" } ?? "Geen stroom nam merkbaar toe"
            sentence += downs.first.map { "; grootste afname: \(describe($0))." } ?? "; geen stroom nam merkbaar af."
            body.append(summary(sentence))
            let limit = 10
            for (title, list, id) in [("Grootste toenames", ups, "op"), ("Grootste afnames", downs, "af"),
                                      ("Nieuwe stromen", new, "nieuw"), ("Beëindigde stromen", ended, "weg")] {
                body.append(el("h3", .text(title)))
                if list.isEmpty { body.append(el("p", "Geen.")); continue }
                body.append(Table.make(id: "\(id)-\(key)", caption: "\(title), \(soort.short) (grootste \(limit))",
                                       columns: columns, rows: rows(Array(list.prefix(limit)))))
            }
        }
        body.append(contentsOf: trendSection())
        return Page(path: Dashboard.changePath, title: "Verandering", body: body)
    }

    // MARK: over deze cijfers

    func aboutPage() -> Page {
        var body: [Node] = [el("h1", "Over deze cijfers")]
        body.append(summary("Alle cijfers komen uit open data van DUO (CC0), geteld op de peildatum 1 oktober; "
            + "hieronder staat welke bestanden zijn gebruikt, hoe met de afscherming van kleine aantallen is omgegaan en wat de schatting betekent."))
        if report.synthetic {
            body.append(el("p", el("strong", "Let op: minstens één bron is synthetisch (gegenereerd voor test of demonstratie). De aantallen zijn niet echt.")))
        }
        body.append(el("h2", "Bronnen"))
        let rows: [[Node]] = report.sources.map { s in
            [Table.rowHeader(.text(s.name)), Table.text(s.dataset), Table.text(s.peildatum.iso),
             el("td", ["class": "n"], .text(DutchFormat.integer(s.rows))), Table.text(s.layout), Table.text(s.encoding),
             el("td", el("code", ["title": s.sha256], .text(String(s.sha256.prefix(12)) + (s.sha256.count > 12 ? "…" : "")))),
             Table.text(s.synthetic ? "ja" : "nee")]
        }
        if rows.isEmpty {
            body.append(el("p", "Geen bronbestanden."))
        } else {
            body.append(Table.make(id: "bronnen", caption: "Ingelezen bestanden (SHA-256 ingekort; de volledige waarde staat in de tooltip)",
                                   columns: ["Bestand", "Dataset", "Peildatum", "Rijen", "Indeling", "Tekenset", "SHA-256", "Synthetisch"]
                                       .map { Table.colHeader($0, numeric: $0 == "Rijen") },
                                   rows: rows))
        }
        body.append(el("h2", "Afscherming en schatting"))
        body.append(el("dl", ["class": "defs"],
            el("dt", "<5"),
            el("dd", "Sinds november 2023 publiceert DUO elk aantal van 1 t/m 4 als \u{201C}<5\u{201D}. Zo'n cel telt dus minstens 1 en hoogstens 4 leerlingen."),
            el("dt", "Ondergrens en bovengrens"),
            el("dd", .text("Elke som en elk aandeel heeft daardoor een minimum en een maximum: het minimum telt elke <5 als 1, het maximum als 4. "
                + "Bij aandelen zijn dat echte grenzen van de verhouding (teller laag en noemer hoog, en omgekeerd). In tabellen staan ze op de kleine tweede regel, bijvoorbeeld 120–160.")),
            el("dt", "Schatting (≈)"),
            el("dd", .text("Het getal met ≈ is de verwachte waarde: per <5-cel het gemiddelde dat zulke cellen echt hadden in een jaar zonder afscherming, "
                + "in dezelfde context (schoolsoort, wel of niet over de gemeentegrens, leeftijd, grootte van de stroom). "
                + "De schatting ligt altijd tussen de grenzen. Bron van de parameters: \(report.estimatorSource).")),
            el("dt", "Publicatie"),
            el("dd", .text("Dit dashboard toont nooit een getal van 1 t/m 4: een aantal, grens of schatting in dat gebied staat er als <5, "
                + "een verandering of saldo als +<5 of -<5. Totalen komen uit dezelfde afgeschermde cellen, zodat een verborgen aantal niet terug te rekenen is."))))
        body.append(el("h2", "Indeling van de gemeenten"))
        let g = report.grouping
        var indeling: [Node] = [el("li", .text("Regio \(report.regionName): " + g.members.map(report.name).sorted().joined(separator: ", ") + "."))]
        if !g.neighbours.isEmpty {
            indeling.append(el("li", .text("Buurgemeenten, elk apart getoond: " + g.neighbours.map(report.name).sorted().joined(separator: ", ") + ".")))
        }
        indeling.append(el("li", "Rest van Nederland: alle andere gemeenten samen. Buitenland/onbekend: woonadres in het buitenland of niet te herleiden."))
        indeling.append(el("li", "Alle jaren staan op de gemeentelijke indeling van de laatste peildatum (samengevoegde gemeenten zijn omgerekend)."))
        body.append(el("ul", indeling))
        body.append(contentsOf: refreshSection())
        body.append(el("h2", "Opmerkingen bij deze uitvoer"))
        let notes = report.notes + report.refusedCostItems.map { "Kostenpost niet berekend: \($0)" }
        body.append(notes.isEmpty ? el("p", "Geen bijzonderheden.") : el("ul", notes.map { el("li", .text($0)) }))
        return Page(path: Dashboard.aboutPath, title: "Over deze cijfers", body: body)
    }
}
