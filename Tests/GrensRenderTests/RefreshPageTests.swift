import Testing
import GrensCore
@testable import GrensRender

/// The last refresh on "Over deze cijfers" and the years on the change page: data from the report, every number
/// through the disclosure rule.
@Suite struct RefreshPageTests {
    static func page(_ report: Report, _ path: String) -> String {
        Dashboard.render(report).first { $0.path == path }!.html
    }

    static func refresh() -> Refresh {
        let date = Peildatum(iso: "2024-10-01")!
        let areas = [AreaChange(side: .school, code: "0503", name: "Delft", before: Bounds(min: 6_586, max: 12_190),
                                after: Bounds(min: 6_589, max: 12_193), change: Bounds(exact: 3)),
                     AreaChange(side: .school, code: "0603", name: "Rijswijk", before: Bounds(exact: 40), after: .zero, change: Bounds(exact: -40))]
        let part = PartChange(dataset: .poPostcode, peildatum: date, baseline: .same, filesBefore: ["Delft afgeschermd.csv"],
                              filesAfter: ["Delft afgeschermd.csv"], layoutsBefore: ["po03-2024"], layoutsAfter: ["po03-2024"],
                              columnsAdded: [], columnsRemoved: [], rowsBefore: 783, rowsAfter: 783, rowsAdded: 0, rowsRemoved: 0,
                              rowsChanged: 1, pupilsBefore: Bounds(min: 6_586, max: 12_190), pupilsAfter: Bounds(min: 6_589, max: 12_193),
                              pupilsChange: Bounds(exact: 3), areas: areas,
                              schools: [SchoolChange(kind: .vanished, schoolID: "02AB00", name: "De Linde", gemeente: "0603", pupils: Bounds(exact: 40))],
                              rows: [])
        return Refresh(run: 7, parts: [part])
    }

    @Test func lastRefreshOnTheAboutPage() {
        var report = DashboardFixture.small()
        #expect(!Self.page(report, "over.html").contains("Laatste verversing"))
        report.lastRefresh = Self.refresh()
        report.newerPeildata = [NewerPeildatum(item: "Vervoer", file: "data/kosten/vervoer.txt", pinned: Peildatum(iso: "2023-10-01")!,
                                               latest: Peildatum(iso: "2024-10-01")!)]
        let html = Self.page(report, "over.html")
        #expect(html.contains("Wat inleesronde 7 veranderde"))
        #expect(html.contains("0 regels toegevoegd, 0 verwijderd en 1 gewijzigd; leerlingen tussen 6.586 en 12.190 → tussen 6.589 en 12.193 (&lt;5 meer)."))
        #expect(html.contains("<td class=\"n\">&lt;5 meer</td>") && !html.contains("+3") && !html.contains("+&lt;5"), "a change of 3 is published as <5 meer")
        #expect(html.contains("<td class=\"n\">\u{2212}40</td>"))
        #expect(html.contains("School verdwenen: De Linde (02AB00), 40 leerlingen."))
        #expect(html.contains("<td>ja</td>"), "Rijswijk, whose data went, is marked")
        #expect(html.contains("kostenpost Vervoer (data/kosten/vervoer.txt) gebruikt peildatum 2023-10-01"))
    }

    @Test func everyYearOnTheChangePage() {
        let report = DashboardFixture.small()
        #expect(Set(report.trend.map(\.peildatum)).count == 2)
        for soort in report.soorten {
            let points = report.trend.filter { $0.soort == soort }
            #expect(points.map(\.peildatum) == report.peildata)
            for p in points {
                // The same sums as the index page's key figures for that peildatum.
                let f = RegionFigures((report.gemeenteShares[p.peildatum] ?? []).filter { $0.soort == soort })
                #expect(p.living == f.living && p.outflow == f.outflow && p.outRegion == f.outRegion)
            }
        }
        let html = Self.page(report, "verandering.html")
        #expect(html.contains("Alle jaren in de database"))
        #expect(html.contains("id=\"trend-po\"") && html.contains("<th scope=\"row\">2023-2024</th>"))
    }
}
