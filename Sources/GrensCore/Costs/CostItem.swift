/// A cost item as the analyst writes it in `data/kosten/*.txt`: `veld: waarde` lines, `#` starts a comment.
/// See `data/kosten/README.md` for the fields and examples.
public struct CostItem: Sendable, Equatable, Codable {
    public enum Key: String, Sendable, Codable, CaseIterable {
        /// Pupils at the selected schools by home gemeente (the woonplaatsbeginsel). The default.
        case leerlingen
        /// Equal shares per participating gemeente.
        case gelijk
        /// Fixed percentages per gemeente.
        case vast
        /// An amount per pupil; the total follows from the counts.
        case tarief

        public var label: String {
            switch self {
            case .leerlingen: return "naar aantal leerlingen per woongemeente"
            case .gelijk: return "gelijke delen per deelnemende gemeente"
            case .vast: return "vaste percentages"
            case .tarief: return "tarief per leerling"
            }
        }
    }

    /// Who pays: every home gemeente with pupils, the members of a region, or a list of gemeenten.
    public enum Participants: Sendable, Equatable, Codable {
        case all
        case region(String)
        case gemeenten([String])
    }

    public var file: String
    public var name: String
    public var version: String
    public var description: String
    /// Whose counts form the key: the date the file gives, or with `peildatum: laatste` the latest in the store.
    public var peildatum: Peildatum
    /// `peildatum: laatste`: the item moves to each new year by itself; otherwise it is pinned to `peildatum`.
    public var followsLatest: Bool = false
    public var key: Key
    /// Total in cents (for every key but `tarief`).
    public var totalCents: Int?
    /// Amount per pupil in cents (key `tarief`).
    public var tariffCents: Int?
    /// Selection of school locations: all filters that are given must hold.
    public var schools: [String]
    public var soorten: [Soort]
    public var schoolGemeenten: [String]
    public var swvs: [String]
    public var participants: Participants
    /// Key `vast`: gemeente → hundredths of a percent (10000 = 100%).
    public var fixedShares: [String: Int]
    /// Line of each field, for messages that name it.
    public var lines: [String: Int]

    /// The largest `bedrag`: € 1.000.000.000,00. Together with `maxTariffCents` and `CostSplit.maxPupils` it keeps
    /// every amount and every intermediate product of a split within exact integer arithmetic.
    public static let maxTotalCents = 100_000_000_000
    /// The largest `tarief`: € 1.000.000,00 per pupil.
    public static let maxTariffCents = 100_000_000

    static let fields = ["naam", "versie", "toelichting", "peildatum", "sleutel", "bedrag", "tarief", "vestigingen",
                         "soort", "schoolgemeenten", "swv", "deelnemers", "aandelen"]

