import Testing
@testable import GrensCore

/// `cellChange` reads stored cells as bytes; it must read them as splitting on `;` and parsing each cell would.
@Suite("cell changes")
struct CellChangeTests {
    /// The plain reading: split on `;` (empty cells kept), `<5` is 1–4, a number itself, anything else 0.
    func plain(_ text: String?) -> [Bounds] {
        guard let text else { return [] }
        return text.split(separator: ";", omittingEmptySubsequences: false)
            .map { $0 == "<5" ? Bounds(min: 1, max: 4) : Int($0).map { Bounds(exact: $0) } ?? .zero }
    }

    @Test("stored cells read as bytes equal the plain reading, edge cases and random rows")
    func readsLikeSplit() {
        let cases: [String?] = [nil, "", ";", "0", "12;<5;0", "<5;<5", "1;", ";7", "<4;5<;<55", "+3;-2;007", " 4;4 ", "x;;y",
                                "99999999999999999999", "123456789012345678", String(repeating: "<5;", count: 40)]
        for text in cases { #expect(publishedCells(text) == plain(text), "\(String(describing: text))") }
        var generator = SeededGenerator(seed: 17)
        let pieces = ["<5", "0", "1", "23", "456", "", "-1", "+2", "x", "<", "5"]
        for _ in 0..<2000 {
            let text = (0..<Int.random(in: 1...30, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined(separator: ";")
            #expect(publishedCells(text) == plain(text), "\(text)")
        }
    }

    @Test("a change across years counts every cell; within one peildatum an equal cell (also <5 = <5) is unchanged")
    func change() {
        #expect(cellChange(before: "3;<5", after: "5;<5", samePeildatum: false) == Bounds(min: 2 - 3, max: 2 + 3))
        #expect(cellChange(before: "3;<5", after: "5;<5", samePeildatum: true) == Bounds(exact: 2))
        #expect(cellChange(before: nil, after: "<5;7", samePeildatum: false) == Bounds(min: 8, max: 11))
        #expect(cellChange(before: "<5;7", after: nil, samePeildatum: true) == Bounds(min: -11, max: -8))
    }
}
