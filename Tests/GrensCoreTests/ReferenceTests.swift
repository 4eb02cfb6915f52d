import Foundation
import Testing
@testable import GrensCore

private func d(_ iso: String) -> Peildatum { Peildatum(iso: iso)! }
private let y2017 = d("2017-10-01")
private let y2024 = d("2024-10-01")

/// A tiny reference: aliases, validity, the two Bergens, diacritics, a merger (Aalburg/Werkendam → Altena 2019),
/// a split (Littenseradiel 2018), a rename chain and a reused name.
private func tinyReference(pc4Table: [String: PC4Assignment] = [:], extraAliases: [(alias: String, code: String, from: Peildatum?, to: Peildatum?)] = []) -> Reference {
    func g(_ code: String, _ name: String, from: String? = nil, to: String? = nil, _ successors: [String] = []) -> Gemeente {
        Gemeente(code: code, name: name, validFrom: from.map(d), validTo: to.map(d), successors: successors)
    }
    return Reference(
        gemeenten: [
            g("0503", "Delft"),
            g("0518", "'s-Gravenhage"),
            g("0820", "Nuenen, Gerwen en Nederwetten"),
            g("0373", "Bergen (NH.)"),
            g("0893", "Bergen (L.)"),
            g("1900", "Súdwest-Fryslân"),
            g("0080", "Leeuwarden"),
            g("1949", "Waadhoeke", from: "2018-01-01"),
            g("0140", "Littenseradiel", to: "2018-01-01", ["0080", "1900", "1949"]),
            g("0738", "Aalburg", to: "2019-01-01", ["1959"]),
            g("0870", "Werkendam", to: "2019-01-01", ["1959"]),
            g("1959", "Altena", from: "2019-01-01"),
            // A chain: 0001 → 0002 (2016) → 0003 (2021); and a name reused by a later code.
            g("0001", "Oudstad", to: "2016-01-01", ["0002"]),
            g("0002", "Middenstad", from: "2016-01-01", to: "2021-01-01", ["0003"]),
            g("0003", "Oudstad", from: "2021-01-01"),
        ],
        aliases: [
            ("Nuenen c.a.", "0820", nil, nil),
            ("Sudwest-Fryslan", "1900", nil, nil),
            ("Den Haag", "0518", d("2020-01-01"), nil),
        ] + extraAliases,
        regions: [
            RegionMember(region: "r", regionName: "Regio", code: "0503", validFrom: nil, validTo: nil),
            RegionMember(region: "r", regionName: "Regio", code: "0738", validFrom: nil, validTo: d("2019-01-01")),
            RegionMember(region: "r", regionName: "Regio", code: "1959", validFrom: d("2019-01-01"), validTo: nil),
        ],
        swvs: [Swv(code: "PO1", sector: .po, name: "Een"), Swv(code: "PO2", sector: .po, name: "Twee"),
               Swv(code: "VO1", sector: .vo, name: "Vo")],
        swvAreas: [
            SwvArea(swv: "PO1", gemeente: "0503", pc4: nil, validFrom: nil, validTo: nil),
            SwvArea(swv: "PO2", gemeente: "0503", pc4: "2625", validFrom: nil, validTo: nil),
            SwvArea(swv: "VO1", gemeente: "0503", pc4: nil, validFrom: nil, validTo: nil),
        ],
        pc4Table: pc4Table)
}

@Suite("Reference: names, dates, successors, home resolution")
struct ReferenceTests {
    @Test("official names and aliases resolve; diacritics, case and surrounding spaces do not matter")
    func names() {
        let ref = tinyReference()
        #expect(ref.gemeente(named: "Delft", on: y2024) == "0503")
        #expect(ref.gemeente(named: "Nuenen, Gerwen en Nederwetten", on: y2024) == "0820")
        #expect(ref.gemeente(named: "Nuenen c.a.", on: y2024) == "0820")
        #expect(ref.gemeente(named: "Súdwest-Fryslân", on: y2024) == "1900")
        #expect(ref.gemeente(named: "Sudwest-Fryslan", on: y2024) == "1900")
        #expect(ref.gemeente(named: "SÚDWEST-FRYSLÂN", on: y2024) == "1900")
        #expect(ref.gemeente(named: "  sudwest-fryslân ", on: y2024) == "1900")
        #expect(ref.gemeente(named: "'S-GRAVENHAGE", on: y2024) == "0518")
    }

