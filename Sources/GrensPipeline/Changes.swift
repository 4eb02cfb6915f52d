import Foundation
import GrensCore
import SQLiteWrap

/// What an ingest run changed, per dataset × peildatum: computed inside the run's transaction from the stored
/// rows that are about to go and the rows the run has just written, and stored with the run (`change_*`).
public enum Changes {
    /// One row on either side of the comparison.
    struct Row {
        var file: String
        var line: Int
        var schoolID: String
        var schoolName: String
        var schoolGemeente: String
        var soort: String
        var cluster: String
        var homePC4: String
        var homeName: String
        var homeCode: String
        /// As stored (`raw_count.cells`).
        var cells: String
        var total: Int?
        /// The bounds of the cells summed (`<5` as 1–4): `n_min`, `n_max`.
        var pupils: Bounds

        /// The row key of the ingest's duplicate check (location × soort × cluster × home PC4 × home name × home code).
        var key: Key {
            Key(schoolID: schoolID, soort: soort, cluster: cluster, homePC4: homePC4, homeName: homeName, homeCode: homeCode)
        }
    }

    /// A row key: its hash is worked out once, over the fields' bytes (every row of a new year is looked up by its
    /// key on both sides); keys are equal when every field is.
    struct Key: Hashable {
        let schoolID: String, soort: String, cluster: String, homePC4: String, homeName: String, homeCode: String
        let hash: UInt64

        init(schoolID: String, soort: String, cluster: String, homePC4: String, homeName: String, homeCode: String) {
            (self.schoolID, self.soort, self.cluster, self.homePC4, self.homeName, self.homeCode) = (schoolID, soort, cluster, homePC4, homeName, homeCode)
            // FNV-1a over the fields, each closed by a byte no UTF-8 text holds.
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            func add(_ field: String) {
                for byte in field.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
                h = (h ^ 0xFF) &* 0x0000_0100_0000_01b3
            }
            add(schoolID); add(soort); add(cluster); add(homePC4); add(homeName); add(homeCode)
            hash = h
        }

        static func == (a: Key, b: Key) -> Bool {
            a.hash == b.hash && a.schoolID == b.schoolID && a.homePC4 == b.homePC4 && a.homeName == b.homeName
                && a.soort == b.soort && a.cluster == b.cluster && a.homeCode == b.homeCode
        }

        func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    }

    /// The key of a dataset × peildatum ("peildatum|dataset", so that parts sort by peildatum): files with the same
    /// key hold the same kind of data and may replace one another, and a run's change report has a part per key.
    static func partKey(_ p: ParsedFile) -> String { "\(p.peildatum.iso)|\(p.layout.dataset.rawValue)" }

    /// A file the run wrote: its description, stored id, column names and the bounds of its rows together.
    struct Written { let name: String; let parsed: ParsedFile; let sha256: String; let id: Int64; let header: [String]; let pupils: Bounds }

