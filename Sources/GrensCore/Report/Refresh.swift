/// What one ingest run changed in one dataset × peildatum, against what the store held before the run.
/// Made by the ingest itself (so every change is recorded, never reconstructed), shown by `wijzigingen`,
/// summarised on the dashboard.
public struct PartChange: Sendable, Codable, Equatable {
    /// What the new files are compared with.
    public enum Baseline: Sendable, Codable, Equatable {
        /// The store had nothing of this dataset before: no comparison.
        case none
        /// The same peildatum as the store held it (a file replaced, or a school gemeente added).
        case same
        /// A new peildatum, compared with the latest earlier peildatum of the dataset.
        case earlier(Peildatum)
    }

    public var dataset: Dataset
    public var peildatum: Peildatum
    public var baseline: Baseline
    /// The files that went out (same peildatum) or that the baseline consists of (earlier peildatum).
    public var filesBefore: [String]
    public var filesAfter: [String]
    public var layoutsBefore: [String]
    public var layoutsAfter: [String]
    /// Column names that appeared and disappeared; nil when the headers of the baseline are not known (files
    /// ingested by an older version).
    public var columnsAdded: [String]?
    public var columnsRemoved: [String]?
    /// Rows of the whole dataset × peildatum (other peildatum for `.earlier`) before and after.
    public var rowsBefore: Int
    public var rowsAfter: Int
    public var rowsAdded: Int
    public var rowsRemoved: Int
    public var rowsChanged: Int
    public var pupilsBefore: Bounds
    public var pupilsAfter: Bounds
    /// Bounds of after − before (see `RowChange.change` for how a masked cell counts).
    public var pupilsChange: Bounds
    /// School and home gemeenten whose pupils changed, flagged ones first.
    public var areas: [AreaChange]
    /// School locations that appeared or vanished, flagged ones first.
    public var schools: [SchoolChange]
    /// Row by row; kept for the same peildatum only (a new year changes nearly every row).
    public var rows: [RowChange]

    public init(dataset: Dataset, peildatum: Peildatum, baseline: Baseline, filesBefore: [String], filesAfter: [String],
                layoutsBefore: [String], layoutsAfter: [String], columnsAdded: [String]?, columnsRemoved: [String]?,
                rowsBefore: Int, rowsAfter: Int, rowsAdded: Int, rowsRemoved: Int, rowsChanged: Int,
                pupilsBefore: Bounds, pupilsAfter: Bounds, pupilsChange: Bounds,
                areas: [AreaChange], schools: [SchoolChange], rows: [RowChange]) {
        self.dataset = dataset; self.peildatum = peildatum; self.baseline = baseline
        self.filesBefore = filesBefore; self.filesAfter = filesAfter
        self.layoutsBefore = layoutsBefore; self.layoutsAfter = layoutsAfter
        self.columnsAdded = columnsAdded; self.columnsRemoved = columnsRemoved
        self.rowsBefore = rowsBefore; self.rowsAfter = rowsAfter
        self.rowsAdded = rowsAdded; self.rowsRemoved = rowsRemoved; self.rowsChanged = rowsChanged
        self.pupilsBefore = pupilsBefore; self.pupilsAfter = pupilsAfter; self.pupilsChange = pupilsChange
        self.areas = areas; self.schools = schools; self.rows = rows
    }

    public var layoutChanged: Bool {
        baseline != .none && !layoutsBefore.isEmpty && Set(layoutsBefore) != Set(layoutsAfter)
    }
    public var headerChanged: Bool { !(columnsAdded ?? []).isEmpty || !(columnsRemoved ?? []).isEmpty }
    /// A tenth of the rows went from one peildatum: a file missing from the set, or a narrower extraction.
    /// (Between years rows come and go by the thousand: the gemeente totals tell there.)
    public var manyRowsRemoved: Bool { baseline == .same && rowsRemoved > 0 && rowsRemoved * 10 >= rowsBefore }

    /// Anything the analyst should look at first.
    public var flagged: Bool {
        layoutChanged || headerChanged || manyRowsRemoved || areas.contains(where: \.flagged) || schools.contains(where: \.flagged)
    }
}

/// Pupils of one school gemeente or home gemeente before and after.
public struct AreaChange: Sendable, Codable, Equatable {
    public enum Side: String, Sendable, Codable { case school, home }
    public var side: Side
    public var code: String
    public var name: String
    public var before: Bounds
    public var after: Bounds
    public var change: Bounds
    public var flagged: Bool

    public init(side: Side, code: String, name: String, before: Bounds, after: Bounds, change: Bounds) {
        self.side = side; self.code = code; self.name = name
        self.before = before; self.after = after; self.change = change
        flagged = RefreshThreshold.flags(before: before, change: change)
            || (side == .school && before.max > 0 && after.max == 0)
    }
}

/// A school location that is in the new files but not in the old ones, or the other way round.
public struct SchoolChange: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case appeared = "nieuw", vanished = "verdwenen" }
    public var kind: Kind
    public var schoolID: String
    public var name: String
    public var gemeente: String
    public var pupils: Bounds
    public var flagged: Bool

    public init(kind: Kind, schoolID: String, name: String, gemeente: String, pupils: Bounds) {
        self.kind = kind; self.schoolID = schoolID; self.name = name; self.gemeente = gemeente; self.pupils = pupils
        flagged = RefreshThreshold.isLarge(pupils)
    }
}