    @Test("Bergen (L.) and Bergen (NH.) stay apart; a bare Bergen resolves to nothing")
    func bergen() {
        let ref = tinyReference()
        #expect(ref.gemeente(named: "Bergen (L.)", on: y2024) == "0893")
        #expect(ref.gemeente(named: "Bergen (NH.)", on: y2024) == "0373")
        #expect(ref.gemeente(named: "bergen (nh.)", on: y2024) == "0373")
        #expect(ref.gemeente(named: "Bergen", on: y2024) == nil)
        // Even when someone adds "Bergen" as an alias of both, the ambiguity is not guessed away.
        let ambiguous = tinyReference(extraAliases: [("Bergen", "0373", nil, nil), ("Bergen", "0893", nil, nil)])
        #expect(ambiguous.gemeente(named: "Bergen", on: y2024) == nil)
        #expect(ambiguous.resolveHome(pc4: "1861", name: "Bergen", code: nil, on: y2024) == HomeResolution(code: nil, method: .unresolved))
    }

    @Test("names and aliases only count on dates they are valid (half-open intervals)")
    func validity() {
        let ref = tinyReference()
        #expect(ref.gemeente(named: "Aalburg", on: y2017) == "0738")
        #expect(ref.gemeente(named: "Aalburg", on: y2024) == nil)
        #expect(ref.gemeente(named: "Aalburg", on: d("2018-12-31")) == "0738")
        #expect(ref.gemeente(named: "Aalburg", on: d("2019-01-01")) == nil)
        #expect(ref.gemeente(named: "Altena", on: y2017) == nil)
        #expect(ref.gemeente(named: "Altena", on: d("2019-01-01")) == "1959")
        #expect(ref.gemeente(named: "Den Haag", on: y2017) == nil)
        #expect(ref.gemeente(named: "Den Haag", on: y2024) == "0518")
        // A name reused by a later code resolves to the code of that date.
        #expect(ref.gemeente(named: "Oudstad", on: d("2015-10-01")) == "0001")
        #expect(ref.gemeente(named: "Oudstad", on: y2017) == nil)
        #expect(ref.gemeente(named: "Oudstad", on: y2024) == "0003")
        #expect(ref.gemeenten["0738"]!.exists(on: y2017))
        #expect(!ref.gemeenten["0738"]!.exists(on: y2024))
    }

    @Test("unknown names stay unresolved")
    func unknown() {
        let ref = tinyReference()
        #expect(ref.gemeente(named: "Atlantis", on: y2024) == nil)
        #expect(ref.gemeente(named: "", on: y2024) == nil)
        #expect(ref.resolveHome(pc4: "9999", name: "Atlantis", code: nil, on: y2024) == HomeResolution(code: nil, method: .unresolved))
    }

    @Test("successors follow a merger, a split and a chain forward, and only once the change has happened")
    func successors() {
        let ref = tinyReference()
        #expect(ref.successors(of: "0738", on: y2017) == ["0738"])
        #expect(ref.successors(of: "0738", on: y2024) == ["1959"])
        #expect(ref.successors(of: "0870", on: y2024) == ["1959"])
        #expect(ref.successors(of: "0140", on: y2017) == ["0140"])
        #expect(ref.successors(of: "0140", on: y2024) == ["0080", "1900", "1949"])
        #expect(ref.successors(of: "0140", on: d("2017-12-31")) == ["0140"])
        #expect(ref.successors(of: "0001", on: y2017) == ["0002"])
        #expect(ref.successors(of: "0001", on: y2024) == ["0003"])
        #expect(ref.successors(of: "0503", on: y2024) == ["0503"])
        #expect(ref.successors(of: "9999", on: y2024) == ["9999"])
    }

