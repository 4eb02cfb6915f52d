import GrensCore

extension Dashboard {
    static let costPath = "kosten.html"
    static let teamsPath = "teams.html"
    static func sheetPath(_ code: String) -> String { "uw-aandeel-\(slug(code)).html" }
}

/// Pages for the agreements: cost splits, one printable sheet per gemeente, and school ↔ local-team lists.
extension Site {
    /// Gemeenten with a line in any cost split, sorted by code.
    var sheetGemeenten: [String] { Exports.costGemeenten(report) }

    /// Cost lines largest amount first, ties by name: the reader looks for the big payers and for her own name.
    func byAmount(_ lines: [CostSplit.Line]) -> [CostSplit.Line] {
        lines.sorted { ($1.cents, foldName(report.name($0.gemeente))) < ($0.cents, foldName(report.name($1.gemeente))) }
    }

    func byName(_ codes: [String]) -> [String] {
        codes.sorted { (foldName(report.name($0)), $0) < (foldName(report.name($1)), $1) }
    }

    /// A sentence on the selected schools of a split, naming up to `limit` of them.
    func schoolsText(_ split: CostSplit, limit: Int = 30) -> String {
        let names = split.schools.map { "\(split.schoolNames[$0] ?? $0) (\($0))" }
        let shown = names.prefix(limit).joined(separator: ", ")
        return names.count > limit ? "\(shown) en \(names.count - limit) meer" : shown
    }

    /// `€ 47,16 – € 206,19`, or `–` when the amount does not depend on masked counts.
    func amountRange(_ lo: Int, _ hi: Int) -> String {
        lo == hi ? "–" : "\(euro(lo))–\(euro(hi))"
    }

    /// The uncertainty of an amount: its 90% interval first, the hard range below it; `–` when the amount is certain.
    /// The CSV columns of an amount's uncertainty: the 90% interval's ends (empty without one) and the range.
    func uncertaintyFields(_ interval: ClosedRange<Int>?, _ lo: Int, _ hi: Int) -> [CSVField] {
        [CSVField(suffix: " 90%-interval laag (€)", value: interval.map { .euro($0.lowerBound) } ?? .empty),
         CSVField(suffix: " 90%-interval hoog (€)", value: interval.map { .euro($0.upperBound) } ?? .empty),
         CSVField(suffix: " min (€)", value: .euro(lo)), CSVField(suffix: " max (€)", value: .euro(hi))]
    }

    /// In the CSV: the interval's ends (the amount itself when certain, the range when not drawn) and the range.
    func amountUncertainty(_ line: CostSplit.Line) -> Node {
        let i = line.interval90OrRange
        let csv = uncertaintyFields(i, line.minCents, line.maxCents)
        guard line.minCents != line.maxCents else { return .cell(el("td", ["class": "n rng"], "–"), csv) }
        let bounds = "zeker \(amountRange(line.minCents, line.maxCents))"
        guard i != line.minCents...line.maxCents else { return .cell(el("td", ["class": "n rng"], .text(bounds)), csv) }
        return .cell(el("td", ["class": "n rng"], .text(amountRange(i.lowerBound, i.upperBound)), el("span", ["class": "b"], .text(bounds))), csv)
    }

    /// One sentence on a split: the total, over how many gemeenten, and who pays most (or the equal part).
    func costSummary(_ split: CostSplit) -> String {
        let total = euro(split.totalCents)
        let count = split.lines.count == 1 ? "één gemeente" : "\(split.lines.count) gemeenten"
        if split.item.key == .gelijk {
            let amounts = Set(split.lines.map(\.cents)).sorted().map { euro($0) }
            return "Totaal \(total) in gelijke delen over \(count): "
                + (amounts.count == 1 ? "\(amounts[0]) per gemeente." : "\(amounts.joined(separator: " of ")) per gemeente (afronding op centen).")
        }
        guard let largest = split.lines.max(by: { ($0.cents, $1.gemeente) < ($1.cents, $0.gemeente) }) else { return "Totaal \(total)." }
        return "Totaal \(total) over \(count); het grootste deel, \(euro(largest.cents)) "
            + "(\(costShareText(weight: largest.weight, cents: largest.cents))), valt op \(report.name(largest.gemeente))."
    }

