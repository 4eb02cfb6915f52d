/// How gemeenten are grouped in matrices: the region's members one by one, optionally named neighbours one
/// by one, then "rest van Nederland" and "buitenland/onbekend". The region is reference data, not code.
public struct Grouping: Sendable, Codable, Equatable {
    public static let rest = "REST"
    public static let abroad = "BUI"

    public let region: String
    public let members: [String]
    public let neighbours: [String]
    /// Row/column order: members, neighbours (each by name), rest, abroad.
    public let order: [String]
    public let names: [String: String]

    public init(region: String, members: [String], neighbours: [String], reference: Reference) {
        self.region = region
        self.members = members
        let memberSet = Set(members)
        self.neighbours = neighbours.filter { !memberSet.contains($0) }
        func byName(_ codes: [String]) -> [String] {
            codes.sorted { (foldName(reference.name(of: $0)), $0) < (foldName(reference.name(of: $1)), $1) }
        }
        order = byName(members) + byName(self.neighbours) + [Self.rest, Self.abroad]
        var names: [String: String] = [Self.rest: "rest van Nederland", Self.abroad: "buitenland/onbekend"]
        for code in members + self.neighbours { names[code] = reference.name(of: code) }
        self.names = names
    }

    public func group(_ code: String) -> String {
        guard HomeKind(code: code).isGemeente else { return Self.abroad }
        if members.contains(code) || neighbours.contains(code) { return code }
        return Self.rest
    }

    public func isMember(_ group: String) -> Bool { members.contains(group) }
    public func name(_ group: String) -> String { names[group] ?? group }
}
