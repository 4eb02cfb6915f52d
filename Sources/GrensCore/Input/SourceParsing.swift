/// One published count: an exact number, or DUO's `<5` (a value from 1 to 4 that is not disclosed).
public enum Count: Equatable, Sendable {
    case exact(Int)
    case masked

    public var bounds: Bounds {
        switch self {
        case .exact(let n): return Bounds(exact: n)
        case .masked: return Bounds(min: 1, max: 4)
        }
    }
}

extension [Count] {
    /// Sum of the exact cells.
    public var exactSum: Int { reduce(0) { if case .exact(let n) = $1 { return $0 + n }; return $0 } }
}

/// One data row of a DUO file, typed and validated. Codes keep their leading zeros.
public struct SourceRow: Sendable, Equatable {
    public var line: Int
    public var schoolGemeente: String
    public var schoolGemeenteName: String
    public var schoolID: String
    public var schoolName: String
    public var schoolPC4: String?
    public var schoolPlace: String
    public var province: String = ""
    public var soort: Soort
    public var cluster: String?
    /// Pupil home: a PC4 (`2511`) or a pseudo-code (`10` België, `20` Duitsland, `30` ander land, `40` onbekend).
    public var homePC4: String?
    public var homeName: String?
    /// Only the vo flow files give the home gemeente as a number.
    public var homeGemeente: String?
    public var cells: [Count]
    public var total: Int?

    public var exactSum: Int { cells.exactSum }
    public var maskedCount: Int { cells.reduce(0) { $1 == .masked ? $0 + 1 : $0 } }
    /// Bit i set when cell i is `<5`.
    public var maskedBits: Int {
        var bits = 0
        for (i, c) in cells.enumerated() where c == .masked { bits |= 1 << i }
        return bits
    }
}

/// A whole file, parsed: nothing from it reaches the store unless all of it parsed.
public struct ParsedFile: Sendable {
    public let name: String
    public let layout: Layout
    public let encoding: TextEncoding
    public let peildatum: Peildatum
    public let rows: [SourceRow]
    /// The school gemeenten the file covers: the replacement scope of a corrected file. Computed once: the
    /// ingest plan asks for it per stored file, and a national file has every school gemeente's rows.
    public let scope: [String]
    /// The number of data rows (also when `rows` are not held).
    public let rowCount: Int

    public init(name: String, layout: Layout, encoding: TextEncoding, peildatum: Peildatum, rows: [SourceRow]) {
        self.name = name
        self.layout = layout
        self.encoding = encoding
        self.peildatum = peildatum
        self.rows = rows
        scope = Array(Set(rows.map(\.schoolGemeente))).sorted()
        rowCount = rows.count
    }

    /// A file already in the store, described by what the store holds about it (no rows): an ingest run that
    /// finds its sha256 stored needs only its kind and scope, not its rows.
    public init(stored name: String, layout: Layout, encoding: TextEncoding, peildatum: Peildatum, scope: [String], rowCount: Int = 0) {
        self.name = name
        self.layout = layout
        self.encoding = encoding
        self.peildatum = peildatum
        self.rows = []
        self.scope = scope
        self.rowCount = rowCount
    }

    /// The description alone, once the rows are written: what the ingest plan needs of the file.
    public var withoutRows: ParsedFile {
        ParsedFile(stored: name, layout: layout, encoding: encoding, peildatum: peildatum, scope: scope, rowCount: rowCount)
    }
}

/// Pseudo-postcodes DUO uses for pupils without a Dutch home PC4.
public let pseudoPostcodes: [String: String] = ["10": "België", "20": "Duitsland", "30": "ander land", "40": "onbekend"]

