import Foundation

/// What a `<5` cell holds: probabilities of 1, 2, 3 and 4 (in `p[0]` … `p[3]`), summing to 1.
public struct CellDistribution: Hashable, Sendable {
    public let p: SIMD4<Double>

    /// From counts or weights of the values 1…4; all zero gives the uniform distribution.
    public init(weights: SIMD4<Double>) {
        let total = weights.sum()
        precondition(weights.min() >= 0, "negative weight in a cell distribution")
        p = total > 0 ? weights / total : SIMD4(repeating: 0.25)
    }

    /// Every value equally likely: the naive reading of `<5`, mean 2.5.
    public static let uniform = CellDistribution(weights: SIMD4(repeating: 1))

    public var mean: Double { 1 + (p * Self.shifted).sum() }

    /// The values 1…4 shifted to 0…3, the form the sums are computed in.
    static let shifted = SIMD4<Double>(0, 1, 2, 3)
}

/// The masked cells of one column (one school location × soort × age, or a whole school location) whose sum
/// is known to lie in `sum`. A priori every cell is independent with its own learned distribution; the known
/// sum makes them dependent. Exact posterior means and joint draws, by dynamic programming over partial sums.
///
/// Sums are handled shifted (value − 1 per cell, so 0…3k for k cells). For an exact sum of many cells the
/// priors are first tilted (p(j) ∝ p(j)·e^(θj), one θ for the column) so the known sum is the tilted mean: the conditional
/// distribution given the sum is unchanged by such a tilt, and the dynamic programme then never works in the
/// far tail where probabilities underflow.
struct ColumnConditional {
    let k: Int
    /// Shifted bounds of the column's sum.
    let lo: Int, hi: Int
    private let q: [SIMD4<Double>]
    /// Backward messages B_i (i = 0…k): distribution of the shifted sum of cells i..<k, over 0…3(k − i),
    /// each normalised; flattened, B_i starting at `start(i)`.
    private let back: [Double]
    /// Above this many cells the backward messages (≈ 1.5·k² numbers) are not kept: the cells are then treated
    /// as independent under the tilt that makes their expected sum the known sum (the large-k limit of the
    /// exact conditional). Never reached by age columns (k ≤ about 70); only by whole-school totals.
    static let maximumExactCells = 600
    /// Up to this many cells the messages cannot underflow for learned distributions (each probability above
    /// 10⁻⁴, so a product of 60 stays above 10⁻²⁴⁰): no tilt needed. Smaller ones fall back to uniform priors.
    static let tiltFrom = 60

    /// `sum` must lie within [k, 4k] (callers clamp contradicting margins and report them).
    init(priors: [CellDistribution], sum: ClosedRange<Int>) {
        let k = priors.count
        precondition(k > 0 && sum.lowerBound >= k && sum.upperBound <= 4 * k, "column sum \(sum) outside [\(k), \(4 * k)]")
        let lo = sum.lowerBound - k, hi = sum.upperBound - k
        func prepared(_ priors: [SIMD4<Double>]) -> (q: [SIMD4<Double>], back: [Double]) {
            var q = priors
            if lo == hi && (lo == 0 || lo == 3 * k) {
                // Every cell is 1 (or every cell is 4): nothing is uncertain.
                q = q.map { _ in lo == 0 ? SIMD4(1, 0, 0, 0) : SIMD4(0, 0, 0, 1) }
            } else if (lo == hi && k > Self.tiltFrom) || k > Self.maximumExactCells {
                q = Self.tilt(q, toMean: Double(lo + hi) / 2)
            }
            return (q, k > Self.maximumExactCells ? [] : Self.backward(q))
        }
        var (q, back) = prepared(priors.map(\.p))
        if !back.isEmpty && back[lo...hi].reduce(0, +) <= 0 {
            // Probabilities too small to represent, or zero priors: uniform priors instead.
            (q, back) = prepared(priors.map { _ in CellDistribution.uniform.p })
        }
        self.k = k
        self.lo = lo
        self.hi = hi
        self.q = q
        self.back = back
    }

    /// Offset of B_i in the flattened messages: B_0 has 3k + 1 entries, B_1 3k − 2, …, B_k one.
    private static func start(_ i: Int, _ k: Int) -> Int {
        // Σ_{m < i} (3(k − m) + 1)
        i * (3 * k + 1) - 3 * i * (i - 1) / 2
    }

