import Foundation
import GrensCore
import SQLiteWrap

public enum Ingest {
    /// What the parsing threads hand the writer for one file: the file described (with its rows), its header line,
    /// size and sha256, its rows' cells texts and sums, and for a flow file the number of rows of each home.
    struct Parsed: Sendable {
        let file: ParsedFile, header: [String], bytes: Int, sha256: String, cells: RawCount.Cells, homes: [Staging.Home: Int]
    }

    /// Hashes every file that may be stored already (a stored file has its size), then in one transaction parses
    /// the files the store does not hold yet, on the other cores and up to `parsedAhead` bytes of files ahead, while writing
    /// each one's rows as soon as it is parsed, in file order: only those files' bytes and rows are held at a time (a file
    /// hashed first is read again to be parsed, and must still have the sha256 it was hashed with; the others are
    /// hashed as they are read to be parsed). A parse error stops the writing (the other files are still parsed, so every
    /// error is reported); then the run is checked as a whole (files of the run that cover the same rows, synthetic
    /// and real data mixed, stored files replaced in part) and any error rolls everything back. Then the change
    /// report is made from the stored rows, the files the run replaces go, and `stg_home` is restaged for the
    /// peildata that changed. `clock`, when given, gets the time of each stage.
    /// The bytes of input files parsed ahead of the writing, at most (one file larger than this is parsed alone).
    static let parsedAhead = 4 << 20