    /// Parses one item file. Checks everything that can be checked without the store; `CostSplit.compute`
    /// checks the rest (schools that exist on the peildatum, gemeenten with pupils).
    /// `latest` is the latest peildatum in the store, the one `peildatum: laatste` stands for.
    public static func parse(_ bytes: [UInt8], file: String, reference: Reference, latest: Peildatum? = nil) throws(InputError) -> CostItem {
        let all = try utf8Text(bytes, file: file)
        var values: [String: String] = [:]
        var lines: [String: Int] = [:]
        for (index, raw) in all.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if let hash = line.firstIndex(of: "#") { line = String(line[..<hash]) }
            line = line.trimmingCharacters(in: " \t")
            if line.isEmpty { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw InputError(file: file, line: index + 1, column: nil, message: "\(shown(line)) heeft geen dubbele punt; verwacht 'veld: waarde'")
            }
            let field = String(line[..<colon]).trimmingCharacters(in: " \t").lowercased()
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: " \t")
            guard fields.contains(field) else {
                throw InputError(file: file, line: index + 1, column: field, message: "onbekend veld; verwacht een van: \(fields.joined(separator: ", "))")
            }
            guard values[field] == nil else {
                throw InputError(file: file, line: index + 1, column: field, message: "veld staat er twee keer in (eerst op regel \(lines[field]!)); verwacht één keer")
            }
            values[field] = value
            lines[field] = index + 1
        }
        guard !values.isEmpty else {
            throw InputError(file: file, line: nil, column: nil,
                             message: "het bestand bevat geen velden (leeg of alleen commentaar); verwacht regels 'veld: waarde', zie data/kosten/README.md")
        }
        func fail(_ field: String, _ message: String) -> InputError {
            InputError(file: file, line: lines[field], column: field, message: message)
        }
        func list(_ field: String, separators: String = ",;") -> [String] {
            // Text in parentheses is a human note, e.g. `20IX00 (Insp W P Blokpoelschool)`.
            var bare = ""
            var depth = 0
            for ch in values[field] ?? "" {
                if ch == "(" { depth += 1 } else if ch == ")" { depth = Swift.max(0, depth - 1) } else if depth == 0 { bare.append(ch) }
            }
            return bare.split(whereSeparator: { separators.contains($0) })
                .map { String($0).trimmingCharacters(in: " \t") }
                .filter { !$0.isEmpty }
        }
        func gemeenten(_ field: String) throws(InputError) -> [String] {
            var out: [String] = []
            for word in list(field) {
                guard word.count == 4, let code = GemeenteCode.normalize(word) else {
                    throw fail(field, "\(shown(word)) is geen gemeentecode; verwacht 4 cijfers, bijvoorbeeld 0518")
                }
                guard reference.gemeenten[code] != nil else { throw fail(field, "gemeente \(code) is onbekend; verwacht een code uit data/reference/gemeenten.csv") }
                out.append(code)
            }
            return out
        }

        guard let name = values["naam"], !name.isEmpty else { throw fail("naam", "naam ontbreekt; verwacht 'naam: …'") }
        guard let dateText = values["peildatum"] else { throw fail("peildatum", "peildatum ontbreekt; verwacht 'peildatum: JJJJ-MM-DD' of 'peildatum: laatste'") }
        let followsLatest = dateText.lowercased() == "laatste"
        let given = followsLatest ? latest : Peildatum(iso: dateText)
        guard let peildatum = given else {
            throw fail("peildatum", followsLatest ? "'laatste', maar de database heeft nog geen peildatum; lees eerst DUO-bestanden in"
                                                  : "\(shown(dateText)) is geen datum; verwacht JJJJ-MM-DD of laatste")
        }

        let total = try values["bedrag"].map { (v: String) throws(InputError) -> Int in
            try euroCents(v, field: "bedrag", maximum: maxTotalCents, fail: fail)
        }
        let tariff = try values["tarief"].map { (v: String) throws(InputError) -> Int in
            try euroCents(v, field: "tarief", maximum: maxTariffCents, fail: fail)
        }
        var key: Key = tariff != nil ? .tarief : .leerlingen
        if let k = values["sleutel"] {
            guard let parsed = Key(rawValue: k.lowercased()) else {
                throw fail("sleutel", "\(shown(k)) is geen verdeelsleutel; verwacht \(Key.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            key = parsed
        }
        switch key {
        case .tarief:
            guard tariff != nil else { throw fail("sleutel", "sleutel tarief zonder 'tarief: €…'; verwacht een bedrag per leerling") }
            guard total == nil else { throw fail("bedrag", "een tarief en een totaalbedrag samen; verwacht één van beide") }
        default:
            guard total != nil else { throw fail("bedrag", "bedrag ontbreekt; verwacht 'bedrag: € 1.234,56' (of 'tarief:' met sleutel tarief)") }
            guard tariff == nil else { throw fail("tarief", "een tarief bij sleutel \(key.rawValue); verwacht alleen 'bedrag:'") }
        }

        var schools: [String] = []
        for code in list("vestigingen") {
            guard code.count == 6, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw fail("vestigingen", "\(shown(code)) is geen vestigingscode; verwacht 6 tekens, bijvoorbeeld 20IX00")
            }
            schools.append(code.uppercased())
        }
        var soorten: [Soort] = []
        for word in list("soort") {
            guard let s = Soort(duo: word) else {
                throw fail("soort", "\(shown(word)) is geen schoolsoort; verwacht \(Soort.allCases.map(\.code).joined(separator: ", "))")
            }
            soorten.append(s)
        }
        let schoolGemeenten = try gemeenten("schoolgemeenten")
        let swvs = list("swv").map { $0.uppercased() }
        for s in swvs where reference.swvs[s] == nil {
            throw fail("swv", "swv \(shown(s)) is onbekend; verwacht een code uit data/reference/swv.csv")
        }
        if schools.isEmpty && soorten.isEmpty && schoolGemeenten.isEmpty && swvs.isEmpty {
            throw fail("vestigingen", "geen scholen gekozen; verwacht vestigingen, soort, schoolgemeenten en/of swv")
        }

        var participants: Participants = .all
        if let p = values["deelnemers"], !p.isEmpty, p.lowercased() != "alle" {
            if p.lowercased().hasPrefix("regio ") {
                let region = String(p.dropFirst(6)).trimmingCharacters(in: " ")
                guard !reference.members(of: region, on: peildatum).isEmpty else {
                    throw fail("deelnemers", "regio \(shown(region)) heeft geen leden op \(peildatum); verwacht een regio uit data/reference/regions.csv")
                }
                participants = .region(region)
            } else {
                participants = .gemeenten(try gemeenten("deelnemers"))
            }
        }

        var fixed: [String: Int] = [:]
        if key == .vast {
            guard values["aandelen"] != nil else { throw fail("sleutel", "sleutel vast zonder 'aandelen:'; verwacht bijvoorbeeld 'aandelen: 0518=50; 0603=50'") }
            // Percentages have a decimal comma, so shares are separated by `;` only.
            for part in list("aandelen", separators: ";") {
                let pieces = part.split(separator: "=").map { String($0).trimmingCharacters(in: " ") }
                guard pieces.count == 2, pieces[0].count == 4, let code = GemeenteCode.normalize(pieces[0]),
                      let hundredths = percentHundredths(pieces[1].replacingSpaces()) else {
                    throw fail("aandelen", "\(shown(part)) is geen aandeel; verwacht gemeentecode=percentage, bijvoorbeeld 0518=33,33")
                }
                guard reference.gemeenten[code] != nil else { throw fail("aandelen", "gemeente \(code) is onbekend") }
                guard fixed[code] == nil else { throw fail("aandelen", "gemeente \(code) staat er twee keer in") }
                fixed[code] = hundredths
            }
            let sum = fixed.values.reduce(0, +)
            guard sum == 10000 else {
                throw fail("aandelen", "de percentages tellen op tot \(DutchFormat.decimal(Double(sum) / 100, decimals: 2))%; verwacht precies 100%")
            }
            if case .gemeenten(let list) = participants, Set(list) != Set(fixed.keys) {
                throw fail("deelnemers", "deelnemers en aandelen noemen andere gemeenten; verwacht dezelfde")
            }
        } else if values["aandelen"] != nil {
            throw fail("aandelen", "aandelen horen alleen bij sleutel vast")
        }

        return CostItem(file: file, name: name, version: values["versie"] ?? "", description: values["toelichting"] ?? "",
                        peildatum: peildatum, followsLatest: followsLatest, key: key, totalCents: total, tariffCents: tariff, schools: schools, soorten: soorten,
                        schoolGemeenten: schoolGemeenten, swvs: swvs, participants: participants, fixedShares: fixed, lines: lines)
    }
}

