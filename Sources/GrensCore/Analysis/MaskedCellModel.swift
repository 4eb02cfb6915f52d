/// The point estimate of a `<5` cell: the mean value (between 1 and 4) that such cells really had in an
/// unmasked year, in the same context. Context: school type, whether the pupil crosses a gemeente border,
/// the age (or leerjaar) band of the cell, the exact part of the row (how big the flow is) and how many
/// cells of the row are masked. Sparse contexts shrink toward their parent (soort × crossing, then soort,
/// then everything), so every estimate is a weighted mean of values in 1…4 and stays inside the bounds.
///
/// The parameters are data (`data/estimator/masked-cells.csv`), learned by `grensverkeer schatter-leren`
/// from an unmasked file; see the README.
public struct MaskedCellModel: Sendable, Equatable {
    public struct Context: Hashable, Sendable, Comparable {
        public let soort: Soort
        public let crossing: Bool
        public let ageBand: String
        public let rowBand: String
        public let maskedBand: String
        public let distanceBand: String

        public static func < (a: Context, b: Context) -> Bool {
            (a.soort.rawValue, a.crossing ? 1 : 0, a.ageBand, a.rowBand, a.maskedBand, a.distanceBand)
                < (b.soort.rawValue, b.crossing ? 1 : 0, b.ageBand, b.rowBand, b.maskedBand, b.distanceBand)
        }
    }

    public struct Cell: Sendable, Equatable {
        public var count: Int
        public var mean: Double
    }

    /// Learned means per full context, plus the parent levels used for shrinkage.
    public private(set) var cells: [Context: Cell]
    public private(set) var bySoortCrossing: [String: Cell]
    public private(set) var bySoort: [Soort: Cell]
    public private(set) var overall: Cell
    /// Observations a context needs before its own mean outweighs its parent's.
    public static let shrinkage = 20.0

    public init(cells: [Context: Cell]) {
        self.cells = cells
        var sc: [String: (Int, Double)] = [:]
        var s: [Soort: (Int, Double)] = [:]
        var all = (0, 0.0)
        for (context, cell) in cells {
            let key = context.soort.rawValue + "|" + (context.crossing ? "1" : "0")
            sc[key, default: (0, 0)].0 += cell.count
            sc[key, default: (0, 0)].1 += cell.mean * Double(cell.count)
            s[context.soort, default: (0, 0)].0 += cell.count
            s[context.soort, default: (0, 0)].1 += cell.mean * Double(cell.count)
            all.0 += cell.count
            all.1 += cell.mean * Double(cell.count)
        }
        func cell(_ v: (Int, Double)) -> Cell { Cell(count: v.0, mean: v.0 > 0 ? v.1 / Double(v.0) : 2.5) }
        bySoortCrossing = sc.mapValues(cell)
        bySoort = s.mapValues(cell)
        overall = cell(all)
    }

    /// Without learned parameters: the midpoint of 1…4, documented as the naive reading.
    public static let naive = MaskedCellModel(cells: [:])

    public static func context(_ row: FlowRow, cell: Int, rowExact: Int, rowMasked: Int) -> Context {
        Context(soort: row.soort, crossing: row.crossesBorder, ageBand: ageBand(soort: row.soort, cell: cell),
                rowBand: rowBand(rowExact), maskedBand: maskedBand(rowMasked), distanceBand: distanceBand(row))
    }

    static func maskedBand(_ n: Int) -> String {
        switch n {
        case ...3: return String(n)
        case 4...6: return "4-6"
        default: return "7+"
        }
    }

    /// Postcode numbers are roughly spatial: the gap between home and school PC4 stands in for distance.
    static func distanceBand(_ row: FlowRow) -> String {
        guard let home = Int(row.homePC4), home >= 1000, let school = row.schoolPC4.flatMap({ Int($0) }) else { return "onbekend" }
        switch abs(home - school) {
        case 0: return "0"
        case 1...9: return "1-9"
        case 10...49: return "10-49"
        default: return "50+"
        }
    }

    /// Age bands of the po cells (jonger, 4 … 24, ouder) and leerjaar bands of vo.
    static func ageBand(soort: Soort, cell: Int) -> String {
        if soort.sector == .vo { return cell < 3 ? "lj1-3" : "lj4-6" }
        switch cell {
        case 0, 1: return "<=4"
        case 2...8: return "5-11"
        case 9: return "12"
        default: return "13+"
        }
    }

    static func rowBand(_ exact: Int) -> String {
        switch exact {
        case 0: return "0"
        case ..<15: return "5-14"
        case ..<40: return "15-39"
        default: return "40+"
        }
    }

