/// Region-level sums of the members' figures. Sums of true bounds are true bounds; shares are built from
/// disjoint parts, so their bounds stay true bounds too.
public struct RegionFigures: Sendable, Equatable {
    public private(set) var living = Quantity.zero, own = Quantity.zero, outflow = Quantity.zero
    public private(set) var inRegion = Quantity.zero, outRegion = Quantity.zero

    public init(_ shares: [GemeenteShares]) {
        for s in shares {
            living += s.living; own += s.own; outflow += s.outflow
            inRegion += s.inRegion; outRegion += s.outRegion
        }
    }

    public var outsideOwnShare: Share? { Share(part: outflow, rest: own) }
    public var outsideRegionShare: Share? { Share(part: outRegion, rest: inRegion) }
}
