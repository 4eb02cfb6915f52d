/// The map of a report: the outlines of the region's gemeenten and of everything around them inside the frame, in
/// the boundary year of the latest peildatum. Chosen here, not in a renderer: renderers never read files.
public struct RegionMap: Sendable, Codable, Equatable {
    /// The boundary year of the outlines (the newest file not after the latest peildatum).
    public let year: Int
    public let attribution: String
    /// The frame in map units (10 m): the region's box with a margin.
    public let minX: Int, minY: Int, width: Int, height: Int
    /// Every outline that reaches into the frame, largest box first (an enclave is drawn over its surroundings).
    public let shapes: [MapShape]
    /// Region members without an outline in this boundary year (listed, not drawn).
    public let missing: [String]

    public func shape(_ code: String) -> MapShape? { shapes.first { $0.code == code } }

    /// The frame around `members` with a margin of a sixth of its size (at least 3 km) on each side, and every shape
    /// that reaches into it. Nil without outlines, or when no member has one.
    public static func make(_ geometry: GemeenteShapes, members: [String]) -> RegionMap? {
        let own = members.compactMap { geometry.shapes[$0] }
        guard let first = own.first else { return nil }
        var x0 = first.minX, y0 = first.minY, x1 = first.maxX, y1 = first.maxY
        for s in own { x0 = min(x0, s.minX); y0 = min(y0, s.minY); x1 = max(x1, s.maxX); y1 = max(y1, s.maxY) }
        let margin = max(300, max(x1 - x0, y1 - y0) / 6)
        x0 -= margin; y0 -= margin; x1 += margin; y1 += margin
        let inside = geometry.shapes.values.filter { $0.maxX > x0 && $0.minX < x1 && $0.maxY > y0 && $0.minY < y1 }
            .sorted { (($1.maxX - $1.minX) * ($1.maxY - $1.minY), $0.code) < (($0.maxX - $0.minX) * ($0.maxY - $0.minY), $1.code) }
        return RegionMap(year: geometry.year, attribution: geometry.attribution, minX: x0, minY: y0, width: x1 - x0, height: y1 - y0,
                         shapes: inside, missing: members.filter { geometry.shapes[$0] == nil }.sorted())
    }
}

extension Reference {
    /// The outlines for a peildatum: the newest boundary year not after it, else the oldest there is.
    public func mapShapes(for date: Peildatum) -> GemeenteShapes? {
        maps.last { $0.year <= date.year } ?? maps.first
    }
}

extension Report {
    /// The largest flows across a gemeente border that start or end in `code` (a group of the matrix), largest first:
    /// the flow lines of a gemeente's map.
    public func largestFlows(touching code: String, soort: SoortSelection, limit: Int) -> [Matrix.Flow] {
        guard let latest, let m = matrix(latest, soort), let g = m.groups.firstIndex(of: code) else { return [] }
        return Array(m.crossingFlows(limit: Int.max).filter { $0.home == g || $0.school == g }.prefix(limit))
    }
}
