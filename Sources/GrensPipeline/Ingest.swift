import Foundation
import GrensCore
import SQLiteWrap

/// Files with the same key hold the same kind of data and may replace one another.
private func partKey(_ p: ParsedFile) -> String { "\(p.layout.dataset.rawValue)|\(p.peildatum.iso)" }

public enum Ingest {
    /// Hashes every file, parses those the store does not hold yet; writes only when all parsed, in one
    /// transaction; then restages `stg_home` for the peildata that changed. `clock`, when given, gets the time of
    /// each stage.
    public static func run(files: [InputFile], db: Database, reference: Reference, peildatum: Peildatum? = nil,
                           replacePartial: Bool = false, clock: IngestClock? = nil) throws -> IngestReport {
        // 1. Hash everything, then parse what the store does not hold (two cores: files are independent). A file
        // whose sha256 is stored is a no-op: what the run needs of it (kind, peildatum, scope) comes from the store.
        var t = IngestClock.now()
        let hashes = hashAll(files)
        let known = try storedDescriptions(db: db, files: files, hashes: hashes, peildatum: peildatum)
        clock?.hash += IngestClock.now() - t
        t = IngestClock.now()
        let parsed = parseAll(files, peildatum: peildatum, known: known)
        clock?.parse += IngestClock.now() - t
        t = IngestClock.now()
        var errors: [InputError] = []
        var report = IngestReport()
        var work: [(InputFile, ParsedFile, String)] = []
        var described: [Bool] = []
        for (index, (file, result)) in zip(files, parsed).enumerated() {
            switch result {
            case .failure(let error): errors.append(error)
            case .success(nil):
                report.files.append(.init(name: file.name, outcome: .empty, dataset: nil, layout: nil, encoding: nil, peildatum: nil))
            case .success(let p?): work.append((file, p, hashes[index])); described.append(known[index] != nil)
            }
        }
        // 2. Check overlaps within the run: two files may not cover the same rows.
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
        let stored = Set(try db.rows("SELECT DISTINCT synthetic FROM source_file").map { try $0.int(0) })
        for (file, _, _) in work where stored.contains(file.synthetic ? 0 : 1) {
            errors.append(InputError(file: file.name, line: nil, column: nil,
                                     message: file.synthetic
                                        ? "synthetische gegevens, maar de database bevat echte DUO-bestanden; gebruik een andere --db"
                                        : "echte gegevens, maar de database bevat synthetische voorbeeldbestanden; gebruik een andere --db"))
        }
        guard errors.isEmpty else { throw IngestFailure(errors: errors) }

        // 3. One transaction: plan against the store, refuse or write.
        try db.transaction {
            // A file whose sha256 is stored is a no-op. The new files of one dataset × peildatum together replace
            // every stored file whose school gemeenten they cover between them (a corrected file, a wider file, or the
            // narrower files a wider one once replaced). A stored file they cover only in part would take its other
            // school gemeenten's data with it: that needs `replacePartial`. Stored files of one dataset × peildatum
            // never overlap, so ingesting the files that went out again always brings back what the store held.
            let storedHashes = Set(try db.rows("SELECT sha256 FROM source_file").map { try $0.text(0) })
            // A file described from the store must still be there: another process may have replaced it since.
            for (i, (file, _, hash)) in work.enumerated() where described[i] && !storedHashes.contains(hash) {
                throw StoreError("de database \(db.path) is tijdens het inlezen door een ander proces gewijzigd (\(file.name) is er niet meer); de database is niet gewijzigd, probeer het opnieuw")
            }
            let fresh = work.indices.filter { !storedHashes.contains(work[$0].2) }
            var covered: [String: Set<String>] = [:]
            for i in fresh { covered[partKey(work[i].1), default: []].formUnion(work[i].1.scope) }
            var replacements: [(id: Int, file: ReplacedFile, by: [Int])] = []
            var planned: Set<Int> = []
            for i in fresh {
                let p = work[i].1
                for stored in try storedFiles(db: db, dataset: p.layout.dataset, peildatum: p.peildatum) {
                    let scope = stored.scope
                    guard !Set(scope).isDisjoint(with: p.scope), planned.insert(stored.id).inserted else { continue }
                    let by = fresh.filter { partKey(work[$0].1) == partKey(p) && !Set(work[$0].1.scope).isDisjoint(with: scope) }
                    let file = ReplacedFile(name: stored.name, sha256: stored.sha256, dataset: p.layout.dataset, peildatum: p.peildatum,
                                            scope: scope, rows: stored.rows, replacedBy: by.map { work[$0].0.name },
                                            lostScope: scope.filter { covered[partKey(p)]?.contains($0) != true })
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

            try db.execute("INSERT INTO ingest_run(started_at, files_seen, files_added, files_replaced, files_unchanged, files_empty, rows_added) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0, 0, 0, 0, 0, 0)")
            let runID = db.lastInsertRowID
            // What the run changes, recorded with it before anything stored goes.
            let changes = try Changes.record(db: db, run: runID, fresh: fresh.map { (work[$0].0, work[$0].1, work[$0].2) },
                                             replaced: replacements.map(\.id), reference: reference)
            // Also when the run fails: its reader is done before the store is handed back.
            defer { changes.wait() }
            // Replaced files are kept in the history (their rows go), so nothing that was ever ingested is forgotten.
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
            let insertFile = try db.prepare("""
                INSERT INTO source_file(sha256, name, path, bytes, dataset, layout, encoding, peildatum, rows, synthetic, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertScope = try db.prepare("INSERT INTO source_file_scope(file_id, school_gemeente) VALUES (?, ?)")
            let insertRow = try db.prepare(RawCount.insert)
            var log: [(IngestLogLevel, String, String)] = []

            for (index, (file, p, hash)) in work.enumerated() {
                if storedHashes.contains(hash) {
                    report.files.append(.init(name: file.name, outcome: .unchanged, dataset: p.layout.dataset, layout: p.layout.id, encoding: p.encoding, peildatum: p.peildatum))
                    log.append((.unchanged, file.name, "al aanwezig (sha256 \(hash.prefix(12))…); niets gewijzigd"))
                    continue
                }
                try insertFile.run([.text(hash), .text(file.name), .text(file.path), .int(Int64(file.bytes.count)),
                                    .text(p.layout.dataset.rawValue), .text(p.layout.id), .text(p.encoding.rawValue),
                                    .text(p.peildatum.iso), .int(Int64(p.rows.count)), .int(file.synthetic ? 1 : 0), .int(runID)])
                let fileID = db.lastInsertRowID
                for code in p.scope { try insertScope.run([.int(fileID), .text(code)]) }
                try RawCount.insert(p, fileID: fileID, statement: insertRow)
                let previous = replacements.filter { $0.by.contains(index) }.map(\.file)
                if previous.isEmpty {
                    report.files.append(.init(name: file.name, outcome: .added(rows: p.rows.count), dataset: p.layout.dataset, layout: p.layout.id, encoding: p.encoding, peildatum: p.peildatum))
                    log.append((.info, file.name, "\(p.rows.count) regels toegevoegd (\(p.layout.id), \(p.encoding.rawValue), peildatum \(p.peildatum))"))
                } else {
                    report.files.append(.init(name: file.name, outcome: .replaced(rows: p.rows.count, previous: previous.map(\.name)), dataset: p.layout.dataset, layout: p.layout.id, encoding: p.encoding, peildatum: p.peildatum))
                    log.append((.replaced, file.name, "vervangt \(previous.map(\.summary).joined(separator: "; ")); \(p.rows.count) regels"))
                }
            }
            for line in report.files where line.outcome == .empty {
                log.append((.warning, line.name, "leeg bestand (0 gegevensregels); overgeslagen"))
            }

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
            clock?.insert += IngestClock.now() - t
            t = IngestClock.now()
            // Only the peildata that got or lost files are regrouped; the homes of the others are kept and
            // resolved again against this run's reference data.
            let changed = Set(fresh.map { work[$0].1.peildatum.iso } + replacements.map { $0.file.peildatum.iso })
            try Staging.refreshHomes(db: db, reference: reference, changed: changed)
            try Staging.checkEveryFlowRowStaged(db: db, peildata: changed)
            // A new year's comparison with the earlier one ran beside the inserts and the staging; it is stored
            // with the run, in its transaction.
            report.changes = try changes.finish(db: db, run: runID)
        }
        try Staging.describe(db: db, reference: reference, into: &report)
        clock?.staging += IngestClock.now() - t
        return report
    }

    /// The stored files of a dataset and peildatum with their school gemeenten.
    static func storedFiles(db: Database, dataset: Dataset, peildatum: Peildatum) throws -> [(id: Int, name: String, sha256: String, rows: Int, scope: [String])] {
        var files: [(id: Int, name: String, sha256: String, rows: Int, scope: [String])] = []
        for row in try db.rows("""
            SELECT f.id, f.name, f.sha256, f.rows, s.school_gemeente FROM source_file f JOIN source_file_scope s ON s.file_id = f.id
            WHERE f.dataset = ? AND f.peildatum = ? ORDER BY f.name, f.id, s.school_gemeente
            """, [.text(dataset.rawValue), .text(peildatum.iso)]) {
            let id = try row.int(0)
            if files.last?.id != id { files.append((id, try row.text(1), try row.text(2), try row.int(3), [])) }
            files[files.count - 1].scope.append(try row.text(4))
        }
        return files
    }
}

/// The time an ingest run spent per stage (seconds), for `grensverkeer bench`.
public final class IngestClock: @unchecked Sendable {
    public var hash = 0.0, parse = 0.0, insert = 0.0, staging = 0.0
    public init() {}
    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