    func costPage() -> Page {
        var body: [Node] = [el("h1", "Kostenverdeling")]
        body.append(el("p", ["class": "meta"], .text("Per kostenpost: het bedrag per gemeente en de leerlingaantallen erachter. Bedragen tellen "
            + "tot op de cent op tot het totaal (grootste-restmethode). Onder de afscherming van DUO is de verdeling gemaakt op de schatting; "
            + "onder Onzekerheid staat eerst het 90%-interval van het bedrag (waar het echte bedrag meestal ligt), daaronder wat zeker "
            + "is: het bedrag bij de gunstigste en ongunstigste waarde van de afgeschermde aantallen.")))
        body.append(el("p", .text("Per gemeente is er een afdrukbaar blad met haar aandeel in alle kostenposten: zie "),
                       el("a", ["href": "#bladen"], "Uw aandeel per gemeente"), "."))
        for (index, split) in report.costSplits.enumerated() {
            let item = split.item
            body.append(el("h2", .text(item.name)))
            var facts = ["Verdeelsleutel: \(item.key.label)", "peildatum \(peildatumText(item.peildatum))"]
            if !item.version.isEmpty { facts.append("versie \(item.version)") }
            if let tariff = item.tariffCents { facts.append("tarief \(euro(tariff)) per leerling") }
            body.append(el("p", ["class": "meta"], .text(facts.joined(separator: "; ") + ".")))
            if !item.description.isEmpty { body.append(el("p", .text(item.description))) }
            body.append(summary(costSummary(split)))
            body.append(el("p", .text("Scholen (\(split.schools.count)): \(schoolsText(split)).")))
            var rows: [[Node]] = byAmount(split.lines).map { line in
                [Table.rowHeader(el("a", ["href": Dashboard.sheetPath(line.gemeente)], .text(report.name(line.gemeente)))),
                 Table.count(line.pupils), el("td", ["class": "n"], .text(costShareText(weight: line.weight, cents: line.cents))),
                 Table.amount(line.cents), amountUncertainty(line)]
            }
            let sum = split.lines.reduce(0) { $0 + $1.cents }
            rows.append([Table.rowHeader("Totaal"), Table.count(split.chargeable),
                         el("td", ["class": "n"], .text(DutchFormat.percent(split.lines.reduce(0) { $0 + $1.weight }))),
                         Table.amount(sum, total: true), el("td", ["class": "n"], "")])
            body.append(Table.make(id: "kosten-\(index + 1)", caption: "\(item.name): bedrag per gemeente (leerlingen: schatting, 90%-interval en grenzen)",
                                   columns: [Table.colHeader("Gemeente"), Table.colHeader("Leerlingen", numeric: true),
                                             Table.colHeader("Aandeel", numeric: true), Table.colHeader("Bedrag", numeric: true),
                                             Table.colHeader("Onzekerheid", numeric: true)],
                                   rows: rows))
            let uncharged = split.uncharged.filter { $0.pupils.max > 0 }
            if uncharged.isEmpty {
                body.append(el("p", ["class": "meta"], "Niet toegerekend: geen leerlingen; alle leerlingen op deze scholen wonen in een deelnemende gemeente."))
            } else {
                let all = uncharged.reduce(Quantity.zero) { $0 + $1.pupils }
                let parts = uncharged.map { "\(report.name($0.code)) \(Publish.count($0.pupils))" }
                body.append(el("p", ["class": "meta"], .text("Niet toegerekend: \(quantityText(all)) leerlingen die buiten de deelnemende gemeenten, "
                    + "in het buitenland of op een onbekend adres wonen — " + parts.joined(separator: " · ") + ".")))
            }
            if split.lines.count > 1 && item.key != .gelijk {
                body.append(figure(Charts.amountBars(byAmount(split.lines).map { (report.name($0.gemeente), $0.cents, $0.minCents, $0.maxCents) },
                                                     title: "\(item.name): bedrag per gemeente",
                                                     desc: "Staafdiagram van het bedrag per gemeente; de zwarte lijn geeft de bandbreedte. "
                                                         + "Zelfde cijfers als in de tabel hierboven.",
                                                     id: "fig-kosten-\(index + 1)"),
                                   caption: "Bedrag per gemeente; de bedragen en leerlingaantallen staan in de tabel hierboven."))
            }
        }
        body.append(el("h2", ["id": "bladen"], "Uw aandeel per gemeente"))
        body.append(el("p", ["class": "meta"], "Eén afdrukbaar blad (A4 liggend) per gemeente met haar aandeel in alle kostenposten en de leerlingaantallen erachter."))
        body.append(el("ul", ["class": "cols"], byName(sheetGemeenten).map { code in
            el("li", el("a", ["href": Dashboard.sheetPath(code)], .text("\(report.name(code)) (\(code))")))
        }))
        return Page(path: Dashboard.costPath, title: "Kostenverdeling", body: body)
    }

