import Foundation
import GrensCore
import GrensPipeline
import GrensRender
import SQLiteWrap

extension GrensCLI {
    static let analysisOptions: Set<String> = ["db", "referentie", "pc4-tabel", "regio", "buren", "schatter", "kosten", "drempel"]

    static func settings(_ args: Arguments, strictCosts: Bool = false) throws -> AnalysisSettings {
        var s = AnalysisSettings(strictCosts: strictCosts)
        if let r = args.value("regio") { s.region = r }
        if let b = args.value("buren") { s.neighbours = b == "geen" ? nil : b }
        if let e = args.value("schatter") { s.estimatorPath = e }
        if let k = args.value("kosten") { s.costFolder = k == "geen" ? nil : k }
        if let d = args.value("drempel") {
            guard let n = Int(d), n >= 1 else { throw UsageError("--drempel '\(d)' is geen aantal; verwacht een geheel getal ≥ 1") }
            s.teamThreshold = n
        }
        return s
    }

    static func buildReport(_ args: Arguments, strictCosts: Bool = false) throws -> Report {
        try ReportBuilder.build(db: try args.database(), reference: try args.reference(), settings: settings(args, strictCosts: strictCosts))
    }

    /// Writes cost splits: an overview and one CSV per gemeente ("uw aandeel").
    static func costsCommand(_ args: Arguments, _ out: inout String) throws {
        let report = try buildReport(args, strictCosts: true)
        guard !report.costSplits.isEmpty else {
            throw StoreError("geen kostenposten gevonden in \(args.value("kosten") ?? "data/kosten"); zie data/kosten/README.md")
        }
        let folder = args.value("uit") ?? "out/kosten"
        try writeAtomically(Exports.costOverview(report).csv(), to: folder + "/kosten-overzicht.csv")
        let gemeenten = Exports.costGemeenten(report)
        for code in gemeenten {
            try writeAtomically(Exports.costs(report, gemeente: code).csv(), to: folder + "/kosten-\(code).csv")
        }
        for split in report.costSplits {
            let sum = split.lines.reduce(0) { $0 + $1.cents }
            out += "\(split.item.name) (\(split.item.key.rawValue), peildatum \(split.item.peildatum)): \(DutchFormat.euro(cents: split.totalCents)) over \(split.lines.count) gemeenten; som \(DutchFormat.euro(cents: sum))\n"
        }
        out += "Geschreven: \(folder)/kosten-overzicht.csv en \(gemeenten.count) bestanden kosten-<gemeentecode>.csv\n"
    }

    /// Writes the team-connection lists: per school its pupils' home gemeenten; per gemeente the schools elsewhere.
    static func teamsCommand(_ args: Arguments, _ out: inout String) throws {
        var settings = try settings(args)
        settings.costFolder = nil
        let report = try ReportBuilder.build(db: try args.database(), reference: try args.reference(), settings: settings)
        let folder = args.value("uit") ?? "out/teams"
        let bySchool = Exports.teamsBySchool(report), byGemeente = Exports.teamsByGemeente(report)
        try writeAtomically(bySchool.csv(), to: folder + "/teams-scholen.csv")
        try writeAtomically(byGemeente.csv(), to: folder + "/teams-gemeenten.csv")
        out += "Geschreven: \(folder)/teams-scholen.csv (\(bySchool.rows.count) regels) en \(folder)/teams-gemeenten.csv (\(byGemeente.rows.count) regels; drempel \(report.teamThreshold) leerlingen)\n"
    }

