import Foundation
import GrensCore
import GrensPipeline
import GrensRender
import SQLiteWrap

extension GrensCLI {
    /// `grensverkeer notitieboek`: refreshes the analyst layer and writes the site with the given notebooks
    /// (default: every notebook in notebooks-md/).
    static func notebookCommand(_ args: Arguments, _ out: inout String) throws {
        let reference = try args.reference()
        let sources = args.positionals.isEmpty ? [Defaults.notebooks] : args.positionals
        let notebooks = try NotebookFiles.load(sources)
        guard !notebooks.isEmpty else { throw UsageError("geen notitieboeken (*.md) gevonden in \(sources.joined(separator: ", "))") }
        // The layer is written when the store can be written; a write-protected store is read as it is.
        let path = args.storePath()
        let writable = FileManager.default.fileExists(atPath: path) && access(path, W_OK) == 0
        let db = try args.database(writable ? .write : .read)
        let synthetic = try db.scalar("SELECT coalesce(max(synthetic), 0) FROM source_file")?.int == 1
        let folder = try outputFolder(args, "notitieboeken", synthetic: synthetic, inputs: sources, store: path)
        let (report, layer) = try ReportBuilder.analyse(db: db, reference: reference, settings: settings(args), layer: writable,
                                                        cache: writable ? try AnalysisCache(db: db) : nil)
        let runs = try run(notebooks, db: db, report: report, layer: layer, reference: reference, refresh: writable, out: &out)
        out += try writeSite(report, notebooks: runs, folder: folder)
    }

    /// The notebooks of `--notitieboeken MAP` (default notebooks-md/ when it exists; `geen`: none), for `run` and
    /// `dashboard`.
    static func notebooks(_ args: Arguments) throws -> [(notebook: Notebook, slug: String)] {
        try notebookFolder(args).map { try NotebookFiles.load([$0]) } ?? []
    }

    /// The notebooks of `dashboard`, which never writes the store: they run only when the analyst layer belongs to
    /// the files in the store.
    static func notebookRuns(_ args: Arguments, db: Database, report: Report, reference: Reference, out: inout String) throws -> [NotebookRun] {
        let notebooks = try notebooks(args)
        guard !notebooks.isEmpty else { return [] }
        if try !AnalystLayer.isCurrent(db: db) {
            out += "Notitieboeken overgeslagen: de analistenlaag hoort niet bij de bestanden in de database; draai grensverkeer run of grensverkeer notitieboek\n"
            return []
        }
        return try run(notebooks, db: db, report: report, layer: [], reference: reference, refresh: false, out: &out)
    }

    /// The folder of `--notitieboeken` (default notebooks-md/ when it exists); nil for `geen` or no folder.
    static func notebookFolder(_ args: Arguments) -> String? {
        let choice = args.value("notitieboeken")
        if choice == "geen" { return nil }
        let folder = choice ?? Defaults.notebooks
        if choice == nil && !FileManager.default.fileExists(atPath: folder) { return nil }
        return folder
    }

    /// Writes the analyst layer (`refresh`, on a write connection; `keepRows`: the rows of years it holds under the
    /// same analysis key stay) or checks that it belongs to the files in the store, then runs every notebook on its
    /// own guarded, read-only connection.
    static func run(_ notebooks: [(notebook: Notebook, slug: String)], db: Database, report: Report, layer: [AnalystLayer.Year],
                    reference: Reference, refresh: Bool, runKey: RunKey? = nil, keepRows: Bool = true, out: inout String) throws -> [NotebookRun] {
        if refresh {
            try AnalystLayer.write(db: db, years: layer, report: report, reference: reference, runKey: runKey?.value, keepRows: keepRows)
        } else if try !AnalystLayer.isCurrent(db: db) {
            throw StoreError("de analistenlaag in \(db.path) hoort niet bij de bestanden en de database kan niet worden beschreven; notitieboeken hebben een actuele laag nodig (draai grensverkeer run met schrijfrecht)")
        }
        // Each notebook on its own read-only connection, side by side on all cores; reported in their order.
        let path = db.path
        let results = concurrentMap(notebooks.count) { i in
            Result { try NotebookRunner.run(notebooks[i].notebook, storePath: path, slug: notebooks[i].slug) }
        }
        var runs: [NotebookRun] = []
        for ((notebook, _), result) in zip(notebooks, results) {
            let run = try result.get()
            let failed = notebook.queries.filter { if case .failed? = run.outcomes[$0.name] { return true }; return false }
            out += "Notitieboek \(notebook.file): \(notebook.queries.count == 1 ? "1 SQL-blok" : "\(notebook.queries.count) SQL-blokken")" + (failed.isEmpty ? "" : ", \(failed.count) met een fout") + "\n"
            for query in failed { if case .failed(let error)? = run.outcomes[query.name] { out += "  fout: \(error)\n" } }
            runs.append(run)
        }
        return runs
    }
}
