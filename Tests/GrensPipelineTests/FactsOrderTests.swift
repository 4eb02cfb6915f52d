import Foundation
import Testing
import GrensCore
@testable import GrensPipeline
import SQLiteWrap

/// The flow rows' fixed order (it fixes which draws each row gets) is made in Swift on packed keys; it must be the
/// order SQLite gives the stored texts.
@Suite("The flow rows' order")
struct FactsOrderTests {
    @Test("the real 2024 and 2017 rows come in the order of SQLite's ORDER BY on their stored texts")
    func orderOfTheRealRows() throws {
        let db = try RealStore.connection()
        // The order as SQLite sorts it, each row told apart by file and line.
        let sorted = try db.rows("""
            SELECT f.peildatum, r.school_id, r.soort, r.home_pc4, r.cells, r.school_province FROM \(Staging.flowRows)
            JOIN stg_home h ON h.peildatum = f.peildatum AND h.home_pc4 = r.home_pc4 AND h.home_name = r.home_name
                           AND h.home_code_given = r.home_code_given
            ORDER BY f.peildatum, r.school_id, r.soort, r.home_pc4, r.file_id, r.line
            """, Staging.flowDatasets).map { row in
            (try row.text(0), try row.text(1), try row.text(2), try row.text(3), try row.text(4), try row.text(5))
        }
        let records = try Facts.records(db, peildata: nil, texts: true)
        #expect(sorted.count == 110_853 + (try db.int("SELECT sum(rows) FROM source_file WHERE peildatum = '2017-10-01' AND dataset = 'po_postcode'")))
        #expect(records.rows.count == sorted.count)
        #expect(records.cells.count == sorted.count && records.provinces.count == sorted.count)
        var first: Int?
        for (i, (date, school, soort, pc4, cells, province)) in sorted.enumerated() {
            let row = records.rows[i]
            if row.peildatum.iso != date || row.schoolID != school || row.soort.rawValue != soort || row.homePC4 != pc4
                || records.cells[i] != cells || records.provinces[i] != province {
                first = i
                break
            }
        }
        #expect(first == nil, "first row out of order: \(first.map(String.init) ?? "")")
        // One peildatum read alone is that peildatum's part of the whole order.
        let only2017 = try Facts.records(db, peildata: [Peildatum(iso: "2017-10-01")!], texts: false)
        #expect(only2017.rows == records.rows.filter { $0.peildatum.iso == "2017-10-01" })
        #expect(only2017.masked[Peildatum(iso: "2017-10-01")!] == 0)
        #expect(records.masked[Peildatum(iso: "2024-10-01")!] == (try db.int("""
            SELECT sum(r.n_masked) FROM raw_count r JOIN source_file f ON f.id = r.file_id WHERE f.peildatum = '2024-10-01'
            """)))
    }

    @Test("packed keys order as the texts do, byte by byte")
    func packedKeys() throws {
        let texts = ["", "0", "00", "00AA00", "00AA01", "00AB00", "0A", "1", "10", "1000", "20", "9999", "Z", "ZZZZZZZZ", "a", "zz"]
        let keys = try texts.map { try Facts.Order.packed($0, "school_id") }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
        let sortedBytes = texts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(sortedBytes == texts)
        let pc4s = ["", "10", "1000", "1001", "20", "30", "40", "9999"]
        let pc4Keys = try pc4s.map { try Facts.Order.packed($0, "home_pc4", bytes: 4) }
        #expect(zip(pc4Keys, pc4Keys.dropFirst()).allSatisfy { $0 < $1 })
        // What the ingest never writes is refused, not ordered wrongly.
        #expect(throws: StoreError.self) { try Facts.Order.packed("123456789", "school_id") }
        #expect(throws: StoreError.self) { try Facts.Order.packed("12345", "home_pc4", bytes: 4) }
        #expect(throws: StoreError.self) { try Facts.Order.packed("A\u{0}B", "school_id") }
        // The soorten rank as their stored texts sort.
        let bySoort = Soort.allCases.sorted { Facts.Order.soortRank[$0]! < Facts.Order.soortRank[$1]! }.map(\.rawValue)
        #expect(bySoort == Soort.allCases.map(\.rawValue).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    @Test("permute puts every element where the order says, for every permutation of up to 6 and random larger ones")
    func permutations() {
        func all(_ n: Int) -> [[Int]] {
            n == 0 ? [[]] : all(n - 1).flatMap { p in (0...p.count).map { i in var q = p; q.insert(n - 1, at: i); return q } }
        }
        var checked = 0
        for n in 0...6 {
            for order in all(n) {
                var values = (0..<n).map { "v\($0)" }
                permute(&values, order)
                #expect(values == order.map { "v\($0)" })
                checked += 1
            }
        }
        #expect(checked == 1 + 1 + 2 + 6 + 24 + 120 + 720)
        var generator = SystemRandomNumberGenerator()
        for n in [100, 1_000, 10_007] {
            let order = Array(0..<n).shuffled(using: &generator)
            var values = Array(0..<n)
            permute(&values, order)
            #expect(values == order)
        }
    }
}
