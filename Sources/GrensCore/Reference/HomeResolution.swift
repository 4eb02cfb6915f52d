/// How a pupil's home location was resolved to a gemeente code.
public enum ResolutionMethod: String, CaseIterable, Sendable, Codable {
    case pseudo       // DUO pseudo-postcode 10/20/30/40
    case code         // the file gives the home gemeente number
    case name         // official name or a known DUO variant, valid on the peildatum
    case pc4          // name unknown or blank: the optional national PC4 table
    case unresolved
}

public struct HomeResolution: Sendable, Equatable {
    public let code: String?
    public let method: ResolutionMethod
}

extension Reference {
    /// Resolves a home location: pseudo-code, then the given number, then the name, then the PC4.
    /// Never guesses: a name that fits no gemeente on that date and a PC4 we have no table for stay unresolved.
    public func resolveHome(pc4: String?, name: String?, code: String?, on date: Peildatum) -> HomeResolution {
        if let pc4, pseudoPostcodes[pc4] != nil { return HomeResolution(code: PseudoHome.code(for: pc4), method: .pseudo) }
        if let code, let g = gemeenten[code], g.exists(on: date) { return HomeResolution(code: code, method: .code) }
        if let name, name.utf8.contains(where: { $0 != 0x20 }), let found = gemeente(named: name, on: date) {
            return HomeResolution(code: found, method: .name)
        }
        if let pc4, let row = pc4Table[pc4] {
            // The table is of 2015: resolve its name then, and follow mergers to the peildatum.
            if let old = gemeente(named: row.gemeenteName, on: Peildatum(year: 2015, month: 4, day: 23)!) {
                let now = successors(of: old, on: date)
                if now.count == 1 { return HomeResolution(code: now[0], method: .pc4) }
            }
        }
        return HomeResolution(code: nil, method: .unresolved)
    }
}
