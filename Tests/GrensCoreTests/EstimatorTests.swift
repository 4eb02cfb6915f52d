import Foundation
import Testing
@testable import GrensCore

/// The exact column conditional (against brute-force enumeration), the joint draws, the learned
/// distributions and their shrinkage, and the invariants every estimated quantity keeps.
@Suite("Estimator")
struct EstimatorTests {
    static let p2024 = Peildatum(year: 2024, month: 10, day: 1)!

    static func randomPriors(_ k: Int, _ rng: inout SeededGenerator) -> [CellDistribution] {
        (0..<k).map { _ in CellDistribution(weights: SIMD4((0..<4).map { _ in 0.02 + rng.unit() })) }
    }

    /// Every assignment of 1…4 to the cells with its prior probability.
    static func enumerate(_ priors: [CellDistribution]) -> [(values: [Int], p: Double)] {
        var out: [([Int], Double)] = [([], 1)]
        for prior in priors {
            out = out.flatMap { (values, p) in (1...4).map { v in (values + [v], p * prior.p[v - 1]) } }
        }
        return out
    }

    @Test("posterior means equal brute-force enumeration, exact and interval sums, up to 8 cells")
    func posteriorMatchesEnumeration() {
        var rng = SeededGenerator(seed: 11)
        for trial in 0..<300 {
            let k = 1 + trial % 8
            let priors = Self.randomPriors(k, &rng)
            let a = k + Int(rng.unit() * Double(3 * k + 1))
            let b = trial % 3 == 0 ? a : Swift.min(4 * k, a + Int(rng.unit() * 4))
            let all = Self.enumerate(priors).filter { (a...b).contains($0.values.reduce(0, +)) }
            let mass = all.reduce(0) { $0 + $1.p }
            let posteriors = ColumnConditional(priors: priors, sum: a...b).posteriors()
            for i in 0..<k {
                let mean = all.reduce(0) { $0 + Double($1.values[i]) * $1.p } / mass
                #expect(abs(posteriors[i].mean - mean) < 1e-9, "trial \(trial): k \(k), sum \(a)...\(b), cell \(i): \(posteriors[i].mean) vs \(mean)")
                for v in 1...4 {
                    let pv = all.filter { $0.values[i] == v }.reduce(0) { $0 + $1.p } / mass
                    #expect(abs(posteriors[i].p[v - 1] - pv) < 1e-9)
                }
            }
        }
    }

    @Test("joint draws follow the exact conditional: column totals and cell values, chi-square within bounds")
    func drawsFollowConditional() {
        var rng = SeededGenerator(seed: 5)
        let priors = Self.randomPriors(4, &rng)
        let sum = 7...10
        let all = Self.enumerate(priors).filter { sum.contains($0.values.reduce(0, +)) }
        let mass = all.reduce(0) { $0 + $1.p }
        let conditional = ColumnConditional(priors: priors, sum: sum)
        let n = 40_000
        var totals = [Int: Int]()
        var first = [0, 0, 0, 0]
        for _ in 0..<n {
            var total = 0
            conditional.sample(&rng) { cell, value in
                total += value
                if cell == 0 { first[value - 1] += 1 }
            }
            #expect(sum.contains(total))
            totals[total, default: 0] += 1
        }
        // Pearson chi-square with 3 degrees of freedom each; 16.3 is the 0.999 quantile.
        var chiTotals = 0.0
        for t in sum {
            let expected = Double(n) * all.filter { $0.values.reduce(0, +) == t }.reduce(0) { $0 + $1.p } / mass
            chiTotals += pow2(Double(totals[t] ?? 0) - expected) / expected
        }
        var chiFirst = 0.0
        for v in 1...4 {
            let expected = Double(n) * all.filter { $0.values[0] == v }.reduce(0) { $0 + $1.p } / mass
            chiFirst += pow2(Double(first[v - 1]) - expected) / expected
        }
        #expect(chiTotals < 16.3, "chi-square of column totals \(chiTotals)")
        #expect(chiFirst < 16.3, "chi-square of the first cell \(chiFirst)")
    }

