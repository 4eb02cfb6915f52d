/// Everything the renderers need, as one plain value. Produced from the store by the pipeline; renderers take
/// this and nothing else (no files, no database).
public struct Report: Sendable, Codable, Equatable {
    public struct Source: Sendable, Codable, Equatable {
        public let name: String
        public let sha256: String
        public let dataset: String
        public let layout: String
        public let encoding: String
        public let peildatum: Peildatum
        public let rows: Int
        public let synthetic: Bool

        public init(name: String, sha256: String, dataset: String, layout: String, encoding: String, peildatum: Peildatum, rows: Int, synthetic: Bool) {
            self.name = name; self.sha256 = sha256; self.dataset = dataset; self.layout = layout
            self.encoding = encoding; self.peildatum = peildatum; self.rows = rows; self.synthetic = synthetic
        }
    }

    /// One school location in or serving the region, with the home gemeenten of its pupils.
    public struct School: Sendable, Codable, Equatable {
        public let id: String
        public let name: String
        public let gemeente: String
        public let soorten: [Soort]
        public let total: Quantity
        /// Home gemeente code (or pseudo/unresolved code) → pupils, largest estimate first.
        public let homes: [Home]
    }

    public struct Home: Sendable, Codable, Equatable {
        public let code: String
        public let pupils: Quantity
    }

    /// A matrix cell in two years, on today's gemeenten.
    public struct FlowChange: Sendable, Codable, Equatable {
        public let soort: SoortSelection
        public let home: String
        public let school: String
        public let before: Quantity
        public let after: Quantity
        public var change: Change { Change(after, minus: before) }
        /// Relative change of the estimate; nil when the flow did not exist before.
        public var relative: Double? { before.estimate > 0 ? (after.estimate - before.estimate) / before.estimate : nil }
        public var isNew: Bool { before.max == 0 && after.min > 0 }
        public var hasEnded: Bool { before.min > 0 && after.max == 0 }
    }

    public var regionName: String
    public var synthetic: Bool
    public var sources: [Source]
    public var estimatorSource: String
    public var peildata: [Peildatum]
    public var grouping: Grouping
    /// Gemeente names for every code that appears (homes of school pupils included).
    public var gemeenteNames: [String: String]
    public var swvNames: [String: String]
    public var soorten: [SoortSelection]
    public var matrices: [Matrix]
    public var gemeenteShares: [Peildatum: [GemeenteShares]]
    public var swvShares: [Peildatum: [SwvShares]]
    public var changes: [FlowChange]
    /// Per school location with pupils from or in the region, for the latest peildatum.
    public var schools: [School]
    /// Things the reader must know: unresolved homes, ignored margins, unassignable split gemeenten.
    public var notes: [String]
    /// Cost items split over gemeenten (see `data/kosten`).
    public var costSplits: [CostSplit] = []
    /// Cost items that do not fit the data (e.g. a school code absent on the peildatum): shown, not computed.
    public var refusedCostItems: [InputError] = []
    /// Pupils (estimate) from one gemeente at one school from which a school–team agreement is worth making.
    public var teamThreshold: Int = 10
    /// The two peildata `changes` compares (default the latest against the one before).
    public var changeFrom: Peildatum? = nil
    public var changeTo: Peildatum? = nil
    /// Per soort the region's pupils on every peildatum in the store.
    public var trend: [TrendPoint] = []
    /// The last ingest run that changed something (rows cut short: the dashboard summarises).
    public var lastRefresh: Refresh? = nil
    /// Cost items pinned to a peildatum older than the latest in the store.
    public var newerPeildata: [NewerPeildatum] = []
    /// The outlines the maps draw, when the reference data has them.
    public var map: RegionMap? = nil

    /// Peildata from unmasked files: their matrices are exact, with cell suppression (`Matrix.published`).
    public var exactPeildata: [Peildatum] = []
    public var latest: Peildatum? { peildata.last }

    public func matrix(_ peildatum: Peildatum, _ soort: SoortSelection) -> Matrix? {
        matrices.first { $0.peildatum == peildatum && $0.soort == soort }
    }

    public func name(_ code: String) -> String {
        if let group = grouping.names[code] { return group }
        if let n = gemeenteNames[code] { return n }
        if let pseudo = PseudoHome(code: code) { return pseudo.name }
        if code == unresolvedHome { return "niet herkend" }
        return code
    }
}

extension Report {
    /// The soort selections a report shows for rows of these soorten: every single soort present, the po total
    /// when a po soort is present, and the total of all when po and vo both are.
    public static func selections(present: Set<Soort>) -> [SoortSelection] {
        var soorten: [SoortSelection] = [.bo, .sbo, .so, .vso, .vo].filter { sel in present.contains { sel.includes($0) } }
        let hasPO = present.contains { $0.sector == .po }
        if hasPO { soorten.append(.po) }
        if hasPO && present.contains(.vo) { soorten.append(.alle) }
        return soorten
    }

