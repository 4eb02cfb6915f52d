import Foundation

/// A gemeente as reference data: CBS code, official name, when it existed and what it became.
public struct Gemeente: Sendable, Codable, Hashable {
    public let code: String
    public let name: String
    public let validFrom: Peildatum?
    /// First day on which the gemeente no longer existed.
    public let validTo: Peildatum?
    /// Codes it merged into (one) or was split over (several).
    public let successors: [String]

    public func exists(on date: Peildatum) -> Bool {
        (validFrom.map { $0 <= date } ?? true) && (validTo.map { date < $0 } ?? true)
    }
}

public struct RegionMember: Sendable, Hashable {
    public let region: String
    public let regionName: String
    public let code: String
    public let validFrom: Peildatum?
    public let validTo: Peildatum?
}

public struct Swv: Sendable, Hashable, Codable {
    public let code: String
    public let sector: Sector
    public let name: String
}

public struct SwvArea: Sendable, Hashable {
    public let swv: String
    public let gemeente: String
    public let pc4: String?
    public let validFrom: Peildatum?
    public let validTo: Peildatum?
}

/// A row of the national legal table PC4 → gemeente → PO swv → VO swv (optional input).
public struct PC4Assignment: Sendable, Hashable {
    public let gemeenteName: String
    public let poSwv: String
    public let voSwv: String
}

/// All reference data, loaded once per run. Home locations resolve through it to gemeente codes.
public struct Reference: Sendable {
    public let gemeenten: [String: Gemeente]
    /// Folded name → entries (code with validity); more than one entry when a name was reused over time.
    let names: [String: [(code: String, from: Peildatum?, to: Peildatum?)]]
    public let regions: [RegionMember]
    public let swvs: [String: Swv]
    public let swvAreas: [SwvArea]
    public let pc4Table: [String: PC4Assignment]
    /// Gemeente outlines for maps, by boundary year (oldest first); empty when the reference folder has none.
    public internal(set) var maps: [GemeenteShapes]
    /// `ReferenceTexts.fingerprint` of the texts this was loaded from; empty when it was built otherwise (then
    /// nothing derived from it is taken as current).
    public var textFingerprint = ""

    public init(gemeenten: [Gemeente], aliases: [(alias: String, code: String, from: Peildatum?, to: Peildatum?)],
                regions: [RegionMember], swvs: [Swv], swvAreas: [SwvArea], pc4Table: [String: PC4Assignment] = [:],
                maps: [GemeenteShapes] = []) {
        var byCode: [String: Gemeente] = [:]
        var names: [String: [(code: String, from: Peildatum?, to: Peildatum?)]] = [:]
        for g in gemeenten {
            byCode[g.code] = g
            names[foldName(g.name), default: []].append((g.code, g.validFrom, g.validTo))
        }
        for a in aliases { names[foldName(a.alias), default: []].append((a.code, a.from, a.to)) }
        self.gemeenten = byCode
        self.names = names
        self.regions = regions
        self.swvs = Dictionary(swvs.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        self.swvAreas = swvAreas
        self.pc4Table = pc4Table
        self.maps = maps
    }

    public func name(of code: String) -> String {
        if let g = gemeenten[code] { return g.name }
        if let pseudo = PseudoHome(code: code) { return pseudo.name }
        return code
    }

    /// The gemeente with this name on this date (official name or a DUO variant), or nil.
    public func gemeente(named name: String, on date: Peildatum) -> String? {
        // One code among the entries valid on the date, or none (two codes: the name is ambiguous then).
        var found: String?
        for entry in names[foldName(name)] ?? [] where (entry.from.map { $0 <= date } ?? true) && (entry.to.map { date < $0 } ?? true) {
            if let code = found, code != entry.code { return nil }
            found = entry.code
        }
        return found
    }

    /// The gemeente(n) that hold `code`'s territory on `date`, following mergers (and splits) forward.
    public func successors(of code: String, on date: Peildatum) -> [String] {
        var result: Set<String> = []
        var queue = [code]
        var seen: Set<String> = []
        while let c = queue.popLast() {
            guard seen.insert(c).inserted else { continue }
            guard let g = gemeenten[c] else { result.insert(c); continue }
            if let end = g.validTo, end <= date, !g.successors.isEmpty {
                queue.append(contentsOf: g.successors)
            } else {
                result.insert(c)
            }
        }
        return result.sorted()
    }

    /// Members of a region on a date, sorted by code.
    public func members(of region: String, on date: Peildatum) -> [String] {
        regions.filter { $0.region == region && ($0.validFrom.map { $0 <= date } ?? true) && ($0.validTo.map { date < $0 } ?? true) }
            .map(\.code).sorted()
    }

    public func regionName(_ region: String) -> String {
        regions.first { $0.region == region }?.regionName ?? region
    }

    /// The swv of a location for a sector (`po` or `vo`): a PC4 exception first, then the gemeente, then the
    /// optional national PC4 table.
    public func swv(sector: Sector, gemeente: String, pc4: String?, on date: Peildatum) -> String? {
        let live = swvAreas.filter { area in
            swvs[area.swv]?.sector == sector && area.gemeente == gemeente
                && (area.validFrom.map { $0 <= date } ?? true) && (area.validTo.map { date < $0 } ?? true)
        }
        return Self.swv(live: live, sector: sector, pc4: pc4, pc4Table: pc4Table)
    }

    /// The swv from the areas of one sector and gemeente valid on the date (in the reference's order): the area of
    /// the PC4, else the whole gemeente's, else the national PC4 table's.
    static func swv(live: [SwvArea], sector: Sector, pc4: String?, pc4Table: [String: PC4Assignment]) -> String? {
        if let pc4, let exact = live.first(where: { $0.pc4 == pc4 }) { return exact.swv }
        if let whole = live.first(where: { $0.pc4 == nil }) { return whole.swv }
        if let pc4, let row = pc4Table[pc4] { return sector == .po ? row.poSwv : row.voSwv }
        return nil
    }
}

/// Pupils without a Dutch home PC4 keep DUO's pseudo-code: they are a home of their own in every table.
public struct PseudoHome: Sendable, Equatable {
    public let postcode: String
    public init?(code: String) {
        guard code.hasPrefix("P"), pseudoPostcodes[String(code.dropFirst())] != nil else { return nil }
        postcode = String(code.dropFirst())
    }
    public static func code(for postcode: String) -> String { "P" + postcode }
    public var name: String { pseudoPostcodes[postcode] ?? postcode }
}

/// Names compared without case, diacritics or surrounding spaces ("Súdwest-Fryslân" = "Sudwest-Fryslan").
/// Done in Swift because SQLite's lower() is ASCII-only.
public func foldName(_ name: String) -> String {
    // Most names are ASCII: folding case and diacritics is then lowercasing, without Foundation's Unicode tables
    // (every home of every year is resolved by name; a test holds this path to Foundation's answer).
    if name.utf8.allSatisfy({ $0 < 0x80 }) {
        var bytes = name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        while bytes.last == 0x20 { bytes.removeLast() }
        let start = bytes.firstIndex { $0 != 0x20 } ?? bytes.endIndex
        return String(decoding: bytes[start...], as: UTF8.self)
    }
    return name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        .trimmingCharacters(in: " ")
}
