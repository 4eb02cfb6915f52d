/// A small keyed-table reader for our own reference files (and the national PC4 table), with errors that
/// name file, line and column like every other input.
public struct KeyedTable {
    public struct Row {
        public let line: Int
        let values: [String: String]
        let file: String

        public func text(_ column: String) -> String { values[column] ?? "" }
        public func optional(_ column: String) -> String? {
            let v = text(column)
            return v.isEmpty ? nil : v
        }
        public func date(_ column: String) throws(InputError) -> Peildatum? {
            guard let v = optional(column) else { return nil }
            guard let d = Peildatum(iso: v) else {
                throw InputError(file: file, line: line, column: column, message: "\(shown(v)) is geen datum; verwacht JJJJ-MM-DD")
            }
            return d
        }
        public func gemeenteCode(_ column: String) throws(InputError) -> String {
            guard let code = GemeenteCode.normalize(text(column)), text(column).count == 4 else {
                throw InputError(file: file, line: line, column: column, message: "\(shown(text(column))) is geen gemeentecode; verwacht 4 cijfers")
            }
            return code
        }
    }

    public let rows: [Row]

    public init(bytes: [UInt8], file: String, required: [String]) throws(InputError) {
        let text = try decodeText(bytes, file: file)
        var reader = CSVReader(bytes: text.bytes, file: file)
        guard try reader.next() else { throw InputError(file: file, line: nil, column: nil, message: "leeg bestand; verwacht een kopregel") }
        let header = (0..<reader.fields.count).map { reader.string($0).trimmingCharacters(in: " ") }
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw InputError(file: file, line: 1, column: nil,
                             message: "kolommen ontbreken: \(missing.joined(separator: ", ")); verwacht \(required.joined(separator: ";"))")
        }
        var rows: [Row] = []
        while try reader.next() {
            guard reader.fields.count == header.count else {
                throw InputError(file: file, line: reader.recordLine, column: nil,
                                 message: "\(reader.fields.count) velden; verwacht \(header.count)")
            }
            var values: [String: String] = [:]
            for (i, name) in header.enumerated() { values[name] = reader.string(i).trimmingCharacters(in: " ") }
            rows.append(Row(line: reader.recordLine, values: values, file: file))
        }
        self.rows = rows
    }
}

/// The texts of the reference files, read by the caller (the core never touches the file system).
public struct ReferenceTexts {
    /// sha256 over every text but the map outlines (each text's name and length, then its bytes): what the
    /// resolution of homes and swv areas is made from.
    public var fingerprint: String {
        var bytes: [UInt8] = []
        let texts: [(String, [UInt8])] = [("gemeenten", gemeenten), ("aliases", aliases), ("regions", regions), ("swv", swv),
                                          ("swvAreas", swvAreas)] + (pc4Table.map { [("pc4:" + $0.name, $0.bytes)] } ?? [])
        for (name, text) in texts {
            bytes += Array("\(name) \(text.count)\n".utf8)
            bytes += text
        }
        return sha256Hex(bytes)
    }

    public var gemeenten: [UInt8]
    public var aliases: [UInt8]
    public var regions: [UInt8]
    public var swv: [UInt8]
    public var swvAreas: [UInt8]
    /// Optional: the national table in the layout `pc4,gemeente,po_swv,vo_swv`.
    public var pc4Table: (name: String, bytes: [UInt8])?
    /// Optional: gemeente outlines for maps, one file per boundary year (`geo/gemeenten-<year>.csv`).
    public var maps: [(name: String, bytes: [UInt8])]

    public init(gemeenten: [UInt8], aliases: [UInt8], regions: [UInt8], swv: [UInt8], swvAreas: [UInt8],
                pc4Table: (name: String, bytes: [UInt8])? = nil, maps: [(name: String, bytes: [UInt8])] = []) {
        self.gemeenten = gemeenten
        self.aliases = aliases
        self.regions = regions
        self.swv = swv
        self.swvAreas = swvAreas
        self.pc4Table = pc4Table
        self.maps = maps
    }
}

extension Reference {
    public static let fileNames = (gemeenten: "gemeenten.csv", aliases: "gemeente_aliases.csv", regions: "regions.csv",
                                   swv: "swv.csv", swvAreas: "swv_gebied.csv")

