import Foundation

/// Rows with their estimates, the school margins that constrain them, and joint draws for 90% intervals.
///
/// Every `<5` cell has a distribution over 1…4 (`MaskedCellModel`). Without a margin the cells are independent.
/// A margin (`SchoolMargin`) says what the k masked cells of one column (school location × soort × age, or the
/// whole location) add up to: M = total − the column's exact cells, exact or an interval. Then:
/// - bounds: any s of those k cells lie in [max(s, M.min − 4(k − s)), min(4s, M.max − (k − s))];
/// - estimates: each cell's exact conditional expectation given the column sum (`ColumnConditional`);
/// - draws: every column is drawn jointly from that conditional, the other cells independently from their
///   distributions, `drawCount` times with a fixed seed. Each row keeps the draws of its masked part, and an
///   `Accumulator` adds the draws of its rows, so every aggregate has a 90% interval (5th–95th percentile).
/// A margin outside [k, 4k] contradicts the flow rows: it is clamped for estimates and draws, reported in
/// `inconsistentMargins`, and not used for bounds.
public struct EstimatedRows: Sendable {
    public struct MarginGroup: Sendable, Equatable {
        public let maskedCells: Int
        /// What the group's masked cells add up to.
        public let maskedMass: Bounds
    }

    public let rows: [FlowRow]
    /// Estimate of each row's masked part (0 when it has none).
    public let maskedEstimates: [Double]
    /// Margin groups that bound aggregates (consistent margins only).
    public let groups: [MarginGroup]
    /// Margins that contradict the flow rows (clamped for estimates and draws, not used for bounds), for the report.
    public let inconsistentMargins: [SchoolMargin]
    /// School locations × soort with at least one margin used.
    public let schoolsWithMargins: Int
    /// Row i's masked cells in a group: `groupCells[groupStart[i]..<groupStart[i + 1]]`, one entry per cell
    /// (empty arrays when there are no groups).
    let groupStart: [Int32]
    let groupCells: [Int32]
    /// The draws' identity; nil when no draws were made.
    public let drawSource: DrawSource?
    /// Row i's draws of its masked part: `draws[drawOffset[i] ..< drawOffset[i] + drawCount]`, or -1 (none).
    let drawOffset: [Int32]
    let draws: [UInt8]
    /// The rows of each peildatum: the maximal stretches of consecutive rows with that peildatum (one stretch
    /// when the rows come grouped by peildatum, as they do from the store).
    let dateRuns: [Peildatum: [Range<Int>]]

    /// The peildata of the rows, oldest first.
    public var peildata: [Peildatum] { dateRuns.keys.sorted() }

    /// The indices of the rows with this peildatum, in order.
    public func indices(on date: Peildatum) -> FlattenSequence<[Range<Int>]> { (dateRuns[date] ?? []).joined() }

    static func runs(_ rows: [FlowRow]) -> [Peildatum: [Range<Int>]] {
        var runs: [Peildatum: [Range<Int>]] = [:]
        var start = 0
        for i in rows.indices where i + 1 == rows.count || rows[i + 1].peildatum != rows[i].peildatum {
            runs[rows[i].peildatum, default: []].append(start..<(i + 1))
            start = i + 1
        }
        return runs
    }

    public static let defaultDraws = 400
    /// Fixed, so the same input always gives the same intervals.
    public static let defaultSeed: UInt64 = 0x4752_454E_5356_4B52

    public var drawCount: Int { drawSource?.count ?? 0 }

    /// Tilts take eight evenly spaced values with binomial weights (1, 7, 21, 35, 35, 21, 7, 1)/128: a discrete
    /// standard normal (mean 0, variance 1). Even spacing keeps the differences between two tilts few (15), so a
    /// column needs at most 15 dynamic programmes.
    static let tiltGrid: [Double] = (0..<8).map { (Double($0) - 3.5) / 1.75.squareRoot() }
    static let tiltWeights: [Double] = [1, 7, 21, 35, 35, 21, 7, 1].map { $0 / 128 }
    /// The tilt index for each of 128 equally likely 7-bit numbers (index i appears 128·weight times).
    static let tiltOf128: [UInt8] = [1, 7, 21, 35, 35, 21, 7, 1].enumerated().flatMap { [UInt8](repeating: UInt8($0.offset), count: $0.element) }

