import Foundation
import Testing
@testable import GrensCore

/// Estimated rows with margins and draws: what every aggregate promises (estimate and interval inside the
/// bounds, draws that respect the margins), determinism, and how quantities combine.
@Suite("Estimated rows, margins and intervals")
struct EstimatedRowsTests {
    static let p2024 = Peildatum(year: 2024, month: 10, day: 1)!

    /// A row of one school with the given true values (1…4 become `<5`), as published.
    static func row(_ values: [Int], school: String = "99AA00", soort: Soort = .bo, home: String = "0004", gemeente: String = "0002",
                    homePC4: String = "2000") -> (row: FlowRow, values: [Int]) {
        let padded = values + [Int](repeating: 0, count: 23 - values.count)
        let truth = Accuracy.TruthRow(row: FlowRow(peildatum: p2024, soort: soort, schoolID: school, schoolName: "x", schoolGemeente: gemeente,
                                                   schoolPC4: "2001", homeCode: home, homePC4: homePC4, exact: 0, maskedBits: 0),
                                      values: padded, province: "P")
        return (truth.masked, padded)
    }

    static let model: MaskedCellModel = {
        var rng = SeededGenerator(seed: 1)
        var rows: [(row: FlowRow, values: [Int])] = []
        for i in 0..<600 {
            let values = (0..<6).map { _ in [0, 1, 1, 1, 2, 3, 4, 6, 9][Int(rng.unit() * 9)] }
            rows.append(row(values, school: "S\(i % 30)", home: ["0002", "0004"][i % 2], gemeente: ["0002", "0003"][i % 2 == 0 ? 0 : (i / 2) % 2]))
        }
        return MaskedCellModel.learn(rows)
    }()

