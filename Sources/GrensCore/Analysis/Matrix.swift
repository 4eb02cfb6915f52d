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

extension Matrix {
    /// The matrix of an exact year as it is published: every count exact, except those hidden by cell suppression
    /// (`SuppressionTable`) — the counts from 1 to 4 and the counts hidden to protect them. A hidden count gets the
    /// range that follows from the published numbers as its bounds, and the estimate of the same cell in
    /// `estimates` (the year masked the way DUO masks now) held within that range. `exact` must have exact cells.
    public static func published(exact: Matrix, estimates: Matrix) -> Matrix {
        precondition(exact.groups == estimates.groups && exact.peildatum == estimates.peildatum && exact.soort == estimates.soort)
        let n = exact.groups.count
        var table = SuppressionTable(cells: (0..<n).map { h in
            (0..<n).map { s in
                guard exact.applicable(h, s) else { return nil }
                precondition(exact.cells[h][s].isExact, "published(exact:) needs exact cells")
                return exact.cells[h][s].min
            }
        })
        table.suppress()
        let grandIndex = table.index(n, n)
        let ceiling = table.derivable(grandIndex).hi
        func quantity(_ r: Int, _ c: Int, estimate: Quantity) -> Quantity {
            let i = table.index(r, c)
            guard table.isHidden(i) else { return Quantity(exact: table.values[i]) }
            let (lo, hi) = table.derivable(i)
            let bounds = Bounds(min: lo, max: Swift.max(lo, Swift.min(hi, ceiling)))
            return Quantity(bounds: bounds, estimate: Swift.min(Swift.max(estimate.estimate, Double(bounds.min)), Double(bounds.max)))
        }
        let cells = (0..<n).map { h in (0..<n).map { s in
            exact.applicable(h, s) ? quantity(h, s, estimate: estimates.cells[h][s]) : Quantity.zero
        } }
        return Matrix(peildatum: exact.peildatum, soort: exact.soort, groups: exact.groups, cells: cells,
                      homeTotals: (0..<n).map { quantity($0, n, estimate: estimates.homeTotals[$0]) },
                      schoolTotals: (0..<n).map { quantity(n, $0, estimate: estimates.schoolTotals[$0]) },
                      total: quantity(n, n, estimate: estimates.total), memberFlags: exact.memberFlags)
    }
}

extension Matrix {
    /// A matrix of several soorten as the cell-by-cell sum of their published matrices: for an exact year the po
    /// total is computed from the published soort matrices, so it cannot reveal a count those hide.
    public static func sum(_ parts: [Matrix], soort: SoortSelection) -> Matrix {
        let first = parts[0], n = first.groups.count
        precondition(parts.allSatisfy { $0.groups == first.groups && $0.peildatum == first.peildatum })
        func add(_ values: (Matrix) -> Quantity) -> Quantity { parts.dropFirst().reduce(values(first)) { $0 + values($1) } }
        return Matrix(peildatum: first.peildatum, soort: soort, groups: first.groups,
                      cells: (0..<n).map { h in (0..<n).map { s in add { $0.cells[h][s] } } },
                      homeTotals: (0..<n).map { h in add { $0.homeTotals[h] } },
                      schoolTotals: (0..<n).map { s in add { $0.schoolTotals[s] } },
                      total: add(\.total), memberFlags: first.memberFlags)
    }
}
