import GrensCore

/// A flat table for exports, rendered as CSV (Excel NL), Markdown or JSON by one mechanism, with the
/// disclosure rule applied in every format.
public struct ExportTable: Sendable, Equatable {
    public enum Cell: Sendable, Equatable {
        case text(String)
        /// A pupil count (or bound): never shown as 1–4.
        case count(Int)
        /// A difference of two pupil counts (a saldo, a change between years), or one of its bounds: may be
        /// negative; never shown as 1–4 nor as −4…−1.
        case change(Int)
        /// A share in [0, 1], shown as a percentage with one decimal.
        case percent(Double)
        /// An amount in cents.
        case euro(Int)
        /// A number that is not a pupil count (a rank, a year, a percentage): shown as it is, at most two decimals.
        case number(Double)
        case empty
    }

    public let columns: [String]
    public var rows: [[Cell]]

    public init(columns: [String], rows: [[Cell]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// `;`-separated, UTF-8 with BOM, decimal comma, LF: opens correctly in Dutch Excel. Text that a spreadsheet
    /// would run as a formula (first character `=`, `+`, `-`, `@`, tab or CR, as OWASP lists them) gets a leading
    /// `'`, so it shows as text. Only text cells: our own numbers (`-12`, `-<5`) are never touched.
    public func csv() -> String {
        func field(_ raw: String) -> String {
            var s = Publish.text(raw)
            if let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { s = "'" + s }
            // By scalar, not by Character: "\r\n" and a quote with a combining mark are single Characters.
            guard s.unicodeScalars.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
            var quoted = "\""
            for c in s.unicodeScalars {
                if c == "\"" { quoted += "\"" }
                quoted.unicodeScalars.append(c)
            }
            return quoted + "\""
        }
        func text(_ c: Cell) -> String {
            switch c {
            case .text(let s): return field(s)
            case .count(let n), .change(let n): return Publish.csvInteger(n)
            case .percent(let x): return Publish.csvDecimal(x * 100)
            case .number(let x): return x.isFinite ? plainNumber(x, comma: true) : ""
            case .euro(let c): return (c < 0 ? "-" : "") + String(c.magnitude / 100) + "," + (c.magnitude % 100 < 10 ? "0" : "") + String(c.magnitude % 100)
            case .empty: return ""
            }
        }
        var out = "\u{FEFF}" + columns.map(field).joined(separator: ";") + "\n"
        for row in rows { out += row.map(text).joined(separator: ";") + "\n" }
        return out
    }

    /// A GitHub-style table. In text cells `\\`, `|` and `<` are backslash-escaped (a pipe would end the cell, a
    /// `<` could start raw HTML) and each line break becomes a space (it would end the row).
    public func markdown() -> String {
        func cell(_ raw: String) -> String {
            var out = ""
            var previousCR = false
            for c in Publish.text(raw).unicodeScalars {
                switch c {
                case "\\", "|", "<": out += "\\"; out.unicodeScalars.append(c)
                case "\r": out += " "
                case "\n": if !previousCR { out += " " }
                default: out.unicodeScalars.append(c)
                }
                previousCR = c == "\r"
            }
            return out
        }
        func text(_ c: Cell) -> String {
            switch c {
            case .text(let s): return cell(s)
            case .count(let n), .change(let n): return Publish.integer(n)
            case .percent(let x): return DutchFormat.percent(x)
            case .number(let x): return x.isFinite ? plainNumber(x, comma: true) : ""
            case .euro(let c): return DutchFormat.euro(cents: c)
            case .empty: return ""
            }
        }
        var out = "| " + columns.map(cell).joined(separator: " | ") + " |\n"
        out += "|" + columns.map { _ in " --- |" }.joined() + "\n"
        for row in rows { out += "| " + row.map(text).joined(separator: " | ") + " |\n" }
        return out
    }

    /// An array of objects, one per row; every number is a JSON number. A count (or change) that the CSV shows as
    /// `<5` or `-<5` is `null` here, and its column has a companion `<kolom>_onder_5` (true for exactly those
    /// values, false otherwise, in every row); a column of changes has `<kolom>_negatief` as well (true when the
    /// value is below zero), so a hidden `-<5` keeps its sign. Percentages are fractions (0.1234 = 12,34%),
    /// amounts euros; an empty cell is `null`.
    public func json() -> String {
        func string(_ s: String) -> String {
            var out = "\""
            for scalar in Publish.text(s).unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else { out.unicodeScalars.append(scalar) }
                }
            }
            return out + "\""
        }
        func value(_ c: Cell) -> String {
            switch c {
            case .text(let s): return string(s)
            case .count(let n), .change(let n): return Self.isHidden(n) ? "null" : String(n)
            case .percent(let x):
                let scaled = Int((x * 10000).rounded())
                let frac = String(scaled % 10000)
                return "\(scaled / 10000)." + String(repeating: "0", count: 4 - frac.count) + frac
            case .euro(let c): return (c < 0 ? "-" : "") + String(c.magnitude / 100) + "." + (c.magnitude % 100 < 10 ? "0" : "") + String(c.magnitude % 100)
            case .number(let x): return x.isFinite ? plainNumber(x, comma: false) : "null"
            case .empty: return "null"
            }
        }
        // The flags belong to the column, so that every object has the same keys: a column with a count in any
        // row has them in every row (an empty cell's flags are false).
        let kinds = columns.indices.map { j -> (count: Bool, change: Bool) in
            var kind = (count: false, change: false)
            for row in rows where j < row.count {
                if case .count = row[j] { kind.count = true }
                if case .change = row[j] { kind.change = true }
            }
            return kind
        }
        let objects = rows.map { row in
            var fields: [String] = []
            for (j, (name, cell)) in zip(columns, row).enumerated() {
                fields.append(string(name) + ": " + value(cell))
                guard kinds[j].count || kinds[j].change else { continue }
                let n: Int? = switch cell {
                case .count(let n), .change(let n): n
                default: nil
                }
                fields.append(string(name + Self.hiddenSuffix) + ": " + String(n.map(Self.isHidden) ?? false))
                if kinds[j].change { fields.append(string(name + Self.negativeSuffix) + ": " + String((n ?? 0) < 0)) }
            }
            return "  {" + fields.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    /// The JSON flag beside a count column: the value is hidden (1–4 or −4…−1; the CSV shows `<5` or `-<5`).
    public static let hiddenSuffix = "_onder_5"
    /// The JSON flag beside a column of changes: the value is below zero (also when it is hidden).
    public static let negativeSuffix = "_negatief"

    /// A count that is never published: 1–4 in magnitude.
    static func isHidden(_ n: Int) -> Bool { (1...4).contains(abs(n)) }
}

/// The tables behind `grensverkeer matrix` and `grensverkeer shares`. Every count has the columns minimum,
/// maximum, schatting (rounded to a whole pupil) and the ends of its 90% interval; a share has its estimate, the
/// ends of its 90% interval and its bounds. An exact value is its own interval; a value without draws has its
/// bounds as interval (see README, "Exports").
public enum Exports {
    static let intervalColumns = ["interval_90_laag", "interval_90_hoog"]

    /// minimum, maximum, schatting, interval_90_laag, interval_90_hoog of a count.
    static func cells(_ q: Quantity) -> [ExportTable.Cell] {
        let interval = q.interval90 ?? q.bounds
        return [.count(q.min), .count(q.max), .count(rounded(q.estimate)), .count(interval.min), .count(interval.max)]
    }

    /// The same for a difference of two counts (a saldo).
    static func cells(_ c: Change) -> [ExportTable.Cell] {
        let interval = c.interval90 ?? Bounds(min: c.min, max: c.max)
        return [.change(c.min), .change(c.max), .change(rounded(c.estimate)), .change(interval.min), .change(interval.max)]
    }

    /// pct, interval_90_laag_pct, interval_90_hoog_pct, min_pct, max_pct of a share (empty when there is none).
    static func cells(_ s: Share?) -> [ExportTable.Cell] {
        guard let s else { return Array(repeating: .empty, count: 5) }
        let interval = s.interval90 ?? s.min...s.max
        return [.percent(s.estimate), .percent(interval.lowerBound), .percent(interval.upperBound), .percent(s.min), .percent(s.max)]
    }

    /// The column names of a count `q`: `q_min`, `q_max`, `q_schatting`, `q_interval_90_laag`, `q_interval_90_hoog`.
    static func countColumns(_ q: String) -> [String] {
        [q + "_min", q + "_max", q + "_schatting"] + intervalColumns.map { q + "_" + $0 }
    }

    /// The column names of a share `s`: `s_pct`, `s_interval_90_laag_pct`, `s_interval_90_hoog_pct`, `s_min_pct`, `s_max_pct`.
    static func shareColumns(_ s: String) -> [String] {
        [s + "_pct"] + intervalColumns.map { s + "_" + $0 + "_pct" } + [s + "_min_pct", s + "_max_pct"]
    }

    static func rounded(_ x: Double) -> Int { Int(x.rounded(.toNearestOrAwayFromZero)) }

    /// One row per flow (matrix cell with pupils) for the given matrices.
    public static func flows(_ report: Report, matrices: [Matrix]) -> ExportTable {
        var table = ExportTable(columns: ["peildatum", "soort", "woongemeente_code", "woongemeente", "schoolgemeente_code",
                                          "schoolgemeente", "minimum", "maximum", "schatting"] + intervalColumns)
        for m in matrices {
            for h in m.groups.indices {
                for s in m.groups.indices where m.applicable(h, s) && m.cells[h][s].max > 0 {
                    table.rows.append([.text(m.peildatum.iso), .text(m.soort.short), .text(m.groups[h]), .text(report.name(m.groups[h])),
                                       .text(m.groups[s]), .text(report.name(m.groups[s]))] + cells(m.cells[h][s]))
                }
            }
        }
        return table
    }

    public static func gemeenteShares(_ report: Report, _ shares: [(Peildatum, GemeenteShares)]) -> ExportTable {
        var columns = ["peildatum", "soort", "gemeente_code", "gemeente"]
        let quantities = ["wonend", "op_school", "eigen_gemeente", "uitstroom", "instroom", "eigen_swv", "binnen_regio", "buiten_regio"]
        for q in quantities { columns += countColumns(q) }
        columns += countColumns("saldo")
        let shareNames = ["aandeel_uitstroom", "aandeel_instroom", "aandeel_eigen_swv", "aandeel_buiten_regio"]
        for s in shareNames { columns += shareColumns(s) }
        var table = ExportTable(columns: columns)
        for (date, g) in shares {
            var row: [ExportTable.Cell] = [.text(date.iso), .text(g.soort.short), .text(g.code), .text(report.name(g.code))]
            for q in [g.living, g.atSchool, g.own, g.outflow, g.inflow, g.ownSwv, g.inRegion, g.outRegion] { row += cells(q) }
            row += cells(g.net)
            for s in [g.outflowShare, g.inflowShare, g.ownSwvShare, g.outRegionShare] { row += cells(s) }
            table.rows.append(row)
        }
        return table
    }

    public static func swvShares(_ report: Report, _ shares: [(Peildatum, SwvShares)]) -> ExportTable {
        var columns = ["peildatum", "soort", "swv_code", "swv"]
        for q in ["wonend", "op_school", "eigen_swv", "uitstroom", "instroom"] { columns += countColumns(q) }
        for s in ["aandeel_uitstroom", "aandeel_instroom"] { columns += shareColumns(s) }
        var table = ExportTable(columns: columns)
        for (date, g) in shares {
            var row: [ExportTable.Cell] = [.text(date.iso), .text(g.soort.short), .text(g.swv), .text(report.swvNames[g.swv] ?? g.swv)]
            for q in [g.living, g.atSchool, g.own, g.outflow, g.inflow] { row += cells(q) }
            for s in [g.outflowShare, g.inflowShare] { row += cells(s) }
            table.rows.append(row)
        }
        return table
    }
}

/// Cost splits and team connections as tables (`grensverkeer kosten`, `grensverkeer teams`).
extension Exports {
    static let costColumns = ["kostenpost", "versie", "peildatum", "sleutel", "totaal_eur", "gemeente_code", "gemeente",
                              "leerlingen_min", "leerlingen_max", "leerlingen_schatting", "aandeel_pct",
                              "bedrag_eur", "bedrag_interval_90_laag_eur", "bedrag_interval_90_hoog_eur", "bedrag_min_eur", "bedrag_max_eur"]

    static func costRow(_ report: Report, _ split: CostSplit, _ line: CostSplit.Line) -> [ExportTable.Cell] {
        [.text(split.item.name), .text(split.item.version), .text(split.item.peildatum.iso), .text(split.item.key.rawValue),
         .euro(split.totalCents), .text(line.gemeente), .text(report.name(line.gemeente)),
         .count(line.pupils.min), .count(line.pupils.max), .count(Int(line.pupils.estimate.rounded(.toNearestOrAwayFromZero))),
         .percent(line.weight), .euro(line.cents), .euro(line.interval90OrRange.lowerBound), .euro(line.interval90OrRange.upperBound),
         .euro(line.minCents), .euro(line.maxCents)]
    }

    /// Every line of every cost item: the overview.
    public static func costOverview(_ report: Report) -> ExportTable {
        ExportTable(columns: costColumns, rows: report.costSplits.flatMap { split in split.lines.map { costRow(report, split, $0) } })
    }

    /// One gemeente's lines of every cost item: "uw aandeel".
    public static func costs(_ report: Report, gemeente: String) -> ExportTable {
        ExportTable(columns: costColumns, rows: report.costSplits.flatMap { split in
            split.lines.filter { $0.gemeente == gemeente }.map { costRow(report, split, $0) }
        })
    }

    /// Gemeenten that appear in any cost split, sorted by code.
    public static func costGemeenten(_ report: Report) -> [String] {
        Array(Set(report.costSplits.flatMap { $0.lines.map(\.gemeente) })).sorted()
    }

    /// Per school location: the home gemeenten of its pupils (which local teams the school deals with).
    public static func teamsBySchool(_ report: Report) -> ExportTable {
        var table = ExportTable(columns: ["vestiging", "naam", "schoolgemeente_code", "schoolgemeente", "soorten", "woongemeente_code",
                                          "woongemeente", "leerlingen_min", "leerlingen_max", "leerlingen_schatting", "aandeel_pct"])
        for school in report.schools where report.grouping.isMember(school.gemeente) {
            for home in school.homes {
                let share = school.share(of: home.code)
                table.rows.append([.text(school.id), .text(school.name), .text(school.gemeente), .text(report.name(school.gemeente)),
                                   .text(school.soorten.map(\.rawValue).joined(separator: ",")), .text(home.code), .text(report.name(home.code)),
                                   .count(home.pupils.min), .count(home.pupils.max),
                                   .count(Int(home.pupils.estimate.rounded(.toNearestOrAwayFromZero))),
                                   share.map { .percent($0.estimate) } ?? .empty])
            }
        }
        return table
    }

    /// Per region gemeente: the schools outside its borders that its children attend, ranked by the estimate,
    /// and whether the number reaches the threshold for an agreement.
    public static func teamsByGemeente(_ report: Report) -> ExportTable {
        var table = ExportTable(columns: ["gemeente_code", "gemeente", "rang", "vestiging", "naam", "schoolgemeente_code", "schoolgemeente",
                                          "leerlingen_min", "leerlingen_max", "leerlingen_schatting", "boven_drempel"])
        for code in report.grouping.members {
            for (rank, entry) in report.schoolsAttended(by: code).enumerated() {
                let q = entry.pupils
                table.rows.append([.text(code), .text(report.name(code)), .text(String(rank + 1)), .text(entry.school.id), .text(entry.school.name),
                                   .text(entry.school.gemeente), .text(report.name(entry.school.gemeente)),
                                   .count(q.min), .count(q.max), .count(Int(q.estimate.rounded(.toNearestOrAwayFromZero))),
                                   .text(report.recommendsAgreement(q) ? "ja" : "nee")])
            }
        }
        return table
    }
}

/// `-3,5`, `2024`, `0,05`: at most two decimals, trailing zeros dropped, no thousands separator (a data value).
func plainNumber(_ x: Double, comma: Bool) -> String {
    let cents = (abs(x) * 100).rounded(.toNearestOrAwayFromZero)
    guard cents < 9e17 else { return String(x) }
    let n = Int(cents)
    var text = (x < 0 && n != 0 ? "-" : "") + String(n / 100)
    let fraction = n % 100
    if fraction != 0 {
        let digits = fraction < 10 ? "0\(fraction)" : String(fraction)
        text += (comma ? "," : ".") + (digits.hasSuffix("0") ? String(digits.dropLast()) : digits)
    }
    return text
}
