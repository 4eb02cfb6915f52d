/// A small SYNTHETIC data set in the exact layouts of DUO "03. Leerlingen po per gemeente, postcode leerling en
/// leeftijd", shaped like Haaglanden: the 10 Haaglanden gemeenten plus Leiden and Rotterdam as neighbours, one file
/// per school gemeente per peildatum, like DUO ships them.
///
/// - Peildatum 2023-10-01 in the OLD layout (`BRIN_NUMMER`, `VESTIGINGSNUMMER`, `TOTAAL`): Windows-1252, CRLF,
///   unquoted (a school name with a quote is quoted, quotes doubled), GEMEENTENUMMER unpadded (`518`),
///   pseudo-postcodes padded with spaces (`  10`), every count exact.
/// - Peildatum 2024-10-01 in the 2024 layout (`INSTELLINGSCODE`, `VESTIGINGSCODE`, no total): UTF-8 with BOM, every
///   field quoted, LF, counts 1–4 published as `<5`.
///
/// Nothing here is real: school names all start with "Synthetische", institution codes start with `99` (no real
/// DUO code does), authority numbers start with `99`. The geography is real: every home PC4 belongs to the home
/// gemeente named next to it (PC4 table of the swv regio-indeling 2015), every school PC6 starts with a PC4 of its
/// own gemeente, names are spelled as DUO spells them. Age profiles per soort po follow the national shape of the
/// real 2017 file. Deterministic: the same seed gives the same bytes on every platform (own PRNG, own `exp`, no
/// Foundation, no clock, no dictionary iteration).
public enum SampleGenerator {
    /// Peildatum of the files in the old, unmasked layout.
    public static let oldPeildatum = "20231001"
    /// Peildatum of the files in the 2024, masked layout.
    public static let newPeildatum = "20241001"

    /// File name → bytes. Same seed → same bytes. First the 2023 files (old layout, `Delft.csv`), then the 2024
    /// files (`Delft afgeschermd.csv`), each group sorted by name. Names follow DUO's habit; nothing may rely on them.
    public static func files(seed: UInt64 = 2024) -> [(name: String, bytes: [UInt8])] {
        let rows = model(seed: seed)
        var old: [(name: String, bytes: [UInt8])] = []
        var new: [(name: String, bytes: [UInt8])] = []
        for gemeente in sampleGemeenten {
            let own = rows.filter { $0.school.gemeente == gemeente.code }
            let rows2023 = own.filter { $0.cells2023.contains { $0 > 0 } }
            let rows2024 = own.filter { $0.cells2024.contains { $0 > 0 } }
            if !rows2023.isEmpty {
                old.append((gemeente.oldFileName + ".csv", oldLayoutFile(rows2023, gemeente: gemeente)))
            }
            if !rows2024.isEmpty {
                new.append((gemeente.name + " afgeschermd.csv", newLayoutFile(rows2024, gemeente: gemeente)))
            }
        }
        old.sort { $0.name < $1.name }
        new.sort { $0.name < $1.name }
        return old + new
    }

    // MARK: - Model

