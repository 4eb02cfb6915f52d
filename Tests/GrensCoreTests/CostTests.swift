import Testing
@testable import GrensCore

@Suite("Cost splits")
struct CostTests {
    static let p2024 = Peildatum(year: 2024, month: 10, day: 1)!
    static let reference = Reference(
        gemeenten: ["0001", "0002", "0003", "0004"].map { Gemeente(code: $0, name: "Gemeente \($0)", validFrom: nil, validTo: nil, successors: []) },
        aliases: [],
        regions: ["0001", "0002", "0003"].map { RegionMember(region: "r", regionName: "Regio", code: $0, validFrom: nil, validTo: nil) },
        swvs: [Swv(code: "PO9901", sector: .po, name: "Test-swv")],
        swvAreas: [SwvArea(swv: "PO9901", gemeente: "0001", pc4: nil, validFrom: nil, validTo: nil)])

    /// School 99AA00 (So, gemeente 0001): 0001 ×10 exact, 0002 ×6 exact, 0003 one <5, abroad ×5.
    /// School 99BB00 (Bo, gemeente 0002): 0002 ×20.
    static let data = EstimatedRows(rows: [
        row("99AA00", .so, "0001", home: "0001", exact: 10, masked: 0),
        row("99AA00", .so, "0001", home: "0002", exact: 6, masked: 0),
        row("99AA00", .so, "0001", home: "0003", exact: 0, masked: 1),
        row("99AA00", .so, "0001", home: "P10", exact: 5, masked: 0),
        row("99BB00", .bo, "0002", home: "0002", exact: 20, masked: 0),
    ], model: .naive)

    static func row(_ id: String, _ soort: Soort, _ gemeente: String, home: String, exact: Int, masked: Int) -> FlowRow {
        FlowRow(peildatum: p2024, soort: soort, schoolID: id, schoolName: "School \(id)", schoolGemeente: gemeente, schoolPC4: "1234",
                homeCode: home, homePC4: "1235", exact: exact, maskedBits: (1 << masked) - 1)
    }

    func item(_ text: String) throws -> CostItem {
        try CostItem.parse(Array(text.utf8), file: "post.txt", reference: Self.reference)
    }

    func split(_ text: String) throws -> CostSplit {
        try CostSplit.compute(try item(text), data: Self.data, reference: Self.reference)
    }

    @Test("largest remainder: parts add up exactly to the total, on many random inputs")
    func sumProperty() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let n = Int.random(in: 1...40, using: &rng)
            let weights = (0..<n).map { _ in Bool.random(using: &rng) ? Double(Int.random(in: 0...5, using: &rng)) : Double.random(in: 0...1000, using: &rng) }
            let total = Int.random(in: 0...100_000_000_00, using: &rng)
            let parts = largestRemainder(totalCents: total, weights: weights)
            let sum = weights.reduce(0, +)
            #expect(parts.reduce(0, +) == (sum > 0 ? total : 0))
            #expect(parts.allSatisfy { $0 >= 0 })
            if sum > 0 {
                // Nobody is more than one cent away from their exact quota.
                for (p, w) in zip(parts, weights) { #expect(abs(Double(p) - Double(total) * w / sum) < 1.000001) }
                for (p, w) in zip(parts, weights) where w == 0 { #expect(p == 0) }
            }
        }
    }

    @Test("ties are deterministic: the leftover cent goes to the earliest position (lowest gemeente code)")
    func ties() {
        #expect(largestRemainder(totalCents: 100, weights: [1, 1, 1]) == [34, 33, 33])
        #expect(largestRemainder(totalCents: 200, weights: [1, 1, 1]) == [67, 67, 66])
        // Quotas 33.67, 16.83, 16.83, 33.67: the two .83 first, then the tie at .67 goes to position 0, not 3.
        #expect(largestRemainder(totalCents: 101, weights: [2, 1, 1, 2]) == [34, 17, 17, 33])
        #expect(largestRemainder(totalCents: 100, weights: [1, 1, 1]) == largestRemainder(totalCents: 100, weights: [1, 1, 1]))
    }

