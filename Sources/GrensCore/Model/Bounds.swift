/// A count known only as an interval: every `<5` cell contributes 1…4. Exact counts have min == max.
public struct Bounds: Hashable, Codable, Sendable {
    public var min: Int
    public var max: Int

    public init(min: Int, max: Int) {
        precondition(min <= max, "bounds out of order")
        self.min = min
        self.max = max
    }

    public init(exact n: Int) { self.init(min: n, max: n) }

    public static let zero = Bounds(exact: 0)
    public var isExact: Bool { min == max }

    public static func + (a: Bounds, b: Bounds) -> Bounds { Bounds(min: a.min + b.min, max: a.max + b.max) }
    public static func += (a: inout Bounds, b: Bounds) { a = a + b }
}

/// A count with its bounds, a point estimate that lies inside them (see README, "The estimator") and, for a
/// count with `<5` cells, a 90% interval: the 5th to 95th percentile of the joint draws (`EstimatedRows`).
/// The interval lies within the bounds and contains the estimate.
public struct Quantity: Hashable, Codable, Sendable {
    public var bounds: Bounds
    public var estimate: Double
    /// nil when the count is exact, or when it was not computed from draws (then only the bounds are known).
    public var interval90: Bounds?
    /// The joint draws behind `interval90`; combined draw by draw in sums, shares and differences. Not part of
    /// equality or the encoded form.
    var draws: DrawVector?

    public init(bounds: Bounds, estimate: Double) {
        let tolerance = 1e-6 * Swift.max(1, Double(bounds.max))
        precondition(Double(bounds.min) - tolerance <= estimate && estimate <= Double(bounds.max) + tolerance,
                     "estimate \(estimate) outside [\(bounds.min), \(bounds.max)]")
        self.bounds = bounds
        self.estimate = Swift.min(Swift.max(estimate, Double(bounds.min)), Double(bounds.max))
    }

    init(bounds: Bounds, estimate: Double, draws: DrawVector) {
        self.init(bounds: bounds, estimate: estimate)
        guard !bounds.isExact else { return }
        self.draws = draws
        let (lo, hi) = draws.interval90
        interval90 = Self.interval(lo, hi, estimate: self.estimate, within: bounds)
    }

    /// The same quantity without its draws (it no longer combines draw by draw), to be kept for its figures only.
    public var withoutDraws: Quantity {
        var q = self
        q.draws = nil
        return q
    }

    /// [lo, hi] within `bounds`, widened to the integers around the estimate.
    static func interval(_ lo: Int, _ hi: Int, estimate: Double, within bounds: Bounds) -> Bounds {
        let a = Swift.max(bounds.min, Swift.min(lo, Int(estimate.rounded(.down))))
        let b = Swift.min(bounds.max, Swift.max(hi, Int(estimate.rounded(.up))))
        return Bounds(min: a, max: Swift.max(a, b))
    }

    public init(exact n: Int) { self.init(bounds: Bounds(exact: n), estimate: Double(n)) }

    public static let zero = Quantity(exact: 0)
    public var min: Int { bounds.min }
    public var max: Int { bounds.max }
    public var isZero: Bool { bounds.max == 0 }
    public var isExact: Bool { bounds.isExact }

    /// The value of every draw, for combining with a quantity of the same draws: its own draws, or its value
    /// when it is exact; nil when neither.
    func drawValues(count: Int) -> [Int32]? {
        if let draws, draws.values.count == count { return draws.values }
        return isExact ? [Int32](repeating: Int32(bounds.min), count: count) : nil
    }

    /// The draws of `a` and `b` side by side, when both come from the same draws (or one is exact).
    static func joint(_ a: Quantity, _ b: Quantity) -> (a: [Int32], b: [Int32], source: DrawSource)? {
        guard let source = a.draws?.source ?? b.draws?.source else { return nil }
        if let x = a.draws?.source, x !== source { return nil }
        if let y = b.draws?.source, y !== source { return nil }
        guard let va = a.drawValues(count: source.count), let vb = b.drawValues(count: source.count) else { return nil }
        return (va, vb, source)
    }

    /// The sum of two disjoint counts. Draws add up draw by draw when both come from the same estimation;
    /// otherwise the interval is the (wider) sum of the two intervals.
    public static func + (a: Quantity, b: Quantity) -> Quantity {
        let bounds = a.bounds + b.bounds, estimate = a.estimate + b.estimate
        if let (va, vb, source) = joint(a, b) {
            return Quantity(bounds: bounds, estimate: estimate, draws: DrawVector(values: zip(va, vb).map { $0 &+ $1 }, source: source))
        }
        var q = Quantity(bounds: bounds, estimate: estimate)
        if !bounds.isExact && (a.interval90 != nil || b.interval90 != nil) {
            let ia = a.interval90 ?? a.bounds, ib = b.interval90 ?? b.bounds
            q.interval90 = interval(ia.min + ib.min, ia.max + ib.max, estimate: q.estimate, within: bounds)
        }
        return q
    }
    public static func += (a: inout Quantity, b: Quantity) { a = a + b }

    public static func == (a: Quantity, b: Quantity) -> Bool {
        a.bounds == b.bounds && a.estimate == b.estimate && a.interval90 == b.interval90
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bounds)
        hasher.combine(estimate)
        hasher.combine(interval90)
    }

    enum CodingKeys: String, CodingKey { case bounds, estimate, interval90 }
}

