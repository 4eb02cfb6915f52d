import Testing
import GrensTestSupport
@testable import GrensCore

/// A quantity made from published cells, the way the analysis builds them: exact counts plus `<5` cells.
private func quantity(_ cells: [Count]) -> Quantity {
    cells.reduce(Quantity.zero) { sum, cell in
        switch cell {
        case .exact(let n): return sum + Quantity(exact: n)
        case .masked: return sum + Quantity(bounds: Bounds(min: 1, max: 4), estimate: 2.5)
        }
    }
}

/// Every assignment of 1…4 to the masked cells: (part total, rest total).
private func assignments(part: [Count], rest: [Count]) -> [(Int, Int)] {
    let cells = part + rest
    let masked = cells.indices.filter { cells[$0] == .masked }
    var out: [(Int, Int)] = []
    var choice = [Int](repeating: 1, count: masked.count)
    while true {
        var p = 0, r = 0
        var k = 0
        for (i, c) in cells.enumerated() {
            let v: Int
            if case .exact(let n) = c { v = n } else { v = choice[k]; k += 1 }
            if i < part.count { p += v } else { r += v }
        }
        out.append((p, r))
        // Next assignment (odometer over 1…4).
        var j = 0
        while j < choice.count, choice[j] == 4 { choice[j] = 1; j += 1 }
        if j == choice.count { break }
        choice[j] += 1
    }
    return out
}

@Suite("Bounds, Quantity, Share")
struct BoundsTests {
    @Test func boundsArithmetic() {
        var b = Bounds(exact: 10)
        #expect(b.isExact)
        b += Count.masked.bounds
        b += Count.masked.bounds
        #expect(b == Bounds(min: 12, max: 18))
        #expect(!b.isExact)
        #expect(Bounds.zero + Bounds(min: 1, max: 4) == Bounds(min: 1, max: 4))
    }

    @Test("bounds out of order are a programming error")
    func boundsOrder() async {
        await #expect(processExitsWith: .failure) { _ = Bounds(min: 3, max: 2) }
    }

    @Test func quantities() {
        let q = quantity([.exact(10), .masked, .masked])
        #expect(q.bounds == Bounds(min: 12, max: 18))
        #expect(q.estimate == 15)
        #expect(!q.isZero)
        #expect(Quantity.zero.isZero)
        #expect(Quantity(exact: 0).isZero)
    }

    @Test("an estimate within float noise of a bound is clamped onto it")
    func clamping() {
        #expect(Quantity(bounds: Bounds(min: 1, max: 4), estimate: 4 + 1e-12).estimate == 4)
        #expect(Quantity(bounds: Bounds(min: 1, max: 4), estimate: 1 - 1e-12).estimate == 1)
    }

    @Test("an estimate outside its bounds is a programming error")
    func estimateOutside() async {
        await #expect(processExitsWith: .failure) { _ = Quantity(bounds: Bounds(min: 1, max: 4), estimate: 5) }
    }

    @Test("share bounds are true bounds: part [1,4], rest 10 gives 1/11 … 4/14, not the ratio of bounds 1/14")
    func shareExample() throws {
        let share = try #require(Share(part: quantity([.masked]), rest: Quantity(exact: 10)))
        #expect(share.min == 1.0 / 11.0)
        #expect(share.max == 4.0 / 14.0)
        #expect(share.min != 1.0 / 14.0)
        #expect(abs(share.estimate - 2.5 / 12.5) < 1e-12)
    }

    @Test func shareEdges() throws {
        #expect(Share(part: .zero, rest: .zero) == nil)
        let none = try #require(Share(part: .zero, rest: quantity([.masked])))
        #expect(none.min == 0 && none.max == 0 && none.estimate == 0)
        let all = try #require(Share(part: quantity([.masked, .exact(3)]), rest: Quantity(exact: 0)))
        #expect(all.min == 1 && all.max == 1 && all.estimate == 1)
        let exact = try #require(Share(part: Quantity(exact: 3), rest: Quantity(exact: 9)))
        #expect(exact.min == 0.25 && exact.max == 0.25 && exact.estimate == 0.25)
    }

    @Test("property: for random small cell sets, every assignment of 1…4 lies in [min, max], and both are attained")
    func shareProperty() throws {
        var random = SplitMix64(seed: 20241001)
        var checked = 0
        for _ in 0..<400 {
            func cells() -> [Count] {
                (0..<random.int(0...3)).map { _ in random.int(0...2) == 0 ? .exact(random.int(0...12)) : .masked }
            }
            let part = cells(), rest = cells()
            let outcomes = assignments(part: part, rest: rest)
            let share = Share(part: quantity(part), rest: quantity(rest))
            guard outcomes.contains(where: { $0.0 + $0.1 > 0 }) else {
                #expect(share == nil, "seed \(random.seed): part \(part) rest \(rest): no pupils, yet a share")
                continue
            }
            let s = try #require(share, "seed \(random.seed): part \(part) rest \(rest)")
            let ratios = outcomes.filter { $0.0 + $0.1 > 0 }.map { Double($0.0) / Double($0.0 + $0.1) }
            let low = ratios.min()!, high = ratios.max()!
            #expect(abs(s.min - low) < 1e-12, "seed \(random.seed): part \(part) rest \(rest): min \(s.min), true \(low)")
            #expect(abs(s.max - high) < 1e-12, "seed \(random.seed): part \(part) rest \(rest): max \(s.max), true \(high)")
            #expect(s.min <= s.estimate && s.estimate <= s.max, "seed \(random.seed)")
            checked += 1
        }
        #expect(checked > 300)
    }

    /// A difference with the given bounds, estimate and 90% interval.
    private func change(_ min: Int, _ max: Int, estimate: Double, interval: Bounds?) -> Change {
        var c = Change(Quantity(exact: 0), minus: Quantity(exact: 0))
        c.min = min; c.max = max; c.estimate = estimate; c.interval90 = interval
        return c
    }

    @Test("the direction of a difference is stated only when its 90% interval excludes 0; without one, the bounds decide")
    func directions() {
        // The bounds contain 0 in every case: only the interval decides.
        #expect(change(-40, 90, estimate: 12, interval: Bounds(min: 3, max: 20)).direction == .up)
        #expect(change(-90, 40, estimate: -12, interval: Bounds(min: -20, max: -1)).direction == .down)
        #expect(change(-40, 90, estimate: 12, interval: Bounds(min: 0, max: 20)).direction == .uncertain, "an interval that touches 0")
        #expect(change(-40, 90, estimate: 1, interval: Bounds(min: -5, max: 7)).direction == .uncertain)
        #expect(change(-90, 0, estimate: -3, interval: Bounds(min: -6, max: 0)).direction == .uncertain)
        // Not drawn: the hard bounds.
        #expect(change(2, 9, estimate: 5, interval: nil).direction == .up)
        #expect(change(-3, 9, estimate: 5, interval: nil).direction == .uncertain)
        // Exact.
        #expect(change(0, 0, estimate: 0, interval: nil).direction == .zero)
        #expect(change(5, 5, estimate: 5, interval: nil).direction == .up && change(-1, -1, estimate: -1, interval: nil).direction == .down)
        #expect(Change(Quantity(exact: 10), minus: Quantity(exact: 12)).direction == .down)
        // The rule itself, for shares in percentage points.
        #expect(Direction(low: 0.2, high: 1.5, exact: false) == .up && Direction(low: -0.1, high: 1.5, exact: false) == .uncertain)
        #expect(Direction(low: 0, high: 0, exact: true) == .zero && Direction(low: 0, high: 0, exact: false) == .uncertain)
    }
}