    @Test("resolveHome: pseudo-code first, then a valid given code, then the name, then the PC4 table")
    func resolveHome() {
        let table = [
            "4251": PC4Assignment(gemeenteName: "Werkendam", poSwv: "PO1", voSwv: "VO1"),
            "9011": PC4Assignment(gemeenteName: "Littenseradiel", poSwv: "PO1", voSwv: "VO1"),
            "1234": PC4Assignment(gemeenteName: "Nergenshuizen", poSwv: "PO1", voSwv: "VO1"),
        ]
        let ref = tinyReference(pc4Table: table)
        for (pc4, code) in [("10", "P10"), ("20", "P20"), ("30", "P30"), ("40", "P40")] {
            #expect(ref.resolveHome(pc4: pc4, name: "Delft", code: "0503", on: y2024) == HomeResolution(code: code, method: .pseudo))
        }
        #expect(ref.resolveHome(pc4: "2612", name: "Rijswijk", code: "0503", on: y2024) == HomeResolution(code: "0503", method: .code))
        // A given code that no longer exists falls through to the name.
        #expect(ref.resolveHome(pc4: "4251", name: "Altena", code: "0870", on: y2024) == HomeResolution(code: "1959", method: .name))
        #expect(ref.resolveHome(pc4: "5671", name: "Nuenen c.a.", code: nil, on: y2024) == HomeResolution(code: "0820", method: .name))
        // Blank or unknown name: the 2015 PC4 table, followed to the peildatum; a split is not guessed.
        #expect(ref.resolveHome(pc4: "4251", name: " ", code: nil, on: y2024) == HomeResolution(code: "1959", method: .pc4))
        #expect(ref.resolveHome(pc4: "4251", name: "Atlantis", code: nil, on: y2017) == HomeResolution(code: "0870", method: .pc4))
        #expect(ref.resolveHome(pc4: "9011", name: "", code: nil, on: y2024) == HomeResolution(code: nil, method: .unresolved))
        #expect(ref.resolveHome(pc4: "1234", name: "", code: nil, on: y2024) == HomeResolution(code: nil, method: .unresolved))
        #expect(ref.resolveHome(pc4: "5555", name: nil, code: nil, on: y2024) == HomeResolution(code: nil, method: .unresolved))
    }

    @Test("display names, including pseudo-homes")
    func displayNames() {
        let ref = tinyReference()
        #expect(ref.name(of: "0373") == "Bergen (NH.)")
        #expect(ref.name(of: "P10") == "België")
        #expect(ref.name(of: "P40") == "onbekend")
        #expect(ref.name(of: "9999") == "9999")
        #expect(PseudoHome(code: "P50") == nil)
        #expect(PseudoHome(code: "10") == nil)
        #expect(PseudoHome.code(for: "20") == "P20")
    }

    @Test("regions by date and swv by PC4 exception, gemeente, then PC4 table")
    func regionsAndSwv() {
        let ref = tinyReference(pc4Table: ["4251": PC4Assignment(gemeenteName: "Werkendam", poSwv: "POX", voSwv: "VOX")])
        #expect(ref.members(of: "r", on: y2017) == ["0503", "0738"])
        #expect(ref.members(of: "r", on: y2024) == ["0503", "1959"])
        #expect(ref.regionName("r") == "Regio")
        #expect(ref.regionName("onbekend") == "onbekend")
        #expect(ref.swv(sector: .po, gemeente: "0503", pc4: "2625", on: y2024) == "PO2")
        #expect(ref.swv(sector: .po, gemeente: "0503", pc4: "2611", on: y2024) == "PO1")
        #expect(ref.swv(sector: .vo, gemeente: "0503", pc4: "2625", on: y2024) == "VO1")
        #expect(ref.swv(sector: .vo, gemeente: "1959", pc4: "4251", on: y2024) == "VOX")
        #expect(ref.swv(sector: .po, gemeente: "1959", pc4: nil, on: y2024) == nil)
    }

    @Test("foldName ignores case, diacritics and surrounding spaces only")
    func folding() {
        #expect(foldName(" Súdwest-Fryslân ") == foldName("sudwest-fryslan"))
        #expect(foldName("Noordwijk") != foldName("Noordwijkerhout"))
        #expect(foldName("Bergen (L.)") != foldName("Bergen (NH.)"))
    }

    @Test("an ASCII name folds as Foundation folds it: every character, spaces around, and many generated names")
    func asciiFolding() {
        func foundation(_ s: String) -> String {
            s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).trimmingCharacters(in: " ")
        }
        var names = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        names += names.map { "  \($0)  " } + ["'S-GRAVENHAGE", "Bergen (NH.)", "Nuenen, Gerwen en Nederwetten", " \tDelft ", "", "   "]
        // A fixed generator: the same names every run.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<(Int(state % 24)) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(UInt8(truncatingIfNeeded: state >> 57))
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            names.append(String(decoding: bytes, as: UTF8.self))
        }
        for name in names { #expect(Array(foldName(name).utf8) == Array(foundation(name).utf8), "\(Array(name.utf8))") }
        // Outside ASCII Foundation folds: diacritics go.
        #expect(foldName("Súdwest-Fryslân") == "sudwest-fryslan")
    }
}

