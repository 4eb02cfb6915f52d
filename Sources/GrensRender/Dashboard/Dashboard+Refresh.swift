import GrensCore

/// The yearly refresh on the dashboard: what the last ingest run changed (on the page "Over deze cijfers")
/// and the region's figures over every peildatum (on the change page). Every number goes through `Publish`.
extension Site {
    /// Bounds for publication (see `Shown`): `<5`, `37`, `tussen 12 en 18`.
    static func published(_ b: Bounds) -> String { Shown(bounds: b).headline }

    /// A change for publication (see `Shown`): `+12`, `<5 meer`, `<5 minder tot +9`, `0`.
    static func publishedChange(_ b: Bounds) -> String { Shown(change: b).headline }

    // MARK: over deze cijfers

    func refreshSection() -> [Node] {
        var body: [Node] = []
        if !report.newerPeildata.isEmpty {
            body.append(el("h2", "Kostenposten op een oudere peildatum"))
            body.append(el("ul", report.newerPeildata.map { el("li", .text($0.message)) }))
        }
        guard let refresh = report.lastRefresh else { return body }
        body.append(el("h2", "Laatste verversing van de gegevens"))
        body.append(el("p", ["class": "meta"], .text("Wat inleesronde \(refresh.run) veranderde, per dataset en peildatum. "
            + "Opvallend is een verandering van \(RefreshThreshold.description), een verdwenen schoolgemeente, een school die erbij kwam of verdween, of een andere indeling.")))
        for (index, p) in refresh.parts.enumerated() {
            body.append(el("h3", .text("\(p.dataset.title), peildatum \(dutchDate(p.peildatum))")))
            var sentence: String
            switch p.baseline {
            case .none:
                sentence = "Eerste peildatum van deze dataset: \(DutchFormat.integer(p.rowsAfter)) regels, \(Self.published(p.pupilsAfter)) leerlingen."
            case .same:
                sentence = "Bestanden vervangen of toegevoegd: \(DutchFormat.integer(p.rowsAdded)) regels toegevoegd, "
                    + "\(DutchFormat.integer(p.rowsRemoved)) verwijderd en \(DutchFormat.integer(p.rowsChanged)) gewijzigd"
            case .earlier(let d):
                sentence = "Nieuwe peildatum, vergeleken met \(dutchDate(d)): \(DutchFormat.integer(p.rowsBefore)) → \(DutchFormat.integer(p.rowsAfter)) regels"
            }
            if p.baseline != .none {
                sentence += "; leerlingen \(Self.published(p.pupilsBefore)) → \(Self.published(p.pupilsAfter)) (\(Self.publishedChange(p.pupilsChange)))."
            }
            body.append(summary(sentence))
            guard p.baseline != .none else { continue }
            var flags: [String] = []
            if p.layoutChanged { flags.append("Andere indeling: \(p.layoutsBefore.joined(separator: ", ")) → \(p.layoutsAfter.joined(separator: ", ")).") }
            if let added = p.columnsAdded, !added.isEmpty { flags.append("Kolommen erbij: \(added.joined(separator: ", ")).") }
            if let removed = p.columnsRemoved, !removed.isEmpty { flags.append("Kolommen weg: \(removed.joined(separator: ", ")).") }
            if p.manyRowsRemoved { flags.append("\(DutchFormat.integer(p.rowsRemoved)) van de \(DutchFormat.integer(p.rowsBefore)) regels verdwenen.") }
            flags += p.schools.filter(\.flagged).map {
                "School \($0.kind == .appeared ? "erbij" : "verdwenen"): \($0.name) (\($0.schoolID)), \(Self.published($0.pupils)) leerlingen."
            }
            body.append(flags.isEmpty ? el("p", "Niets opvallends.") : el("ul", flags.map { el("li", .text($0)) }))
            let areas = p.areas.prefix(10)
            guard !areas.isEmpty else { continue }
            let rows: [[Node]] = areas.map { a in
                [Table.rowHeader(.text(a.name)), Table.text(a.side == .school ? "schoolgemeente" : "woongemeente"),
                 el("td", ["class": "n"], .text(Self.published(a.before))), el("td", ["class": "n"], .text(Self.published(a.after))),
                 el("td", ["class": "n"], .text(Self.publishedChange(a.change))), Table.text(a.flagged ? "ja" : "")]
            }
            body.append(Table.make(id: "verversing-\(index + 1)",
                                   caption: "Gemeenten met de grootste verandering (opvallende eerst; hoogstens 10 van \(p.areas.count))",
                                   columns: [Table.colHeader("Gemeente"), Table.colHeader("Als"), Table.colHeader("Voor", numeric: true),
                                             Table.colHeader("Na", numeric: true), Table.colHeader("Verschil", numeric: true),
                                             Table.colHeader("Opvallend")],
                                   rows: rows))
        }
        return body
    }

    // MARK: verandering

    /// The region's figures on every peildatum in the store, one table per soort.
    func trendSection() -> [Node] {
        let dates = Set(report.trend.map(\.peildatum))
        guard dates.count >= 2 else { return [] }
        var body: [Node] = [el("h2", "Alle jaren in de database")]
        body.append(el("p", ["class": "meta"], .text("Leerlingen die in \(report.regionName) wonen, per peildatum, op de gemeentelijke indeling van de laatste peildatum.")))
        for soort in report.soorten {
            let points = report.trend.filter { $0.soort == soort }
            guard points.contains(where: { !$0.living.isZero }) else { continue }
            body.append(Table.make(id: "trend-\(soort.rawValue)", caption: "\(soort.label): wonend in de regio per peildatum",
                                   columns: [Table.colHeader("Schooljaar"), Table.colHeader("Wonen in de regio", numeric: true),
                                             Table.colHeader("Naar school buiten eigen gemeente", numeric: true),
                                             Table.colHeader("Aandeel buiten eigen gemeente", numeric: true),
                                             Table.colHeader("Naar school buiten de regio", numeric: true)],
                                   rows: points.map { p in
                                       [Table.rowHeader(.text(p.peildatum.schoolYear)), Table.count(p.living), Table.count(p.outflow),
                                        Table.share(p.outflowShare), Table.count(p.outRegion)]
                                   }))
        }
        return body
    }
}