    @Test("key leerlingen: by pupils per home gemeente, abroad not charged, range from the bounds")
    func pupilsKey() throws {
        let s = try split("naam: Test\npeildatum: 2024-10-01\nbedrag: € 1.000,00\nvestigingen: 99AA00 (een so-school)\n")
        #expect(s.lines.map(\.gemeente) == ["0001", "0002", "0003"])
        #expect(s.lines.map(\.cents).reduce(0, +) == 100_000)
        // Estimates 10, 6, 2.5 of 18.5.
        #expect(s.lines.map(\.cents) == [54054, 32432, 13514])
        #expect(s.uncharged.map(\.code) == ["P10"])
        let masked = s.lines[2]
        #expect(masked.pupils.bounds == Bounds(min: 1, max: 4))
        // Share of 0003 lies in [1/17, 4/20].
        #expect(masked.minCents == Int((100_000.0 / 17).rounded(.down)) && masked.maxCents == 20_000)
        #expect(s.lines[0].minCents < s.lines[0].cents && s.lines[0].cents < s.lines[0].maxCents)
    }

    @Test("key gelijk, vast and tarief")
    func otherKeys() throws {
        let equal = try split("naam: G\npeildatum: 2024-10-01\nbedrag: 100,00\nsleutel: gelijk\nsoort: so, bo\ndeelnemers: regio r\n")
        #expect(equal.lines.map(\.cents) == [3334, 3333, 3333])
        let fixed = try split("naam: V\npeildatum: 2024-10-01\nbedrag: 1.000\nsleutel: vast\nsoort: so\naandelen: 0001=33,34; 0002=33,33; 0003=33,33\n")
        #expect(fixed.lines.map(\.cents) == [33340, 33330, 33330])
        #expect(fixed.lines.allSatisfy { $0.minCents == $0.cents && $0.maxCents == $0.cents })
        let tariff = try split("naam: T\npeildatum: 2024-10-01\ntarief: € 10,00\nschoolgemeenten: 0001\ndeelnemers: 0001, 0002, 0003\n")
        #expect(tariff.totalCents == 18_500)
        #expect(tariff.lines.map(\.cents) == [10000, 6000, 2500])
        #expect(tariff.lines[2].minCents == 1000 && tariff.lines[2].maxCents == 4000)
        let bySwv = try split("naam: S\npeildatum: 2024-10-01\nbedrag: 10,00\nswv: PO9901\n")
        #expect(bySwv.schools == ["99AA00"])
    }

    @Test("refusals name the file, the line and the field")
    func refusals() throws {
        func refused(_ text: String, line: Int?, field: String?, _ fragment: String) {
            do {
                _ = try split(text)
                Issue.record("accepted: \(text)")
            } catch let error as InputError {
                #expect(error.file == "post.txt")
                #expect(error.line == line && error.column == field, "\(error)")
                #expect(error.message.contains(fragment), "\(error.message)")
            } catch { Issue.record("\(error)") }
        }
        let head = "naam: X\npeildatum: 2024-10-01\n"
        refused(head + "bedrag: 10,00\nvestigingen: 99ZZ00\n", line: 4, field: "vestigingen", "komt niet voor")
        refused(head + "bedrag: 10,00\nschoolgemeenten: 0999\n", line: 4, field: "schoolgemeenten", "gemeente 0999 is onbekend")
        refused(head + "bedrag: 10,00\nsoort: so\ndeelnemers: 0001, 9999\n", line: 5, field: "deelnemers", "9999 is onbekend")
        refused(head + "bedrag: 10,00\nsleutel: vast\nsoort: so\naandelen: 0001=50; 0002=40\n", line: 6, field: "aandelen", "90,00%; verwacht precies 100%")
        refused(head + "bedrag: -10,00\nsoort: so\n", line: 3, field: "bedrag", "negatief")
        refused(head + "tarief: € -5\nsoort: so\n", line: 3, field: "tarief", "negatief")
        refused(head + "bedrag: 10,5,5\nsoort: so\n", line: 3, field: "bedrag", "geen bedrag")
        refused(head + "soort: so\n", line: nil, field: "bedrag", "bedrag ontbreekt")
        refused(head + "bedrag: 1\nsoort: mbo\n", line: 4, field: "soort", "geen schoolsoort")
        refused(head + "bedrag: 1\nkleur: blauw\n", line: 4, field: "kleur", "onbekend veld")
        refused(head + "bedrag: 1\n", line: nil, field: "vestigingen", "geen scholen gekozen")
        refused("naam: X\npeildatum: 2023-10-01\nbedrag: 1\nsoort: so\n", line: 2, field: "peildatum", "geen leerlingstromen met peildatum 2023-10-01")
        refused(head + "bedrag: 1\nsoort: bo\ndeelnemers: 0003\n", line: 5, field: "deelnemers", "geen van de deelnemers")
        refused(head + "bedrag: 1\nsoort: so\ndeelnemers: regio onbekend\n", line: 5, field: "deelnemers", "regio 'onbekend'")
    }
}