    @Test("property: estimates and 90% intervals stay inside the bounds; draws respect the margins (seed printed on failure)")
    func invariants() {
        for seed in UInt64(1)...60 {
            var rng = SeededGenerator(seed: seed)
            var rows: [(row: FlowRow, values: [Int])] = []
            for s in 0..<3 {
                for _ in 0..<(1 + Int(rng.unit() * 8)) {
                    let values = (0..<8).map { _ in [0, 0, 1, 2, 3, 4, 5, 7][Int(rng.unit() * 8)] }
                    rows.append(Self.row(values, school: "S\(s)", soort: rng.unit() < 0.5 ? .bo : .so,
                                         home: ["0002", "0004", "P10"][Int(rng.unit() * 3)], gemeente: ["0002", "0003"][Int(rng.unit() * 2)]))
                }
            }
            let truth = rows.map { Accuracy.TruthRow(row: $0.row, values: $0.values, province: "P") }
            // Margins: true per-age totals (some published as <5), sometimes one that contradicts the flows, and
            // whole-school totals.
            var margins = Accuracy.derivedMargins(truth).filter { _ in rng.unit() < 0.7 }
            if rng.unit() < 0.3, let m = margins.first {
                margins[0] = SchoolMargin(peildatum: m.peildatum, schoolID: m.schoolID, soort: m.soort, cell: m.cell, total: Bounds(exact: 0))
            }
            for soort in [Soort.bo, .so] where rng.unit() < 0.5 {
                let school = truth.filter { $0.row.schoolID == "S2" && $0.row.soort == soort }
                if !school.isEmpty {
                    margins.append(SchoolMargin(peildatum: Self.p2024, schoolID: "S2", soort: soort, total: school.reduce(0) { $0 + $1.total }))
                }
            }
            let data = EstimatedRows(rows: rows.map(\.row), model: Self.model, margins: margins, draws: 200, seed: seed)
            func check(_ q: Quantity, _ truth: Int?, _ what: String) {
                #expect(Double(q.min) - 1e-6 <= q.estimate && q.estimate <= Double(q.max) + 1e-6, "seed \(seed) \(what): estimate")
                if let i = q.interval90 {
                    #expect(q.min <= i.min && i.max <= q.max, "seed \(seed) \(what): interval \(i) outside \(q.bounds)")
                    #expect(Double(i.min) <= q.estimate + 1e-9 && q.estimate <= Double(i.max) + 1e-9, "seed \(seed) \(what): estimate outside interval")
                } else {
                    #expect(q.isExact || data.drawCount == 0, "seed \(seed) \(what): no interval")
                }
                if let truth, data.inconsistentMargins.isEmpty {
                    #expect(q.min <= truth && truth <= q.max, "seed \(seed) \(what): truth \(truth) outside \(q.bounds)")
                }
            }
            var all = Accumulator()
            var bySchool: [String: Accumulator] = [:]
            for i in rows.indices {
                check(data.quantity(of: i), truth[i].total, "row \(i)")
                all.add(i, data)
                bySchool[truth[i].row.schoolID + truth[i].row.soort.rawValue, default: Accumulator()].add(i, data)
            }
            let total = all.quantity(data)
            check(total, truth.reduce(0) { $0 + $1.total }, "total")
            for (key, acc) in bySchool {
                let q = acc.quantity(data)
                check(q, nil, key)
                if let d = q.draws { #expect(d.values.allSatisfy { q.min <= $0 && $0 <= q.max }, "seed \(seed) \(key): a draw outside the bounds") }
            }
            if rows.count >= 2 {
                let a = data.quantity(of: 0), b = data.quantity(of: 1)
                if let share = Share(part: a, rest: b), let i = share.interval90 {
                    #expect(share.min <= i.lowerBound && i.upperBound <= share.max && i.contains(share.estimate), "seed \(seed): share interval")
                }
                let change = Change(a, minus: b)
                if let i = change.interval90 {
                    #expect(change.min <= i.min && i.max <= change.max, "seed \(seed): change interval")
                    #expect(Double(i.min) <= change.estimate + 1e-9 && change.estimate <= Double(i.max) + 1e-9)
                }
            }
        }
    }

    @Test("same input, same draws and intervals; another seed, other draws")
    func determinism() {
        var rng = SeededGenerator(seed: 8)
        let rows = (0..<200).map { i in Self.row((0..<6).map { _ in [0, 1, 2, 3, 4, 6][Int(rng.unit() * 6)] }, school: "S\(i % 7)") }
        let truth = rows.map { Accuracy.TruthRow(row: $0.row, values: $0.values, province: "P") }
        func build(_ seed: UInt64) -> EstimatedRows {
            EstimatedRows(rows: rows.map(\.row), model: Self.model, margins: Accuracy.derivedMargins(truth), seed: seed)
        }
        let a = build(EstimatedRows.defaultSeed), b = build(EstimatedRows.defaultSeed), c = build(42)
        #expect(a.draws == b.draws && a.maskedEstimates == b.maskedEstimates)
        #expect(a.draws != c.draws)
        #expect(a.maskedEstimates == c.maskedEstimates)
        var x = Accumulator(), y = Accumulator()
        for i in rows.indices where i % 3 == 0 { x.add(i, a); y.add(i, b) }
        #expect(x.quantity(a) == y.quantity(b) && x.quantity(a).interval90 != nil)
    }

    @Test("a per-age margin gives the exact conditional means; <5 margins give intervals; contradicting margins are clamped and reported")
    func marginsPerAge() throws {
        // One school, age column 3: three masked cells (true 1, 1, 3) and an exact 6; the 01 total is 11.
        let rows = [Self.row([0, 0, 0, 1]), Self.row([0, 0, 0, 1], home: "0002"), Self.row([0, 0, 0, 3, 2], home: "0005"), Self.row([0, 0, 0, 6])]
        let margin = SchoolMargin(peildatum: Self.p2024, schoolID: "99AA00", soort: .bo, cell: 3, total: Bounds(exact: 11))
        let data = EstimatedRows(rows: rows.map(\.row), model: Self.model, margins: [margin])
        #expect(data.groups == [EstimatedRows.MarginGroup(maskedCells: 3, maskedMass: Bounds(exact: 5))])
        #expect(data.schoolsWithMargins == 1 && data.inconsistentMargins.isEmpty)
        // The three masked cells of column 3 add up to exactly 5; row 2 also has a free cell (age 4).
        let column3 = data.maskedEstimates[0] + data.maskedEstimates[1] + (data.maskedEstimates[2] - Self.model.expected(MaskedCellModel.context(rows[2].row, cell: 4)))
        #expect(abs(column3 - 5) < 1e-9)
        // The exact conditional against enumeration of the three cells' priors.
        let priors = [0, 1, 2].map { Self.model.distribution(MaskedCellModel.context(rows[$0].row, cell: 3)) }
        let all = EstimatorTests.enumerate(priors).filter { $0.values.reduce(0, +) == 5 }
        let mass = all.reduce(0) { $0 + $1.p }
        #expect(abs(data.maskedEstimates[0] - all.reduce(0) { $0 + Double($1.values[0]) * $1.p } / mass) < 1e-9)
        // Any one of the three cells lies in [max(1, 5 − 8), min(4, 5 − 2)] = [1, 3].
        #expect(data.quantity(of: 0).bounds == Bounds(min: 1, max: 3))
        var school = Accumulator()
        for i in rows.indices { school.add(i, data) }
        #expect(school.quantity(data).bounds == Bounds(min: 12, max: 15))   // 6 + 5 + the free cell 1…4

        // Published as <5: the single masked cell of column 1 lies in 1…4 anyway; a <5 total over two masked
        // cells means they add up to 2…4, so each is 1…3.
        let two = [Self.row([0, 1]), Self.row([0, 2], home: "0002")]
        let small = EstimatedRows(rows: two.map(\.row), model: Self.model,
                                  margins: [SchoolMargin(peildatum: Self.p2024, schoolID: "99AA00", soort: .bo, cell: 1, total: Bounds(min: 1, max: 4))])
        #expect(small.groups == [EstimatedRows.MarginGroup(maskedCells: 2, maskedMass: Bounds(min: 2, max: 4))])
        #expect(small.quantity(of: 0).bounds == Bounds(min: 1, max: 3))

        // A margin smaller than its masked cells can be: clamped (every cell 1), reported, not used for bounds.
        let bad = EstimatedRows(rows: rows.map(\.row), model: Self.model,
                                margins: [SchoolMargin(peildatum: Self.p2024, schoolID: "99AA00", soort: .bo, cell: 3, total: Bounds(exact: 7))])
        #expect(bad.inconsistentMargins.count == 1 && bad.groups.isEmpty)
        #expect(abs(bad.maskedEstimates[0] - 1) < 1e-9 && abs(bad.maskedEstimates[1] - 1) < 1e-9)
        #expect(bad.quantity(of: 0).bounds == Bounds(min: 1, max: 4))

        // A whole-school total is ignored where the school has per-age totals.
        let both = EstimatedRows(rows: rows.map(\.row), model: Self.model,
                                 margins: [margin, SchoolMargin(peildatum: Self.p2024, schoolID: "99AA00", soort: .bo, total: 100)])
        #expect(both.groups == data.groups && both.inconsistentMargins.isEmpty)
        // A school without any margin, and no margins at all: prior means.
        let none = EstimatedRows(rows: rows.map(\.row), model: Self.model)
        #expect(abs(none.maskedEstimates[0] - Self.model.expected(MaskedCellModel.context(rows[0].row, cell: 3))) < 1e-12)
        #expect(none.groups.isEmpty && none.schoolsWithMargins == 0)
    }

    @Test("quantities of the same draws combine draw by draw; of different estimations only conservatively")
    func combiningDraws() throws {
        var rng = SeededGenerator(seed: 4)
        let rows = (0..<120).map { i in Self.row((0..<6).map { _ in [0, 1, 2, 3, 4, 6][Int(rng.unit() * 6)] }, school: "S\(i % 9)") }
        let data = EstimatedRows(rows: rows.map(\.row), model: Self.model)
        var a = Accumulator(), b = Accumulator(), both = Accumulator()
        for i in rows.indices { if i % 2 == 0 { a.add(i, data) } else { b.add(i, data) }; both.add(i, data) }
        let qa = a.quantity(data), qb = b.quantity(data)
        let sum = qa + qb, whole = both.quantity(data)
        #expect(sum.bounds == whole.bounds && sum.interval90 == whole.interval90 && abs(sum.estimate - whole.estimate) < 1e-9)
        #expect(sum.interval90 != nil && sum.interval90!.max - sum.interval90!.min < (qa.interval90!.max - qa.interval90!.min) + (qb.interval90!.max - qb.interval90!.min))
        // Differences and shares from the joint draws.
        let change = Change(qa, minus: qb)
        let i = try #require(change.interval90)
        #expect(change.min < i.min && i.max < change.max)
        let share = try #require(Share(part: qa, rest: qb))
        let s = try #require(share.interval90)
        #expect(share.min < s.lowerBound && s.upperBound < share.max && s.contains(share.estimate))
        // Exact quantities join any draws.
        #expect((qa + Quantity(exact: 10)).interval90 == Bounds(min: qa.interval90!.min + 10, max: qa.interval90!.max + 10))
        // Another estimation of the same rows has other draws: no joint difference, a wider (conservative) sum.
        let other = EstimatedRows(rows: rows.map(\.row), model: Self.model, seed: 7)
        var c = Accumulator()
        for i in rows.indices where i % 2 == 1 { c.add(i, other) }
        let qc = c.quantity(other)
        #expect(Change(qa, minus: qc).interval90 == nil)
        #expect((qa + qc).interval90 == Bounds(min: qa.interval90!.min + qc.interval90!.min, max: qa.interval90!.max + qc.interval90!.max))
        // Draws for some rows only: aggregates of those rows have intervals, any aggregate with another row has none.
        let some = EstimatedRows(rows: rows.map(\.row), model: Self.model, drawsFor: { $0.schoolID == "S1" })
        var inside = Accumulator(), mixed = Accumulator()
        for i in rows.indices where rows[i].row.schoolID == "S1" { inside.add(i, some); mixed.add(i, some) }
        mixed.add(rows.firstIndex { $0.row.schoolID == "S2" && $0.row.maskedBits != 0 }!, some)
        #expect(inside.quantity(some).interval90 != nil && mixed.quantity(some).interval90 == nil)
        #expect(some.maskedEstimates == data.maskedEstimates)
        // Exact quantities have no interval; neither do quantities without draws.
        #expect(Quantity(exact: 3).interval90 == nil)
        #expect(EstimatedRows(rows: rows.map(\.row), model: Self.model, draws: 0).quantity(of: 0).interval90 == nil)
    }

    @Test("the change of a share between two sets of rows of the same draws has a 90% interval inside its true bounds")
    func shareDifference() throws {
        var rng = SeededGenerator(seed: 11)
        let rows = (0..<160).map { i in Self.row((0..<6).map { _ in [0, 1, 2, 3, 4, 6, 9][Int(rng.unit() * 7)] }, school: "S\(i % 9)") }
        let data = EstimatedRows(rows: rows.map(\.row), model: Self.model)
        var parts = [Accumulator](repeating: Accumulator(), count: 4)
        for i in rows.indices { parts[i % 4].add(i, data) }
        let q = parts.map { $0.quantity(data) }
        let before = (part: q[0], rest: q[1]), after = (part: q[2], rest: q[3])
        let a = try #require(Share(part: before.part, rest: before.rest)), b = try #require(Share(part: after.part, rest: after.rest))
        let i = try #require(Share.differenceInterval90(before: before, after: after))
        #expect(b.min - a.max < i.lowerBound && i.upperBound < b.max - a.min, "inside the true bounds, and much narrower")
        #expect(i.contains(b.estimate - a.estimate))
        // Exact counts have no interval; counts of another estimation cannot be combined.
        #expect(Share.differenceInterval90(before: (Quantity(exact: 10), Quantity(exact: 30)), after: (Quantity(exact: 12), Quantity(exact: 30))) == nil)
        let other = EstimatedRows(rows: rows.map(\.row), model: Self.model, seed: 7)
        var c = Accumulator()
        for i in rows.indices where i % 4 == 2 { c.add(i, other) }
        #expect(Share.differenceInterval90(before: before, after: (c.quantity(other), q[3])) == nil)
        // A larger part on the second set: its direction follows from the interval, not from the (wide) bounds.
        var more = parts[2]
        for i in rows.indices where i % 4 == 1 { more.add(i, data) }
        let up = try #require(Share.differenceInterval90(before: before, after: (more.quantity(data), q[3])))
        let bounds = (Share(part: more.quantity(data), rest: q[3])!.min - a.max, Share(part: more.quantity(data), rest: q[3])!.max - a.min)
        #expect(up.lowerBound > 0 && bounds.0 < 0, "the interval excludes 0 while the bounds do not")
        #expect(Direction(low: up.lowerBound, high: up.upperBound, exact: false) == .up)
    }

    @Test("rows drawn from the model itself: the 90% intervals of groups of rows cover about 90% of the truths")
    func coverageOnModelData() {
        var rng = SeededGenerator(seed: 21)
        let model = MaskedCellModel(counts: Self.model.counts, spread: 0)
        var truth: [Accuracy.TruthRow] = []
        for i in 0..<4000 {
            var row = Self.row([], school: "S\(i % 60)").row
            var values = [Int](repeating: 0, count: 23)
            row.maskedBits = (0..<8).reduce(0) { rng.unit() < 0.45 ? $0 | (1 << $1) : $0 }
            for c in 0..<8 where row.maskedBits & (1 << c) != 0 {
                values[c] = ColumnConditional.draw(model.distribution(MaskedCellModel.context(row, cell: c)).p, &rng) + 1
            }
            truth.append(Accuracy.TruthRow(row: row, values: values, province: "P"))
        }
        let data = EstimatedRows(rows: truth.map(\.masked), model: model)
        var covered = 0, groups = 0
        for g in stride(from: 0, to: truth.count, by: 10) {
            var acc = Accumulator()
            for i in g..<(g + 10) { acc.add(i, data) }
            let q = acc.quantity(data), t = truth[g..<(g + 10)].reduce(0) { $0 + $1.total }
            #expect(q.min <= t && t <= q.max)
            groups += 1
            if let i = q.interval90, i.min <= t && t <= i.max { covered += 1 }
        }
        let coverage = Double(covered) / Double(groups)
        #expect(coverage > 0.86 && coverage < 0.95, "coverage \(coverage) of \(groups) groups")
    }
}

/// `EstimatedRows.peildatum`: every peildatum estimated on its own seed and margins, so one year's figures do not
/// depend on the other years, under a draw source its years share.
@Suite("Estimation per peildatum")
struct PerPeildatumEstimationTests {
    static let dates = [Peildatum(year: 2017, month: 10, day: 1)!, Peildatum(year: 2023, month: 10, day: 1)!, Peildatum(year: 2024, month: 10, day: 1)!]

