import Testing
import GrensCore
import GrensTestSupport

/// The published form of a suppressed table, as a reader sees it: shown counts, `<5`, and the derivable range of
/// every protective count (`ranges`), or for a protective count only what its being hidden says: at least 5 (or
/// 0). `cap` stands for "no upper bound".
let cap = 1_000_000
func published(_ t: SuppressionTable, ranges: Bool = true) -> DisclosureAudit {
    func seen(_ r: Int, _ c: Int) -> PublishedCount? {
        let i = t.index(r, c)
        switch t.status[i] {
        case .absent: return nil
        case .shown: return .shown(t.values[i])
        case .small: return .small
        case .protective:
            if !ranges { return .range(t.values[i] >= 5 ? 5 : 0, cap) }
            let (lo, hi) = t.derivable(i)
            return .range(lo, min(hi, cap))
        }
    }
    return DisclosureAudit(cells: (0..<t.rows).map { r in (0..<t.columns).map { seen(r, $0) } },
                           rowTotals: (0..<t.rows).map { seen($0, t.columns)! },
                           columnTotals: (0..<t.columns).map { seen(t.rows, $0)! }, total: seen(t.rows, t.columns)!)
}

@Suite("Cell suppression of exact tables")
struct SuppressionTests {
    @Test("a lone <5 in its row and column gets the cheapest protecting cycle, and the derivable ranges follow")
    func loneSmall() {
        var t = SuppressionTable(cells: [[20, 3], [30, 40]])
        t.suppress()
        #expect(t.status(0, 1) == .small)
        // The cheapest cycle through (0, 1): the other three cells (20 + 30 + 40), not a total.
        #expect([t.status(0, 0), t.status(1, 0), t.status(1, 1)] == [.protective, .protective, .protective])
        #expect([t.status(0, 2), t.status(1, 2), t.status(2, 0), t.status(2, 1), t.status(2, 2)].allSatisfy { $0 == .shown })
        // x01 = 23 − x00 = 43 − x11, x10 = 50 − x00, with x01 in 1…4.
        #expect(t.derivable(t.index(0, 1)) == (1, 4))
        #expect(t.derivable(t.index(0, 0)) == (19, 22))
        #expect(t.derivable(t.index(1, 1)) == (39, 42))
        #expect(t.derivable(t.index(1, 0)) == (28, 31))
        #expect(!t.isPinned(t.index(0, 1)))
    }

    @Test("two <5 in one row and one column protect each other through the totals only when needed")
    func smallsTogether() {
        var t = SuppressionTable(cells: [[2, 3, 50], [3, 2, 60], [40, 45, 70]])
        t.suppress()
        // The four <5 form a cycle of their own: nothing else is hidden.
        #expect(t.status.filter { $0 == .protective }.isEmpty)
        #expect(t.derivable(t.index(0, 0)) == (1, 4))
    }

    @Test("a <5 row total and a column of zeros: the totals are protected as well")
    func smallTotals() {
        var t = SuppressionTable(cells: [[1, 0, 0], [0, 30, 12], [0, 8, 25]])
        t.suppress()
        for i in t.values.indices where t.status[i] == .small { #expect(!t.isPinned(i), "entry \(i) pinned") }
        #expect(t.status(0, 3) == .small && t.status(3, 0) == .small)
    }

    @Test("random tables: no <5 can be pinned, and every published range is what linear programming derives")
    func randomTablesAgainstLinearProgramming() {
        var random = SplitMix64(seed: 0x5EED_CE11)
        for round in 0..<300 {
            let rows = 2 + Int(random.next() % 7), columns = 2 + Int(random.next() % 7)
            let cells: [[Int?]] = (0..<rows).map { _ in (0..<columns).map { _ in
                switch random.next() % 10 {
                case 0: return nil
                case 1, 2, 3: return 0
                case 4, 5, 6: return 1 + Int(random.next() % 4)
                default: return 5 + Int(random.next() % 60)
                }
            } }
            var t = SuppressionTable(cells: cells)
            t.suppress()
            let audit = published(t)
            for (r, c, lo, hi) in audit.ranges() {
                let i = t.index(r, c)
                #expect(lo <= t.values[i] && t.values[i] <= hi, "seed \(random.seed) round \(round) \(cells): truth outside \(lo)…\(hi)")
                if t.status[i] == .small {
                    #expect(lo < hi, "seed \(random.seed) round \(round) \(cells): <5 at (\(r), \(c)) pinned to \(lo)")
                    #expect(t.derivable(i) == (lo, hi), "seed \(random.seed) round \(round) \(cells): (\(r), \(c)) \(t.derivable(i)) ≠ LP \(lo)…\(hi)")
                }
            }
            // Each protective range is exactly what follows from the rest (with only "at least 5" known of it).
            for (r, c, lo, hi) in published(t, ranges: false).ranges() where t.status(r, c) == .protective {
                let d = t.derivable(t.index(r, c))
                #expect(d.lo == lo && min(d.hi, cap) == hi, "seed \(random.seed) round \(round) \(cells): (\(r), \(c)) \(d) ≠ LP \(lo)…\(hi)")
            }
        }
    }
}