    @Test("an exact sum far in the tail of many cells: no underflow, means add up to the sum, each within 1…4")
    func tailSumManyCells() {
        for (k, sum) in [(300, 1199), (300, 301), (70, 250), (700, 2000)] {
            let priors = [CellDistribution](repeating: CellDistribution(weights: SIMD4(0.97, 0.02, 0.007, 0.003)), count: k)
            let means = ColumnConditional(priors: priors, sum: sum...sum).posteriors().map(\.mean)
            #expect(abs(means.reduce(0, +) - Double(sum)) < 1e-6 * Double(sum), "k \(k) sum \(sum): \(means.reduce(0, +))")
            #expect(means.allSatisfy { $0.isFinite && $0 >= 1 - 1e-9 && $0 <= 4 + 1e-9 })
        }
        // All cells at their minimum or maximum: certain.
        var rng = SeededGenerator(seed: 99)
        let priors = Self.randomPriors(5, &rng)
        #expect(ColumnConditional(priors: priors, sum: 5...5).posteriors().map(\.mean) == [1, 1, 1, 1, 1])
        #expect(ColumnConditional(priors: priors, sum: 20...20).posteriors().map(\.mean) == [4, 4, 4, 4, 4])
    }

    // MARK: learned distributions

    static func row(_ soort: Soort = .bo, home: String = "0004", school: String = "0002", bits: Int, id: String = "99AA00",
                    homePC4: String = "1235") -> FlowRow {
        FlowRow(peildatum: p2024, soort: soort, schoolID: id, schoolName: "School", schoolGemeente: school, schoolPC4: "1234",
                homeCode: home, homePC4: homePC4, exact: 0, maskedBits: bits, exactValues: [UInt16](repeating: 0, count: 23))
    }

    @Test("shrinkage: a context with fewer than 20 cells is not learned on its own; it gets its parent's distribution")
    func shrinkageRule() throws {
        // 30 cells in one context (values 1), 10 in a sibling (values 4) that differs only in the distance band.
        let near = Self.row(bits: 1 << 4, homePC4: "1234"), far = Self.row(bits: 1 << 4, homePC4: "9999")
        var rows: [(row: FlowRow, values: [Int])] = []
        for _ in 0..<30 { rows.append((near, [0, 0, 0, 0, 1] + [Int](repeating: 0, count: 18))) }
        for _ in 0..<10 { rows.append((far, [0, 0, 0, 0, 4] + [Int](repeating: 0, count: 18))) }
        let model = MaskedCellModel.learn(rows)
        let cNear = MaskedCellModel.context(near, cell: 4), cFar = MaskedCellModel.context(far, cell: 4)
        #expect(model.counts[cNear] == SIMD4(30, 0, 0, 0))
        #expect(model.counts[cFar] == nil)
        #expect(model.counts.values.allSatisfy { $0.wrappedSum() >= MaskedCellModel.minimumCells })
        // The parent (up to the masked band) holds all 40 cells; the sparse context falls back to it exactly.
        let parent = cFar.prefix(MaskedCellModel.features.count - 2)
        #expect(model.counts[parent] == SIMD4(30, 0, 0, 10))
        #expect(model.distribution(cFar) == model.distribution(parent))
        // Each learned level shrinks toward the one above with weight 20: (30·1 + 20·parent) / 50.
        let parentMean = model.distribution(parent).mean
        let distanceMean = model.distribution(cNear.prefix(MaskedCellModel.features.count - 1)).mean
        #expect(abs(distanceMean - (30 * 1 + 20 * parentMean) / 50) < 1e-9)
        #expect(abs(model.expected(cNear) - (30 * 1 + 20 * distanceMean) / 50) < 1e-9)
        #expect(model.expected(cNear) > 1 && model.expected(cNear) < parentMean)

        let text = model.serialized(source: "test")
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && line.split(separator: ";").count == 11 && !line.hasPrefix("soort") {
            #expect(line.split(separator: ";").suffix(4).reduce(0) { $0 + Int($1)! } >= 20, "published: \(line)")
        }
        let back = try MaskedCellModel.parse(Array(text.utf8), file: "m.csv")
        #expect(back == model)
        #expect(abs(back.expected(cNear) - model.expected(cNear)) < 1e-12)
    }

