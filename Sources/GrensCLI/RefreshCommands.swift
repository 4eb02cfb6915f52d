import Foundation
import GrensCore
import GrensPipeline
import GrensRender
import SQLiteWrap

/// The yearly refresh: fetch DUO's files (`ophalen`), list what the store ever read (`bronnen`) and say what
/// an ingest changed (`wijzigingen`).
extension GrensCLI {
    static let refreshCommands: [Command] = [
        Command(name: "ophalen", summary: "DUO-bestanden van een schooljaar downloaden (catalogus in data/duo-catalogus.csv)",
                usage: """
                Gebruik: grensverkeer ophalen --schooljaar JJJJ-JJJJ [--bestanden po03,po01,vo02,vo03] [--naar MAP] [--basis-url URL] [--wachttijd S]

                Downloadt de bestanden van data/duo-catalogus.csv voor een schooljaar met curl. Elk bestand wordt eerst
                helemaal ontvangen en gecontroleerd (een bekende DUO-indeling van de verwachte dataset en peildatum,
                volledig); pas dan komt het in de map. Een tweede keer vraagt grensverkeer DUO of het bestand veranderd
                is (ETag/Last-Modified in .duo-ophalen.json in de map) en downloadt het alleen als dat zo is; de vorige
                versie gaat naar .vorige-versies/ in de map. Een bestand in de map dat grensverkeer er niet zo neerzette,
                wordt nooit overschreven.
                  --schooljaar J     bijvoorbeeld 2025-2026 (peildatum 1 oktober 2025)
                  --bestanden L      ids uit de catalogus, met komma's (standaard alle: po03,po01,vo02,vo03)
                  --naar MAP         doelmap (standaard data/duo/<schooljaar>)
                  --basis-url URL    waar de bestanden staan (standaard \(Fetcher.defaultBaseURL))
                  --wachttijd S      seconden per poging (standaard 300); na een time-out, storing of onvolledig
                                     bestand volgen nog twee pogingen
                """,
                valued: ["schooljaar", "bestanden", "naar", "basis-url", "wachttijd"], run: fetchCommand),
        Command(name: "bronnen", summary: "alle ooit ingelezen bestanden (ook vervangen), met sha256 en wat ze verving",
                usage: """
                Gebruik: grensverkeer bronnen [--formaat csv|md] [--uit BESTAND] [--db PAD]

                Eén regel per ingelezen bestand, ook de bestanden die later vervangen zijn (die geschiedenis wordt
                nooit gewist): dataset, indeling, peildatum, sha256, regels, inleesronde en tijdstip, en waardoor en
                wanneer het vervangen is.
                  --formaat F        csv (standaard; Excel NL) of md
                  --uit BESTAND      schrijf naar dit bestand in plaats van naar het scherm
                  --overschrijven    een bestaand bestand --uit vervangen (anders geweigerd)
                  --db PAD           de database (standaard data/grensverkeer.sqlite)
                """,
                valued: ["formaat", "uit", "db"], switches: ["overschrijven"], run: sourcesCommand),
        Command(name: "wijzigingen", summary: "wat een inleesronde veranderde: regels, gemeenten, scholen, indeling",
                usage: """
                Gebruik: grensverkeer wijzigingen [--run N] [--db PAD]

                Per dataset en peildatum: regels toegevoegd, verwijderd en gewijzigd (per vestiging × soort × postcode ×
                woongemeente), leerlingen per schoolgemeente en woongemeente voor → na (met grenzen), scholen die erbij
                kwamen of verdwenen, en veranderde kolommen of indeling. Wat boven de drempel komt (\(RefreshThreshold.description))
                staat bovenaan. Een nieuwe peildatum wordt vergeleken met de vorige peildatum in de database.
                Getallen staan er zoals DUO ze publiceerde (dit is een controleoverzicht, geen publicatie).
                  --run N            deze inleesronde (standaard de laatste die iets veranderde)
                  --db PAD           de database (standaard data/grensverkeer.sqlite)
                """,
                valued: ["run", "db"], run: changesCommand),
    ]

    static let catalogue = "data/duo-catalogus.csv"

