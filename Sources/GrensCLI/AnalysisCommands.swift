import Foundation
import GrensCore
import GrensPipeline
import GrensRender
import SQLiteWrap

extension GrensCLI {
    static func settings(_ args: Arguments, strictCosts: Bool = false) -> AnalysisSettings {
        var s = AnalysisSettings(strictCosts: strictCosts)
        if let r = args.value("regio") { s.region = r }
        if let b = args.value("buren") { s.neighbours = b == "geen" ? nil : b }
        if let e = args.value("schatter") { s.estimatorPath = e }
        if let k = args.value("kosten") { s.costFolder = k == "geen" ? nil : k; s.requireCostFolder = true }
        if let d = args.value("drempel"), let n = Int(d) { s.teamThreshold = n }
        return s
    }

    /// A store opened for reading, with whether it holds the synthetic sample (its outputs go elsewhere).
    static func readStore(_ args: Arguments) throws -> (Database, synthetic: Bool) {
        let db = try args.database(.read)
        return (db, try db.scalar("SELECT coalesce(max(synthetic), 0) FROM source_file")?.int == 1)
    }

    /// The output folder of `kind`, checked before any work.
    static func outputFolder(_ args: Arguments, _ kind: String, synthetic: Bool, inputs: [String] = [], store: String) throws -> OutputFolder {
        try OutputFolder(args.value("uit") ?? Defaults.output(kind, synthetic: synthetic), protecting: args.protected(store: store, inputs: inputs))
    }

    /// Writes cost splits: an overview and one CSV per gemeente ("uw aandeel"), together, so they always agree.
    static func costsCommand(_ args: Arguments, _ out: inout String) throws {
        // CSV only: the map outlines are not read.
        let reference = try args.reference(maps: false)
        let (db, synthetic) = try readStore(args)
        let folder = try outputFolder(args, "kosten", synthetic: synthetic, store: args.storePath())
        let report = try ReportBuilder.build(db: db, reference: reference, settings: settings(args, strictCosts: true), cache: try AnalysisCache(reading: db))
        guard !report.costSplits.isEmpty else {
            throw StoreError("geen kostenposten gevonden in \(args.value("kosten") ?? "data/kosten"); zie data/kosten/README.md")
        }
        let gemeenten = Exports.costGemeenten(report)
        try folder.replace(with: [("kosten-overzicht.csv", Exports.costOverview(report).csv())]
                           + gemeenten.map { ("kosten-\($0).csv", Exports.costs(report, gemeente: $0).csv()) })
        for split in report.costSplits {
            let sum = split.lines.reduce(0) { $0 + $1.cents }
            out += "\(split.item.name) (\(split.item.key.rawValue), peildatum \(split.item.peildatum)): \(DutchFormat.euro(cents: split.totalCents)) over \(split.lines.count) gemeenten; som \(DutchFormat.euro(cents: sum))\n"
        }
        out += "Geschreven: \(folder.path)/kosten-overzicht.csv en \(gemeenten.count) bestanden kosten-<gemeentecode>.csv\n"
        out += formatNewerPeildata(report)
    }

    /// Writes the team-connection lists: per school its pupils' home gemeenten; per gemeente the schools elsewhere.
    static func teamsCommand(_ args: Arguments, _ out: inout String) throws {
        // CSV only: the map outlines are not read.
        let reference = try args.reference(maps: false)
        let (db, synthetic) = try readStore(args)
        let folder = try outputFolder(args, "teams", synthetic: synthetic, store: args.storePath())
        var settings = settings(args)
        settings.costFolder = nil
        let report = try ReportBuilder.build(db: db, reference: reference, settings: settings, cache: try AnalysisCache(reading: db))
        let bySchool = Exports.teamsBySchool(report), byGemeente = Exports.teamsByGemeente(report)
        try folder.replace(with: [("teams-scholen.csv", bySchool.csv()), ("teams-gemeenten.csv", byGemeente.csv())])
        out += "Geschreven: \(folder.path)/teams-scholen.csv (\(bySchool.rows.count) regels) en \(folder.path)/teams-gemeenten.csv (\(byGemeente.rows.count) regels; drempel \(report.teamThreshold) leerlingen)\n"
    }

