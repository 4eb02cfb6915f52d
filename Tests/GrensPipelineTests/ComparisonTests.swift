import Testing
import GrensCore
@testable import GrensPipeline

/// `Changes.Comparison` pairs rows by key; a key that repeats within a side pairs occurrence by occurrence.
@Suite("row comparison")
struct ComparisonTests {
    func row(_ line: Int, home: String = "0503", cells: String, file: String = "a.csv") -> Changes.Row {
        Changes.Row(file: file, line: line, schoolID: "00AA00", schoolName: "School", schoolGemeente: "0503", soort: "Bo",
                    cluster: "", homePC4: "2611", homeName: "Delft", homeCode: home, cells: cells, total: nil,
                    pupils: cellChange(before: nil, after: cells, samePeildatum: false))
    }

    @Test("a repeated key: the n-th row that comes pairs with the n-th that goes; the rest came or went")
    func repeatedKeys() throws {
        var c = Changes.Comparison(dataset: .poPostcode, peildatum: Peildatum(iso: "2024-10-01")!, baseline: .same, expected: 3)
        c.before(row(1, cells: "5;6"))
        c.before(row(2, cells: "7;<5"))
        c.before(row(3, home: "0518", cells: "9"))
        c.after(row(1, cells: "5;6", file: "b.csv"))       // = 1st occurrence: unchanged
        c.after(row(2, cells: "8;<5", file: "b.csv"))      // 2nd occurrence: changed 7 → 8
        c.after(row(3, cells: "<5", file: "b.csv"))        // 3rd occurrence: none went, so it came
        let part = c.finish(rest: .init(), reference: try Reference.load(folder: repoRoot + "/data/reference"))
        #expect((part.rowsAdded, part.rowsRemoved, part.rowsChanged) == (1, 1, 1))
        #expect(part.rows.map(\.kind) == [.changed, .added, .removed])
        #expect(part.rows.map { $0.before?.line } == [2, nil, 3] && part.rows.map { $0.after?.line } == [2, 3, nil])
        // Within one peildatum a <5 in both is the same number: 7 → 8 is +1, the new <5 is 1–4, the 9 that went −9.
        #expect(part.pupilsChange == Bounds(min: 1 + 1 - 9, max: 1 + 4 - 9))
        #expect((part.rowsBefore, part.rowsAfter) == (3, 3))
    }
}
