/// The DUO datasets the tool understands. A dataset can arrive in several layouts (DUO renamed columns
/// over the years); every layout of one dataset lands in the same table.
public enum Dataset: String, CaseIterable, Codable, Sendable {
    /// "03. Leerlingen po per gemeente, postcode leerling en leeftijd": school location × pupil PC4 × age.
    case poPostcode = "po_postcode"
    /// "02. Leerlingen per vestiging naar postcode leerling en leerjaar": vo school location × pupil PC4 × year.
    case voPostcode = "vo_postcode"
    /// "01. Leerlingen po per onderwijssoort, cluster en leeftijd": school side only, exact margins.
    case poVestiging = "po_vestiging"
    /// "03. Leerlingen vo per vestiging en bestuur (vavo apart)": vo school totals.
    case voVestiging = "vo_vestiging"

    public var title: String {
        switch self {
        case .poPostcode: return "03. Leerlingen po per gemeente, postcode leerling en leeftijd"
        case .voPostcode: return "02. Leerlingen per vestiging naar postcode leerling en leerjaar"
        case .poVestiging: return "01. Leerlingen po per onderwijssoort, cluster en leeftijd"
        case .voVestiging: return "03. Leerlingen vo per vestiging en bestuur (vavo apart)"
        }
    }

    /// True for datasets with a pupil home location (origin–destination rows).
    public var hasHome: Bool {
        switch self {
        case .poPostcode, .voPostcode: return true
        case .poVestiging, .voVestiging: return false
        }
    }

    /// Labels of the count cells, in column order.
    public var cellLabels: [String] {
        switch self {
        case .poPostcode, .poVestiging: return poAgeLabels
        case .voPostcode: return (1...6).map { "leerjaar \($0)" }
        case .voVestiging: return ["aantal"]
        }
    }
}

/// Age cells of the po files: younger than 4, 4 … 24, older.
public let poAgeLabels: [String] = ["jonger"] + (4...24).map(String.init) + ["ouder"]

/// What a column means, independent of how a layout spells it.
public enum Field: Hashable, Sendable, CustomStringConvertible {
    case peildatum, schoolGemeenteCode, schoolGemeenteName, homePC4, homeName, homeGemeenteCode, homePlace
    case institution, location, schoolName, schoolPostcode, schoolPlace, province, soort, cluster
    case denomination, authority, total, vavo
    case cell(Int)

    public var description: String {
        switch self {
        case .cell(let i): return "cel \(i)"
        case .peildatum: return "peildatum"
        case .schoolGemeenteCode: return "schoolgemeente (nummer)"
        case .schoolGemeenteName: return "schoolgemeente (naam)"
        case .homePC4: return "postcode leerling"
        case .homeName: return "woongemeente (naam)"
        case .homeGemeenteCode: return "woongemeente (nummer)"
        case .homePlace: return "woonplaats"
        case .institution: return "instellingscode"
        case .location: return "vestigingscode"
        case .schoolName: return "naam vestiging"
        case .schoolPostcode: return "postcode vestiging"
        case .schoolPlace: return "plaatsnaam"
        case .province: return "provincie"
        case .soort: return "soort"
        case .cluster: return "cluster"
        case .denomination: return "denominatie"
        case .authority: return "bevoegd gezag"
        case .total: return "totaal"
        case .vavo: return "uitbesteed aan vavo"
        }
    }

    /// A small number of its own per field (the cells after the named fields), for a lookup per row that hashes
    /// nothing (`ColumnSlots`).
    var slot: Int {
        switch self {
        case .peildatum: 0
        case .schoolGemeenteCode: 1
        case .schoolGemeenteName: 2
        case .homePC4: 3
        case .homeName: 4
        case .homeGemeenteCode: 5
        case .homePlace: 6
        case .institution: 7
        case .location: 8
        case .schoolName: 9
        case .schoolPostcode: 10
        case .schoolPlace: 11
        case .province: 12
        case .soort: 13
        case .cluster: 14
        case .denomination: 15
        case .authority: 16
        case .total: 17
        case .vavo: 18
        case .cell(let i): 19 + i
        }
    }
}

/// The column of each field of a recognized layout, looked up by `Field.slot`.
struct ColumnSlots {
    private var columns: [Int]
    init(_ map: [Field: Int]) {
        columns = Array(repeating: -1, count: (map.keys.map(\.slot).max() ?? -1) + 1)
        for (field, index) in map { columns[field.slot] = index }
    }
    subscript(_ field: Field) -> Int? {
        let slot = field.slot
        guard slot < columns.count, columns[slot] >= 0 else { return nil }
        return columns[slot]
    }
}

