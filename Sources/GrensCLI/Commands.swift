import Foundation
import GrensCore
import GrensPipeline
import SQLiteWrap

extension GrensCLI {
    static let commands: [Command] = [
        Command(name: "run", summary: "alles: inlezen, analyseren, dashboard maken",
                usage: """
                Gebruik: grensverkeer run [--duo MAP]... [--db PAD] [--uit MAP] [--regio ID] [--buren ID|geen] [--vervang]

                Zonder --duo worden de synthetische voorbeeldbestanden in data/sample gebruikt (en zo gemarkeerd).
                  --duo     map of bestand met echte DUO-bestanden (herhaalbaar)
                  --uit     map voor het dashboard (standaard out/dashboard)
                  --regio   regio uit data/reference/regions.csv (standaard haaglanden)
                  --buren   regio waarvan de gemeenten apart getoond worden (standaard buren-haaglanden; geen = alles 'rest')
                  --vervang zoals bij ingest
                """,
                valued: ["duo", "db", "uit", "regio", "buren", "referentie", "pc4-tabel", "peildatum", "schatter", "kosten", "drempel"],
                switches: ["vervang"], run: runCommand),
        Command(name: "ingest", summary: "DUO-bestanden inlezen in de database",
                usage: """
                Gebruik: grensverkeer ingest <bestand of map>... [--db PAD] [--peildatum JJJJ-MM-DD] [--referentie MAP] [--pc4-tabel CSV] [--vervang]

                Leest DUO-bestanden (herkend aan hun kolomkoppen, niet aan de bestandsnaam) in één transactie in.
                Een bestand dat er al in zit wordt overgeslagen. Nieuwe bestanden met dezelfde dataset en peildatum
                vervangen samen elk eerder bestand waarvan ze alle schoolgemeenten bevatten; het oude blijft in de
                geschiedenis en komt terug door het opnieuw in te lezen. Bij één fout wordt niets geschreven.
                  --peildatum   alleen nodig voor formaten zonder kolom PEILDATUM (vo-bestanden)
                  --pc4-tabel   landelijke tabel pc4,gemeente,po_swv,vo_swv (zoals swv-regio-indeling-pc4-2015.csv)
                  --vervang     ook een eerder bestand vervangen dat maar deels gedekt is; de gegevens van zijn
                                overige schoolgemeenten verdwijnen dan (het verslag noemt ze)
                """,
                valued: ["db", "peildatum", "referentie", "pc4-tabel"], switches: ["vervang"], run: ingestCommand),
        Command(name: "matrix", summary: "herkomst-bestemmingsmatrix exporteren (csv, md, json)",
                usage: """
                Gebruik: grensverkeer matrix [--peildatum JJJJ-MM-DD] [--soort bo|sbo|so|vso|vo|po|alle]... [--regio ID] [--buren ID|geen] [--formaat csv|md|json] [--uit BESTAND]

                Eén regel per stroom (woongemeente → schoolgemeente) met minimum, maximum en schatting.
                Aantallen van 1 t/m 4 worden nooit getoond: ze staan er als <5.
                """,
                valued: analysisOptions.union(["peildatum", "soort", "formaat", "uit"]), run: matrixCommand),
        Command(name: "shares", summary: "aandelen uitstroom/instroom per gemeente of swv exporteren",
                usage: """
                Gebruik: grensverkeer shares [--niveau gemeente|swv] [--peildatum JJJJ-MM-DD] [--soort …]... [--regio ID] [--formaat csv|md|json] [--uit BESTAND]

                Per gemeente (of samenwerkingsverband): wonend, op school, eigen gemeente, uitstroom, instroom, saldo,
                eigen swv, binnen en buiten de regio, met minimum, maximum en schatting; aandelen met echte grenzen.
                """,
                valued: analysisOptions.union(["peildatum", "soort", "formaat", "uit", "niveau"]), run: sharesCommand),
        Command(name: "kosten", summary: "kostenverdeling per gemeente exporteren (csv)",
                usage: """
                Gebruik: grensverkeer kosten [--kosten MAP] [--uit MAP] [--db PAD]

                Verdeelt elke kostenpost in data/kosten/*.txt over de gemeenten (zie data/kosten/README.md) en schrijft
                kosten-overzicht.csv en per gemeente kosten-<gemeentecode>.csv (standaard in out/kosten).
                Bedragen tellen tot op de cent op tot het totaal; onder afscherming staat bij elk bedrag ook de bandbreedte.
                """,
                valued: analysisOptions.union(["uit"]), run: costsCommand),
        Command(name: "teams", summary: "koppeling scholen en lokale teams exporteren (csv)",
                usage: """
                Gebruik: grensverkeer teams [--drempel N] [--uit MAP] [--db PAD]

                Schrijft teams-scholen.csv (per vestiging de woongemeenten van de leerlingen) en teams-gemeenten.csv
                (per gemeente de scholen buiten de gemeente waar haar kinderen naartoe gaan, gerangschikt, met
                'boven_drempel' = ja vanaf N leerlingen (schatting); standaard 10).
                """,
                valued: analysisOptions.union(["uit"]), run: teamsCommand),
        Command(name: "dashboard", summary: "statisch HTML-dashboard maken uit de database",
                usage: "Gebruik: grensverkeer dashboard [--uit MAP] [--regio ID] [--buren ID|geen] [--db PAD]",
                valued: analysisOptions.union(["uit"]), run: dashboardCommand),
        Command(name: "schatter-leren", summary: "schatter voor <5-cellen leren uit een onafgeschermd jaar",
                usage: """
                Gebruik: grensverkeer schatter-leren --peildatum JJJJ-MM-DD [--uit BESTAND] [--db PAD]

                Leert per context (schoolsoort, grensoverschrijdend, leeftijdsband, omvang van de rij) de gemiddelde
                waarde van cellen met 1 t/m 4 leerlingen en schrijft die naar data/estimator/masked-cells.csv.
                """,
                valued: ["peildatum", "uit", "db"], run: learnCommand),
        Command(name: "nauwkeurigheid", summary: "fout van de schatter meten op een onafgeschermd jaar",
                usage: """
                Gebruik: grensverkeer nauwkeurigheid --peildatum JJJJ-MM-DD [--db PAD]

                Schermt het jaar af zoals DUO nu doet, leert op de ene helft van de provincies en meet op de andere.
                """,
                valued: ["peildatum", "db"], run: accuracyCommand),
        Command(name: "bench", summary: "meten: inlezen en analyse van een map DUO-bestanden (release-build)",
                usage: "Gebruik: grensverkeer bench <map>",
                valued: ["referentie"], run: benchCommand),
        Command(name: "status", summary: "laten zien wat er in de database staat",
                usage: "Gebruik: grensverkeer status [--db PAD]",
                valued: ["db"], run: statusCommand),
    ]

