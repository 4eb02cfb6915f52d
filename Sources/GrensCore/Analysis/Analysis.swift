/// Pure functions over estimated rows. Nothing here formats text for display.
public enum Analysis {
    public static func matrix(_ data: EstimatedRows, peildatum: Peildatum, soort: SoortSelection, grouping: Grouping) -> Matrix {
        let groups = grouping.order
        let index = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
        let n = groups.count
        let memberFlags = groups.map(grouping.isMember)
        // A code's group index, once per code; the rows of the matrix, once (the totals add them again in the same
        // order, so every accumulator sees the same rows in the same order).
        var groupOf: [String: Int] = [:]
        func group(_ code: String) -> Int {
            if let g = groupOf[code] { return g }
            let g = index[grouping.group(code)]!
            groupOf[code] = g
            return g
        }
        var picked: [(row: Int, h: Int, s: Int)] = []
        var acc = [Accumulator](repeating: Accumulator(), count: n * n)
        for i in data.indices(on: peildatum) where soort.includes(data.rows[i].soort) {
            let row = data.rows[i]
            let h = group(row.homeCode)
            let s = group(row.schoolGemeente)
            guard memberFlags[h] || memberFlags[s] else { continue }
            acc[h * n + s].add(i, data)
            picked.append((i, h, s))
        }
        let cells = (0..<n).map { h in (0..<n).map { s in acc[h * n + s].quantity(data) } }
        // Totals accumulate rows again (not quantities) so margin groups are respected across cells.
        var homeAcc = [Accumulator](repeating: Accumulator(), count: n)
        var schoolAcc = [Accumulator](repeating: Accumulator(), count: n)
        var totalAcc = Accumulator()
        for (i, h, s) in picked {
            homeAcc[h].add(i, data)
            schoolAcc[s].add(i, data)
            totalAcc.add(i, data)
        }
        return Matrix(peildatum: peildatum, soort: soort, groups: groups, cells: cells,
                      homeTotals: homeAcc.map { $0.quantity(data) }, schoolTotals: schoolAcc.map { $0.quantity(data) },
                      total: totalAcc.quantity(data), memberFlags: memberFlags)
    }

    /// `swvs`: the swvs of the rows of `peildatum` (`RowSwvs`).
    public static func gemeenteShares(_ data: EstimatedRows, peildatum: Peildatum, soort: SoortSelection, codes: [String],
                                      regionMembers: Set<String>, swvs: RowSwvs) -> [GemeenteShares] {
        struct Acc { var living = Accumulator(), atSchool = Accumulator(), own = Accumulator(), outflow = Accumulator()
                     var inflow = Accumulator(), ownSwv = Accumulator(), otherSwv = Accumulator(), inRegion = Accumulator(), outRegion = Accumulator() }
        // Accumulators by position; a code's position looked up once per code.
        var accs = [Acc](repeating: Acc(), count: codes.count)
        var position: [String: Int] = [:]
        for (k, code) in codes.enumerated() where position[code] == nil { position[code] = k }
        for i in data.indices(on: peildatum) where soort.includes(data.rows[i].soort) {
            let row = data.rows[i]
            if let k = position[row.homeCode] {
                accs[k].living.add(i, data)
                if row.schoolGemeente == row.homeCode { accs[k].own.add(i, data) }
                else { accs[k].outflow.add(i, data) }
                if regionMembers.contains(row.schoolGemeente) { accs[k].inRegion.add(i, data) }
                else { accs[k].outRegion.add(i, data) }
                // The home's swv in the row's sector (none abroad or unresolved: then never the school's).
                if let homeSwv = swvs.home[i], homeSwv == swvs.school[i] {
                    accs[k].ownSwv.add(i, data)
                } else {
                    accs[k].otherSwv.add(i, data)
                }
            }
            if let k = position[row.schoolGemeente] {
                accs[k].atSchool.add(i, data)
                if row.homeCode != row.schoolGemeente { accs[k].inflow.add(i, data) }
            }
        }
        return codes.map { code in
            let a = accs[position[code]!]
            let inflow = a.inflow.quantity(data), outflow = a.outflow.quantity(data)
            return GemeenteShares(code: code, soort: soort, living: a.living.quantity(data), atSchool: a.atSchool.quantity(data),
                                  own: a.own.quantity(data), outflow: outflow, inflow: inflow,
                                  net: Change(inflow, minus: outflow), ownSwv: a.ownSwv.quantity(data), otherSwv: a.otherSwv.quantity(data),
                                  inRegion: a.inRegion.quantity(data), outRegion: a.outRegion.quantity(data))
        }
    }