    /// `drawsFor`: the rows that get draws (all by default). An aggregate that adds a row with `<5` cells but
    /// without draws has no interval; limiting the draws to the rows a report can show saves time and memory.
    /// `source`: the draw source to draw under (its count must be `drawCount`); nil for one of its own. Estimations
    /// that share one combine draw by draw, which is sound only when their draws are independent (another seed).
    public init(rows: [FlowRow], model: MaskedCellModel, margins: [SchoolMargin] = [],
                draws drawCount: Int = defaultDraws, seed: UInt64 = defaultSeed, source: DrawSource? = nil,
                drawsFor: ((FlowRow) -> Bool)? = nil) {
        precondition(source == nil || source!.count == drawCount, "draw source of \(source!.count) draws for \(drawCount)")
        self.rows = rows
        dateRuns = Self.runs(rows)
        // Masked cells, row by row: cellStart[i]..<cellStart[i + 1] are row i's, in bit order.
        var cellStart = [Int32](repeating: 0, count: rows.count + 1)
        var priors: [CellDistribution] = []
        var cellRow: [Int32] = []
        var cellBit: [UInt8] = []
        var cache: [UInt64: CellDistribution] = [:]
        for (i, row) in rows.enumerated() {
            cellStart[i] = Int32(priors.count)
            guard row.maskedBits != 0 else { continue }
            let rowKey = MaskedCellModel.rowKey(row)
            var bits = row.maskedBits
            while bits != 0 {
                let bit = bits.trailingZeroBitCount
                bits &= bits - 1
                let key = rowKey | MaskedCellModel.cellKey(row, cell: bit)
                let d = cache[key] ?? model.distribution(MaskedCellModel.Context(key: key))
                cache[key] = d
                priors.append(d)
                cellRow.append(Int32(i))
                cellBit.append(UInt8(bit))
            }
        }
        cellStart[rows.count] = Int32(priors.count)
        func cellID(_ row: Int, _ bit: Int) -> Int32 {
            cellStart[row] + Int32((rows[row].maskedBits & ((1 << bit) - 1)).nonzeroBitCount)
        }

        // Columns with a margin.
        struct Column { var cells: [Int32]; var sum: ClosedRange<Int> }
        var columns: [Column] = []
        var cellGroup = [Int32](repeating: -1, count: priors.count)
        var groups: [MarginGroup] = []
        var inconsistent: [SchoolMargin] = []
        var schools = Set<SchoolKey>()
        if !margins.isEmpty {
            var members: [SchoolKey: [Int]] = [:]
            for (i, r) in rows.enumerated() { members[SchoolKey(r), default: []].append(i) }
            var perCell = Set<SchoolKey>()
            var seen = Set<ColumnKey>()
            let ordered = margins.sorted {
                ($0.cell == nil ? 1 : 0, $0.peildatum, $0.schoolID, $0.soort, $0.cell ?? -1)
                    < ($1.cell == nil ? 1 : 0, $1.peildatum, $1.schoolID, $1.soort, $1.cell ?? -1)
            }
            for margin in ordered {
                let key = SchoolKey(peildatum: margin.peildatum, schoolID: margin.schoolID, soort: margin.soort)
                guard let indices = members[key] else { continue }
                // Per-age margins are finer than a whole-location total, and a column is used once.
                if margin.cell == nil && perCell.contains(key) { continue }
                guard seen.insert(ColumnKey(school: key, cell: margin.cell ?? -1)).inserted else { continue }
                var cells: [Int32] = []
                var exact = 0
                var known = true
                for i in indices {
                    let row = rows[i]
                    if let c = margin.cell {
                        if row.maskedBits & (1 << c) != 0 { cells.append(cellID(i, c)) }
                        else if let v = row.exactValue(c) { exact += v }
                        else { known = false }
                    } else {
                        exact += row.exact
                        for c in 0..<Int(cellStart[i + 1] - cellStart[i]) { cells.append(cellStart[i] + Int32(c)) }
                    }
                }
                if margin.cell != nil { perCell.insert(key) }
                let k = cells.count
                guard known, k > 0 else { continue }
                let lo = margin.total.min - exact, hi = margin.total.max - exact
                var group: Int32 = -1
                let sum: ClosedRange<Int>
                if hi < k || lo > 4 * k {
                    inconsistent.append(margin)
                    sum = hi < k ? k...k : (4 * k)...(4 * k)
                } else {
                    sum = Swift.max(lo, k)...Swift.min(hi, 4 * k)
                    group = Int32(groups.count)
                    groups.append(MarginGroup(maskedCells: k, maskedMass: Bounds(min: sum.lowerBound, max: sum.upperBound)))
                }
                for c in cells { cellGroup[Int(c)] = group }
                schools.insert(key)
                columns.append(Column(cells: cells, sum: sum))
            }
        }

        // Estimates: prior means, replaced by the exact conditional means in columns with a margin.
        var cellMean = priors.map(\.mean)
        var constrained = [Bool](repeating: false, count: priors.count)
        let conditionals = columns.map { column in
            let conditional = ColumnConditional(priors: column.cells.map { priors[Int($0)] }, sum: column.sum)
            for (c, posterior) in zip(column.cells, conditional.posteriors()) {
                cellMean[Int(c)] = posterior.mean
                constrained[Int(c)] = true
            }
            return conditional
        }
        maskedEstimates = rows.indices.map { i in
            var sum = 0.0
            for c in Int(cellStart[i])..<Int(cellStart[i + 1]) { sum += cellMean[c] }
            return sum
        }

        if groups.isEmpty {
            groupStart = []
            groupCells = []
        } else {
            var start = [Int32](repeating: 0, count: rows.count + 1)
            var list: [Int32] = []
            for i in rows.indices {
                start[i] = Int32(list.count)
                for c in Int(cellStart[i])..<Int(cellStart[i + 1]) where cellGroup[c] >= 0 { list.append(cellGroup[c]) }
            }
            start[rows.count] = Int32(list.count)
            groupStart = start
            groupCells = list
        }
        self.groups = groups
        inconsistentMargins = inconsistent
        schoolsWithMargins = schools.count

        // Draws: columns jointly, then the free cells of each row (their sum's distribution, drawn directly).
        guard drawCount > 0, !priors.isEmpty else {
            drawSource = nil
            drawOffset = []
            self.draws = []
            return
        }
        var offsets = [Int32](repeating: -1, count: rows.count)
        var next: Int32 = 0
        for i in rows.indices where cellStart[i + 1] > cellStart[i] && drawsFor?(rows[i]) != false {
            offsets[i] = next
            next += Int32(drawCount)
        }
        var draws = [UInt8](repeating: 0, count: Int(next))
        var rng = SeededGenerator(seed: seed)

        // A random tilt per school location × soort × crossing and draw: a school's own and its cross-border
        // pupils may each hold a little more or less than the learned distributions say, the same way in every
        // cell (see `MaskedCellModel.spread`).
        let grid = model.spread > 0 ? Self.tiltGrid.map { $0 * model.spread } : [0]
        var tiltGroup = [Int32](repeating: -1, count: rows.count)
        var buckets: [[UInt8]] = []
        var groupIndex: [TiltKey: Int32] = [:]
        for i in rows.indices where cellStart[i + 1] > cellStart[i] {
            let key = TiltKey(school: SchoolKey(rows[i]), crossing: rows[i].crossesBorder)
            if let g = groupIndex[key] { tiltGroup[i] = g; continue }
            tiltGroup[i] = Int32(buckets.count)
            groupIndex[key] = Int32(buckets.count)
            var list = [UInt8](repeating: 0, count: drawCount)
            if grid.count > 1 {
                var x: UInt64 = 0
                for d in 0..<drawCount {
                    if d % 9 == 0 { x = rng.next() }
                    list[d] = Self.tiltOf128[Int(x & 127)]
                    x >>= 7
                }
            }
            buckets.append(list)
        }

        func tilted(_ p: SIMD4<Double>, _ theta: Double) -> CellDistribution {
            let r = exp(theta)
            return CellDistribution(weights: p * SIMD4(1, r, r * r, r * r * r))
        }
        // In a column every cell is of another row (one age each), so the row tilt, independent between rows,
        // enters as each cell's distribution averaged over it. Only its link to the row's free cells is lost.
        let rowGrid = model.rowSpread > 0 ? Self.tiltGrid.map { $0 * model.rowSpread } : [0]
        func drawPrior(_ c: Int32) -> CellDistribution {
            guard rowGrid.count > 1 else { return priors[Int(c)] }
            var w = SIMD4<Double>.zero
            for (theta, weight) in zip(rowGrid, Self.tiltWeights) { w += weight * tilted(priors[Int(c)].p, theta).p }
            return CellDistribution(weights: w)
        }
        for (column, plain) in zip(columns, conditionals) {
            let columnPriors = column.cells.map(drawPrior)
            let conditional = rowGrid.count > 1 ? ColumnConditional(priors: columnPriors, sum: column.sum) : plain
            let slots = column.cells.map { Int(offsets[Int(cellRow[Int($0)])]) }
            guard slots.contains(where: { $0 >= 0 }) else { continue }
            let cellGroups = column.cells.map { tiltGroup[Int(cellRow[Int($0)])] }
            let present = Array(Set(cellGroups)).sorted()
            // A column holds one school location × soort: its own pupils and its cross-border pupils, two groups.
            guard present.count == 2 && grid.count > 1 else {
                // One tilt for the whole column changes nothing once its sum is known.
                for d in 0..<drawCount { conditional.sample(&rng) { cell, value in if slots[cell] >= 0 { draws[slots[cell] + d] &+= UInt8(value) } } }
                continue
            }
            // Only the tilt of one group relative to the other matters given the sum.
            let side = cellGroups.map { present.firstIndex(of: $0)! }
            var cache = [ColumnConditional?](repeating: nil, count: 2 * grid.count - 1)
            let first = buckets[Int(present[0])], second = buckets[Int(present[1])]
            for d in 0..<drawCount {
                let key = Int(second[d]) - Int(first[d]) + grid.count - 1
                if cache[key] == nil {
                    let shift = grid[Int(second[d])] - grid[Int(first[d])]
                    cache[key] = ColumnConditional(priors: column.cells.indices.map { i in
                        side[i] == 0 ? columnPriors[i] : tilted(columnPriors[i].p, shift)
                    }, sum: column.sum)
                }
                cache[key]!.sample(&rng) { cell, value in if slots[cell] >= 0 { draws[slots[cell] + d] &+= UInt8(value) } }
            }
        }

        // The free cells of a row: their sum's distribution, tilted per draw by the school group's tilt plus the
        // row's own (a tilt of every cell is a tilt of the sum), drawn directly. The row tilt is left out of
        // columns with a margin: there it would need a dynamic programme per draw. Rows are drawn in fixed blocks,
        // each with its own generator, so the result does not depend on how the blocks are spread over cores.
        let combinations = grid.count * rowGrid.count
        // e^θ of every combination of a school tilt and a row tilt.
        let ratios = grid.flatMap { a in rowGrid.map { b in exp(a + b) } }
        let thetas = grid.flatMap { a in rowGrid.map { b in a + b } }
        // The weight of each combination: the school tilt's times the row tilt's (a single tilt weighs 1).
        func gridWeights(_ g: [Double]) -> [Double] { g.count > 1 ? Self.tiltWeights : [1] }
        let comboWeights = gridWeights(grid).flatMap { a in gridWeights(rowGrid).map { b in a * b } }
        let block = 2048, blocks = (rows.count + block - 1) / block
        let rowCount = rows.count
        let (rowOffsets, rowCells, fixed, cellPriors, tilts, rowTilt) = (offsets, cellStart, constrained, priors, buckets, tiltGroup)
        // The distribution of each drawn row's free cells' sum (shifted by their number), block by block on all
        // cores. Rows with the same distribution (the same priors) share one entry of `sums`, and its centre (a
        // Newton solve over every tilt combination) is worked out once for the peildatum, not once per block.
        struct BlockSums: Sendable { var rows: [Int32] = [], free: [UInt8] = [], entry: [Int32] = [], sums: [[Double]] = [] }
        let found = concurrentMap(blocks) { blockIndex in
            var out = BlockSums()
            var seen: [[UInt64]: Int32] = [:]
            var sum: [Double] = [], scratch: [Double] = []
            for i in (blockIndex * block)..<Swift.min(rowCount, (blockIndex + 1) * block) where rowOffsets[i] >= 0 {
                sum.removeAll(keepingCapacity: true)
                sum.append(1)
                var free = 0
                for c in Int(rowCells[i])..<Int(rowCells[i + 1]) where !fixed[c] {
                    free += 1
                    let p = cellPriors[c].p
                    scratch.removeAll(keepingCapacity: true)
                    scratch.append(contentsOf: repeatElement(0, count: sum.count + 3))
                    for (a, x) in sum.enumerated() { for j in 0..<4 { scratch[a + j] += x * p[j] } }
                    swap(&sum, &scratch)
                }
                guard free > 0 else { continue }
                let key = sum.map(\.bitPattern)
                let entry: Int32
                if let known = seen[key] {
                    entry = known
                } else {
                    entry = Int32(out.sums.count)
                    seen[key] = entry
                    out.sums.append(sum)
                }
                out.rows.append(Int32(i))
                out.free.append(UInt8(free))
                out.entry.append(entry)
            }
            return out
        }
        var sums: [[Double]] = []
        var rowSum = [Int32](repeating: -1, count: rowCount), rowFree = [UInt8](repeating: 0, count: rowCount)
        var entries: [[UInt64]: Int32] = [:]
        for part in found {
            let global = part.sums.map { sum -> Int32 in
                let key = sum.map(\.bitPattern)
                if let known = entries[key] { return known }
                entries[key] = Int32(sums.count)
                sums.append(sum)
                return Int32(sums.count - 1)
            }
            for (k, i) in part.rows.enumerated() {
                rowSum[Int(i)] = global[Int(part.entry[k])]
                rowFree[Int(i)] = part.free[k]
            }
        }
        let distinct = sums
        let centres = concurrentMap(distinct.count) { exp(SumTables.shift(distinct[$0], thetas: thetas, weights: comboWeights)) }
        let (sumOf, freeOf) = (rowSum, rowFree)
        draws.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let draws = buffer
            DispatchQueue.concurrentPerform(iterations: blocks) { blockIndex in
                var rng = SeededGenerator(seed: seed &+ 0x9E37_79B9 &* UInt64(blockIndex + 1))
                // The cumulative distributions of a sum, filled as this block's draws need them.
                var tables: [Int32: SumTables] = [:]
                for i in (blockIndex * block)..<Swift.min(rowCount, (blockIndex + 1) * block) where sumOf[i] >= 0 {
                    let entry = sumOf[i], sum = distinct[Int(entry)], n = sum.count, free = Int(freeOf[i])
                    let table: SumTables
                    if let hit = tables[entry] {
                        table = hit
                    } else {
                        table = SumTables(n: n, combinations: combinations, centre: centres[Int(entry)])
                        tables[entry] = table
                    }
                    let base = Int(rowOffsets[i]), b = tilts[Int(rowTilt[i])]
                    table.cdfs.withUnsafeMutableBufferPointer { cdfs in table.guides.withUnsafeMutableBufferPointer { guides in
                    table.ready.withUnsafeMutableBufferPointer { ready in b.withUnsafeBufferPointer { b in
                    Self.tiltOf128.withUnsafeBufferPointer { tiltOf128 in
                        let rowTilts = rowGrid.count > 1
                        for d in 0..<drawCount {
                            let x = rng.next()
                            let rowBucket = rowTilts ? Int(tiltOf128[Int(x & 127)]) : 0
                            let combination = Int(b[d]) * rowGrid.count + rowBucket
                            let start = combination * n
                            if !ready[combination] {
                                let r = ratios[combination] * table.centre
                                var acc = 0.0, power = 1.0
                                for (s, p) in sum.enumerated() { acc += p * power; power *= r; cdfs[start + s] = acc }
                                let scale = 1 / acc
                                for s in 0..<n { cdfs[start + s] *= scale }
                                // Guide table: slice j of [0, 1) starts its search at the first value above j/n.
                                var k = 0
                                for j in 0..<n {
                                    while k < n - 1 && cdfs[start + k] <= Double(j) / Double(n) { k += 1 }
                                    guides[start + j] = Int32(k)
                                }
                                ready[combination] = true
                            }
                            let u = Double(x >> 32) * 0x1p-32
                            // The number of cumulative probabilities ≤ u, from the guide onwards.
                            var t = Int(guides[start + Int(u * Double(n))])
                            while t < n - 1 && cdfs[start + t] <= u { t += 1 }
                            draws[base + d] &+= UInt8(free + t)
                        }
                    } } } } }
                }
            }
        }
        drawSource = source ?? DrawSource(count: drawCount)
        drawOffset = offsets
        self.draws = draws
    }

    /// One peildatum's rows estimated on their own, with a seed of their own (`seed(_:for:)`) and its margins only.
    /// A year's estimates and intervals therefore do not depend on which other years are in the store: adding a
    /// year leaves the figures of the years before as they were. Nothing ties the years together anyway: margins
    /// and tilts are per school location × soort × peildatum. The peildata of one analysis share one draw
    /// `source`, so that quantities of different years (a change between two years) still combine draw by draw.
    public static func peildatum(_ date: Peildatum, rows: [FlowRow], model: MaskedCellModel, margins: [SchoolMargin] = [],
                                 draws drawCount: Int = defaultDraws, seed: UInt64 = defaultSeed, source: DrawSource? = nil,
                                 drawsFor: ((FlowRow) -> Bool)? = nil) -> EstimatedRows {
        precondition(rows.allSatisfy { $0.peildatum == date }, "rows of another peildatum than \(date)")
        return EstimatedRows(rows: rows, model: model, margins: margins.filter { $0.peildatum == date }, draws: drawCount,
                             seed: Self.seed(seed, for: date), source: source, drawsFor: drawsFor)
    }

    /// The seed of one peildatum's draws: the run's seed mixed with the date.
    public static func seed(_ seed: UInt64, for date: Peildatum) -> UInt64 {
        var mix = SeededGenerator(seed: seed ^ UInt64(date.year * 10_000 + date.month * 100 + date.day))
        return mix.next()
    }

    public func quantity(of row: Int) -> Quantity {
        var a = Accumulator()
        a.add(row, self)
        return a.quantity(self)
    }
}

