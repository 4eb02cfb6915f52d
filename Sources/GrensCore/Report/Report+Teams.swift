/// The rules of team connections: which schools a gemeente's children attend, and when an agreement between a
/// school and a local team is recommended. Renderers and exports ask these; they never decide themselves.
extension Report {
    /// Schools outside `gemeente` with pupils living in it, largest estimate first (ties by school code).
    public func schoolsAttended(by gemeente: String) -> [(school: School, pupils: Quantity)] {
        schools.compactMap { school -> (School, Quantity)? in
            guard school.gemeente != gemeente, let home = school.homes.first(where: { $0.code == gemeente }), home.pupils.max > 0 else { return nil }
            return (school, home.pupils)
        }.sorted { ($1.1.estimate, $0.0.id) < ($0.1.estimate, $1.0.id) }
    }

    /// True when `pupils` of one gemeente at one school reach the threshold. Compared on the number the reader
    /// sees (the estimate rounded to a whole pupil), so two flows both shown as "≈10" get the same answer.
    public func recommendsAgreement(_ pupils: Quantity) -> Bool {
        Int(pupils.estimate.rounded(.toNearestOrAwayFromZero)) >= teamThreshold
    }
}

extension Report.School {
    /// The share of the school's pupils living in `code`, with true bounds: the other homes are disjoint cells.
    public func share(of code: String) -> Share? {
        guard let part = homes.first(where: { $0.code == code })?.pupils else { return nil }
        return Share(part: part, rest: homes.filter { $0.code != code }.reduce(Quantity.zero) { $0 + $1.pupils })
    }
}
