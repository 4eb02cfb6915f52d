/// The swv of a location (sector, gemeente, PC4), memoized: thousands of rows share a few hundred locations.
final class SwvLookup {
    let reference: Reference
    let peildatum: Peildatum
    var cache: [String: String?] = [:]

    init(reference: Reference, peildatum: Peildatum) {
        self.reference = reference
        self.peildatum = peildatum
    }

    func swv(_ sector: Sector, _ gemeente: String, _ pc4: String?) -> String? {
        let key = sector.rawValue + gemeente + (pc4 ?? "")
        if let hit = cache[key] { return hit }
        let value = reference.swv(sector: sector, gemeente: gemeente, pc4: pc4, on: peildatum)
        cache[key] = value
        return value
    }
}