    /// The peildata and soorten a command is filtered to (default: all). A requested soort the store cannot
    /// give is refused with the reason, never answered with an empty table.
    static func filters(_ args: Arguments, _ report: Report) throws -> ([Peildatum], [SoortSelection]) {
        var dates = report.peildata
        if let p = try args.peildatum() {
            guard dates.contains(p) else {
                throw UsageError("peildatum \(p) staat niet in de database (aanwezig: \(dates.map(\.iso).joined(separator: ", ")))")
            }
            dates = [p]
        }
        var soorten = report.soorten
        let asked = args.values("soort").compactMap { SoortSelection(rawValue: $0.lowercased()) }
        if !asked.isEmpty {
            let present = "aanwezig: \(report.soorten.map(\.rawValue).joined(separator: ", "))"
            for soort in asked where !report.soorten.contains(soort) {
                let why = soort == .alle ? "'alle' is po en vo samen en bestaat alleen als de database po- én vo-bestanden bevat"
                    : "de database bevat geen leerlingen van deze soort"
                throw UsageError("--soort \(soort.rawValue): \(why) (\(present))")
            }
            soorten = asked
        }
        return (dates, soorten)
    }

    /// Matrix and shares: the analysis of a read-only store, to stdout or to a file checked before any work.
    static func export(_ args: Arguments, _ out: inout String, _ table: (Report, [Peildatum], [SoortSelection]) throws -> ExportTable) throws {
        // CSV only: the map outlines are not read.
        let reference = try args.reference(maps: false)
        var file: OutputFile?
        if let path = args.value("uit") {
            file = try OutputFile(path, protecting: args.protected(store: args.storePath())) { _ in args.flags.contains("overschrijven") }
        }
        var settings = settings(args)
        settings.costFolder = nil
        let store = try args.database(.read)
        let report = try ReportBuilder.build(db: store, reference: reference, settings: settings, cache: try AnalysisCache(reading: store))
        let (dates, soorten) = try filters(args, report)
        let result = try table(report, dates, soorten)
        let text: String
        switch args.value("formaat") ?? "csv" {
        case "md": text = result.markdown()
        case "json": text = result.json()
        default: text = result.csv()
        }
        if let file {
            try file.write(text)
            out += "Geschreven: \(file.path) (\(result.rows.count) regels)\n"
        } else {
            out += text
        }
    }

    static func matrixCommand(_ args: Arguments, _ out: inout String) throws {
        try export(args, &out) { report, dates, soorten in
            Exports.flows(report, matrices: report.matrices.filter { dates.contains($0.peildatum) && soorten.contains($0.soort) })
        }
    }

    static func sharesCommand(_ args: Arguments, _ out: inout String) throws {
        try export(args, &out) { report, dates, soorten in
            if args.value("niveau") == "swv" {
                return Exports.swvShares(report, dates.flatMap { d in (report.swvShares[d] ?? []).filter { soorten.contains($0.soort) }.map { (d, $0) } })
            }
            return Exports.gemeenteShares(report, dates.flatMap { d in (report.gemeenteShares[d] ?? []).filter { soorten.contains($0.soort) }.map { (d, $0) } })
        }
    }

    static func dashboardCommand(_ args: Arguments, _ out: inout String) throws {
        let reference = try args.reference()
        let (db, synthetic) = try readStore(args)
        let folder = try outputFolder(args, "dashboard", synthetic: synthetic, store: args.storePath())
        let report = try ReportBuilder.build(db: db, reference: reference, settings: try settings(args, changes: db), cache: try AnalysisCache(reading: db))
        let runs = try notebookRuns(args, db: db, report: report, reference: reference, out: &out)
        out += try writeSite(report, notebooks: runs, folder: folder)
    }

    static func writeSite(_ report: Report, notebooks: [NotebookRun] = [], folder: OutputFolder) throws -> String {
        let site = self.site(report, notebooks: notebooks, folder: folder)
        try folder.replace(with: site.files)
        return site.summary
    }