    /// The hook of `Ingest.run`: called once the run's files are written and planned, before any stored file is
    /// taken out. `fresh` are the files the run wrote (with their stored ids), `replaced` the ids of the stored
    /// files they replace. Each part is compared with what the store held before this run: its own stored files
    /// (a correction), or else the latest earlier peildatum; both sides are read from the store, one part at a
    /// time. A part with a `StreamedComparison` (keyed by `partKey`) is compared while the run writes its
    /// files, on another thread; `Recorded.finish` waits for it (the run stages its homes meanwhile) and stores every
    /// part with the run, in the order of their keys.
    static func record(db: Database, run: Int64, fresh: [Written],
                       replaced: [Int], reference: Reference, streamed: [String: StreamedComparison] = [:]) throws -> Recorded {
        let header = try db.prepare("INSERT OR REPLACE INTO file_header(sha256, header) VALUES (?, ?)")
        for f in fresh { try header.run([.text(f.sha256), .text(f.header.joined(separator: "\n"))]) }

        var parts: [String: [Written]] = [:]
        for f in fresh { parts[partKey(f.parsed), default: []].append(f) }
        var resolver = HomeResolver(reference: reference)
        var done = Recorded()
        for key in parts.keys.sorted() {
            let files = parts[key]!
            let dataset = files[0].parsed.layout.dataset, peildatum = files[0].parsed.peildatum
            let part: PartChange
            let baseline = try self.baseline(db, dataset, peildatum, before: run)
            if let comparison = streamed[key] {
                done.parts.append(.streamed(comparison, Part(files: files, dataset: dataset, peildatum: peildatum, baseline: baseline,
                                                             before: comparison.before, stored: [], unaffected: [])))
                continue
            }
            switch baseline {
            case .same:
                let stored = try storedFiles(db, dataset, peildatum, before: run)
                part = try compare(Part(files: files, dataset: dataset, peildatum: peildatum, baseline: .same,
                                        before: stored.filter { replaced.contains($0.id) }, stored: stored,
                                        unaffected: stored.filter { !replaced.contains($0.id) }), db: db, resolver: &resolver, reference: reference)
            case .earlier(let date):
                part = try compare(Part(files: files, dataset: dataset, peildatum: peildatum, baseline: baseline,
                                        before: try storedFiles(db, dataset, date, before: run), stored: [], unaffected: []),
                                   db: db, resolver: &resolver, reference: reference)
            case .none:
                // Nothing to compare with: the totals are all there is to say (summed as the rows were written).
                let rows = files.reduce(0) { $0 + $1.parsed.rowCount }, pupils = files.reduce(Bounds.zero) { $0 + $1.pupils }
                part = PartChange(dataset: dataset, peildatum: peildatum, baseline: .none, filesBefore: [],
                                  filesAfter: files.map(\.name), layoutsBefore: [],
                                  layoutsAfter: Array(Set(files.map(\.parsed.layout.id))).sorted(), columnsAdded: nil,
                                  columnsRemoved: nil, rowsBefore: 0, rowsAfter: rows, rowsAdded: rows, rowsRemoved: 0,
                                  rowsChanged: 0, pupilsBefore: .zero, pupilsAfter: pupils, pupilsChange: pupils,
                                  areas: [], schools: [], rows: [])
            }
            done.parts.append(.compared(part))
        }
        return done
    }

    /// The parts of a run's change report, the streamed one perhaps still being compared.
    struct Recorded {
        enum Entry { case compared(PartChange), streamed(StreamedComparison, Part) }
        var parts: [Entry] = []

        /// Waits for the streamed comparison, then stores every part with the run.
        func finish(db: Database, run: Int64) throws -> [PartChange] {
            var done: [PartChange] = []
            for entry in parts {
                switch entry {
                case .compared(let part): done.append(part)
                case .streamed(let comparison, let part):
                    var change = try comparison.finish()
                    try describe(&change, part, db: db)
                    done.append(change)
                }
            }
            for part in done { try store(part, db: db, run: run) }
            return done
        }
    }

    /// One dataset × peildatum of the run and what it is compared with.
    struct Part {
        let files: [Written]
        let dataset: Dataset
        let peildatum: Peildatum
        let baseline: PartChange.Baseline
        /// The rows that go: the replaced files (same peildatum) or the earlier peildatum's files.
        let before: [StoredFile]
        /// Every stored file of the part's own peildatum, and those of them that stay.
        let stored: [StoredFile]
        let unaffected: [StoredFile]
    }

    static func compare(_ part: Part, db: Database, resolver: inout HomeResolver, reference: Reference) throws -> PartChange {
        let (files, dataset, peildatum, baseline, before) = (part.files, part.dataset, part.peildatum, part.baseline, part.before)
        let beforeDate = if case .earlier(let d) = baseline { d } else { peildatum }
        // The rows that go are held; the rows that come stream past them, so a new year costs one year's rows.
        var comparison = Comparison(dataset: dataset, peildatum: peildatum, baseline: baseline, expected: before.reduce(0) { $0 + $1.rows })
        for f in before {
            try forEachRow(db, file: f, dataset: dataset, on: beforeDate, resolver: &resolver) { comparison.before($0) }
        }
        for f in files {
            let written = StoredFile(id: Int(f.id), name: f.name, sha256: f.sha256, layout: f.parsed.layout.id, rows: f.parsed.rowCount)
            try forEachRow(db, file: written, dataset: dataset, on: peildatum, resolver: &resolver) { comparison.after($0) }
        }
        let rest = try restOfPart(db, part.unaffected, dataset: dataset, on: peildatum, resolver: &resolver)
        var change = comparison.finish(rest: rest, reference: reference)
        try describe(&change, part, db: db)
        return change
    }

