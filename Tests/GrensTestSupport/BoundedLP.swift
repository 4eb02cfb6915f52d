/// A small dense linear program solver for the disclosure audit: the range of one variable over
/// { x : A x = b, lower ≤ x ≤ upper }, by the bounded-variable primal simplex method (two phases, Bland's rule).
/// Written independently of the suppression code it checks (which works on cycles in a graph, not on a tableau).
public struct BoundedLP {
    let a: [[Double]]
    let b: [Double]
    let lower: [Double]
    let upper: [Double]

    public init(a: [[Double]], b: [Double], lower: [Double], upper: [Double]) {
        precondition(a.count == b.count && lower.count == upper.count && a.allSatisfy { $0.count == lower.count })
        self.a = a
        self.b = b
        self.lower = lower
        self.upper = upper
    }

    static let eps = 1e-7

    /// The simplex state: tableau rows (B⁻¹A), the basic variable of each row, and the value of every variable.
    struct State {
        var tableau: [[Double]]
        var basis: [Int]
        var x: [Double]
        var lower: [Double]
        var upper: [Double]
    }

    /// A basic feasible solution (phase 1 with one artificial variable per row); nil when infeasible.
    func feasible() -> State? {
        let m = a.count, n = lower.count
        var x = lower + [Double](repeating: 0, count: m)
        var tableau = a.map { $0 + [Double](repeating: 0, count: m) }
        for i in 0..<m {
            var residual = b[i]
            for j in 0..<n { residual -= a[i][j] * lower[j] }
            if residual < 0 { tableau[i] = tableau[i].map { -$0 } ; residual = -residual }
            tableau[i][n + i] = 1
            x[n + i] = residual
        }
        // Rows were negated where needed, so the basic artificials are B⁻¹b ≥ 0 with B = I.
        var state = State(tableau: tableau, basis: (0..<m).map { n + $0 }, x: x,
                          lower: lower + [Double](repeating: 0, count: m), upper: upper + [Double](repeating: .infinity, count: m))
        let cost = [Double](repeating: 0, count: n) + [Double](repeating: 1, count: m)
        optimize(&state, cost: cost)
        if (0..<m).contains(where: { state.x[n + $0] > 1e-6 }) { return nil }
        // Artificials may no longer leave zero.
        for i in 0..<m { state.upper[n + i] = 0 }
        return state
    }

    /// Minimizes cost · x from a feasible state.
    func optimize(_ s: inout State, cost: [Double]) {
        let m = s.tableau.count, total = s.x.count
        var iterations = 0
        while true {
            iterations += 1
            precondition(iterations < 100_000, "simplex did not finish")
            // Reduced costs of the nonbasic variables.
            var isBasic = [Bool](repeating: false, count: total)
            for v in s.basis { isBasic[v] = true }
            var entering = -1, direction = 0.0
            for j in 0..<total where !isBasic[j] {
                var d = cost[j]
                for i in 0..<m where s.tableau[i][j] != 0 { d -= cost[s.basis[i]] * s.tableau[i][j] }
                if d < -Self.eps && s.x[j] < s.upper[j] - Self.eps { entering = j; direction = 1; break }
                if d > Self.eps && s.x[j] > s.lower[j] + Self.eps { entering = j; direction = -1; break }
            }
            guard entering >= 0 else { return }
            // Ratio test: how far the entering variable can move.
            var step = s.upper[entering] - s.lower[entering]
            var leaving = -1
            for i in 0..<m {
                let t = s.tableau[i][entering] * direction
                let v = s.basis[i]
                var limit = Double.infinity
                if t > Self.eps { limit = (s.x[v] - s.lower[v]) / t }
                else if t < -Self.eps { limit = (s.upper[v] - s.x[v]) / -t }
                if limit < step - 1e-12 || (leaving >= 0 && abs(limit - step) <= 1e-12 && v < s.basis[leaving]) {
                    step = limit
                    leaving = i
                }
            }
            precondition(step.isFinite, "unbounded linear program")
            for i in 0..<m { s.x[s.basis[i]] -= step * direction * s.tableau[i][entering] }
            s.x[entering] += step * direction
            guard leaving >= 0 else { continue }  // the entering variable went to its other bound
            let pivot = s.tableau[leaving][entering]
            s.tableau[leaving] = s.tableau[leaving].map { $0 / pivot }
            for i in 0..<m where i != leaving {
                let f = s.tableau[i][entering]
                guard f != 0 else { continue }
                for j in 0..<total { s.tableau[i][j] -= f * s.tableau[leaving][j] }
            }
            let out = s.basis[leaving]
            // Snap the leaving variable onto the bound it reached.
            s.x[out] = abs(s.x[out] - s.lower[out]) <= abs(s.x[out] - s.upper[out]) ? s.lower[out] : s.upper[out]
            s.basis[leaving] = entering
        }
    }

