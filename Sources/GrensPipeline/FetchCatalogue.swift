import Foundation
import GrensCore

/// A school year as DUO names its files: `2025-2026`, counted on 1 October of the first year.
public struct SchoolYear: Sendable, Equatable, CustomStringConvertible {
    public let first: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isASCII) }),
              let a = Int(parts[0]), let b = Int(parts[1]), b == a + 1, Peildatum(year: a, month: 10, day: 1) != nil else { return nil }
        first = a
    }

    public var description: String { "\(first)-\(first + 1)" }
    public var peildatum: Peildatum { Peildatum(year: first, month: 10, day: 1)! }
}

/// One DUO file the tool can fetch: which dataset it is, how DUO names it, and the layouts expected in it.
/// The list is data (`data/duo-catalogus.csv`), so a renamed file at DUO is a one-line edit.
public struct CatalogueEntry: Sendable, Equatable {
    public let id: String
    public let dataset: Dataset
    /// Layout ids (see `knownLayouts`) this file is expected in; another layout of the same dataset is taken
    /// with a remark, another dataset is refused.
    public let layouts: [String]
    /// File name with `{beginjaar}` and `{eindjaar}` for the two calendar years of the school year.
    public let pattern: String
    public let title: String

    public func fileName(_ year: SchoolYear) -> String {
        pattern.replacingOccurrences(of: "{beginjaar}", with: String(year.first))
            .replacingOccurrences(of: "{eindjaar}", with: String(year.first + 1))
    }
}

public enum Catalogue {
    public static let columns = ["id", "dataset", "indelingen", "bestandsnaam", "omschrijving"]

    /// Reads the catalogue: `;`-separated, a header with `columns`, one file per line.
    public static func load(path: String) throws -> [CatalogueEntry] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, line: nil, column: nil, message: "de catalogus van DUO-bestanden kan niet worden gelezen; verwacht een CSV-bestand zoals data/duo-catalogus.csv")
        }
        let text = try decodeText([UInt8](data), file: path)
        var reader = CSVReader(bytes: text.bytes, file: path, delimiter: UInt8(ascii: ";"))
        guard try reader.next(), (0..<reader.fields.count).map({ reader.trimmedString($0) }) == columns else {
            throw InputError(file: path, line: 1, column: nil, message: "kopregel onjuist; verwacht \(columns.joined(separator: ";"))")
        }
        var entries: [CatalogueEntry] = []
        while try reader.next() {
            let line = reader.recordLine
            guard reader.fields.count == columns.count else {
                throw InputError(file: path, line: line, column: nil, message: "\(reader.fields.count) velden; verwacht \(columns.count)")
            }
            let value = { (i: Int) in reader.trimmedString(i) }
            guard let dataset = Dataset(rawValue: value(1)) else {
                throw InputError(file: path, line: line, column: "dataset", message: "\(shown(value(1))) is geen dataset; verwacht \(Dataset.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let layouts = value(2).split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            for id in layouts where !knownLayouts.contains(where: { $0.id == id && $0.dataset == dataset }) {
                throw InputError(file: path, line: line, column: "indelingen", message: "\(shown(id)) is geen indeling van \(dataset.rawValue)")
            }
            let pattern = value(3)
            guard pattern.hasSuffix(".csv"), !pattern.contains("/"), pattern.contains("{beginjaar}") else {
                throw InputError(file: path, line: line, column: "bestandsnaam", message: "\(shown(pattern)) is geen bestandsnaam; verwacht een naam op .csv met {beginjaar} (en eventueel {eindjaar}), zonder /")
            }
            guard !value(0).isEmpty, !entries.contains(where: { $0.id == value(0) }) else {
                throw InputError(file: path, line: line, column: "id", message: "id leeg of dubbel; verwacht een unieke korte naam zoals po03")
            }
            entries.append(CatalogueEntry(id: value(0), dataset: dataset, layouts: layouts, pattern: pattern, title: value(4)))
        }
        return entries
    }
}
