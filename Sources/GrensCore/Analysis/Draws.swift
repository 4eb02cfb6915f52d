/// SplitMix64: a small, fast generator with a fixed seed, so the same input always gives the same draws
/// (and the same output bytes). Not for cryptography; the draws only describe uncertainty.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// The joint draws of one `EstimatedRows`: quantities built from the same draws can be combined draw by draw
/// (sums, shares, differences); draws of different estimations cannot, and the token tells them apart.
public final class DrawSource: Sendable {
    /// Joint draws per quantity.
    public let count: Int
    public init(count: Int) { self.count = count }
}

/// A quantity's joint draws: the value of every draw, with the source they came from.
struct DrawVector: Sendable {
    var values: [Int32]
    let source: DrawSource

    /// The 90% interval: the 5th and 95th percentile (nearest rank).
    var interval90: (lo: Int, hi: Int) {
        // The draws of a sum lie in a narrow range: a count per value gives both ranks in one pass (the same
        // values a selection gives); a wide range falls back to selection.
        guard let least = values.min(), let most = values.max() else { return (0, 0) }
        let width = Int(most) - Int(least) + 1
        let (lowRank, highRank) = (Percentile.lowRank(values.count), Percentile.highRank(values.count))
        guard width <= 4 * values.count else {
            let (lo, hi) = Percentile.interval90(values)
            return (Int(lo), Int(hi))
        }
        var counts = [Int32](repeating: 0, count: width)
        for x in values { counts[Int(x) - Int(least)] += 1 }
        var lo = Int(most), hi = Int(most), seen = 0, foundLow = false
        for (offset, n) in counts.enumerated() where n > 0 {
            seen += Int(n)
            if !foundLow && seen > lowRank { lo = Int(least) + offset; foundLow = true }
            if seen > highRank { hi = Int(least) + offset; break }
        }
        return (lo, hi)
    }
}

enum Percentile {
    /// 0-based index of the 5th and 95th percentile by nearest rank: 20 and 380 (1-based) of 400 draws.
    static func lowRank(_ n: Int) -> Int { Swift.max(0, Int((0.05 * Double(n)).rounded(.up)) - 1) }
    static func highRank(_ n: Int) -> Int { Swift.min(n - 1, Int((0.95 * Double(n)).rounded(.up)) - 1) }

    /// The element that would be at `rank` if `v` were sorted (quickselect; reorders `v`).
    static func select<T: Comparable>(_ v: inout [T], rank: Int) -> T {
        var lo = 0, hi = v.count - 1
        while lo < hi {
            let pivot = v[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while v[i] < pivot { i += 1 }
                while pivot < v[j] { j -= 1 }
                if i <= j { v.swapAt(i, j); i += 1; j -= 1 }
            }
            if rank <= j { hi = j } else if rank >= i { lo = i } else { return v[rank] }
        }
        return v[rank]
    }

    /// 5th and 95th percentile of doubles.
    static func interval90<T: Comparable>(_ values: [T]) -> (lo: T, hi: T) {
        var v = values
        let lo = select(&v, rank: lowRank(v.count))
        let hi = select(&v, rank: highRank(v.count))
        return (lo, hi)
    }
}