    public static func run(files: [InputFile], db: Database, reference: Reference, peildatum: Peildatum? = nil,
                           replacePartial: Bool = false, clock: IngestClock? = nil) throws -> IngestReport {
        // A file whose sha256 is stored is a no-op: what the run needs of it (kind, peildatum, scope) comes from
        // the store.
        var t = IngestClock.now()
        let hashed = hashAll(files, storedSizes: Set(try db.rows("SELECT DISTINCT bytes FROM source_file").map { try $0.int(0) }))
        let hashes = hashed.map { (try? $0?.get()) ?? "" }
        let stored = try storedDescriptions(db: db)
        var known: [Int: ParsedFile] = [:]
        for (i, file) in files.enumerated() where !hashes[i].isEmpty {
            known[i] = describe(stored[hashes[i]], name: file.name, peildatum: peildatum)
        }
        clock?.hash += IngestClock.now() - t
        var report = IngestReport()
        try db.transaction {
            t = IngestClock.now()
            let storedHashes = Set(try db.rows("SELECT sha256 FROM source_file").map { try $0.text(0) })
            // A file described from the store must still be there: another process may have replaced it since.
            for (i, file) in files.enumerated() where known[i] != nil && !storedHashes.contains(hashes[i]) {
                throw StoreError("de database \(db.path) is tijdens het inlezen door een ander proces gewijzigd (\(file.name) is er niet meer); de database is niet gewijzigd, probeer het opnieuw")
            }
            let storedSynthetic = Set(try db.rows("SELECT DISTINCT synthetic FROM source_file").map { try $0.int(0) })
            try db.execute("INSERT INTO ingest_run(started_at, files_seen, files_added, files_replaced, files_unchanged, files_empty, rows_added) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0, 0, 0, 0, 0, 0)")
            let runID = db.lastInsertRowID
            let insertFile = try db.prepare("""
                INSERT INTO source_file(sha256, name, path, bytes, dataset, layout, encoding, peildatum, rows, synthetic, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertScope = try db.prepare("INSERT INTO source_file_scope(file_id, school_gemeente) VALUES (?, ?)")
            let insertRow = try db.prepare(RawCount.insert)

            // 1. Parse ahead, write in order. `work`: the files with data, described (their rows are let go once
            // written); `ids`: the stored id of each fresh file in `work`.
            var errors: [InputError] = []
            var empties: [Int] = []
            var work: [(InputFile, ParsedFile, String)] = []
            var headers: [[String]] = []
            var ids: [Int64?] = []
            // The bounds of each file's rows together, for the change report of a part with nothing to compare with.
            var pupils: [Bounds] = []
            var written: Set<String> = []
            // The first new peildatum that has an earlier one in the store is compared with it while the files are
            // written (the usual yearly refresh); every other part once they are.
            var streamed: [String: StreamedComparison] = [:]
            var seen: Set<String> = []
            defer { for comparison in streamed.values { comparison.cancel() } }
            let workers = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
            let parse = Unchecked(value: (files, known, hashed))
            // The homes of the flow files written, counted per peildatum as they were parsed (for `stg_home`).
            var writtenHomes: [String: [Staging.Home: Int]] = [:]
            // Files a few megabytes ahead of the writing, so a large file is parsed while the writer still has the
            // smaller ones before it (held: those files' bytes and rows, about four times their size).
            try orderedPipeline(files.count, workers: workers, window: 64, weight: files.map(\.size), budget: Self.parsedAhead,
                                produce: { i -> Result<Parsed?, InputError> in
                let (files, known, hashed) = parse.value
                if let described = known[i] { return .success(Parsed(file: described, header: [], bytes: files[i].size, sha256: hashes[i], cells: RawCount.Cells([]), homes: [:])) }
                let start = IngestClock.now()
                defer { clock?.addParse(IngestClock.now() - start) }
                do {
                    let first = try hashed[i]?.get(), bytes = try files[i].read(), hash = sha256Hex(bytes)
                    if let first, first != hash {
                        throw InputError(file: files[i].name, line: nil, column: nil,
                                         message: "is gewijzigd terwijl het werd ingelezen; verwacht een bestand dat niet meer verandert (lees het opnieuw in)")
                    }
                    return .success(try parseSource(bytes: bytes, file: files[i].name, peildatum: peildatum).map {
                        Parsed(file: $0, header: Changes.headerLine(bytes), bytes: bytes.count, sha256: hash, cells: RawCount.Cells($0.rows),
                               homes: Dataset.flows.contains($0.layout.dataset) ? Staging.homeCounts($0.rows) : [:])
                    })
                } catch {
                    return .failure(error as? InputError ?? InputError(file: files[i].name, line: nil, column: nil, message: "kan niet worden gelezen (\(error))"))
                }
            }, consume: { i, result in
                let file = files[i]
                switch result {
                case .failure(let error): errors.append(error)
                case .success(nil): empties.append(i)
                case .success(let parsed?):
                    let (p, header, size, hash, cells) = (parsed.file, parsed.header, parsed.bytes, parsed.sha256, parsed.cells)
                    // Written only while the run has no error, and once per content: a second copy of a file
                    // gets the overlap error below.
                    var id: Int64?
                    if errors.isEmpty && !storedHashes.contains(hash) && written.insert(hash).inserted {
                        try insertFile.run([.text(hash), .text(file.name), .text(file.path), .int(Int64(size)),
                                            .text(p.layout.dataset.rawValue), .text(p.layout.id), .text(p.encoding.rawValue),
                                            .text(p.peildatum.iso), .int(Int64(p.rowCount)), .int(file.synthetic ? 1 : 0), .int(runID)])
                        id = db.lastInsertRowID
                        for code in p.scope { try insertScope.run([.int(id!), .text(code)]) }
                        try RawCount.insert(p, cells: cells, fileID: id!, statement: insertRow)
                        writtenHomes[p.peildatum.iso, default: [:]].merge(parsed.homes, uniquingKeysWith: +)
                        let key = Changes.partKey(p)
                        if seen.insert(key).inserted, streamed.isEmpty,
                           case .earlier(let earlier) = try Changes.baseline(db, p.layout.dataset, p.peildatum, before: runID) {
                            streamed[key] = StreamedComparison(path: db.path, dataset: p.layout.dataset, peildatum: p.peildatum, earlier: earlier,
                                                               run: runID, reference: reference)
                        }
                        streamed[key]?.add(file: file.name, rows: p.rows, cells: cells)
                    }
                    work.append((file, p.withoutRows, hash))
                    headers.append(header)
                    ids.append(id)
                    pupils.append(cells.total)
                }
            })
            clock?.insert += IngestClock.now() - t
            t = IngestClock.now()

            // 2. The run as a whole. Two files may not cover the same rows.
            var claimed: [String: String] = [:]
            for (file, p, _) in work {
                for g in p.scope {
                    let key = "\(p.layout.dataset.rawValue)|\(p.peildatum)|\(g)"
                    if let other = claimed[key] {
                        errors.append(InputError(file: file.name, line: nil, column: nil,
                                                 message: "bevat dezelfde gegevens (\(p.layout.dataset.title), peildatum \(p.peildatum), schoolgemeente \(g)) als \(other); verwacht elk deel één keer"))
                    } else { claimed[key] = file.name }
                }
            }
            // Synthetic and real data never share a store: one mixed-up file would make every figure fiction.
            for (file, _, _) in work where storedSynthetic.contains(file.synthetic ? 0 : 1) {
                errors.append(InputError(file: file.name, line: nil, column: nil,
                                         message: file.synthetic
                                            ? "synthetische gegevens, maar de database bevat echte DUO-bestanden; gebruik een andere --db"
                                            : "echte gegevens, maar de database bevat synthetische voorbeeldbestanden; gebruik een andere --db"))
            }
            guard errors.isEmpty else { throw IngestFailure(errors: errors) }

            // 3. Plan against the files stored before this run. The new files of one dataset × peildatum together
            // replace every stored file whose school gemeenten they cover between them (a corrected file, a wider
            // file, or the narrower files a wider one once replaced). A stored file they cover only in part would
            // take its other school gemeenten's data with it: that needs `replacePartial`. Stored files of one
            // dataset × peildatum never overlap, so ingesting the files that went out again always brings back what
            // the store held.
            let fresh = work.indices.filter { ids[$0] != nil }
            var covered: [String: Set<String>] = [:]
            for i in fresh { covered[Changes.partKey(work[i].1), default: []].formUnion(work[i].1.scope) }
            var replacements: [(id: Int, file: ReplacedFile, by: [Int])] = []
            var planned: Set<Int> = []
            // The stored files of each dataset × peildatum, read once for all the run's files of it.
            var storedOfPart: [String: [(id: Int, name: String, sha256: String, rows: Int, scope: [String])]] = [:]
            for i in fresh {
                let p = work[i].1
                let part = Changes.partKey(p)
                if storedOfPart[part] == nil {
                    storedOfPart[part] = try storedFiles(db: db, dataset: p.layout.dataset, peildatum: p.peildatum, before: runID)
                }
                for stored in storedOfPart[part]! {
                    let scope = stored.scope
                    guard !Set(scope).isDisjoint(with: p.scope), planned.insert(stored.id).inserted else { continue }
                    let by = fresh.filter { Changes.partKey(work[$0].1) == Changes.partKey(p) && !Set(work[$0].1.scope).isDisjoint(with: scope) }
                    let file = ReplacedFile(name: stored.name, sha256: stored.sha256, dataset: p.layout.dataset, peildatum: p.peildatum,
                                            scope: scope, rows: stored.rows, replacedBy: by.map { work[$0].0.name },
                                            lostScope: scope.filter { covered[Changes.partKey(p)]?.contains($0) != true })
                    if file.lostScope.isEmpty || replacePartial {
                        replacements.append((stored.id, file, by))
                    } else {
                        errors.append(InputError(file: work[i].0.name, line: nil, column: nil, message: """
                            overlapt gedeeltelijk met het eerder ingelezen \(file.name) (sha256 \(file.sha256.prefix(12))…, \(schoolGemeenten(file.scope))): \
                            \(schoolGemeenten(file.lostScope)) \(file.lostScope.count == 1 ? "ontbreekt" : "ontbreken") in de bestanden van deze ronde; \
                            verwacht bestanden die samen alle schoolgemeenten van het eerdere bestand bevatten (lees de ontbrekende mee in), \
                            of gebruik --vervang om het toch te vervangen: dan verdwijnen de gegevens van \(schoolGemeenten(file.lostScope)) \
                            (\(file.dataset.title), peildatum \(file.peildatum))
                            """))
                    }
                }
            }
            guard errors.isEmpty else { throw IngestFailure(errors: errors) }
            report.replacedFiles = replacements.map(\.file)

            // 4. What the run changes, from the stored rows, while the files it replaces are still there (a new year
            // may still be being compared with the one before). They are kept in the history (their rows go), so
            // nothing that was ever ingested is forgotten.
            let changes = try Changes.record(db: db, run: runID, fresh: fresh.map {
                Changes.Written(name: work[$0].0.name, parsed: work[$0].1, sha256: work[$0].2, id: ids[$0]!, header: headers[$0], pupils: pupils[$0])
            },
                                                replaced: replacements.map(\.id), reference: reference, streamed: streamed)
            let keep = try db.prepare("""
                INSERT INTO source_file_history(sha256, name, path, bytes, dataset, layout, encoding, peildatum, scope, rows, synthetic,
                    run_id, replaced_run, replaced_by, lost_scope)
                SELECT sha256, name, path, bytes, dataset, layout, encoding, peildatum, ?, rows, synthetic, run_id, ?, ?, ?
                FROM source_file WHERE id = ?
                """)
            for r in replacements {
                try keep.run([.text(r.file.scope.joined(separator: ",")), .int(runID), .text(r.by.map { work[$0].2 }.joined(separator: ",")),
                              .text(r.file.lostScope.joined(separator: ",")), .int(Int64(r.id))])
                try db.execute("DELETE FROM source_file WHERE id = \(r.id)")
            }

            // 5. The report and the log, in file order (empty files first in the report, last in the log).
            var log: [(IngestLogLevel, String, String)] = []
            for i in empties {
                report.files.append(.init(name: files[i].name, outcome: .empty, dataset: nil, layout: nil, encoding: nil, peildatum: nil))
            }
            for (index, (file, p, hash)) in work.enumerated() {
                if ids[index] == nil {
                    report.files.append(.init(name: file.name, outcome: .unchanged, dataset: p.layout.dataset, layout: p.layout.id, encoding: p.encoding, peildatum: p.peildatum))
                    log.append((.unchanged, file.name, "al aanwezig (sha256 \(hash.prefix(12))…); niets gewijzigd"))
                    continue
                }
                let previous = replacements.filter { $0.by.contains(index) }.map(\.file)
                if previous.isEmpty {
                    report.files.append(.init(name: file.name, outcome: .added(rows: p.rowCount), dataset: p.layout.dataset, layout: p.layout.id, encoding: p.encoding, peildatum: p.peildatum))
                    log.append((.info, file.name, "\(p.rowCount) regels toegevoegd (\(p.layout.id), \(p.encoding.rawValue), peildatum \(p.peildatum))"))
                } else {
                    report.files.append(.init(name: file.name, outcome: .replaced(rows: p.rowCount, previous: previous.map(\.name)), dataset: p.layout.dataset, layout: p.layout.id, encoding: p.encoding, peildatum: p.peildatum))
                    log.append((.replaced, file.name, "vervangt \(previous.map(\.summary).joined(separator: "; ")); \(p.rowCount) regels"))
                }
            }
            for i in empties { log.append((.warning, files[i].name, "leeg bestand (0 gegevensregels); overgeslagen")) }
            let logStatement = try db.prepare("INSERT INTO ingest_log(run_id, seq, level, file, message) VALUES (?, ?, ?, ?, ?)")
            for (seq, entry) in log.enumerated() {
                try logStatement.run([.int(runID), .int(Int64(seq + 1)), .text(entry.0.rawValue), .text(entry.1), .text(entry.2)])
            }
            try db.execute("""
                UPDATE ingest_run SET files_seen = \(files.count),
                    files_added = \(report.count { if case .added = $0 { return true }; return false }),
                    files_replaced = \(report.count { if case .replaced = $0 { return true }; return false }),
                    files_unchanged = \(report.count { $0 == .unchanged }),
                    files_empty = \(report.count { $0 == .empty }),
                    rows_added = \(report.rowsAdded)
                WHERE id = \(runID)
                """)
            clock?.changes += IngestClock.now() - t
            t = IngestClock.now()
            // Only the peildata that got or lost files are regrouped; the homes of the others are kept and
            // resolved again against this run's reference data.
            let changed = Set(fresh.map { work[$0].1.peildatum.iso } + replacements.map { $0.file.peildatum.iso })
            try Staging.refreshHomes(db: db, reference: reference, changed: changed, run: runID, written: writtenHomes)
            try Staging.checkEveryFlowRowStaged(db: db, peildata: changed)
            // The new year's comparison with the one before it ran beside the writing and the staging; it is
            // stored with the run, in its transaction.
            report.changes = try changes.finish(db: db, run: runID)
        }
        try Staging.describe(db: db, reference: reference, into: &report)
        clock?.staging += IngestClock.now() - t
        return report
    }

    /// The stored files of a dataset and peildatum with their school gemeenten.
    /// `before`: only the files of earlier runs (not those the running one wrote).
    static func storedFiles(db: Database, dataset: Dataset, peildatum: Peildatum, before run: Int64) throws -> [(id: Int, name: String, sha256: String, rows: Int, scope: [String])] {
        var files: [(id: Int, name: String, sha256: String, rows: Int, scope: [String])] = []
        for row in try db.rows("""
            SELECT f.id, f.name, f.sha256, f.rows, s.school_gemeente FROM source_file f JOIN source_file_scope s ON s.file_id = f.id
            WHERE f.dataset = ? AND f.peildatum = ? AND f.run_id < ? ORDER BY f.name, f.id, s.school_gemeente
            """, [.text(dataset.rawValue), .text(peildatum.iso), .int(run)]) {
            let id = try row.int(0)
            if files.last?.id != id { files.append((id, try row.text(1), try row.text(2), try row.int(3), [])) }
            files[files.count - 1].scope.append(try row.text(4))
        }
        return files
    }
}

/// The time an ingest run spent per stage (seconds), for `grensverkeer bench`.
public final class IngestClock: @unchecked Sendable {
    /// `parse`: the parsing threads' time together (beside the writing); `insert`: parsing ahead and writing, until
    /// the last file is written; `changes`: checks, plan, change report and log.
    public var hash = 0.0, parse = 0.0, insert = 0.0, changes = 0.0, staging = 0.0
    private let lock = NSLock()
    public init() {}
    func addParse(_ seconds: Double) { lock.lock(); parse += seconds; lock.unlock() }
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
