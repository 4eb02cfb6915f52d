import Foundation
import Testing
// @testable only for the memberwise initialisers of Gemeente, RegionMember, Swv and SwvArea (internal in the core).
@testable import GrensCore
import GrensTestSupport
@testable import GrensRender

/// Hand-made reports for the dashboard tests, built the way the pipeline builds them: FlowRows →
/// EstimatedRows → Report.build, over a small hand-made Reference.
enum DashboardFixture {
    static let hostileNames = ["<script>alert(1)</script>", "\"quotes\"", "O'Brien & Zn"]

    static func date(_ iso: String) -> Peildatum { Peildatum(iso: iso)! }

    /// Three region members, one named neighbour, one gemeente of the rest of the country; bo, sbo and vo; two years.
    /// With `hostile` every name a user could supply (gemeenten, schools, swv, region, files, notes) is hostile;
    /// `names` gives three other hostile names instead.
    static func small(hostile: Bool = false, synthetic: Bool = true, names custom: [String]? = nil) -> Report {
        let h = custom ?? hostileNames
        let hostile = hostile || custom != nil
        let names = hostile ? ["0503": h[0], "0518": h[1], "0603": h[2]] : ["0503": "Delft", "0518": "'s-Gravenhage", "0603": "Rijswijk"]
        let gemeenten = [
            Gemeente(code: "0503", name: names["0503"]!, validFrom: nil, validTo: nil, successors: []),
            Gemeente(code: "0518", name: names["0518"]!, validFrom: nil, validTo: nil, successors: []),
            Gemeente(code: "0603", name: names["0603"]!, validFrom: nil, validTo: nil, successors: []),
            Gemeente(code: "0599", name: "Rotterdam", validFrom: nil, validTo: nil, successors: []),
            Gemeente(code: "0363", name: "Amsterdam", validFrom: nil, validTo: nil, successors: []),
        ]
        let regionName = hostile ? h[2] : "Testregio"
        let regions = ["0503", "0518", "0603"].map { RegionMember(region: "test", regionName: regionName, code: $0, validFrom: nil, validTo: nil) }
            + [RegionMember(region: "buren", regionName: "Buren", code: "0599", validFrom: nil, validTo: nil)]
        let swvs = [Swv(code: "PO2815", sector: .po, name: hostile ? h[0] : "SPPOH"),
                    Swv(code: "PO2802", sector: .po, name: hostile ? h[1] : "PPO Delflanden"),
                    Swv(code: "VO2806", sector: .vo, name: hostile ? h[2] : "SWV Zuid-Holland West"),
                    Swv(code: "VO2809", sector: .vo, name: "VO Delflanden")]
        let areas = [("PO2815", "0518"), ("PO2815", "0603"), ("PO2802", "0503"), ("VO2806", "0518"), ("VO2806", "0603"), ("VO2809", "0503")]
            .map { SwvArea(swv: $0.0, gemeente: $0.1, pc4: nil, validFrom: nil, validTo: nil) }
        let reference = Reference(gemeenten: gemeenten, aliases: [], regions: regions, swvs: swvs, swvAreas: areas)

        let schools: [String: (name: String, gemeente: String, pc4: String, soort: Soort)] = [
            "S1": (hostile ? h[0] : "Basisschool De Linde", "0518", "2511", .bo),
            "S2": (hostile ? h[1] : "Sbo Het Avontuur", "0603", "2281", .sbo),
            "S3": (hostile ? h[2] : "Delfts College", "0503", "2611", .vo),
            "S4": ("Rotterdams Lyceum", "0599", "3011", .vo),
            "S5": ("Amsterdamse Basisschool", "0363", "1011", .bo),
        ]
        let homePC4 = ["0518": "2511", "0603": "2281", "0503": "2611", "0599": "3011", "0363": "1011", "P10": "10"]
        func row(_ iso: String, _ school: String, _ home: String, _ exact: Int, _ masked: Int = 0) -> FlowRow {
            let s = schools[school]!
            return FlowRow(peildatum: date(iso), soort: s.soort, schoolID: school, schoolName: s.name, schoolGemeente: s.gemeente,
                           schoolPC4: s.pc4, homeCode: home, homePC4: homePC4[home]!, exact: exact, maskedBits: masked)
        }
        let y1 = "2023-10-01", y2 = "2024-10-01"
        let rows = [
            row(y1, "S1", "0518", 118, 0b1), row(y1, "S1", "0603", 12), row(y1, "S1", "0599", 7),
            row(y1, "S2", "0603", 28, 0b11), row(y1, "S2", "0518", 20),
            row(y1, "S3", "0503", 290), row(y1, "S3", "0518", 30, 0b1), row(y1, "S3", "0599", 15),
            row(y1, "S4", "0503", 0, 0b1), row(y1, "S4", "0518", 11),
            row(y2, "S1", "0518", 120, 0b11), row(y2, "S1", "0603", 8, 0b1), row(y2, "S1", "0503", 0, 0b1), row(y2, "S1", "P10", 0, 0b1),
            row(y2, "S2", "0603", 30, 0b101), row(y2, "S2", "0518", 25), row(y2, "S2", "0599", 0, 0b11),
            row(y2, "S3", "0503", 300), row(y2, "S3", "0518", 45, 0b1), row(y2, "S3", "0599", 12), row(y2, "S3", "0363", 0, 0b1),
            row(y2, "S4", "0503", 6, 0b1), row(y2, "S4", "0518", 9),
            row(y2, "S5", "0518", 0, 0b1),
        ]
        let data = EstimatedRows(rows: rows, model: .naive)
        let grouping = Grouping(region: "test", members: reference.members(of: "test", on: date(y2)), neighbours: ["0599"], reference: reference)
        let fileName = hostile ? h[0] + ".csv" : "Delft afgeschermd.csv"
        let sources = [
            Report.Source(name: fileName, sha256: String(repeating: "ab12", count: 16), dataset: "03 po postcode leerling",
                          layout: "po-2024", encoding: "UTF-8", peildatum: date(y2), rows: 1234, synthetic: synthetic),
            Report.Source(name: hostile ? h[1] : "Delft 2023.csv", sha256: String(repeating: "cd34", count: 16), dataset: "03 po postcode leerling",
                          layout: "po-2024", encoding: "UTF-8", peildatum: date(y1), rows: 1200, synthetic: synthetic),
        ]
        let items = [
            "naam: \(hostile ? h[0] : "Jeugdhulp bo/sbo")\npeildatum: 2024-10-01\nbedrag: € 10.000,00\nsoort: bo, sbo\nschoolgemeenten: 0518, 0603\n",
            "naam: \(hostile ? h[2] : "Coördinator")\npeildatum: 2024-10-01\nbedrag: 1.000,00\nsleutel: gelijk\nsoort: vo\ndeelnemers: 0503, 0518, 0603\n",
            "naam: Vervoer sbo\nversie: 2024-1\ntoelichting: \(hostile ? h[1] : "Leerlingenvervoer (voorbeeldbedrag)")\npeildatum: 2024-10-01\n"
                + "tarief: € 125,50\nsoort: sbo\ndeelnemers: regio test\n",
            "naam: Ambulante begeleiding\npeildatum: 2024-10-01\nbedrag: € 900,00\nsleutel: vast\naandelen: 0503=50; 0518=33,33; 0603=16,67\n"
                + "schoolgemeenten: 0503\n",
        ]
        let splits = items.map { text in
            try! CostSplit.compute(try! CostItem.parse(Array(text.utf8), file: "kosten.txt", reference: reference), data: data, reference: reference)
        }
        return Report.build(data: data, reference: reference, grouping: grouping, regionName: regionName, sources: sources,
                            estimatorSource: hostile ? h[2] : "naief: elke <5 als 2,5",
                            notes: hostile ? h : ["1 rij met een onbekende woonplaats."], costSplits: splits)
    }