/// The cumulative distribution of a row's free-cell sum for every tilt combination (each `n` long), with its
/// guide table (for each of n equal slices of [0, 1), where the search starts), filled as draws need them.
private final class SumTables {
    var cdfs: [Double]
    var guides: [Int32]
    var ready: [Bool]
    /// e^δ: the common shift of every tilt that keeps the draws' expected sum at the untilted mean (the estimate).
    /// Without it the draws of a row lean above the estimate, because the tilted mean is convex in the tilt (a
    /// distribution that is mostly 1 can rise more than it can fall); summed over many rows, a total's interval
    /// would then sit above its own estimate.
    let centre: Double
    /// `centre`: e^δ of the sum (`shift`).
    init(n: Int, combinations: Int, centre: Double) {
        cdfs = [Double](repeating: 0, count: n * combinations)
        guides = [Int32](repeating: 0, count: n * combinations)
        ready = [Bool](repeating: false, count: combinations)
        self.centre = centre
    }

    /// δ with Σ_c w_c · mean(sum tilted by θ_c + δ) = mean(sum), by Newton's method (the mixture mean rises with δ).
    static func shift(_ sum: [Double], thetas: [Double], weights: [Double]) -> Double {
        guard sum.count > 1, thetas.count > 1 else { return 0 }
        var target = 0.0
        for (s, p) in sum.enumerated() { target += Double(s) * p }
        var delta = 0.0
        for _ in 0..<4 {
            var mean = 0.0, slope = 0.0
            for (theta, w) in zip(thetas, weights) {
                // Tilted moments, scaled by the largest exponent so e^(θs) cannot overflow.
                let t = theta + delta, top = t > 0 ? t * Double(sum.count - 1) : 0
                var z = 0.0, m1 = 0.0, m2 = 0.0
                for (s, p) in sum.enumerated() where p > 0 {
                    let x = p * exp(t * Double(s) - top)
                    z += x; m1 += x * Double(s); m2 += x * Double(s) * Double(s)
                }
                let m = m1 / z
                mean += w * m
                slope += w * (m2 / z - m * m)
            }
            guard slope > 1e-12 else { break }
            let step = (mean - target) / slope
            delta -= Swift.max(-2, Swift.min(2, step))
            if abs(step) < 1e-9 { break }
        }
        return delta
    }
}