    /// `rowSwvs`: the swvs of the rows of `peildatum` (`RowSwvs`).
    public static func swvShares(_ data: EstimatedRows, peildatum: Peildatum, soort: SoortSelection, swvs: [String],
                                 rowSwvs: RowSwvs) -> [SwvShares] {
        struct Acc { var living = Accumulator(), atSchool = Accumulator(), own = Accumulator(), outflow = Accumulator(), inflow = Accumulator() }
        // Accumulators by position, as in `gemeenteShares`.
        var accs = [Acc](repeating: Acc(), count: swvs.count)
        var position: [String: Int] = [:]
        for (k, code) in swvs.enumerated() where position[code] == nil { position[code] = k }
        for i in data.indices(on: peildatum) where soort.includes(data.rows[i].soort) {
            let (home, school) = (rowSwvs.home[i], rowSwvs.school[i])
            if let home, let k = position[home] {
                accs[k].living.add(i, data)
                if school == home { accs[k].own.add(i, data) } else { accs[k].outflow.add(i, data) }
            }
            if let school, let k = position[school] {
                accs[k].atSchool.add(i, data)
                if home != school { accs[k].inflow.add(i, data) }
            }
        }
        return swvs.map { code in
            let a = accs[position[code]!]
            let inflow = a.inflow.quantity(data), outflow = a.outflow.quantity(data)
            return SwvShares(swv: code, soort: soort, living: a.living.quantity(data), atSchool: a.atSchool.quantity(data),
                             own: a.own.quantity(data), outflow: outflow, inflow: inflow, net: Change(inflow, minus: outflow))
        }
    }

    /// Maps the gemeente codes of older rows to the gemeenten of `date`, following mergers, so years compare on
    /// today's gemeenten. A split gemeente is only mapped when all its successors fall in one group; otherwise
    /// its rows become unresolved (and the report says so) rather than being assigned by guess.
    /// In place (the rows are not held twice); returns the unassignable codes.
    public static func mapToGemeenten(of date: Peildatum, rows: inout [FlowRow], reference: Reference, grouping: Grouping) -> Set<String> {
        var cache: [String: String?] = [:]
        var unassignable: Set<String> = []
        func map(_ code: String) -> String? {
            if !HomeKind(code: code).isGemeente { return code }
            if let hit = cache[code] { return hit }
            let successors = reference.successors(of: code, on: date)
            let result: String?
            let groups = Set(successors.map(grouping.group))
            if successors.count == 1 { result = successors[0] }
            else if groups.count == 1, let only = groups.first {
                // All parts land in one group: a named gemeente takes it whole; "rest" keeps the old code (and name).
                result = only == Grouping.rest ? code : only
            } else { result = nil }
            cache[code] = result
            return result
        }
        for i in rows.indices {
            let home = rows[i].homeCode, school = rows[i].schoolGemeente
            if let h = map(home) { if h != home { rows[i].homeCode = h } } else { unassignable.insert(home); rows[i].homeCode = unresolvedHome }
            if let s = map(school) { if s != school { rows[i].schoolGemeente = s } } else { unassignable.insert(school) }
        }
        return unassignable
    }
}
