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
            body.append(summary("Op \(dutchDate(latest)) woonden \(quantityText(f.living)) leerlingen (\(main.short)) in \(report.regionName); "
                + "\(shareText(f.outsideOwnShare)) van hen ging naar school buiten de eigen gemeente en "
                + "\(shareText(f.outsideRegionShare)) buiten de regio."))
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
        body.append(legend())
        body.append(figure(Charts.shareBars(bars, title: "Aandeel leerlingen dat buiten de eigen gemeente naar school gaat, per schoolsoort",
                                            desc: "Staafdiagram; de dikke zwarte lijn geeft het 90%-interval, de dunne grijze lijn de harde grenzen. Zelfde cijfers als in de tabel Kerncijfers.",
                                            id: "fig-kern"),
                           caption: "Aandeel buiten de eigen gemeente per schoolsoort (zie de tabel hierboven voor de aantallen)."))
        body.append(contentsOf: regionMapSection(latest))
        body.append(contentsOf: pageList())
        return Page(path: "index.html", title: "Overzicht", body: body)
    }

    /// The index map: every region member coloured by the share going to school elsewhere, with its table.
    func regionMapSection(_ latest: Peildatum) -> [Node] {
        guard let map = report.map, let main = mainSoort else { return [] }
        let order = Dictionary(uniqueKeysWithValues: report.grouping.order.enumerated().map { ($0.element, $0.offset) })
        let list = shares(latest, main).filter { report.grouping.isMember($0.code) }.sorted { (order[$0.code] ?? 0) < (order[$1.code] ?? 0) }
        var byCode: [String: Share] = [:]
        for s in list { if let share = s.outflowShare { byCode[s.code] = share } }
        var out: [Node] = [el("h2", "Kaart: naar school buiten de eigen gemeente")]
        let ranked = list.compactMap { s in s.outflowShare.map { (s.code, $0) } }.sorted { ($1.1.estimate, $0.0) < ($0.1.estimate, $1.0) }
        if let hi = ranked.first, let lo = ranked.last {
            out.append(summary("Het aandeel leerlingen (\(main.short)) dat buiten de eigen gemeente naar school gaat, is het grootst in "
                + "\(report.name(hi.0)): \(shareText(hi.1)); het kleinst in \(report.name(lo.0)): \(shareText(lo.1))."))
        }
        let mapFigure = figure(Charts.regionMap(map, members: Set(report.grouping.members), shares: byCode, names: mapNames,
                                           title: "Kaart van \(report.regionName): aandeel leerlingen (\(main.short)) dat buiten de eigen gemeente naar school gaat",
                                           desc: "Kaart van de gemeenten van \(report.regionName) en omgeving; hoe donkerder, hoe groter het aandeel. "
                                               + "Gemeenten buiten de regio zijn grijs. Zelfde cijfers als in de tabel bij de kaart.",
                                           id: "kaart"),
                          caption: "Kaart (gemeentegrenzen \(map.year)); de aantallen en grenzen staan in de tabel bij de kaart."
                            + (map.missing.isEmpty ? "" : " Niet op de kaart (geen grens in \(map.year)): \(map.missing.map(report.name).joined(separator: ", "))."))
        let mapTable = Table.make(id: "kaart-tabel", caption: "Aandeel leerlingen (\(main.short)) dat buiten de eigen gemeente naar school gaat, peildatum \(dutchDate(latest))",
                              columns: [Table.colHeader("Gemeente"), Table.colHeader("Wonen hier", numeric: true),
                                        Table.colHeader("Naar school elders", numeric: true), Table.colHeader("Aandeel elders", numeric: true)],
                              rows: list.map { s in
                                  [Table.rowHeader(link(Dashboard.gemeentePath(s.code), report.name(s.code))), Table.count(s.living),
                                   Table.count(s.outflow), Table.share(s.outflowShare)]
                              })
        // Map and table side by side where there is room (wide screens, A4 landscape).
        out.append(el("div", ["class": "side"], mapFigure, el("div", mapTable)))
        return out
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
        if !report.changes.isEmpty { rest.append((Dashboard.changePath, "Verandering \(changeSpanText): aandeel naar school elders en grootste veranderingen")) }
        if !report.costSplits.isEmpty { rest.append((Dashboard.costPath, "Kostenverdeling per gemeente")) }
        if !report.schools.isEmpty { rest.append((Dashboard.teamsPath, "Koppeling scholen en lokale teams")) }
        rest.append((Dashboard.aboutPath, "Over deze cijfers: bronnen, afscherming en schatting"))
        out.append(list(rest))
        if !notebookPages.isEmpty {
            out.append(el("h3", "Notitieboeken (eigen analyses)"))
            out.append(list(notebookPages.map { ($0.path, $0.title) }))
        }
        // Navigation, not content: left out of print.
        return [el("div", ["class": "pagelist"], out)]
    }

    // MARK: verandering

    /// `2017 → 2024`: the span a change covers, named by its years (never "vorig jaar").
    var changeSpanText: String {
        guard let span = report.changeSpan else { return "" }
        return "\(span.before.year) → \(span.after.year)"
    }

    func changePage() -> Page {
        let span = report.changeSpan!
        let (before, after) = span
        var body: [Node] = [el("h1", .text("Verandering \(changeSpanText)"))]
        body.append(el("p", ["class": "meta"], .text("Peildatum \(peildatumText(before)) en \(peildatumText(after)), beide op de gemeentelijke "
            + "indeling van \(dutchDate(after)). Alleen grensverkeer: leerlingen die buiten hun woongemeente naar school gaan. "
            + "Verandering: de schatting met tussen haakjes het 90%-interval, op de kleine regel de harde grenzen. "
            + "Richting: toegenomen of afgenomen als het 90%-interval helemaal boven of onder 0 ligt, anders niet zeker.")))
        if let main = mainSoort, let o = report.outflowChanges(main) {
            body.append(summary(changeSentence(o, soort: main)))
            var items: [(label: String, before: Share?, after: Share?, emphasis: Bool)] = [("Regio \(report.regionName)", o.region.before, o.region.after, true)]
            items += o.gemeenten.map { (report.name($0.code!), $0.before, $0.after, false) }
            body.append(figure(Charts.slopeChart(items, beforeLabel: "\(before.year)", afterLabel: "\(after.year)",
                                                 title: "Aandeel leerlingen (\(main.short)) dat buiten de eigen gemeente naar school gaat, \(changeSpanText)",
                                                 desc: "Hellingdiagram: links het aandeel op \(dutchDate(before)), rechts op \(dutchDate(after)), één lijn per gemeente "
                                                     + "en een dikke lijn voor de regio. Zelfde cijfers als in de tabel eronder.",
                                                 id: "fig-verandering"),
                               caption: "Aandeel buiten de eigen gemeente (schatting), \(main.label), \(changeSpanText); het 90%-interval en de grenzen staan in de tabel."))
        }
        let columns = [Table.colHeader("Woongemeente"), Table.colHeader("Schoolgemeente"),
                       Table.colHeader("\(before.year)", numeric: true), Table.colHeader("\(after.year)", numeric: true),
                       Table.colHeader("Verandering", numeric: true), Table.colHeader("Richting")]
        func rows(_ list: [Report.FlowChange]) -> [[Node]] {
            list.map { c in
                [Table.rowHeader(.text(report.name(c.home) + (c.isNew ? " (nieuw)" : c.hasEnded ? " (gestopt)" : ""))), Table.text(report.name(c.school)),
                 Table.count(c.before), Table.count(c.after), Table.change(c.change), Table.text(directionWord(c.change.direction))]
            }
        }
        let limit = 10
        for soort in report.soorten {
            guard let o = report.outflowChanges(soort) else { continue }
            let key = soort.rawValue
            let (ups, downs) = report.crossBorderChanges(soort)
            body.append(el("h2", .text(soort.label)))
            if soort != mainSoort { body.append(summary(changeSentence(o, soort: soort))) }
            body.append(Table.make(id: "aandeel-\(key)", caption: "Aandeel \(soort.short) dat buiten de eigen gemeente naar school gaat, \(changeSpanText)",
                                   columns: [Table.colHeader("Woongemeente"), Table.colHeader("\(before.year)", numeric: true),
                                             Table.colHeader("\(after.year)", numeric: true), Table.colHeader("Verschil (procentpunt)", numeric: true),
                                             Table.colHeader("Richting")],
                                   rows: ([o.region] + o.gemeenten).map { c in
                                       [Table.rowHeader(.text(c.code.map(report.name) ?? "Regio \(report.regionName)")), Table.share(c.before), Table.share(c.after),
                                        Table.points(c), Table.text(directionWord(c.direction))]
                                   }))
            for (title, list, id) in [("Grootste toenames over de gemeentegrens", ups, "op"), ("Grootste afnames over de gemeentegrens", downs, "af")] {
                body.append(el("h3", .text(title)))
                if list.isEmpty { body.append(el("p", "Geen stroom over de gemeentegrens veranderde merkbaar.")); continue }
                body.append(el("p", .text(directionsSentence(Array(list.prefix(limit)), up: id == "op"))))
                body.append(Table.make(id: "\(id)-\(key)", caption: "\(title), \(soort.short), \(changeSpanText) (grootste \(Swift.min(limit, list.count)))",
                                       columns: columns, rows: rows(Array(list.prefix(limit)))))
            }
        }
        body.append(contentsOf: trendSection())
        return Page(path: Dashboard.changePath, title: "Verandering \(changeSpanText)", body: body)
    }

    /// The lead of the change page: the region's share going elsewhere then and now, and where it rose most.
    func changeSentence(_ o: (region: Report.OutflowChange, gemeenten: [Report.OutflowChange]), soort: SoortSelection) -> String {
        guard let span = report.changeSpan, let a = o.region.before, let b = o.region.after, o.region.points != nil else {
            return "Voor \(soort.label) zijn niet beide jaren beschikbaar."
        }
        var s = "In \(report.regionName) ging op \(dutchDate(span.before)) \(shareText(a)) van de leerlingen (\(soort.short)) naar school "
            + "buiten de eigen gemeente, op \(dutchDate(span.after)) \(shareText(b)): \(Shown(points: o.region).text). "
        switch o.region.direction {
        case .up: s += "Dat aandeel is toegenomen."
        case .down: s += "Dat aandeel is afgenomen."
        case .zero: s += "Dat aandeel is gelijk gebleven."
        case .uncertain, nil: s += "Of dat aandeel is toegenomen of afgenomen, is niet zeker."
        }
        let ranked = o.gemeenten.filter { $0.points != nil }.sorted { ($1.points!, $0.code!) < ($0.points!, $1.code!) }
        if let up = ranked.first, up.points! >= 0.05 {
            s += " De grootste stijging had \(report.name(up.code!)) (\(DutchFormat.percent(up.before!.estimate)) → \(DutchFormat.percent(up.after!.estimate)))"
            if let down = ranked.last, down.points! <= -0.05 {
                s += ", de grootste daling \(report.name(down.code!)) (\(DutchFormat.percent(down.before!.estimate)) → \(DutchFormat.percent(down.after!.estimate)))"
            }
            s += "."
        }
        return s
    }

    /// How many of the listed flows changed in the direction of their list as the report states it (their 90%
    /// interval lies beyond 0, `Change.direction`), and at how many the direction is not certain.
    func directionsSentence(_ list: [Report.FlowChange], up: Bool) -> String {
        let sure = list.filter { $0.change.direction == (up ? .up : .down) }.count
        let word = up ? "toegenomen" : "afgenomen", side = up ? "boven" : "onder"
        let n = list.count
        if sure == n {
            return n == 1 ? "Deze stroom is \(word): het 90%-interval ligt \(side) 0."
                : "Alle \(numberWord(n)) stromen zijn \(word): hun 90%-interval ligt \(side) 0."
        }
        if sure == 0 {
            return n == 1 ? "Of deze stroom is \(word), is niet zeker: het 90%-interval bevat 0."
                : "Bij geen van deze \(numberWord(n)) stromen is zeker dat ze zijn \(word): hun 90%-interval bevat 0."
        }
        return "\(sure == 1 ? "Eén" : numberWord(sure).prefix(1).uppercased() + numberWord(sure).dropFirst()) van deze \(numberWord(n)) stromen \(sure == 1 ? "is" : "zijn") \(word) "
            + "(90%-interval \(side) 0); bij \(n - sure == 1 ? "de andere" : "de andere \(numberWord(n - sure))") is de richting niet zeker."
    }

    // MARK: over deze cijfers

    func aboutPage() -> Page {
        var body: [Node] = [el("h1", "Over deze cijfers")]
        body.append(summary("Alle cijfers komen uit open data van DUO (CC0), geteld op de peildatum 1 oktober. Hieronder eerst hoe met de "
            + "afscherming van kleine aantallen is omgegaan en wat de schatting betekent, dan de indeling van de gemeenten en als laatste "
            + "de lijst van gebruikte bestanden."))
        if report.synthetic {
            body.append(el("p", el("strong", "Let op: minstens één bron is synthetisch (gegenereerd voor test of demonstratie). De aantallen zijn niet echt.")))
        }
        body.append(el("h2", "Afscherming en schatting"))
        let masking = "Sinds november 2023 publiceert DUO elk aantal van 1 t/m 4 als \u{201C}<5\u{201D}. Zo'n cel telt dus minstens 1 en hoogstens 4 leerlingen."
        let estimate = "Het getal met ≈ is de verwachte waarde: per <5-cel het gemiddelde dat zulke cellen echt hadden in een jaar zonder afscherming, "
            + "in dezelfde context (schoolsoort, wel of niet over de gemeentegrens, leeftijd, grootte van de stroom). "
            + "Bron van de parameters: \(report.estimatorSource)."
        let interval = "Achter de schatting staat tussen haakjes het 90%-interval, bijvoorbeeld ≈951 (900–1.005). Het komt uit 400 trekkingen "
            + "van alle afgeschermde cellen samen, per peildatum elke keer met dezelfde startwaarde (dezelfde gegevens geven dezelfde uitkomst, "
            + "en de cijfers van een jaar veranderen niet als er een jaar bij komt); de 5% laagste "
            + "en de 5% hoogste uitkomsten vallen erbuiten. De echte waarde ligt meestal binnen het interval, niet altijd. Dat is gemeten: "
            + "de echte bestanden van 2017, toen DUO nog niet afschermde, zijn afgeschermd zoals DUO dat nu doet en daarna geschat. "
            + "Bij stromen tussen gemeenten van minstens 20 leerlingen lag de echte waarde in 86,6 tot 87,7% van de gevallen binnen het "
            + "90%-interval, bij de totalen per woongemeente in 84,8 tot 90,0%."
        let bounds = "Daarnaast heeft elke som en elk aandeel een minimum en een maximum: het minimum telt elke <5 als 1, het maximum als 4. "
            + "Daartussen ligt de echte waarde altijd. In tabellen staan ze op de kleine tweede regel, in de tekst na het interval: "
            + "≈951 (900–1.005; zeker tussen 804 en 2.787). Bij aandelen zijn het echte grenzen van de verhouding (teller laag en noemer hoog, "
            + "en omgekeerd). De grenzen zijn ruim, want ze nemen aan dat alle <5-cellen tegelijk 1 of tegelijk 4 zijn, wat in werkelijkheid "
            + "zelden voorkomt: het interval zegt waar de echte waarde meestal ligt, de grenzen wat zeker is. Staat er geen interval, "
            + "dan is het getal exact (geen ≈) of is het niet uit trekkingen berekend (bijvoorbeeld een som met leerlingen die ver buiten "
            + "de regio wonen); dan staan alleen de grenzen erbij."
        let direction = "Of een saldo (instroom min uitstroom) of een verandering positief of negatief is, staat er in woorden bij als het hele "
            + "90%-interval boven of onder 0 ligt (zonder interval: als de grenzen dat doen). Bevat het interval 0, dan staat er dat de "
            + "richting niet zeker is."
        let publication = "Dit dashboard toont nooit een getal van 1 t/m 4: een aantal, schatting, interval of grens in dat gebied staat er als <5, "
            + "een verandering of saldo van 1 t/m 4 als <5 meer of <5 minder. Totalen komen uit dezelfde afgeschermde cellen, "
            + "zodat een verborgen aantal niet terug te rekenen is."
        var terms: [(String, String)] = [("<5", masking), ("Schatting (≈)", estimate), ("90%-interval (tussen haakjes)", interval),
                                         ("Harde grenzen (zeker tussen)", bounds), ("Richting van een saldo of verandering", direction),
                                         ("Publicatie", publication)]
        if !report.exactPeildata.isEmpty {
            let years = report.exactPeildata.map { String($0.year) }.joined(separator: ", ")
            terms.append(("Exacte jaren (\(years))", "De DUO-bestanden van \(years) zijn niet afgeschermd. De herkomst-bestemmingstabellen per "
                + "schoolsoort van dat jaar (ook op de pagina Verandering) tonen daarom de echte aantallen, zonder ≈. Een aantal van 1 t/m 4 "
                + "staat er als <5. Zou zo'n <5 uit de andere getallen van de tabel (rij- en kolomtotalen) terug te rekenen zijn, dan is ook "
                + "een ander aantal verborgen; dat staat er met de schatting en de marge die uit de rest van de tabel volgt. Bij elke controle "
                + "van deze software wordt nagerekend dat geen <5 tot één waarde terug te rekenen is. Po totaal is de som van de "
                + "schoolsoorten, dus niet overal exact. De andere cijfers van dat jaar (aandelen, trend) zijn berekend alsof het jaar "
                + "afgeschermd was, zoals DUO nu doet."))
        }
        body.append(el("dl", ["class": "defs"], terms.flatMap { [el("dt", .text($0.0)), el("dd", .text($0.1))] }))
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
        if let map = report.map, !map.attribution.isEmpty {
            body.append(el("p", .text("Kaarten: \(map.attribution).")))
        }
        body.append(el("h2", "Opmerkingen bij deze uitvoer"))
        let notes = report.notes + report.refusedCostItems.map { "Kostenpost niet berekend: \($0)" }
        body.append(notes.isEmpty ? el("p", "Geen bijzonderheden.") : el("ul", notes.map { el("li", .text($0)) }))

        body.append(el("h2", "Bronnen"))
        if report.sources.isEmpty {
            body.append(el("p", "Geen bronbestanden."))
        } else {
            let byDate = Dictionary(grouping: report.sources, by: \.peildatum)
            let parts = byDate.keys.sorted().map { date -> String in
                let files = byDate[date]!
                let rows = files.reduce(0) { $0 + $1.rows }
                return "\(files.count == 1 ? "1 bestand" : "\(DutchFormat.integer(files.count)) bestanden") met peildatum \(dutchDate(date)) "
                    + "(\(rows == 1 ? "1 rij" : "\(DutchFormat.integer(rows)) rijen"))"
            }
            body.append(el("p", .text("Ingelezen: " + parts.joined(separator: "; ") + ". Gegevensversie \(dataVersion): "
                + "de eerste 12 tekens van de SHA-256 over de SHA-256 van alle bestanden samen; twee afdrukken met dezelfde versie komen uit dezelfde bestanden.")))
            let rows: [[Node]] = report.sources.map { s in
                [Table.rowHeader(.text(s.name)), Table.text(s.dataset), Table.text(s.peildatum.iso),
                 el("td", ["class": "n"], .text(DutchFormat.integer(s.rows))), Table.text(s.layout), Table.text(s.encoding),
                 el("td", el("code", ["title": s.sha256], .text(String(s.sha256.prefix(12)) + (s.sha256.count > 12 ? "…" : "")))),
                 Table.text(s.synthetic ? "ja" : "nee")]
            }
            body.append(el("details", ["class": "more"],
                           el("summary", .text("Alle \(report.sources.count == 1 ? "bestand" : "\(DutchFormat.integer(report.sources.count)) bestanden") met rijen, indeling en SHA-256")),
                           Table.make(id: "bronnen", caption: "Ingelezen bestanden (SHA-256 ingekort; de volledige waarde staat in de tooltip)",
                                      columns: ["Bestand", "Dataset", "Peildatum", "Rijen", "Indeling", "Tekenset", "SHA-256", "Synthetisch"]
                                          .map { Table.colHeader($0, numeric: $0 == "Rijen") },
                                      rows: rows)))
        }
        return Page(path: Dashboard.aboutPath, title: "Over deze cijfers", body: body)
    }
}