    /// The unmasked truth behind both years: one row per school location × soort × home, with the exact age cells of
    /// both peildata (a row is published in a year only when that year's cells are not all zero).
    static func model(seed: UInt64) -> [SampleRow] {
        var rng = SampleRandom(seed: seed)
        var rows: [SampleRow] = []
        for school in sampleSchools {
            let gemeente = sampleGemeente(school.gemeente)
            for soort in school.soorten {
                let size: Double
                switch soort {
                case .bo: size = Double(rng.int(130...320))
                case .sbo: size = Double(rng.int(90...160))
                case .so: size = Double(rng.int(50...100))
                case .vso: size = Double(rng.int(70...140))
                }
                // School growth or shrinkage from 2023 to 2024.
                let growth = 0.94 + 0.12 * rng.unit()
                let catchment = soort == .bo
                    ? boCatchment(school: school, gemeente: gemeente, size: size, rng: &rng)
                    : specialCatchment(school: school, gemeente: gemeente, size: size, rng: &rng)
                let profile = soort.ageProfile
                let weight = profile.reduce(0, +)
                for entry in catchment {
                    var row = SampleRow(school: school, soort: soort, home: entry.home, homeName: entry.homeName,
                                        cells2023: [], cells2024: [])
                    row.cells2023 = profile.map { rng.poisson(entry.lambda * $0 / weight) }
                    row.cells2024 = nextYear(row.cells2023, profile: profile, lambda: entry.lambda / weight,
                                             growth: growth, rng: &rng)
                    if entry.forced {
                        let age = soort.typicalCell + rng.int(-1...1)
                        if !row.cells2023.contains(where: { $0 > 0 }) { row.cells2023[age] = 1 }
                        if !row.cells2024.contains(where: { $0 > 0 }) { row.cells2024[age] = 1 }
                    }
                    rows.append(row)
                }
            }
        }
        rows.sort { ($0.school.code, $0.homeSortKey, $0.soort.rawValue) < ($1.school.code, $1.homeSortKey, $1.soort.rawValue) }
        return rows
    }

    /// Share of the pupils of a row that are still there a year later (one age cell up).
    static let stay = 0.85

    /// The next peildatum of one row: the pupils move up one age cell (a share `stay` of them stays, fewer where
    /// the age profile drops, as when group 8 leaves), newcomers fill up to `growth` times the expected profile.
    /// Expectation per cell: `lambda × growth × profile[i]`.
    static func nextYear(_ cells: [Int], profile: [Double], lambda: Double, growth: Double,
                         rng: inout SampleRandom) -> [Int] {
        cells.indices.map { i in
            guard i > 0, profile[i - 1] > 0 else { return rng.poisson(lambda * growth * profile[i]) }
            let carried = min(profile[i - 1], profile[i])
            let stayed = rng.binomial(cells[i - 1], stay * carried / profile[i - 1])
            return stayed + rng.poisson(lambda * max(0, growth * profile[i] - stay * carried))
        }
    }

    struct CatchmentEntry {
        var home: String
        var homeName: String
        var lambda: Double
        var forced = false
    }

    /// Mainly from the PC4s around the school, a tail of single pupils from further away and across the border.
    static func boCatchment(school: SampleSchool, gemeente: SampleGemeenteInfo, size: Double,
                            rng: inout SampleRandom) -> [CatchmentEntry] {
        var out: [CatchmentEntry] = []
        let schoolPC4 = Int(school.pc6.prefix(4))!
        let byDistance = gemeente.pc4s.sorted { (abs(Int($0)! - schoolPC4), $0) < (abs(Int($1)! - schoolPC4), $1) }
        let nearCount = min(byDistance.count, 3 + rng.int(0...2))
        let near = Array(byDistance.prefix(nearCount))
        var weights = near.indices.map { $0 == 0 ? 1.6 : 0.3 + 0.7 * rng.unit() }
        let total = weights.reduce(0, +)
        weights = weights.map { $0 / total }
        for (pc4, w) in zip(near, weights) {
            out.append(CatchmentEntry(home: pc4, homeName: gemeente.name, lambda: size * 0.9 * w))
        }
        // Further away in the own gemeente.
        let far = Array(byDistance.dropFirst(nearCount))
        for pc4 in rng.pick(far, count: min(far.count, rng.int(1...3))) {
            out.append(CatchmentEntry(home: pc4, homeName: gemeente.name, lambda: 1.0 + 3.0 * rng.unit()))
        }
        // Across the border: neighbouring gemeenten.
        for _ in 0..<rng.int(2...4) {
            let neighbour = sampleGemeente(gemeente.neighbours[rng.int(0...(gemeente.neighbours.count - 1))])
            let pc4 = neighbour.pc4s[rng.int(0...(neighbour.pc4s.count - 1))]
            out.append(CatchmentEntry(home: pc4, homeName: neighbour.name, lambda: 0.8 + 3.2 * rng.unit()))
        }
        // Now and then a pupil from Leiden or Rotterdam even when they are not next door.
        if rng.unit() < 0.3 {
            let far = sampleGemeente(rng.unit() < 0.5 ? "0546" : "0599")
            if far.code != gemeente.code {
                let pc4 = far.pc4s[rng.int(0...(far.pc4s.count - 1))]
                out.append(CatchmentEntry(home: pc4, homeName: far.name, lambda: 0.7 + 1.3 * rng.unit()))
            }
        }
        if let pseudo = school.pseudo {
            out.append(CatchmentEntry(home: pseudo, homeName: pseudoNames[pseudo]!, lambda: 1.2, forced: true))
        }
        return merged(out)
    }

