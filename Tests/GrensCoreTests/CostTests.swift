import Testing
import GrensTestSupport
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

    /// Checks the largest-remainder properties exactly (in 128 bits): the parts add up to the total, every part
    /// is the floor of its quota or one more, and the extra cents went to remainders no smaller than those that
    /// got none (ties to the earlier position).
    func checkLargestRemainder(_ total: Int, _ weights: [Int], _ context: String) {
        let parts = largestRemainder(totalCents: total, weights: weights)
        let sum = weights.reduce(Int128(0)) { $0 + Int128($1) }
        #expect(parts.count == weights.count, "\(context)")
        #expect(parts.reduce(Int128(0)) { $0 + Int128($1) } == (sum > 0 ? Int128(total) : 0), "\(context)")
        guard sum > 0 else { #expect(parts.allSatisfy { $0 == 0 }, "\(context)"); return }
        var raised: [(remainder: Int128, index: Int)] = [], kept: [(remainder: Int128, index: Int)] = []
        for (i, (p, w)) in zip(parts, weights).enumerated() {
            let exact = Int128(total) * Int128(w)
            let floor = exact / sum
            #expect(Int128(p) == floor || Int128(p) == floor + 1, "\(context): part \(i) is \(p), quota \(floor) + \(exact % sum)/\(sum)")
            if w == 0 { #expect(p == 0, "\(context)") }
            if Int128(p) == floor + 1 { raised.append((exact % sum, i)) } else { kept.append((exact % sum, i)) }
        }
        for r in raised {
            for k in kept {
                #expect(r.remainder > k.remainder || (r.remainder == k.remainder && r.index < k.index),
                        "\(context): position \(r.index) got the extra cent before \(k.index)")
            }
        }
    }

    @Test("largest remainder: exact on many random inputs, small and near the largest amounts")
    func sumProperty() {
        var rng = SplitMix64(seed: 0x6772_656E_7331)
        for round in 0..<2000 {
            let n = rng.int(1...40)
            let weights = (0..<n).map { _ in rng.int(0...2) == 0 ? rng.int(0...5) : rng.int(0...1_000_000_000_000) }
            let total: Int
            switch round % 4 {
            case 0: total = rng.int(0...100_000)
            case 1: total = rng.int(0...CostItem.maxTotalCents)
            case 2: total = CostItem.maxTotalCents - rng.int(0...1000)
            default: total = Int.max - rng.int(0...1000)
            }
            checkLargestRemainder(total, weights, "seed \(rng.seed), round \(round): total \(total), weights \(weights)")
        }
    }

    @Test("ties are deterministic: the leftover cent goes to the earliest position (lowest gemeente code)")
    func ties() {
        #expect(largestRemainder(totalCents: 100, weights: [1, 1, 1]) == [34, 33, 33])
        #expect(largestRemainder(totalCents: 200, weights: [1, 1, 1]) == [67, 67, 66])
        // Quotas 33.67, 16.83, 16.83, 33.67: the two .83 first, then the tie at .67 goes to position 0, not 3.
        #expect(largestRemainder(totalCents: 101, weights: [2, 1, 1, 2]) == [34, 17, 17, 33])
        #expect(largestRemainder(totalCents: 100, weights: [1, 1, 1]) == largestRemainder(totalCents: 100, weights: [1, 1, 1]))
        // At the largest totals a remainder one weight unit larger still wins the cent.
        let w = 1_000_000_000_000
        #expect(largestRemainder(totalCents: CostItem.maxTotalCents, weights: [w, w + 1, w]) == [33_333_333_333, 33_333_333_334, 33_333_333_333])
    }

    @Test("amounts above the maximum are refused as too large, not as 'geen bedrag', and never crash")
    func largeAmounts() throws {
        func refused(_ line: String, field: String, _ fragment: String) {
            do {
                _ = try item("naam: X\npeildatum: 2024-10-01\n" + line + "\nsoort: so\n")
                Issue.record("accepted: \(line)")
            } catch let error as InputError {
                #expect(error.line == 3 && error.column == field, "\(error)")
                #expect(error.message == fragment, "\(error.message)")
            } catch { Issue.record("\(error)") }
        }
        refused("tarief: € 999.999.999.999,99", field: "tarief", "'€ 999.999.999.999,99' is te groot; verwacht hoogstens € 1.000.000,00 per leerling")
        refused("tarief: € 1.000.000,01", field: "tarief", "'€ 1.000.000,01' is te groot; verwacht hoogstens € 1.000.000,00 per leerling")
        refused("bedrag: € 999.999.999.999,99", field: "bedrag", "'€ 999.999.999.999,99' is te groot; verwacht hoogstens € 1.000.000.000,00")
        refused("bedrag: 1.000.000.000,01", field: "bedrag", "'1.000.000.000,01' is te groot; verwacht hoogstens € 1.000.000.000,00")
        refused("bedrag: 123456789012345678901234567890", field: "bedrag",
                "'123456789012345678901234567890' is te groot; verwacht hoogstens € 1.000.000.000,00")
        // The maxima themselves are accepted and split exactly.
        let most = try split("naam: M\npeildatum: 2024-10-01\nbedrag: € 1.000.000.000,00\nsoort: so\n")
        #expect(most.totalCents == CostItem.maxTotalCents)
        #expect(most.lines.map(\.cents) == [54_054_054_054, 32_432_432_432, 13_513_513_514])
        #expect(most.lines.map(\.cents).reduce(0, +) == CostItem.maxTotalCents)
        let tariff = try split("naam: T\npeildatum: 2024-10-01\ntarief: € 1.000.000,00\nsoort: so\ndeelnemers: 0001, 0002, 0003\n")
        #expect(tariff.totalCents == 1_850_000_000)
        #expect(tariff.lines.map(\.cents) == [1_000_000_000, 600_000_000, 250_000_000])
        #expect(tariff.lines[2].minCents == 100_000_000 && tariff.lines[2].maxCents == 400_000_000)

        // The largest tariff times the most pupils a split may hold: exact, no overflow; one pupil more is refused.
        func crowd(_ rows: Int) -> EstimatedRows {
            EstimatedRows(rows: (0..<rows).map { i in Self.row("99CC\(10 + i)", .so, "0001", home: i % 2 == 0 ? "0001" : "0002", exact: 99_999_999, masked: 0) }
                + [Self.row("99CC99", .so, "0001", home: "0003", exact: CostSplit.maxPupils - rows * 99_999_999 - 4, masked: 1)], model: .naive)
        }
        let text = "naam: T\npeildatum: 2024-10-01\ntarief: € 1.000.000,00\nsoort: so\n"
        let full = try CostSplit.compute(try item(text), data: crowd(10), reference: Self.reference)
        #expect(full.chargeable.max == CostSplit.maxPupils)
        #expect(full.totalCents == CostItem.maxTariffCents * (CostSplit.maxPupils - 2) + CostItem.maxTariffCents / 2)
        #expect(full.lines.map(\.cents).reduce(0, +) == full.totalCents)
        #expect(full.lines[2].maxCents == CostItem.maxTariffCents * 10)
        let over = EstimatedRows(rows: crowd(10).rows + [Self.row("99CC98", .so, "0001", home: "0001", exact: 1, masked: 0)], model: .naive)
        #expect(throws: InputError.self) { try CostSplit.compute(try item(text), data: over, reference: Self.reference) }
    }

    @Test("amount ranges are exact fractions of the total: floor of the least share, ceiling of the largest")
    func exactRanges() throws {
        // € 1,70: 0002 has 6 exact pupils, the others 10 and 1…4, so its share is at most 6/17 and its amount at
        // most 170 × 6 / 17 = 60 cents exactly (a floating-point share rounds this up to 61).
        let s = try split("naam: R\npeildatum: 2024-10-01\nbedrag: 1,70\nvestigingen: 99AA00\n")
        #expect(s.lines.map(\.gemeente) == ["0001", "0002", "0003"])
        #expect(s.lines[1].maxCents == 60)
        #expect(s.lines[1].minCents == 51)  // 6 / (6 + 14): 0003 at its maximum of 4
        #expect(s.lines[0].minCents == 85 && s.lines[0].maxCents == 100)  // 10/20 and 10/17 of 170, floor and ceiling
        #expect(s.lines[2].minCents == 10 && s.lines[2].maxCents == 34)  // 1/17 and 4/20 of 170
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

    @Test("every line carries the whole number it was weighed with, so the amount can be recomputed from what is shown")
    func keyUnits() throws {
        let pupils = try split("naam: Test\npeildatum: 2024-10-01\nbedrag: € 1.000,00\nvestigingen: 99AA00\n")
        // Thousandths of a pupil: estimates 10, 6 and 2,5 (the naive <5).
        #expect(pupils.lines.map(\.keyUnits) == [10_000, 6_000, 2_500] && pupils.keyUnitsTotal == 18_500)
        for line in pupils.lines {
            // total × units / Σ units, within one cent (largest remainder).
            let quota = Double(pupils.totalCents) * Double(line.keyUnits) / Double(pupils.keyUnitsTotal)
            #expect(abs(Double(line.cents) - quota) < 1, "\(line.gemeente)")
        }
        let tariff = try split("naam: T\npeildatum: 2024-10-01\ntarief: € 10,00\nschoolgemeenten: 0001\ndeelnemers: 0001, 0002, 0003\n")
        for line in tariff.lines { #expect(abs(Double(line.cents) - 1000 * Double(line.keyUnits) / 1000) < 1, "\(line.gemeente)") }
        let equal = try split("naam: G\npeildatum: 2024-10-01\nbedrag: 100,00\nsleutel: gelijk\nsoort: so, bo\ndeelnemers: regio r\n")
        #expect(equal.lines.map(\.keyUnits) == [1, 1, 1])
        let fixed = try split("naam: V\npeildatum: 2024-10-01\nbedrag: 1.000\nsleutel: vast\nsoort: so\naandelen: 0001=33,34; 0002=33,33; 0003=33,33\n")
        #expect(fixed.lines.map(\.keyUnits) == [3334, 3333, 3333] && fixed.keyUnitsTotal == 10_000)
    }

    @Test("item files are UTF-8: other bytes are refused at their line and column; a BOM is fine")
    func encoding() throws {
        func refused(_ bytes: [UInt8], line: Int, column: String, _ message: String) {
            do {
                _ = try CostItem.parse(bytes, file: "post.txt", reference: Self.reference)
                Issue.record("accepted: \(bytes)")
            } catch {
                #expect(error == InputError(file: "post.txt", line: line, column: column, message: message), "\(error)")
            }
        }
        let tail = Array("peildatum: 2024-10-01\nbedrag: 10,00\nsoort: so\n".utf8)
        // Windows-1252 "ö" (0xF6) after "naam: Co": column 9.
        refused(Array("naam: Co".utf8) + [0xF6] + Array("rdinator\n".utf8) + tail, line: 1, column: "9",
                "het bestand is geen UTF-8 (byte 0xF6); sla het bestand op als UTF-8")
        // Line 3, after a valid two-byte "é": columns count characters, not bytes.
        refused(tail.prefix(22) + Array("bedrag: € 10,00 é ".utf8) + [0x80, 0x0A] + Array("soort: so\n".utf8) + Array("naam: X\n".utf8),
                line: 2, column: "19", "het bestand is geen UTF-8 (byte 0x80); sla het bestand op als UTF-8")
        refused([0xFF, 0xFE] + Array("naam".utf8), line: 1, column: "1", "het bestand is geen UTF-8 (byte 0xFF); sla het bestand op als UTF-8")
        refused(Array("naam: X\n".utf8) + tail + [0x00], line: 5, column: "1",
                "het bestand bevat een NUL-byte (UTF-16?); sla het bestand op als UTF-8")
        let bom = try CostItem.parse([0xEF, 0xBB, 0xBF] + Array("naam: Coördinator\n".utf8) + tail, file: "post.txt", reference: Self.reference)
        #expect(bom.name == "Coördinator")
    }

    @Test("an empty item file, or one with only comments, is refused as such")
    func emptyFile() {
        for text in ["", "\n\n", "# alleen commentaar\n   \n"] {
            #expect(throws: InputError(file: "post.txt", line: nil, column: nil,
                                       message: "het bestand bevat geen velden (leeg of alleen commentaar); verwacht regels 'veld: waarde', zie data/kosten/README.md")) {
                try item(text)
            }
        }
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

@Suite("Cost item messages")
struct CostItemMessageTests {
    @Test("a huge line or value in a cost item is never echoed whole")
    func hugeInput() throws {
        let huge = String(repeating: "x", count: 1_000_000)
        for text in [huge + "\n", "naam: a\npeildatum: \(huge)\n", "naam: a\npeildatum: 2024-10-01\nbedrag: \(huge)\n",
                     "naam: a\npeildatum: 2024-10-01\nbedrag: € 1,00\nsoort: \(huge)\n"] {
            do {
                _ = try CostItem.parse(Array(text.utf8), file: "k.txt", reference: CostTests.reference)
                Issue.record("accepted")
            } catch {
                #expect(error.description.count < 400, "\(error.description.prefix(200))")
                #expect(error.description.contains("1.000.0"), "\(error.description.prefix(200))")
            }
        }
    }
}