    /// The pages of the dashboard and, beside them, the CSV file of every table, with the line that reports them.
    static func site(_ report: Report, notebooks: [NotebookRun], folder: OutputFolder) -> (files: [(path: String, text: String)], summary: String) {
        site(Dashboard.render(report, notebooks: notebooks), notebooks: notebooks, folder: folder, synthetic: report.synthetic)
    }

    /// `site` from the rendered pages.
    static func site(_ pages: [(path: String, html: String)], notebooks: [NotebookRun], folder: OutputFolder,
                     synthetic: Bool) -> (files: [(path: String, text: String)], summary: String) {
        let csvs = notebooks.flatMap(Dashboard.notebookCSVs).map { (path: $0.path, html: $0.csv) }
        let html = pages.filter { $0.path.hasSuffix(".html") }
        let bytes = html.reduce(0) { $0 + $1.html.utf8.count }
        let summary = "Dashboard: \(html.count) pagina's (\(DutchFormat.integer(bytes / 1024)) kB) in \(folder.path)/index.html, "
            + "met \(pages.count - html.count) CSV-bestanden (één per tabel)\(synthetic ? " — SYNTHETISCHE GEGEVENS" : "")\n"
        return ((pages + csvs).map { ($0.path, $0.html) }, summary)
    }

    /// The main job: ingest, analyse, write the dashboard. It says first what it runs on; the synthetic sample
    /// (no --duo) has its own store and output folder, so it never overwrites results made from real files.
    static func runCommand(_ args: Arguments, _ out: inout String) throws {
        let inputs = args.values("duo").isEmpty ? [Defaults.sample] : args.values("duo")
        // The map outlines are read only when the pages are made.
        let (ingestReference, scan) = try stage("ingest") { (try args.reference(maps: false), try InputFiles.scan(inputs)) }
        let synthetic = scan.files.allSatisfy(\.synthetic)
        let store = args.storePath(default: synthetic ? Defaults.sampleDatabase : Defaults.database)
        let folder = try stage("dashboard") { try outputFolder(args, "dashboard", synthetic: synthetic, inputs: inputs, store: store) }
        out += "Invoer: \(inputs.joined(separator: ", "))\(synthetic ? " — SYNTHETISCH voorbeeld, geen echte leerlingen (echte bestanden: --duo MAP)" : "")\n"
        out += "Database: \(store)\nUitvoer: \(folder.path)\n"
        let db = try stage("ingest") { try args.database(.write, default: store) }
        out += "== ingest\n"
        let peildatum = try args.peildatum()
        let ingest = try stage("ingest") {
            try Ingest.run(files: scan.files, db: db, reference: ingestReference, peildatum: peildatum, replacePartial: args.flags.contains("vervang"))
        }
        out += formatIngestReport(ingest, reference: ingestReference) + formatSkipped(scan)
        out += "== analyse\n"
        let chosen = try stage("analyse") { try settings(args, changes: db) }
        let key = try stage("analyse") { try RunKey(args, settings: chosen, notebooks: notebookFolder(args), store: db) }
        if !args.flags.contains("opnieuw"), let previous = try stage("analyse", { try unchangedRun(folder, key: key, db: db) }) {
            out += "Niets veranderd sinds de vorige run: dezelfde bestanden in de database, dezelfde referentiegegevens, schatter, "
                + "kostenposten, notitieboeken, opties en hetzelfde programma. Analyse en dashboard zijn niet opnieuw gemaakt; "
                + "\(folder.path) is nagekeken en ongewijzigd (alles opnieuw maken: --opnieuw). Het verslag van die run:\n"
            out += previous.report
            return
        }
        // Everything printed from here on is kept in the output folder, to be given again by a run that skips.
        var report = ""
        // The map outlines are read beside the analysis, which needs only the other reference data; the map is
        // placed in the report after it.
        let referenceFolder = args.value("referentie") ?? Defaults.reference
        let withMaps = Background { Result { try ingestReference.withMaps(folder: referenceFolder) } }
        // The analyst layer's rows are worked out only when notebooks will read it. A peildatum whose inputs are
        // those of an earlier run is taken over from the store (`AnalysisCache`; `--opnieuw`: every one worked out).
        let cache = try stage("analyse") { try AnalysisCache(db: db, reuse: !args.flags.contains("opnieuw")) }
        let (analysed, layer) = try stage("analyse") {
            try ReportBuilder.analyse(db: db, reference: ingestReference, settings: chosen, layer: notebookFolder(args) != nil, cache: cache)
        }
        let reference = try stage("analyse") { try withMaps.value.get() }
        var analysis = analysed
        analysis.placeMap(from: reference)
        if !cache.reused.isEmpty {
            out += "Overgenomen uit de vorige analyse (zelfde bestanden, referentiegegevens, schatter en programma): "
                + "\(cache.reused.map(\.iso).joined(separator: ", ")); opnieuw berekend: "
                + (cache.computed.isEmpty ? "geen" : cache.computed.map(\.iso).joined(separator: ", ")) + "\n"
        }
        for date in analysis.peildata {
            if let m = analysis.matrix(date, analysis.soorten.contains(.po) ? .po : analysis.soorten[0]) {
                report += "\(date) \(m.soort.short): \(Publish.range(m.total)) leerlingen in de matrix van \(analysis.regionName)\n"
            }
        }
        for split in analysis.costSplits {
            report += "Kostenpost \(split.item.name): \(DutchFormat.euro(cents: split.totalCents)) over \(split.lines.count) gemeenten\n"
        }
        for error in analysis.refusedCostItems { report += "Kostenpost niet berekend: \(error)\n" }
        report += formatNewerPeildata(analysis)
        // The report's pages are made while the analyst layer is written and the notebooks run.
        let notebooks = try stage("notitieboeken") { try self.notebooks(args) }
        let links = notebooks.map { NotebookLink(notebook: $0.notebook, slug: $0.slug) }
        let pages = Background { [analysis] in Dashboard.reportPages(analysis, notebooks: links) }
        let runs = try stage("notitieboeken") {
            notebooks.isEmpty ? [] : try run(notebooks, db: db, report: analysis, layer: layer, reference: reference, refresh: true, runKey: key,
                                             keepRows: !args.flags.contains("opnieuw"), out: &report)
        }
        report += "== dashboard\n"
        let site = try stage("dashboard") {
            self.site(pages.value + Dashboard.notebookPages(analysis, runs: runs), notebooks: runs, folder: folder,
                      synthetic: analysis.synthetic)
        }
        report += site.summary
        let manifest = RunManifest(key: key, report: report, analystLayer: try AnalystLayer.runKey(db: db) == key.value, files: site.files)
        try stage("dashboard") { try folder.replace(with: site.files + [(RunKey.manifestName, manifest.json)]) }
        out += report
    }