@Suite("Reference.load from texts")
struct ReferenceLoadingTests {
    private func texts(gemeenten: String = "code;name;valid_from;valid_to;successor;source\n0503;Delft;;;;t\n0738;Aalburg;;2019-01-01;1959;t\n1959;Altena;2019-01-01;;;t\n",
                       aliases: String = "alias;code;valid_from;valid_to;source\nAltena (NB);1959;;;t\n",
                       regions: String = "region;region_name;code;valid_from;valid_to;source\nr;Regio;0503;;;t\n",
                       swv: String = "code;sector;name;source\nPO1;po;Een;t\n",
                       areas: String = "swv;gemeente_code;pc4;valid_from;valid_to;source\nPO1;0503;;;;t\nPO1;0503;2625;;;t\n") -> ReferenceTexts {
        ReferenceTexts(gemeenten: Array(gemeenten.utf8), aliases: Array(aliases.utf8), regions: Array(regions.utf8),
                       swv: Array(swv.utf8), swvAreas: Array(areas.utf8))
    }

    @Test func loads() throws {
        let ref = try Reference.load(texts())
        #expect(ref.gemeenten.count == 3)
        #expect(ref.gemeenten["0738"]?.successors == ["1959"])
        #expect(ref.gemeenten["0738"]?.validTo == Peildatum(iso: "2019-01-01"))
        #expect(ref.gemeenten["0503"]?.successors == [])
        #expect(ref.gemeente(named: "altena (nb)", on: y2024) == "1959")
        #expect(ref.swvAreas.map(\.pc4) == [nil, "2625"])
    }

    @Test("refusals name the reference file, line and column")
    func refusals() throws {
        let cases: [(ReferenceTexts, String, Int?, String?, String)] = [
            (texts(gemeenten: "code;name;valid_from;valid_to;successor;source\n0503;Delft;;;19;t\n"), "gemeenten.csv", 2, "successor", "'19' is geen gemeentecode"),
            (texts(gemeenten: "code;name;valid_from;valid_to;successor;source\n503;Delft;;;;t\n"), "gemeenten.csv", 2, "code", "verwacht 4 cijfers"),
            (texts(gemeenten: "code;name;valid_from;valid_to;successor;source\n0503;Delft;2019-1-1;;;t\n"), "gemeenten.csv", 2, "valid_from", "'2019-1-1' is geen datum"),
            (texts(gemeenten: "code;name;valid_from;valid_to;source\n0503;Delft;;;t\n"), "gemeenten.csv", 1, nil, "kolommen ontbreken: successor"),
            (texts(aliases: "alias;code;valid_from;valid_to;source\nX;0999;;;t\n"), "gemeente_aliases.csv", 2, "code", "gemeentecode 0999 staat niet in gemeenten.csv"),
            (texts(swv: "code;sector;name;source\nPO1;mbo;Een;t\n"), "swv.csv", 2, "sector", "verwacht po of vo"),
            (texts(areas: "swv;gemeente_code;pc4;valid_from;valid_to;source\nPO9;0503;;;;t\n"), "swv_gebied.csv", 2, "swv", "'PO9' staat niet in swv.csv"),
            (texts(areas: "swv;gemeente_code;pc4;valid_from;valid_to;source\nPO1;0503;262;;;t\n"), "swv_gebied.csv", 2, "pc4", "'262' is geen PC4"),
            (texts(regions: "region;region_name;code;valid_from;valid_to;source\nr;Regio;0503;;\n"), "regions.csv", 2, nil, "5 velden; verwacht 6"),
            (texts(regions: ""), "regions.csv", nil, nil, "leeg bestand"),
        ]
        for (input, file, line, column, message) in cases {
            let e = try #require(throws: InputError.self) { try Reference.load(input) }
            #expect(e.file == file)
            #expect(e.line == line)
            #expect(e.column == column)
            #expect(e.message.contains(message), "\(e)")
        }
    }
}