    /// Why a gemeente pays what it pays under an item's key: the numbers the split actually used, so a controller
    /// can redo the sum (the pupil estimate in thousandths, as `CostSplit` weighs it), and the counts behind them.
    func why(_ split: CostSplit, _ line: CostSplit.Line, name: String) -> String {
        let pupils = "\(quantityText(line.pupils)) van de \(quantityText(split.chargeable)) leerlingen op deze scholen wonen in \(name)"
        let amount = euro(line.cents)
        switch split.item.key {
        case .leerlingen:
            return "\(euro(split.totalCents)) × \(keyPupils(line.keyUnits)) / \(keyPupils(split.keyUnitsTotal)) leerlingen (schattingen) = \(amount). "
                + pupils + "."
        case .tarief:
            return "\(keyPupils(line.keyUnits)) leerlingen (schatting) × \(euro(split.item.tariffCents ?? 0)) = \(amount). "
                + "Leerlingen die in \(name) wonen: \(quantityText(line.pupils))."
        case .gelijk:
            return "\(euro(split.totalCents)) in gelijke delen over \(numberWord(split.lines.count)) deelnemende gemeenten = \(amount). " + pupils
                + " (telt niet mee voor de verdeling)."
        case .vast:
            return "\(euro(split.totalCents)) × \(DutchFormat.decimal(Double(line.keyUnits) / 100, decimals: 2))% (afgesproken vast percentage) = \(amount). "
                + pupils + " (telt niet mee voor de verdeling)."
        }
    }

    /// Small counts of gemeenten in words (`drie`), so they are never read as a pupil count.
    func numberWord(_ n: Int) -> String {
        let words = ["nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"]
        return n < words.count ? words[n] : DutchFormat.integer(n)
    }

    /// "Uw aandeel": one gemeente's part of every cost item, printable on one A4 landscape page.
    func sheetPage(_ code: String) -> Page {
        let name = report.name(code)
        var body: [Node] = [el("h1", .text("Uw aandeel — \(name)"))]
        body.append(el("p", ["class": "meta"], .text("Gemeentecode \(code). " + numbersLegend
            + " Onzekerheid: eerst het 90%-interval van het bedrag, daaronder (zeker) het bedrag bij de laagste en hoogste mogelijke "
            + "waarde van de afgeschermde aantallen.")))
        var rows: [[Node]] = []
        var total = 0, lo = 0, hi = 0
        for split in report.costSplits {
            guard let line = split.lines.first(where: { $0.gemeente == code }) else { continue }
            total += line.cents; lo += line.minCents; hi += line.maxCents
            var details = ["peildatum \(dutchDate(split.item.peildatum))"]
            if !split.item.version.isEmpty { details.insert("versie \(split.item.version)", at: 0) }
            // The item's own explanation says whether the amount is an example ("Voorbeeldbedrag"), as on kosten.html.
            let about = details.joined(separator: ", ") + (split.item.description.isEmpty ? "" : ". " + split.item.description)
            rows.append([Table.rowHeader(.group([.text(split.item.name), el("span", ["class": "b"], .text(about))])),
                         Table.text(split.item.key.label), Table.count(line.pupils),
                         Table.text(why(split, line, name: name)),
                         el("td", ["class": "n"], .text(costShareText(weight: line.weight, cents: line.cents))),
                         Table.amount(line.cents), amountUncertainty(line)])
        }
        let items = rows.count
        rows.append([Table.rowHeader("Totaal"), Table.text(""), el("td", ["class": "n"], ""), Table.text(""), el("td", ["class": "n"], ""),
                     Table.amount(total, total: true),
                     .cell(el("td", ["class": "n rng"], .text(lo == hi ? "–" : "zeker " + amountRange(lo, hi))), uncertaintyFields(nil, lo, hi))])
        body.append(summary("\(name) betaalt in totaal \(euro(total)) voor "
            + (items == 1 ? "één kostenpost." : "\(items) kostenposten.")))
        body.append(Table.make(id: "aandeel", caption: "Aandeel van \(name) per kostenpost",
                               columns: [Table.colHeader("Kostenpost"), Table.colHeader("Verdeelsleutel"),
                                         Table.colHeader("Leerlingen", numeric: true),
                                         el("th", ["scope": "col", "class": "why"], "Waarom (de aantallen achter het bedrag)"),
                                         Table.colHeader("Aandeel", numeric: true), Table.colHeader("Bedrag", numeric: true),
                                         Table.colHeader("Onzekerheid", numeric: true)],
                               rows: rows, className: "sheet"))
        var links: [Node] = [link(Dashboard.costPath, "Alle kostenposten en gemeenten")]
        if report.grouping.isMember(code) { links += [" · ", link(Dashboard.gemeentePath(code), "Cijfers van \(name)")] }
        body.append(el("p", links))
        return Page(path: Dashboard.sheetPath(code), title: "Uw aandeel \(name)", body: body, section: Dashboard.costPath)
    }

