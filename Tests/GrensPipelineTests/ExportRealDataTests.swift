import Foundation
import Testing
import GrensCore
import GrensRender

/// The `matrix` and `shares` exports of the real 2024 files: the 90% interval beside every estimate, and JSON whose
/// numeric fields hold numbers or null, never `<5`.
@Suite("Exports of the real 2024 files")
struct ExportRealDataTests {
    let report: Report
    let matrix: ExportTable
    let shares: ExportTable
    init() throws {
        report = try AnalysisStore.report()
        let y2024 = Peildatum(year: 2024, month: 10, day: 1)!
        matrix = Exports.flows(report, matrices: report.matrices.filter { $0.peildatum == y2024 })
        shares = Exports.gemeenteShares(report, (report.gemeenteShares[y2024] ?? []).map { (y2024, $0) })
    }

    static func integer(_ cell: ExportTable.Cell) -> Int? {
        switch cell {
        case .count(let n), .change(let n): return n
        default: return nil
        }
    }

    /// The counts of `row` at `columns`; nil unless every one is a count.
    static func integers(_ row: [ExportTable.Cell], _ columns: [Int]) -> [Int]? {
        let v = columns.compactMap { $0 >= 0 && $0 < row.count ? integer(row[$0]) : nil }
        return v.count == columns.count ? v : nil
    }

    /// Per group of count columns (`…schatting`): the indices of minimum, maximum, schatting, laag and hoog.
    static func groups(_ table: ExportTable) -> [(name: String, columns: [Int])] {
        let index = Dictionary(uniqueKeysWithValues: table.columns.enumerated().map { ($1, $0) })
        return table.columns.enumerated().filter { $0.element.hasSuffix("schatting") }.map { j, name in
            let p = String(name.dropLast("schatting".count))
            return (name, [index[p.isEmpty ? "minimum" : p + "min"], index[p.isEmpty ? "maximum" : p + "max"], j,
                           index[p + "interval_90_laag"], index[p + "interval_90_hoog"]].map { $0 ?? -1 })
        }
    }

    @Test("matrix: the interval right after schatting; every row's interval within [minimum, maximum] around the rounded schatting")
    func matrixIntervals() throws {
        #expect(matrix.columns == ["peildatum", "soort", "woongemeente_code", "woongemeente", "schoolgemeente_code", "schoolgemeente",
                                   "minimum", "maximum", "schatting", "interval_90_laag", "interval_90_hoog"])
        #expect(matrix.rows.count > 500, "\(matrix.rows.count) rows")
        var drawn = 0
        for row in matrix.rows {
            let v = try #require(Self.integers(row, Array(6...10)))
            #expect(v[0] <= v[3] && v[3] <= v[2] && v[2] <= v[4] && v[4] <= v[1], "\(row)")
            if v[0] == v[1] {
                #expect(v[2] == v[0] && v[3] == v[0] && v[4] == v[0], "exact, yet \(row)")
            } else if v[3] > v[0] || v[4] < v[1] {
                drawn += 1
            }
        }
        // Every flow of 2024 has a `<5` cell; the intervals come from the draws (narrower than the bounds), not the bounds.
        #expect(drawn > matrix.rows.count * 9 / 10, "drawn \(drawn) of \(matrix.rows.count)")
    }

    @Test("shares: every count's interval right after its schatting, within its bounds and around it")
    func sharesIntervals() throws {
        let groups = Self.groups(shares)
        #expect(groups.map(\.name) == ["wonend", "op_school", "eigen_gemeente", "uitstroom", "instroom", "eigen_swv", "binnen_regio",
                                       "buiten_regio", "saldo"].map { $0 + "_schatting" })
        var exact = 0
        for (name, c) in groups {
            #expect(c[3] == c[2] + 1 && c[4] == c[2] + 2 && c[0] == c[2] - 2 && c[1] == c[2] - 1, "\(name): \(c)")
            for row in shares.rows {
                let v = try #require(Self.integers(row, c), "\(name)")
                #expect(v[0] <= v[3] && v[3] <= v[2] && v[2] <= v[4] && v[4] <= v[1], "\(name): \(v)")
                if v[0] == v[1] {
                    exact += 1
                    #expect(Set(v) == [v[0]], "\(name): exact, yet \(v)")
                }
            }
        }
        #expect(!shares.rows.isEmpty && exact > 0, "exact values: \(exact)")
    }

    @Test("CSV: no interval end, bound or schatting from 1 to 4 is shown")
    func csvDisclosure() {
        for table in [matrix, shares] {
            let numeric = Set(Self.groups(table).flatMap(\.columns))
            var hidden = 0
            for line in table.csv().split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ";", omittingEmptySubsequences: false)
                #expect(fields.count == table.columns.count, "\(line)")
                for j in numeric where j < fields.count {
                    #expect(!["1", "2", "3", "4", "-1", "-2", "-3", "-4"].contains(String(fields[j])), "\(table.columns[j]): \(line)")
                    if fields[j].hasSuffix("<5") { hidden += 1 }
                }
            }
            #expect(hidden > 0, "the real files have hidden values")
        }
    }

    @Test("JSON: parses, no string in a numeric field, a hidden value is null with <kolom>_onder_5 true")
    func json() throws {
        for table in [matrix, shares] {
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(table.json().utf8)) as? [[String: Any]])
            #expect(parsed.count == table.rows.count)
            var hidden = 0
            for (object, row) in zip(parsed, table.rows) {
                for (name, cell) in zip(table.columns, row) {
                    if case .text = cell { #expect(object[name] is String, "\(name)"); continue }
                    #expect(object[name] is NSNumber || object[name] is NSNull, "\(name): \(String(describing: object[name]))")
                    guard let n = Self.integer(cell) else { continue }
                    let flag = try #require(object[name + "_onder_5"] as? Bool, "\(name)_onder_5")
                    #expect(flag == (1...4).contains(abs(n)), "\(name) = \(n)")
                    if flag {
                        hidden += 1
                        #expect(object[name] is NSNull, "\(name): \(String(describing: object[name]))")
                    } else {
                        #expect((object[name] as? NSNumber)?.intValue == n, "\(name): \(String(describing: object[name])) for \(n)")
                    }
                    if case .change = cell { #expect(object[name + "_negatief"] as? Bool == (n < 0), "\(name)_negatief") }
                }
            }
            #expect(hidden > 0, "the real files have hidden values")
        }
    }
}