    /// Special schools (sbo, so, vso) draw from the whole region: a third from the own gemeente, the rest across the
    /// border, a few from Leiden or Rotterdam.
    static func specialCatchment(school: SampleSchool, gemeente: SampleGemeenteInfo, size: Double,
                                 rng: inout SampleRandom) -> [CatchmentEntry] {
        var out: [CatchmentEntry] = []
        let ownRows = rng.pick(gemeente.pc4s, count: min(gemeente.pc4s.count, rng.int(3...6)))
        for pc4 in ownRows {
            let w = 0.5 + rng.unit()
            out.append(CatchmentEntry(home: pc4, homeName: gemeente.name, lambda: size * 0.35 / Double(ownRows.count) * w))
        }
        let others = sampleGemeenten.filter { $0.haaglanden && $0.code != gemeente.code }
        let otherWeights = others.map { gemeente.neighbours.contains($0.code) ? 3.0 : 1.0 }
        let crossCount = rng.int(6...10)
        for _ in 0..<crossCount {
            let home = others[rng.weightedIndex(otherWeights)]
            let pc4 = home.pc4s[rng.int(0...(home.pc4s.count - 1))]
            let w = 0.4 + 1.2 * rng.unit()
            out.append(CatchmentEntry(home: pc4, homeName: home.name, lambda: size * 0.55 / Double(crossCount) * w))
        }
        for _ in 0..<rng.int(1...2) {
            let far = sampleGemeente(rng.unit() < 0.5 ? "0546" : "0599")
            let pc4 = far.pc4s[rng.int(0...(far.pc4s.count - 1))]
            out.append(CatchmentEntry(home: pc4, homeName: far.name, lambda: 1.0 + 2.0 * rng.unit()))
        }
        if let pseudo = school.pseudo {
            out.append(CatchmentEntry(home: pseudo, homeName: pseudoNames[pseudo]!, lambda: 1.2, forced: true))
        }
        return merged(out)
    }

    /// One entry per home, in first-seen order.
    static func merged(_ entries: [CatchmentEntry]) -> [CatchmentEntry] {
        var out: [CatchmentEntry] = []
        var index: [String: Int] = [:]
        for entry in entries {
            if let i = index[entry.home] {
                out[i].lambda += entry.lambda
                out[i].forced = out[i].forced || entry.forced
            } else {
                index[entry.home] = out.count
                out.append(entry)
            }
        }
        return out
    }

    // MARK: - Writing

    static let ageHeaders = ["LEEFTIJD_JONGER"] + (4...24).map { "LEEFTIJD_\($0)" } + ["LEEFTIJD_OUDER"]