    /// What one peildatum contributes to a report, worked out from that peildatum's rows alone, so the peildata
    /// can be worked out one batch at a time and their rows let go.
    public struct Year: Sendable {
        public let peildatum: Peildatum
        var matrices: [Matrix] = []
        var gemeenteShares: [GemeenteShares] = []
        var swvShares: [SwvShares] = []
        /// The school list, for the latest peildatum only.
        var schools: [School]?
        /// Every home and school gemeente code of the rows (for the names).
        var codes: Set<String> = []
        /// The matrices are published exactly (`Matrix.published`).
        var exact = false

        /// Made as the latest peildatum, with its school list.
        public var hasSchools: Bool { schools != nil }
        /// The same part as an earlier peildatum has it: without the school list.
        public var asEarlier: Year {
            var part = self
            part.schools = nil
            return part
        }
    }

    /// The part of `data` with peildatum `date`. `exact`: the true rows of that peildatum when its matrices are
    /// published exactly (an unmasked year that is not the latest); `schools`: make the school list (the latest);
    /// `rowSwvs`: the swvs of the rows of `date` (`RowSwvs`).
    public static func year(_ data: EstimatedRows, on date: Peildatum, soorten: [SoortSelection], grouping: Grouping,
                            reference: Reference, exact: EstimatedRows? = nil, schools withSchools: Bool = false,
                            rowSwvs: RowSwvs) -> Year {
        var part = Year(peildatum: date, exact: exact != nil)
        let members = reference.members(of: grouping.region, on: date)
        let regionSwvs = Set(grouping.members.flatMap { code in
            reference.swvAreas.filter { $0.gemeente == code }.map(\.swv)
        }).sorted()
        for soort in soorten {
            let estimated = { Analysis.matrix(data, peildatum: date, soort: soort, grouping: grouping) }
            if let exact {
                let singles = part.matrices.filter { $0.soort.isSingle && soort.includes($0.soort) }
                part.matrices.append(soort.isSingle
                    ? .published(exact: Analysis.matrix(exact, peildatum: date, soort: soort, grouping: grouping), estimates: estimated())
                    : .sum(singles, soort: soort))
            } else {
                part.matrices.append(estimated())
            }
            part.gemeenteShares += Analysis.gemeenteShares(data, peildatum: date, soort: soort, codes: grouping.members,
                                                           regionMembers: Set(members.isEmpty ? grouping.members : members), swvs: rowSwvs)
            let sectorSwvs = regionSwvs.filter { code in
                let sector = reference.swvs[code]?.sector
                return soort == .alle || (soort == .vo ? sector == .vo : sector == .po)
            }
            part.swvShares += Analysis.swvShares(data, peildatum: date, soort: soort, swvs: sectorSwvs, rowSwvs: rowSwvs)
        }
        for i in data.indices(on: date) { part.codes.insert(data.rows[i].homeCode); part.codes.insert(data.rows[i].schoolGemeente) }
        if withSchools { part.schools = schools(data, peildatum: date, grouping: grouping) }
        return part
    }

    /// Builds the report from estimated rows (all peildata), grouping and reference data. `exact`: the rows of the
    /// unmasked peildata with their true counts; the matrices of those peildata (except the latest) are published
    /// exactly, with cell suppression. Everything else uses `data`, where those years are masked the way DUO masks now.
    public static func build(data: EstimatedRows, reference: Reference, grouping: Grouping, regionName: String,
                             sources: [Source], estimatorSource: String, notes: [String],
                             costSplits: [CostSplit] = [], refusedCostItems: [InputError] = [], teamThreshold: Int = 10,
                             changeFrom: Peildatum? = nil, changeTo: Peildatum? = nil, exact: EstimatedRows? = nil) -> Report {
        let peildata = data.peildata
        let soorten = selections(present: Set(data.rows.map(\.soort)))
        // Not the latest peildatum: its school lists, team lists and costs are published from masked cells, and
        // exact matrices beside them would let a reader subtract one from the other.
        let exactDates = Set(exact?.rows.map(\.peildatum) ?? []).subtracting(peildata.suffix(1))
        let years = concurrentMap(peildata.count) { k in
            year(data, on: peildata[k], soorten: soorten, grouping: grouping, reference: reference,
                 exact: exactDates.contains(peildata[k]) ? exact : nil, schools: k == peildata.count - 1,
                 rowSwvs: RowSwvs(data, on: peildata[k], reference: reference))
        }
        return assemble(years, soorten: soorten, reference: reference, grouping: grouping, regionName: regionName,
                        sources: sources, estimatorSource: estimatorSource, notes: notes, costSplits: costSplits,
                        refusedCostItems: refusedCostItems, teamThreshold: teamThreshold, changeFrom: changeFrom, changeTo: changeTo)
    }

