import Foundation
import Testing
@testable import GrensCore
@testable import GrensRender

/// The integer of a count or change cell; nil for any other cell.
func integer(_ cell: ExportTable.Cell) -> Int? {
    switch cell {
    case .count(let n), .change(let n): return n
    default: return nil
    }
}

/// Checks every count group (`…schatting` with its minimum, maximum and interval right after it) and every share
/// group (`…_pct` with its interval right after it, then its bounds) of every row. Returns the number of groups
/// whose interval is narrower than the bounds (drawn).
@discardableResult
func expectIntervals(_ table: ExportTable, sourceLocation: SourceLocation = #_sourceLocation) -> Int {
    let index = Dictionary(uniqueKeysWithValues: table.columns.enumerated().map { ($1, $0) })
    var drawn = 0
    for (j, name) in table.columns.enumerated() where name.hasSuffix("schatting") {
        let prefix = String(name.dropLast("schatting".count))
        #expect(Array(table.columns[j + 1...j + 2]) == [prefix + "interval_90_laag", prefix + "interval_90_hoog"], sourceLocation: sourceLocation)
        let lo = index[prefix.isEmpty ? "minimum" : prefix + "min"]!, hi = index[prefix.isEmpty ? "maximum" : prefix + "max"]!
        for row in table.rows {
            let v = [lo, hi, j, j + 1, j + 2].compactMap { integer(row[$0]) }
            guard v.count == 5 else { Issue.record("\(name): not five counts in \(row)", sourceLocation: sourceLocation); continue }
            let (min, max, estimate, low, high) = (v[0], v[1], v[2], v[3], v[4])
            #expect(min <= low && low <= estimate && estimate <= high && high <= max, "\(name): \(v)", sourceLocation: sourceLocation)
            if min == max { #expect(low == min && high == min, "\(name): exact, yet \(v)", sourceLocation: sourceLocation) }
            if low > min || high < max { drawn += 1 }
        }
    }
    for (j, name) in table.columns.enumerated() where name.hasSuffix("_interval_90_laag_pct") {
        let prefix = String(name.dropLast("interval_90_laag_pct".count))
        #expect(Array(table.columns[j - 1...j + 3]) == ["pct", "interval_90_laag_pct", "interval_90_hoog_pct", "min_pct", "max_pct"].map { prefix + $0 },
                sourceLocation: sourceLocation)
        for row in table.rows {
            let v = row[j - 1...j + 3].compactMap { cell -> Double? in if case .percent(let x) = cell { x } else { nil } }
            if v.isEmpty { #expect(row[j - 1...j + 3].allSatisfy { $0 == .empty }, sourceLocation: sourceLocation); continue }
            let (estimate, low, high, min, max) = (v[0], v[1], v[2], v[3], v[4])
            #expect(min <= low && low <= estimate && estimate <= high && high <= max, "\(name): \(v)", sourceLocation: sourceLocation)
            if min == max { #expect(low == min && high == min, "\(name): exact, yet \(v)", sourceLocation: sourceLocation) }
        }
    }
    return drawn
}

/// Parses `table.json()` and checks that every value of a non-text column is a number or null, never a string; that
/// every count column has its `_onder_5` flag in every row, true exactly when the value is hidden (and then null);
/// and that a column of changes has `_negatief`. Returns the number of hidden values.
@discardableResult
func expectJSONNumbers(_ table: ExportTable, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
    let parsed = try #require(try JSONSerialization.jsonObject(with: Data(table.json().utf8)) as? [[String: Any]], sourceLocation: sourceLocation)
    #expect(parsed.count == table.rows.count, sourceLocation: sourceLocation)
    var hidden = 0
    // Flags belong to the column: one for a column with a count or change in any row, two for one with a change.
    let flags = table.columns.indices.reduce(0) { sum, j in
        let cells = table.rows.map { $0[j] }
        let change = cells.contains { if case .change = $0 { true } else { false } }
        return sum + (change ? 2 : cells.contains { integer($0) != nil } ? 1 : 0)
    }
    for (object, row) in zip(parsed, table.rows) {
        for (name, cell) in zip(table.columns, row) {
            let value = object[name]
            #expect(value != nil, "\(name) missing", sourceLocation: sourceLocation)
            if case .text(let s) = cell {
                #expect(value as? String == Publish.text(s), sourceLocation: sourceLocation)
                continue
            }
            #expect(!(value is String), "\(name): a string in a numeric field: \(value!)", sourceLocation: sourceLocation)
            #expect(value is NSNumber || value is NSNull, "\(name): \(String(describing: value))", sourceLocation: sourceLocation)
            guard let n = integer(cell) else { continue }
            let flag = try #require(object[name + "_onder_5"] as? Bool, "\(name)_onder_5 missing", sourceLocation: sourceLocation)
            #expect(flag == (1...4).contains(abs(n)), "\(name) = \(n), flag \(flag)", sourceLocation: sourceLocation)
            if flag {
                hidden += 1
                #expect(value is NSNull, "\(name): hidden, yet \(value!)", sourceLocation: sourceLocation)
            } else {
                #expect((value as? NSNumber)?.intValue == n, "\(name): \(String(describing: value)) for \(n)", sourceLocation: sourceLocation)
            }
            if case .change = cell {
                #expect(object[name + "_negatief"] as? Bool == (n < 0), "\(name)_negatief for \(n)", sourceLocation: sourceLocation)
            } else {
                #expect(object[name + "_negatief"] == nil, sourceLocation: sourceLocation)
            }
        }
        #expect(object.count == table.columns.count + flags, "keys: \(object.keys.sorted())", sourceLocation: sourceLocation)
    }
    return hidden
}

@Suite("Exports: 90% intervals, and JSON numbers that stay numbers")
struct ExportIntervalTests {
    let report = DashboardFixture.small()
    var gemeenteShares: ExportTable {
        Exports.gemeenteShares(report, report.gemeenteShares.sorted { $0.key < $1.key }.flatMap { d, list in list.map { (d, $0) } })
    }
    var swvShares: ExportTable {
        Exports.swvShares(report, report.swvShares.sorted { $0.key < $1.key }.flatMap { d, list in list.map { (d, $0) } })
    }

    @Test("matrix: interval_90_laag and interval_90_hoog right after schatting; the other columns as they were")
    func matrixColumns() {
        #expect(Exports.flows(report, matrices: report.matrices).columns == [
            "peildatum", "soort", "woongemeente_code", "woongemeente", "schoolgemeente_code", "schoolgemeente",
            "minimum", "maximum", "schatting", "interval_90_laag", "interval_90_hoog"])
    }

    @Test("shares: each count's interval right after its schatting, each share's right after its estimate")
    func sharesColumns() {
        func count(_ q: String) -> [String] { ["_min", "_max", "_schatting", "_interval_90_laag", "_interval_90_hoog"].map { q + $0 } }
        func share(_ s: String) -> [String] { ["_pct", "_interval_90_laag_pct", "_interval_90_hoog_pct", "_min_pct", "_max_pct"].map { s + $0 } }
        let gemeente = ["peildatum", "soort", "gemeente_code", "gemeente"]
            + ["wonend", "op_school", "eigen_gemeente", "uitstroom", "instroom", "eigen_swv", "binnen_regio", "buiten_regio", "saldo"].flatMap(count)
            + ["aandeel_uitstroom", "aandeel_instroom", "aandeel_eigen_swv", "aandeel_buiten_regio"].flatMap(share)
        #expect(gemeenteShares.columns == gemeente)
        let swv = ["peildatum", "soort", "swv_code", "swv"] + ["wonend", "op_school", "eigen_swv", "uitstroom", "instroom"].flatMap(count)
            + ["aandeel_uitstroom", "aandeel_instroom"].flatMap(share)
        #expect(swvShares.columns == swv)
        // Without the interval columns, every column is where it was.
        #expect(gemeenteShares.columns.filter { !$0.contains("interval_90") }.prefix(10)
                == ["peildatum", "soort", "gemeente_code", "gemeente", "wonend_min", "wonend_max", "wonend_schatting",
                    "op_school_min", "op_school_max", "op_school_schatting"])
        #expect(gemeenteShares.columns.filter { !$0.contains("interval_90") }.suffix(6)
                == ["aandeel_eigen_swv_pct", "aandeel_eigen_swv_min_pct", "aandeel_eigen_swv_max_pct",
                    "aandeel_buiten_regio_pct", "aandeel_buiten_regio_min_pct", "aandeel_buiten_regio_max_pct"])
    }

    @Test("interval cells: the drawn interval; an exact value is its own interval; without draws the bounds")
    func intervalCells() throws {
        var drawn = Quantity(bounds: Bounds(min: 10, max: 40), estimate: 17.4)
        drawn.interval90 = Bounds(min: 13, max: 22)
        #expect(Exports.cells(drawn) == [.count(10), .count(40), .count(17), .count(13), .count(22)])
        #expect(Exports.cells(Quantity(exact: 37)) == Array(repeating: .count(37), count: 5))
        #expect(Exports.cells(Quantity(bounds: Bounds(min: 10, max: 40), estimate: 17.4)) == [.count(10), .count(40), .count(17), .count(10), .count(40)])
        #expect(Exports.cells(Change(Quantity(exact: 2), minus: Quantity(exact: 9))) == Array(repeating: .change(-7), count: 5))
        #expect(Exports.cells(Change(Quantity(exact: 20), minus: Quantity(bounds: Bounds(min: 5, max: 8), estimate: 6)))
                == [.change(12), .change(15), .change(14), .change(12), .change(15)])
        let exactShare = try #require(Share(part: Quantity(exact: 1), rest: Quantity(exact: 3)))
        #expect(Exports.cells(exactShare) == Array(repeating: .percent(0.25), count: 5))
        let bounded = try #require(Share(part: Quantity(bounds: Bounds(min: 10, max: 40), estimate: 20), rest: Quantity(exact: 60)))
        let low = 10.0 / 70
        let expected: [ExportTable.Cell] = [.percent(0.25), .percent(low), .percent(0.4), .percent(low), .percent(0.4)]
        #expect(Exports.cells(bounded) == expected)
        #expect(Exports.cells(nil as Share?) == Array(repeating: .empty, count: 5))
        // A small exact count is hidden in all five columns.
        let table = ExportTable(columns: ["minimum", "maximum", "schatting", "interval_90_laag", "interval_90_hoog"], rows: [Exports.cells(Quantity(exact: 3))])
        #expect(table.csv() == "\u{FEFF}minimum;maximum;schatting;interval_90_laag;interval_90_hoog\n<5;<5;<5;<5;<5\n")
    }

    @Test("every row of the matrix and shares exports: the interval within the bounds and around the schatting")
    func everyRow() {
        for table in [Exports.flows(report, matrices: report.matrices), gemeenteShares, swvShares] {
            #expect(!table.rows.isEmpty)
            expectIntervals(table)
        }
    }

    @Test("JSON: numbers stay numbers; a hidden value is null with <kolom>_onder_5 true; a hidden saldo keeps its sign")
    func jsonNumbers() throws {
        var hidden = 0
        for table in [Exports.flows(report, matrices: report.matrices), gemeenteShares, swvShares, Exports.costOverview(report),
                      Exports.teamsBySchool(report), Exports.teamsByGemeente(report)] {
            hidden += try expectJSONNumbers(table)
        }
        #expect(hidden > 0, "the fixture has hidden values")
        let table = ExportTable(columns: ["aantal", "saldo", "aandeel"], rows: [[.count(3), .change(-3), .percent(0.5)],
                                                                               [.count(12), .change(-12), .empty], [.empty, .empty, .empty]])
        #expect(table.json() == """
            [
              {"aantal": null, "aantal_onder_5": true, "saldo": null, "saldo_onder_5": true, "saldo_negatief": true, "aandeel": 0.5000},
              {"aantal": 12, "aantal_onder_5": false, "saldo": -12, "saldo_onder_5": false, "saldo_negatief": true, "aandeel": null},
              {"aantal": null, "aantal_onder_5": false, "saldo": null, "saldo_onder_5": false, "saldo_negatief": false, "aandeel": null}
            ]

            """)
        #expect(table.csv() == "\u{FEFF}aantal;saldo;aandeel\n<5;-<5;50,0\n12;-12;\n;;\n")
    }
}
