import Foundation
import GrensCore
import SQLiteWrap

/// Which region to analyse and how to group the rest: reference data names, not code.
public struct AnalysisSettings: Sendable {
    public var region: String
    /// A region whose members are shown one by one as neighbours (nil: everything outside is "rest").
    public var neighbours: String?
    public var estimatorPath: String
    /// Folder with cost items (`*.txt`); nil for none.
    public var costFolder: String?
    /// The folder was given explicitly (`--kosten MAP`): it must exist. The default folder may be missing: no items.
    public var requireCostFolder = false
    /// A cost item that does not fit the store stops the run (true, `grensverkeer kosten`) or becomes a note
    /// in the report (false, the dashboard).
    public var strictCosts: Bool
    public var teamThreshold: Int
    /// The two peildata the change page compares (nil: the latest against the one before). Both must be in the
    /// store; the command line checks that before any work (`Facts.flowPeildata`).
    public var changeFrom: Peildatum?
    public var changeTo: Peildatum?

    public init(region: String = "haaglanden", neighbours: String? = "buren-haaglanden", estimatorPath: String = "data/estimator/masked-cells.csv",
                costFolder: String? = "data/kosten", strictCosts: Bool = false, teamThreshold: Int = 10) {
        self.region = region
        self.neighbours = neighbours
        self.estimatorPath = estimatorPath
        self.costFolder = costFolder
        self.strictCosts = strictCosts
        self.teamThreshold = teamThreshold
    }
}