    /// The analysis settings with the peildata `--van` and `--tot` checked against the store: by default the
    /// latest against the one before; `--van` alone compares with the latest, `--tot` alone with the one before it.
    static func settings(_ args: Arguments, changes db: Database) throws -> AnalysisSettings {
        var s = settings(args)
        let from = try date(args, "van"), to = try date(args, "tot")
        guard from != nil || to != nil else { return s }
        let dates = try Facts.flowPeildata(db)
        for (name, d) in [("van", from), ("tot", to)] {
            if let d, !dates.contains(d) {
                throw UsageError("--\(name) \(d) staat niet in de database (peildata met leerlingstromen: \(dates.map(\.iso).joined(separator: ", ")))")
            }
        }
        guard let end = to ?? dates.last, let start = from ?? dates.last(where: { $0 < end }), start < end else {
            throw UsageError(from != nil && to != nil ? "--van \(from!) ligt niet vóór --tot \(to!); verwacht een eerdere peildatum bij --van"
                                                      : "er is geen peildatum om mee te vergelijken (aanwezig: \(dates.map(\.iso).joined(separator: ", ")))")
        }
        (s.changeFrom, s.changeTo) = (start, end)
        return s
    }

    static func date(_ args: Arguments, _ name: String) throws -> Peildatum? {
        guard let text = args.value(name) else { return nil }
        guard let d = Peildatum(iso: text) ?? Peildatum(duo: text) else { throw UsageError("--\(name) '\(text)' is geen datum; verwacht JJJJ-MM-DD") }
        return d
    }

    /// Cost items on an older peildatum than the store's latest: a line each for `run` and `kosten`.
    static func formatNewerPeildata(_ report: Report) -> String {
        report.newerPeildata.map { "Let op: \($0.message)\n" }.joined()
    }

    // MARK: ophalen

    static func fetchCommand(_ args: Arguments, _ out: inout String) throws {
        guard let text = args.value("schooljaar") else { throw UsageError("--schooljaar ontbreekt; verwacht bijvoorbeeld --schooljaar 2025-2026") }
        guard let year = SchoolYear(text) else { throw UsageError("--schooljaar '\(text)' is geen schooljaar; verwacht JJJJ-JJJJ, bijvoorbeeld 2025-2026") }
        let entries = try Catalogue.load(path: catalogue)
        var chosen = entries
        if let list = args.value("bestanden") {
            let ids = list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard !ids.isEmpty else { throw UsageError("--bestanden is leeg; verwacht ids uit \(catalogue): \(entries.map(\.id).joined(separator: ","))") }
            for id in ids where !entries.contains(where: { $0.id == id }) {
                let hint = nearest(id, in: entries.map(\.id)).map { "; bedoelde u \($0)?" } ?? ""
                throw UsageError("--bestanden: '\(id)' staat niet in \(catalogue)\(hint) (bekend: \(entries.map(\.id).joined(separator: ",")))")
            }
            chosen = entries.filter { ids.contains($0.id) }
        }
        let base = args.value("basis-url") ?? Fetcher.defaultBaseURL
        guard base.hasPrefix("https://") || base.hasPrefix("http://"), URL(string: base)?.host != nil else {
            throw UsageError("--basis-url '\(base)' is geen http(s)-adres; verwacht bijvoorbeeld \(Fetcher.defaultBaseURL)")
        }
        var settings = FetchSettings()
        if let w = args.value("wachttijd") {
            guard let seconds = Double(w.replacingOccurrences(of: ",", with: ".")), seconds > 0, seconds <= 3600 else {
                throw UsageError("--wachttijd '\(w)' is geen aantal seconden; verwacht een getal van 1 tot 3600")
            }
            settings.timeout = seconds
            settings.connectTimeout = min(settings.connectTimeout, seconds)
        }
        let folder = args.value("naar") ?? "data/duo/\(year)"
        out += "Ophalen: schooljaar \(year) (peildatum \(year.peildatum)) van \(base) naar \(folder)\n"
        let results = try Fetcher.fetch(chosen, year: year, baseURL: base, folder: folder, settings: settings)
        let n = DutchFormat.integer
        for r in results {
            let facts = [r.bytes.map { "\(n($0)) bytes" }, r.layout, r.rows.map { "\(n($0)) regels" }, r.sha256.map { "sha256 \($0.prefix(12))…" }]
                .compactMap { $0 }.joined(separator: ", ")
            let line: String
            switch r.outcome {
            case .fetched: line = "opgehaald (\(facts))"
            case .updated(let previous): line = "nieuwe versie bij DUO, opgehaald (\(facts)); de vorige staat in \(previous)"
            case .unchangedAtSource: line = "ongewijzigd bij DUO (niet opnieuw gedownload)"
            case .sameContent: line = "ongewijzigd bij DUO (opnieuw gedownload, zelfde inhoud: \(facts))"
            case .failed(let why): line = "NIET opgehaald: \(why)"
            }
            out += "  \(r.entry.id) \(r.fileName): \(line)\(r.remark.map { "; let op: \($0)" } ?? "")\n"
        }
        let failed = results.filter { if case .failed = $0.outcome { return true }; return false }
        let changed = results.filter { if case .fetched = $0.outcome { return true }; if case .updated = $0.outcome { return true }; return false }
        out += "Nieuw of bijgewerkt: \(changed.count); ongewijzigd: \(results.count - changed.count - failed.count); mislukt: \(failed.count)\n"
        if !changed.isEmpty {
            out += "Volgende stap: grensverkeer ingest \(folder) --peildatum \(year.peildatum)\n"
        }
        if !failed.isEmpty {
            throw FetchError("\(failed.count) van de \(results.count) bestanden \(failed.count == 1 ? "is" : "zijn") niet opgehaald (zie hierboven); in \(folder) is voor \(failed.count == 1 ? "dat bestand" : "die bestanden") niets geschreven")
        }
    }

