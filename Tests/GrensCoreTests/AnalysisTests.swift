import Testing
@testable import GrensCore

/// Analysis on hand-made rows: bounds, estimates, margins, year-over-year with a merger.
@Suite("Analysis")
struct AnalysisTests {
    static let p2023 = Peildatum(year: 2023, month: 10, day: 1)!
    static let p2024 = Peildatum(year: 2024, month: 10, day: 1)!

    static let reference = Reference(
        gemeenten: [
            Gemeente(code: "0001", name: "Oudstad", validFrom: nil, validTo: Peildatum(year: 2024, month: 1, day: 1)!, successors: ["0003"]),
            Gemeente(code: "0002", name: "Nieuwdorp", validFrom: nil, validTo: nil, successors: []),
            Gemeente(code: "0003", name: "Samenveld", validFrom: Peildatum(year: 2024, month: 1, day: 1)!, validTo: nil, successors: []),
            Gemeente(code: "0004", name: "Elders", validFrom: nil, validTo: nil, successors: []),
        ],
        aliases: [],
        regions: [RegionMember(region: "r", regionName: "Regio", code: "0002", validFrom: nil, validTo: nil),
                  RegionMember(region: "r", regionName: "Regio", code: "0003", validFrom: nil, validTo: nil)],
        swvs: [], swvAreas: [])

    static func row(_ date: Peildatum, home: String, school: String, exact: Int, masked: Int, id: String = "99AA00", soort: Soort = .bo) -> FlowRow {
        FlowRow(peildatum: date, soort: soort, schoolID: id, schoolName: "School", schoolGemeente: school, schoolPC4: "1234",
                homeCode: home, homePC4: "1235", exact: exact, maskedBits: (1 << masked) - 1)
    }

    @Test("matrix cells carry min = exact + masked and max = exact + 4·masked")
    func bounds() {
        let rows = [Self.row(Self.p2024, home: "0002", school: "0002", exact: 30, masked: 2),
                    Self.row(Self.p2024, home: "0002", school: "0003", exact: 0, masked: 3),
                    Self.row(Self.p2024, home: "0004", school: "0002", exact: 7, masked: 0)]
        let grouping = Grouping(region: "r", members: ["0002", "0003"], neighbours: [], reference: Self.reference)
        let data = EstimatedRows(rows: rows, model: .naive)
        let m = Analysis.matrix(data, peildatum: Self.p2024, soort: .po, grouping: grouping)
        let i = { (code: String) in m.groups.firstIndex(of: code)! }
        #expect(m.cells[i("0002")][i("0002")].bounds == Bounds(min: 32, max: 38))
        #expect(m.cells[i("0002")][i("0003")].bounds == Bounds(min: 3, max: 12))
        #expect(m.cells[i(Grouping.rest)][i("0002")].bounds == Bounds(exact: 7))
        #expect(m.total.bounds == Bounds(min: 42, max: 57))
        #expect(m.cells[i("0002")][i("0002")].estimate == 35)   // naive: 2.5 per <5
    }