public enum ReportBuilder {
    /// The estimator's parameters from the file, or the naive midpoint when there is none (the report says so),
    /// with the sha256 of the file (`geen` without one), for the analysis cache's key.
    public static func loadModel(_ path: String) throws -> (MaskedCellModel, String, digest: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return (.naive, "geen geleerde parameters gevonden (\(path)); elke <5 geschat op 2,5", "geen")
        }
        let model = try MaskedCellModel.parse([UInt8](data), file: path)
        let firstLine = String(decoding: data.prefix(while: { $0 != 0x0A }), as: UTF8.self)
        // Published on the "over" page: the file's own description and its name, not where it sits on this machine.
        let name = String(path.split(separator: "/").last ?? Substring(path))
        let source = firstLine.hasPrefix("#") ? String(firstLine.dropFirst().drop(while: { $0 == " " })) : name
        return (model, source == name ? name : "\(source); bestand \(name)", sha256Hex([UInt8](data)))
    }

    public static func build(db: Database, reference: Reference, settings: AnalysisSettings, cache: AnalysisCache? = nil) throws -> Report {
        try analyse(db: db, reference: reference, settings: settings, cache: cache).report
    }

    /// The report and, with `layer`, the rows of the analyst layer (`AnalystLayer.write` stores them).
    /// The peildata are worked out one batch at a time, as many side by side as there are cores, each from its own
    /// rows only (read on a connection of its own); a batch's rows are let go before the next is read, so the memory
    /// an analysis needs does not grow with the number of years in the store. What outlives a peildatum's rows is
    /// its part of the report (`Report.Year`), its cost splits and its rows of the analyst layer.
    /// `cache`: take over what an earlier run worked out for a peildatum whose inputs are the same
    /// (`AnalysisCache`), and keep what this run works out.
    public static func analyse(db: Database, reference: Reference, settings: AnalysisSettings,
                               layer: Bool = false, cache: AnalysisCache? = nil) throws -> (report: Report, layer: [AnalystLayer.Year]) {
        let (model, modelSource, modelDigest) = try loadModel(settings.estimatorPath)
        let dates = try Facts.flowPeildata(db)
        guard let latest = dates.last else {
            throw StoreError("de database bevat geen leerlingstromen; lees eerst DUO-bestanden in (grensverkeer ingest <map>)")
        }
        let members = reference.members(of: settings.region, on: latest)
        guard !members.isEmpty else {
            throw StoreError("regio '\(settings.region)' heeft geen leden op \(latest) in data/reference/regions.csv")
        }
        let neighbours = settings.neighbours.map { reference.members(of: $0, on: latest) } ?? []
        let grouping = Grouping(region: settings.region, members: members, neighbours: neighbours, reference: reference)
        // The soorten of a peildatum's rows, from its stored entry while its files are the same.
        let files = try AnalysisCache.files(db)
        var present: [Peildatum: Set<Soort>] = [:]
        for date in dates { present[date] = try cache?.soorten(date, files: files[date.iso] ?? "") ?? Facts.flowSoorten(db, on: date) }
        let soorten = Report.selections(present: present.values.reduce(into: Set<Soort>()) { $0.formUnion($1) })
        // The unmasked years are also read with their true counts, for the matrices published with cell
        // suppression; not the latest: its school lists, team lists and costs are published from masked cells, and
        // exact matrices beside them would let a reader subtract one from the other.
        let unmasked = try Facts.unmaskedPeildata(db)
        var marginsByDate: [Peildatum: [SchoolMargin]] = [:]
        for margin in try Facts.margins(db) { marginsByDate[margin.peildatum, default: []].append(margin) }
        let items = try settings.costFolder.map { try CostItems.load(folder: $0, required: settings.requireCostFolder, reference: reference, latest: latest) } ?? []
        // Draws (for the 90% intervals) only for the rows the report aggregates: homes in or near the region and,
        // per peildatum, every row of a school that has pupils from there or stands there. Each peildatum is
        // estimated on its own seed (`EstimatedRows.peildatum`), so a year's figures do not change when another
        // year is added; all share one draw source, so a change between two years gets its interval draw by draw.
        let near = Set(members + neighbours)
        let source = DrawSource(count: EstimatedRows.defaultDraws)
        let keys = try cache.map { _ in
            try AnalysisCache.keys(db: db, files: files, peildata: dates, latest: latest, reference: reference, grouping: grouping, soorten: soorten,
                                   unmasked: unmasked, estimator: modelDigest)
        } ?? [:]
        let context = Unchecked(value: (model, reference, grouping, marginsByDate, items, unmasked, cache))
        /// A peildatum's entry taken over from the cache, or its rows estimated: what its pieces are made from.
        @Sendable func prepare(_ date: Peildatum, _ db: Database) throws -> Stage {
            let (model, reference, grouping, marginsByDate, items, unmasked, cache) = context.value
            let key = keys[date]
            let own = items.enumerated().filter { $0.element.peildatum == date }.map { ($0.offset, $0.element) }
            let ownText = try AnalysisCache.itemsText(own.map(\.1))
            // An entry made for the latest peildatum has its school list and serves later as an earlier year too.
            if let cache, let key, let bytes = try cache.bytes(date, key: key, on: db),
               var outcome = try? Outcome.read(bytes, items: own, itemsText: ownText, source: source), !layer || outcome.layer != nil,
               date != latest || outcome.part.hasSchools {
                if !layer { outcome.layer = nil }
                if date != latest { outcome.part = outcome.part.asEarlier }
                outcome.layer?.key = key
                (outcome.reused, outcome.inCache) = (true, true)
                return .done(outcome)
            }
            // The true rows only of an unmasked year that is not the latest.
            var read = try Facts.read(db, peildata: [date], keepExact: date == latest ? [] : unmasked.intersection([date]))
            let unassignable = Analysis.mapToGemeenten(of: latest, rows: &read.published, reference: reference, grouping: grouping)
            _ = Analysis.mapToGemeenten(of: latest, rows: &read.exact, reference: reference, grouping: grouping)
            let exact = read.masked[date, default: 0] == 0 && !read.exact.isEmpty
                ? EstimatedRows(rows: read.exact, model: model, drawsFor: { _ in false }) : nil
            read.exact = []
            let schoolsNear = Set(read.published.filter { near.contains($0.homeCode) || near.contains($0.schoolGemeente) }.map(\.schoolID))
            let data = EstimatedRows.peildatum(date, rows: read.published, model: model, margins: marginsByDate[date] ?? [], source: source,
                                               drawsFor: { near.contains($0.homeCode) || schoolsNear.contains($0.schoolID) })
            read.published = []
            // What is kept has the layer's rows, so that a run with notebooks can take it over too.
            let keep = cache?.writes == true ? key : nil
            return .estimated(Estimated(date: date, data: data, exact: exact, swvs: RowSwvs(data, on: date, reference: reference),
                                        unassignable: unassignable, own: own, ownText: ownText, keep: keep, withLayer: layer || keep != nil))
        }
        /// The pieces of the estimated peildata of a batch (report part, analyst layer rows, cost splits), all
        /// in one list for the cores, the largest first: a core that is done with a small year's pieces takes on
        /// a larger year's. The last piece of a peildatum makes its outcome (and the bytes it is kept under) and
        /// lets its estimated rows go.
        func pieces(_ estimated: consuming [Estimated]) -> [Outcome] {
            let (_, reference, grouping, _, _, _, _) = context.value
            var jobs: [Job] = []
            let bySize = estimated.indices.sorted { estimated[$0].data.rows.count > estimated[$1].data.rows.count }
            for j in bySize {
                jobs.append(.part(j))
                if estimated[j].withLayer { jobs.append(.layer(j)) }
            }
            for j in bySize { for (index, item) in estimated[j].own { jobs.append(.split(j, index, item)) } }
            let assemblies = estimated.map { Assembly($0, layer: layer) }
            estimated = []
            @Sendable func make(_ job: Job) -> Piece {
                switch job {
                case .part(let j):
                    let e = assemblies[j].estimated
                    return .part(Report.year(e.data, on: e.date, soorten: soorten, grouping: grouping, reference: reference,
                                             exact: e.exact, schools: e.date == latest, rowSwvs: e.swvs))
                case .layer(let j):
                    let e = assemblies[j].estimated
                    return .layer(AnalystLayer.year(e.data, on: e.date, reference: reference, swvs: e.swvs))
                case .split(let j, let index, let item):
                    return .split(index, Result { () throws(InputError) in try CostSplit.compute(item, data: assemblies[j].estimated.data, reference: reference) })
                }
            }
            _ = concurrentMap(jobs.count) { [jobs] t in assemblies[jobs[t].batchIndex].add(make(jobs[t])) }
            return assemblies.map(\.outcome)
        }
        // What was worked out is kept as soon as its batch is done (on `db`, between batches), and its bytes let go.
        func keep(_ outcome: Outcome) throws -> Outcome {
            guard let cache, let (key, bytes, checksum) = outcome.kept else { return outcome }
            let date = outcome.part.peildatum
            try cache.store(date, key: key, files: files[date.iso] ?? "", soorten: present[date] ?? [], bytes: bytes, checksum: checksum)
            var outcome = outcome
            outcome.kept = nil
            outcome.inCache = true
            return outcome
        }
        // Each peildatum on a read-only connection of its own; a store that cannot be opened a second time (in
        // memory) or a connection inside a transaction (whose writes other connections do not see yet) is read on
        // `db`, one peildatum at a time.
        let path = db.path
        let ownConnections = dates.count > 1 && !db.inTransaction && !path.isEmpty && path != ":memory:" && !path.hasPrefix("file:")
        // The peildata the cache should give come first, so that those to be worked out share batches.
        let expected = Set(dates.filter { cache?.holds($0, key: keys[$0]) ?? false })
        let order = dates.filter(expected.contains) + dates.filter { !expected.contains($0) }
        let width = ownConnections ? max(1, ProcessInfo.processInfo.activeProcessorCount) : 1
        var outcomes: [Outcome] = []
        for start in stride(from: 0, to: order.count, by: width) {
            let batch = Array(order[start..<min(start + width, order.count)])
            let stages = ownConnections
                ? try concurrentMap(batch.count) { k in Result { try prepare(batch[k], try Store.open(path: path, access: .read)) } }.map { try $0.get() }
                : [try prepare(batch[0], db)]
            var estimated: [Estimated] = []
            for stage in stages {
                switch stage {
                case .done(let outcome): outcomes.append(outcome)
                case .estimated(let e): estimated.append(e)
                }
            }
            if !estimated.isEmpty { for outcome in pieces(consume estimated) { outcomes.append(try keep(outcome)) } }
        }
        outcomes.sort { $0.part.peildatum < $1.part.peildatum }
        if let cache {
            cache.reused = outcomes.filter(\.reused).map(\.part.peildatum)
            cache.computed = outcomes.filter { !$0.reused }.map(\.part.peildatum)
            try cache.finish(keep: Set(outcomes.filter(\.inCache).map(\.part.peildatum)))
        }

        var notes: [String] = []
        let unassignable = outcomes.reduce(into: Set<String>()) { $0.formUnion($1.unassignable) }
        if !unassignable.isEmpty {
            notes.append("Gesplitste gemeenten die niet eenduidig op de indeling van \(latest) passen (als 'niet herkend' geteld): \(unassignable.sorted().joined(separator: ", ")).")
        }
        let unresolved = try Staging.unresolvedHomes(db: db).reduce(0) { $0 + $1.rows }
        if unresolved > 0 {
            notes.append("\(unresolved) \(unresolved == 1 ? "rij" : "rijen") met een woonplaats die niet tot een gemeente te herleiden is; "
                + "ze tellen mee onder buitenland/onbekend.")
        }
        let inconsistent = outcomes.reduce(0) { $0 + $1.inconsistentMargins }
        if inconsistent > 0 {
            notes.append("\(inconsistent) schooltotalen spreken de stroombestanden tegen: ze zijn begrensd gebruikt voor de schatting, niet voor de grenzen.")
        }
        let withMargins = outcomes.reduce(0) { $0 + $1.schoolsWithMargins }
        if withMargins > 0 {
            notes.append("Voor \(withMargins) schoolvestigingen zijn schooltotalen gebruikt om grenzen en schatting aan te scherpen.")
        }
        // Every item in its order: one whose peildatum is not in the store is refused as the split says.
        var results = Dictionary(uniqueKeysWithValues: outcomes.flatMap(\.splits))
        let empty = EstimatedRows(rows: [], model: model)
        var splits: [CostSplit] = []
        var refusals: [InputError] = []
        for (index, item) in items.enumerated() {
            let result = results.removeValue(forKey: index) ?? Result { () throws(InputError) in try CostSplit.compute(item, data: empty, reference: reference) }
            switch result {
            case .success(let split): splits.append(split)
            case .failure(let error): refusals.append(error)
            }
        }
        if settings.strictCosts && !refusals.isEmpty { throw CostRefusal(errors: refusals) }
        var report = Report.assemble(outcomes.map(\.part), soorten: soorten, reference: reference, grouping: grouping,
                                     regionName: reference.regionName(settings.region), sources: try Facts.sources(db),
                                     estimatorSource: modelSource, notes: notes, costSplits: splits, refusedCostItems: refusals,
                                     teamThreshold: settings.teamThreshold, changeFrom: settings.changeFrom, changeTo: settings.changeTo)
        report.lastRefresh = try Changes.load(db, rowLimit: 20)
        report.newerPeildata = items.filter { !$0.followsLatest && $0.peildatum < latest }
            .map { NewerPeildatum(item: $0.name, file: $0.file, pinned: $0.peildatum, latest: latest) }
        return (report, outcomes.compactMap(\.layer))
    }
}

