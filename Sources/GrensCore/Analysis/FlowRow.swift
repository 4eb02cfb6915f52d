/// One origin–destination row as the analysis sees it: a school location × a pupil home location, with the
/// row's exact part and its `<5` cells. Loaded from the store; the analysis never sees files or SQL.
public struct FlowRow: Sendable, Equatable {
    public var peildatum: Peildatum
    public var soort: Soort
    public var schoolID: String
    public var schoolName: String
    public var schoolGemeente: String
    public var schoolPC4: String?
    /// A gemeente code, a pseudo-code (P10 … P40), or `ONB` when the home could not be resolved.
    public var homeCode: String
    public var homePC4: String
    /// Sum of the exact cells.
    public var exact: Int
    /// Bit i set when cell i is `<5`.
    public var maskedBits: Int
    /// The published value of every cell (0 for `<5`), or all zero when only the row's sums are known. Needed to
    /// apply a school margin per age column (the column's exact part is the sum of these values). Inline (not an
    /// array), so copying a row costs no reference counting.
    public var cellValues: SIMD32<UInt16>

    /// `exactValues`: the published value of each cell (the first 32), as `cellValues` holds them.
    public init(peildatum: Peildatum, soort: Soort, schoolID: String, schoolName: String, schoolGemeente: String,
                schoolPC4: String?, homeCode: String, homePC4: String, exact: Int, maskedBits: Int, exactValues: [UInt16] = []) {
        var values = SIMD32<UInt16>()
        for (i, v) in exactValues.prefix(32).enumerated() { values[i] = v }
        self.init(peildatum: peildatum, soort: soort, schoolID: schoolID, schoolName: schoolName, schoolGemeente: schoolGemeente,
                  schoolPC4: schoolPC4, homeCode: homeCode, homePC4: homePC4, exact: exact, maskedBits: maskedBits, cellValues: values)
    }

    public init(peildatum: Peildatum, soort: Soort, schoolID: String, schoolName: String, schoolGemeente: String,
                schoolPC4: String?, homeCode: String, homePC4: String, exact: Int, maskedBits: Int, cellValues: SIMD32<UInt16>) {
        self.peildatum = peildatum
        self.soort = soort
        self.schoolID = schoolID
        self.schoolName = schoolName
        self.schoolGemeente = schoolGemeente
        self.schoolPC4 = schoolPC4
        self.homeCode = homeCode
        self.homePC4 = homePC4
        self.exact = exact
        self.maskedBits = maskedBits
        self.cellValues = cellValues
    }

    /// The published value of cell `i`: nil when it is `<5`, or when only the row's sums are known and the row
    /// has exact cells.
    public func exactValue(_ i: Int) -> Int? {
        if maskedBits & (1 << i) != 0 { return nil }
        guard i >= 0 && i < 32 else { return 0 }
        // The values are known when they add up to the exact part (always, when that is zero).
        return Int(cellValues.wrappedSum()) == exact ? Int(cellValues[i]) : nil
    }

    public var maskedCount: Int { maskedBits.nonzeroBitCount }
    public var bounds: Bounds { Bounds(min: exact + maskedCount, max: exact + 4 * maskedCount) }
    public var sector: Sector { soort.sector }
    public var crossesBorder: Bool { homeCode != schoolGemeente }
}

/// A total for a school location and soort on a peildatum from DUO's school-side files: per age (or leerjaar)
/// column, as in "01. Leerlingen po per onderwijssoort, cluster en leeftijd", or for the whole location. It
/// fixes the sum of the column's `<5` cells in the flow files, which tightens bounds and estimates.
public struct SchoolMargin: Sendable, Hashable {
    public let peildatum: Peildatum
    public let schoolID: String
    public let soort: Soort
    /// The cell (column of the flow rows) the total is for; nil for all cells of the location and soort.
    public let cell: Int?
    /// The published total: exact, or an interval when DUO published it (or part of it) as `<5`.
    public let total: Bounds

    public init(peildatum: Peildatum, schoolID: String, soort: Soort, cell: Int?, total: Bounds) {
        self.peildatum = peildatum
        self.schoolID = schoolID
        self.soort = soort
        self.cell = cell
        self.total = total
    }

    /// An exact total of the whole location and soort.
    public init(peildatum: Peildatum, schoolID: String, soort: Soort, total: Int) {
        self.init(peildatum: peildatum, schoolID: schoolID, soort: soort, cell: nil, total: Bounds(exact: total))
    }
}

/// School types as the user selects them: one soort, or a sector total.
public enum SoortSelection: String, CaseIterable, Codable, Sendable {
    case bo = "bo", sbo = "sbo", so = "so", vso = "vso", vo = "vo", po = "po", alle = "alle"

    /// One soort (not a sum of several).
    public var isSingle: Bool { self != .po && self != .alle }

    /// Whether this selection covers every soort of `other`.
    public func includes(_ other: SoortSelection) -> Bool {
        other.isSingle ? Soort.allCases.contains { $0.code == other.rawValue && includes($0) } : (self == other || self == .alle)
    }

    public func includes(_ soort: Soort) -> Bool {
        switch self {
        case .alle: return true
        case .po: return soort.sector == .po
        case .bo: return soort == .bo
        case .sbo: return soort == .sbo
        case .so: return soort == .so
        case .vso: return soort == .vso
        case .vo: return soort == .vo
        }
    }

    public var label: String {
        switch self {
        case .bo: return "bo (basisonderwijs)"
        case .sbo: return "sbo (speciaal basisonderwijs)"
        case .so: return "so (speciaal onderwijs)"
        case .vso: return "vso (voortgezet speciaal onderwijs)"
        case .vo: return "vo (voortgezet onderwijs, incl. pro)"
        case .po: return "po totaal (bo, sbo, so, vso)"
        case .alle: return "alle schoolsoorten"
        }
    }

    public var short: String {
        switch self {
        case .po: return "po totaal"
        case .alle: return "totaal"
        default: return rawValue
        }
    }
}