    // MARK: bronnen

    static func sourcesCommand(_ args: Arguments, _ out: inout String) throws {
        if let f = args.value("formaat"), f == "json" { throw UsageError("--formaat json kan hier niet; verwacht csv of md") }
        var file: OutputFile?
        if let path = args.value("uit") {
            file = try OutputFile(path, protecting: args.protected(store: args.storePath())) { _ in args.flags.contains("overschrijven") }
        }
        let manifest = try SourceManifest.read(try args.database(.read))
        var table = ExportTable(columns: ["bestand", "dataset", "indeling", "peildatum", "sha256", "regels", "inleesronde", "ingelezen",
                                          "status", "vervangen_in_ronde", "vervangen_op", "vervangen_door"])
        for e in manifest.entries {
            table.rows.append([.text(e.name), .text(e.dataset), .text(e.layout), .text(e.peildatum), .text(e.sha256), .number(Double(e.rows)),
                               .number(Double(e.run)), .text(e.ingestedAt), .text(e.replacedRun == nil ? "in de database" : "vervangen"),
                               e.replacedRun.map { .number(Double($0)) } ?? .empty, e.replacedAt.map { .text($0) } ?? .empty,
                               .text(e.replacedBy.map { "\($0.name) (sha256 \($0.sha256.prefix(12))…)" }.joined(separator: ", "))])
        }
        let text = args.value("formaat") == "md" ? table.markdown() : table.csv()
        if let file {
            try file.write(text)
            out += "Geschreven: \(file.path) (\(table.rows.count) bestanden)\n"
        } else {
            out += text
        }
    }

    // MARK: wijzigingen

    static func changesCommand(_ args: Arguments, _ out: inout String) throws {
        var run: Int?
        if let r = args.value("run") {
            guard let n = Int(r), n > 0 else { throw UsageError("--run '\(r)' is geen inleesronde; verwacht een nummer (zie grensverkeer bronnen)") }
            run = n
        }
        let db = try args.database(.read)
        guard let refresh = try Changes.load(db, run: run) else {
            if let run { throw UsageError("inleesronde \(run) heeft niets veranderd of bestaat niet") }
            out += "Nog geen wijzigingen vastgelegd in \(args.storePath()) (ze worden vastgelegd bij elke inleesronde die iets toevoegt of vervangt).\n"
            return
        }
        out += "Inleesronde \(refresh.run)\(try Changes.startedAt(db, run: refresh.run).map { " (\($0))" } ?? "")\n"
        for part in refresh.parts { out += formatPart(part) }
    }

