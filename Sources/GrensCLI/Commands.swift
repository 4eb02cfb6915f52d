import Foundation
import GrensCore
import GrensPipeline
import SQLiteWrap

extension GrensCLI {
    /// Options every analysis command takes, as its help text lists them.
    static let analysisOptions: Set<String> = ["db", "referentie", "pc4-tabel", "regio", "buren", "schatter"]
    static let analysisHelp = """
        Algemene opties:
          --db PAD           de database (standaard data/grensverkeer.sqlite; het synthetische voorbeeld: data/voorbeeld.sqlite)
          --regio ID         regio uit data/reference/regions.csv (standaard haaglanden)
          --buren ID|geen    regio waarvan de gemeenten apart getoond worden (standaard buren-haaglanden; geen = alles 'rest')
          --schatter CSV     parameters van de schatter voor <5-cellen (standaard data/estimator/masked-cells.csv)
          --referentie MAP   referentiegegevens (standaard data/reference)
          --pc4-tabel CSV    landelijke tabel pc4,gemeente,po_swv,vo_swv (zoals swv-regio-indeling-pc4-2015.csv)
        """
    static let folderHelp = """
        De uitvoermap wordt in zijn geheel vervangen, maar alleen als grensverkeer hem zelf gemaakt heeft
        (herkenbaar aan het bestand .grensverkeer-uitvoer) of als hij leeg is; een andere map wordt geweigerd.
        """
    static let changeHelp = """
          --van D, --tot D   de verandering tussen deze twee peildata (standaard de laatste en de vorige)
        """
    static let soortHelp = """
          --soort S          bo, sbo, so, vso, vo, po (= bo, sbo, so en vso) of alle (po en vo samen; alleen als
                             de database beide heeft); herhaalbaar
        """

