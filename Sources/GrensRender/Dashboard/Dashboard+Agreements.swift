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

    /// A sentence on the selected schools of a split, naming up to `limit` of them.
    func schoolsText(_ split: CostSplit, limit: Int = 30) -> String {
        let names = split.schools.map { "\(split.schoolNames[$0] ?? $0) (\($0))" }
        let shown = names.prefix(limit).joined(separator: ", ")
        return names.count > limit ? "\(shown) en \(names.count - limit) meer" : shown
    }

    func costPage() -> Page {
        var body: [Node] = [el("h1", "Kostenverdeling")]
        body.append(el("p", ["class": "meta"], .text("Per kostenpost: het bedrag per gemeente en de leerlingaantallen erachter. Bedragen tellen "
            + "tot op de cent op tot het totaal (grootste-restmethode). Onder de afscherming van DUO is de verdeling gemaakt op de schatting; "
            + "de bandbreedte geeft het bedrag bij de gunstigste en ongunstigste waarde van de afgeschermde aantallen.")))
        for (index, split) in report.costSplits.enumerated() {
            let item = split.item
            body.append(el("h2", .text(item.name)))
            var facts = ["Verdeelsleutel: \(item.key.label)", "peildatum \(dutchDate(item.peildatum))"]
            if !item.version.isEmpty { facts.append("versie \(item.version)") }
            if let tariff = item.tariffCents { facts.append("tarief \(DutchFormat.euro(cents: tariff)) per leerling") }
            body.append(el("p", ["class": "meta"], .text(facts.joined(separator: "; ") + ".")))
            if !item.description.isEmpty { body.append(el("p", .text(item.description))) }
            let largest = split.lines.max { ($0.cents, $1.gemeente) < ($1.cents, $0.gemeente) }
            body.append(summary("Totaal \(DutchFormat.euro(cents: split.totalCents)) over \(split.lines.count) gemeenten"
                + (largest.map { "; het grootste deel, \(DutchFormat.euro(cents: $0.cents)), valt op \(report.name($0.gemeente))." } ?? ".")))
            body.append(el("p", .text("Scholen (\(split.schools.count)): \(schoolsText(split)).")))
            var rows: [[Node]] = split.lines.map { line in
                [Table.rowHeader(el("a", ["href": Dashboard.sheetPath(line.gemeente)], .text(report.name(line.gemeente)))),
                 Table.count(line.pupils), el("td", ["class": "n"], .text(DutchFormat.percent(line.weight))),
                 el("td", ["class": "n"], .text(DutchFormat.euro(cents: line.cents))),
                 el("td", ["class": "n"], .text(line.minCents == line.maxCents ? "–" : "\(DutchFormat.euro(cents: line.minCents)) – \(DutchFormat.euro(cents: line.maxCents))"))]
            }
            rows.append([Table.rowHeader("Totaal"), Table.count(split.chargeable), el("td", ["class": "n"], "100,0%"),
                         el("td", ["class": "n"], .text(DutchFormat.euro(cents: split.lines.reduce(0) { $0 + $1.cents }))), el("td", ["class": "n"], "")])
            body.append(Table.make(id: "kosten-\(index + 1)", caption: "\(item.name): bedrag per gemeente",
                                   columns: [Table.colHeader("Gemeente"), Table.colHeader("Leerlingen", numeric: true),
                                             Table.colHeader("Aandeel", numeric: true), Table.colHeader("Bedrag", numeric: true),
                                             Table.colHeader("Bandbreedte", numeric: true)],
                                   rows: rows))
            if !split.uncharged.isEmpty {
                let parts = split.uncharged.map { "\(report.name($0.code)) \(Publish.count($0.pupils))" }
                body.append(el("p", ["class": "meta"], .text("Niet toegerekend (woont buiten de deelnemers, in het buitenland of onbekend): "
                    + parts.joined(separator: " · ") + ".")))
            }
        }
        return Page(path: Dashboard.costPath, title: "Kostenverdeling", body: body)
    }

    /// "Uw aandeel": one gemeente's part of every cost item, printable on one A4 landscape page.
    func sheetPage(_ code: String) -> Page {
        let name = report.name(code)
        var body: [Node] = [el("h1", .text("Uw aandeel — \(name)"))]
        body.append(el("p", ["class": "meta"], .text("Gemeentecode \(code). Per kostenpost het bedrag voor \(name), de verdeelsleutel en de "
            + "leerlingaantallen erachter. Bandbreedte: het bedrag bij de laagste en hoogste mogelijke waarde van de afgeschermde aantallen.")))
        var rows: [[Node]] = []
        var total = 0, lo = 0, hi = 0
        for split in report.costSplits {
            guard let line = split.lines.first(where: { $0.gemeente == code }) else { continue }
            total += line.cents; lo += line.minCents; hi += line.maxCents
            let why: String
            switch split.item.key {
            case .leerlingen:
                why = "\(quantityText(line.pupils)) van de \(quantityText(split.chargeable)) leerlingen op deze scholen wonen in \(name)"
            case .tarief:
                why = "\(quantityText(line.pupils)) leerlingen × \(DutchFormat.euro(cents: split.item.tariffCents ?? 0))"
            case .gelijk:
                why = "gelijk deel van \(split.lines.count) gemeenten"
            case .vast:
                why = "vast percentage \(DutchFormat.decimal(Double(split.item.fixedShares[code] ?? 0) / 100, decimals: 2))%"
            }
            rows.append([Table.rowHeader(.text(split.item.name)), Table.text(split.item.key.label), Table.text(why),
                         el("td", ["class": "n"], .text(DutchFormat.percent(line.weight))),
                         el("td", ["class": "n"], .text(DutchFormat.euro(cents: line.cents))),
                         el("td", ["class": "n"], .text(line.minCents == line.maxCents ? "–" : "\(DutchFormat.euro(cents: line.minCents)) – \(DutchFormat.euro(cents: line.maxCents))"))])
        }
        rows.append([Table.rowHeader("Totaal"), Table.text(""), Table.text(""), el("td", ["class": "n"], ""),
                     el("td", ["class": "n"], .text(DutchFormat.euro(cents: total))),
                     el("td", ["class": "n"], .text(lo == hi ? "–" : "\(DutchFormat.euro(cents: lo)) – \(DutchFormat.euro(cents: hi))"))])
        body.append(summary("\(name) betaalt in totaal \(DutchFormat.euro(cents: total)) over \(rows.count - 1) kostenposten."))
        body.append(Table.make(id: "aandeel", caption: "Aandeel van \(name) per kostenpost",
                               columns: [Table.colHeader("Kostenpost"), Table.colHeader("Verdeelsleutel"), Table.colHeader("Waarom"),
                                         Table.colHeader("Aandeel", numeric: true), Table.colHeader("Bedrag", numeric: true),
                                         Table.colHeader("Bandbreedte", numeric: true)],
                               rows: rows))
        body.append(el("p", link(Dashboard.costPath, "Alle kostenposten en gemeenten")))
        return Page(path: Dashboard.sheetPath(code), title: "Uw aandeel \(name)", body: body, section: Dashboard.costPath)
    }

    func teamsPage() -> Page {
        var body: [Node] = [el("h1", "Koppeling scholen en lokale teams")]
        let threshold = report.teamThreshold
        body.append(el("p", ["class": "meta"], .text("Per gemeente de scholen buiten de gemeente waar haar kinderen naartoe gaan, en per school "
            + "de woongemeenten van de leerlingen: de lokale teams waarmee de school te maken heeft. Een afspraak wordt aanbevolen vanaf "
            + "\(threshold) leerlingen (schatting) uit één gemeente op één school.")))
        let perGemeente: [[Node]] = gemeenten.map { code in
            let attended = Exports.schoolsAttended(report, by: code)
            let above = attended.filter { $0.pupils.estimate >= Double(threshold) }.count
            return [Table.rowHeader(el("a", ["href": Dashboard.gemeentePath(code)], .text(report.name(code)))),
                    objectCount(attended.count), objectCount(above)]
        }
        body.append(el("h2", "Per gemeente"))
        body.append(Table.make(id: "teams-gemeenten", caption: "Scholen buiten de gemeente met leerlingen uit de gemeente",
                               columns: [Table.colHeader("Gemeente"), Table.colHeader("Scholen elders", numeric: true),
                                         Table.colHeader("Afspraak aanbevolen (≥ \(threshold))", numeric: true)],
                               rows: perGemeente))
        body.append(el("h2", "Per school in de regio"))
        for code in gemeenten {
            let schools = report.schools.filter { $0.gemeente == code }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
            guard !schools.isEmpty else { continue }
            body.append(el("h3", .text(report.name(code))))
            let rows: [[Node]] = schools.map { school in
                let homes = school.homes.filter { $0.pupils.max > 0 }
                let teams = homes.filter { !$0.code.hasPrefix("P") && $0.code != unresolvedHome }.count
                let list = homes.map { "\(report.name($0.code)) \(Publish.count($0.pupils))" }.joined(separator: " · ")
                return [Table.rowHeader(.text("\(school.name) (\(school.id))")), Table.text(school.soorten.joined(separator: ", ")),
                        Table.count(school.total), objectCount(teams), Table.text(list)]
            }
            body.append(Table.make(id: "teams-\(slug(code))", caption: "Scholen in \(report.name(code)) en de woongemeenten van hun leerlingen",
                                   columns: [Table.colHeader("School"), Table.colHeader("Soort"), Table.colHeader("Leerlingen", numeric: true),
                                             Table.colHeader("Lokale teams", numeric: true), Table.colHeader("Woongemeenten (leerlingen)")],
                                   rows: rows))
        }
        return Page(path: Dashboard.teamsPath, title: "Koppeling scholen en lokale teams", body: body)
    }
}

/// A count of schools or gemeenten (not of pupils): shown exactly, marked so it is never taken for a pupil count.
func objectCount(_ n: Int) -> Node { el("td", ["class": "n k"], .text(DutchFormat.integer(n))) }
