/// The rules of the change page: what changed in grensverkeer between two peildata. Population change inside one
/// gemeente (more pupils living and going to school in Rijswijk) is not grensverkeer, so only flows across a
/// gemeente border are ranked, and the lead is the share of pupils going to school elsewhere, then and now.
extension Report {
    /// The two peildata compared (the last two in the store), or nil with fewer than two.
    public var changeSpan: (before: Peildatum, after: Peildatum)? {
        if let from = changeFrom, let to = changeTo { return (from, to) }
        return peildata.count >= 2 ? (peildata[peildata.count - 2], peildata[peildata.count - 1]) : nil
    }

    /// The share going to school outside the home gemeente on both peildata, for one gemeente or the region.
    public struct OutflowChange: Sendable, Equatable {
        /// A region member's code; nil for the region as a whole.
        public let code: String?
        public let before: Share?
        public let after: Share?
        /// The 90% interval of the change in percentage points, from the joint draws of both peildata; nil when
        /// the shares are exact or were not drawn.
        public var pointsInterval90: ClosedRange<Double>? = nil

        /// The change of the estimate in percentage points (0…100 scale), nil without both shares.
        public var points: Double? {
            guard let before, let after else { return nil }
            return (after.estimate - before.estimate) * 100
        }

        /// True bounds of the change in percentage points: the two years' counts are independent cells.
        public var pointsRange: (min: Double, max: Double)? {
            guard let before, let after else { return nil }
            return ((after.min - before.max) * 100, (after.max - before.min) * 100)
        }

        /// Up or down when the 90% interval of the change excludes 0 (see `Direction`); nil without both shares.
        public var direction: Direction? {
            guard let points, let range = pointsRange else { return nil }
            if let i = pointsInterval90 { return Direction(low: i.lowerBound, high: i.upperBound, exact: false) }
            let exact = before?.min == before?.max && after?.min == after?.max
            return exact ? Direction(low: points, high: points, exact: true) : Direction(low: range.min, high: range.max, exact: false)
        }
    }

    /// Per region member (in grouping order) and for the whole region: the share going to school elsewhere on
    /// both peildata of `changeSpan`. Earlier years are already on the gemeenten of the latest peildatum.
    public func outflowChanges(_ soort: SoortSelection) -> (region: OutflowChange, gemeenten: [OutflowChange])? {
        guard let span = changeSpan else { return nil }
        func shares(_ date: Peildatum) -> [GemeenteShares] { (gemeenteShares[date] ?? []).filter { $0.soort == soort } }
        let before = shares(span.before), after = shares(span.after)
        guard !before.isEmpty || !after.isEmpty else { return nil }
        let members = Set(grouping.members)
        /// Part (going elsewhere) and rest (own gemeente) of both years, for the interval of the difference.
        func change(_ code: String?, _ a: (part: Quantity, rest: Quantity)?, _ b: (part: Quantity, rest: Quantity)?) -> OutflowChange {
            var c = OutflowChange(code: code, before: a.flatMap { Share(part: $0.part, rest: $0.rest) },
                                  after: b.flatMap { Share(part: $0.part, rest: $0.rest) })
            if let a, let b, c.before != nil, c.after != nil {
                c.pointsInterval90 = Share.differenceInterval90(before: a, after: b).map { ($0.lowerBound * 100)...($0.upperBound * 100) }
            }
            return c
        }
        let gemeenten = grouping.order.filter(members.contains).map { code in
            change(code, before.first { $0.code == code }.map { ($0.outflow, $0.own) }, after.first { $0.code == code }.map { ($0.outflow, $0.own) })
        }
        let a = RegionFigures(before), b = RegionFigures(after)
        let region = change(nil, (a.outflow, a.own), (b.outflow, b.own))
        return (region, gemeenten)
    }

    /// Flows across a gemeente border (home and school in different groups) that changed by at least half a pupil
    /// (estimate): increases largest first, decreases largest first. Ties by home and school code.
    public func crossBorderChanges(_ soort: SoortSelection) -> (increases: [FlowChange], decreases: [FlowChange]) {
        let crossing = changes.filter { $0.soort == soort && $0.home != $0.school }
        let ups = crossing.filter { $0.change.estimate >= 0.5 }
            .sorted { ($1.change.estimate, $0.home, $0.school) < ($0.change.estimate, $1.home, $1.school) }
        let downs = crossing.filter { $0.change.estimate <= -0.5 }
            .sorted { ($0.change.estimate, $0.home, $0.school) < ($1.change.estimate, $1.home, $1.school) }
        return (ups, downs)
    }
}