public struct ColumnSpec: Sendable {
    public let field: Field
    /// Accepted header spellings, already normalized (see `normalizeHeader`).
    public let names: [String]
    public let required: Bool
}

/// One known file layout: the dataset it belongs to and its columns.
public struct Layout: Sendable {
    public let id: String
    public let dataset: Dataset
    public let columns: [ColumnSpec]
    /// Cell values may be the text `<5` (DUO's masking since November 2023).
    public let masked: Bool

    /// Header matched against this layout: field → column index, or what did not match.
    public func match(_ header: [String]) -> Result<[Field: Int], LayoutMismatch> {
        match(header, normalized: header.map(normalizeHeader))
    }

    /// `normalized`: the header's names through `normalizeHeader` (worked out once for all layouts tried).
    func match(_ header: [String], normalized: [String]) -> Result<[Field: Int], LayoutMismatch> {
        var map: [Field: Int] = [:]
        var unknown: [String] = []
        for (index, raw) in header.enumerated() {
            let name = normalized[index]
            if let spec = columns.first(where: { $0.names.contains(name) }), map[spec.field] == nil {
                map[spec.field] = index
            } else {
                unknown.append(raw)
            }
        }
        let missing = columns.filter { $0.required && map[$0.field] == nil }.map { $0.names[0] }
        if missing.isEmpty && unknown.isEmpty { return .success(map) }
        return .failure(LayoutMismatch(layout: id, missing: missing, unexpected: unknown))
    }
}

public struct LayoutMismatch: Error, Sendable {
    public let layout: String
    public let missing: [String]
    public let unexpected: [String]

    public var summary: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("ontbreekt: \(shownList(missing))") }
        if !unexpected.isEmpty { parts.append("onbekend: \(shownList(unexpected))") }
        return "\(layout) (\(parts.joined(separator: "; ")))"
    }
}

/// Header names compared case-insensitively, with spaces and underscores treated alike.
public func normalizeHeader(_ raw: String) -> String {
    raw.utf8.allSatisfy({ $0 < 0x80 }) ? normalizeASCIIHeader(raw) : normalizeHeaderCharacters(raw)
}

/// `normalizeHeader` on Characters: any text (a BOM is trimmed, case is mapped as Unicode says).
func normalizeHeaderCharacters(_ raw: String) -> String {
    var out = ""
    var pendingSeparator = false
    for ch in raw.trimmingCharacters(in: " \t\u{FEFF}").uppercased() {
        if ch == " " || ch == "_" { pendingSeparator = true; continue }
        if pendingSeparator && !out.isEmpty { out.append("_") }
        pendingSeparator = false
        out.append(ch)
    }
    return out
}

/// `normalizeHeader` of an ASCII name, on its bytes: the same result without Unicode case mapping.
func normalizeASCIIHeader(_ raw: String) -> String {
    var bytes = Array(raw.utf8)[...]
    while let b = bytes.first, b == 0x20 || b == 0x09 { bytes.removeFirst() }
    while let b = bytes.last, b == 0x20 || b == 0x09 { bytes.removeLast() }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var pendingSeparator = false
    for b in bytes {
        if b == 0x20 || b == 0x5F { pendingSeparator = true; continue }
        if pendingSeparator && !out.isEmpty { out.append(0x5F) }
        pendingSeparator = false
        out.append(b >= 0x61 && b <= 0x7A ? b - 0x20 : b)
    }
    return String(decoding: out, as: UTF8.self)
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return s.count == count ? self : String(s)
    }
}

private func col(_ field: Field, _ names: String..., required: Bool = true) -> ColumnSpec {
    ColumnSpec(field: field, names: names.map(normalizeHeader), required: required)
}

private func poAgeColumns() -> [ColumnSpec] {
    var specs = [col(.cell(0), "LEEFTIJD_JONGER", "LEEFTIJD_JONGER_DAN_4", "LEEFTIJD_JONGER_DAN_4_JAAR")]
    for (offset, age) in (4...24).enumerated() {
        specs.append(col(.cell(offset + 1), "LEEFTIJD_\(age)", "LEEFTIJD_\(age)_JAAR"))
    }
    specs.append(col(.cell(22), "LEEFTIJD_OUDER", "LEEFTIJD_OUDER_DAN_24", "LEEFTIJD_OUDER_DAN_24_JAAR"))
    return specs
}

