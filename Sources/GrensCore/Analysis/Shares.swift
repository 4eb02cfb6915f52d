/// One gemeente's pupils in both directions, with shares whose bounds are true bounds.
public struct GemeenteShares: Sendable, Codable, Equatable {
    public let code: String
    public let soort: SoortSelection
    /// Pupils living here (school anywhere).
    public let living: Quantity
    /// Pupils at schools here (living anywhere).
    public let atSchool: Quantity
    /// Living here and at school here.
    public let own: Quantity
    /// Living here, school in another gemeente (uitstroom).
    public let outflow: Quantity
    /// At school here, living in another gemeente or abroad (instroom).
    public let inflow: Quantity
    /// Instroom minus uitstroom.
    public let net: Change
    /// Living here, school within the pupil's own swv (home PC4 swv = school PC4 swv of the sector).
    public let ownSwv: Quantity
    /// Living here, school outside the pupil's own swv (or with no known swv): the rest of `living`.
    public let otherSwv: Quantity
    /// Living here, school in the region (own gemeente included).
    public let inRegion: Quantity
    /// Living here, school outside the region.
    public let outRegion: Quantity

    public var outflowShare: Share? { Share(part: outflow, rest: own) }
    public var inflowShare: Share? { Share(part: inflow, rest: own) }
    public var ownSwvShare: Share? { Share(part: ownSwv, rest: otherSwv) }
    public var inRegionShare: Share? { Share(part: inRegion, rest: outRegion) }
    public var outRegionShare: Share? { Share(part: outRegion, rest: inRegion) }
}

/// The same for a samenwerkingsverband: pupil's swv from the home PC4, school's swv from the school PC4.
public struct SwvShares: Sendable, Codable, Equatable {
    public let swv: String
    public let soort: SoortSelection
    public let living: Quantity
    public let atSchool: Quantity
    public let own: Quantity
    public let outflow: Quantity
    public let inflow: Quantity
    public let net: Change

    public var outflowShare: Share? { Share(part: outflow, rest: own) }
    public var inflowShare: Share? { Share(part: inflow, rest: own) }
}