    public static func load(_ texts: ReferenceTexts) throws(InputError) -> Reference {
        let names = fileNames
        var gemeenten: [Gemeente] = []
        for row in try KeyedTable(bytes: texts.gemeenten, file: names.gemeenten,
                                  required: ["code", "name", "valid_from", "valid_to", "successor", "source"]).rows {
            let successors = row.text("successor").split(separator: "|").map { String($0).trimmingCharacters(in: " ") }
            for s in successors where GemeenteCode.normalize(s) == nil || s.count != 4 {
                throw InputError(file: names.gemeenten, line: row.line, column: "successor", message: "\(shown(s)) is geen gemeentecode; verwacht 4 cijfers, meerdere gescheiden door |")
            }
            gemeenten.append(Gemeente(code: try row.gemeenteCode("code"), name: row.text("name"),
                                      validFrom: try row.date("valid_from"), validTo: try row.date("valid_to"),
                                      successors: successors))
        }
        let known = Set(gemeenten.map(\.code))
        func check(_ code: String, _ row: KeyedTable.Row, _ column: String, _ file: String) throws(InputError) {
            guard known.contains(code) else {
                throw InputError(file: file, line: row.line, column: column, message: "gemeentecode \(code) staat niet in \(names.gemeenten)")
            }
        }
        var aliases: [(alias: String, code: String, from: Peildatum?, to: Peildatum?)] = []
        for row in try KeyedTable(bytes: texts.aliases, file: names.aliases,
                                  required: ["alias", "code", "valid_from", "valid_to", "source"]).rows {
            let code = try row.gemeenteCode("code")
            try check(code, row, "code", names.aliases)
            aliases.append((row.text("alias"), code, try row.date("valid_from"), try row.date("valid_to")))
        }
        var regions: [RegionMember] = []
        for row in try KeyedTable(bytes: texts.regions, file: names.regions,
                                  required: ["region", "region_name", "code", "valid_from", "valid_to", "source"]).rows {
            let code = try row.gemeenteCode("code")
            try check(code, row, "code", names.regions)
            regions.append(RegionMember(region: row.text("region"), regionName: row.text("region_name"), code: code,
                                        validFrom: try row.date("valid_from"), validTo: try row.date("valid_to")))
        }
        var swvs: [Swv] = []
        for row in try KeyedTable(bytes: texts.swv, file: names.swv, required: ["code", "sector", "name", "source"]).rows {
            let text = row.text("sector")
            guard let sector = Sector(rawValue: text) else {
                throw InputError(file: names.swv, line: row.line, column: "sector", message: "\(shown(text)); verwacht po of vo")
            }
            swvs.append(Swv(code: row.text("code"), sector: sector, name: row.text("name")))
        }
        let swvCodes = Set(swvs.map(\.code))
        var areas: [SwvArea] = []
        for row in try KeyedTable(bytes: texts.swvAreas, file: names.swvAreas,
                                  required: ["swv", "gemeente_code", "pc4", "valid_from", "valid_to", "source"]).rows {
            guard swvCodes.contains(row.text("swv")) else {
                throw InputError(file: names.swvAreas, line: row.line, column: "swv", message: "\(shown(row.text("swv"))) staat niet in \(names.swv)")
            }
            let code = try row.gemeenteCode("gemeente_code")
            try check(code, row, "gemeente_code", names.swvAreas)
            var pc4: String?
            if let raw = row.optional("pc4") {
                guard let p = PC4.normalize(raw) else {
                    throw InputError(file: names.swvAreas, line: row.line, column: "pc4", message: "\(shown(raw)) is geen PC4; verwacht 4 cijfers")
                }
                pc4 = p
            }
            areas.append(SwvArea(swv: row.text("swv"), gemeente: code, pc4: pc4,
                                 validFrom: try row.date("valid_from"), validTo: try row.date("valid_to")))
        }
        var pc4Table: [String: PC4Assignment] = [:]
        if let table = texts.pc4Table {
            for row in try KeyedTable(bytes: table.bytes, file: table.name, required: ["pc4", "gemeente", "po_swv", "vo_swv"]).rows {
                guard let pc4 = PC4.normalize(row.text("pc4")) else {
                    throw InputError(file: table.name, line: row.line, column: "pc4", message: "\(shown(row.text("pc4"))) is geen PC4; verwacht 4 cijfers")
                }
                pc4Table[pc4] = PC4Assignment(gemeenteName: row.text("gemeente"), poSwv: row.text("po_swv"), voSwv: row.text("vo_swv"))
            }
        }
        var reference = try Reference(gemeenten: gemeenten, aliases: aliases, regions: regions, swvs: swvs, swvAreas: areas,
                                      pc4Table: pc4Table).withMaps(texts.maps)
        reference.textFingerprint = texts.fingerprint
        return reference
    }

    /// The same reference with these gemeente outlines (`geo/gemeenten-<year>.csv`) for its maps, oldest first.
    public func withMaps(_ files: [(name: String, bytes: [UInt8])]) throws(InputError) -> Reference {
        var shapes: [GemeenteShapes] = []
        for file in files { shapes.append(try GemeenteShapes.parse(file.bytes, file: file.name)) }
        var reference = self
        reference.maps = shapes.sorted { $0.year < $1.year }
        return reference
    }
}
