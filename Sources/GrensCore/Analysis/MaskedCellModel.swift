/// What a `<5` cell holds: the distribution of its value over 1…4 that such cells really had in an unmasked
/// year, in the same context (school type, whether the pupil crosses a gemeente border, the age or leerjaar
/// band of the cell, the exact part of the row, how many cells of the row are masked, the home–school PC4 gap,
/// and whether the neighbouring ages of the row are zero, `<5` or exact).
/// The point estimate is the distribution's mean; the distribution itself feeds the exact conditioning on
/// school margins and the joint draws behind the 90% intervals (`EstimatedRows`).
///
/// Contexts form a chain of levels: all cells, then per soort, soort × crossing, and so on, one feature more per
/// level. A context is learned only with at least `minimumCells` cells (smaller ones are not in the parameter
/// file: their cells count in their parent), and shrinks toward its parent with weight `shrinkage`, so every
/// distribution is a mixture of observed ones and every estimate lies within 1…4.
///
/// The parameters are data (`data/estimator/masked-cells.csv`), learned by `grensverkeer schatter-leren`
/// from an unmasked file; see the README.
public struct MaskedCellModel: Sendable, Equatable {
    /// One feature of a cell's context: its column in the parameter file and the values it takes.
    public struct Feature: Sendable, Equatable {
        public let header: String
        public let labels: [String]
        /// Computed per cell (age band, neighbours) rather than once per row.
        let perCell: Bool
    }

    /// The features, coarse to fine: level n of the chain fixes the first n. Measured out of sample
    /// (`make accuracy`): finer age or distance bands did not help; the neighbours did a little.
    public static let features: [Feature] = [
        Feature(header: "soort", labels: Soort.allCases.map(\.rawValue), perCell: false),
        Feature(header: "grensoverschrijdend", labels: ["0", "1"], perCell: false),
        Feature(header: "leeftijdsband", labels: ["<=4", "5-11", "12", "13+", "lj1-3", "lj4-6"], perCell: true),
        Feature(header: "rijband", labels: ["0", "5-9", "10-19", "20-49", "50+"], perCell: false),
        Feature(header: "gemaskeerd_in_rij", labels: ["1", "2", "3", "4-6", "7+"], perCell: false),
        Feature(header: "afstandsband", labels: ["0", "1-9", "10-49", "50+", "onbekend"], perCell: false),
        // The cells of the neighbouring ages in the same row: 0 = zero (or none), m = `<5`, e = exact.
        Feature(header: "buren", labels: ["00", "0m", "0e", "mm", "me", "ee"], perCell: true),
    ]

    /// The label index of feature `f` for cell `cell` of `row`.
    static func index(_ f: Int, _ row: FlowRow, _ cell: Int) -> Int {
        switch f {
        case 0: return row.soort.order
        case 1: return row.crossesBorder ? 1 : 0
        case 2: return ageBand(soort: row.soort, cell: cell)
        case 3: return rowBand(row.exact)
        case 4: return maskedBand(row.maskedCount)
        case 5: return distanceBand(row)
        default: return neighbours(row, cell: cell)
        }
    }

    /// A context: a value for each of the first `level` features, the finer ones left open.
    public struct Context: Hashable, Sendable, Comparable {
        /// Four bits per feature: the value's index + 1, or 0 for an open feature.
        let key: UInt64

        init(key: UInt64) { self.key = key }

        /// `values[i]` is the label index of feature i, nil for open; only a prefix may be fixed.
        public init?(values: [Int?]) {
            guard values.count == MaskedCellModel.features.count else { return nil }
            var key: UInt64 = 0
            var open = false
            for (i, v) in values.enumerated() {
                guard let v else { open = true; continue }
                guard !open, v >= 0, v < MaskedCellModel.features[i].labels.count else { return nil }
                key |= UInt64(v + 1) << (4 * i)
            }
            self.key = key
        }

        public func value(_ feature: Int) -> Int? {
            let v = Int((key >> (4 * feature)) & 0xF)
            return v == 0 ? nil : v - 1
        }