/// A peildatum of an analysis taken over from the cache, or estimated and still to be made into its pieces.
enum Stage: Sendable { case done(Outcome), estimated(Estimated) }

/// A peildatum's estimated rows with what its pieces need (`ReportBuilder.analyse`).
struct Estimated: Sendable {
    let date: Peildatum
    let data: EstimatedRows
    /// The true rows of an unmasked earlier year, for its published matrices.
    let exact: EstimatedRows?
    let swvs: RowSwvs
    let unassignable: Set<String>
    /// The cost items of this peildatum with their place among all items, and their kept form.
    let own: [(Int, CostItem)]
    let ownText: String
    /// The cache key to keep the outcome under (nil: not kept).
    let keep: String?
    /// Its analyst layer rows are made (asked for, or kept in the cache).
    let withLayer: Bool
}

/// One piece of work on an estimated peildatum (its index in the batch; a split also has its item's place among
/// all items), and what it gives.
enum Job {
    case part(Int), layer(Int), split(Int, Int, CostItem)
    var batchIndex: Int {
        switch self { case .part(let j), .layer(let j), .split(let j, _, _): j }
    }
}
enum Piece: Sendable { case part(Report.Year), layer(AnalystLayer.Year), split(Int, Result<CostSplit, InputError>) }

/// The pieces of one estimated peildatum as they are made, side by side. The piece that completes them makes the
/// outcome, with its bytes for the analysis cache, and lets the estimated rows go (so a batch's larger year does
/// not wait with its bytes until the smaller year is done, and the smaller year's rows do not wait for the larger).
final class Assembly: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: Estimated?
    private var left: Int
    private let layer: Bool
    private var part: Report.Year?, layerYear: AnalystLayer.Year?, splits: [(Int, Result<CostSplit, InputError>)] = []
    private var made: Outcome?

    /// `layer`: the outcome keeps its analyst layer rows (they were asked for; otherwise they are only kept in the
    /// cache's bytes).
    init(_ estimated: Estimated, layer: Bool) {
        rows = estimated
        left = 1 + (estimated.withLayer ? 1 : 0) + estimated.own.count
        self.layer = layer
    }

    /// The estimated peildatum, while pieces of it are still to be made.
    var estimated: Estimated {
        lock.lock(); defer { lock.unlock() }
        return rows!
    }

    /// The outcome, once every piece is in.
    var outcome: Outcome {
        lock.lock(); defer { lock.unlock() }
        return made!
    }

    func add(_ piece: Piece) {
        lock.lock()
        switch piece {
        case .part(let p): part = p
        case .layer(let l): layerYear = l
        case .split(let index, let result): splits.append((index, result))
        }
        left -= 1
        guard left == 0, let e = rows else { lock.unlock(); return }
        var outcome = Outcome(part: part!, splits: splits.sorted { $0.0 < $1.0 }, layer: layerYear, unassignable: e.unassignable,
                              inconsistentMargins: e.data.inconsistentMargins.count, schoolsWithMargins: e.data.schoolsWithMargins)
        (rows, part, layerYear, splits) = (nil, nil, nil, [])
        lock.unlock()
        let (key, itemsText) = (e.keep, e.ownText)
        _ = consume e
        if let key {
            let bytes = outcome.bytes(itemsText: itemsText)
            outcome.kept = (key, bytes, checksumHex(bytes))
            outcome.layer?.key = key
        }
        if !layer { outcome.layer = nil }
        lock.lock(); made = outcome; lock.unlock()
    }
}

