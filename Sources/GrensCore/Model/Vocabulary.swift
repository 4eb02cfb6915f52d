/// The domain's closed sets, in one place: adding a school type, sector or dataset is "add a case, fix what
/// the compiler flags". Raw values are the spellings of DUO's files and of the store.

/// A sector of education: the files it comes in and the samenwerkingsverbanden (swv) it has.
public enum Sector: String, CaseIterable, Codable, Sendable {
    case po, vo
}

/// A school type as DUO publishes it (`SOORT_PO` in the po files; the vo files are all `Vo`).
public enum Soort: String, CaseIterable, Codable, Sendable, Comparable {
    case bo = "Bo", sbo = "Sbo", so = "So", vso = "Vso", vo = "Vo"

    /// DUO's spelling in any case (`BO`, `bo`, `Bo`).
    public init?(duo text: String) {
        // DUO's own spelling first: no upper-cased copy for the common case.
        if let exact = Soort(rawValue: text) { self = exact; return }
        guard let soort = Soort.byUppercase[text.uppercased()] else { return nil }
        self = soort
    }

    /// Read for every row of a file: one lookup, not a comparison per case.
    private static let byUppercase = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue.uppercased(), $0) })

    /// The sector of the files the soort comes in.
    public var sector: Sector { self == .vo ? .vo : .po }

    /// Lower case, as users type it (`--soort vso`, `soort: vso` in a cost item).
    /// (Literals: read for every row of an analysis, so no lower-casing per call.)
    public var code: String {
        switch self { case .bo: "bo"; case .sbo: "sbo"; case .so: "so"; case .vso: "vso"; case .vo: "vo" }
    }

    /// The position in `allCases` (which builds a new array on every call: sorting asks for this often).
    public var order: Int {
        switch self { case .bo: 0; case .sbo: 1; case .so: 2; case .vso: 3; case .vo: 4 }
    }

    public static func < (a: Soort, b: Soort) -> Bool { a.order < b.order }
}

extension Dataset {
    /// The sector whose pupils the dataset counts.
    public var sector: Sector {
        switch self {
        case .poPostcode, .poVestiging: return .po
        case .voPostcode, .voVestiging: return .vo
        }
    }

    /// Datasets with a pupil home location: the origin–destination rows the analysis reads.
    public static let flows: [Dataset] = allCases.filter(\.hasHome)
    /// Datasets with school totals per location (exact margins for the flow rows).
    public static let margins: [Dataset] = allCases.filter { !$0.hasHome }
}

/// Code for a home that could not be resolved to a gemeente (listed by the ingest report).
public let unresolvedHome = "ONB"

/// The home side of a flow, read from its code: a gemeente, one of DUO's pseudo-postcodes (no Dutch address), or
/// a home that could not be resolved. Codes stay text (they are keys everywhere); this says what a code is.
public enum HomeKind: Sendable, Equatable {
    case gemeente(String)
    case pseudo(PseudoHome)
    case unresolved

    public init(code: String) {
        if code == unresolvedHome { self = .unresolved }
        else if let pseudo = PseudoHome(code: code) { self = .pseudo(pseudo) }
        else { self = .gemeente(code) }
    }

    /// True for a Dutch gemeente: the only homes that can pay, have a swv or a local team.
    public var isGemeente: Bool {
        if case .gemeente = self { return true }
        return false
    }
}
