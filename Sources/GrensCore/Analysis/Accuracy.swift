/// Out-of-sample measurement of the masked-cell estimator on an unmasked year: mask it the way DUO does now
/// (every 1–4 becomes `<5`, no totals), estimate, and compare with the truth.
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
            return r
        }
        public var total: Int { values.reduce(0, +) }
    }

    public struct Errors: Sendable, Equatable {
        /// Relative errors of OD cells (home gemeente × school gemeente) with at least `minimumCell` true pupils.
        public let cellCount: Int
        public let cellMedian: Double
        public let cellP90: Double
        /// Largest relative error of a home-gemeente total, and the median.
        public let homeMedian: Double
        public let homeMax: Double
        public let schoolMedian: Double
        public let schoolMax: Double
        /// Aggregates whose true value fell outside their bounds (must be zero).
        public let boundViolations: Int
        public let aggregatesChecked: Int
    }

    public struct Result: Sendable {
        public let learnedOn: [String]
        public let measuredOn: [String]
        public let model: Errors
        public let naive: Errors
        public let testRows: Int
        public let maskedCells: Int
    }

    public static let minimumCell = 20

    /// Learns on the rows of `learnProvinces`, measures on all other rows.
    public static func measure(_ rows: [TruthRow], learnProvinces: Set<String>) -> Result {
        let learn = rows.filter { learnProvinces.contains($0.province) }
        let test = rows.filter { !learnProvinces.contains($0.province) }
        let model = MaskedCellModel.learn(learn.map { ($0.masked, $0.values) })
        return Result(learnedOn: learnProvinces.sorted(), measuredOn: Set(test.map(\.province)).sorted(),
                      model: errors(test, model: model), naive: errors(test, model: .naive), testRows: test.count,
                      maskedCells: test.reduce(0) { $0 + $1.masked.maskedCount })
    }

    /// Errors of `model` on `rows`, aggregated to OD cells and to home and school gemeente totals.
    public static func errors(_ rows: [TruthRow], model: MaskedCellModel) -> Errors {
        let data = EstimatedRows(rows: rows.map(\.masked), model: model)
        var cells: [String: (Accumulator, Int)] = [:]
        var homes: [String: (Accumulator, Int)] = [:]
        var schools: [String: (Accumulator, Int)] = [:]
        for (i, r) in rows.enumerated() {
            let truth = r.total
            let key = r.row.homeCode + ">" + r.row.schoolGemeente
            cells[key, default: (Accumulator(), 0)].0.add(i, data)
            cells[key, default: (Accumulator(), 0)].1 += truth
            homes[r.row.homeCode, default: (Accumulator(), 0)].0.add(i, data)
            homes[r.row.homeCode, default: (Accumulator(), 0)].1 += truth
            schools[r.row.schoolGemeente, default: (Accumulator(), 0)].0.add(i, data)
            schools[r.row.schoolGemeente, default: (Accumulator(), 0)].1 += truth
        }
        var violations = 0
        var checked = 0
        func relative(_ groups: [String: (Accumulator, Int)], minimum: Int) -> [Double] {
            var out: [Double] = []
            for (_, (acc, truth)) in groups {
                let q = acc.quantity(data)
                checked += 1
                if truth < q.min || truth > q.max { violations += 1 }
                if truth >= minimum { out.append(abs(q.estimate - Double(truth)) / Double(truth)) }
            }
            return out.sorted()
        }
        let c = relative(cells, minimum: minimumCell)
        // Only homes whose own gemeente's schools are in the measured set: the others are seen only through
        // their pupils who cross into it, not as totals.
        let schoolGemeenten = Set(rows.map(\.row.schoolGemeente))
        let h = relative(homes.filter { schoolGemeenten.contains($0.key) }, minimum: 1)
        let s = relative(schools, minimum: 1)
        return Errors(cellCount: c.count, cellMedian: quantile(c, 0.5), cellP90: quantile(c, 0.9),
                      homeMedian: quantile(h, 0.5), homeMax: h.last ?? 0, schoolMedian: quantile(s, 0.5), schoolMax: s.last ?? 0,
                      boundViolations: violations, aggregatesChecked: checked)
    }

    /// Nearest-rank quantile of sorted values.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[Swift.max(0, Swift.min(sorted.count - 1, rank - 1))]
    }
}