    /// The anchor of a gemeente's section on the team page.
    static func teamsAnchor(_ code: String) -> String { "gemeente-\(slug(code))" }

    func teamsPage() -> Page {
        var body: [Node] = [el("h1", "Koppeling scholen en lokale teams")]
        let threshold = report.teamThreshold
        body.append(el("p", ["class": "meta"], .text("Per gemeente de scholen buiten de gemeente waar haar kinderen naartoe gaan, en per school "
            + "de woongemeenten van de leerlingen: de lokale teams waarmee de school te maken heeft. Een afspraak wordt aanbevolen vanaf "
            + "\(threshold) leerlingen (schatting) uit één gemeente op één school.")))
        let perGemeente: [[Node]] = gemeenten.map { code in
            let attended = report.schoolsAttended(by: code)
            let above = attended.filter { report.recommendsAgreement($0.pupils) }.count
            return [Table.rowHeader(el("a", ["href": "#" + Site.teamsAnchor(code)], .text(report.name(code)))),
                    objectCount(attended.count), objectCount(above),
                    el("td", el("a", ["href": Dashboard.gemeentePath(code) + "#scholen-elders-kop"], .text("lijst van \(report.name(code))")))]
        }
        body.append(el("h2", "Per gemeente"))
        body.append(Table.make(id: "teams-gemeenten", caption: "Scholen buiten de gemeente met leerlingen uit de gemeente",
                               columns: [Table.colHeader("Gemeente"), Table.colHeader("Scholen elders", numeric: true),
                                         Table.colHeader("Afspraak aanbevolen (≥ \(threshold))", numeric: true),
                                         Table.colHeader("Scholen elders, met aantallen")],
                               rows: perGemeente))
        for code in gemeenten {
            let schools = report.schools.filter { $0.gemeente == code }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
            body.append(el("h2", ["id": Site.teamsAnchor(code)], .text("Scholen in \(report.name(code))")))
            guard !schools.isEmpty else { body.append(el("p", "Geen scholen in de gegevens.")); continue }
            let rows: [[Node]] = schools.map { school in
                let homes = school.homes.filter { $0.pupils.max > 0 }
                let teams = homes.filter { HomeKind(code: $0.code).isGemeente }.count
                let list = homes.map { "\(report.name($0.code)) \(Publish.count($0.pupils))" }.joined(separator: " · ")
                return [Table.rowHeader(.text("\(school.name) (\(school.id))")), Table.text(school.soorten.map(\.rawValue).joined(separator: ", ")),
                        Table.count(school.total), objectCount(teams), Table.text(list)]
            }
            body.append(Table.make(id: "teams-\(slug(code))", caption: "Scholen in \(report.name(code)) en de woongemeenten van hun leerlingen",
                                   columns: [Table.colHeader("School"), Table.colHeader("Soort"), Table.colHeader("Leerlingen", numeric: true),
                                             Table.colHeader("Lokale teams", numeric: true), Table.colHeader("Woongemeenten (leerlingen)")],
                                   rows: rows))
            body.append(el("p", el("a", ["href": "#inhoud"], "Naar boven")))
        }
        return Page(path: Dashboard.teamsPath, title: "Koppeling scholen en lokale teams", body: body)
    }
}

/// A gemeente's part of a cost item as a percentage with one decimal, but never `0,0%` next to an amount that is
/// not zero, nor `100,0%` for less than everything: a reader would take those for "nothing" and "all".
func costShareText(weight: Double, cents: Int) -> String {
    let text = DutchFormat.percent(weight)
    if text == "0,0%" && cents > 0 { return "<0,1%" }
    if text == "100,0%" && weight < 1 { return ">99,9%" }
    return text
}

/// A count of schools or gemeenten (not of pupils): shown exactly, marked so it is never taken for a pupil count.
func objectCount(_ n: Int) -> Node {
    .cell(el("td", ["class": "n k"], .text(DutchFormat.integer(n))), [CSVField(suffix: "", value: .number(Double(n)))])
}
