/// The swv of a location (sector, gemeente, PC4), memoized: thousands of rows share a few hundred locations.
/// The swv areas valid on the peildatum are indexed by sector and gemeente once, so a lookup never scans them
/// all; it gives what `Reference.swv(sector:gemeente:pc4:on:)` gives.
public final class SwvLookup {
    let reference: Reference
    let peildatum: Peildatum
    var cache: [String: String?] = [:]
    private struct AreaKey: Hashable { let sector: Sector; let gemeente: String }
    /// The live areas of each sector × gemeente, in the reference's order.
    private let areas: [AreaKey: [SwvArea]]

    public init(reference: Reference, peildatum: Peildatum) {
        self.reference = reference
        self.peildatum = peildatum
        var areas: [AreaKey: [SwvArea]] = [:]
        for area in reference.swvAreas where (area.validFrom.map { $0 <= peildatum } ?? true) && (area.validTo.map { peildatum < $0 } ?? true) {
            guard let sector = reference.swvs[area.swv]?.sector else { continue }
            areas[AreaKey(sector: sector, gemeente: area.gemeente), default: []].append(area)
        }
        self.areas = areas
    }

    public func swv(_ sector: Sector, _ gemeente: String, _ pc4: String?) -> String? {
        let key = sector.rawValue + gemeente + (pc4 ?? "")
        if let hit = cache[key] { return hit }
        let live = areas[AreaKey(sector: sector, gemeente: gemeente)] ?? []
        let value = Reference.swv(live: live, sector: sector, pc4: pc4, pc4Table: reference.pc4Table)
        cache[key] = value
        return value
    }
}

extension SwvLookup {
    /// The swv of a flow's home (from the home PC4; nil for homes abroad or unresolved) and of its school, in the
    /// sector of the row's soort.
    public func swvs(of row: FlowRow) -> (home: String?, school: String?) {
        let home = HomeKind(code: row.homeCode).isGemeente ? swv(row.sector, row.homeCode, row.homePC4) : nil
        return (home, swv(row.sector, row.schoolGemeente, row.schoolPC4))
    }
}

/// The swvs of every row of one peildatum (`SwvLookup.swvs(of:)`), looked up once and read by row index, so the
/// shares of every soort selection do not look each row up again.
public struct RowSwvs: Sendable {
    public let home: [String?]
    public let school: [String?]

    public init(_ data: EstimatedRows, on date: Peildatum, reference: Reference) {
        let lookup = SwvLookup(reference: reference, peildatum: date)
        var home = [String?](repeating: nil, count: data.rows.count), school = home
        for i in data.indices(on: date) { (home[i], school[i]) = lookup.swvs(of: data.rows[i]) }
        (self.home, self.school) = (home, school)
    }
}