    static func ingestCommand(_ args: Arguments, _ out: inout String) throws {
        guard !args.positionals.isEmpty else { throw UsageError("geef minstens één bestand of map op") }
        let reference = try args.reference()
        let files = try InputFiles.collect(args.positionals)
        guard !files.isEmpty else { throw UsageError("geen CSV-bestanden gevonden in \(args.positionals.joined(separator: ", "))") }
        let db = try args.database()
        let report = try Ingest.run(files: files, db: db, reference: reference, peildatum: try args.peildatum(),
                                    replacePartial: args.flags.contains("vervang"))
        out += formatIngestReport(report, reference: reference)
    }

    static func formatIngestReport(_ report: IngestReport, reference: Reference) -> String {
        var lines: [String] = []
        let n = DutchFormat.integer
        lines.append("Inlezen: \(n(report.files.count)) bestanden bekeken")
        let added = report.files.filter { if case .added = $0.outcome { return true }; return false }
        let replaced = report.files.filter { if case .replaced = $0.outcome { return true }; return false }
        lines.append("  toegevoegd:   \(n(added.count)) bestanden")
        lines.append("  vervangen:    \(n(replaced.count)) bestanden")
        lines.append("  ongewijzigd:  \(n(report.count { $0 == .unchanged })) bestanden (al aanwezig, niets gedaan)")
        lines.append("  leeg:         \(n(report.count { $0 == .empty })) bestanden")
        lines.append("  regels toegevoegd: \(n(report.rowsAdded))")
        for file in report.replacedFiles { lines.append("Vervangen: \(file.summary)") }
        for file in report.files where file.outcome == .empty {
            lines.append("Waarschuwing: \(file.name) is leeg (0 bytes of geen regels); overgeslagen")
        }
        var groups: [String: (files: Int, rows: Int)] = [:]
        for file in report.files {
            guard let dataset = file.dataset, let date = file.peildatum else { continue }
            var rows = 0
            switch file.outcome {
            case .added(let r), .replaced(let r, _): rows = r
            default: break
            }
            let key = "\(date) \(dataset.rawValue) (\(file.layout ?? ""), \(file.encoding?.rawValue ?? ""))"
            groups[key, default: (0, 0)].files += 1
            groups[key, default: (0, 0)].rows += rows
        }
        for key in groups.keys.sorted() {
            lines.append("  \(key): \(n(groups[key]!.files)) bestanden, \(n(groups[key]!.rows)) nieuwe regels")
        }
        if report.unresolvedHomes.isEmpty {
            lines.append("Woongemeenten: alle woonlocaties herkend")
        } else {
            lines.append("Woongemeenten NIET herkend (\(report.unresolvedHomes.count)); vul data/reference/gemeente_aliases.csv aan:")
            for u in report.unresolvedHomes {
                lines.append("  \(u.peildatum) '\(u.name)' pc4 \(u.pc4s.prefix(8).joined(separator: ",")): \(n(u.rows)) regels")
            }
        }
        if !report.pseudoHomes.isEmpty {
            let parts = report.pseudoHomes.keys.sorted().map { "\(String($0.dropFirst())) \(reference.name(of: $0)): \(n(report.pseudoHomes[$0]!)) regels" }
            lines.append("Pseudo-postcodes (geen Nederlands adres): " + parts.joined(separator: "; "))
        }
        if !report.unknownSchoolGemeenten.isEmpty {
            lines.append("Schoolgemeenten NIET in de referentie: \(report.unknownSchoolGemeenten.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func statusCommand(_ args: Arguments, _ out: inout String) throws {
        let status = try StoreStatus.read(try args.database())
        let n = DutchFormat.integer
        if status.parts.isEmpty {
            out += "De database is leeg. Lees bestanden in met: grensverkeer ingest <map>\n"
            return
        }
        out += "Peildatum   Dataset         Bestanden  Regels   <5-cellen  Leerlingen (min–max)\n"
        for p in status.parts {
            out += p.peildatum + "  " + p.dataset.padding(toLength: 14, withPad: " ", startingAt: 0)
                + n(p.files).leftPad(11) + n(p.rows).leftPad(9) + n(p.maskedCells).leftPad(11)
                + "  \(n(p.pupils.min))–\(n(p.pupils.max))" + (p.synthetic ? "  SYNTHETISCH" : "") + "\n"
        }
        out += "Inleesrondes: \(status.runs); regels met onbekende woongemeente: \(n(status.unresolvedHomes))\n"
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
