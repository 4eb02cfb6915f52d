import Testing
import GrensCore
import GrensTestSupport

/// The disclosure audit of every published table of an exact year: from the published numbers alone (shown counts,
/// `<5` as 1…4, hidden counts by their published range), linear programming derives the range of every hidden
/// count. None of the `<5` may be narrowed to a single value, and no published range may be narrower than what
/// follows from the rest (that would say more than the table does).
@Suite("Disclosure audit of the exact year's tables (real 2017 files)")
struct DisclosureAuditTests {
    let report: Report
    init() throws { report = try AnalysisStore.report() }

    /// A matrix as a reader sees it. `unknown`: this entry's range is not taken as published, only "at least 5".
    func seen(_ m: Matrix, unknown: (Int, Int)? = nil) -> DisclosureAudit {
        let n = m.groups.count
        func count(_ q: Quantity, _ position: (Int, Int)) -> PublishedCount {
            if q.isExact { return .shown(q.min) }
            if q.max <= 4 { return .small }
            if let unknown, unknown == position { return .range(5, m.total.max) }
            return .range(q.min, q.max)
        }
        return DisclosureAudit(cells: (0..<n).map { h in (0..<n).map { s in m.applicable(h, s) ? count(m.cells[h][s], (h, s)) : nil } },
                               rowTotals: (0..<n).map { count(m.homeTotals[$0], ($0, n)) },
                               columnTotals: (0..<n).map { count(m.schoolTotals[$0], (n, $0)) }, total: count(m.total, (n, n)))
    }

    @Test("every <5 of every 2017 matrix keeps at least two possible values; shown counts are never 1 to 4")
    func noSmallCountRecoverable() throws {
        let exact = report.matrices.filter { report.exactPeildata.contains($0.peildatum) }
        #expect(exact.count == report.soorten.count)
        var smalls = 0, protective = 0
        for m in exact {
            let n = m.groups.count
            let all = (0..<n).flatMap { h in (0..<n).filter { m.applicable(h, $0) }.map { m.cells[h][$0] } }
                + m.homeTotals + m.schoolTotals + [m.total]
            for q in all where q.isExact { #expect(!(1...4).contains(q.min), "\(m.soort.short): a shown count of \(q.min)") }
            for (r, c, lo, hi) in seen(m).ranges() {
                let q = r == n ? (c == n ? m.total : m.schoolTotals[c]) : (c == n ? m.homeTotals[r] : m.cells[r][c])
                if q.max <= 4 {
                    smalls += 1
                    #expect(lo < hi, "\(m.soort.short) \(m.groups[min(r, n - 1)])→\(m.groups[min(c, n - 1)]): <5 pinned to \(lo)")
                } else {
                    protective += 1
                }
            }
        }
        // The real tables do have <5 cells and need protection (the audit is not vacuous).
        #expect(smalls > 100 && protective > 0, "\(smalls) <5, \(protective) protective")
    }

    @Test("the po total of an exact year is the sum of the published soort matrices, so it reveals nothing they hide")
    func totalsFromPublishedParts() throws {
        for m in report.matrices where report.exactPeildata.contains(m.peildatum) && !m.soort.isSingle {
            let parts = report.matrices.filter { $0.peildatum == m.peildatum && $0.soort.isSingle && m.soort.includes($0.soort) }
            #expect(parts.count >= 2)
            let n = m.groups.count
            for h in 0..<n {
                for s in 0..<n where m.applicable(h, s) {
                    let sum = parts.map { $0.cells[h][s] }.reduce(Quantity.zero, +)
                    #expect(m.cells[h][s].bounds == sum.bounds && m.cells[h][s].estimate == sum.estimate)
                }
                #expect(m.homeTotals[h].bounds == parts.map { $0.homeTotals[h] }.reduce(Quantity.zero, +).bounds)
            }
        }
    }

    @Test("every published range of a protective count is exactly what the rest of its table gives")
    func protectiveRangesAddNothing() throws {
        for m in report.matrices where report.exactPeildata.contains(m.peildatum) && m.soort.isSingle {
            let n = m.groups.count
            for r in 0...n {
                for c in 0...n {
                    let q = r == n ? (c == n ? m.total : m.schoolTotals[c]) : (c == n ? m.homeTotals[r] : m.cells[r][c])
                    guard !q.isExact, q.max > 4, r == n || c == n || m.applicable(r, c) else { continue }
                    let lp = try #require(seen(m, unknown: (r, c)).ranges().first { $0.row == r && $0.column == c })
                    #expect(lp.min == q.min && lp.max == q.max, "\(m.soort.short) (\(r), \(c)): published \(q.min)–\(q.max), derivable \(lp.min)–\(lp.max)")
                }
            }
        }
    }
}