/// What one peildatum contributes to an analysis (`ReportBuilder.analyse`).
struct Outcome: Sendable {
    var part: Report.Year
    var splits: [(Int, Result<CostSplit, InputError>)] = []
    var layer: AnalystLayer.Year?
    var unassignable: Set<String>
    var inconsistentMargins: Int
    var schoolsWithMargins: Int
    /// Taken over from the analysis cache.
    var reused = false
    /// The key, bytes and their checksum (`checksumHex`) to keep in the analysis cache (the checksum worked out
    /// beside the other peildata of the batch, not between batches).
    var kept: (key: String, bytes: [UInt8], checksum: String)? = nil
    /// In the analysis cache after this run (taken over, or kept).
    var inCache = false

    /// The binary form kept in the analysis cache; `itemsText`: the cost items the splits were made for
    /// (`AnalysisCache.itemsText`), then the splits in the order of their items.
    func bytes(itemsText: String) -> [UInt8] {
        var w = ByteWriter()
        part.write(to: &w)
        w.bool(layer != nil)
        layer?.write(to: &w)
        w.strings(unassignable.sorted())
        w.int(inconsistentMargins)
        w.int(schoolsWithMargins)
        w.string(itemsText)
        w.int(splits.count)
        for (_, result) in splits.sorted(by: { $0.0 < $1.0 }) { w.costSplit(result) }
        return w.bytes
    }