    static func bounds(_ b: Bounds) -> String {
        b.isExact ? DutchFormat.integer(b.min) : "\(DutchFormat.integer(b.min))–\(DutchFormat.integer(b.max))"
    }

    static func signed(_ n: Int) -> String { n > 0 ? "+" + DutchFormat.integer(n) : DutchFormat.integer(n) }

    /// `+3`, `0`, `-2 tot +9`.
    static func delta(_ b: Bounds) -> String { b.isExact ? signed(b.min) : "\(signed(b.min)) tot \(signed(b.max))" }

    static func area(_ a: AreaChange) -> String {
        "\(a.code) \(a.name): \(bounds(a.before)) → \(bounds(a.after)) (\(delta(a.change)))"
    }

    static func school(_ s: SchoolChange) -> String {
        "\(s.kind == .appeared ? "nieuw" : "verdwenen"): \(s.schoolID) \(s.name) (schoolgemeente \(s.gemeente)), \(bounds(s.pupils)) leerlingen"
    }

    /// Which cells of a row changed: `leeftijd 6: 15 → 18`.
    static func cells(_ r: RowChange, dataset: Dataset) -> String {
        let before = r.before?.cells.split(separator: ";", omittingEmptySubsequences: false).map(String.init) ?? []
        let after = r.after?.cells.split(separator: ";", omittingEmptySubsequences: false).map(String.init) ?? []
        let labels = dataset == .poPostcode || dataset == .poVestiging ? dataset.cellLabels.map { "leeftijd \($0)" } : dataset.cellLabels
        var parts: [String] = []
        for i in 0..<max(before.count, after.count) {
            let b = i < before.count ? before[i] : "0", a = i < after.count ? after[i] : "0"
            guard b != a else { continue }
            parts.append("\(i < labels.count ? labels[i] : "cel \(i + 1)"): \(b) → \(a)")
        }
        return parts.isEmpty ? "zelfde aantallen, ander totaal" : parts.joined(separator: ", ")
    }