    /// Haaglanden-sized: the real reference data (10 members, 10 neighbours), ~400 school locations, all
    /// soorten, two years; counts from a fixed pseudo-random sequence (deterministic).
    static func haaglandenScale() throws -> Report {
        let folder = URL(fileURLWithPath: TestPaths.repo).appendingPathComponent("data/reference")
        func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: folder.appendingPathComponent(name))) }
        let reference = try Reference.load(ReferenceTexts(gemeenten: bytes("gemeenten.csv"), aliases: bytes("gemeente_aliases.csv"),
                                                          regions: bytes("regions.csv"), swv: bytes("swv.csv"), swvAreas: bytes("swv_gebied.csv")))
        let y2 = date("2024-10-01")
        let members = reference.members(of: "haaglanden", on: y2)
        let neighbours = reference.members(of: "buren-haaglanden", on: y2)
        let homes = members + neighbours + ["0363", "0344", "P10", "P40"]
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        var rows: [FlowRow] = []
        let soorten: [Soort] = [.bo, .bo, .bo, .bo, .sbo, .so, .vso, .vo, .vo]
        for year in [date("2023-10-01"), y2] {
            seed = 42
            for i in 0..<400 {
                let gemeente = i % 8 == 7 ? neighbours[i % neighbours.count] : members[i % members.count]
                let soort = soorten[i % soorten.count]
                let name = "\(soort == .vo ? "Scholengemeenschap" : "Basisschool") nummer \(i) \(reference.name(of: gemeente))"
                rows.append(FlowRow(peildatum: year, soort: soort, schoolID: "\(i)AB00", schoolName: name, schoolGemeente: gemeente,
                                    schoolPC4: "2500", homeCode: gemeente, homePC4: "2500", exact: 20 + next(400), maskedBits: next(4)))
                for _ in 0..<(3 + next(8)) {
                    let home = homes[next(homes.count)]
                    guard home != gemeente else { continue }
                    rows.append(FlowRow(peildatum: year, soort: soort, schoolID: "\(i)AB00", schoolName: name, schoolGemeente: gemeente,
                                        schoolPC4: "2500", homeCode: home, homePC4: home.hasPrefix("P") ? String(home.dropFirst()) : "2500",
                                        exact: next(3) == 0 ? 5 + next(40) : 0, maskedBits: next(8)))
                }
            }
        }
        let data = EstimatedRows(rows: rows, model: .naive)
        let grouping = Grouping(region: "haaglanden", members: members, neighbours: neighbours, reference: reference)
        // Many schools (the list stops after 30) and every home gemeente with pupils pays: many sheets.
        let item = try CostItem.parse(Array("naam: Jeugdhulp so/vso\npeildatum: 2024-10-01\nbedrag: € 250.000,00\nsoort: so, vso\n".utf8),
                                      file: "jeugdhulp.txt", reference: reference)
        return Report.build(data: data, reference: reference, grouping: grouping, regionName: "Haaglanden", sources: [],
                            estimatorSource: "naief", notes: [], costSplits: [try CostSplit.compute(item, data: data, reference: reference)])
    }
}