/// One row (school location × soort × home PC4 × home name) that was added, removed or changed.
public struct RowChange: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case added = "toegevoegd", removed = "verwijderd", changed = "gewijzigd" }
    public struct Version: Sendable, Codable, Equatable {
        public var file: String
        public var line: Int
        /// The counts as published, `;`-separated, `<5` kept.
        public var cells: String
        public init(file: String, line: Int, cells: String) { self.file = file; self.line = line; self.cells = cells }
    }
    public var kind: Kind
    public var schoolID: String
    public var schoolName: String
    public var schoolGemeente: String
    public var soort: String
    public var homePC4: String
    public var homeName: String
    public var before: Version?
    public var after: Version?
    /// Bounds of after − before over the row's cells. A cell published the same in both versions of one
    /// peildatum counts as unchanged, also a `<5`; a `<5` that became a number b counts as b − 4 … b − 1.
    public var change: Bounds

    public init(kind: Kind, schoolID: String, schoolName: String, schoolGemeente: String, soort: String, homePC4: String,
                homeName: String, before: Version?, after: Version?, change: Bounds) {
        self.kind = kind; self.schoolID = schoolID; self.schoolName = schoolName; self.schoolGemeente = schoolGemeente
        self.soort = soort; self.homePC4 = homePC4; self.homeName = homeName
        self.before = before; self.after = after; self.change = change
    }
}

/// When a change is worth a look before anything else: at least 25 pupils and at least a tenth of what was
/// there, for certain: the bound of the change nearest to zero must get there, whatever the `<5` cells hold
/// (midpoints of masked bounds would flag half of a normal year). Large enough that a normal year passes, small
/// enough that a missing school or a gemeente file with half its rows stands out.
public enum RefreshThreshold {
    public static let pupils = 25
    public static let fraction = 0.10

    /// The smallest size the change can have.
    static func certain(_ change: Bounds) -> Int { change.min > 0 ? change.min : change.max < 0 ? -change.max : 0 }

    public static func flags(before: Bounds, change: Bounds) -> Bool {
        let delta = certain(change)
        return delta >= pupils && Double(delta) >= fraction * Double(before.min + before.max) / 2
    }

    public static func isLarge(_ b: Bounds) -> Bool { b.min >= pupils }

    public static var description: String { "zeker ≥ \(pupils) leerlingen en ≥ \(Int(fraction * 100))%" }
}

/// One ingest run that changed something: what the dashboard's summary of the last refresh shows.
public struct Refresh: Sendable, Codable, Equatable {
    public var run: Int
    public var parts: [PartChange]

    public init(run: Int, parts: [PartChange]) {
        self.run = run
        self.parts = parts
    }
}

/// The difference of two published rows, cell by cell (see `RowChange.change`). `samePeildatum`: both are
/// versions of one count, so a `<5` published in both is the same number; across years it is not.
public func cellChange(before: String?, after: String?, samePeildatum: Bool) -> Bounds {
    let a = publishedCells(before), b = publishedCells(after)
    var total = Bounds.zero
    for i in 0..<Swift.max(a.count, b.count) {
        let x = i < a.count ? a[i] : .zero
        let y = i < b.count ? b[i] : .zero
        if samePeildatum && x == y { continue }
        total += Bounds(min: y.min - x.max, max: y.max - x.min)
    }
    return total
}

/// The cells of a stored row (`raw_count.cells`: counts separated by `;`, `<5` as written) as bounds: `<5` is 1–4,
/// a number is itself, anything else (an empty cell) is 0. Read as bytes: this runs for every row of a new year.
func publishedCells(_ text: String?) -> [Bounds] {
    guard var text else { return [] }
    return text.withUTF8 { bytes in
        var out: [Bounds] = []
        out.reserveCapacity(32)
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: ";") { end += 1 }
            let cell = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if cell.count == 2, cell[0] == UInt8(ascii: "<"), cell[1] == UInt8(ascii: "5") {
                out.append(Bounds(min: 1, max: 4))
            } else if !cell.isEmpty, cell.count <= 18, cell.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                out.append(Bounds(exact: cell.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }))
            } else {
                // Signs and other forms as Swift's Int reads them; not a number: 0.
                out.append(Int(String(decoding: cell, as: UTF8.self)).map { Bounds(exact: $0) } ?? .zero)
            }
            start = end + 1
        }
        return out
    }
}

/// One cost item pinned to a peildatum while the store holds a newer one: `run` and `kosten` say so.
public struct NewerPeildatum: Sendable, Codable, Equatable {
    public var item: String
    public var file: String
    public var pinned: Peildatum
    public var latest: Peildatum

    public init(item: String, file: String, pinned: Peildatum, latest: Peildatum) {
        self.item = item; self.file = file; self.pinned = pinned; self.latest = latest
    }

    public var message: String {
        "kostenpost \(item) (\(file)) gebruikt peildatum \(pinned); de database heeft een nieuwere peildatum \(latest). "
            + "Zet 'peildatum: \(latest)' of 'peildatum: laatste' in het bestand om de nieuwe cijfers te gebruiken."
    }
}

/// Per soort, the region's pupils per peildatum: the data of the trend over every year in the store.
public struct TrendPoint: Sendable, Codable, Equatable {
    public var soort: SoortSelection
    public var peildatum: Peildatum
    /// Pupils living in the region (school anywhere).
    public var living: Quantity
    /// Of them, at school outside their own gemeente.
    public var outflow: Quantity
    /// Of them, at school outside the region.
    public var outRegion: Quantity
    /// The rests of `living`: at school in their own gemeente, in the region.
    public var own: Quantity
    public var inRegion: Quantity

    public init(soort: SoortSelection, peildatum: Peildatum, figures f: RegionFigures) {
        self.soort = soort; self.peildatum = peildatum
        living = f.living; outflow = f.outflow; outRegion = f.outRegion; own = f.own; inRegion = f.inRegion
    }

    public var outflowShare: Share? { Share(part: outflow, rest: own) }
    public var outRegionShare: Share? { Share(part: outRegion, rest: inRegion) }
}
