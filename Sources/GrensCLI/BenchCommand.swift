import Foundation
import GrensCore
import GrensPipeline
import SQLiteWrap

extension GrensCLI {
    /// `make bench`: ingest a folder into a fresh store (release build) and time the stages, then the analysis.
    static func benchCommand(_ args: Arguments, _ out: inout String) throws {
        guard args.positionals.count == 1, let folder = args.positionals.first else { throw UsageError("geef precies één map met DUO-bestanden op") }
        func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "onbekend"
        out += "Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(cpu), \(ProcessInfo.processInfo.physicalMemory >> 30) GiB\n"
        let reference = try args.reference()
        let path = NSTemporaryDirectory() + "grensverkeer-bench-\(getpid()).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }

        var t = now()
        // Found, then read once (the ingest reads them again: from the page cache, as here).
        let files = try InputFiles.collect([folder])
        let bytes = try files.reduce(0) { $0 + (try $1.read()).count }
        let readTime = now() - t
        let mb = Double(bytes) / 1_048_576

        t = now()
        let db = try Store.open(path: path)
        let clock = IngestClock()
        let report = try Ingest.run(files: files, db: db, reference: reference, clock: clock)
        let ingestTime = now() - t
        let rows = report.rowsAdded

        // The same files again: nothing changed, so nothing is parsed or written.
        t = now()
        let again = IngestClock()
        let unchanged = try Ingest.run(files: files, db: db, reference: reference, clock: again)
        let unchangedTime = now() - t
        guard unchanged.rowsAdded == 0 else { throw StoreError("tweede inleesronde voegde regels toe") }

        t = now()
        let (model, _, _) = try ReportBuilder.loadModel(AnalysisSettings().estimatorPath)
        let flows = try Facts.flowRows(db)
        let loadTime = now() - t
        t = now()
        guard let date = flows.first?.peildatum, flows.allSatisfy({ $0.peildatum == date }) else { throw StoreError("verwacht stromen van één peildatum") }
        let data = EstimatedRows.peildatum(date, rows: flows, model: model)
        let estimationTime = now() - t
        let all = reference.gemeenten.values.filter { $0.exists(on: date) }.map(\.code).sorted()
        let grouping = Grouping(region: "haaglanden", members: reference.members(of: "haaglanden", on: date),
                                neighbours: reference.members(of: "buren-haaglanden", on: date), reference: reference)
        var matrices = 0
        for soort in SoortSelection.allCases { _ = Analysis.matrix(data, peildatum: date, soort: soort, grouping: grouping); matrices += 1 }
        let shares = Analysis.gemeenteShares(data, peildatum: date, soort: .po, codes: all, regionMembers: Set(grouping.members),
                                              swvs: RowSwvs(data, on: date, reference: reference))
        let analysisTime = now() - t

        func f(_ x: Double, _ d: Int = 2) -> String { DutchFormat.decimal(x, decimals: d) }
        out += "Invoer: \(files.count) bestanden, \(DutchFormat.integer(rows)) regels, \(f(mb, 1)) MB\n"
        out += "Lezen van schijf:          \(f(readTime, 3)) s\n"
        out += "Inlezen (ontleden, sha256, SQLite, staging): \(f(ingestTime, 3)) s  = \(f(mb / ingestTime, 1)) MB/s, \(DutchFormat.integer(Int(Double(rows) / ingestTime))) regels/s\n"
        out += "  waarvan sha256 \(f(clock.hash, 3)) s, ontleden en invoegen \(f(clock.insert, 3)) s (het ontleden \(f(clock.parse, 3)) s ernaast, "
            + "op \(max(1, ProcessInfo.processInfo.activeProcessorCount - 1)) andere kern(en)), controles en wijzigingen \(f(clock.changes, 3)) s, staging \(f(clock.staging, 3)) s\n"
        out += "Opnieuw inlezen, niets gewijzigd: \(f(unchangedTime, 3)) s (sha256 \(f(again.hash, 3)) s, ontleden \(f(again.parse, 3)) s, transactie \(f(again.insert + again.changes, 3)) s, staging \(f(again.staging, 3)) s)\n"
        out += "Stromen laden uit SQLite:  \(f(loadTime, 3)) s (\(DutchFormat.integer(flows.count)) regels)\n"
        out += "Schatting + \(matrices) matrices + aandelen voor \(shares.count) gemeenten: \(f(analysisTime, 3)) s\n"
        out += "  waarvan schatting en \(data.drawCount) trekkingen per rij \(f(estimationTime, 3)) s, matrices en aandelen \(f(analysisTime - estimationTime, 3)) s\n"
        out += "Totaal inlezen + analyse:  \(f(ingestTime + loadTime + analysisTime, 3)) s\n"
    }
}
