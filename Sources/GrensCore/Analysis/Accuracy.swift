/// Out-of-sample measurement of the masked-cell estimator on an unmasked year: mask it the way DUO does now
/// (every 1–4 becomes `<5`, no totals), estimate, and compare with the truth — without margins, and with the
/// school × soort × age margins that DUO's "01" file would give (derived from the same rows).
public enum Accuracy {
    public struct TruthRow: Sendable {
        public let row: FlowRow
        public let values: [Int]
        public let province: String

        public init(row: FlowRow, values: [Int], province: String) {
            self.row = row
            self.values = values
            self.province = province
        }

        /// The row as DUO would publish it now.
        public var masked: FlowRow {
            var r = row
            r.exact = values.filter { $0 >= 5 }.reduce(0, +)
            r.maskedBits = values.enumerated().reduce(0) { (1...4).contains($1.element) ? $0 | (1 << $1.offset) : $0 }
            r.cellValues = SIMD32()
            for (i, v) in values.enumerated() where v >= 5 { r.cellValues[i] = UInt16(v) }
            return r
        }
        public var total: Int { values.reduce(0, +) }
    }

    public struct Errors: Sendable, Equatable {
        /// Relative errors of OD cells (home gemeente × school gemeente, all soorten) with at least
        /// `minimumCell` true pupils.
        public let cellCount: Int
        public let cellMedian: Double
        public let cellP90: Double
        /// The same per soort (home × school gemeente × soort).
        public let soortCount: Int
        public let soortMedian: Double
        public let soortP90: Double
        public let homeMedian: Double
        public let homeMax: Double
        public let schoolMedian: Double
        public let schoolMax: Double
        /// Aggregates whose true value fell outside their bounds (must be zero).
        public let boundViolations: Int
        public let aggregatesChecked: Int
        /// Share of the OD cells above whose truth lies in their 90% interval, and the median width of that
        /// interval relative to the truth (nil without draws).
        public let coverage: Double?
        public let medianWidth: Double?
        /// The same coverage for home-gemeente totals.
        public let homeCoverage: Double?
    }

    public struct Split: Sendable {
        public let name: String
        public let learnedOn: [String]
        public let measuredOn: [String]
        public let testRows: Int
        public let maskedCells: Int
        public let withoutMargins: Errors
        public let withMargins: Errors
        public let naive: Errors
        /// Columns (school × soort × age) with masked cells and a derived margin, and how many contradicted.
        public let marginColumns: Int
        public let inconsistentMargins: Int
        /// The learned spreads of the school and row tilts (`MaskedCellModel.spread`, `rowSpread`).
        public let spread: Double
        public let rowSpread: Double
    }

    public static let minimumCell = 20
    public static let heldOutProvince = "Zuid-Holland"