    /// `items`: the cost items of this peildatum with their place among all items, in order, and `itemsText` their
    /// kept form. An entry made for other items serves only an analysis without items (its splits left out).
    static func read(_ bytes: [UInt8], items: [(Int, CostItem)], itemsText: String, source: DrawSource) throws(ByteFormatError) -> Outcome {
        var r = ByteReader(bytes)
        let part = try Report.Year.read(from: &r, source: source)
        let layer = try r.bool() ? try AnalystLayer.Year.read(from: &r) : nil
        var outcome = Outcome(part: part, layer: layer, unassignable: Set(try r.strings()), inconsistentMargins: try r.int(),
                              schoolsWithMargins: try r.int())
        let made = try r.string()
        if items.isEmpty && !made.isEmpty { return outcome }
        guard made == itemsText, try r.int() == items.count else { throw ByteFormatError("andere kostenposten") }
        for (index, item) in items { outcome.splits.append((index, try r.costSplit(for: item, source: source))) }
        guard r.isAtEnd else { throw ByteFormatError("bytes na het einde") }
        return outcome
    }
}

/// Cost items that do not fit the data in the store.
public struct CostRefusal: Error, CustomStringConvertible {
    public let errors: [InputError]
    public var description: String {
        "Kostenposten geweigerd (\(errors.count)):\n" + errors.map { "- \($0)" }.joined(separator: "\n")
    }
}

