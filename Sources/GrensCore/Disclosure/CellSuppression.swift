/// Cell suppression for a table of exact counts with its row, column and grand totals (an exact year such as the
/// unmasked 2017 files). Counts from 1 to 4 are never published (primary suppression, shown as `<5`); where the
/// other numbers of the table would pin such a count down, further counts are hidden too (secondary suppression)
/// until no hidden count can be narrowed to a single value. See README, "Exacte jaren".
///
/// The table is handled in its augmented form: the cells, a column of row totals, a row of column totals and the
/// grand total, with the totals negated, so that every row and every column of it sums to zero. A hidden entry can
/// move only along a cycle of hidden entries that alternates between rows and columns (+1, −1, +1, …) and keeps
/// every entry within what a reader knows of it: 1…4 for a `<5`, at least 5 for a count hidden to protect one.
/// Such a table is totally unimodular, so these cycles give exactly the range linear programming would.
public struct SuppressionTable: Sendable, Equatable {
    /// What a reader is told about an entry.
    public enum Status: Sendable, Equatable {
        /// Published as it is.
        case shown
        /// Not part of the table (a cell outside the matrix): known to be 0, never published.
        case absent
        /// A count from 1 to 4, published as `<5`.
        case small
        /// A count of at least 5 hidden so that no `<5` can be recovered from the totals.
        case protective
    }

    /// Rows and columns of the augmented table: `rows + 1` by `columns + 1`, the last row and column the totals.
    public let rows: Int
    public let columns: Int
    /// The true values of the augmented table (not negated), row-major.
    public let values: [Int]
    public private(set) var status: [Status]

    /// `cells[r][c]`: a count, or nil when the cell is not part of the table. Totals are the sums of the cells.
    public init(cells: [[Int?]]) {
        rows = cells.count
        columns = cells.first?.count ?? 0
        var values = [Int](repeating: 0, count: (rows + 1) * (columns + 1))
        var status = [Status](repeating: .shown, count: values.count)
        let w = columns + 1
        for r in 0..<rows {
            precondition(cells[r].count == columns, "ragged table")
            for c in 0..<columns {
                if let v = cells[r][c] {
                    precondition(v >= 0, "negative count")
                    values[r * w + c] = v
                    values[r * w + columns] += v
                    values[rows * w + c] += v
                    values[rows * w + columns] += v
                } else {
                    status[r * w + c] = .absent
                }
            }
        }
        self.values = values
        self.status = status
    }

    public func index(_ r: Int, _ c: Int) -> Int { r * (columns + 1) + c }
    public func value(_ r: Int, _ c: Int) -> Int { values[index(r, c)] }
    public func status(_ r: Int, _ c: Int) -> Status { status[index(r, c)] }
    public func isHidden(_ i: Int) -> Bool { status[i] == .small || status[i] == .protective }

    /// A value no published table reaches; stands for "no upper bound" (a reader knows only that it is at least 5).
    static let unbounded = 1 << 40

    /// What a reader knows of a hidden entry's true value, before combining it with the rest of the table.
    func known(_ i: Int) -> (lo: Int, hi: Int) {
        switch status[i] {
        case .small: return (1, 4)
        case .protective: return values[i] >= 5 ? (5, Self.unbounded) : (0, Self.unbounded)
        case .shown, .absent: return (values[i], values[i])
        }
    }

    /// +1 for a cell, −1 for a total: the sign that makes every line of the augmented table sum to zero.
    func sign(_ i: Int) -> Int {
        let r = i / (columns + 1), c = i % (columns + 1)
        return (r == rows) == (c == columns) ? 1 : -1
    }

    /// Hides every count from 1 to 4, then adds protective suppressions until none of them can be pinned down. A
    /// protective count may stay pinned: it is 0 or at least 5, which may be published.
    ///
    /// For each pinned `<5` (first in row-major order) the cheapest cycle through it is opened: a shortest path in
    /// which a hidden entry costs nothing and a shown count costs its value (a zero costs more than any count, so
    /// zeros are hidden only when nothing else closes a cycle). Deterministic: ties go to the lower index.
    public mutating func suppress() {
        for i in values.indices where status[i] == .shown && (1...4).contains(values[i]) { status[i] = .small }
        while let pinned = values.indices.first(where: { status[$0] == .small && isPinned($0) }) {
            let options = [cheapestCycle(through: pinned, step: 1), cheapestCycle(through: pinned, step: -1)].compactMap { $0 }
            guard let best = options.min(by: { $0.cost < $1.cost }) else { preconditionFailure("entry \(pinned) cannot be protected") }
            for i in best.open { status[i] = .protective }
        }
    }

    /// The cheapest set of shown entries whose hiding gives a cycle that moves hidden entry `e` by `step`.
    func cheapestCycle(through e: Int, step: Int) -> (cost: Int, open: [Int])? {
        let w = signedValues
        let zeroCost = values[index(rows, columns)] + 1
        guard room(e, step, w) > 0 else { return nil }
        let found = path(through: e, step: step) { i, s in
            switch status[i] {
            case .absent: return nil
            case .small, .protective: return room(i, s, w) > 0 ? 0 : nil
            case .shown:
                // Once hidden as protective the entry is known as "0, or at least 5": it can move away from that bound.
                let v = values[i]
                let up = sign(i) * s > 0
                if v == 0 { return up ? zeroCost : nil }
                if v < 5 { return nil }
                return up || v > 5 ? v : nil
            }
        }
        return found.map { ($0.cost, $0.steps.map(\.entry).filter { status[$0] == .shown }.sorted()) }
    }

