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
        /// The whole number the split used for this gemeente, so a reader can redo it: thousandths of a pupil (keys
        /// leerlingen and tarief: the estimate rounded to 0,001), 1 (gelijk) or hundredths of a percent (vast).
        public let keyUnits: Int
        public let cents: Int
        /// The amount if the masked counts took their least and most favourable values for this gemeente.
        public let minCents: Int
        public let maxCents: Int
        /// The 90% interval of the amount: the 5th and 95th percentile of the amount computed draw by draw from the
        /// joint draws of this gemeente's pupils and the others' (see README, "90% intervals"). Within min…max and
        /// containing `cents`; nil when the pupils are exact or have no draws.
        public let interval90Cents: ClosedRange<Int>?

        /// The 90% interval as published: the amount itself when it is certain, its range when it has no draws.
        public var interval90OrRange: ClosedRange<Int> { interval90Cents ?? minCents...maxCents }
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
    /// The sum of the lines' `keyUnits`: the denominator of every share.
    public var keyUnitsTotal: Int { lines.reduce(0) { $0 + $1.keyUnits } }
    /// Pupils at the selected schools living outside the participants (other gemeenten, abroad, unknown).
    public let uncharged: [Uncharged]

    /// Pupils in one split at most: far above the pupils of the whole country, and small enough that the largest
    /// tariff times the pupils fits in 64 bits and a weight in thousandths of a pupil converts without overflow.
    public static let maxPupils = 1_000_000_000

    /// Applies the item to the estimated rows of its peildatum. Refusals name the item file, the line and the field.
    public static func compute(_ item: CostItem, data: EstimatedRows, reference: Reference) throws(InputError) -> CostSplit {
        func fail(_ field: String, _ message: String) -> InputError {
            InputError(file: item.file, line: item.lines[field], column: field, message: message)
        }
        let indices = Array(data.indices(on: item.peildatum))
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

        // Weights are whole numbers, so every cent follows from exact integer arithmetic. Pupil estimates count in
        // thousandths of a pupil (rounded to the nearest): finer than any estimate the masking leaves meaningful.
        guard chargeable.max <= maxPupils else {
            throw fail("vestigingen", "de selectie telt meer dan \(DutchFormat.integer(maxPupils)) leerlingen; verwacht aantallen uit DUO-bestanden")
        }
        func milliPupils(_ q: Quantity) -> Int { Int((q.estimate * 1000).rounded(.toNearestOrAwayFromZero)) }
        let weights: [Int]
        let total: Int
        switch item.key {
        case .leerlingen:
            weights = payers.map { milliPupils(pupils[$0]!) }
            total = item.totalCents!
        case .gelijk:
            weights = payers.map { _ in 1 }
            total = item.totalCents!
        case .vast:
            weights = payers.map { item.fixedShares[$0]! }
            total = item.totalCents!
        case .tarief:
            weights = payers.map { milliPupils(pupils[$0]!) }
            // The tariff times the pupils in the weights (so each part is the tariff times its own pupils), rounded
            // to the nearest cent. At most € 1.000.000,00 × 10⁹ pupils: fits in 64 bits.
            total = Int((Int128(item.tariffCents!) * Int128(weights.reduce(0, +)) + 500) / 1000)
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
                // The true share bounds of `Share` as exact fractions: least with this gemeente at its minimum and
                // the rest at its maximum, and the other way round.
                if share != nil {
                    lo = fraction(total, q.min, q.min + rest.max, roundingUp: false)
                    hi = fraction(total, q.max, q.max + rest.min, roundingUp: true)
                }
            case .tarief:
                lo = item.tariffCents! * q.min
                hi = item.tariffCents! * q.max
            case .gelijk, .vast:
                break
            }
            var interval: ClosedRange<Int>? = nil
            if item.key == .leerlingen || item.key == .tarief, !(q.isExact && rest.isExact), let (p, r, _) = Quantity.joint(q, rest) {
                let (a, b) = Percentile.interval90(zip(p, r).map { own, others in
                    item.key == .tarief ? item.tariffCents! * Int(own) : fraction(total, Int(own), Int(own) + Int(others), roundingUp: false)
                })
                let low = Swift.max(Swift.min(lo, cents[i]), Swift.min(a, cents[i]))
                let high = Swift.min(Swift.max(hi, cents[i]), Swift.max(b, cents[i]))
                interval = low...Swift.max(low, high)
            }
            // The weight as a fraction is for display only; the cents above never come from it.
            lines.append(Line(gemeente: code, pupils: q, pupilShare: item.key == .leerlingen || item.key == .tarief ? share : nil,
                              weight: Double(weights[i]) / Double(weightSum), keyUnits: weights[i], cents: cents[i],
                              minCents: Swift.min(lo, cents[i]), maxCents: Swift.max(hi, cents[i]), interval90Cents: interval))
        }
        let schools = Set(selected.map { data.rows[$0].schoolID }).sorted()
        return CostSplit(item: item, schools: schools, schoolNames: names.filter { schools.contains($0.key) }, lines: lines,
                         totalCents: total, chargeable: chargeable, uncharged: uncharged)
    }
}

/// `total × part / whole`, rounded down or up, exactly; 0 for an empty whole (as the ratio in `Share`).
func fraction(_ total: Int, _ part: Int, _ whole: Int, roundingUp: Bool) -> Int {
    guard whole > 0 else { return 0 }
    let product = Int128(total) * Int128(part), w = Int128(whole)
    return Int(roundingUp ? (product + w - 1) / w : product / w)
}

/// Splits `totalCents` in proportion to `weights` so that the parts add up exactly: everyone gets the floor of
/// their quota `total × weight / Σ weights`, and the cents left over go to the largest remainders; ties go to the
/// earlier position (callers order by gemeente code, so ties are deterministic). Integer arithmetic in 128 bits:
/// exact for every total and weight, so each part is within one cent of its quota.
public func largestRemainder(totalCents: Int, weights: [Int]) -> [Int] {
    precondition(totalCents >= 0 && weights.allSatisfy { $0 >= 0 })
    let sum = weights.reduce(Int128(0)) { $0 + Int128($1) }
    guard sum > 0, totalCents > 0 else { return weights.map { _ in 0 } }
    let exact = weights.map { Int128(totalCents) * Int128($0) }
    var parts = exact.map { Int($0 / sum) }
    let remainders = exact.map { $0 % sum }
    // Fewer cents are left than positions with a remainder: the remainders add up to `left × sum`, each below `sum`.
    let left = totalCents - parts.reduce(0, +)
    let order = weights.indices.sorted { a, b in remainders[a] != remainders[b] ? remainders[a] > remainders[b] : a < b }
    for i in order.prefix(left) { parts[i] += 1 }
    return parts
}