    /// The smallest and largest value of variable `k`; nil when the constraints have no solution.
    public func range(of k: Int) -> (min: Double, max: Double)? {
        feasible().map { range(of: k, from: $0) }
    }

    /// The same from a feasible state found once for every variable.
    func range(of k: Int, from start: State) -> (min: Double, max: Double) {
        let total = start.x.count
        var low = start, high = start
        var cost = [Double](repeating: 0, count: total)
        cost[k] = 1
        optimize(&low, cost: cost)
        cost[k] = -1
        optimize(&high, cost: cost)
        return (low.x[k], high.x[k])
    }
}

/// What a reader sees of one count in a published table.
public enum PublishedCount: Equatable, Sendable {
    /// The count itself.
    case shown(Int)
    /// `<5`: a count from 1 to 4.
    case small
    /// A hidden count published as a range.
    case range(Int, Int)
}

/// The disclosure audit of one table with its row, column and grand totals: for every hidden count, the range a
/// reader can derive from everything published, by linear programming.
public struct DisclosureAudit {
    public let cells: [[PublishedCount?]]
    public let rowTotals: [PublishedCount]
    public let columnTotals: [PublishedCount]
    public let total: PublishedCount

    public init(cells: [[PublishedCount?]], rowTotals: [PublishedCount], columnTotals: [PublishedCount], total: PublishedCount) {
        self.cells = cells
        self.rowTotals = rowTotals
        self.columnTotals = columnTotals
        self.total = total
    }

    /// The entry at (r, c) of the table with its totals: r == rows is the row of column totals, c == columns the
    /// column of row totals.
    func entry(_ r: Int, _ c: Int) -> PublishedCount? {
        let rows = cells.count, columns = rowTotals.isEmpty ? 0 : cells[0].count
        switch (r == rows, c == columns) {
        case (false, false): return cells[r][c]
        case (false, true): return rowTotals[r]
        case (true, false): return columnTotals[c]
        case (true, true): return total
        }
    }

    /// (row, column, min, max) for every hidden entry. A hidden entry's known bounds: 1…4 for `<5`, its published
    /// range otherwise. Ranges are rounded to whole pupils (the polytope has integer vertices).
    public func ranges() -> [(row: Int, column: Int, min: Int, max: Int)] {
        let rows = cells.count, columns = cells.first?.count ?? 0
        var variables: [(Int, Int)] = []
        var lower: [Double] = [], upper: [Double] = []
        var index: [Int: Int] = [:]
        for r in 0...rows {
            for c in 0...columns {
                switch entry(r, c) {
                case .small?: index[r * (columns + 1) + c] = variables.count; variables.append((r, c)); lower.append(1); upper.append(4)
                case .range(let lo, let hi)?:
                    index[r * (columns + 1) + c] = variables.count; variables.append((r, c)); lower.append(Double(lo)); upper.append(Double(hi))
                default: break
                }
            }
        }
        // Every line: its parts minus its total is zero. A total enters with −1.
        var a: [[Double]] = [], b: [Double] = []
        func line(_ members: [(Int, Int)], total: (Int, Int)) {
            var coefficients = [Double](repeating: 0, count: variables.count)
            var rhs = 0.0, used = false
            for (position, sign) in members.map({ ($0, 1.0) }) + [(total, -1.0)] {
                guard let e = entry(position.0, position.1) else { continue }
                if let k = index[position.0 * (columns + 1) + position.1] { coefficients[k] += sign; used = true }
                else if case .shown(let v) = e { rhs -= sign * Double(v) }
            }
            if used { a.append(coefficients); b.append(rhs) }
        }
        for r in 0...rows { line((0..<columns).map { (r, $0) }, total: (r, columns)) }
        for c in 0...columns { line((0..<rows).map { ($0, c) }, total: (rows, c)) }
        let lp = BoundedLP(a: a, b: b, lower: lower, upper: upper)
        guard let start = lp.feasible() else { preconditionFailure("published table has no solution") }
        return variables.enumerated().map { k, position in
            let (lo, hi) = lp.range(of: k, from: start)
            return (position.0, position.1, Int(lo.rounded()), Int(hi.rounded()))
        }
    }
}