/// The text of an item file, which must be UTF-8 (a BOM is skipped). Unlike DUO's files, an item file is
/// written by the analyst, so a Windows-1252 file is refused rather than guessed: a misread byte could change a
/// name or a gemeente without anyone noticing. The column counts characters, as an editor does.
func utf8Text(_ bytes: [UInt8], file: String) throws(InputError) -> String {
    let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    func fail(at offset: Int, _ message: String) -> InputError {
        let lineStart = body[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let column = String(decoding: body[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return InputError(file: file, line: lineNumber(of: offset, in: body), column: String(column), message: message)
    }
    if let bad = firstInvalidUTF8(body) {
        let hex = String(body[bad], radix: 16, uppercase: true)
        throw fail(at: bad, "het bestand is geen UTF-8 (byte 0x\(hex.count == 1 ? "0" + hex : hex)); sla het bestand op als UTF-8")
    }
    if let nul = body.firstIndex(of: 0) { throw fail(at: nul, "het bestand bevat een NUL-byte (UTF-16?); sla het bestand op als UTF-8") }
    return String(decoding: body, as: UTF8.self)
}

/// `€ 1.234,56`, `1234,56`, `1.234`, `450000` → cents, at most `maximum`. Dutch notation only: a comma is the
/// decimal separator.
func euroCents(_ raw: String, field: String, maximum: Int, fail: (String, String) -> InputError) throws(InputError) -> Int {
    var s = raw.replacingSpaces()
    if s.hasPrefix("€") { s.removeFirst() }
    if s.hasPrefix("-") || s.hasPrefix("−") { throw fail(field, "\(shown(raw)) is negatief; verwacht een bedrag van € 0,00 of meer") }
    let parts = s.split(separator: ",", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = parts.first else { throw fail(field, "\(shown(raw)) is geen bedrag; verwacht bijvoorbeeld € 1.234,56") }
    let groups = whole.split(separator: ".", omittingEmptySubsequences: false)
    let groupsOK = groups.count == 1 || (groups.first!.count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 })
    let digits = groups.joined()
    let cents = parts.count == 2 ? String(parts[1]) : "00"
    guard groupsOK, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
          (1...2).contains(cents.count), cents.allSatisfy({ $0.isASCII && $0.isNumber }) else {
        throw fail(field, "\(shown(raw)) is geen bedrag; verwacht bijvoorbeeld € 1.234,56 (punt voor duizendtallen, komma voor centen)")
    }
    let euros = digits.drop { $0 == "0" }
    let value = euros.count > 15 ? nil : (Int(euros) ?? 0) * 100 + Int(cents.count == 1 ? cents + "0" : cents)!
    guard let value, value <= maximum else {
        throw fail(field, "\(shown(raw)) is te groot; verwacht hoogstens \(DutchFormat.euro(cents: maximum))" + (field == "tarief" ? " per leerling" : ""))
    }
    return value
}

/// `33,33` → 3333 hundredths of a percent; at most two decimals, 0…100.
func percentHundredths(_ s: String) -> Int? {
    let parts = s.split(separator: ",", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, parts[0].allSatisfy(\.isNumber) else { return nil }
    var fraction = 0
    if parts.count == 2 {
        guard (1...2).contains(parts[1].count), parts[1].allSatisfy(\.isNumber) else { return nil }
        fraction = Int(parts[1].count == 1 ? parts[1] + "0" : String(parts[1]))!
    }
    let value = whole * 100 + fraction
    return value <= 10000 ? value : nil
}
