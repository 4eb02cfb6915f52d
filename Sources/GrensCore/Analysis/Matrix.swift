/// Home gemeente × school gemeente for one peildatum and soort selection. A cell counts only when its home or
/// its school lies in the region; the other cells are not part of the matrix (`applicable` is false).
public struct Matrix: Sendable, Codable, Equatable {
    public let peildatum: Peildatum
    public let soort: SoortSelection
    public let groups: [String]
    /// cells[home][school], indices into `groups`.
    public let cells: [[Quantity]]
    public let homeTotals: [Quantity]
    public let schoolTotals: [Quantity]
    public let total: Quantity
    let memberFlags: [Bool]

    public func applicable(_ home: Int, _ school: Int) -> Bool { memberFlags[home] || memberFlags[school] }
}

extension Matrix {
    /// Pupils in the matrix at school in their own gemeente, and across a gemeente border.
    public var ownAndCrossing: (own: Quantity, crossing: Quantity) {
        var own = Quantity.zero, crossing = Quantity.zero
        for h in groups.indices {
            for s in groups.indices where applicable(h, s) {
                if h == s { own += cells[h][s] } else { crossing += cells[h][s] }
            }
        }
        return (own, crossing)
    }

    /// The share of the pupils living in `home` that go to school in `school`, for a region member's row (nil
    /// otherwise: the row is not complete). The rest is the row's other cells, disjoint from the part, so the
    /// bounds are true bounds and tighter than "row total minus the cell".
    public func shareOfHome(_ home: Int, _ school: Int) -> Share? {
        guard memberFlags[home] else { return nil }
        var rest = Quantity.zero
        for s in groups.indices where s != school && applicable(home, s) { rest += cells[home][s] }
        return Share(part: cells[home][school], rest: rest)
    }
}

extension Matrix {
    /// One cell of the matrix by its indices into `groups`.
    public struct Flow: Sendable, Equatable {
        public let home: Int
        public let school: Int
        public let pupils: Quantity
    }

    /// The largest flows across a gemeente border (own gemeente excluded), largest estimate first; ties by
    /// row and column so the order is stable.
    public func crossingFlows(limit: Int) -> [Flow] {
        var flows: [Flow] = []
        for h in groups.indices {
            for s in groups.indices where h != s && applicable(h, s) && cells[h][s].max > 0 {
                flows.append(Flow(home: h, school: s, pupils: cells[h][s]))
            }
        }
        flows.sort { ($1.pupils.estimate, $0.home, $0.school) < ($0.pupils.estimate, $1.home, $1.school) }
        return Array(flows.prefix(limit))
    }
}
