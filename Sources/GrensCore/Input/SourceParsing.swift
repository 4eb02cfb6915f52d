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
    public var soort: String
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
    /// The school gemeenten the file covers: the replacement scope of a corrected file.
    public var scope: [String] { Array(Set(rows.map(\.schoolGemeente))).sorted() }
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

    var rows: [SourceRow] = []
    var filePeildatum = given
    var peildatumLine = 0
    while try reader.next() {
        let line = reader.recordLine
        guard reader.fields.count == header.count else {
            throw InputError(file: file, line: line, column: nil,
                             message: "\(reader.fields.count) velden in deze regel; verwacht \(header.count) (zoals de kopregel)")
        }
        func text(_ field: Field) -> String? {
            guard let index = map[field] else { return nil }
            return reader.trimmedString(index)
        }
        func fail(_ field: Field, _ message: String) -> InputError {
            InputError(file: file, line: line, column: columnName(field), message: message)
        }

        if let value = text(.peildatum) {
            guard let date = Peildatum(duo: value) else {
                throw fail(.peildatum, "'\(value)' is geen datum; verwacht JJJJMMDD, bijvoorbeeld 20241001")
            }
            if let known = filePeildatum, known != date {
                let origin = peildatumLine == 0 ? "de opgegeven peildatum" : "regel \(peildatumLine)"
                throw fail(.peildatum, "peildatum \(date) wijkt af van \(known) (\(origin)); verwacht één peildatum per bestand")
            }
            if filePeildatum == nil { filePeildatum = date; peildatumLine = line }
        }

        let gemeenteText = text(.schoolGemeenteCode) ?? ""
        guard let gemeente = GemeenteCode.normalize(gemeenteText) else {
            throw fail(.schoolGemeenteCode, "'\(gemeenteText)' is geen gemeentenummer; verwacht 1 tot 4 cijfers")
        }
        let institution = text(.institution) ?? ""
        let location = text(.location) ?? ""
        let schoolID: String
        if layout.dataset == .voVestiging {
            // This file gives the full 6-character location code.
            guard location.count == 6, location.hasPrefix(institution), isAlphanumeric(location) else {
                throw fail(.location, "'\(location)' is geen vestigingscode; verwacht 6 tekens beginnend met de instellingscode '\(institution)'")
            }
            schoolID = location
        } else {
            guard institution.count == 4, isAlphanumeric(institution) else {
                throw fail(.institution, "'\(institution)' is geen instellingscode; verwacht 4 tekens (bijvoorbeeld 00WO)")
            }
            guard location.count == 2 || location.count == 1, location.allSatisfy(\.isNumber) else {
                throw fail(.location, "'\(location)' is geen vestigingsnummer; verwacht 2 cijfers (bijvoorbeeld 00)")
            }
            schoolID = institution + (location.count == 1 ? "0" + location : location)
        }

        var schoolPC4: String?
        if let postcode = text(.schoolPostcode) {
            let compact = postcode.replacingSpaces()
            guard compact.count == 6, let pc4 = PC4.normalize(String(compact.prefix(4))),
                  compact.suffix(2).allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw fail(.schoolPostcode, "'\(postcode)' is geen postcode; verwacht 4 cijfers en 2 letters, bijvoorbeeld 2566EA")
            }
            schoolPC4 = pc4
        }

        let soort: String
        switch layout.dataset {
        case .poPostcode, .poVestiging:
            let value = text(.soort) ?? ""
            guard let known = ["BO": "Bo", "SBO": "Sbo", "SO": "So", "VSO": "Vso"][value.uppercased()] else {
                throw fail(.soort, "'\(value)' is geen soort po; verwacht Bo, Sbo, So of Vso")
            }
            soort = known
        case .voPostcode, .voVestiging:
            soort = "Vo"
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
                throw fail(.homePC4, "'\(value)' is geen postcode; verwacht 4 cijfers (1000-9999) of een pseudocode 10, 20, 30 of 40")
            }
            if let value = text(.homeGemeenteCode), !value.isEmpty {
                guard let code = GemeenteCode.normalize(value) else {
                    throw fail(.homeGemeenteCode, "'\(value)' is geen gemeentenummer; verwacht 1 tot 4 cijfers")
                }
                homeGemeente = code
            }
        }

        var cells: [Count] = []
        cells.reserveCapacity(cellCount)
        for index in cellColumns {
            let field = reader.fields[index]
            guard let count = parseCount(reader.bytes, field.start, field.end) else {
                let shown = reader.string(index)
                let expectation = layout.masked ? "een geheel getal ≥ 0 of <5" : "een geheel getal ≥ 0 (dit oudere formaat kent geen <5)"
                throw InputError(file: file, line: line, column: header[index], message: "'\(shown)' is geen aantal; verwacht \(expectation)")
            }
            if count == .masked && !layout.masked {
                throw InputError(file: file, line: line, column: header[index],
                                 message: "'<5' in een onafgeschermd formaat (\(layout.id)); verwacht een geheel getal")
            }
            cells.append(count)
        }

        var total: Int?
        if let value = text(.total), !value.isEmpty {
            guard let n = Int(value), n >= 0 else {
                throw fail(.total, "'\(value)' is geen aantal; verwacht een geheel getal ≥ 0")
            }
            if !cells.contains(.masked), cells.exactSum != n {
                throw fail(.total, "TOTAAL \(n) is niet de som van de leeftijden (\(cells.exactSum)); verwacht gelijke waarden")
            }
            total = n
        }

        var cluster: String?
        if let value = text(.cluster) { cluster = value.isEmpty ? nil : value }

        rows.append(SourceRow(
            line: line, schoolGemeente: gemeente, schoolGemeenteName: text(.schoolGemeenteName) ?? "",
            schoolID: schoolID, schoolName: text(.schoolName) ?? "", schoolPC4: schoolPC4,
            schoolPlace: text(.schoolPlace) ?? "", province: text(.province) ?? "", soort: soort, cluster: cluster,
            homePC4: homePC4, homeName: text(.homeName), homeGemeente: homeGemeente,
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

/// Parses a count cell from bytes: digits (spaces around allowed), or `<5`.
func parseCount(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Count? {
    var s = start, e = end
    while s < e, bytes[s] == 0x20 { s += 1 }
    while e > s, bytes[e - 1] == 0x20 { e -= 1 }
    guard s < e else { return nil }
    if e - s == 2, bytes[s] == 0x3C, bytes[s + 1] == 0x35 { return .masked }
    var n = 0
    for i in s..<e {
        let d = bytes[i] &- 0x30
        guard d < 10, n < 100_000_000 else { return nil }
        n = n * 10 + Int(d)
    }
    return .exact(n)
}

func isAlphanumeric(_ s: String) -> Bool { s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }

extension String {
    func replacingSpaces() -> String { String(filter { $0 != " " }) }
}