    static let commands: [Command] = [
        Command(name: "run", summary: "alles: inlezen, analyseren, dashboard maken",
                usage: """
                Gebruik: grensverkeer run [--duo MAP]... [--db PAD] [--uit MAP] [opties]

                Leest de DUO-bestanden in, analyseert en maakt het dashboard. Zonder --duo: de synthetische
                voorbeeldbestanden in data/sample (database data/voorbeeld.sqlite, dashboard out/voorbeeld), overal
                gemarkeerd als SYNTHETISCH. Met --duo: database data/grensverkeer.sqlite, dashboard out/dashboard.
                  --duo MAP          map (of bestand) met DUO-bestanden; herhaalbaar, één per jaar
                  --uit MAP          map voor het dashboard
                  --peildatum D      alleen nodig voor formaten zonder kolom PEILDATUM (vo-bestanden)
                  --kosten MAP|geen  map met kostenposten (standaard data/kosten)
                  --drempel N        teams: 'boven_drempel' vanaf N leerlingen (standaard 10)
                  --notitieboeken MAP|geen  notitieboeken als pagina's in het dashboard (standaard notebooks-md)
                  --vervang          zoals bij ingest: ook een eerder bestand vervangen dat maar deels gedekt is
                  --opnieuw          elke peildatum opnieuw berekenen en alles opnieuw maken, ook als er niets veranderd is
                \(changeHelp)

                \(folderHelp)
                Is er sinds de vorige run niets veranderd (dezelfde bestanden in de database, referentiegegevens,
                schatter, kostenposten, notitieboeken, opties en hetzelfde programma) en is de uitvoermap nog precies
                zoals die run hem achterliet (.grensverkeer-run), dan stopt run na het inlezen en laat de map staan.

                \(analysisHelp)
                """,
                valued: analysisOptions.union(["duo", "uit", "peildatum", "kosten", "drempel", "notitieboeken", "van", "tot"]), switches: ["vervang", "opnieuw"], repeatable: ["duo"], run: runCommand),
        Command(name: "ingest", summary: "DUO-bestanden inlezen in de database",
                usage: """
                Gebruik: grensverkeer ingest <bestand of map>... [--db PAD] [--peildatum JJJJ-MM-DD] [--referentie MAP] [--pc4-tabel CSV] [--vervang]

                Leest DUO-bestanden (herkend aan hun kolomkoppen, niet aan de bestandsnaam) in één transactie in.
                Uit een map worden de *.csv-bestanden gelezen; wat wordt overgeslagen staat in het verslag.
                Een bestand dat er al in zit wordt overgeslagen. Nieuwe bestanden met dezelfde dataset en peildatum
                vervangen samen elk eerder bestand waarvan ze alle schoolgemeenten bevatten; het oude blijft in de
                geschiedenis en komt terug door het opnieuw in te lezen. Bij één fout wordt niets geschreven.
                  --db PAD           de database (standaard data/grensverkeer.sqlite; wordt gemaakt als hij niet bestaat)
                  --peildatum D      alleen nodig voor formaten zonder kolom PEILDATUM (vo-bestanden)
                  --referentie MAP   referentiegegevens (standaard data/reference)
                  --pc4-tabel CSV    landelijke tabel pc4,gemeente,po_swv,vo_swv (zoals swv-regio-indeling-pc4-2015.csv)
                  --vervang          ook een eerder bestand vervangen dat maar deels gedekt is; de gegevens van zijn
                                     overige schoolgemeenten verdwijnen dan (het verslag noemt ze)
                """,
                valued: ["db", "peildatum", "referentie", "pc4-tabel"], switches: ["vervang"], positionals: true, run: ingestCommand),
        Command(name: "matrix", summary: "herkomst-bestemmingsmatrix exporteren (csv, md, json)",
                usage: """
                Gebruik: grensverkeer matrix [--peildatum JJJJ-MM-DD] [--soort S]... [--formaat csv|md|json] [--uit BESTAND] [opties]

                Eén regel per stroom (woongemeente → schoolgemeente) met minimum, maximum, schatting en het
                90%-interval van de schatting (interval_90_laag, interval_90_hoog).
                Aantallen van 1 t/m 4 worden nooit getoond: ze staan er als <5 (in json: null met <kolom>_onder_5 true).
                  --peildatum D      alleen deze peildatum (standaard alle)
                \(soortHelp)
                  --formaat F        csv (standaard; Excel NL), md of json
                  --uit BESTAND      schrijf naar dit bestand in plaats van naar het scherm
                  --overschrijven    een bestaand bestand --uit vervangen (anders geweigerd)

                \(analysisHelp)
                """,
                valued: analysisOptions.union(["peildatum", "soort", "formaat", "uit"]), switches: ["overschrijven"], repeatable: ["soort"],
                run: matrixCommand),
        Command(name: "shares", summary: "aandelen uitstroom/instroom per gemeente of swv exporteren",
                usage: """
                Gebruik: grensverkeer shares [--niveau gemeente|swv] [--peildatum JJJJ-MM-DD] [--soort S]... [--formaat csv|md|json] [--uit BESTAND] [opties]

                Per gemeente (of samenwerkingsverband): wonend, op school, eigen gemeente, uitstroom, instroom, saldo,
                eigen swv, binnen en buiten de regio, met minimum, maximum, schatting en 90%-interval; aandelen met
                hun 90%-interval en echte grenzen. Aantallen van 1 t/m 4 staan er als <5 (in json: null met
                <kolom>_onder_5 true).
                  --niveau N         gemeente (standaard) of swv
                  --peildatum D      alleen deze peildatum (standaard alle)
                \(soortHelp)
                  --formaat F        csv (standaard; Excel NL), md of json
                  --uit BESTAND      schrijf naar dit bestand in plaats van naar het scherm
                  --overschrijven    een bestaand bestand --uit vervangen (anders geweigerd)

                \(analysisHelp)
                """,
                valued: analysisOptions.union(["peildatum", "soort", "formaat", "uit", "niveau"]), switches: ["overschrijven"], repeatable: ["soort"],
                run: sharesCommand),
        Command(name: "kosten", summary: "kostenverdeling per gemeente exporteren (csv)",
                usage: """
                Gebruik: grensverkeer kosten [--kosten MAP] [--uit MAP] [opties]

                Verdeelt elke kostenpost in data/kosten/*.txt over de gemeenten (zie data/kosten/README.md) en schrijft
                kosten-overzicht.csv en per gemeente kosten-<gemeentecode>.csv.
                Bedragen tellen tot op de cent op tot het totaal; onder afscherming staat bij elk bedrag ook het 90%-interval en de bandbreedte.
                  --kosten MAP       map met kostenposten (standaard data/kosten)
                  --uit MAP          uitvoermap (standaard out/kosten; synthetisch voorbeeld: out/voorbeeld-kosten)

                \(folderHelp)

                \(analysisHelp)
                """,
                valued: analysisOptions.union(["kosten", "uit"]), run: costsCommand),
        Command(name: "teams", summary: "koppeling scholen en lokale teams exporteren (csv)",
                usage: """
                Gebruik: grensverkeer teams [--drempel N] [--uit MAP] [opties]

                Schrijft teams-scholen.csv (per vestiging de woongemeenten van de leerlingen) en teams-gemeenten.csv
                (per gemeente de scholen buiten de gemeente waar haar kinderen naartoe gaan, gerangschikt, met
                'boven_drempel' = ja vanaf N leerlingen (schatting)).
                  --drempel N        drempel in leerlingen (standaard 10)
                  --uit MAP          uitvoermap (standaard out/teams; synthetisch voorbeeld: out/voorbeeld-teams)

                \(folderHelp)

                \(analysisHelp)
                """,
                valued: analysisOptions.union(["drempel", "uit"]), run: teamsCommand),
        Command(name: "dashboard", summary: "statisch HTML-dashboard maken uit de database",
                usage: """
                Gebruik: grensverkeer dashboard [--uit MAP] [--kosten MAP|geen] [--drempel N] [--notitieboeken MAP|geen] [opties]

                Maakt het dashboard uit wat de database bevat (niets wordt ingelezen of in de database geschreven).
                  --uit MAP          uitvoermap (standaard out/dashboard; synthetisch voorbeeld: out/voorbeeld)
                  --kosten MAP|geen  map met kostenposten (standaard data/kosten)
                  --drempel N        teams: 'boven_drempel' vanaf N leerlingen (standaard 10)
                  --notitieboeken MAP|geen  notitieboeken als pagina's (standaard notebooks-md); alleen als de
                                     analistenlaag bij de bestanden hoort (run of notitieboek schrijft hem)
                \(changeHelp)

                \(folderHelp)

                \(analysisHelp)
                """,
                valued: analysisOptions.union(["uit", "kosten", "drempel", "notitieboeken", "van", "tot"]), run: dashboardCommand),
        Command(name: "notitieboek", summary: "eigen analyses (Markdown met SQL) draaien en als pagina's maken",
                usage: """
                Gebruik: grensverkeer notitieboek [BESTAND|MAP]... [--uit MAP] [--kosten MAP|geen] [--drempel N] [opties]

                Werkt de analistenlaag van de database bij (de views stroom, matrix, aandeel, school, gemeente,
                regio, swv, peildatum), draait de SQL-blokken van elk notitieboek (standaard alle *.md in
                notebooks-md) alleen-lezend op die views, en schrijft het dashboard met een pagina per notitieboek
                en een CSV per resultaat. Het formaat staat in notebooks-md/README.md.
                  --uit MAP          uitvoermap (standaard out/notitieboeken; synthetisch: out/voorbeeld-notitieboeken)
                  --kosten MAP|geen  map met kostenposten (standaard data/kosten)
                  --drempel N        teams: 'boven_drempel' vanaf N leerlingen (standaard 10)

                \(folderHelp)

                \(analysisHelp)
                """,
                valued: analysisOptions.union(["uit", "kosten", "drempel"]), positionals: true, run: notebookCommand),
        Command(name: "schatter-leren", summary: "schatter voor <5-cellen leren uit een onafgeschermd jaar",
                usage: """
                Gebruik: grensverkeer schatter-leren --peildatum JJJJ-MM-DD [--uit BESTAND] [--db PAD]

                Leert per context (schoolsoort, grensoverschrijdend, leeftijdsband, omvang van de rij) de gemiddelde
                waarde van cellen met 1 t/m 4 leerlingen en schrijft die naar een parameterbestand.
                  --peildatum D      een onafgeschermd jaar in de database, bijvoorbeeld 2017-10-01
                  --uit BESTAND      parameterbestand (standaard data/estimator/masked-cells.csv); alleen een
                                     bestaand parameterbestand van grensverkeer wordt overschreven
                  --db PAD           de database (standaard data/grensverkeer.sqlite)
                """,
                valued: ["peildatum", "uit", "db"], run: learnCommand),
        Command(name: "nauwkeurigheid", summary: "fout van de schatter meten op een onafgeschermd jaar",
                usage: """
                Gebruik: grensverkeer nauwkeurigheid --peildatum JJJJ-MM-DD [--db PAD]

                Schermt het jaar af zoals DUO nu doet, leert op de ene helft van de provincies en meet op de andere.
                  --peildatum D      een onafgeschermd jaar in de database, bijvoorbeeld 2017-10-01
                  --db PAD           de database (standaard data/grensverkeer.sqlite)
                """,
                valued: ["peildatum", "db"], run: accuracyCommand),
        Command(name: "bench", summary: "meten: inlezen en analyse van een map DUO-bestanden (release-build)",
                usage: """
                Gebruik: grensverkeer bench <map> [--referentie MAP]

                Leest de map in een tijdelijke database in en meet de stappen; de database wordt daarna verwijderd.
                  --referentie MAP   referentiegegevens (standaard data/reference)
                """,
                valued: ["referentie"], positionals: true, run: benchCommand),
        Command(name: "status", summary: "laten zien wat er in de database staat",
                usage: """
                Gebruik: grensverkeer status [--db PAD]

                  --db PAD           de database (standaard data/grensverkeer.sqlite; het synthetische voorbeeld: data/voorbeeld.sqlite)
                """,
                valued: ["db"], run: statusCommand),
    ] + refreshCommands