        public var level: Int { (0..<MaskedCellModel.features.count).first { value($0) == nil } ?? MaskedCellModel.features.count }

        /// The context with only the first `level` features fixed.
        public func prefix(_ level: Int) -> Context { Context(key: level >= 16 ? key : key & ((1 << (4 * UInt64(level))) - 1)) }

        public var labels: [String] {
            MaskedCellModel.features.indices.map { f in value(f).map { MaskedCellModel.features[f].labels[$0] } ?? "*" }
        }

        public static func < (a: Context, b: Context) -> Bool {
            let la = a.level, lb = b.level
            if la != lb { return la < lb }
            for f in 0..<la where a.value(f) != b.value(f) { return a.value(f)! < b.value(f)! }
            return false
        }
    }

    /// Observed counts of the values 1, 2, 3, 4 per learned context, at every level.
    public let counts: [Context: SIMD4<Int>]
    /// How far cells may deviate together from the learned distributions, as the standard deviation of a tilt
    /// p(v) ∝ p(v)·e^(θ(v − 1)): `spread` for a tilt shared by all masked cells of one school location × soort ×
    /// crossing (its own pupils, and separately its cross-border pupils), `rowSpread` for a further tilt shared by
    /// the cells of one row (one postcode at one school). Used for the draws only, never for estimates; learned
    /// out of sample (`learnSpread`), so the intervals also cover what the contexts do not explain.
    public let spread: Double
    public let rowSpread: Double
    /// The shrunk distribution of every learned context.
    private let resolved: [UInt64: CellDistribution]

    /// A context is learned on its own only with at least this many cells.
    public static let minimumCells = 20
    /// Cells a context needs before its own distribution outweighs its parent's.
    public static let shrinkage = 20.0

    /// Contexts below `minimumCells` are left out (their cells only count in their parents).
    public init(counts: [Context: SIMD4<Int>], spread: Double = 0, rowSpread: Double = 0) {
        precondition(spread >= 0 && rowSpread >= 0, "negative spread")
        self.spread = spread
        self.rowSpread = rowSpread
        self.counts = counts.filter { $0.value.wrappedSum() >= Self.minimumCells }
        var resolved: [UInt64: CellDistribution] = [:]
        for context in self.counts.keys.sorted() {
            let c = SIMD4<Double>(self.counts[context]!)
            if context.level == 0 {
                resolved[context.key] = CellDistribution(weights: c)
                continue
            }
            let parent = Self.find(context.prefix(context.level - 1).key, in: resolved)
            resolved[context.key] = CellDistribution(weights: c + Self.shrinkage * parent.p)
        }
        self.resolved = resolved
    }

    /// Without learned parameters: every value 1…4 equally likely (mean 2.5), documented as the naive reading.
    public static let naive = MaskedCellModel(counts: [:])

    public static func == (a: MaskedCellModel, b: MaskedCellModel) -> Bool { a.counts == b.counts && a.spread == b.spread && a.rowSpread == b.rowSpread }

    /// The finest learned context containing `key` (open features dropped from the finest end).
    private static func find(_ key: UInt64, in resolved: [UInt64: CellDistribution]) -> CellDistribution {
        var level = features.count
        while level >= 0 {
            let k = level == features.count ? key : key & ((1 << (4 * UInt64(level))) - 1)
            if let d = resolved[k] { return d }
            level -= 1
        }
        return .uniform
    }

    /// The distribution of a masked cell in this context.
    public func distribution(_ context: Context) -> CellDistribution { Self.find(context.key, in: resolved) }

    /// The expected value of a masked cell in this context, always within 1…4.
    public func expected(_ context: Context) -> Double { distribution(context).mean }

    // MARK: features

    /// The context of masked cell `cell` of a row (as published: exact part and masked cells).
    public static func context(_ row: FlowRow, cell: Int) -> Context {
        Context(key: rowKey(row) | cellKey(row, cell: cell))
    }

