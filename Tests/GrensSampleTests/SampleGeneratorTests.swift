import Foundation
import Testing
@testable import GrensCore
@testable import GrensSample
import GrensTestSupport

/// The synthetic sample must look exactly like DUO's files to the parser, and be reproducible.
@Suite("SampleGenerator")
struct SampleGeneratorTests {
    static let files = SampleGenerator.files()

    /// Every generated file parsed, grouped by peildatum.
    static func parsed() throws -> [(name: String, bytes: [UInt8], file: ParsedFile)] {
        try files.map { entry in
            let file = try #require(try parseSource(bytes: entry.bytes, file: entry.name), "\(entry.name) is leeg")
            return (entry.name, entry.bytes, file)
        }
    }

    @Test("every file parses, with the layout and encoding of its year")
    func parsesInBothLayouts() throws {
        let all = try Self.parsed()
        let old = all.filter { $0.file.peildatum == Peildatum(duo: "20231001") }
        let new = all.filter { $0.file.peildatum == Peildatum(duo: "20241001") }
        #expect(old.count == 12)
        #expect(new.count == 12)
        #expect(old.count + new.count == all.count)
        // Encoding is detected per file: an old file with a Latin-1 letter is Windows-1252, an all-ASCII one reads
        // as UTF-8 (ASCII is both). Three gemeenten have a school name with ë or Ë.
        #expect(old.filter { $0.file.encoding == .windows1252 }.map(\.name).sorted()
                == ["Delft.csv", "Zoetermeer.csv", "s-Gravenhage.csv"])
        for entry in old {
            #expect(entry.file.layout.id == "po03-oud", "\(entry.name)")
            #expect(entry.file.encoding == (entry.bytes.contains { $0 >= 0x80 } ? .windows1252 : .utf8), "\(entry.name)")
            #expect(entry.file.rows.allSatisfy { $0.total == $0.exactSum }, "\(entry.name)")
        }
        for entry in new {
            #expect(entry.file.layout.id == "po03-2024", "\(entry.name)")
            #expect(entry.file.encoding == .utf8BOM, "\(entry.name)")
            #expect(entry.file.rows.allSatisfy { $0.total == nil }, "\(entry.name)")
        }
        #expect(old.reduce(0) { $0 + $1.file.rows.count } > 100)
        #expect(new.reduce(0) { $0 + $1.file.rows.count } > 100)
        // One school gemeente per file, the 12 sample gemeenten in each year, names as in the reference table.
        let codes = ["0503", "0518", "0546", "0599", "0603", "0626", "0629", "0637", "1783", "1842", "1916", "1926"]
        #expect(old.flatMap(\.file.scope).sorted() == codes)
        #expect(new.flatMap(\.file.scope).sorted() == codes)
        for entry in all {
            #expect(entry.file.scope.count == 1)
            for row in entry.file.rows {
                #expect(row.schoolName.hasPrefix("Synthetische"))
                #expect(row.schoolID.hasPrefix("99") && row.schoolID.hasSuffix("00"))
                #expect(row.schoolGemeenteName == sampleGemeente(row.schoolGemeente).name)
                #expect(row.province == "Zuid-Holland")
            }
        }
    }

    @Test("old year: Windows-1252 bytes, CRLF, unquoted, unpadded gemeentenummer, padded pseudo-postcodes, TOTAAL")
    func oldLayoutBytes() throws {
        let old = Self.files.filter { !$0.name.hasSuffix(" afgeschermd.csv") }
        let all = old.flatMap(\.bytes)
        #expect(all.contains { $0 >= 0x80 })
        #expect(all.contains(0xCB))  // Ë of Ëlzenhof in Windows-1252
        for file in old {
            #expect(file.bytes.prefix(3) != [0xEF, 0xBB, 0xBF])
            // Every LF is preceded by CR.
            for (i, b) in file.bytes.enumerated() where b == 0x0A { #expect(i > 0 && file.bytes[i - 1] == 0x0D) }
            #expect(file.bytes.suffix(2) == [0x0D, 0x0A])
            let header = String(decoding: file.bytes.prefix { $0 != 0x0D }, as: UTF8.self)
            #expect(header.split(separator: ";").count == 38)
            #expect(header.hasSuffix(";LEEFTIJD_OUDER;TOTAAL"))
            #expect(header.hasPrefix("PEILDATUM;GEMEENTENUMMER;GEMEENTENAAM;POSTCODE_LEERLING;GEMEENTENAAM_LEERLING;BRIN_NUMMER;"))
        }
        let text = String(decoding: all.map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
        #expect(text.contains("\r\n20231001;518;'s-Gravenhage;"))
        #expect(text.contains("\r\n20231001;503;Delft;"))
        #expect(text.contains(";\"Synthetische school \"\"De Brug\"\" & Co\";"))
        #expect(!text.contains("\"Synthetische school De"))  // names without quotes are not quoted
        #expect(text.contains(";  10;Belgie;"))
    }

    @Test("new year: BOM, all quoted, LF, `<5` and never an exact 1–4")
    func newLayoutBytes() throws {
        let new = Self.files.filter { $0.name.hasSuffix(" afgeschermd.csv") }
        for file in new {
            #expect(file.bytes.prefix(3) == [0xEF, 0xBB, 0xBF])
            #expect(!file.bytes.contains(0x0D))
            #expect(file.bytes.last == 0x0A)
            let header = String(decoding: file.bytes.dropFirst(3).prefix { $0 != 0x0A }, as: UTF8.self)
            #expect(header.split(separator: ";").count == 37)
            #expect(header.split(separator: ";").allSatisfy { $0.hasPrefix("\"") && $0.hasSuffix("\"") })
            #expect(!header.contains("TOTAAL"))
        }
        let text = String(decoding: new.flatMap { $0.bytes.dropFirst(3) }, as: UTF8.self)
        #expect(text.contains("\"<5\""))
        #expect(text.contains("\n\"20241001\";\"0518\";\"'s-Gravenhage\";"))
        #expect(text.contains("\"Synthetische school \"\"De Brug\"\" & Co\""))
        #expect(text.contains("\"Synthetische school Ëlzenhof\""))
        let rows = try Self.parsed().filter { $0.file.layout.id == "po03-2024" }.flatMap(\.file.rows)
        let cells = rows.flatMap(\.cells)
        #expect(cells.contains(.masked))
        #expect(!cells.contains { if case .exact(let n) = $0 { return (1...4).contains(n) }; return false })
        let nonZero = cells.filter { $0 != .exact(0) }.count
        let masked = cells.filter { $0 == .masked }.count
        #expect(masked * 10 > nonZero, "at least 10% of the non-zero cells masked")
    }

    @Test("pseudo-postcodes, cross-border rows and realistic ages in both years")
    func contentShape() throws {
        let all = try Self.parsed()
        for year in ["po03-oud", "po03-2024"] {
            let rows = all.filter { $0.file.layout.id == year }.flatMap(\.file.rows)
            let pseudo = Set(rows.compactMap(\.homePC4).filter { $0.count == 2 })
            #expect(pseudo == ["10", "20", "30", "40"], "\(year)")
            for row in rows where row.homePC4?.count == 2 {
                #expect(row.homeName == ["10": "Belgie", "20": "Duitsland", "30": "ander land", "40": "Onbekend"][row.homePC4!])
            }
            // Home PC4 belongs to the named home gemeente; the school PC4 to the school gemeente.
            for row in rows {
                if let pc4 = row.homePC4, pc4.count == 4 {
                    let home = try #require(sampleGemeenten.first { $0.name == row.homeName }, "\(row.homeName ?? "")")
                    #expect(home.pc4s.contains(pc4))
                }
                #expect(sampleGemeente(row.schoolGemeente).pc4s.contains(row.schoolPC4 ?? ""))
            }
            let cross = rows.filter { $0.homePC4?.count == 4 && $0.homeName != $0.schoolGemeenteName }
            #expect(cross.count * 5 > rows.count, "\(year): at least a fifth of the rows cross a gemeente border")
            #expect(rows.contains { $0.homeName == "Leiden" && $0.schoolGemeente != "0546" })
            #expect(rows.contains { $0.homeName == "Rotterdam" && $0.schoolGemeente != "0599" })
            #expect(Set(rows.map(\.soort)) == [.bo, .sbo, .so, .vso])
            // Age cells: index 1 is age 4. Bo pupils are 4–13, vso pupils 11–21.
            for row in rows {
                let used = row.cells.indices.filter { row.cells[$0] != .exact(0) }
                switch row.soort {
                case .bo: #expect(used.allSatisfy { (1...10).contains($0) })
                case .vso: #expect(used.allSatisfy { (8...18).contains($0) })
                default: #expect(used.allSatisfy { (0...10).contains($0) })
                }
            }
        }
    }

    @Test("year over year: each school gemeente within ±15%, and the 2024 file bounds hold the truth")
    func yearOverYear() throws {
        let model = SampleGenerator.model(seed: 2024)
        let parsed = try Self.parsed()
        for gemeente in sampleGemeenten {
            let rows = model.filter { $0.school.gemeente == gemeente.code }
            let t2023 = rows.reduce(0) { $0 + $1.cells2023.reduce(0, +) }
            let t2024 = rows.reduce(0) { $0 + $1.cells2024.reduce(0, +) }
            #expect(t2023 > 100, "\(gemeente.name)")
            let change = Double(t2024 - t2023) / Double(t2023)
            #expect(abs(change) <= 0.15, "\(gemeente.name): \(t2023) → \(t2024)")
            // The 2023 file holds the truth exactly; the 2024 file as an interval around it.
            let old = parsed.filter { $0.file.layout.id == "po03-oud" && $0.file.scope == [gemeente.code] }.flatMap(\.file.rows)
            #expect(old.reduce(0) { $0 + $1.exactSum } == t2023)
            let new = parsed.filter { $0.file.layout.id == "po03-2024" && $0.file.scope == [gemeente.code] }.flatMap(\.file.rows)
            let low = new.reduce(0) { $0 + $1.exactSum + $1.maskedCount }
            let high = new.reduce(0) { $0 + $1.exactSum + 4 * $1.maskedCount }
            #expect(low <= t2024 && t2024 <= high, "\(gemeente.name)")
        }
    }

    @Test("every home resolves with the shipped reference data: by name, or as a pseudo-postcode")
    func homesResolve() throws {
        let folder = URL(fileURLWithPath: TestPaths.repo).appendingPathComponent("data/reference")
        func read(_ name: String) throws -> [UInt8] {
            [UInt8](try #require(FileManager.default.contents(atPath: folder.appendingPathComponent(name).path), "\(name)"))
        }
        let names = Reference.fileNames
        let reference = try Reference.load(ReferenceTexts(
            gemeenten: read(names.gemeenten), aliases: read(names.aliases), regions: read(names.regions),
            swv: read(names.swv), swvAreas: read(names.swvAreas)))
        for entry in try Self.parsed() {
            for row in entry.file.rows {
                let resolved = reference.resolveHome(pc4: row.homePC4, name: row.homeName, code: nil, on: entry.file.peildatum)
                if row.homePC4?.count == 2 {
                    #expect(resolved.method == .pseudo)
                } else {
                    #expect(resolved.method == .name, "\(row.homeName ?? "")")
                    #expect(resolved.code == sampleGemeenten.first { $0.name == row.homeName }?.code)
                }
            }
        }
    }

    @Test("deterministic: same seed same bytes, other seed other bytes")
    func determinism() {
        let again = SampleGenerator.files()
        #expect(again.map(\.name) == Self.files.map(\.name))
        #expect(again.map(\.bytes) == Self.files.map(\.bytes))
        let other = SampleGenerator.files(seed: 7)
        #expect(other.map(\.bytes) != Self.files.map(\.bytes))
        // Every year still parses for another seed.
        for entry in other {
            #expect(throws: Never.self) { _ = try parseSource(bytes: entry.bytes, file: entry.name) }
        }
    }

    @Test("exp and Poisson helpers")
    func randomHelpers() {
        #expect(expNegative(0) == 1)
        #expect(abs(expNegative(1) - 0.36787944117144233) < 1e-12)
        #expect(abs(expNegative(30) - 9.357622968840175e-14) < 1e-24)
        var rng = SampleRandom(seed: 1)
        let n = 20_000
        let mean = Double((0..<n).reduce(0) { acc, _ in acc + rng.poisson(3.5) }) / Double(n)
        #expect(abs(mean - 3.5) < 0.1)
        let big = Double((0..<2_000).reduce(0) { acc, _ in acc + rng.poisson(75) }) / 2_000
        #expect(abs(big - 75) < 1.5)
    }

    /// `WRITE_SAMPLE=1 swift test --filter SampleGenerator` refreshes `data/sample/` (CSV files only; the
    /// README and the SYNTHETISCH marker there are kept by hand).
    @Test("write data/sample when WRITE_SAMPLE=1")
    func writeSample() throws {
        guard ProcessInfo.processInfo.environment["WRITE_SAMPLE"] == "1" else { return }
        let folder = URL(fileURLWithPath: TestPaths.repo).appendingPathComponent("data/sample")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for entry in Self.files {
            try Data(entry.bytes).write(to: folder.appendingPathComponent(entry.name))
        }
    }
}