    @Test("property: estimates stay inside bounds for random rows, models and margins")
    func estimateInsideBounds() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var rows: [FlowRow] = []
            var margins: [SchoolMargin] = []
            for s in 0..<3 {
                let id = "99A\(s)00"
                var total = 0
                for _ in 0..<Int.random(in: 1...6, using: &rng) {
                    let values = (0..<6).map { _ in Int.random(in: 0...8, using: &rng) }
                    let exact = values.filter { $0 >= 5 }.reduce(0, +)
                    let bits = values.enumerated().reduce(0) { (1...4).contains($1.element) ? $0 | (1 << $1.offset) : $0 }
                    total += values.reduce(0, +)
                    rows.append(FlowRow(peildatum: Self.p2024, soort: [Soort.bo, .so].randomElement(using: &rng)!, schoolID: id, schoolName: "x",
                                        schoolGemeente: ["0002", "0003"].randomElement(using: &rng)!, schoolPC4: "1234",
                                        homeCode: ["0002", "0004", "P10"].randomElement(using: &rng)!, homePC4: "2000",
                                        exact: exact, maskedBits: bits))
                }
                if Bool.random(using: &rng) {
                    for soort in [Soort.bo, .so] {
                        let t = rows.filter { $0.schoolID == id && $0.soort == soort }
                        if !t.isEmpty { margins.append(SchoolMargin(peildatum: Self.p2024, schoolID: id, soort: soort,
                                                                    total: t.reduce(0) { $0 + $1.exact + $1.maskedCount + Int.random(in: 0...(3 * $1.maskedCount), using: &rng) })) }
                    }
                }
                _ = total
            }
            let counts = SIMD4<Int>((0..<4).map { _ in Int.random(in: 5...40, using: &rng) })
            let model = MaskedCellModel(counts: [MaskedCellModel.context(rows[0], cell: 0): counts], spread: 0.3)
            let data = EstimatedRows(rows: rows, model: model, margins: margins)
            for i in rows.indices {
                let q = data.quantity(of: i)
                #expect(Double(q.min) - 1e-6 <= q.estimate && q.estimate <= Double(q.max) + 1e-6)
            }
            var all = Accumulator()
            for i in rows.indices { all.add(i, data) }
            let q = all.quantity(data)
            #expect(Double(q.min) - 1e-6 <= q.estimate && q.estimate <= Double(q.max) + 1e-6)
        }
    }

    @Test("an exact school margin tightens bounds and estimates")
    func marginsTighten() {
        // One school, two flows with 3 and 2 masked cells; school total says the masked cells add up to 6.
        let rows = [Self.row(Self.p2024, home: "0002", school: "0002", exact: 20, masked: 3),
                    Self.row(Self.p2024, home: "0004", school: "0002", exact: 0, masked: 2)]
        let without = EstimatedRows(rows: rows, model: .naive)
        let with = EstimatedRows(rows: rows, model: .naive, margins: [SchoolMargin(peildatum: Self.p2024, schoolID: "99AA00", soort: .bo, total: 26)])
        #expect(without.quantity(of: 1).bounds == Bounds(min: 2, max: 8))
        // k = 5 masked cells, M = 6: two of them lie in [max(2, 6 − 4·3), min(8, 6 − 3)] = [2, 3].
        #expect(with.quantity(of: 1).bounds == Bounds(min: 2, max: 3))
        #expect(with.quantity(of: 0).bounds == Bounds(min: 23, max: 24))
        #expect(abs(with.quantity(of: 0).estimate + with.quantity(of: 1).estimate - 26) < 1e-9)
        #expect(with.inconsistentMargins.isEmpty)
        // A margin that contradicts the flows is ignored and reported.
        let bad = EstimatedRows(rows: rows, model: .naive, margins: [SchoolMargin(peildatum: Self.p2024, schoolID: "99AA00", soort: .bo, total: 100)])
        #expect(bad.inconsistentMargins.count == 1)
        #expect(bad.quantity(of: 1).bounds == Bounds(min: 2, max: 8))
    }

    @Test("year over year on today's gemeenten: a merger maps the old gemeente to its successor")
    func yearOverYearWithMerger() {
        let rows = [Self.row(Self.p2023, home: "0001", school: "0002", exact: 10, masked: 0),
                    Self.row(Self.p2023, home: "0002", school: "0001", exact: 5, masked: 0, id: "99BB00"),
                    Self.row(Self.p2024, home: "0003", school: "0002", exact: 14, masked: 1),
                    Self.row(Self.p2024, home: "0002", school: "0003", exact: 0, masked: 0, id: "99BB00")]
        let grouping = Grouping(region: "r", members: ["0002", "0003"], neighbours: [], reference: Self.reference)
        var mapped = rows
        _ = Analysis.mapToGemeenten(of: Self.p2024, rows: &mapped, reference: Self.reference, grouping: grouping)
        #expect(mapped[0].homeCode == "0003" && mapped[1].schoolGemeente == "0003")
        let data = EstimatedRows(rows: mapped, model: .naive)
        let report = Report.build(data: data, reference: Self.reference, grouping: grouping, regionName: "Regio", sources: [],
                                  estimatorSource: "test", notes: [])
        let change = report.changes.first { $0.soort == .bo && $0.home == "0003" && $0.school == "0002" }!
        #expect(change.before.bounds == Bounds(exact: 10))
        #expect(change.after.bounds == Bounds(min: 15, max: 18))
        #expect(change.change.min == 5 && change.change.max == 8)
        let ended = report.changes.first { $0.soort == .bo && $0.home == "0002" && $0.school == "0003" }!
        #expect(ended.hasEnded && !ended.isNew)
    }

    @Test("a soort's code is its DUO spelling in lower case, and a selection covers the soorten of its sector or its own")
    func soortSelections() {
        #expect(Soort.allCases.map(\.code) == Soort.allCases.map { $0.rawValue.lowercased() })
        for selection in SoortSelection.allCases {
            for soort in Soort.allCases {
                let expected = selection == .alle || (selection == .po && soort != .vo) || selection.rawValue == soort.rawValue.lowercased()
                #expect(selection.includes(soort) == expected, "\(selection) \(soort)")
            }
        }
        #expect(SoortSelection.po.includes(Soort.bo) && SoortSelection.alle.includes(Soort.vso) && !SoortSelection.vo.includes(Soort.bo))
        #expect(SoortSelection.po.includes(SoortSelection.bo) && !SoortSelection.bo.includes(SoortSelection.po) && SoortSelection.alle.includes(SoortSelection.vo))
    }
}