    /// The features that are the same for every cell of a row.
    static func rowKey(_ row: FlowRow) -> UInt64 {
        var key: UInt64 = 0
        for (i, f) in features.enumerated() where !f.perCell { key |= UInt64(index(i, row, 0) + 1) << (4 * i) }
        return key
    }

    static func cellKey(_ row: FlowRow, cell: Int) -> UInt64 {
        var key: UInt64 = 0
        for (i, f) in features.enumerated() where f.perCell { key |= UInt64(index(i, row, cell) + 1) << (4 * i) }
        return key
    }

    /// Age bands of the po cells (jonger, 4 … 24, ouder) and leerjaar bands of vo.
    static func ageBand(soort: Soort, cell: Int) -> Int {
        if soort.sector == .vo { return cell < 3 ? 4 : 5 }
        switch cell {
        case 0, 1: return 0
        case 2...8: return 1
        case 9: return 2
        default: return 3
        }
    }

    static func rowBand(_ exact: Int) -> Int {
        switch exact {
        case 0: return 0
        case ..<10: return 1
        case ..<20: return 2
        case ..<50: return 3
        default: return 4
        }
    }

    /// Whether the cells of the ages left and right of `cell` are zero (or absent), `<5` or exact, unordered.
    static func neighbours(_ row: FlowRow, cell: Int) -> Int {
        func state(_ i: Int) -> Int {
            guard i >= 0 else { return 0 }
            if row.maskedBits & (1 << i) != 0 { return 1 }
            return (row.exactValue(i) ?? 0) > 0 ? 2 : 0
        }
        let a = state(cell - 1), b = state(cell + 1)
        return [[0, 1, 2], [1, 3, 4], [2, 4, 5]][a][b]
    }

    static func maskedBand(_ n: Int) -> Int {
        switch n {
        case ...1: return 0
        case 2: return 1
        case 3: return 2
        case 4...6: return 3
        default: return 4
        }
    }

    /// Postcode numbers are roughly spatial: the gap between home and school PC4 stands in for distance.
    static func distanceBand(_ row: FlowRow) -> Int {
        guard let home = Int(row.homePC4), home >= 1000, let school = row.schoolPC4.flatMap({ Int($0) }) else { return 4 }
        switch abs(home - school) {
        case 0: return 0
        case 1...9: return 1
        case 10...49: return 2
        default: return 3
        }
    }

    // MARK: learning

    /// Learns from unmasked rows: every true value 1…4 is a cell DUO would now publish as `<5`. `row` is the
    /// row as published (masked), `values` its true cell values.
    public static func learn(_ rows: [(row: FlowRow, values: [Int])]) -> MaskedCellModel {
        let spread = learnSpread(rows)
        return MaskedCellModel(counts: countContexts(rows), spread: spread.school, rowSpread: spread.row)
    }

    static func countContexts(_ rows: [(row: FlowRow, values: [Int])]) -> [Context: SIMD4<Int>] {
        var acc: [UInt64: SIMD4<Int>] = [:]
        for (row, values) in rows {
            let rk = rowKey(row)
            for (i, v) in values.enumerated() where (1...4).contains(v) {
                let key = rk | cellKey(row, cell: i)
                var one = SIMD4<Int>.zero
                one[v - 1] = 1
                for level in 0...features.count {
                    acc[level == features.count ? key : key & ((1 << (4 * UInt64(level))) - 1), default: .zero] &+= one
                }
            }
        }
        return Dictionary(uniqueKeysWithValues: acc.map { (Context(key: $0.key), $0.value) })
    }

