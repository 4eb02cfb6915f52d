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

/// A count with its bounds and a point estimate that lies inside them (see README, "Schatter").
public struct Quantity: Hashable, Codable, Sendable {
    public var bounds: Bounds
    public var estimate: Double

    public init(bounds: Bounds, estimate: Double) {
        let tolerance = 1e-6 * Swift.max(1, Double(bounds.max))
        precondition(Double(bounds.min) - tolerance <= estimate && estimate <= Double(bounds.max) + tolerance,
                     "estimate \(estimate) outside [\(bounds.min), \(bounds.max)]")
        self.bounds = bounds
        self.estimate = Swift.min(Swift.max(estimate, Double(bounds.min)), Double(bounds.max))
    }

    public init(exact n: Int) { self.init(bounds: Bounds(exact: n), estimate: Double(n)) }

    public static let zero = Quantity(exact: 0)
    public var min: Int { bounds.min }
    public var max: Int { bounds.max }
    public var isZero: Bool { bounds.max == 0 }
    public var isExact: Bool { bounds.isExact }

    public static func + (a: Quantity, b: Quantity) -> Quantity {
        Quantity(bounds: a.bounds + b.bounds, estimate: a.estimate + b.estimate)
    }
    public static func += (a: inout Quantity, b: Quantity) { a = a + b }
}

/// A share (part / whole) with true bounds of the ratio, not the ratio of the bounds.
public struct Share: Hashable, Codable, Sendable {
    public var min: Double
    public var max: Double
    public var estimate: Double

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
    }
}

/// A difference of two counts (a balance or a change between years), with true bounds.
public struct Change: Hashable, Codable, Sendable {
    public var min: Int
    public var max: Int
    public var estimate: Double

    /// `a − b` for independent a and b.
    public init(_ a: Quantity, minus b: Quantity) {
        min = a.min - b.max
        max = a.max - b.min
        estimate = a.estimate - b.estimate
    }
}