/// Reads the cost item files (`*.txt`, any case, sorted by name) of a folder. Every such name is an item: one
/// that is a folder, not a regular file, unreadable, not UTF-8 or empty is refused with its name, never skipped.
/// Hidden names (editor locks and backups such as `.#post.txt`) are not items.
public enum CostItems {
    /// `required`: the folder was given explicitly and must exist; the default folder may be missing (no items).
    public static func load(folder: String, required: Bool, reference: Reference, latest: Peildatum? = nil) throws -> [CostItem] {
        func refuse(_ file: String, _ message: String) -> InputError { InputError(file: file, line: nil, column: nil, message: message) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            if !required { return [] }
            throw CostRefusal(errors: [refuse(folder, "de map met kostenposten bestaat niet; verwacht een map met *.txt-bestanden (of --kosten geen)")])
        }
        guard isDirectory.boolValue else { throw CostRefusal(errors: [refuse(folder, "is geen map; verwacht een map met *.txt-bestanden")]) }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw CostRefusal(errors: [refuse(folder, "de map kan niet worden gelezen")])
        }
        let names = entries.filter { !$0.hasPrefix(".") && $0.lowercased().hasSuffix(".txt") }.sorted()
        var errors: [InputError] = []
        var items: [CostItem] = []
        for name in names {
            let path = folder + "/" + name
            var st = stat()
            let bytes: Data?
            if stat(path, &st) != 0 {
                bytes = nil
            } else if (st.st_mode & S_IFMT) == S_IFDIR {
                errors.append(refuse(path, "is een map; verwacht een bestand met een kostenpost"))
                continue
            } else if (st.st_mode & S_IFMT) != S_IFREG {
                // Checked before reading: opening a named pipe would wait forever.
                errors.append(refuse(path, "is geen gewoon bestand; verwacht een bestand met een kostenpost"))
                continue
            } else {
                bytes = FileManager.default.contents(atPath: path)
            }
            guard let bytes else {
                errors.append(refuse(path, "kan niet worden gelezen; verwacht een leesbaar bestand met een kostenpost"))
                continue
            }
            do throws(InputError) {
                items.append(try CostItem.parse([UInt8](bytes), file: path, reference: reference, latest: latest))
            } catch {
                errors.append(error)
            }
        }
        guard errors.isEmpty else { throw CostRefusal(errors: errors) }
        return items
    }
}
