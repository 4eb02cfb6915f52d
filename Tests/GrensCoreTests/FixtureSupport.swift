import Foundation
import Testing
@testable import GrensCore

/// The fixture catalogue in `Fixtures/` (written by `Fixtures/make_fixtures.py`), found relative to this source
/// file so no SwiftPM resources are needed.
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        let url = folder.appendingPathComponent(name)
        let data = try #require(FileManager.default.contents(atPath: url.path), "fixture \(name) ontbreekt in \(folder.path)")
        return [UInt8](data)
    }

    /// Parses a fixture that must be accepted.
    static func parse(_ name: String, peildatum: Peildatum? = nil) throws -> ParsedFile {
        let bytes = try bytes(name)
        let parsed = try parseSource(bytes: bytes, file: name, peildatum: peildatum)
        return try #require(parsed, "\(name) gaf geen rijen")
    }

    /// Parses a fixture that must be refused and returns the refusal.
    static func refusal(_ name: String, peildatum: Peildatum? = nil) throws -> InputError {
        let bytes = try bytes(name)
        // The result is discarded inside the closure: if parsing wrongly succeeds, Swift Testing would otherwise
        // describe the ParsedFile, and describing a Layout recurses forever (see FieldDescriptionTests).
        let error = try #require(throws: InputError.self) {
            _ = try parseSource(bytes: bytes, file: name, peildatum: peildatum)
        }
        #expect(error.file == name)
        return error
    }
}

/// The 37 columns of the 2024 PO postcode layout and the 38 of the old one, for tests that build files in code.
enum Header {
    static let ages = ["JONGER"] + (4...24).map(String.init) + ["OUDER"]
    static let po2024 = ["PEILDATUM", "GEMEENTENUMMER", "GEMEENTENAAM", "POSTCODE_LEERLING", "GEMEENTENAAM_LEERLING",
                         "INSTELLINGSCODE", "VESTIGINGSCODE", "INSTELLINGSNAAM_VESTIGING", "POSTCODE_VESTIGING", "PLAATSNAAM",
                         "PROVINCIE", "SOORT_PO", "DENOMINATIE_VESTIGING", "BEVOEGD_GEZAG_NUMMER"] + ages.map { "LEEFTIJD_\($0)" }
}

/// One 2024-layout data row in code; `cells` maps an age label to its text (others are "0").
func po2024Row(gemeente: String = "0503", pc4: String = "2612", home: String = "Delft", school: String = "00PZ",
               location: String = "00", soort: String = "Bo", postcode: String = "2612SP", peildatum: String = "20241001",
               cells: [String: String] = ["6": "3"]) -> [String] {
    [peildatum, gemeente, "Delft", pc4, home, school, location, "Herman Broerenschool", postcode, "DELFT", "Zuid-Holland",
     soort, "Openbaar", "38209"] + Header.ages.map { cells[$0] ?? "0" }
}

func quotedLine(_ fields: [String], separator: String = ";") -> String {
    fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: separator)
}

/// A UTF-8 2024-layout file (no BOM) from rows, LF.
func po2024File(_ rows: [[String]]) -> [UInt8] {
    Array(([quotedLine(Header.po2024)] + rows.map { quotedLine($0) }).map { $0 + "\n" }.joined().utf8)
}