    static func formatPart(_ p: PartChange, limit: Int = 15, rowLimit: Int = 50) -> String {
        let n = DutchFormat.integer
        var lines = ["== \(p.peildatum) · \(p.dataset.title)"]
        switch p.baseline {
        case .none:
            lines.append("Eerste peildatum van deze dataset in de database: niets om mee te vergelijken.")
        case .same:
            lines.append("Vergeleken met: dezelfde peildatum zoals de database hem had vóór deze ronde.")
        case .earlier(let d):
            lines.append("Nieuwe peildatum; vergeleken met de vorige peildatum in de database: \(d).")
        }
        let eruit = p.baseline == .same ? "eruit" : "vorige peildatum"
        lines.append("Bestanden erin: \(list(p.filesAfter))" + (p.filesBefore.isEmpty ? "" : "; \(eruit): \(list(p.filesBefore))"))
        lines.append("Regels: \(n(p.rowsBefore)) → \(n(p.rowsAfter)) (toegevoegd \(n(p.rowsAdded)), verwijderd \(n(p.rowsRemoved)), gewijzigd \(n(p.rowsChanged)))")
        lines.append("Leerlingen: \(bounds(p.pupilsBefore)) → \(bounds(p.pupilsAfter)) (verschil \(delta(p.pupilsChange)))")
        guard p.baseline != .none else { return lines.joined(separator: "\n") + "\n" }
        var flags: [String] = []
        if p.layoutChanged { flags.append("indeling \(p.layoutsBefore.joined(separator: ", ")) → \(p.layoutsAfter.joined(separator: ", "))") }
        if let added = p.columnsAdded, !added.isEmpty { flags.append("kolommen erbij: \(added.joined(separator: ", "))") }
        if let removed = p.columnsRemoved, !removed.isEmpty { flags.append("kolommen weg: \(removed.joined(separator: ", "))") }
        if p.manyRowsRemoved { flags.append("\(n(p.rowsRemoved)) van de \(n(p.rowsBefore)) regels verdwenen") }
        flags += p.areas.filter(\.flagged).map { "\($0.side == .school ? "schoolgemeente" : "woongemeente") \(area($0))" }
        flags += p.schools.filter(\.flagged).map(school)
        lines.append("Opvallend (\(RefreshThreshold.description), of een andere indeling): " + (flags.isEmpty ? "niets" : ""))
        lines += flags.map { "  ! " + $0 }
        for (side, title) in [(AreaChange.Side.school, "Schoolgemeenten"), (.home, "Woongemeenten")] where side == .school || p.dataset.hasHome {
            let areas = p.areas.filter { $0.side == side }
            lines.append("\(title) met andere aantallen: \(areas.isEmpty ? "geen" : n(areas.count))")
            lines += areas.prefix(limit).map { "  " + area($0) }
            if areas.count > limit { lines.append("  … en \(n(areas.count - limit)) meer") }
        }
        let schools = p.schools
        lines.append("Scholen erbij: \(n(schools.filter { $0.kind == .appeared }.count)); verdwenen: \(n(schools.filter { $0.kind == .vanished }.count))")
        lines += schools.prefix(limit).map { "  " + school($0) }
        if schools.count > limit { lines.append("  … en \(n(schools.count - limit)) meer") }
        if p.baseline == .same {
            lines.append("Regels toegevoegd, verwijderd of gewijzigd: \(p.rows.isEmpty ? "geen" : n(p.rows.count))")
            for r in p.rows.prefix(rowLimit) {
                let lineText = "regel \(r.before.map { String($0.line) } ?? "–") → \(r.after.map { String($0.line) } ?? "–")"
                let home = p.dataset.hasHome ? ", pc4 \(r.homePC4) (\(r.homeName))" : ""
                lines.append("  \(r.kind.rawValue): \(r.schoolID) \(r.schoolName), \(r.soort)\(home); \(lineText): \(cells(r, dataset: p.dataset)) (\(delta(r.change)))")
            }
            if p.rows.count > rowLimit { lines.append("  … en \(n(p.rows.count - rowLimit)) meer") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func list(_ names: [String]) -> String {
        names.isEmpty ? "geen" : names.count <= 3 ? names.joined(separator: ", ") : "\(names.prefix(3).joined(separator: ", ")) en \(names.count - 3) meer"
    }

    /// The few lines the ingest report adds: per part touched, the counts and the largest changes.
    static func formatChangeSummary(_ changes: [PartChange]) -> String {
        guard !changes.isEmpty else { return "" }
        var lines = ["Wijzigingen (alles: grensverkeer wijzigingen):"]
        for p in changes {
            var text = "  \(p.peildatum) \(p.dataset.rawValue): "
            switch p.baseline {
            case .none: text += "eerste peildatum van deze dataset; \(DutchFormat.integer(p.rowsAfter)) regels"
            case .same: text += "regels toegevoegd \(DutchFormat.integer(p.rowsAdded)), verwijderd \(DutchFormat.integer(p.rowsRemoved)), gewijzigd \(DutchFormat.integer(p.rowsChanged))"
            case .earlier(let d): text += "nieuwe peildatum (t.o.v. \(d)): \(DutchFormat.integer(p.rowsBefore)) → \(DutchFormat.integer(p.rowsAfter)) regels"
            }
            text += p.baseline == .none ? "; leerlingen \(bounds(p.pupilsAfter))" : "; leerlingen \(delta(p.pupilsChange))"
            let top = p.areas.prefix(3).map { "\($0.name) (\($0.side == .school ? "school" : "woon")) \(delta($0.change))" }
            if !top.isEmpty { text += "; " + top.joined(separator: ", ") }
            lines.append(text)
            if p.flagged { lines.append("  LET OP: \(p.peildatum) \(p.dataset.rawValue) heeft wijzigingen boven de drempel; zie grensverkeer wijzigingen") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