/// Every layout the tool recognizes, tried in this order. Recognition is by header only, never by file name.
public let knownLayouts: [Layout] = {
    let poSchool = [
        col(.peildatum, "PEILDATUM"),
        col(.schoolGemeenteCode, "GEMEENTENUMMER"),
        col(.schoolGemeenteName, "GEMEENTENAAM"),
        col(.schoolName, "INSTELLINGSNAAM_VESTIGING"),
        col(.schoolPostcode, "POSTCODE_VESTIGING"),
        col(.schoolPlace, "PLAATSNAAM"),
        col(.province, "PROVINCIE"),
        col(.soort, "SOORT_PO"),
        col(.denomination, "DENOMINATIE_VESTIGING"),
        col(.authority, "BEVOEGD_GEZAG_NUMMER"),
    ]
    let home = [col(.homePC4, "POSTCODE_LEERLING"), col(.homeName, "GEMEENTENAAM_LEERLING")]
    let newIDs = [col(.institution, "INSTELLINGSCODE"), col(.location, "VESTIGINGSCODE")]
    let oldIDs = [col(.institution, "BRIN_NUMMER", "BRINNUMMER"), col(.location, "VESTIGINGSNUMMER")]
    let voLeerjaren = (1...6).map { col(.cell($0 - 1), "LEER-_OF_VERBLIJFSJAAR_\($0)", "LEERJAAR_\($0)") }
    let voFlow = [
        col(.schoolName, "INSTELLINGSNAAM_VESTIGING"),
        col(.schoolGemeenteCode, "GEMEENTENUMMER"),
        col(.schoolGemeenteName, "GEMEENTENAAM"),
        col(.homePC4, "POSTCODE_LEERLING"),
        col(.homePlace, "PLAATSNAAM_LEERLING"),
        col(.homeGemeenteCode, "GEMEENTENUMMER_LEERLING"),
        col(.homeName, "GEMEENTENAAM_LEERLING"),
        col(.peildatum, "PEILDATUM", required: false),
    ]
    return [
        Layout(id: "po03-2024", dataset: .poPostcode,
               columns: poSchool + home + newIDs + poAgeColumns(), masked: true),
        Layout(id: "po03-oud", dataset: .poPostcode,
               columns: poSchool + home + oldIDs + poAgeColumns() + [col(.total, "TOTAAL")], masked: false),
        Layout(id: "po01-oud", dataset: .poVestiging,
               columns: poSchool + oldIDs + poAgeColumns() + [col(.cluster, "CLUSTER"), col(.total, "TOTAAL")],
               masked: false),
        Layout(id: "po01-2024", dataset: .poVestiging,
               columns: poSchool + newIDs + poAgeColumns() + [col(.cluster, "CLUSTER"), col(.total, "TOTAAL", required: false)],
               masked: true),
        Layout(id: "vo02-oud", dataset: .voPostcode,
               columns: oldIDs + voFlow + voLeerjaren, masked: false),
        Layout(id: "vo02-2024", dataset: .voPostcode,
               columns: newIDs + voFlow + voLeerjaren, masked: true),
        Layout(id: "vo03-vavo", dataset: .voVestiging,
               columns: [
                   col(.authority, "BEVOEGD_GEZAG_NUMMER"),
                   col(.institution, "INSTELLINGSCODE"),
                   col(.location, "VESTIGINGSCODE"),
                   col(.schoolName, "INSTELLINGSNAAM_VESTIGING"),
                   col(.schoolPlace, "PLAATSNAAM"),
                   col(.schoolGemeenteCode, "GEMEENTENUMMER"),
                   col(.schoolGemeenteName, "GEMEENTENAAM"),
                   col(.province, "PROVINCIE"),
                   col(.cell(0), "AANTAL_LEERLINGEN"),
                   col(.vavo, "AANTAL_VO_LEERLINGEN_UITBESTEED_AAN_VAVO"),
                   col(.peildatum, "PEILDATUM", required: false),
               ], masked: true),
    ]
}()

/// Finds the layout of a header, or explains for every known layout why it did not match.
public func recognizeLayout(_ header: [String], file: String) throws(InputError) -> (Layout, [Field: Int]) {
    var mismatches: [LayoutMismatch] = []
    let normalized = header.map(normalizeHeader)
    for layout in knownLayouts {
        switch layout.match(header, normalized: normalized) {
        case .success(let map): return (layout, map)
        case .failure(let mismatch): mismatches.append(mismatch)
        }
    }
    // Show the closest layouts first, so the analyst sees the likely intended one at the top.
    mismatches.sort { ($0.missing.count + $0.unexpected.count, $0.layout) < ($1.missing.count + $1.unexpected.count, $1.layout) }
    let tried = mismatches.map { "  - " + $0.summary }.joined(separator: "\n")
    throw InputError(file: file, line: 1, column: nil,
                     message: "onbekende kolomkoppen; verwacht de kolommen van een bekende DUO-indeling. Geprobeerd:\n\(tried)")
}
