/// Rows with their point estimates, and the exact school margins that constrain them.
///
/// Without a margin each `<5` cell lies in 1…4 independently. With an exact total T for a school location
/// and soort, the location's k masked cells must add up to M = T − (its exact cells), so any s of them lie in
/// [max(s, M − 4(k − s)), min(4s, M − (k − s))]: tighter bounds, and estimates rescaled to add up to M.
public struct EstimatedRows: Sendable {
    public struct MarginGroup: Sendable, Equatable {
        public let maskedCells: Int
        public let maskedMass: Int
    }

    public let rows: [FlowRow]
    /// Estimate of each row's masked part (0 when it has none).
    public let maskedEstimates: [Double]
    /// Index into `groups`, or -1 when the row's school has no usable margin.
    public let groupOf: [Int32]
    public let groups: [MarginGroup]
    /// Margins that contradict the flow rows (ignored), for the report.
    public let inconsistentMargins: [SchoolMargin]

    public init(rows: [FlowRow], model: MaskedCellModel, margins: [SchoolMargin] = []) {
        self.rows = rows
        var estimates = rows.map { $0.maskedCount == 0 ? 0 : model.maskedEstimate($0) }
        var groupOf = [Int32](repeating: -1, count: rows.count)
        var groups: [MarginGroup] = []
        var inconsistent: [SchoolMargin] = []

        if !margins.isEmpty {
            struct Key: Hashable { let p: Peildatum; let s: String; let t: Soort }
            var members: [Key: [Int]] = [:]
            for (i, r) in rows.enumerated() { members[Key(p: r.peildatum, s: r.schoolID, t: r.soort), default: []].append(i) }
            for margin in margins.sorted(by: { ($0.peildatum, $0.schoolID, $0.soort) < ($1.peildatum, $1.schoolID, $1.soort) }) {
                guard let indices = members[Key(p: margin.peildatum, s: margin.schoolID, t: margin.soort)] else { continue }
                let exact = indices.reduce(0) { $0 + rows[$1].exact }
                let k = indices.reduce(0) { $0 + rows[$1].maskedCount }
                let mass = margin.total - exact
                guard k <= mass, mass <= 4 * k else {
                    if !(k == 0 && mass == 0) { inconsistent.append(margin) }
                    continue
                }
                let g = Int32(groups.count)
                groups.append(MarginGroup(maskedCells: k, maskedMass: mass))
                for i in indices { groupOf[i] = g }
                Self.rescale(indices.filter { rows[$0].maskedCount > 0 }, to: Double(mass), estimates: &estimates,
                             lower: { Double(rows[$0].maskedCount) }, upper: { 4 * Double(rows[$0].maskedCount) })
            }
        }
        maskedEstimates = estimates
        self.groupOf = groupOf
        self.groups = groups
        inconsistentMargins = inconsistent
    }

    /// Scales the estimates of `indices` so they add up to `target`, each kept within its own bounds
    /// (proportional fitting with clamping; a feasible solution exists because target is within the sum of bounds).
    static func rescale(_ indices: [Int], to target: Double, estimates: inout [Double],
                        lower: (Int) -> Double, upper: (Int) -> Double) {
        var fixed = Set<Int>()
        for _ in 0..<50 {
            let fixedSum = indices.filter { fixed.contains($0) }.reduce(0.0) { $0 + estimates[$1] }
            let free = indices.filter { !fixed.contains($0) }
            let freeSum = free.reduce(0.0) { $0 + estimates[$1] }
            guard !free.isEmpty, freeSum > 0 else { break }
            let factor = (target - fixedSum) / freeSum
            var clamped = false
            for i in free {
                let v = estimates[i] * factor
                if v < lower(i) { estimates[i] = lower(i); fixed.insert(i); clamped = true }
                else if v > upper(i) { estimates[i] = upper(i); fixed.insert(i); clamped = true }
                else { estimates[i] = v }
            }
            if !clamped { break }
        }
    }

    public func quantity(of row: Int) -> Quantity {
        var a = Accumulator()
        a.add(row, self)
        return a.quantity(self)
    }
}

/// Sums rows into one count with bounds and estimate, respecting the margin groups (see `EstimatedRows`).
public struct Accumulator: Sendable {
    var exact = 0
    var freeMasked = 0
    var estimate = 0.0
    var grouped: [Int32: Int] = [:]

    public init() {}

    public mutating func add(_ index: Int, _ data: EstimatedRows) {
        let row = data.rows[index]
        exact += row.exact
        estimate += Double(row.exact) + data.maskedEstimates[index]
        let masked = row.maskedCount
        guard masked > 0 else { return }
        let g = data.groupOf[index]
        if g < 0 { freeMasked += masked } else { grouped[g, default: 0] += masked }
    }

    public var isEmpty: Bool { exact == 0 && freeMasked == 0 && grouped.isEmpty }

    public func quantity(_ data: EstimatedRows) -> Quantity {
        var lo = exact + freeMasked
        var hi = exact + 4 * freeMasked
        for (g, s) in grouped {
            let group = data.groups[Int(g)]
            let k = group.maskedCells, m = group.maskedMass
            lo += Swift.max(s, m - 4 * (k - s))
            hi += Swift.min(4 * s, m - (k - s))
        }
        return Quantity(bounds: Bounds(min: lo, max: hi), estimate: estimate)
    }
}
