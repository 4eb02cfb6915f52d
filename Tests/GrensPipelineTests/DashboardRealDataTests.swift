import Testing
import GrensCore
@testable import GrensRender

/// The dashboard of the real 2024 and 2017 files for Haaglanden: how its numbers read.
@Suite("Dashboard of the real DUO files")
struct DashboardRealDataTests {
    @Test("numbers read as estimate with 90% interval, then 'zeker tussen'; <5 is the only small notation; directions follow the rule")
    func notation() throws {
        let report = try AnalysisStore.report()
        let site = Dashboard.render(report)
        let pages = Dictionary(uniqueKeysWithValues: site.map { ($0.path, $0.html) })
        #expect(pages.count > 150)
        for (path, text) in site {
            // `≈<5`, a range such as `‹5–16`, and a sign before `<5` (HTML escapes `<` as `&lt;`; CSV keeps its `-<5`).
            for bad in ["≈&lt;5", "≈<5", "‹", "+&lt;5", "+<5", "\u{2212}&lt;5", "\u{2212}<5"] {
                #expect(!text.contains(bad), "\(path) bevat \(bad)")
            }
            if path.hasSuffix(".html") { #expect(!text.contains("-&lt;5"), "\(path) bevat -<5") }
        }
        // The region's figures on the index: the estimate, its interval, then the bounds as certain bounds.
        let latest = try #require(report.latest)
        let figures = RegionFigures((report.gemeenteShares[latest] ?? []).filter { $0.soort == .po })
        let interval = try #require(figures.living.interval90)
        #expect(pages["index.html"]!.contains("woonden \(quantityText(figures.living)) leerlingen (po totaal)"))
        #expect(quantityText(figures.living).hasSuffix("(\(DutchFormat.integer(interval.min))–\(DutchFormat.integer(interval.max)); zeker tussen 89.354 en 156.440)"))
        // Every gemeente page states the direction of its balance exactly when the 90% interval excludes 0.
        var directions: [Direction] = []
        for code in report.grouping.members {
            let net = try #require(report.gemeenteShares[latest]?.first { $0.code == code && $0.soort == .po }).net
            let page = pages["gemeente-\(code).html"]!
            let name = escapeHTML(report.name(code))
            let certain = page.contains("\(name) ontvangt meer leerlingen uit andere gemeenten dan er uit \(name) elders naar school gaan.")
                || page.contains("\(name) ontvangt minder leerlingen uit andere gemeenten dan er uit \(name) elders naar school gaan.")
            let open = page.contains("Of \(name) meer of minder leerlingen uit andere gemeenten ontvangt")
            let excludesZero = net.interval90.map { $0.min > 0 || $0.max < 0 } ?? (net.min > 0 || net.max < 0)
            #expect(certain == excludesZero && open == !excludesZero, "\(code): \(net)")
            directions.append(net.direction)
        }
        #expect(directions.contains(.up) && directions.contains(.down))
        // The change page: the region's share of pupils going elsewhere rose, with an interval above 0.
        let change = try #require(report.outflowChanges(.po)).region
        let points = try #require(change.pointsInterval90)
        #expect(points.lowerBound > 0 && change.direction == .up)
        #expect(pages["verandering.html"]!.contains("Dat aandeel is toegenomen."))
    }

    @Test("the exact year on the change page and the over page; cost amounts with their 90% interval first")
    func exactYearAndCosts() throws {
        let report = try AnalysisStore.report()
        let pages = Dictionary(uniqueKeysWithValues: Dashboard.render(report).map { ($0.path, $0.html) })
        // 's-Gravenhage → Rijswijk bo had 791 pupils in 2017 (the CSV files' TOTAAL): in the change table's CSV as it was.
        let csv = try #require(pages["verandering-af-bo.csv"])
        #expect(csv.contains("'s-Gravenhage;Rijswijk;791;791;791;"), "\(csv.prefix(400))")
        #expect(pages["over.html"]!.contains("Exacte jaren (2017)"))
        // Each cost line whose pupils are estimated: its interval, then "zeker" with the hard range.
        let line = try #require(report.costSplits.flatMap(\.lines).first { $0.interval90Cents != nil && $0.minCents != $0.maxCents
            && $0.interval90Cents != $0.minCents...$0.maxCents })
        let i = try #require(line.interval90Cents)
        let cell = "\(euro(i.lowerBound))–\(euro(i.upperBound))<span class=\"b\">zeker \(euro(line.minCents))–\(euro(line.maxCents))</span>"
        #expect(pages["kosten.html"]!.contains(cell))
    }
}