    /// The files, layouts and columns of a compared part.
    static func describe(_ change: inout PartChange, _ part: Part, db: Database) throws {
        let (files, baseline, before) = (part.files, part.baseline, part.before)
        change.filesBefore = before.map(\.name)
        change.filesAfter = files.map(\.name)
        change.layoutsBefore = Array(Set(before.map(\.layout))).sorted()
        change.layoutsAfter = Array(Set(files.map(\.parsed.layout.id))).sorted()
        // Columns against every file the part had before (also those that stay), when their headers are known.
        let old = try (baseline == .same ? part.stored : before).map {
            try db.scalar("SELECT header FROM file_header WHERE sha256 = ?", [.text($0.sha256)])?.text
        }
        if !old.contains(nil) {
            let was = Set(old.flatMap { $0!.split(separator: "\n").map(String.init) })
            let now = Set(files.flatMap(\.header))
            change.columnsAdded = now.subtracting(was).sorted()
            change.columnsRemoved = was.subtracting(now).sorted()
        }
    }

    /// What a part of run `run` is compared with, from the files of earlier runs: its own stored files (a correction),
    /// or else the latest earlier peildatum of the dataset, or nothing.
    static func baseline(_ db: Database, _ dataset: Dataset, _ peildatum: Peildatum, before run: Int64) throws -> PartChange.Baseline {
        if !(try storedFiles(db, dataset, peildatum, before: run)).isEmpty { return .same }
        let earlier = try db.scalar("SELECT max(peildatum) FROM source_file WHERE dataset = ? AND peildatum < ? AND run_id < ?",
                                    [.text(dataset.rawValue), .text(peildatum.iso), .int(run)])?.text.flatMap(Peildatum.init(iso:))
        return earlier.map { .earlier($0) } ?? .none
    }

    /// Stored files of one dataset × peildatum.
    struct StoredFile { let id: Int; let name: String; let sha256: String; let layout: String; let rows: Int }

    /// `before`: the files of earlier runs only (not those the running one wrote).
    static func storedFiles(_ db: Database, _ dataset: Dataset, _ peildatum: Peildatum, before run: Int64) throws -> [StoredFile] {
        try db.rows("SELECT id, name, sha256, layout, rows FROM source_file WHERE dataset = ? AND peildatum = ? AND run_id < ? ORDER BY name, id",
                    [.text(dataset.rawValue), .text(peildatum.iso), .int(run)])
            .map { StoredFile(id: (try $0.int(0)), name: (try $0.text(1)), sha256: (try $0.text(2)), layout: (try $0.text(3)), rows: (try $0.int(4))) }
    }

    /// The column names of a file's first line, as written.
    static func headerLine(_ bytes: [UInt8]) -> [String] {
        var end = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
        if end > bytes.startIndex, bytes[end - 1] == 0x0D { end -= 1 }
        guard let text = try? decodeText(Array(bytes[..<end]), file: "") else { return [] }
        var reader = CSVReader(bytes: text.bytes, file: "")
        guard (try? reader.next()) == true else { return [] }
        return (0..<reader.fields.count).map { reader.trimmedString($0) }
    }

    /// Home locations resolved once each, on the date of their row.
    struct HomeResolver {
        let reference: Reference
        struct Key: Hashable { let date: Peildatum; let pc4: String; let name: String; let given: String }
        var cache: [Key: String] = [:]

        mutating func code(pc4: String, name: String, given: String, on date: Peildatum) -> String {
            let key = Key(date: date, pc4: pc4, name: name, given: given)
            if let c = cache[key] { return c }
            let c = reference.resolveHome(pc4: pc4, name: name, code: given.isEmpty ? nil : given, on: date).code ?? unresolvedHome
            cache[key] = c
            return c
        }
    }

    static func forEachRow(_ db: Database, file: StoredFile, dataset: Dataset, on date: Peildatum, resolver: inout HomeResolver,
                           _ body: (Row) -> Void) throws {
        let s = try db.prepare("""
            SELECT line, school_id, school_name, school_gemeente, soort, coalesce(cluster, ''), home_pc4, home_name,
                   home_code_given, cells, n_min, n_max, total_given
            FROM raw_count WHERE file_id = ? ORDER BY line
            """)
        try s.bind([.int(Int64(file.id))])
        // A school's columns repeat from line to line: read into a new String only when they change.
        var last = [String](repeating: "", count: 9)
        while try s.step() {
            let pc4 = try s.text(6, reusing: &last[6]), name = try s.text(7, reusing: &last[7]), given = try s.text(8, reusing: &last[8])
            let home = dataset.hasHome ? resolver.code(pc4: pc4, name: name, given: given, on: date) : ""
            body(Row(file: file.name, line: try s.int(0), schoolID: try s.text(1, reusing: &last[1]), schoolName: try s.text(2, reusing: &last[2]),
                           schoolGemeente: try s.text(3, reusing: &last[3]), soort: try s.text(4, reusing: &last[4]), cluster: try s.text(5, reusing: &last[5]),
                           homePC4: pc4, homeName: name, homeCode: home,
                           cells: try s.text(9), total: s.isNull(12) ? nil : try s.int(12), pupils: Bounds(min: try s.int(10), max: try s.int(11))))
        }
    }