    @Test("parameter file errors name the line and column")
    func parameterFileErrors() throws {
        let model = MaskedCellModel(counts: [MaskedCellModel.Context(values: [nil, nil, nil, nil, nil, nil, nil])!: SIMD4(30, 5, 3, 2)], spread: 0.2, rowSpread: 0.3)
        let good = model.serialized(source: "test")
        #expect(try MaskedCellModel.parse(Array(good.utf8), file: "m.csv") == model)
        func error(_ text: String) -> InputError? {
            do { _ = try MaskedCellModel.parse(Array(text.utf8), file: "m.csv"); return nil } catch { return error }
        }
        let header = MaskedCellModel.header
        #expect(error("soort;x\n")?.line == 1)
        #expect(error("\(header)\n*;*;*;*;*;*;*;5;5;5;4\n\nparameter;waarde\nspreiding_vestiging;0.1\nspreiding_rij;0.1\n")?.message.contains("minstens 20") == true)
        #expect(error("\(header)\nBo;*;12;*;*;*;*;50;5;5;4\n\nparameter;waarde\nspreiding_vestiging;0.1\nspreiding_rij;0.1\n")?.column == "leeftijdsband")
        #expect(error("\(header)\nXo;*;*;*;*;*;*;50;5;5;4\n\nparameter;waarde\nspreiding_vestiging;0.1\nspreiding_rij;0.1\n")?.column == "soort")
        #expect(error("\(header)\n*;*;*;*;*;*;*;50;5;5;4\n")?.message.contains("spreiding_vestiging, spreiding_rij ontbreekt") == true)
        #expect(error("\(header)\n*;*;*;*;*;*;*;50;5;5;4\n\nparameter;waarde\nspreiding_vestiging;0.1\n")?.message.contains("spreiding_rij ontbreekt") == true)
        #expect(error("\(header)\n*;*;*;*;*;*;*;50;5;5;4\n\nparameter;waarde\nspreiding_vestiging;-1\n")?.line == 5)
        // The naive model: uniform, mean 2.5, no spread.
        #expect(MaskedCellModel.naive.expected(MaskedCellModel.context(Self.row(bits: 1), cell: 0)) == 2.5)
    }

    @Test("spreads: near zero for cells drawn from the learned distributions, clearly positive where schools or rows differ")
    func spreadLearning() {
        var rng = SeededGenerator(seed: 3)
        enum Effect { case none, school, row }
        func rows(_ effect: Effect) -> [(row: FlowRow, values: [Int])] {
            var out: [(FlowRow, [Int])] = []
            func tilt() -> Double { rng.unit() < 0.5 ? -0.8 : 0.8 }
            for s in 0..<400 {
                let gemeente = format4(1 + s % 40)
                let school = effect == .school ? tilt() : 0
                for _ in 0..<15 {
                    let r = exp(school + (effect == .row ? tilt() : 0))
                    let p = CellDistribution(weights: SIMD4(0.6, 0.25 * r, 0.1 * r * r, 0.05 * r * r * r))
                    let values = (0..<23).map { i in i < 6 ? ColumnConditional.draw(p.p, &rng) + 1 : 0 }
                    out.append((Self.row(home: gemeente, school: gemeente, bits: 0b111111, id: "S\(s)"), values))
                }
            }
            return out
        }
        let flat = MaskedCellModel.learnSpread(rows(.none))
        let bySchool = MaskedCellModel.learnSpread(rows(.school))
        let byRow = MaskedCellModel.learnSpread(rows(.row))
        #expect(flat.school < 0.1 && flat.row < 0.15, "spreads without effects: \(flat)")
        // The moments are linear in θ, so tilts of ±0.8 (where the mean responds less than linearly) read as about 0.5.
        #expect(bySchool.school > 0.35 && bySchool.school < 1 && bySchool.row < 0.15, "school tilts ±0.8: \(bySchool)")
        #expect(byRow.row > 0.35 && byRow.row < 1 && byRow.school < 0.1, "row tilts ±0.8: \(byRow)")
    }
}

private func pow2(_ x: Double) -> Double { x * x }
private func format4(_ n: Int) -> String { String(repeating: "0", count: 4 - String(n).count) + String(n) }