private struct SchoolKey: Hashable {
    let peildatum: Peildatum
    let schoolID: String
    let soort: Soort

    init(peildatum: Peildatum, schoolID: String, soort: Soort) {
        self.peildatum = peildatum
        self.schoolID = schoolID
        self.soort = soort
    }

    init(_ row: FlowRow) { self.init(peildatum: row.peildatum, schoolID: row.schoolID, soort: row.soort) }
}

private struct TiltKey: Hashable {
    let school: SchoolKey
    let crossing: Bool
}

private struct ColumnKey: Hashable {
    let school: SchoolKey
    let cell: Int
}

/// Sums rows into one count with bounds, estimate and draws, respecting the margin groups (see `EstimatedRows`).
public struct Accumulator: Sendable {
    var exact = 0
    var freeMasked = 0
    var estimate = 0.0
    /// The margin group of every grouped masked cell added.
    var groupCells: [Int32] = []
    /// Draws of the masked part (empty until a row with masked cells is added).
    var draws: [Int32] = []
    /// A row with `<5` cells but without draws was added: no interval.
    var withoutDraws = false

    public init() {}

    public mutating func add(_ index: Int, _ data: EstimatedRows) {
        let row = data.rows[index]
        exact += row.exact
        estimate += Double(row.exact) + data.maskedEstimates[index]
        let masked = row.maskedCount
        guard masked > 0 else { return }
        var grouped = 0
        if !data.groupStart.isEmpty {
            let a = Int(data.groupStart[index]), b = Int(data.groupStart[index + 1])
            grouped = b - a
            if b > a { groupCells.append(contentsOf: data.groupCells[a..<b]) }
        }
        freeMasked += masked - grouped
        guard !data.drawOffset.isEmpty else { return }
        let offset = Int(data.drawOffset[index]), n = data.drawCount
        guard offset >= 0 else { withoutDraws = true; return }
        if draws.isEmpty { draws = [Int32](repeating: 0, count: n) }
        draws.withUnsafeMutableBufferPointer { sum in
            data.draws.withUnsafeBufferPointer { row in
                for d in 0..<n { sum[d] &+= Int32(row[offset + d]) }
            }
        }
    }

    public var isEmpty: Bool { exact == 0 && freeMasked == 0 && groupCells.isEmpty }

    public func quantity(_ data: EstimatedRows) -> Quantity {
        var lo = exact + freeMasked
        var hi = exact + 4 * freeMasked
        if !groupCells.isEmpty {
            let sorted = groupCells.sorted()
            var i = 0
            while i < sorted.count {
                var j = i
                while j < sorted.count && sorted[j] == sorted[i] { j += 1 }
                let group = data.groups[Int(sorted[i])], s = j - i
                let k = group.maskedCells
                lo += Swift.max(s, group.maskedMass.min - 4 * (k - s))
                hi += Swift.min(4 * s, group.maskedMass.max - (k - s))
                i = j
            }
        }
        let bounds = Bounds(min: lo, max: hi)
        guard !draws.isEmpty, !withoutDraws, let source = data.drawSource else { return Quantity(bounds: bounds, estimate: estimate) }
        let shift = Int32(exact)
        return Quantity(bounds: bounds, estimate: estimate, draws: DrawVector(values: draws.map { $0 &+ shift }, source: source))
    }
}