    /// Rows of three peildata (four schools each), with margins for schools S1 and S2 in the later two.
    static func rows(seed: UInt64) -> (rows: [FlowRow], margins: [SchoolMargin]) {
        var rng = SeededGenerator(seed: seed)
        var rows: [FlowRow] = [], margins: [SchoolMargin] = []
        for date in dates {
            var truth: [Accuracy.TruthRow] = []
            for i in 0..<40 {
                let base = EstimatedRowsTests.row((0..<6).map { _ in [0, 1, 1, 2, 3, 4, 6, 9][Int(rng.unit() * 8)] }, school: "S\(i % 4)",
                                                  home: ["0002", "0004", "P10"][i % 3], gemeente: ["0002", "0003"][i % 2])
                var row = base.row
                row.peildatum = date
                truth.append(Accuracy.TruthRow(row: row, values: base.values, province: "P"))
                rows.append(row)
            }
            if date != dates[0] { margins += Accuracy.derivedMargins(truth).filter { ["S1", "S2"].contains($0.schoolID) } }
        }
        return (rows, margins)
    }

    static func quantities(_ data: EstimatedRows, on date: Peildatum) -> [Quantity] {
        var perSchool: [String: Accumulator] = [:], all = Accumulator()
        for i in data.indices(on: date) { perSchool[data.rows[i].schoolID, default: Accumulator()].add(i, data); all.add(i, data) }
        return perSchool.sorted { $0.key < $1.key }.map { $0.value.quantity(data) } + [all.quantity(data)]
    }