    /// A parsed row as it is stored: row `i` of its file, whose cells texts and bounds are `cells`.
    static func row(_ file: String, _ r: SourceRow, _ i: Int, cells: RawCount.Cells, dataset: Dataset, on date: Peildatum,
                    resolver: inout HomeResolver) -> Row {
        let pc4 = r.homePC4 ?? "", name = r.homeName ?? "", given = r.homeGemeente ?? ""
        let home = dataset.hasHome ? resolver.code(pc4: pc4, name: name, given: given, on: date) : ""
        return Row(file: file, line: r.line, schoolID: r.schoolID, schoolName: r.schoolName, schoolGemeente: r.schoolGemeente,
                   soort: r.soort.rawValue, cluster: r.cluster ?? "", homePC4: pc4, homeName: name, homeCode: home,
                   cells: cells.text(i), total: r.total, pupils: cells.pupils(i))
    }

    /// The stored files of the part that stay: the same before and after, so they only add to the totals.
    struct Rest {
        var rows = 0
        var pupils = Bounds.zero
        var homes: [String: Bounds] = [:]
    }

    static func restOfPart(_ db: Database, _ files: [StoredFile], dataset: Dataset, on date: Peildatum, resolver: inout HomeResolver) throws -> Rest {
        var rest = Rest()
        guard !files.isEmpty else { return rest }
        let ids = files.map { SQLValue.int(Int64($0.id)) }
        let s = try db.prepare("""
            SELECT home_pc4, home_name, home_code_given, count(*), sum(n_min), sum(n_max) FROM raw_count
            WHERE file_id IN (\(placeholders(ids.count))) GROUP BY home_pc4, home_name, home_code_given
            """)
        try s.bind(ids)
        while try s.step() {
            let pupils = Bounds(min: try s.int(4), max: try s.int(5))
            rest.rows += try s.int(3)
            rest.pupils += pupils
            if dataset.hasHome {
                rest.homes[resolver.code(pc4: try s.text(0), name: try s.text(1), given: try s.text(2), on: date), default: .zero] += pupils
            }
        }
        return rest
    }

    /// Before, after and change of one school or home gemeente.
    typealias AreaSums = (before: Bounds, after: Bounds, change: Bounds)

    /// Compares the rows that go with the rows that come, paired by key as the ingest's duplicate check keys them.
    /// The rows that go are given first (`before`) and held; the rows that come (`after`) are paired as they arrive;
    /// `finish` adds the rows that went. A key that repeats within one side (only possible for keys the duplicate
    /// check does not see, such as the vo home place) is told apart by its occurrence.
    struct Comparison {
        let dataset: Dataset
        let peildatum: Peildatum
        let baseline: PartChange.Baseline
        var same: Bool { baseline == .same }
        /// The rows that go, in their order, and which of them a row that comes has taken.
        private var held: [Row] = []
        private var taken: [Bool] = []
        /// The held rows of one key, in their order, as a chain through `next`: `first` is the first not yet
        /// taken (-1: every one is), `last` the last held.
        struct Chain { var first: Int, last: Int }
        private var old: [Key: Chain] = [:]
        /// Position in `held` → the next held row with its key (-1: none).
        private var next: [Int] = []
        private var added = 0, removed = 0, changed = 0
        private var total = Bounds.zero
        private var school: [String: AreaSums] = [:]
        private var home: [String: AreaSums] = [:]
        private var rows: [RowChange] = []
        private var was: [String: (name: String, gemeente: String, pupils: Bounds)] = [:]
        private var now: [String: (name: String, gemeente: String, pupils: Bounds)] = [:]
        private var rowsBefore = 0, rowsAfter = 0
        private var pupilsBefore = Bounds.zero, pupilsAfter = Bounds.zero