    /// The manifest of the previous run when that run had the same key and left the output folder as it is now;
    /// a run that wrote the analyst layer counts only when the store's layer is still the one it wrote.
    static func unchangedRun(_ folder: OutputFolder, key: RunKey, db: Database) throws -> RunManifest? {
        guard let manifest = RunManifest.intact(folder.path), manifest.key == key.value else { return nil }
        if manifest.analystLayer, try AnalystLayer.runKey(db: db) != key.value { return nil }
        return manifest
    }

    /// Runs one stage of `run`, so that a failure says where it came from ("ingest: …"); the message itself names
    /// the file. A refused cost item is part of the analysis but reported as "kosten". Usage errors stay usage
    /// errors (exit 64).
    /// With `GRENSVERKEER_TIJDEN` set, every stage step also writes its duration to standard error (for `make bench`).
    static func stage<T>(_ name: String, _ body: () throws -> T) throws -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            if ProcessInfo.processInfo.environment["GRENSVERKEER_TIJDEN"] != nil {
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                FileHandle.standardError.write(Data("tijd \(name): \(DutchFormat.decimal(seconds, decimals: 3)) s\n".utf8))
            }
        }
        do {
            return try body()
        } catch let error as UsageError {
            throw error
        } catch let error as CostRefusal {
            throw StageFailure(stage: "kosten", error: error)
        } catch {
            throw StageFailure(stage: name, error: error)
        }
    }
}

struct StageFailure: Error, CustomStringConvertible {
    let stage: String
    let error: any Error
    var description: String { "\(stage): \(error)" }
}