    /// Old layout: Windows-1252, CRLF, unquoted, unpadded GEMEENTENUMMER, space-padded pseudo-postcodes, TOTAAL.
    static func oldLayoutFile(_ rows: [SampleRow], gemeente: SampleGemeenteInfo) -> [UInt8] {
        let header = ["PEILDATUM", "GEMEENTENUMMER", "GEMEENTENAAM", "POSTCODE_LEERLING", "GEMEENTENAAM_LEERLING",
                      "BRIN_NUMMER", "VESTIGINGSNUMMER", "INSTELLINGSNAAM_VESTIGING", "POSTCODE_VESTIGING", "PLAATSNAAM",
                      "PROVINCIE", "SOORT_PO", "DENOMINATIE_VESTIGING", "BEVOEGD_GEZAG_NUMMER"] + ageHeaders + ["TOTAAL"]
        var lines = [header.joined(separator: ";")]
        let unpadded = String(Int(gemeente.code)!)
        for row in rows {
            let school = row.school
            var fields = [oldPeildatum, unpadded, gemeente.name, row.isPseudo ? "  " + row.home : row.home, row.homeName,
                          school.code, "00", school.name, school.pc6, school.place, "Zuid-Holland", row.soort.rawValue,
                          school.denomination2023, school.authority]
            fields += row.cells2023.map(String.init)
            fields.append(String(row.cells2023.reduce(0, +)))
            lines.append(fields.map(quotedIfNeeded).joined(separator: ";"))
        }
        var bytes: [UInt8] = []
        for line in lines {
            bytes += windows1252(line)
            bytes += [0x0D, 0x0A]
        }
        return bytes
    }

    /// 2024 layout: UTF-8 with BOM, every field quoted, LF, `<5` for counts 1–4, no total.
    static func newLayoutFile(_ rows: [SampleRow], gemeente: SampleGemeenteInfo) -> [UInt8] {
        let header = ["PEILDATUM", "GEMEENTENUMMER", "GEMEENTENAAM", "POSTCODE_LEERLING", "GEMEENTENAAM_LEERLING",
                      "INSTELLINGSCODE", "VESTIGINGSCODE", "INSTELLINGSNAAM_VESTIGING", "POSTCODE_VESTIGING", "PLAATSNAAM",
                      "PROVINCIE", "SOORT_PO", "DENOMINATIE_VESTIGING", "BEVOEGD_GEZAG_NUMMER"] + ageHeaders
        var lines = [header]
        for row in rows {
            let school = row.school
            var fields = [newPeildatum, gemeente.code, gemeente.name, row.home, row.homeName,
                          school.code, "00", school.name, school.pc6, school.place, "Zuid-Holland", row.soort.rawValue,
                          school.denomination2024, school.authority]
            fields += row.cells2024.map { (1...4).contains($0) ? "<5" : String($0) }
            lines.append(fields)
        }
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        for line in lines {
            let text = line.map { "\"" + $0.replacingAll("\"", with: "\"\"") + "\"" }.joined(separator: ";")
            bytes += Array(text.utf8)
            bytes.append(0x0A)
        }
        return bytes
    }

