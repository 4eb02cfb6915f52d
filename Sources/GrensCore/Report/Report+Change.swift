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
    }

    /// Per region member (in grouping order) and for the whole region: the share going to school elsewhere on
    /// both peildata of `changeSpan`. Earlier years are already on the gemeenten of the latest peildatum.
    public func outflowChanges(_ soort: SoortSelection) -> (region: OutflowChange, gemeenten: [OutflowChange])? {
        guard let span = changeSpan else { return nil }
        func shares(_ date: Peildatum) -> [GemeenteShares] { (gemeenteShares[date] ?? []).filter { $0.soort == soort } }
        let before = shares(span.before), after = shares(span.after)
        guard !before.isEmpty || !after.isEmpty else { return nil }
        let members = Set(grouping.members)
        let gemeenten = grouping.order.filter(members.contains).map { code in
            OutflowChange(code: code, before: before.first { $0.code == code }?.outflowShare,
                          after: after.first { $0.code == code }?.outflowShare)
        }
        let region = OutflowChange(code: nil, before: RegionFigures(before).outsideOwnShare, after: RegionFigures(after).outsideOwnShare)
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
