import Foundation
import GrensCore
import GrensPipeline
import SQLiteWrap

extension GrensCLI {
    static func requiredPeildatum(_ args: Arguments) throws -> Peildatum {
        guard let p = try args.peildatum() else { throw UsageError("geef --peildatum van een onafgeschermd jaar, bijvoorbeeld 2017-10-01") }
        return p
    }

    /// Learns the masked-cell means from an unmasked year in the store and writes the parameter file.
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
        let cells = model.cells.values.reduce(0) { $0 + $1.count }
        out += "Schatter geleerd uit \(DutchFormat.integer(cells)) cellen met 1 t/m 4 leerlingen (\(model.cells.count) contexten); gemiddelde \(DutchFormat.decimal(model.overall.mean, decimals: 3)).\nGeschreven: \(path)\n"
    }

    /// Masks an unmasked year as DUO does now and measures the estimator out of sample (two folds of provinces).
    static func accuracyCommand(_ args: Arguments, _ out: inout String) throws {
        let date = try requiredPeildatum(args)
        let rows = try Facts.truthRows(try args.database(.read), peildatum: date)
        let provinces = Set(rows.map(\.province)).sorted()
        let foldA = Set(provinces.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        let foldB = Set(provinces).subtracting(foldA)
        out += "Nauwkeurigheid van de schatter, peildatum \(date): afgeschermd zoals DUO nu doet (1–4 → <5, geen TOTAAL)\n"
        out += "OD-cel = woongemeente × schoolgemeente (po totaal); relatieve fout van de schatting; cellen ≥ \(Accuracy.minimumCell) leerlingen.\n\n"
        for (learn, name) in [(foldA, "A"), (foldB, "B")] {
            let r = Accuracy.measure(rows, learnProvinces: learn)
            out += "Vouw \(name): geleerd op \(r.learnedOn.joined(separator: ", "))\n"
            out += "         gemeten op \(r.measuredOn.joined(separator: ", ")) (\(DutchFormat.integer(r.testRows)) regels, \(DutchFormat.integer(r.maskedCells)) <5-cellen)\n"
            out += "                               geleerde schatter   naïef (<5 = 2,5)\n"
            func line(_ label: String, _ a: Double, _ b: Double) -> String {
                label.padding(toLength: 31, withPad: " ", startingAt: 0) + DutchFormat.percent(a, decimals: 2).leftPad(17) + DutchFormat.percent(b, decimals: 2).leftPad(19) + "\n"
            }
            out += line("  OD-cellen mediaan (n=\(r.model.cellCount))", r.model.cellMedian, r.naive.cellMedian)
            out += line("  OD-cellen 90e percentiel", r.model.cellP90, r.naive.cellP90)
            out += line("  woongemeente-totaal mediaan", r.model.homeMedian, r.naive.homeMedian)
            out += line("  woongemeente-totaal max", r.model.homeMax, r.naive.homeMax)
            out += line("  schoolgemeente-totaal mediaan", r.model.schoolMedian, r.naive.schoolMedian)
            out += line("  schoolgemeente-totaal max", r.model.schoolMax, r.naive.schoolMax)
            out += "  grenzen geschonden: \(r.model.boundViolations) van \(DutchFormat.integer(r.model.aggregatesChecked)) aggregaten\n\n"
        }
    }
}