/// A share (part / whole) with true bounds of the ratio, not the ratio of the bounds.
public struct Share: Hashable, Codable, Sendable {
    public var min: Double
    public var max: Double
    public var estimate: Double
    /// The 90% interval of the share from the joint draws of part and rest; nil when both are exact or they do
    /// not come from the same draws. Within [min, max] and containing the estimate.
    public var interval90: ClosedRange<Double>?

    /// A share from its figures as computed before (read back by the analysis cache).
    init(min: Double, max: Double, estimate: Double, interval90: ClosedRange<Double>?) {
        (self.min, self.max, self.estimate, self.interval90) = (min, max, estimate, interval90)
    }

    /// `part` and `rest` are disjoint sets of cells; the whole is part + rest. Because the cells are independent,
    /// the share is smallest with the part at its minimum and the rest at its maximum, and the other way round.
    public init?(part: Quantity, rest: Quantity) {
        let wholeMax = part.max + rest.max
        guard wholeMax > 0 else { return nil }
        func ratio(_ p: Int, _ r: Int) -> Double { p + r == 0 ? 0 : Double(p) / Double(p + r) }
        min = ratio(part.min, rest.max)
        max = ratio(part.max, rest.min)
        let wholeEstimate = part.estimate + rest.estimate
        let e = wholeEstimate > 0 ? part.estimate / wholeEstimate : min
        estimate = Swift.min(Swift.max(e, min), max)
        if !(part.isExact && rest.isExact), let (p, r, _) = Quantity.joint(part, rest) {
            let (lo, hi) = Percentile.interval90(zip(p, r).map { ratio(Int($0), Int($1)) })
            let a = Swift.max(min, Swift.min(lo, estimate)), b = Swift.min(max, Swift.max(hi, estimate))
            interval90 = a...Swift.max(a, b)
        }
    }
}

/// A difference of two counts (a balance or a change between years), with true bounds.
public struct Change: Hashable, Codable, Sendable {
    public var min: Int
    public var max: Int
    public var estimate: Double
    /// The 90% interval of the difference from the joint draws of both sides; nil when both are exact or they
    /// do not come from the same draws. Within [min, max] and containing the estimate.
    public var interval90: Bounds?

    /// `a − b` for independent a and b.
    public init(_ a: Quantity, minus b: Quantity) {
        min = a.min - b.max
        max = a.max - b.min
        estimate = a.estimate - b.estimate
        if !(a.isExact && b.isExact), let (x, y, _) = Quantity.joint(a, b) {
            let (lo, hi) = Percentile.interval90(zip(x, y).map { $0 - $1 })
            interval90 = Quantity.interval(Int(lo), Int(hi), estimate: estimate, within: Bounds(min: min, max: max))
        }
    }
}

/// The direction of a difference (a balance or a change between years) as the report may state it in words.
/// Rule: the direction is stated only when the 90% interval lies entirely on one side of 0 (an interval that
/// touches or contains 0 leaves the direction open). Without an interval (the difference was not drawn) the hard
/// bounds decide, which is the stronger test; an exact difference has the direction of its value.
public enum Direction: Sendable, Equatable {
    /// Above 0: more pupils (an increase; a balance with more coming in than going out).
    case up
    /// Below 0.
    case down
    /// The interval (or the bounds) contains 0: the direction is not certain.
    case uncertain
    /// Exactly 0.
    case zero

    /// The direction of a difference whose value lies in `low...high`; `exact` when it is known exactly.
    public init(low: Double, high: Double, exact: Bool) {
        if exact && low == high {
            self = low > 0 ? .up : low < 0 ? .down : .zero
        } else if low > 0 {
            self = .up
        } else if high < 0 {
            self = .down
        } else {
            self = .uncertain
        }
    }
}

extension Change {
    /// Up or down when the 90% interval excludes 0 (see `Direction`).
    public var direction: Direction {
        if min == max { return Direction(low: Double(min), high: Double(max), exact: true) }
        let range = interval90 ?? Bounds(min: min, max: max)
        return Direction(low: Double(range.min), high: Double(range.max), exact: false)
    }
}

extension Share {
    /// The 90% interval of `after − before` (a share on two peildata, each from a part and a rest), from the joint
    /// draws of all four counts: nil when all four are exact or they do not come from the same draws. Within the
    /// true bounds of the difference and containing the difference of the estimates.
    public static func differenceInterval90(before: (part: Quantity, rest: Quantity), after: (part: Quantity, rest: Quantity)) -> ClosedRange<Double>? {
        let all = [before.part, before.rest, after.part, after.rest]
        guard !all.allSatisfy(\.isExact), let source = all.lazy.compactMap({ $0.draws?.source }).first else { return nil }
        var values: [[Int32]] = []
        for q in all {
            if let s = q.draws?.source, s !== source { return nil }
            guard let v = q.drawValues(count: source.count) else { return nil }
            values.append(v)
        }
        guard let a = Share(part: before.part, rest: before.rest), let b = Share(part: after.part, rest: after.rest) else { return nil }
        func ratio(_ p: Int32, _ r: Int32) -> Double { p + r == 0 ? 0 : Double(p) / Double(p + r) }
        let differences = (0..<source.count).map { d in ratio(values[2][d], values[3][d]) - ratio(values[0][d], values[1][d]) }
        let (lo, hi) = Percentile.interval90(differences)
        let estimate = b.estimate - a.estimate, low = b.min - a.max, high = b.max - a.min
        let x = Swift.max(low, Swift.min(lo, estimate)), y = Swift.min(high, Swift.max(hi, estimate))
        return x...Swift.max(x, y)
    }
}
