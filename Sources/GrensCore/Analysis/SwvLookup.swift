/// The swv of a location (sector, gemeente, PC4), memoized: thousands of rows share a few hundred locations.
public final class SwvLookup {
    let reference: Reference
    let peildatum: Peildatum
    var cache: [String: String?] = [:]

    public init(reference: Reference, peildatum: Peildatum) {
        self.reference = reference
        self.peildatum = peildatum
    }

    public func swv(_ sector: Sector, _ gemeente: String, _ pc4: String?) -> String? {
        let key = sector.rawValue + gemeente + (pc4 ?? "")
        if let hit = cache[key] { return hit }
        let value = reference.swv(sector: sector, gemeente: gemeente, pc4: pc4, on: peildatum)
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