    private static func backward(_ q: [SIMD4<Double>]) -> [Double] {
        let k = q.count
        var out = [Double](repeating: 0, count: start(k, k) + 1)
        out[start(k, k)] = 1
        for i in stride(from: k - 1, through: 0, by: -1) {
            let next = start(i + 1, k), nextCount = 3 * (k - i - 1) + 1
            let here = start(i, k), count = 3 * (k - i) + 1
            var total = 0.0
            for s in 0..<count {
                var v = 0.0
                for j in 0..<4 where s - j >= 0 && s - j < nextCount { v += q[i][j] * out[next + s - j] }
                out[here + s] = v
                total += v
            }
            if total > 0 { for s in 0..<count { out[here + s] /= total } }
        }
        return out
    }

    /// θ such that the tilted means add up to `target` (shifted), by Newton's method on the convex dual.
    private static func tilt(_ priors: [SIMD4<Double>], toMean target: Double) -> [SIMD4<Double>] {
        func tilted(_ theta: Double) -> [SIMD4<Double>] {
            let r = exp(theta)
            let w = SIMD4<Double>(1, r, r * r, r * r * r)
            return priors.map { p in let t = p * w; return t / t.sum() }
        }
        // Newton's method kept inside a bracket that always holds the root (the tilted mean rises with θ).
        var theta = 0.0, low = -50.0, high = 50.0
        for _ in 0..<200 {
            let t = tilted(theta)
            var mean = 0.0, variance = 0.0
            for p in t {
                let m = (p * CellDistribution.shifted).sum()
                mean += m
                variance += (p * CellDistribution.shifted * CellDistribution.shifted).sum() - m * m
            }
            let gap = target - mean
            if abs(gap) < 1e-10 * Swift.max(1, target) { break }
            if gap > 0 { low = theta } else { high = theta }
            let step = variance > 0 ? theta + gap / variance : .nan
            theta = step > low && step < high ? step : (low + high) / 2
            if high - low < 1e-12 { break }
        }
        return tilted(theta)
    }

    /// Posterior distribution of every cell given the column sum.
    func posteriors() -> [CellDistribution] {
        guard !back.isEmpty else { return q.map { CellDistribution(weights: $0) } }
        var out: [CellDistribution] = []
        out.reserveCapacity(k)
        var forward = [1.0]   // distribution of the shifted sum of cells 0..<i
        for i in 0..<k {
            let next = Self.start(i + 1, k), nextCount = 3 * (k - i - 1) + 1
            // others(s): probability that the other cells add up to s (up to a common factor), for s near the target.
            func others(_ s: Int) -> Double {
                guard s >= 0 else { return 0 }
                var v = 0.0
                let aLow = Swift.max(0, s - (nextCount - 1)), aHigh = Swift.min(forward.count - 1, s)
                if aLow <= aHigh { for a in aLow...aHigh { v += forward[a] * back[next + s - a] } }
                return v
            }
            var w = SIMD4<Double>.zero
            for j in 0..<4 {
                var mass = 0.0
                for t in lo...hi { mass += others(t - j) }
                w[j] = q[i][j] * mass
            }
            out.append(w.sum() > 0 ? CellDistribution(weights: w) : CellDistribution(weights: q[i]))
            var f = [Double](repeating: 0, count: forward.count + 3)
            var total = 0.0
            for (a, x) in forward.enumerated() where x != 0 {
                for j in 0..<4 { f[a + j] += x * q[i][j] }
            }
            for x in f { total += x }
            forward = total > 0 ? f.map { $0 / total } : f
        }
        return out
    }

    /// One joint draw of the column: `emit(cell, value)` for every cell, values 1…4 adding up to a sum within
    /// the constraint (backward sampling: the total first, then each cell given what the others must hold).
    func sample(_ rng: inout SeededGenerator, emit: (Int, Int) -> Void) {
        guard !back.isEmpty else {
            for i in 0..<k { emit(i, Self.draw(q[i], &rng) + 1) }
            return
        }
        var r = lo
        if hi > lo {
            var total = 0.0
            for t in lo...hi { total += back[t] }
            let u = rng.unit() * total
            var acc = back[lo]
            while r < hi && acc <= u { r += 1; acc += back[r] }
        }
        for i in 0..<k {
            let next = Self.start(i + 1, k), nextCount = 3 * (k - i - 1) + 1
            var w = SIMD4<Double>.zero
            for j in 0..<4 where r - j >= 0 && r - j < nextCount { w[j] = q[i][j] * back[next + r - j] }
            let j = Self.draw(w, &rng)
            emit(i, j + 1)
            r -= j
        }
    }

    /// Index 0…3 drawn with probabilities proportional to `w`.
    static func draw(_ w: SIMD4<Double>, _ rng: inout SeededGenerator) -> Int {
        let u = rng.unit() * w.sum()
        var c = 0.0, last = 0
        for j in 0..<4 where w[j] > 0 {
            c += w[j]
            last = j
            if u < c { return j }
        }
        return last
    }
}