    /// The peildata and soorten a command is filtered to (default: all).
    static func filters(_ args: Arguments, _ report: Report) throws -> ([Peildatum], [SoortSelection]) {
        var dates = report.peildata
        if let p = try args.peildatum() {
            guard dates.contains(p) else {
                throw UsageError("peildatum \(p) staat niet in de database (aanwezig: \(dates.map(\.iso).joined(separator: ", ")))")
            }
            dates = [p]
        }
        var soorten = report.soorten
        let asked = args.values("soort")
        if !asked.isEmpty {
            soorten = try asked.map { word in
                guard let s = SoortSelection(rawValue: word.lowercased()) else {
                    throw UsageError("--soort '\(word)' is onbekend; verwacht \(SoortSelection.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return s
            }
        }
        return (dates, soorten)
    }

    static func emit(_ table: ExportTable, _ args: Arguments, _ out: inout String) throws {
        let format = args.value("formaat") ?? "csv"
        let text: String
        switch format {
        case "csv": text = table.csv()
        case "md", "markdown": text = table.markdown()
        case "json": text = table.json()
        default: throw UsageError("--formaat '\(format)' is onbekend; verwacht csv, md of json")
        }
        if let path = args.value("uit") {
            try writeAtomically(text, to: path)
            out += "Geschreven: \(path) (\(table.rows.count) regels)\n"
        } else {
            out += text
        }
    }

    static func matrixCommand(_ args: Arguments, _ out: inout String) throws {
        let report = try buildReport(args)
        let (dates, soorten) = try filters(args, report)
        let matrices = report.matrices.filter { dates.contains($0.peildatum) && soorten.contains($0.soort) }
        try emit(Exports.flows(report, matrices: matrices), args, &out)
    }

    static func sharesCommand(_ args: Arguments, _ out: inout String) throws {
        let report = try buildReport(args)
        let (dates, soorten) = try filters(args, report)
        if args.value("niveau") == "swv" {
            let rows = dates.flatMap { d in (report.swvShares[d] ?? []).filter { soorten.contains($0.soort) }.map { (d, $0) } }
            try emit(Exports.swvShares(report, rows), args, &out)
        } else {
            guard args.value("niveau") == nil || args.value("niveau") == "gemeente" else {
                throw UsageError("--niveau verwacht gemeente of swv")
            }
            let rows = dates.flatMap { d in (report.gemeenteShares[d] ?? []).filter { soorten.contains($0.soort) }.map { (d, $0) } }
            try emit(Exports.gemeenteShares(report, rows), args, &out)
        }
    }

    static func dashboardCommand(_ args: Arguments, _ out: inout String) throws {
        let report = try buildReport(args)
        out += try writeSite(report, folder: args.value("uit") ?? Defaults.site)
    }

    /// Writes the site into a fresh folder next to the target and swaps it in, so a failed run never leaves
    /// half a site behind.
    static func writeSite(_ report: Report, folder: String) throws -> String {
        let pages = Dashboard.render(report)
        let fm = FileManager.default
        let staging = folder + ".nieuw"
        try? fm.removeItem(atPath: staging)
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        var bytes = 0
        for page in pages {
            let path = staging + "/" + page.path
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(page.html.utf8).write(to: URL(fileURLWithPath: path))
            bytes += page.html.utf8.count
        }
        try? fm.removeItem(atPath: folder)
        try fm.moveItem(atPath: staging, toPath: folder)
        let synthetic = report.synthetic ? " — SYNTHETISCHE GEGEVENS" : ""
        return "Dashboard: \(pages.count) pagina's (\(DutchFormat.integer(bytes / 1024)) kB) in \(folder)/index.html\(synthetic)\n"
    }

    static func writeAtomically(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The main job: ingest (the embedded synthetic sample when no --duo is given), analyse, write the dashboard.
    static func runCommand(_ args: Arguments, _ out: inout String) throws {
        let inputs = args.values("duo")
        let reference = try args.reference()
        let files = try InputFiles.collect(inputs.isEmpty ? [Defaults.sample] : inputs)
        let db = try args.database(default: inputs.isEmpty ? Defaults.sampleDatabase : Defaults.database)
        out += "== ingest\n"
        let ingest = try Ingest.run(files: files, db: db, reference: reference, peildatum: try args.peildatum(),
                                    replacePartial: args.flags.contains("vervang"))
        out += formatIngestReport(ingest, reference: reference)
        out += "== analyse\n"
        let report = try ReportBuilder.build(db: db, reference: reference, settings: try settings(args))
        for date in report.peildata {
            if let m = report.matrix(date, report.soorten.contains(.po) ? .po : report.soorten[0]) {
                out += "\(date) \(m.soort.short): \(Publish.range(m.total)) leerlingen in de matrix van \(report.regionName)\n"
            }
        }
        for split in report.costSplits {
            out += "Kostenpost \(split.item.name): \(DutchFormat.euro(cents: split.totalCents)) over \(split.lines.count) gemeenten\n"
        }
        for note in report.notes where note.hasPrefix("Kostenpost niet berekend") { out += note + "\n" }
        out += "== dashboard\n"
        out += try writeSite(report, folder: args.value("uit") ?? Defaults.site)
    }
}