        /// `expected`: about how many rows go, so the held rows are not rehashed as they grow.
        init(dataset: Dataset, peildatum: Peildatum, baseline: PartChange.Baseline, expected: Int = 0) {
            (self.dataset, self.peildatum, self.baseline) = (dataset, peildatum, baseline)
            old.reserveCapacity(expected)
            held.reserveCapacity(expected)
            taken.reserveCapacity(expected)
            next.reserveCapacity(expected)
        }

        /// Every row that goes is given before the first row that comes.
        mutating func before(_ r: Row) {
            let index = held.count
            let tail = Self.link(&old[r.key, default: Chain(first: -1, last: -1)], index)
            if tail >= 0 { next[tail] = index }
            held.append(r)
            taken.append(false)
            next.append(-1)
            rowsBefore += 1
            pupilsBefore += r.pupils
            was[r.schoolID, default: (r.schoolName, r.schoolGemeente, .zero)].pupils += r.pupils
        }

        /// Adds `index` at the end of its key's chain; returns the chain's last row before it (-1: none).
        private static func link(_ chain: inout Chain, _ index: Int) -> Int {
            let tail = chain.last
            if chain.first < 0 { chain.first = index }
            chain.last = index
            return tail
        }

        mutating func after(_ r: Row) {
            // The n-th row that comes with a key pairs with the n-th that goes: the rows that come take the first
            // one not yet taken, in order, so the taken ones are the start of the key's chain.
            var found = -1
            if let position = old.index(forKey: r.key) {
                found = old.values[position].first
                if found >= 0 { old.values[position].first = next[found] }
            }
            rowsAfter += 1
            pupilsAfter += r.pupils
            now[r.schoolID, default: (r.schoolName, r.schoolGemeente, .zero)].pupils += r.pupils
            if found >= 0 {
                taken[found] = true
                pair(held[found], r)
            } else {
                pair(nil, r)
            }
        }

        private static func add(_ map: inout [String: AreaSums], _ code: String, before: Bounds = .zero, after: Bounds = .zero, change: Bounds) {
            // In place: one lookup of the code.
            func update(_ v: inout AreaSums) { v.before += before; v.after += after; v.change += change }
            update(&map[code, default: (.zero, .zero, .zero)])
        }

        private mutating func pair(_ b: Row?, _ a: Row?) {
            let differs = b == nil || a == nil || b!.cells != a!.cells || b!.total != a!.total
            if b == nil { added += 1 } else if a == nil { removed += 1 } else if differs { changed += 1 }
            let same = self.same
            // Within one peildatum a cell `<5` on both sides is the same number, so a changed row is compared cell by
            // cell. Otherwise the change is the difference of the two sides' bounds: summed cell by cell it comes to
            // the same, as a row's bounds are its cells' (`pupils`).
            let delta: Bounds
            if same, let b, let a {
                delta = differs ? cellChange(before: b.cells, after: a.cells, samePeildatum: true) : .zero
            } else {
                delta = Self.change(b?.pupils, a?.pupils)
            }
            total += delta
            // A row whose gemeente differs between the two sides (a new year on merged gemeenten) leaves one and
            // joins the other.
            func move(_ map: inout [String: AreaSums], _ bc: String?, _ ac: String?) {
                if bc == ac {
                    Self.add(&map, bc!, before: b!.pupils, after: a!.pupils, change: delta)
                    return
                }
                if let b, let bc { Self.add(&map, bc, before: b.pupils, change: Self.change(b.pupils, nil)) }
                if let a, let ac { Self.add(&map, ac, after: a.pupils, change: Self.change(nil, a.pupils)) }
            }
            move(&school, b?.schoolGemeente, a?.schoolGemeente)
            if dataset.hasHome { move(&home, b?.homeCode, a?.homeCode) }
            if same && differs {
                let r = (a ?? b)!
                rows.append(RowChange(kind: b == nil ? .added : a == nil ? .removed : .changed, schoolID: r.schoolID,
                                      schoolName: r.schoolName, schoolGemeente: r.schoolGemeente, soort: r.soort,
                                      homePC4: r.homePC4, homeName: r.homeName,
                                      before: b.map { .init(file: $0.file, line: $0.line, cells: $0.cells) },
                                      after: a.map { .init(file: $0.file, line: $0.line, cells: $0.cells) }, change: delta))
            }
        }

