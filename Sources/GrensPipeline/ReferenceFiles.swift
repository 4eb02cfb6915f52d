import Foundation
import GrensCore

extension Reference {
    /// Loads the reference folder (default `data/reference`) and, optionally, a national PC4 table. `maps`: also
    /// the gemeente outlines (only pages draw them; an ingest does not need them).
    public static func load(folder: String, pc4Table: String? = nil, maps withMaps: Bool = true) throws -> Reference {
        func read(_ name: String) throws -> [UInt8] { try readFile(folder, name) }
        let names = fileNames
        var table: (name: String, bytes: [UInt8])?
        if let pc4Table {
            guard let data = FileManager.default.contents(atPath: pc4Table) else {
                throw InputError(file: pc4Table, line: nil, column: nil, message: "PC4-tabel bestaat niet")
            }
            table = (pc4Table, [UInt8](data))
        }
        let reference = try load(ReferenceTexts(gemeenten: try read(names.gemeenten), aliases: try read(names.aliases),
                                                regions: try read(names.regions), swv: try read(names.swv),
                                                swvAreas: try read(names.swvAreas), pc4Table: table))
        return withMaps ? try reference.withMaps(folder: folder) : reference
    }

    /// The same reference with the gemeente outlines of `folder/geo` for its maps. They are optional: a reference
    /// folder without `geo/` gives pages without maps.
    public func withMaps(folder: String) throws -> Reference {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/geo")) ?? [])
            .filter { $0.hasPrefix("gemeenten-") && $0.hasSuffix(".csv") }.sorted()
        return try withMaps(try names.map { (name: "geo/" + $0, bytes: try Self.readFile(folder, "geo/" + $0)) })
    }

    static func readFile(_ folder: String, _ name: String) throws -> [UInt8] {
        let path = folder + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, line: nil, column: nil, message: "referentiebestand ontbreekt")
        }
        return [UInt8](data)
    }
}
