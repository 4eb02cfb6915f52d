/// A cost item split over gemeenten, in cents that add up exactly to the total, with the pupil counts behind
/// every amount and, under masking, the range each amount could take between the bounds.
public struct CostSplit: Sendable, Codable, Equatable {
    public struct Line: Sendable, Codable, Equatable {
        public let gemeente: String
        /// Pupils living in this gemeente at the selected schools.
        public let pupils: Quantity
        /// The gemeente's share of the chargeable pupils (keys leerlingen and tarief), with true bounds.
        public let pupilShare: Share?
        /// The fraction of the total this gemeente pays (0…1), as used for the split.
        public let weight: Double
        public let cents: Int
        /// The amount if the masked counts took their least and most favourable values for this gemeente.
        public let minCents: Int
        public let maxCents: Int
    }

    public struct Uncharged: Sendable, Codable, Equatable {
        public let code: String
        public let pupils: Quantity
    }

    public let item: CostItem
    /// School locations in the selection (sorted), with their names.
    public let schools: [String]
    public let schoolNames: [String: String]
    public let lines: [Line]
    public let totalCents: Int
    /// Pupils counted in the key.
    public let chargeable: Quantity
    /// Pupils at the selected schools living outside the participants (other gemeenten, abroad, unknown).
    public let uncharged: [Uncharged]

    /// Applies the item to the estimated rows of its peildatum. Refusals name the item file, the line and the field.
    public static func compute(_ item: CostItem, data: EstimatedRows, reference: Reference) throws(InputError) -> CostSplit {
        func fail(_ field: String, _ message: String) -> InputError {
            InputError(file: item.file, line: item.lines[field], column: field, message: message)
        }
        let indices = data.rows.indices.filter { data.rows[$0].peildatum == item.peildatum }
        guard !indices.isEmpty else {
            throw fail("peildatum", "de database heeft geen leerlingstromen met peildatum \(item.peildatum); verwacht een ingelezen jaar")
        }
        var names: [String: String] = [:]
        for i in indices { names[data.rows[i].schoolID] = data.rows[i].schoolName }
        for code in item.schools where names[code] == nil {
            throw fail("vestigingen", "school \(code) komt niet voor in de bestanden met peildatum \(item.peildatum); verwacht een bestaande vestigingscode")
        }
        let lookup = SwvLookup(reference: reference, peildatum: item.peildatum)
        let selected = indices.filter { i in
            let r = data.rows[i]
            return (item.schools.isEmpty || item.schools.contains(r.schoolID))
                && (item.soorten.isEmpty || item.soorten.contains(r.soort))
                && (item.schoolGemeenten.isEmpty || item.schoolGemeenten.contains(r.schoolGemeente))
                && (item.swvs.isEmpty || lookup.swv(r.sector, r.schoolGemeente, r.schoolPC4).map(item.swvs.contains) == true)
        }
        guard !selected.isEmpty else { throw fail("vestigingen", "de selectie bevat geen leerlingen op \(item.peildatum); verwacht minstens één school met leerlingen") }

        var byHome: [String: Accumulator] = [:]
        for i in selected { byHome[data.rows[i].homeCode, default: Accumulator()].add(i, data) }
        let participants: [String]
        switch item.participants {
        case .all: participants = byHome.keys.filter { HomeKind(code: $0).isGemeente }.sorted()
        case .region(let region): participants = reference.members(of: region, on: item.peildatum)
        case .gemeenten(let list): participants = list.sorted()
        }
        let payers = item.key == .vast ? item.fixedShares.keys.sorted() : participants
        let pupils = Dictionary(uniqueKeysWithValues: payers.map { ($0, byHome[$0]?.quantity(data) ?? .zero) })
        let chargeable = payers.reduce(Quantity.zero) { $0 + pupils[$1]! }
        let uncharged = byHome.keys.filter { !payers.contains($0) }.sorted().map { Uncharged(code: $0, pupils: byHome[$0]!.quantity(data)) }

        let weights: [Double]
        let total: Int
        switch item.key {
        case .leerlingen:
            weights = payers.map { pupils[$0]!.estimate }
            total = item.totalCents!
        case .gelijk:
            weights = payers.map { _ in 1 }
            total = item.totalCents!
        case .vast:
            weights = payers.map { Double(item.fixedShares[$0]!) }
            total = item.totalCents!
        case .tarief:
            weights = payers.map { pupils[$0]!.estimate }
            total = Int((Double(item.tariffCents!) * chargeable.estimate).rounded(.toNearestOrAwayFromZero))
        }
        let weightSum = weights.reduce(0, +)
        guard weightSum > 0 else {
            throw fail("deelnemers", "geen van de deelnemers heeft leerlingen op deze scholen; verwacht minstens één")
        }
        let cents = largestRemainder(totalCents: total, weights: weights)

        var lines: [Line] = []
        for (i, code) in payers.enumerated() {
            let q = pupils[code]!
            let rest = payers.filter { $0 != code }.reduce(Quantity.zero) { $0 + pupils[$1]! }
            let share = Share(part: q, rest: rest)
            var lo = cents[i], hi = cents[i]
            switch item.key {
            case .leerlingen:
                if let share {
                    lo = Int((Double(total) * share.min).rounded(.down))
                    hi = Int((Double(total) * share.max).rounded(.up))
                }
            case .tarief:
                lo = item.tariffCents! * q.min
                hi = item.tariffCents! * q.max
            case .gelijk, .vast:
                break
            }
            lines.append(Line(gemeente: code, pupils: q, pupilShare: item.key == .leerlingen || item.key == .tarief ? share : nil,
                              weight: weights[i] / weightSum, cents: cents[i], minCents: Swift.min(lo, cents[i]), maxCents: Swift.max(hi, cents[i])))
        }
        let schools = Set(selected.map { data.rows[$0].schoolID }).sorted()
        return CostSplit(item: item, schools: schools, schoolNames: names.filter { schools.contains($0.key) }, lines: lines,
                         totalCents: total, chargeable: chargeable, uncharged: uncharged)
    }
}

/// Splits `totalCents` in proportion to `weights` so that the parts add up exactly: everyone gets the floor of
/// their quota, and the cents left over go to the largest fractional remainders; ties go to the earlier position
/// (callers order by gemeente code, so ties are deterministic).
public func largestRemainder(totalCents: Int, weights: [Double]) -> [Int] {
    precondition(totalCents >= 0 && weights.allSatisfy { $0 >= 0 })
    let sum = weights.reduce(0, +)
    guard sum > 0, totalCents > 0 else { return weights.map { _ in 0 } }
    let quotas = weights.map { Double(totalCents) * $0 / sum }
    var parts = quotas.map { Int($0.rounded(.down)) }
    var left = totalCents - parts.reduce(0, +)
    let order = quotas.indices.sorted { a, b in
        let fa = quotas[a] - quotas[a].rounded(.down), fb = quotas[b] - quotas[b].rounded(.down)
        return fa != fb ? fa > fb : a < b
    }
    // Floating-point quotas can leave slightly more or fewer cents than positions; loop until exact.
    var k = 0
    while left > 0 { parts[order[k % order.count]] += 1; left -= 1; k += 1 }
    k = order.count - 1
    while left < 0 {
        let i = order[(k % order.count + order.count) % order.count]
        if parts[i] > 0 { parts[i] -= 1; left += 1 }
        k -= 1
    }
    return parts
}