        /// From `before` to `after` (nil: no row), every cell of each side between its bounds.
        private static func change(_ before: Bounds?, _ after: Bounds?) -> Bounds {
            let b = before ?? .zero, a = after ?? .zero
            return Bounds(min: a.min - b.max, max: a.max - b.min)
        }

        /// The rows that went, then the part: `rest` are the stored rows of the part that stay.
        mutating func finish(rest: Rest, reference: Reference) -> PartChange {
            old = [:]
            for index in held.indices where !taken[index] { pair(held[index], nil) }
            for (code, pupils) in rest.homes { Self.add(&home, code, before: pupils, after: pupils, change: .zero) }
            func areas(_ side: AreaChange.Side, _ map: [String: AreaSums]) -> [AreaChange] {
                map.filter { $0.value.before != $0.value.after || $0.value.change != .zero }.map { code, v in
                    AreaChange(side: side, code: code, name: code == unresolvedHome ? "niet herkend" : reference.name(of: code),
                               before: v.before, after: v.after, change: v.change)
                }
            }
            var schools: [SchoolChange] = []
            for (id, v) in now where was[id] == nil {
                schools.append(SchoolChange(kind: .appeared, schoolID: id, name: v.name, gemeente: v.gemeente, pupils: v.pupils))
            }
            for (id, v) in was where now[id] == nil {
                schools.append(SchoolChange(kind: .vanished, schoolID: id, name: v.name, gemeente: v.gemeente, pupils: v.pupils))
            }
            return PartChange(dataset: dataset, peildatum: peildatum, baseline: baseline, filesBefore: [], filesAfter: [],
                              layoutsBefore: [], layoutsAfter: [], columnsAdded: nil, columnsRemoved: nil,
                              rowsBefore: rowsBefore + rest.rows, rowsAfter: rowsAfter + rest.rows,
                              rowsAdded: added, rowsRemoved: removed, rowsChanged: changed,
                              pupilsBefore: pupilsBefore + rest.pupils, pupilsAfter: pupilsAfter + rest.pupils, pupilsChange: total,
                              areas: sorted(areas(.school, school) + areas(.home, home)),
                              schools: schools.sorted { ($1.flagged ? 1 : 0, mid($1.pupils), $0.schoolID) < ($0.flagged ? 1 : 0, mid($0.pupils), $1.schoolID) },
                              rows: rows)
        }
    }

    static func mid(_ b: Bounds) -> Double { Double(b.min + b.max) / 2 }

    /// Flagged first, then the largest change, then school before home, then code.
    static func sorted(_ areas: [AreaChange]) -> [AreaChange] {
        areas.sorted {
            ($1.flagged ? 1 : 0, abs(mid($1.change)), $0.side == .school ? 0 : 1, $0.code)
                < ($0.flagged ? 1 : 0, abs(mid($0.change)), $1.side == .school ? 0 : 1, $1.code)
        }
    }
}

// MARK: - The stored changes

extension Changes {
    static func lines(_ list: [String]) -> SQLValue { .text(list.joined(separator: "\n")) }
    static func list(_ value: SQLValue) -> [String] { (value.text ?? "").split(separator: "\n").map(String.init) }

    static func store(_ c: PartChange, db: Database, run: Int64) throws {
        let baseline: String
        switch c.baseline {
        case .none: baseline = ""
        case .same: baseline = c.peildatum.iso
        case .earlier(let d): baseline = d.iso
        }
        let part: [SQLValue] = [.int(run), .text(c.dataset.rawValue), .text(c.peildatum.iso)]
        try db.prepare("INSERT INTO change_part VALUES (\(placeholders(21)))").run(part + [
            .text(baseline), lines(c.filesBefore), lines(c.filesAfter), lines(c.layoutsBefore), lines(c.layoutsAfter),
            c.columnsAdded.map(lines) ?? .null, c.columnsRemoved.map(lines) ?? .null,
            .int(Int64(c.rowsBefore)), .int(Int64(c.rowsAfter)), .int(Int64(c.rowsAdded)), .int(Int64(c.rowsRemoved)),
            .int(Int64(c.rowsChanged))] + bounds(c.pupilsBefore) + bounds(c.pupilsAfter) + bounds(c.pupilsChange))
        let area = try db.prepare("INSERT INTO change_area VALUES (\(placeholders(13)))")
        for (i, a) in c.areas.enumerated() {
            try area.run(part + [.int(Int64(i)), .text(a.side.rawValue), .text(a.code), .text(a.name)]
                         + bounds(a.before) + bounds(a.after) + bounds(a.change))
        }
        let school = try db.prepare("INSERT INTO change_school VALUES (\(placeholders(10)))")
        for (i, s) in c.schools.enumerated() {
            try school.run(part + [.int(Int64(i)), .text(s.kind.rawValue), .text(s.schoolID), .text(s.name), .text(s.gemeente)]
                           + bounds(s.pupils))
        }
        let row = try db.prepare("INSERT INTO change_row VALUES (\(placeholders(19)))")
        for (i, r) in c.rows.enumerated() {
            func version(_ v: RowChange.Version?) -> [SQLValue] {
                guard let v else { return [.null, .null, .null] }
                return [.text(v.file), .int(Int64(v.line)), .text(v.cells)]
            }
            try row.run(part + [.int(Int64(i)), .text(r.kind.rawValue), .text(r.schoolID), .text(r.schoolName),
                                .text(r.schoolGemeente), .text(r.soort), .text(r.homePC4), .text(r.homeName)]
                        + version(r.before) + version(r.after) + bounds(r.change))
        }
    }

