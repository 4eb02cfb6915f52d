/// A gemeente's outline for maps, as `data/reference/geo/gemeenten-<year>.csv` holds it (derived by
/// `data/reference/geo/make_geometry.py` from CBS / PDOK boundaries): projected, units of 10 m, x east, y south.
public struct MapShape: Sendable, Codable, Equatable {
    public let code: String
    public let name: String
    /// SVG path data in map units.
    public let path: String
    public let minX: Int, minY: Int, maxX: Int, maxY: Int
    /// A point inside the shape for its label and for flow lines.
    public let labelX: Int, labelY: Int

    public init(code: String, name: String, path: String, minX: Int, minY: Int, maxX: Int, maxY: Int, labelX: Int, labelY: Int) {
        self.code = code; self.name = name; self.path = path
        self.minX = minX; self.minY = minY; self.maxX = maxX; self.maxY = maxY
        self.labelX = labelX; self.labelY = labelY
    }
}

/// All outlines of one boundary year (gemeenten merge, so each year has its own file).
public struct GemeenteShapes: Sendable, Equatable {
    public let year: Int
    public let attribution: String
    public let shapes: [String: MapShape]

    public init(year: Int, attribution: String, shapes: [MapShape]) {
        self.year = year
        self.attribution = attribution
        self.shapes = Dictionary(shapes.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Reads one geometry file. Errors name the file, the line and the column.
    public static func parse(_ bytes: [UInt8], file: String) throws(InputError) -> GemeenteShapes {
        let columns = ["code", "name", "year", "min_x", "min_y", "max_x", "max_y", "label_x", "label_y", "path", "source"]
        let table = try KeyedTable(bytes: bytes, file: file, required: columns)
        var shapes: [MapShape] = []
        var years: Set<Int> = [], sources: [String] = []
        for row in table.rows {
            func int(_ column: String) throws(InputError) -> Int {
                guard let n = Int(row.text(column)) else {
                    throw InputError(file: file, line: row.line, column: column, message: "'\(row.text(column))' is geen geheel getal; verwacht kaarteenheden (10 m)")
                }
                return n
            }
            let year = try int("year")
            years.insert(year)
            if !sources.contains(row.text("source")) { sources.append(row.text("source")) }
            let path = row.text("path")
            guard path.hasPrefix("M"), path.allSatisfy({ "Mlz0123456789 -".contains($0) }) else {
                throw InputError(file: file, line: row.line, column: "path", message: "verwacht SVG-padgegevens met alleen M, l, z en gehele getallen")
            }
            shapes.append(MapShape(code: try row.gemeenteCode("code"), name: row.text("name"), path: path,
                                   minX: try int("min_x"), minY: try int("min_y"), maxX: try int("max_x"), maxY: try int("max_y"),
                                   labelX: try int("label_x"), labelY: try int("label_y")))
        }
        guard years.count == 1, let year = years.first else {
            throw InputError(file: file, line: nil, column: "year", message: "verwacht één grensjaar per bestand, gevonden: \(years.sorted().map(String.init).joined(separator: ", "))")
        }
        return GemeenteShapes(year: year, attribution: sources.joined(separator: "; "), shapes: shapes)
    }
}