    /// Old files quote only a field that needs it (DUO: school names containing quotes).
    static func quotedIfNeeded(_ field: String) -> String {
        guard field.contains(where: { $0 == "\"" || $0 == ";" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingAll("\"", with: "\"\"") + "\""
    }

    /// Windows-1252 bytes of a text that only uses ASCII and Latin-1 letters (all this generator writes).
    static func windows1252(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { scalar in
            let v = scalar.value
            precondition(v < 0x80 || (0xA0...0xFF).contains(v), "teken \(scalar) bestaat niet in Windows-1252")
            return UInt8(v)
        }
    }
}

// MARK: - Fixed facts

enum SampleSoort: String {
    case bo = "Bo", sbo = "Sbo", so = "So", vso = "Vso"

    /// Relative number of pupils per age cell (jonger, 4 … 24, ouder), the national shape of the real 2017 file.
    var ageProfile: [Double] {
        var p = [Double](repeating: 0, count: 23)
        let values: [Double]
        let first: Int
        switch self {
        case .bo: first = 1; values = [1, 1, 1, 1, 1, 1, 1, 0.88, 0.13, 0.004]
        case .sbo: first = 1; values = [0.1, 0.2, 0.3, 0.45, 0.62, 0.8, 0.92, 1.0, 0.5, 0.015]
        case .so: first = 0; values = [0.01, 0.27, 0.55, 0.62, 0.7, 0.8, 0.89, 0.96, 1.05, 0.6, 0.05]
        case .vso: first = 8; values = [0.01, 0.37, 0.75, 0.88, 1.0, 0.98, 0.76, 0.36, 0.13, 0.03, 0.01]
        }
        for (i, v) in values.enumerated() { p[first + i] = v }
        return p
    }

    /// A cell index in the middle of the soort's age range (used when a forced row drew no pupil).
    var typicalCell: Int {
        switch self {
        case .bo: return 5
        case .sbo: return 7
        case .so: return 6
        case .vso: return 12
        }
    }
}

struct SampleGemeenteInfo {
    let code: String
    /// As DUO spells it, in GEMEENTENAAM and GEMEENTENAAM_LEERLING.
    let name: String
    /// DUO's old per-gemeente file names drop the leading apostrophe (`s-Gravenhage.csv`).
    let oldFileName: String
    let haaglanden: Bool
    /// A selection of the gemeente's PC4s (swv regio-indeling 2015 PC4 table).
    let pc4s: [String]
    /// Codes of the gemeenten pupils cross from most.
    let neighbours: [String]
}

struct SampleSchool {
    /// INSTELLINGSCODE / BRIN_NUMMER; `99..` is never a real code.
    let code: String
    let gemeente: String
    let name: String
    let pc6: String
    let place: String
    let soorten: [SampleSoort]
    let denomination2023: String
    let denomination2024: String
    let authority: String
    /// A pseudo-postcode this school always has a pupil from.
    let pseudo: String?

    init(_ code: String, _ gemeente: String, _ name: String, _ pc6: String, _ place: String, _ soorten: [SampleSoort],
         _ denomination: String, _ authority: String, pseudo: String? = nil, denomination2023: String? = nil) {
        self.code = code
        self.gemeente = gemeente
        self.name = name
        self.pc6 = pc6
        self.place = place
        self.soorten = soorten
        self.denomination2023 = denomination2023 ?? denomination
        self.denomination2024 = denomination
        self.authority = authority
        self.pseudo = pseudo
    }
}

struct SampleRow {
    let school: SampleSchool
    let soort: SampleSoort
    /// A PC4, or a pseudo-postcode `10`, `20`, `30`, `40` (unpadded here; padded when written in the old layout).
    let home: String
    let homeName: String
    var cells2023: [Int]
    var cells2024: [Int]

    var isPseudo: Bool { home.count == 2 }
    /// DUO's order: the padded pseudo-postcodes sort before the PC4s.
    var homeSortKey: String { isPseudo ? "  " + home : home }
}

/// DUO's names for the pseudo-postcodes (GEMEENTENAAM_LEERLING), as they appear in the real files.
let pseudoNames: [String: String] = ["10": "Belgie", "20": "Duitsland", "30": "ander land", "40": "Onbekend"]

let sampleGemeenten: [SampleGemeenteInfo] = [
    SampleGemeenteInfo(code: "0503", name: "Delft", oldFileName: "Delft", haaglanden: true,
                       pc4s: ["2611", "2612", "2613", "2614", "2616", "2622", "2623", "2624", "2625", "2626", "2627", "2628"],
                       neighbours: ["0518", "0603", "1842", "1926", "1783", "0599"]),
    SampleGemeenteInfo(code: "0518", name: "'s-Gravenhage", oldFileName: "s-Gravenhage", haaglanden: true,
                       pc4s: ["2491", "2492", "2495", "2496", "2497", "2511", "2512", "2515", "2517", "2518", "2521",
                              "2522", "2523", "2524", "2525", "2526", "2531", "2532", "2533", "2541", "2542", "2543",
                              "2544", "2545", "2546", "2547", "2548", "2551", "2552", "2553", "2555", "2561", "2562",
                              "2563", "2564", "2565", "2566", "2571", "2572", "2573", "2574", "2581", "2582", "2583",
                              "2584", "2585", "2586", "2587", "2591", "2592", "2593", "2594", "2595", "2596", "2597"],
                       neighbours: ["0603", "1916", "0629", "1783", "0503", "1926"]),
    SampleGemeenteInfo(code: "1916", name: "Leidschendam-Voorburg", oldFileName: "Leidschendam-Voorburg", haaglanden: true,
                       pc4s: ["2261", "2262", "2263", "2264", "2265", "2266", "2267", "2271", "2272", "2273", "2274", "2275"],
                       neighbours: ["0518", "0626", "0637", "0629", "0546", "1926"]),
    SampleGemeenteInfo(code: "1842", name: "Midden-Delfland", oldFileName: "Midden-Delfland", haaglanden: true,
                       pc4s: ["2635", "2636", "3155"],
                       neighbours: ["0503", "1783", "0518", "0599"]),
    SampleGemeenteInfo(code: "1926", name: "Pijnacker-Nootdorp", oldFileName: "Pijnacker-Nootdorp", haaglanden: true,
                       pc4s: ["2631", "2632", "2641", "2642", "2643", "2645"],
                       neighbours: ["0503", "0637", "0518", "1916", "0599"]),
    SampleGemeenteInfo(code: "0603", name: "Rijswijk", oldFileName: "Rijswijk", haaglanden: true,
                       pc4s: ["2281", "2282", "2283", "2284", "2285", "2286", "2287", "2288", "2289"],
                       neighbours: ["0518", "0503", "1783", "1926"]),
    SampleGemeenteInfo(code: "0626", name: "Voorschoten", oldFileName: "Voorschoten", haaglanden: true,
                       pc4s: ["2251", "2252", "2253", "2254"],
                       neighbours: ["0546", "0629", "1916"]),
    SampleGemeenteInfo(code: "0629", name: "Wassenaar", oldFileName: "Wassenaar", haaglanden: true,
                       pc4s: ["2241", "2242", "2243", "2244", "2245"],
                       neighbours: ["0518", "0626", "1916", "0546"]),
    SampleGemeenteInfo(code: "1783", name: "Westland", oldFileName: "Westland", haaglanden: true,
                       pc4s: ["2291", "2292", "2295", "2671", "2672", "2673", "2675", "2676", "2678", "2681", "2684",
                              "2685", "2691", "2692", "2693", "2694"],
                       neighbours: ["0518", "1842", "0503", "0603"]),
    SampleGemeenteInfo(code: "0637", name: "Zoetermeer", oldFileName: "Zoetermeer", haaglanden: true,
                       pc4s: ["2711", "2712", "2713", "2715", "2716", "2717", "2718", "2719", "2721", "2722", "2723",
                              "2724", "2725", "2726", "2727", "2728", "2729"],
                       neighbours: ["1916", "1926", "0518", "0546"]),
    SampleGemeenteInfo(code: "0546", name: "Leiden", oldFileName: "Leiden", haaglanden: false,
                       pc4s: ["2311", "2312", "2313", "2314", "2315", "2316", "2317", "2318", "2321", "2322", "2323",
                              "2324", "2331", "2332", "2333", "2334"],
                       neighbours: ["0626", "1916", "0629"]),
    SampleGemeenteInfo(code: "0599", name: "Rotterdam", oldFileName: "Rotterdam", haaglanden: false,
                       pc4s: ["3011", "3012", "3014", "3015", "3021", "3022", "3023", "3024", "3041", "3042", "3043",
                              "3044", "3045", "3046", "3047", "3051", "3052", "3053", "3054", "3055", "3056"],
                       neighbours: ["0503", "1842", "1926"]),
]

func sampleGemeente(_ code: String) -> SampleGemeenteInfo {
    sampleGemeenten.first { $0.code == code }!
}

let sampleSchools: [SampleSchool] = [
    SampleSchool("99A1", "0503", "Synthetische school De Zeester", "2612AB", "DELFT", [.bo], "Openbaar", "99101", pseudo: "20"),
    SampleSchool("99A2", "0503", "Synthetische school De Reeën", "2625XK", "DELFT", [.bo], "Rooms-Katholiek", "99102"),
    SampleSchool("99A3", "0503", "Synthetische SBO De Vliet", "2622GD", "DELFT", [.sbo], "Algemeen bijzonder", "99103"),
    SampleSchool("99B1", "0518", "Synthetische school De Duinroos", "2582KL", "'S-GRAVENHAGE", [.bo], "Openbaar", "99111", pseudo: "10"),
    SampleSchool("99B2", "0518", "Synthetische school \"De Brug\" & Co", "2525PR", "'S-GRAVENHAGE", [.bo],
                 "Protestants-Christelijk", "99112"),
    SampleSchool("99B3", "0518", "Synthetische school Ëlzenhof", "2545CE", "'S-GRAVENHAGE", [.bo], "Hindoeïstisch", "99113",
                 pseudo: "30", denomination2023: "Hindoeistisch"),
    SampleSchool("99B4", "0518", "Synthetische SO/VSO De Horizon", "2564TZ", "'S-GRAVENHAGE", [.so, .vso],
                 "Algemeen bijzonder", "99114"),
    SampleSchool("99C1", "1916", "Synthetische school De Vlietlanden", "2264AL", "LEIDSCHENDAM", [.bo], "Openbaar", "99121"),
    SampleSchool("99C2", "1916", "Synthetische school Het Hofje", "2272EV", "VOORBURG", [.bo], "Rooms-Katholiek", "99122"),
    SampleSchool("99D1", "1842", "Synthetische school De Groene Polder", "2636AH", "SCHIPLUIDEN", [.bo],
                 "Protestants-Christelijk", "99131"),
    SampleSchool("99D2", "1842", "Synthetische school De Molenwiek", "3155BC", "MAASLAND", [.bo], "Openbaar", "99132"),
    SampleSchool("99E1", "1926", "Synthetische school De Tuinderij", "2641KM", "PIJNACKER", [.bo], "Openbaar", "99141"),
    SampleSchool("99E2", "1926", "Synthetische school Het Kleurrijk", "2631RS", "NOOTDORP", [.bo], "Rooms-Katholiek", "99142"),
    SampleSchool("99E3", "1926", "Synthetische school De Oostlander", "2643BW", "PIJNACKER", [.bo],
                 "Protestants-Christelijk", "99143"),
    SampleSchool("99F1", "0603", "Synthetische school De Landgoederen", "2284HN", "RIJSWIJK", [.bo], "Openbaar", "99151"),
    SampleSchool("99F2", "0603", "Synthetische SBO De Wissel", "2286XA", "RIJSWIJK", [.sbo], "Openbaar", "99151"),
    SampleSchool("99F3", "0603", "Synthetische VSO De Kreek", "2288GJ", "RIJSWIJK", [.vso], "Algemeen bijzonder", "99152"),
    SampleSchool("99G1", "0626", "Synthetische school Het Krekelveld", "2252BM", "VOORSCHOTEN", [.bo], "Openbaar", "99161"),
    SampleSchool("99G2", "0626", "Synthetische school De Vlinderboom", "2253LT", "VOORSCHOTEN", [.bo],
                 "Protestants-Christelijk", "99162"),
    SampleSchool("99H1", "0629", "Synthetische school De Duinpan", "2242PA", "WASSENAAR", [.bo], "Openbaar", "99171"),
    SampleSchool("99H2", "0629", "Synthetische school Het Landgoed", "2243HE", "WASSENAAR", [.bo], "Algemeen bijzonder",
                 "99172", pseudo: "30"),
    SampleSchool("99J1", "1783", "Synthetische school De Kas", "2671CB", "NAALDWIJK", [.bo], "Rooms-Katholiek", "99181"),
    SampleSchool("99J2", "1783", "Synthetische school De Strandwal", "2691DH", "'S-GRAVENZANDE", [.bo],
                 "Protestants-Christelijk", "99182"),
    SampleSchool("99J3", "1783", "Synthetische school Het Tuinderskind", "2681BN", "MONSTER", [.bo], "Openbaar", "99183"),
    SampleSchool("99J4", "1783", "Synthetische SBO De Wateringse Sloot", "2291JX", "WATERINGEN", [.sbo], "Rooms-Katholiek", "99181"),
    SampleSchool("99K1", "0637", "Synthetische school De Meerpaal", "2712PB", "ZOETERMEER", [.bo], "Openbaar", "99191", pseudo: "40"),
    SampleSchool("99K2", "0637", "Synthetische school De Zeeëgel", "2719EG", "ZOETERMEER", [.bo], "Rooms-Katholiek", "99192"),
    SampleSchool("99K3", "0637", "Synthetische school De Regenboog", "2726KN", "ZOETERMEER", [.bo],
                 "Protestants-Christelijk", "99193"),
    SampleSchool("99K4", "0637", "Synthetische SO De Zoete Aarde", "2722ZW", "ZOETERMEER", [.so], "Algemeen bijzonder", "99194"),
    SampleSchool("99L1", "0546", "Synthetische school De Sleutel", "2313BK", "LEIDEN", [.bo], "Openbaar", "99201"),
    SampleSchool("99L2", "0546", "Synthetische school De Lakenhal", "2324AS", "LEIDEN", [.bo], "Rooms-Katholiek", "99202"),
    SampleSchool("99M1", "0599", "Synthetische school De Maaskant", "3043LB", "ROTTERDAM", [.bo], "Openbaar", "99211", pseudo: "10"),
    SampleSchool("99M2", "0599", "Synthetische school De Kade", "3054AC", "ROTTERDAM", [.bo], "Islamitisch", "99212"),
    SampleSchool("99M3", "0599", "Synthetische VSO De Brede Horizon", "3045PK", "ROTTERDAM", [.vso], "Algemeen bijzonder", "99213"),
]

// MARK: - Randomness

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same numbers on every platform.
struct SampleRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in the range (the tiny modulo bias does not matter here).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func weightedIndex(_ weights: [Double]) -> Int {
        var x = unit() * weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }

    /// `count` distinct elements, in drawing order (partial Fisher–Yates).
    mutating func pick<T>(_ items: [T], count: Int) -> [T] {
        var pool = items
        var out: [T] = []
        for i in 0..<min(count, pool.count) {
            let j = int(i...(pool.count - 1))
            pool.swapAt(i, j)
            out.append(pool[i])
        }
        return out
    }

    /// Number of successes in `n` trials of probability `p`.
    mutating func binomial(_ n: Int, _ p: Double) -> Int {
        var k = 0
        for _ in 0..<max(n, 0) where unit() < p { k += 1 }
        return k
    }

    /// Poisson(λ) by Knuth's product method, in chunks of λ ≤ 30 (a sum of Poissons is Poisson).
    mutating func poisson(_ lambda: Double) -> Int {
        guard lambda > 0 else { return 0 }
        var remaining = lambda
        var total = 0
        while remaining > 0 {
            let chunk = min(remaining, 30)
            remaining -= chunk
            let limit = expNegative(chunk)
            var product = unit()
            while product > limit {
                total += 1
                product *= unit()
            }
        }
        return total
    }
}

/// e^-x for x ≥ 0 with plain arithmetic (halving, Taylor series, squaring): identical bits on every platform,
/// unlike a system `exp`.
func expNegative(_ x: Double) -> Double {
    var y = x
    var halvings = 0
    while y > 0.5 {
        y /= 2
        halvings += 1
    }
    var term = 1.0
    var sum = 1.0
    for n in 1...20 {
        term *= -y / Double(n)
        sum += term
    }
    for _ in 0..<halvings { sum *= sum }
    return sum
}

extension String {
    /// Every occurrence of `target` replaced (no Foundation).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self {
            if ch == target { out += replacement } else { out.append(ch) }
        }
        return out
    }
}