    static func ingestCommand(_ args: Arguments, _ out: inout String) throws {
        guard !args.positionals.isEmpty else { throw UsageError("geef minstens één bestand of map op") }
        let reference = try args.reference(maps: false)
        let scan = try InputFiles.scan(args.positionals)
        let db = try args.database(.write)
        let report = try Ingest.run(files: scan.files, db: db, reference: reference, peildatum: try args.peildatum(),
                                    replacePartial: args.flags.contains("vervang"))
        out += formatIngestReport(report, reference: reference) + formatSkipped(scan)
    }

    /// What a scan of the input folders did not read: named one by one, other files and hidden ones counted.
    static func formatSkipped(_ scan: InputFiles.Scan) -> String {
        var text = scan.skipped.map { "overgeslagen: \($0.name) (\($0.reason))\n" }.joined()
        if !scan.otherFiles.isEmpty || scan.hidden > 0 {
            let names = scan.otherFiles.prefix(5).joined(separator: ", ") + (scan.otherFiles.count > 5 ? ", …" : "")
            text += "niet gelezen (geen .csv): \(scan.otherFiles.count) bestanden\(names.isEmpty ? "" : " (\(names))"); verborgen: \(scan.hidden)\n"
        }
        return text
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
        return lines.joined(separator: "\n") + "\n" + formatChangeSummary(report.changes)
    }

    static func statusCommand(_ args: Arguments, _ out: inout String) throws {
        let status = try StoreStatus.read(try args.database(.read))
        let n = DutchFormat.integer
        out += "Database: \(args.storePath())\n"
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