/// Parses one DUO file. `peildatum` is required for layouts without a PEILDATUM column and must agree with the
/// file's own column otherwise. Returns nil for an empty file (a warning for the caller, not an error).
public func parseSource(bytes raw: [UInt8], file: String, peildatum given: Peildatum? = nil) throws(InputError) -> ParsedFile? {
    let text = try decodeText(raw, file: file)
    var reader = CSVReader(bytes: text.bytes, file: file)
    guard try reader.next() else { return nil }
    let header = (0..<reader.fields.count).map { reader.string($0) }
    let (layout, map) = try recognizeLayout(header, file: file)
    let columnName = { (field: Field) -> String in header[map[field]!] }
    let cellCount = layout.dataset.cellLabels.count
    let cellColumns = (0..<cellCount).map { map[.cell($0)]! }
    let slots = ColumnSlots(map)

    // Room for every row at once, so that neither grows while the file is read: a row of the real files takes
    // 150–250 bytes.
    let expectedRows = text.bytes.count / 128
    var rows: [SourceRow] = []
    rows.reserveCapacity(expectedRows)
    var firstLine: [RowKey: Int] = [:]
    firstLine.reserveCapacity(expectedRows)
    var filePeildatum = given
    var peildatumLine = 0
    let bytes = text.bytes
    var texts = FieldTexts(bytes: bytes, columns: header.count)
    while try reader.next() {
        let line = reader.recordLine
        let fields = reader.fields
        guard fields.count == header.count else {
            throw InputError(file: file, line: line, column: nil,
                             message: "\(fields.count) velden in deze regel; verwacht \(header.count) (zoals de kopregel)")
        }
        func text(_ field: Field) -> String? {
            guard let index = slots[field] else { return nil }
            return texts.text(index, fields[index])
        }
        func fail(_ field: Field, _ message: String) -> InputError {
            InputError(file: file, line: line, column: columnName(field), message: message)
        }

        if let value = text(.peildatum) {
            guard let date = Peildatum(duo: value) else {
                throw fail(.peildatum, "\(shown(value)) is geen datum; verwacht JJJJMMDD, bijvoorbeeld 20241001")
            }
            if let known = filePeildatum, known != date {
                let origin = peildatumLine == 0 ? "de opgegeven peildatum" : "regel \(peildatumLine)"
                throw fail(.peildatum, "peildatum \(date) wijkt af van \(known) (\(origin)); verwacht één peildatum per bestand")
            }
            if filePeildatum == nil { filePeildatum = date; peildatumLine = line }
        }

        let gemeenteText = text(.schoolGemeenteCode) ?? ""
        guard let gemeente = GemeenteCode.normalize(gemeenteText) else {
            throw fail(.schoolGemeenteCode, "\(shown(gemeenteText)) is geen gemeentenummer; verwacht 1 tot 4 cijfers")
        }
        let institution = text(.institution) ?? ""
        let location = text(.location) ?? ""
        let schoolID: String
        if layout.dataset == .voVestiging {
            // This file gives the full 6-character location code.
            guard location.utf8.count == 6, location.hasPrefix(institution), isAlphanumeric(location) else {
                throw fail(.location, "\(shown(location)) is geen vestigingscode; verwacht 6 tekens beginnend met de instellingscode \(shown(institution))")
            }
            schoolID = location
        } else {
            guard institution.utf8.count == 4, isAlphanumeric(institution) else {
                throw fail(.institution, "\(shown(institution)) is geen instellingscode; verwacht 4 tekens (bijvoorbeeld 00WO)")
            }
            guard location.utf8.count == 2 || location.utf8.count == 1, isDigits(location) else {
                throw fail(.location, "\(shown(location)) is geen vestigingsnummer; verwacht 2 cijfers (bijvoorbeeld 00)")
            }
            schoolID = institution + (location.utf8.count == 1 ? "0" + location : location)
        }

        var schoolPC4: String?
        if let postcode = text(.schoolPostcode) {
            let compact = postcode.replacingSpaces()
            guard compact.utf8.count == 6, let pc4 = PC4.normalize(String(compact.prefix(4))),
                  compact.utf8.suffix(2).allSatisfy(isASCIILetter) else {
                throw fail(.schoolPostcode, "\(shown(postcode)) is geen postcode; verwacht 4 cijfers en 2 letters, bijvoorbeeld 2566EA")
            }
            schoolPC4 = pc4
        }

        let soort: Soort
        switch layout.dataset.sector {
        case .po:
            let value = text(.soort) ?? ""
            guard let known = Soort(duo: value), known.sector == .po else {
                let po = Soort.allCases.filter { $0.sector == .po }.map(\.rawValue)
                throw fail(.soort, "\(shown(value)) is geen soort po; verwacht \(po.dropLast().joined(separator: ", ")) of \(po.last ?? "")")
            }
            soort = known
        case .vo:
            soort = .vo
        }

        var homePC4: String?
        var homeGemeente: String?
        if layout.dataset.hasHome {
            let value = text(.homePC4) ?? ""
            if pseudoPostcodes[value] != nil {
                homePC4 = value
            } else if let pc4 = PC4.normalize(value) {
                homePC4 = pc4
            } else {
                throw fail(.homePC4, "\(shown(value)) is geen postcode; verwacht 4 cijfers (1000-9999) of een pseudocode 10, 20, 30 of 40")
            }
            if let value = text(.homeGemeenteCode), !value.isEmpty {
                guard let code = GemeenteCode.normalize(value) else {
                    throw fail(.homeGemeenteCode, "\(shown(value)) is geen gemeentenummer; verwacht 1 tot 4 cijfers")
                }
                homeGemeente = code
            }
        }

        var cells: [Count] = []
        cells.reserveCapacity(cellCount)
        for index in cellColumns {
            let field = fields[index]
            guard let count = parseCount(bytes, field.start, field.end) else {
                let expectation = layout.masked ? "een geheel getal ≥ 0 of <5" : "een geheel getal ≥ 0 (dit oudere formaat kent geen <5)"
                throw InputError(file: file, line: line, column: header[index], message: countProblem(reader.string(index), expected: expectation))
            }
            if count == .masked && !layout.masked {
                throw InputError(file: file, line: line, column: header[index],
                                 message: "'<5' in een onafgeschermd formaat (\(layout.id)); verwacht een geheel getal")
            }
            cells.append(count)
        }

        var total: Int?
        if let index = slots[.total], let value = text(.total), !value.isEmpty {
            let field = fields[index]
            guard case .exact(let n)? = parseCount(bytes, field.start, field.end) else {
                throw fail(.total, countProblem(value, expected: "een geheel getal ≥ 0"))
            }
            if !cells.contains(.masked), cells.exactSum != n {
                throw fail(.total, "TOTAAL \(n) is niet de som van de leeftijden (\(cells.exactSum)); verwacht gelijke waarden")
            }
            total = n
        }

        var cluster: String?
        if let value = text(.cluster) { cluster = value.isEmpty ? nil : value }

        // DUO publishes every combination of the key once; a second row with it counts its pupils twice,
        // whatever its counts say. The key per dataset:
        // - po 03: vestiging × soort (an so/vso location has a row per soort) × home PC4 × home gemeente name
        //   (a PC4 across a gemeente border may have a row per home gemeente; in the real 2017 and 2024 files
        //   each PC4 has one row per vestiging × soort);
        // - vo 02: vestiging × home PC4 × home place × home gemeente number and name (a PC4 spans places; no soort);
        // - po 01: vestiging × soort × cluster (the dataset is per soort and cluster);
        // - vo 03: vestiging (the full 6-character code).
        // On the real files (2024 and 2017 po 03, 2015–2017 po 01, 2025 vo 03) no key occurs twice.
        let homeName = text(.homeName)
        let homePlace = text(.homePlace) ?? ""
        let key: RowKey
        switch layout.dataset {
        case .poPostcode: key = RowKey(schoolID, soort.rawValue, homePC4 ?? "", homeName ?? "")
        case .voPostcode: key = RowKey(schoolID, homePC4 ?? "", homePlace, homeGemeente ?? "", homeName ?? "")
        case .poVestiging: key = RowKey(schoolID, soort.rawValue, cluster ?? "")
        case .voVestiging: key = RowKey(schoolID)
        }
        if let first = firstLine.updateValue(line, forKey: key) {
            let same: String
            switch layout.dataset {
            case .poPostcode:
                same = "vestiging \(schoolID), soort \(soort.rawValue), postcode leerling \(homePC4 ?? "") en woongemeente \(shown(homeName ?? ""))"
            case .voPostcode:
                same = "vestiging \(schoolID), postcode leerling \(homePC4 ?? ""), woonplaats \(shown(homePlace)) en woongemeente \(homeGemeente ?? "") \(shown(homeName ?? ""))"
            case .poVestiging: same = "vestiging \(schoolID), soort \(soort.rawValue) en cluster \(shown(cluster ?? ""))"
            case .voVestiging: same = "vestiging \(schoolID)"
            }
            throw InputError(file: file, line: line, column: nil,
                             message: "regel \(line) herhaalt regel \(first) (zelfde \(same)); verwacht elke combinatie één keer")
        }

        rows.append(SourceRow(
            line: line, schoolGemeente: gemeente, schoolGemeenteName: text(.schoolGemeenteName) ?? "",
            schoolID: schoolID, schoolName: text(.schoolName) ?? "", schoolPC4: schoolPC4,
            schoolPlace: text(.schoolPlace) ?? "", province: text(.province) ?? "", soort: soort, cluster: cluster,
            homePC4: homePC4, homeName: homeName, homeGemeente: homeGemeente,
            cells: cells, total: total))
    }
    guard let peildatum = filePeildatum else {
        throw InputError(file: file, line: nil, column: nil,
                         message: rows.isEmpty
                             ? "het bestand heeft alleen een kopregel; verwacht minstens één gegevensregel"
                             : "dit formaat (\(layout.id)) heeft geen kolom PEILDATUM; geef de peildatum op met --peildatum JJJJ-MM-DD")
    }
    if rows.isEmpty {
        throw InputError(file: file, line: nil, column: nil, message: "het bestand heeft alleen een kopregel; verwacht minstens één gegevensregel")
    }
    return ParsedFile(name: file, layout: layout, encoding: text.encoding, peildatum: peildatum, rows: rows)
}