    /// The report from the parts of its peildata (oldest first; the last one with its school list).
    public static func assemble(_ years: [Year], soorten: [SoortSelection], reference: Reference, grouping: Grouping,
                                regionName: String, sources: [Source], estimatorSource: String, notes: [String],
                                costSplits: [CostSplit] = [], refusedCostItems: [InputError] = [], teamThreshold: Int = 10,
                                changeFrom: Peildatum? = nil, changeTo: Peildatum? = nil) -> Report {
        let peildata = years.map(\.peildatum)
        var matrices: [Matrix] = []
        var gemeenteShares: [Peildatum: [GemeenteShares]] = [:]
        var swvShares: [Peildatum: [SwvShares]] = [:]
        for part in years where !soorten.isEmpty {
            matrices += part.matrices
            gemeenteShares[part.peildatum] = part.gemeenteShares
            swvShares[part.peildatum] = part.swvShares
        }

        var changes: [FlowChange] = []
        // Any two peildata (the caller checked they are in the store); by default the latest against the one before.
        let pair = changeFrom.flatMap { from in changeTo.map { (from, $0) } }
            ?? (peildata.count >= 2 ? (peildata[peildata.count - 2], peildata[peildata.count - 1]) : nil)
        if let (before, after) = pair, before != after {
            for soort in soorten {
                guard let a = matrices.first(where: { $0.peildatum == before && $0.soort == soort }),
                      let b = matrices.first(where: { $0.peildatum == after && $0.soort == soort }) else { continue }
                for h in b.groups.indices {
                    for s in b.groups.indices where b.applicable(h, s) {
                        let x = a.cells[h][s], y = b.cells[h][s]
                        if x.max == 0 && y.max == 0 { continue }
                        changes.append(FlowChange(soort: soort, home: b.groups[h], school: b.groups[s], before: x, after: y))
                    }
                }
            }
        }

        var names: [String: String] = [:]
        for code in years.reduce(into: Set<String>(), { $0.formUnion($1.codes) }) { names[code] = reference.name(of: code) }
        var swvNames: [String: String] = [:]
        for (code, swv) in reference.swvs { swvNames[code] = swv.name }

        var report = Report(regionName: regionName, synthetic: sources.contains { $0.synthetic }, sources: sources,
                            estimatorSource: estimatorSource, peildata: peildata, grouping: grouping, gemeenteNames: names,
                            swvNames: swvNames, soorten: soorten, matrices: matrices, gemeenteShares: gemeenteShares,
                            swvShares: swvShares, changes: changes, schools: years.last?.schools ?? [],
                            notes: notes, costSplits: costSplits, refusedCostItems: refusedCostItems,
                            teamThreshold: teamThreshold)
        report.placeMap(from: reference)
        if let (before, after) = pair, before != after { (report.changeFrom, report.changeTo) = (before, after) }
        report.exactPeildata = years.filter(\.exact).map(\.peildatum)
        report.trend = trend(gemeenteShares, soorten: soorten, members: Set(grouping.members))
        return report
    }

    /// The region's map on the latest peildatum, from the outlines `reference` holds (none without them).
    public mutating func placeMap(from reference: Reference) {
        map = peildata.last.flatMap(reference.mapShapes).flatMap { RegionMap.make($0, members: grouping.members) }
    }

    /// The region's living, outflow and out-of-region pupils per soort and peildatum (same sums as the index page).
    static func trend(_ shares: [Peildatum: [GemeenteShares]], soorten: [SoortSelection], members: Set<String>) -> [TrendPoint] {
        soorten.flatMap { soort in
            shares.keys.sorted().map { date in
                let f = RegionFigures((shares[date] ?? []).filter { $0.soort == soort && members.contains($0.code) })
                return TrendPoint(soort: soort, peildatum: date, figures: f)
            }
        }
    }

    /// School locations in the region, or outside it with pupils from the region, for one peildatum.
    static func schools(_ data: EstimatedRows, peildatum: Peildatum?, grouping: Grouping) -> [School] {
        guard let peildatum else { return [] }
        struct Acc { var name = ""; var gemeente = ""; var soorten: Set<Soort> = []; var total = Accumulator(); var homes: [String: Accumulator] = [:] }
        var accs: [String: Acc] = [:]
        let members = Set(grouping.members)
        var relevant: Set<String> = []
        for i in data.indices(on: peildatum) {
            let row = data.rows[i]
            if members.contains(row.schoolGemeente) || members.contains(row.homeCode) { relevant.insert(row.schoolID) }
            var a = accs[row.schoolID] ?? Acc()
            a.name = row.schoolName
            a.gemeente = row.schoolGemeente
            a.soorten.insert(row.soort)
            a.total.add(i, data)
            a.homes[row.homeCode, default: Accumulator()].add(i, data)
            accs[row.schoolID] = a
        }
        return relevant.sorted().map { id in
            let a = accs[id]!
            let homes = a.homes.map { Home(code: $0.key, pupils: $0.value.quantity(data)) }
                .sorted { ($1.pupils.estimate, $0.code) < ($0.pupils.estimate, $1.code) }
            return School(id: id, name: a.name, gemeente: a.gemeente, soorten: a.soorten.sorted(),
                          total: a.total.quantity(data), homes: homes)
        }
    }
}