    static func bounds(_ b: Bounds) -> [SQLValue] { [.int(Int64(b.min)), .int(Int64(b.max))] }

    /// The run that last changed something (nil: none yet), or the given run.
    public static func load(_ db: Database, run: Int? = nil, rowLimit: Int? = nil) throws -> Refresh? {
        // A store of an older version opened for reading has no change tables: nothing recorded yet.
        guard try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'change_part'")?.int == 1,
              let id = try run ?? db.scalar("SELECT max(run_id) FROM change_part")?.int else { return nil }
        let parts = try db.rows("SELECT * FROM change_part WHERE run_id = ? ORDER BY peildatum, dataset", [.int(Int64(id))])
        guard !parts.isEmpty else { return nil }
        func b(_ row: SQLiteWrap.Row, _ i: Int) throws -> Bounds { Bounds(min: try row.int(i), max: try row.int(i + 1)) }
        return Refresh(run: id, parts: try parts.map { p in
            let dataset = Dataset(rawValue: (try p.text(1)))!, peildatum = Peildatum(iso: (try p.text(2)))!
            let key: [SQLValue] = [.int(Int64(id)), p[1], p[2]]
            let baseline: PartChange.Baseline = (try p.text(3)) == "" ? .none : (try p.text(3)) == (try p.text(2)) ? .same : .earlier(Peildatum(iso: (try p.text(3)))!)
            let areas = try db.rows("SELECT * FROM change_area WHERE run_id = ? AND dataset = ? AND peildatum = ? ORDER BY seq", key).map {
                AreaChange(side: AreaChange.Side(rawValue: (try $0.text(4)))!, code: (try $0.text(5)), name: (try $0.text(6)),
                           before: try b($0, 7), after: try b($0, 9), change: try b($0, 11))
            }
            let schools = try db.rows("SELECT * FROM change_school WHERE run_id = ? AND dataset = ? AND peildatum = ? ORDER BY seq", key).map {
                SchoolChange(kind: SchoolChange.Kind(rawValue: (try $0.text(4)))!, schoolID: (try $0.text(5)), name: (try $0.text(6)),
                             gemeente: (try $0.text(7)), pupils: try b($0, 8))
            }
            let limit = rowLimit.map { " LIMIT \($0)" } ?? ""
            let rows = try db.rows("SELECT * FROM change_row WHERE run_id = ? AND dataset = ? AND peildatum = ? ORDER BY seq\(limit)", key).map { r in
                func version(_ i: Int) throws -> RowChange.Version? {
                    guard let file = try r.optionalText(i) else { return nil }
                    return RowChange.Version(file: file, line: try r.int(i + 1), cells: try r.text(i + 2))
                }
                return RowChange(kind: RowChange.Kind(rawValue: (try r.text(4)))!, schoolID: (try r.text(5)), schoolName: (try r.text(6)),
                                 schoolGemeente: (try r.text(7)), soort: (try r.text(8)), homePC4: (try r.text(9)), homeName: (try r.text(10)),
                                 before: try version(11), after: try version(14), change: try b(r, 17))
            }
            return PartChange(dataset: dataset, peildatum: peildatum, baseline: baseline, filesBefore: list(p[4]), filesAfter: list(p[5]),
                              layoutsBefore: list(p[6]), layoutsAfter: list(p[7]),
                              columnsAdded: p[8] == .null ? nil : list(p[8]), columnsRemoved: p[9] == .null ? nil : list(p[9]),
                              rowsBefore: (try p.int(10)), rowsAfter: (try p.int(11)), rowsAdded: (try p.int(12)), rowsRemoved: (try p.int(13)),
                              rowsChanged: (try p.int(14)), pupilsBefore: try b(p, 15), pupilsAfter: try b(p, 17), pupilsChange: try b(p, 19),
                              areas: areas, schools: schools, rows: rows)
        })
    }

