import Foundation
import GrensCore
import GrensPipeline
import SQLiteWrap

extension GrensCLI {
    static func requiredPeildatum(_ args: Arguments) throws -> Peildatum {
        guard let p = try args.peildatum() else { throw UsageError("geef --peildatum van een onafgeschermd jaar, bijvoorbeeld 2017-10-01") }
        return p
    }

    /// Learns the masked-cell distributions from an unmasked year in the store and writes the parameter file.
    static func learnCommand(_ args: Arguments, _ out: inout String) throws {
        let date = try requiredPeildatum(args)
        let path = args.value("uit") ?? AnalysisSettings().estimatorPath
        // Only a parameter file written by this command (its first line up to the source) may be replaced.
        let header = Data(MaskedCellModel.naive.serialized(source: "").prefix { $0 != "\n" }.utf8)
        let file = try OutputFile(path, protecting: args.protected(store: args.storePath())) { existing in
            FileManager.default.contents(atPath: existing)?.starts(with: header) ?? false
        }
        let db = try args.database(.read)
        let rows = try Facts.truthRows(db, peildatum: date)
        let model = MaskedCellModel.learn(rows.map { ($0.masked, $0.values) })
        let files = try db.scalar("SELECT count(*) FROM source_file WHERE dataset = ? AND peildatum = ?",
                                  [.text(Dataset.poPostcode.rawValue), .text(date.iso)])?.int ?? 0
        let source = "DUO 03 po per gemeente, postcode leerling en leeftijd, peildatum \(date) (\(files) bestanden, \(rows.count) regels, onafgeschermd)"
        try file.write(model.serialized(source: source))
        let learned = model.learnedCells
        out += "Schatter geleerd uit \(DutchFormat.integer(learned.count)) cellen met 1 t/m 4 leerlingen (\(model.counts.count) contexten met minstens \(MaskedCellModel.minimumCells) cellen); gemiddelde \(DutchFormat.decimal(learned.mean, decimals: 3)).\nGeschreven: \(path)\n"
    }

    /// Masks an unmasked year as DUO does now and measures the estimator out of sample: two folds of provinces
    /// and one held-out province, each without margins and with "01" margins derived from the same files.
    static func accuracyCommand(_ args: Arguments, _ out: inout String) throws {
        let date = try requiredPeildatum(args)
        let rows = try Facts.truthRows(try args.database(.read), peildatum: date)
        func pct(_ x: Double?, _ decimals: Int = 2) -> String { x.map { DutchFormat.percent($0, decimals: decimals) } ?? "" }
        out += "Nauwkeurigheid van de schatter, peildatum \(date): afgeschermd zoals DUO nu doet (1–4 → <5, geen TOTAAL)\n"
        out += "OD-cel = woongemeente × schoolgemeente (po totaal; per soort: × soort po); relatieve fout van de schatting; OD-cellen ≥ \(Accuracy.minimumCell) leerlingen.\n"
        out += "01-marges: afgeleid uit dezelfde bestanden (som over de postcodes per vestiging × soort × leeftijd; een totaal van 1–4 wordt <5).\n"
        out += "90%-interval: 5e–95e percentiel van \(EstimatedRows.defaultDraws) gezamenlijke trekkingen; dekking = aandeel OD-cellen met de echte waarde erin.\n\n"
        var results: [Accuracy.Split] = []
        for (name, learn) in Accuracy.splits(provinces: Array(Set(rows.map(\.province)))) {
            let r = Accuracy.measure(rows, learnProvinces: learn, name: name)
            results.append(r)
            out += "\(name.prefix(1).uppercased() + name.dropFirst()): geleerd op \(r.learnedOn.joined(separator: ", "))\n"
            out += "    gemeten op \(r.measuredOn.joined(separator: ", ")) (\(DutchFormat.integer(r.testRows)) regels, \(DutchFormat.integer(r.maskedCells)) <5-cellen; "
            out += "01-marge voor \(DutchFormat.integer(r.marginColumns)) kolommen met <5, \(r.inconsistentMargins) tegenstrijdig; geleerde spreiding per vestiging \(DutchFormat.decimal(r.spread, decimals: 3)), per rij \(DutchFormat.decimal(r.rowSpread, decimals: 3)))\n"
            out += "                                   zonder marges   met 01-marges   naïef (<5 = 2,5)\n"
            func line(_ label: String, _ values: [String]) {
                out += ("  " + label).padding(toLength: 35, withPad: " ", startingAt: 0)
                    + zip(values, [13, 16, 19]).map { $0.leftPad($1) }.joined() + "\n"
            }
            let (a, b, n) = (r.withoutMargins, r.withMargins, r.naive)
            line("OD-cellen mediaan (n=\(a.cellCount))", [pct(a.cellMedian), pct(b.cellMedian), pct(n.cellMedian)])
            line("OD-cellen 90e percentiel", [pct(a.cellP90), pct(b.cellP90), pct(n.cellP90)])
            line("OD × soort mediaan (n=\(a.soortCount))", [pct(a.soortMedian), pct(b.soortMedian), pct(n.soortMedian)])
            line("OD × soort 90e percentiel", [pct(a.soortP90), pct(b.soortP90), pct(n.soortP90)])
            line("woongemeente-totaal mediaan", [pct(a.homeMedian), pct(b.homeMedian), pct(n.homeMedian)])
            line("woongemeente-totaal max", [pct(a.homeMax), pct(b.homeMax), pct(n.homeMax)])
            line("schoolgemeente-totaal mediaan", [pct(a.schoolMedian), pct(b.schoolMedian), pct(n.schoolMedian)])
            line("schoolgemeente-totaal max", [pct(a.schoolMax), pct(b.schoolMax), pct(n.schoolMax)])
            line("90%-interval dekking OD-cellen", [pct(a.coverage, 1), pct(b.coverage, 1)])
            line("90%-interval mediane breedte", [pct(a.medianWidth, 1), pct(b.medianWidth, 1)])
            line("90%-interval dekking woongemeenten", [pct(a.homeCoverage, 1), pct(b.homeCoverage, 1)])
            func violations(_ e: Accuracy.Errors) -> String { "\(e.boundViolations) van \(DutchFormat.integer(e.aggregatesChecked))" }
            line("grenzen geschonden", [violations(a), violations(b), violations(n)])
            out += "\n"
        }
        out += "Samenvatting, OD-cellen ≥ \(Accuracy.minimumCell) leerlingen (mediaan / 90e percentiel; dekking en mediane breedte van het 90%-interval):\n"
        out += "                        zonder marges                            met 01-marges\n"
        for r in results {
            func cell(_ e: Accuracy.Errors) -> String { "\(pct(e.cellMedian)) / \(pct(e.cellP90)), \(pct(e.coverage, 1)), \(pct(e.medianWidth, 1))" }
            out += "  " + r.name.padding(toLength: 22, withPad: " ", startingAt: 0)
                + cell(r.withoutMargins).padding(toLength: 41, withPad: " ", startingAt: 0) + cell(r.withMargins) + "\n"
        }
    }
}