    @Test("each year on its own seed and margins; years under one draw source combine draw by draw, others do not")
    func independentYears() throws {
        let (rows, margins) = Self.rows(seed: 3)
        // Draws for schools S0…S2 only, as the report draws for the schools near its region.
        let near: @Sendable (FlowRow) -> Bool = { $0.schoolID != "S3" }
        let source = DrawSource(count: EstimatedRows.defaultDraws)
        var years: [EstimatedRows] = []
        for date in Self.dates {
            let own = rows.filter { $0.peildatum == date }
            let year = EstimatedRows.peildatum(date, rows: own, model: EstimatedRowsTests.model, margins: margins, source: source, drawsFor: near)
            let alone = EstimatedRows(rows: own, model: EstimatedRowsTests.model, margins: margins.filter { $0.peildatum == date },
                                      seed: EstimatedRows.seed(EstimatedRows.defaultSeed, for: date), drawsFor: near)
            let expected = Self.quantities(alone, on: date), got = Self.quantities(year, on: date)
            #expect(expected.count == 5 && got == expected, "\(date)")
            #expect(got[0].interval90 != nil && got.prefix(3).allSatisfy { $0.interval90 != nil || $0.isExact } && got[3].interval90 == nil, "\(date)")
            #expect(year.drawSource === source && (year.schoolsWithMargins > 0) == (date != Self.dates[0]), "\(date)")
            years.append(year)
        }
        // Another date's seed gives other draws: the same rows under the next date's seed move the interval of
        // some quantity (the estimates stay).
        let moved = EstimatedRows.peildatum(Self.dates[2], rows: rows.filter { $0.peildatum == Self.dates[1] }.map { var r = $0; r.peildatum = Self.dates[2]; return r },
                                            model: EstimatedRowsTests.model, source: source, drawsFor: near)
        let own = EstimatedRows.peildatum(Self.dates[1], rows: rows.filter { $0.peildatum == Self.dates[1] }, model: EstimatedRowsTests.model,
                                          source: source, drawsFor: near)
        let (a, b) = (Self.quantities(own, on: Self.dates[1]), Self.quantities(moved, on: Self.dates[2]))
        #expect(zip(a, b).allSatisfy { $0.estimate == $1.estimate } && zip(a, b).contains { $0.interval90 != $1.interval90 })
        // Quantities of two years combine draw by draw under their shared source, as differences between years
        // need; an estimation with a source of its own does not combine with them.
        let x = Self.quantities(years[1], on: Self.dates[1])[0], y = Self.quantities(years[2], on: Self.dates[2])[0]
        #expect(Change(y, minus: x).interval90 != nil)
        let apart = EstimatedRows.peildatum(Self.dates[2], rows: rows.filter { $0.peildatum == Self.dates[2] }, model: EstimatedRowsTests.model,
                                            margins: margins, drawsFor: near)
        #expect(Change(Self.quantities(apart, on: Self.dates[2])[0], minus: x).interval90 == nil)
    }
}