/// The key of a row within its file: up to five values, compared as they are (no joined String per row).
struct RowKey: Hashable {
    let a: String, b: String, c: String, d: String, e: String
    init(_ a: String, _ b: String = "", _ c: String = "", _ d: String = "", _ e: String = "") {
        (self.a, self.b, self.c, self.d, self.e) = (a, b, c, d, e)
    }
}

/// The largest count a cell may hold: far above any real one, and small enough that no sum of a file's cells
/// can overflow.
let maxCount = 999_999_999

/// Why a field is not a count: digits only means too large, anything else is no number at all.
func countProblem(_ text: String, expected: String) -> String {
    let digits = text.trimmingCharacters(in: " ")
    if !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
        return "\(shown(text)) is te groot; verwacht een aantal van hoogstens \(DutchFormat.integer(maxCount))"
    }
    return "\(shown(text)) is geen aantal; verwacht \(expected)"
}

/// Parses a count cell from bytes: digits (spaces around allowed, at most `maxCount`), or `<5`.
func parseCount(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Count? {
    var s = start, e = end
    while s < e, bytes[s] == 0x20 { s += 1 }
    while e > s, bytes[e - 1] == 0x20 { e -= 1 }
    guard s < e else { return nil }
    if e - s == 2, bytes[s] == 0x3C, bytes[s + 1] == 0x35 { return .masked }
    var n = 0
    for i in s..<e {
        let d = bytes[i] &- 0x30
        guard d < 10, n <= maxCount / 10 else { return nil }
        n = n * 10 + Int(d)
    }
    return .exact(n)
}

/// ASCII letters and digits only (read on the bytes: no Unicode properties per character).
func isAlphanumeric(_ s: String) -> Bool { s.utf8.allSatisfy { isASCIILetter($0) || ($0 >= 0x30 && $0 <= 0x39) } }
/// ASCII digits only.
func isDigits(_ s: String) -> Bool { s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
func isASCIILetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

extension String {
    func replacingSpaces() -> String { utf8.contains(0x20) ? String(decoding: utf8.filter { $0 != 0x20 }, as: UTF8.self) : self }
}
