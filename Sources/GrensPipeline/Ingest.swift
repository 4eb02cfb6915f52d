import Foundation
import GrensCore
import SQLiteWrap

/// One input file as read from disk.
public struct InputFile: Sendable {
    public let path: String
    /// The file name for messages; mis-encoded names are shown with replacement characters.
    public let name: String
    public let bytes: [UInt8]
    public let synthetic: Bool
}

/// All refusals of one run: nothing was written.
public struct IngestFailure: Error, CustomStringConvertible {
    public let errors: [InputError]
    public var description: String {
        "Inlezen geweigerd, de database is niet gewijzigd (\(errors.count) \(errors.count == 1 ? "fout" : "fouten")):\n"
            + errors.map { "- \($0)" }.joined(separator: "\n")
    }
}

public struct UnresolvedHome: Sendable, Equatable {
    public let peildatum: String
    public let name: String
    public let pc4s: [String]
    public let rows: Int
}

public struct IngestReport: Sendable {
    public enum Outcome: Sendable, Equatable {
        case added(rows: Int)
        case replaced(rows: Int, previous: [String])
        case unchanged
        case empty
    }
    public struct FileLine: Sendable {
        public let name: String
        public let outcome: Outcome
        public let dataset: Dataset?
        public let layout: String?
        public let encoding: TextEncoding?
        public let peildatum: Peildatum?
    }
    public var files: [FileLine] = []
    /// The stored files this run took out, with what the store lost by it.
    public var replacedFiles: [ReplacedFile] = []
    public var unresolvedHomes: [UnresolvedHome] = []
    public var unknownSchoolGemeenten: [String] = []
    public var pseudoHomes: [String: Int] = [:]
    /// What the run changed per dataset × peildatum (also stored, see `Changes`).
    public var changes: [PartChange] = []

    public var rowsAdded: Int {
        files.reduce(0) {
            switch $1.outcome {
            case .added(let n), .replaced(let n, _): return $0 + n
            default: return $0
            }
        }
    }
    public func count(_ match: (Outcome) -> Bool) -> Int { files.filter { match($0.outcome) }.count }
}

/// A stored file that a run replaced. Its rows are gone; its metadata stays in `source_file_history`.
public struct ReplacedFile: Sendable, Equatable {
    public let name: String
    public let sha256: String
    public let dataset: Dataset
    public let peildatum: Peildatum
    /// The school gemeenten it covered.
    public let scope: [String]
    public let rows: Int
    /// The files of the run that replaced it.
    public let replacedBy: [String]
    /// School gemeenten of `scope` that no file of the run covers: they have no data for this dataset and
    /// peildatum any more (only possible with `replacePartial`).
    public let lostScope: [String]

    public init(name: String, sha256: String, dataset: Dataset, peildatum: Peildatum, scope: [String], rows: Int,
                replacedBy: [String], lostScope: [String]) {
        self.name = name
        self.sha256 = sha256
        self.dataset = dataset
        self.peildatum = peildatum
        self.scope = scope
        self.rows = rows
        self.replacedBy = replacedBy
        self.lostScope = lostScope
    }

    /// The report's line: which file went out, by which files, and which school gemeenten lost their data.
    public var summary: String {
        var text = "\(name) (sha256 \(sha256.prefix(12))…, \(schoolGemeenten(scope)), \(rows) regels) vervangen door \(replacedBy.joined(separator: ", "))"
        if !lostScope.isEmpty {
            text += "; \(schoolGemeenten(lostScope)) \(lostScope.count == 1 ? "heeft" : "hebben") nu geen gegevens voor \(dataset.title), peildatum \(peildatum)"
        }
        return text
    }
}

/// "schoolgemeente 0503" or "schoolgemeenten 0503, 0603".
func schoolGemeenten(_ codes: [String]) -> String {
    (codes.count == 1 ? "schoolgemeente " : "schoolgemeenten ") + codes.joined(separator: ", ")
}

/// Files with the same key hold the same kind of data and may replace one another.
private func partKey(_ p: ParsedFile) -> String { "\(p.layout.dataset.rawValue)|\(p.peildatum.iso)" }

