import Testing
import GrensCore
@testable import GrensRender

/// Rules that live in the report model, checked against an independent computation from the matrix cells and
/// school homes, and the way the renderer shows what the model says.
@Suite("Report rules: shares, team threshold, refused cost items")
struct ReportRulesTests {
    @Test("a flow's share of its home row uses the row's other cells: within the old complement bounds, and never wider")
    func shareOfHome() throws {
        let report = try DashboardFixture.haaglandenScale()
        let latest = try #require(report.latest)
        let m = try #require(report.matrix(latest, .po))
        var tighter = 0
        for f in m.crossingFlows(limit: 40) where report.grouping.isMember(m.groups[f.home]) {
            let share = try #require(m.shareOfHome(f.home, f.school))
            var rest = Quantity.zero
            for s in m.groups.indices where s != f.school { rest += m.cells[f.home][s] }
            #expect(share == Share(part: f.pupils, rest: rest))
            // The looser reading: the home total minus the cell.
            let total = m.homeTotals[f.home]
            let loose = Share(part: f.pupils, rest: Quantity(bounds: Bounds(min: max(0, total.min - f.pupils.max), max: total.max - f.pupils.min),
                                                            estimate: total.estimate - f.pupils.estimate))!
            #expect(share.min >= loose.min - 1e-12 && share.max <= loose.max + 1e-12)
            if share.max - share.min < loose.max - loose.min - 1e-9 { tighter += 1 }
        }
        #expect(tighter > 0)
        // A row outside the region is incomplete: no share.
        let outside = try #require(m.groups.firstIndex(of: Grouping.rest))
        #expect(m.shareOfHome(outside, 0) == nil)
    }

    @Test("the agreement threshold is compared on the number shown: ≈10 is always ja at threshold 10")
    func thresholdOnShownNumber() {
        var report = DashboardFixture.small()
        report.teamThreshold = 10
        func q(_ e: Double) -> Quantity { Quantity(bounds: Bounds(min: 8, max: 20), estimate: e) }
        #expect(report.recommendsAgreement(q(9.5)))
        #expect(Publish.count(q(9.5)) == "≈10")
        #expect(report.recommendsAgreement(q(10.4)))
        #expect(!report.recommendsAgreement(q(9.49)))
        #expect(Publish.count(q(9.49)) == "≈9")
    }

    @Test("schools attended are ranked by estimate and every school lies outside the gemeente")
    func schoolsAttended() throws {
        let report = try DashboardFixture.haaglandenScale()
        var seen = 0
        for code in report.grouping.members {
            let attended = report.schoolsAttended(by: code)
            seen += attended.count
            #expect(attended.allSatisfy { $0.school.gemeente != code && $0.pupils.max > 0 })
            #expect(zip(attended, attended.dropFirst()).allSatisfy { $0.pupils.estimate >= $1.pupils.estimate })
            let expected = report.schools.filter { s in s.gemeente != code && s.homes.contains { $0.code == code && $0.pupils.max > 0 } }.count
            #expect(attended.count == expected, "\(code)")
        }
        #expect(seen > 0)
    }

    @Test("a refused cost item is listed on the over page as a typed refusal, not parsed from prose")
    func refusedCostItems() throws {
        var report = DashboardFixture.small()
        report.refusedCostItems = [InputError(file: "data/kosten/oja.txt", line: 7, column: "vestigingen", message: "school 20IX00 komt niet voor")]
        let over = try #require(pages(report)["over.html"])
        #expect(over.contains("<li>Kostenpost niet berekend: data/kosten/oja.txt:7 kolom vestigingen: school 20IX00 komt niet voor</li>"))
        report.refusedCostItems = []
        let plain = try #require(pages(report)["over.html"])
        #expect(!plain.contains("Kostenpost niet berekend"))
    }
}