    /// The expected value of a masked cell in this context, always within 1…4.
    public func expected(_ context: Context) -> Double {
        let top = overall
        let soortCell = bySoort[context.soort].map { shrink($0, toward: top.mean) } ?? top.mean
        let scKey = context.soort.rawValue + "|" + (context.crossing ? "1" : "0")
        let scMean = bySoortCrossing[scKey].map { shrink($0, toward: soortCell) } ?? soortCell
        let mean = cells[context].map { shrink($0, toward: scMean) } ?? scMean
        return Swift.min(4, Swift.max(1, mean))
    }

    private func shrink(_ cell: Cell, toward parent: Double) -> Double {
        (cell.mean * Double(cell.count) + parent * Self.shrinkage) / (Double(cell.count) + Self.shrinkage)
    }

    /// The estimate of a row's masked part.
    public func maskedEstimate(_ row: FlowRow) -> Double {
        var sum = 0.0
        var bits = row.maskedBits
        let masked = row.maskedCount
        while bits != 0 {
            let cell = bits.trailingZeroBitCount
            bits &= bits - 1
            sum += expected(Self.context(row, cell: cell, rowExact: row.exact, rowMasked: masked))
        }
        return sum
    }

    /// Learns the means from unmasked rows: every true value 1…4 is a cell DUO would now publish as `<5`.
    /// `values` gives the true cell values of each row.
    public static func learn(_ rows: [(row: FlowRow, values: [Int])]) -> MaskedCellModel {
        var acc: [Context: (Int, Int)] = [:]
        for (row, values) in rows {
            let exact = values.filter { $0 >= 5 }.reduce(0, +)
            let masked = values.filter { (1...4).contains($0) }.count
            for (i, v) in values.enumerated() where (1...4).contains(v) {
                let c = context(row, cell: i, rowExact: exact, rowMasked: masked)
                acc[c, default: (0, 0)].0 += 1
                acc[c, default: (0, 0)].1 += v
            }
        }
        return MaskedCellModel(cells: acc.mapValues { Cell(count: $0.0, mean: Double($0.1) / Double($0.0)) })
    }

    // MARK: parameters as text

    public static let header = "soort;grensoverschrijdend;leeftijdsband;rijband;gemaskeerd_in_rij;afstandsband;aantal_cellen;gemiddelde"

    /// The parameter file: one line per context, sorted, means with 6 decimals (decimal point: a data file).
    public func serialized(source: String) -> String {
        var out = "# Gemiddelde waarde van een <5-cel per context, geleerd uit: \(source)\n" + Self.header + "\n"
        for context in cells.keys.sorted() {
            let c = cells[context]!
            out += "\(context.soort.rawValue);\(context.crossing ? 1 : 0);\(context.ageBand);\(context.rowBand);\(context.maskedBand);\(context.distanceBand);\(c.count);\(formatMean(c.mean))\n"
        }
        return out
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(InputError) -> MaskedCellModel {
        let text = String(decoding: bytes, as: UTF8.self)
        var cells: [Context: Cell] = [:]
        var sawHeader = false
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if !sawHeader {
                guard line == header else {
                    throw InputError(file: file, line: index + 1, column: nil, message: "onbekende kopregel; verwacht \(header)")
                }
                sawHeader = true
                continue
            }
            let f = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 8, let soort = Soort(rawValue: f[0]), let n = Int(f[6]), n > 0, let mean = Double(f[7]), (1...4).contains(mean),
                  f[1] == "0" || f[1] == "1" else {
                throw InputError(file: file, line: index + 1, column: nil,
                                 message: "ongeldige regel; verwacht 8 velden: soort (\(Soort.allCases.map(\.rawValue).joined(separator: ", "))), aantal > 0 en gemiddelde tussen 1 en 4")
            }
            cells[Context(soort: soort, crossing: f[1] == "1", ageBand: f[2], rowBand: f[3], maskedBand: f[4], distanceBand: f[5])] = Cell(count: n, mean: mean)
        }
        guard sawHeader else { throw InputError(file: file, line: nil, column: nil, message: "leeg parameterbestand; verwacht \(header)") }
        return MaskedCellModel(cells: cells)
    }
}

func formatMean(_ x: Double) -> String {
    let scaled = Int((x * 1_000_000).rounded())
    let whole = scaled / 1_000_000
    let frac = String(scaled % 1_000_000)
    return "\(whole)." + String(repeating: "0", count: 6 - frac.count) + frac
}