    /// The spreads of the tilts, out of sample: the school gemeenten are split in two halves (alternating by
    /// code); each half's cells are compared with the distributions learned on the other half. Per row and per
    /// school × soort × crossing, R = Σ(value − mean) and V = Σ variance. A tilt θ adds about θ·V to R, so
    /// E[R²] ≈ V + (τ_school² + τ_row²)·V² for a row, and E[R²] ≈ V + τ_school²·V² + τ_row²·Σ V_row² for a
    /// school group. Both are solved by weighted least squares (weights 1/Var(R²)).
    static func learnSpread(_ rows: [(row: FlowRow, values: [Int])]) -> (school: Double, row: Double) {
        let gemeenten = Array(Set(rows.map(\.row.schoolGemeente))).sorted()
        let firstHalf = Set(gemeenten.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        let halves = [rows.filter { firstHalf.contains($0.row.schoolGemeente) }, rows.filter { !firstHalf.contains($0.row.schoolGemeente) }]
        guard halves.allSatisfy({ !$0.isEmpty }) else { return (0, 0) }
        struct Key: Hashable { let p: Peildatum; let s: String; let t: Soort; let x: Bool }
        struct Moment { var r = 0.0, v = 0.0, rowV2 = 0.0 }
        var groupMoments: [Moment] = []
        var rowMoments: [Moment] = []
        for h in 0..<2 {
            let other = MaskedCellModel(counts: countContexts(halves[1 - h]))
            var groups: [Key: Moment] = [:]
            for (row, values) in halves[h] {
                let rk = rowKey(row)
                var m = Moment()
                for (i, v) in values.enumerated() where (1...4).contains(v) {
                    let d = other.distribution(Context(key: rk | cellKey(row, cell: i)))
                    let mean = d.mean
                    m.r += Double(v) - mean
                    m.v += (d.p * (CellDistribution.shifted + 1) * (CellDistribution.shifted + 1)).sum() - mean * mean
                }
                guard m.v > 0 else { continue }
                m.rowV2 = m.v * m.v
                rowMoments.append(m)
                let key = Key(p: row.peildatum, s: row.schoolID, t: row.soort, x: row.crossesBorder)
                groups[key, default: Moment()].r += m.r
                groups[key, default: Moment()].v += m.v
                groups[key, default: Moment()].rowV2 += m.rowV2
            }
            groupMoments += groups.values
        }
        // E[R² − V − offset·c] = τ²·V²: weighted least squares for τ², weights 1/(expected variance of R²).
        func solve(_ moments: [Moment], _ residual: (Moment) -> Double, _ scale: (Moment) -> Double, _ start: Double) -> Double {
            var tau2 = start
            for _ in 0..<30 {
                var num = 0.0, den = 0.0
                for m in moments {
                    let expected = m.v + tau2 * scale(m)
                    let w = 1 / (expected * expected)
                    num += w * residual(m) * scale(m)
                    den += w * scale(m) * scale(m)
                }
                tau2 = den > 0 ? Swift.max(0, num / den) : 0
            }
            return tau2
        }
        let total = solve(rowMoments, { $0.r * $0.r - $0.v }, { $0.v * $0.v }, 0.1)
        var school = 0.0
        for _ in 0..<10 {
            let row = Swift.max(0, total - school)
            school = Swift.min(total, solve(groupMoments, { $0.r * $0.r - $0.v - row * $0.rowV2 }, { $0.v * $0.v }, school))
        }
        return (school.squareRoot(), Swift.max(0, total - school).squareRoot())
    }

    /// Cells the model was learned from, and their mean value.
    public var learnedCells: (count: Int, mean: Double) {
        guard let root = counts[Context(key: 0)] else { return (0, CellDistribution.uniform.mean) }
        return (root.wrappedSum(), CellDistribution(weights: SIMD4<Double>(root)).mean)
    }

    // MARK: parameters as text

    public static let header = (features.map(\.header) + ["n1", "n2", "n3", "n4"]).joined(separator: ";")
    /// The second table of the parameter file: named numbers (`spreiding_vestiging`: `spread`, `spreiding_rij`:
    /// `rowSpread`).
    public static let parameterHeader = "parameter;waarde"
    static let parameterNames = ["spreiding_vestiging", "spreiding_rij"]

    /// The parameter file: one line per learned context, coarse to fine, `*` for open features.
    public func serialized(source: String) -> String {
        var out = "# Verdeling van de waarde van een <5-cel (aantal cellen met 1, 2, 3, 4) per context, geleerd uit: \(source)\n"
        out += "# Een context met minder dan \(Self.minimumCells) cellen staat er niet apart in: zijn cellen tellen mee in de regel met * op zijn fijnste kenmerken.\n"
        out += Self.header + "\n"
        for context in counts.keys.sorted() {
            let c = counts[context]!
            out += (context.labels + [c[0], c[1], c[2], c[3]].map(String.init)).joined(separator: ";") + "\n"
        }
        out += "\n" + Self.parameterHeader + "\n" + "spreiding_vestiging;" + formatDecimal(spread) + "\n"
        out += "spreiding_rij;" + formatDecimal(rowSpread) + "\n"
        return out
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(InputError) -> MaskedCellModel {
        let text = String(decoding: bytes, as: UTF8.self)
        var counts: [Context: SIMD4<Int>] = [:]
        var sawHeader = false
        var inParameters = false
        var parameters: [String: Double] = [:]
        let columns = header.split(separator: ";").map(String.init)
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            func fail(_ column: Int?, _ message: String) -> InputError {
                InputError(file: file, line: index + 1, column: column.map { columns[$0] }, message: message)
            }
            if !sawHeader {
                guard line == header else { throw fail(nil, "onbekende kopregel; verwacht \(header)") }
                sawHeader = true
                continue
            }
            if line == parameterHeader { inParameters = true; continue }
            if inParameters {
                let f = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
                guard f.count == 2, parameterNames.contains(f[0]), parameters[f[0]] == nil, let v = Double(f[1]), v >= 0, v <= 3 else {
                    throw InputError(file: file, line: index + 1, column: nil,
                                     message: "ongeldige parameter; verwacht één keer elk van \(parameterNames.joined(separator: ", ")) met een getal tussen 0 en 3")
                }
                parameters[f[0]] = v
                continue
            }
            let f = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard f.count == columns.count else { throw fail(nil, "\(f.count) velden; verwacht \(columns.count) (zoals de kopregel)") }
            var values: [Int?] = []
            for (i, feature) in features.enumerated() {
                if f[i] == "*" { values.append(nil); continue }
                guard let v = feature.labels.firstIndex(of: f[i]) else {
                    throw fail(i, "'\(f[i])' is geen waarde van \(feature.header); verwacht * of een van \(feature.labels.joined(separator: ", "))")
                }
                guard values.allSatisfy({ $0 != nil }) else { throw fail(i, "'\(f[i])' na een *; verwacht alleen * na de eerste *") }
                values.append(v)
            }
            var c = SIMD4<Int>.zero
            for j in 0..<4 {
                guard let n = Int(f[features.count + j]), n >= 0 else {
                    throw fail(features.count + j, "'\(f[features.count + j])' is geen aantal; verwacht een geheel getal ≥ 0")
                }
                c[j] = n
            }
            guard c.wrappedSum() >= minimumCells else {
                throw fail(nil, "context met \(c.wrappedSum()) cellen; verwacht minstens \(minimumCells) (kleinere contexten vallen onder hun ouder)")
            }
            let context = Context(values: values)!
            guard counts[context] == nil else { throw fail(nil, "context staat er al eerder in; verwacht elke context één keer") }
            counts[context] = c
        }
        guard sawHeader else { throw InputError(file: file, line: nil, column: nil, message: "leeg parameterbestand; verwacht \(header)") }
        guard let spread = parameters[parameterNames[0]], let rowSpread = parameters[parameterNames[1]] else {
            let missing = parameterNames.filter { parameters[$0] == nil }.joined(separator: ", ")
            throw InputError(file: file, line: nil, column: nil, message: "parameter \(missing) ontbreekt; verwacht na de contexten \(parameterHeader)")
        }
        return MaskedCellModel(counts: counts, spread: spread, rowSpread: rowSpread)
    }
}

/// A number with 6 decimals and a decimal point (a data file, not Dutch display).
func formatDecimal(_ x: Double) -> String {
    let scaled = Int((x * 1_000_000).rounded())
    let frac = String(scaled % 1_000_000)
    return "\(scaled / 1_000_000)." + String(repeating: "0", count: 6 - frac.count) + frac
}
