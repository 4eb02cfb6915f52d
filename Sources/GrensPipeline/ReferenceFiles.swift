import Foundation
import GrensCore

extension Reference {
    /// Loads the reference folder (default `data/reference`) and, optionally, a national PC4 table. `maps`: also
    /// the gemeente outlines (only pages draw them; an ingest does not need them).
    public static func load(folder: String, pc4Table: String? = nil, maps withMaps: Bool = true) throws -> Reference {
        func read(_ name: String) throws -> [UInt8] {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw InputError(file: path, line: nil, column: nil, message: "referentiebestand ontbreekt")
            }
            return [UInt8](data)
        }
        let names = fileNames
        var table: (name: String, bytes: [UInt8])?
        if let pc4Table {
            guard let data = FileManager.default.contents(atPath: pc4Table) else {
                throw InputError(file: pc4Table, line: nil, column: nil, message: "PC4-tabel bestaat niet")
            }
            table = (pc4Table, [UInt8](data))
        }
        // Map outlines are optional: a reference folder without `geo/` gives pages without maps.
        let geo = folder + "/geo"
        let mapNames = !withMaps ? [] : ((try? FileManager.default.contentsOfDirectory(atPath: geo)) ?? [])
            .filter { $0.hasPrefix("gemeenten-") && $0.hasSuffix(".csv") }.sorted()
        let maps = try mapNames.map { (name: "geo/" + $0, bytes: try read("geo/" + $0)) }
        return try load(ReferenceTexts(gemeenten: try read(names.gemeenten), aliases: try read(names.aliases),
                                       regions: try read(names.regions), swv: try read(names.swv),
                                       swvAreas: try read(names.swvAreas), pc4Table: table, maps: maps))
    }
}