    /// Two folds of provinces (alternating in sorted order, each learned on one and measured on the other) and
    /// one held-out province learned on all others.
    public static func splits(provinces: [String]) -> [(name: String, learn: Set<String>)] {
        let sorted = provinces.sorted()
        let a = Set(sorted.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        var out = [("vouw A", a), ("vouw B", Set(sorted).subtracting(a))]
        if sorted.contains(heldOutProvince) { out.append(("\(heldOutProvince) apart", Set(sorted).subtracting([heldOutProvince]))) }
        return out
    }

    /// Learns on the rows of `learnProvinces`, measures on all other rows.
    public static func measure(_ rows: [TruthRow], learnProvinces: Set<String>, name: String = "",
                               draws: Int = EstimatedRows.defaultDraws) -> Split {
        let learn = rows.filter { learnProvinces.contains($0.province) }
        let test = rows.filter { !learnProvinces.contains($0.province) }
        let model = MaskedCellModel.learn(learn.map { ($0.masked, $0.values) })
        let masked = test.map(\.masked)
        let plain = EstimatedRows(rows: masked, model: model, draws: draws)
        let withMargins = EstimatedRows(rows: masked, model: model, margins: derivedMargins(test), draws: draws)
        let naive = EstimatedRows(rows: masked, model: .naive, draws: 0)

        return Split(name: name, learnedOn: learnProvinces.sorted(), measuredOn: Set(test.map(\.province)).sorted(),
                     testRows: test.count, maskedCells: masked.reduce(0) { $0 + $1.maskedCount },
                     withoutMargins: errors(test, data: plain), withMargins: errors(test, data: withMargins),
                     naive: errors(test, data: naive),
                     marginColumns: withMargins.groups.count + withMargins.inconsistentMargins.count,
                     inconsistentMargins: withMargins.inconsistentMargins.count, spread: model.spread, rowSpread: model.rowSpread)
    }

    /// The margins DUO's "01" file would give for these rows: per school location × soort × age the sum over
    /// all pupil postcodes, published as `<5` (the interval 1–4) when it is 1 to 4. For measuring only: in a
    /// masked year the real "01" file is read from the store instead (`Facts.margins`).
    public static func derivedMargins(_ rows: [TruthRow]) -> [SchoolMargin] {
        struct Key: Hashable { let p: Peildatum; let s: String; let t: Soort }
        var sums: [Key: [Int]] = [:]
        for r in rows {
            let key = Key(p: r.row.peildatum, s: r.row.schoolID, t: r.row.soort)
            var v = sums[key] ?? [Int](repeating: 0, count: r.values.count)
            for (i, x) in r.values.enumerated() { v[i] += x }
            sums[key] = v
        }
        var out: [SchoolMargin] = []
        for (key, v) in sums {
            for (cell, total) in v.enumerated() where total > 0 {
                out.append(SchoolMargin(peildatum: key.p, schoolID: key.s, soort: key.t, cell: cell,
                                        total: total <= 4 ? Bounds(min: 1, max: 4) : Bounds(exact: total)))
            }
        }
        return out
    }

    /// Errors of the estimates in `data` (built from `rows`' masked view, in the same order) against the truth.
    public static func errors(_ rows: [TruthRow], data: EstimatedRows) -> Errors {
        var cells: [String: (Accumulator, Int)] = [:]
        var soorten: [String: (Accumulator, Int)] = [:]
        var homes: [String: (Accumulator, Int)] = [:]
        var schools: [String: (Accumulator, Int)] = [:]
        for (i, r) in rows.enumerated() {
            let truth = r.total
            func add(_ groups: inout [String: (Accumulator, Int)], _ key: String) {
                groups[key, default: (Accumulator(), 0)].0.add(i, data)
                groups[key, default: (Accumulator(), 0)].1 += truth
            }
            let od = r.row.homeCode + ">" + r.row.schoolGemeente
            add(&cells, od)
            add(&soorten, od + ">" + r.row.soort.rawValue)
            add(&homes, r.row.homeCode)
            add(&schools, r.row.schoolGemeente)
        }
        var violations = 0
        var checked = 0
        struct Measured { var errors: [Double] = []; var covered = 0; var withInterval = 0; var widths: [Double] = [] }
        func measure(_ groups: [String: (Accumulator, Int)], minimum: Int) -> Measured {
            var m = Measured()
            for (_, (acc, truth)) in groups {
                let q = acc.quantity(data)
                checked += 1
                if truth < q.min || truth > q.max { violations += 1 }
                guard truth >= minimum else { continue }
                m.errors.append(abs(q.estimate - Double(truth)) / Double(truth))
                guard data.drawCount > 0 else { continue }
                let interval = q.interval90 ?? q.bounds
                m.withInterval += 1
                if interval.min <= truth && truth <= interval.max { m.covered += 1 }
                m.widths.append(Double(interval.max - interval.min) / Double(truth))
            }
            m.errors.sort()
            m.widths.sort()
            return m
        }
        let c = measure(cells, minimum: minimumCell)
        let s = measure(soorten, minimum: minimumCell)
        // Only homes whose own gemeente's schools are in the measured set: the others are seen only through
        // their pupils who cross into it, not as totals.
        let schoolGemeenten = Set(rows.map(\.row.schoolGemeente))
        let h = measure(homes.filter { schoolGemeenten.contains($0.key) }, minimum: 1)
        let sc = measure(schools, minimum: 1)
        func share(_ m: Measured) -> Double? { m.withInterval == 0 ? nil : Double(m.covered) / Double(m.withInterval) }
        return Errors(cellCount: c.errors.count, cellMedian: quantile(c.errors, 0.5), cellP90: quantile(c.errors, 0.9),
                      soortCount: s.errors.count, soortMedian: quantile(s.errors, 0.5), soortP90: quantile(s.errors, 0.9),
                      homeMedian: quantile(h.errors, 0.5), homeMax: h.errors.last ?? 0,
                      schoolMedian: quantile(sc.errors, 0.5), schoolMax: sc.errors.last ?? 0,
                      boundViolations: violations, aggregatesChecked: checked,
                      coverage: share(c), medianWidth: c.widths.isEmpty ? nil : quantile(c.widths, 0.5), homeCoverage: share(h))
    }

    /// Nearest-rank quantile of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }
}