    /// Whether entry `i` (hidden) is fixed to one value by the published numbers.
    public func isPinned(_ i: Int) -> Bool {
        let w = signedValues
        return cycle(through: i, step: 1, w: w) == nil && cycle(through: i, step: -1, w: w) == nil
    }

    /// The range of entry `i`'s true value that follows from everything published: the shown entries, and what a
    /// reader knows of every hidden one. For a shown entry, its value.
    public func derivable(_ i: Int) -> (lo: Int, hi: Int) {
        guard isHidden(i) else { return (values[i], values[i]) }
        var w = signedValues
        while let (steps, amount) = cycle(through: i, step: 1, w: w) { apply(steps, amount, to: &w) }
        let top = w[i]
        w = signedValues
        while let (steps, amount) = cycle(through: i, step: -1, w: w) { apply(steps, amount, to: &w) }
        let bottom = w[i]
        return sign(i) > 0 ? (bottom, top) : (-top, -bottom)
    }

    /// Bounds of the augmented (signed) entry.
    func signedBounds(_ i: Int) -> (lo: Int, hi: Int) {
        let (lo, hi) = known(i)
        return sign(i) > 0 ? (lo, hi) : (-hi, -lo)
    }

    /// The augmented table with its totals negated: every row and column sums to zero.
    var signedValues: [Int] { values.indices.map { sign($0) * values[$0] } }

    /// How far entry `i` can move by `s` (+1 or −1) from `w[i]` within what a reader knows of it.
    func room(_ i: Int, _ s: Int, _ w: [Int]) -> Int {
        let (lo, hi) = signedBounds(i)
        return s > 0 ? hi - w[i] : w[i] - lo
    }

    /// An alternating cycle of hidden entries through entry `e` that moves it by `step` (+1 or −1) at `w`: the
    /// entries of the cycle with their steps, and how far the cycle can go; nil when there is none.
    func cycle(through e: Int, step: Int, w: [Int]) -> ([(Int, Int)], Int)? {
        let eRoom = room(e, step, w)
        // Every entry costs 1: the cycle with the fewest entries, as breadth-first search finds it, which keeps the
        // augmentations of `derivable` few (Edmonds–Karp).
        guard eRoom > 0, let found = path(through: e, step: step, cost: { i, s in isHidden(i) && room(i, s, w) > 0 ? 1 : nil }) else { return nil }
        let amount = found.steps.reduce(eRoom) { Swift.min($0, room($1.entry, $1.step, w)) }
        return ([(e, step)] + found.steps.map { ($0.entry, $0.step) }, amount)
    }

    /// The cheapest path that closes a cycle through entry `e` moving it by `step`, when using entry i in direction
    /// s costs `cost(i, s)` (nil: not usable); Dijkstra's algorithm, ties to the lower node. Nodes are the rows
    /// (0…rows) and columns (rows+1…rows+columns+1) of the augmented table; raising entry (r, c) is the edge
    /// r → c, lowering it the edge c → r, so raising e needs a path from its column back to its row.
    func path(through e: Int, step: Int, cost: (Int, Int) -> Int?) -> (cost: Int, steps: [(entry: Int, step: Int)])? {
        let width = columns + 1
        let er = e / width, ec = e % width
        let (start, goal) = step > 0 ? (rows + 1 + ec, er) : (er, rows + 1 + ec)
        let nodeCount = rows + 1 + columns + 1
        var distance = [Int](repeating: Int.max, count: nodeCount)
        var previous = [(node: Int, entry: Int, step: Int)?](repeating: nil, count: nodeCount)
        var done = [Bool](repeating: false, count: nodeCount)
        distance[start] = 0
        while true {
            var node = -1
            for n in 0..<nodeCount where !done[n] && distance[n] != Int.max && (node < 0 || distance[n] < distance[node]) { node = n }
            if node < 0 || node == goal { break }
            done[node] = true
            // From a row: raise one of its entries (row → column); from a column: lower one (column → row).
            let edges: [(entry: Int, next: Int, step: Int)] = node <= rows
                ? (0...columns).map { (node * width + $0, rows + 1 + $0, 1) }
                : (0...rows).map { ($0 * width + (node - rows - 1), $0, -1) }
            for edge in edges where edge.entry != e && !done[edge.next] {
                guard let c = cost(edge.entry, edge.step), distance[node] + c < distance[edge.next] else { continue }
                distance[edge.next] = distance[node] + c
                previous[edge.next] = (node, edge.entry, edge.step)
            }
        }
        guard distance[goal] != Int.max else { return nil }
        var steps: [(entry: Int, step: Int)] = []
        var node = goal
        while node != start, let p = previous[node] {
            steps.append((p.entry, p.step))
            node = p.node
        }
        return (distance[goal], steps)
    }

    func apply(_ cycle: [(Int, Int)], _ amount: Int, to w: inout [Int]) {
        for (i, s) in cycle { w[i] += s * amount }
    }
}