    /// When the run was made (`ingest_run.started_at`), for the command line.
    public static func startedAt(_ db: Database, run: Int) throws -> String? {
        try db.scalar("SELECT started_at FROM ingest_run WHERE id = ?", [.int(Int64(run))])?.text
    }
}

/// A value handed to another thread that only that thread uses from then on.
struct Unchecked<Value>: @unchecked Sendable { let value: Value }

/// A new peildatum's comparison with the latest earlier one, made on another thread while the run writes its
/// files: that thread reads the earlier peildatum's rows on a connection of its own (which sees the store as it was
/// before this run) and holds them, then pairs the new files' rows with them as the run hands them over after
/// writing them. The run waits while more than `limit` rows are handed over but not yet paired (a national year has
/// about 110.000), so no more than that is held beside the earlier year.
final class StreamedComparison: @unchecked Sendable {
    let before: [Changes.StoredFile]
    private let condition = NSCondition()
    private var queue: [(file: String, rows: [SourceRow], cells: RawCount.Cells)] = []
    private var queued = 0, closed = false, failure: (any Error)?, result: PartChange?
    private let limit = 200_000
    private let done = DispatchGroup()

    /// nil when the store cannot be opened a second time (in memory, or a reader refused): the part is then
    /// compared from the store once its files are written.
    init?(path: String, dataset: Dataset, peildatum: Peildatum, earlier: Peildatum, run: Int64, reference: Reference) {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:"), let reader = try? Store.open(path: path, access: .read),
              let before = try? Changes.storedFiles(reader, dataset, earlier, before: run) else { return nil }
        self.before = before
        let work = Unchecked(value: (reader, reference))
        done.enter()
        let thread = Thread { [self] in
            defer { done.leave() }
            // Behind the writing: the run's own thread and its parser come first, this thread takes the time they leave
            // (on Linux, `who` 0 is the calling thread; the thread is its own, so its priority ends with it).
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            do {
                let (reader, reference) = work.value
                var resolver = Changes.HomeResolver(reference: reference)
                var comparison = Changes.Comparison(dataset: dataset, peildatum: peildatum, baseline: .earlier(earlier),
                                                    expected: before.reduce(0) { $0 + $1.rows })
                for f in before {
                    try Changes.forEachRow(reader, file: f, dataset: dataset, on: earlier, resolver: &resolver) { comparison.before($0) }
                }
                while let (file, rows, cells) = take() {
                    for (i, r) in rows.enumerated() {
                        comparison.after(Changes.row(file, r, i, cells: cells, dataset: dataset, on: peildatum, resolver: &resolver))
                    }
                }
                let change = comparison.finish(rest: Changes.Rest(), reference: reference)
                condition.lock(); result = change; condition.unlock()
            } catch {
                condition.lock(); failure = error; queue = []; condition.broadcast(); condition.unlock()
            }
        }
        thread.start()
    }

    /// Hands over a written file's rows with their cells texts.
    func add(file: String, rows: [SourceRow], cells: RawCount.Cells) {
        condition.lock(); defer { condition.unlock() }
        while queued > limit && failure == nil { condition.wait() }
        guard failure == nil else { return }
        queue.append((file, rows, cells))
        queued += rows.count
        condition.broadcast()
    }

    private func take() -> (String, [SourceRow], RawCount.Cells)? {
        condition.lock(); defer { condition.unlock() }
        while queue.isEmpty && !closed { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let next = queue.removeFirst()
        queued -= next.rows.count
        condition.broadcast()
        return (next.file, next.rows, next.cells)
    }

    /// No more rows: waits for the comparison (its reader is done when this returns, also when it failed).
    func finish() throws -> PartChange {
        condition.lock(); closed = true; condition.broadcast(); condition.unlock()
        done.wait()
        if let failure { throw failure }
        return result!
    }

    /// The run failed: waits for the thread, which pairs what it was handed and stops.
    func cancel() { _ = try? finish() }
}