public enum Ingest {
    /// Parses every file first; writes only when all parsed, in one transaction; then rebuilds `stg_home`.
    public static func run(files: [InputFile], db: Database, reference: Reference, peildatum: Peildatum? = nil,
                           replacePartial: Bool = false) throws -> IngestReport {
        // 1. Parse everything (two cores: files are independent).
        let (parsed, hashes) = parseAll(files, peildatum: peildatum)
        var errors: [InputError] = []
        var report = IngestReport()
        var work: [(InputFile, ParsedFile, String)] = []
        for ((file, result), hash) in zip(zip(files, parsed), hashes) {
            switch result {
            case .failure(let error): errors.append(error)
            case .success(nil):
                report.files.append(.init(name: file.name, outcome: .empty, dataset: nil, layout: nil, encoding: nil, peildatum: nil))
            case .success(let p?): work.append((file, p, hash))
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
        let stored = Set(try db.rows("SELECT DISTINCT synthetic FROM source_file").compactMap { $0[0].int })
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
            let storedHashes = Set(try db.rows("SELECT sha256 FROM source_file").compactMap { $0[0].text })
            let fresh = work.indices.filter { !storedHashes.contains(work[$0].2) }
            var covered: [String: Set<String>] = [:]
            for i in fresh { covered[partKey(work[i].1), default: []].formUnion(work[i].1.scope) }
            let findStored = try db.prepare("SELECT id, sha256, name, scope, rows FROM source_file WHERE dataset = ? AND peildatum = ? ORDER BY name, id")
            var replacements: [(id: Int, file: ReplacedFile, by: [Int])] = []
            var planned: Set<Int> = []
            for i in fresh {
                let p = work[i].1
                try findStored.bind([.text(p.layout.dataset.rawValue), .text(p.peildatum.iso)])
                while try findStored.step() {
                    let id = findStored.int(0)
                    let scope = findStored.text(3).split(separator: ",").map(String.init)
                    guard !Set(scope).isDisjoint(with: p.scope), planned.insert(id).inserted else { continue }
                    let by = fresh.filter { partKey(work[$0].1) == partKey(p) && !Set(work[$0].1.scope).isDisjoint(with: scope) }
                    let file = ReplacedFile(name: findStored.text(2), sha256: findStored.text(1), dataset: p.layout.dataset, peildatum: p.peildatum,
                                            scope: scope, rows: findStored.int(4), replacedBy: by.map { work[$0].0.name },
                                            lostScope: scope.filter { !covered[partKey(p)]!.contains($0) })
                    if file.lostScope.isEmpty || replacePartial {
                        replacements.append((id, file, by))
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
                try findStored.reset()
            }
            guard errors.isEmpty else { throw IngestFailure(errors: errors) }
            report.replacedFiles = replacements.map(\.file)

            try db.execute("INSERT INTO ingest_run(started_at, files_seen, files_added, files_replaced, files_unchanged, files_empty, rows_added) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0, 0, 0, 0, 0, 0)")
            let runID = db.lastInsertRowID
            // What the run changes, recorded with it before anything stored goes.
            report.changes = try Changes.record(db: db, run: runID, fresh: fresh.map { (work[$0].0, work[$0].1, work[$0].2) },
                                                replaced: replacements.map(\.id), reference: reference)
            // Replaced files are kept in the history (their rows go), so nothing that was ever ingested is forgotten.
            let keep = try db.prepare("""
                INSERT INTO source_file_history(sha256, name, path, bytes, dataset, layout, encoding, peildatum, scope, rows, synthetic,
                    run_id, replaced_run, replaced_by, lost_scope)
                SELECT sha256, name, path, bytes, dataset, layout, encoding, peildatum, scope, rows, synthetic, run_id, ?, ?, ?
                FROM source_file WHERE id = ?
                """)
            for r in replacements {
                try keep.run([.int(runID), .text(r.by.map { work[$0].2 }.joined(separator: ",")),
                              .text(r.file.lostScope.joined(separator: ",")), .int(Int64(r.id))])
                try db.execute("DELETE FROM source_file WHERE id = \(r.id)")
            }
            let insertFile = try db.prepare("""
                INSERT INTO source_file(sha256, name, path, bytes, dataset, layout, encoding, peildatum, scope, rows, synthetic, run_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let insertRow = try db.prepare("""
                INSERT INTO raw_count(file_id, line, dataset, peildatum, school_gemeente, school_gemeente_name, school_id,
                    school_name, school_pc4, school_place, school_province, soort, cluster, home_pc4, home_name, home_code_given, cells,
                    masked_bits, n_exact, n_masked, n_min, n_max, total_given)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var log: [(String, String, String)] = []

            for (index, (file, p, hash)) in work.enumerated() {
                if storedHashes.contains(hash) {
                    report.files.append(.init(name: file.name, outcome: .unchanged, dataset: p.layout.dataset, layout: p.layout.id, encoding: p.encoding, peildatum: p.peildatum))
                    log.append(("ongewijzigd", file.name, "al aanwezig (sha256 \(hash.prefix(12))…); niets gewijzigd"))
                    continue
                }
                try insertFile.run([.text(hash), .text(file.name), .text(file.path), .int(Int64(file.bytes.count)),
                                    .text(p.layout.dataset.rawValue), .text(p.layout.id), .text(p.encoding.rawValue),
                                    .text(p.peildatum.iso), .text(p.scope.joined(separator: ",")), .int(Int64(p.rows.count)),
                                    .int(file.synthetic ? 1 : 0), .int(runID)])
                let fileID = db.lastInsertRowID
                try insertRows(p, fileID: fileID, statement: insertRow)
                let previous = replacements.filter { $0.by.contains(index) }.map(\.file)
                if previous.isEmpty {
                    report.files.append(.init(name: file.name, outcome: .added(rows: p.rows.count), dataset: p.layout.dataset, layout: p.layout.id, encoding: p.encoding, peildatum: p.peildatum))
                    log.append(("info", file.name, "\(p.rows.count) regels toegevoegd (\(p.layout.id), \(p.encoding.rawValue), peildatum \(p.peildatum))"))
                } else {
                    report.files.append(.init(name: file.name, outcome: .replaced(rows: p.rows.count, previous: previous.map(\.name)), dataset: p.layout.dataset, layout: p.layout.id, encoding: p.encoding, peildatum: p.peildatum))
                    log.append(("vervangen", file.name, "vervangt \(previous.map(\.summary).joined(separator: "; ")); \(p.rows.count) regels"))
                }
            }
            for line in report.files where line.outcome == .empty {
                log.append(("waarschuwing", line.name, "leeg bestand (0 gegevensregels); overgeslagen"))
            }

            let logStatement = try db.prepare("INSERT INTO ingest_log(run_id, seq, level, file, message) VALUES (?, ?, ?, ?, ?)")
            for (seq, entry) in log.enumerated() {
                try logStatement.run([.int(runID), .int(Int64(seq + 1)), .text(entry.0), .text(entry.1), .text(entry.2)])
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
            try Staging.rebuildHomes(db: db, reference: reference)
        }
        try Staging.describe(db: db, reference: reference, into: &report)
        return report
    }

    /// Parses and hashes every file, on all cores (files are independent).
    static func parseAll(_ files: [InputFile], peildatum: Peildatum?) -> ([Result<ParsedFile?, InputError>], [String]) {
        let slots = Slots(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            slots.setHash(i, sha256Hex(files[i].bytes))
            do throws(InputError) {
                slots.set(i, .success(try parseSource(bytes: files[i].bytes, file: files[i].name, peildatum: peildatum)))
            } catch {
                slots.set(i, .failure(error))
            }
        }
        return (slots.values, slots.hashes)
    }

    /// Result slots written by concurrent workers, each index by exactly one worker.
    final class Slots: @unchecked Sendable {
        private(set) var values: [Result<ParsedFile?, InputError>]
        private(set) var hashes: [String]
        private let lock = NSLock()
        init(count: Int) {
            values = Array(repeating: .success(nil), count: count)
            hashes = Array(repeating: "", count: count)
        }
        func setHash(_ i: Int, _ hash: String) {
            lock.lock(); hashes[i] = hash; lock.unlock()
        }
        func set(_ i: Int, _ value: Result<ParsedFile?, InputError>) {
            lock.lock(); values[i] = value; lock.unlock()
        }
    }

    /// The hot path: binds every value directly (no intermediate arrays) and writes `cells` from bytes.
    static func insertRows(_ p: ParsedFile, fileID: Int64, statement: Statement) throws {
        let dataset = p.layout.dataset.rawValue
        let peildatum = p.peildatum.iso
        var cells: [UInt8] = []
        cells.reserveCapacity(128)
        for row in p.rows {
            cells.removeAll(keepingCapacity: true)
            for (i, c) in row.cells.enumerated() {
                if i > 0 { cells.append(0x3B) }
                if case .exact(let n) = c { appendDigits(n, to: &cells) } else { cells.append(contentsOf: [0x3C, 0x35]) }
            }
            let exact = row.exactSum, masked = row.maskedCount
            func optional(_ value: String?, _ index: Int32) throws {
                if let value { try statement.bindText(value, at: index) } else { try statement.bindNull(at: index) }
            }
            try statement.bindInt(Int(fileID), at: 1)
            try statement.bindInt(row.line, at: 2)
            try statement.bindText(dataset, at: 3)
            try statement.bindText(peildatum, at: 4)
            try statement.bindText(row.schoolGemeente, at: 5)
            try statement.bindText(row.schoolGemeenteName, at: 6)
            try statement.bindText(row.schoolID, at: 7)
            try statement.bindText(row.schoolName, at: 8)
            try optional(row.schoolPC4, 9)
            try statement.bindText(row.schoolPlace, at: 10)
            try statement.bindText(row.province, at: 11)
            try statement.bindText(row.soort, at: 12)
            try optional(row.cluster, 13)
            try statement.bindText(row.homePC4 ?? "", at: 14)
            try statement.bindText(row.homeName ?? "", at: 15)
            try statement.bindText(row.homeGemeente ?? "", at: 16)
            try cells.withUnsafeBytes { try statement.bindText($0, at: 17) }
            try statement.bindInt(row.maskedBits, at: 18)
            try statement.bindInt(exact, at: 19)
            try statement.bindInt(masked, at: 20)
            try statement.bindInt(exact + masked, at: 21)
            try statement.bindInt(exact + 4 * masked, at: 22)
            if let total = row.total { try statement.bindInt(total, at: 23) } else { try statement.bindNull(at: 23) }
            try statement.step()
            // Every parameter is bound again for the next row: reset without clearing the bindings.
            statement.resetKeepingBindings()
        }
    }

    static func appendDigits(_ n: Int, to bytes: inout [UInt8]) {
        if n >= 10 { appendDigits(n / 10, to: &bytes) }
        bytes.append(UInt8(0x30 + n % 10))
    }
}

/// The `stg_*` layer: home locations resolved against the reference data of this run.
enum Staging {
    static func rebuildHomes(db: Database, reference: Reference) throws {
        try db.execute("DELETE FROM stg_home")
        let homes = try db.rows("""
            SELECT peildatum, home_pc4, home_name, home_code_given, count(*) FROM raw_count
            WHERE dataset IN (\(placeholders(Dataset.flows.count)))
            GROUP BY peildatum, home_pc4, home_name, home_code_given
            """, Dataset.flows.map { .text($0.rawValue) })
        let insert = try db.prepare("INSERT INTO stg_home(peildatum, home_pc4, home_name, home_code_given, home_code, method, rows) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for h in homes {
            let date = Peildatum(iso: h[0].text!)!
            let given = h[3].text!
            let resolution = reference.resolveHome(pc4: h[1].text!, name: h[2].text!, code: given.isEmpty ? nil : given, on: date)
            try insert.run([h[0], h[1], h[2], h[3], resolution.code.map { .text($0) } ?? .null, .text(resolution.method.rawValue), h[4]])
        }
    }

    static func describe(db: Database, reference: Reference, into report: inout IngestReport) throws {
        let unresolved = try db.rows("""
            SELECT peildatum, home_name, group_concat(home_pc4, ','), sum(rows) FROM
              (SELECT * FROM stg_home WHERE home_code IS NULL ORDER BY home_pc4)
            GROUP BY peildatum, home_name ORDER BY peildatum, home_name
            """)
        report.unresolvedHomes = unresolved.map {
            UnresolvedHome(peildatum: $0[0].text!, name: $0[1].text!, pc4s: $0[2].text!.split(separator: ",").map(String.init), rows: $0[3].int!)
        }
        for row in try db.rows("SELECT home_code, sum(rows) FROM stg_home WHERE method = 'pseudo' GROUP BY home_code ORDER BY home_code") {
            report.pseudoHomes[row[0].text!] = row[1].int!
        }
        // Every stored file has rows and its scope lists its school gemeenten, so source_file gives the distinct
        // (gemeente, peildatum) pairs without a scan of raw_count.
        var pairs: Set<[String]> = []
        for row in try db.rows("SELECT scope, peildatum FROM source_file") {
            for code in row[0].text!.split(separator: ",") { pairs.insert([String(code), row[1].text!]) }
        }
        report.unknownSchoolGemeenten = pairs.sorted { $0.lexicographicallyPrecedes($1) }.compactMap { pair in
            guard let g = reference.gemeenten[pair[0]], g.exists(on: Peildatum(iso: pair[1])!) else { return "\(pair[0]) (peildatum \(pair[1]))" }
            return nil
        }
    }
}
