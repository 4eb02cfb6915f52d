import Testing
@testable import GrensCore
@testable import GrensRender

/// How the dashboard writes an uncertain number: the estimate with its 90% interval first, the hard bounds second
/// ("zeker tussen"), `<5` as the one notation for a small value, and the direction of a balance or change in words
/// exactly when its 90% interval excludes 0.
@Suite("Numbers: estimate, 90% interval, hard bounds")
struct NumberNotationTests {
    func quantity(_ min: Int, _ max: Int, _ estimate: Double, _ interval: Bounds?) -> Quantity {
        var q = Quantity(bounds: Bounds(min: min, max: max), estimate: estimate)
        q.interval90 = interval
        return q
    }

    func share(_ min: Double, _ max: Double, _ estimate: Double, _ interval: ClosedRange<Double>?) -> Share {
        var s = Share(part: Quantity(exact: 1), rest: Quantity(exact: 9))!
        s.min = min; s.max = max; s.estimate = estimate; s.interval90 = interval
        return s
    }

    func change(_ min: Int, _ max: Int, _ estimate: Double, _ interval: Bounds?) -> Change {
        var c = Change(Quantity(exact: 0), minus: Quantity(exact: 0))
        c.min = min; c.max = max; c.estimate = estimate; c.interval90 = interval
        return c
    }

    @Test("a drawn count shows its 90% interval after the estimate and its bounds second, as 'zeker tussen'")
    func drawnCount() {
        let q = quantity(804, 2_787, 951.3, Bounds(min: 900, max: 1_005))
        #expect(quantityText(q) == "≈951 (900–1.005; zeker tussen 804 en 2.787)")
        #expect(Table.count(q).render()
            == "<td class=\"n\">≈951 <span class=\"i\">(900–1.005)</span><span class=\"b\">zeker tussen 804 en 2.787</span></td>")
        #expect(Shown(q).short == "≈951 (900–1.005)")
        // Not drawn: only the bounds, named as bounds.
        let bare = quantity(804, 2_787, 951.3, nil)
        #expect(quantityText(bare) == "≈951 (zeker tussen 804 en 2.787)")
        #expect(Table.count(bare).render() == "<td class=\"n\">≈951<span class=\"b\">zeker tussen 804 en 2.787</span></td>")
        // An interval as wide as the bounds says nothing more: the bounds alone.
        #expect(quantityText(quantity(122, 128, 125.2, Bounds(min: 122, max: 128))) == "≈125 (zeker tussen 122 en 128)")
        #expect(shareText(share(0.397, 0.439, 0.417, 0.397...0.439)) == "≈41,7% (zeker tussen 39,7% en 43,9%)")
        // Exact: the plain number.
        #expect(quantityText(Quantity(exact: 37)) == "37" && Table.count(Quantity(exact: 1_234)).render() == "<td class=\"n\">1.234</td>")
        #expect(quantityText(Quantity(exact: 0)) == "0")
    }

    @Test("small values are <5 only: never ≈<5, never a range as the headline; interval ends from 1 to 4 are <5")
    func smallValues() {
        #expect(quantityText(quantity(1, 4, 2.2, nil)) == "<5")
        #expect(quantityText(quantity(1, 8, 2.4, Bounds(min: 1, max: 5))) == "<5 (hoogstens 5; zeker hoogstens 8)")
        #expect(quantityText(quantity(2, 8, 2.4, Bounds(min: 2, max: 4))) == "<5 (zeker hoogstens 8)", "an interval inside 1–4 says no more than <5")
        #expect(quantityText(quantity(3, 16, 6.1, Bounds(min: 4, max: 9))) == "≈6 (hoogstens 9; zeker hoogstens 16)")
        #expect(Publish.count(quantity(1, 8, 4.49, nil)) == "<5" && Publish.count(quantity(1, 8, 4.5, nil)) == "≈5")
        for text in [quantityText(quantity(1, 8, 2.4, Bounds(min: 1, max: 5))), changeText(change(-3, 4, 2, Bounds(min: -2, max: 3)))] {
            #expect(!text.contains("≈<5") && !text.contains("‹") && !text.contains("+<5") && !text.contains("−<5") && !text.contains("-<5"), "\(text)")
            #expect(wholeNumbers(text).allSatisfy { !(1...4).contains($0) }, "\(text)")
        }
    }

    @Test("shares: the estimate with its interval, then the bounds; exact shares plain")
    func shares() {
        let s = share(0.064, 0.266, 0.1012, 0.098...0.104)
        #expect(shareText(s) == "≈10,1% (9,8–10,4%; zeker tussen 6,4% en 26,6%)")
        #expect(Table.share(s).render()
            == "<td class=\"n\">≈10,1% <span class=\"i\">(9,8–10,4%)</span><span class=\"b\">zeker tussen 6,4% en 26,6%</span></td>")
        #expect(shareText(share(0.064, 0.266, 0.1012, nil)) == "≈10,1% (zeker tussen 6,4% en 26,6%)")
        #expect(shareText(share(0.1, 0.1, 0.1, nil)) == "10,0%" && shareText(nil) == "–")
        // An interval that reads the same at both ends with one decimal gets two; with two still the same, it is left out.
        #expect(shareText(share(0.064, 0.266, 0.1012, 0.1008...0.1013)) == "≈10,1% (10,08–10,13%; zeker tussen 6,4% en 26,6%)")
        #expect(shareText(share(0.064, 0.266, 0.1012, 0.10121...0.10124)) == "≈10,1% (zeker tussen 6,4% en 26,6%)")
    }

    @Test("changes and balances: signed, with the interval as 'tot'; a magnitude from 1 to 4 as <5 meer / <5 minder")
    func changes() {
        #expect(changeText(change(-7, 40, 12.2, Bounds(min: 8, max: 15))) == "≈+12 (+8 tot +15; zeker tussen −7 en +40)")
        #expect(changeText(change(-5_314, 8_774, 773, Bounds(min: 714, max: 843))) == "≈+773 (+714 tot +843; zeker tussen −5.314 en +8.774)")
        #expect(changeText(change(-40, 3, -12, Bounds(min: -15, max: -3))) == "≈−12 (−15 tot <5 minder; zeker tussen −40 en <5 meer)")
        #expect(Table.change(change(-3, 40, 12.2, Bounds(min: 8, max: 15))).render()
            == "<td class=\"n\">≈+12 <span class=\"i\">(+8 tot +15)</span><span class=\"b\">zeker tussen &lt;5 minder en +40</span></td>")
        #expect(changeText(change(12, 12, 12, nil)) == "+12" && changeText(change(-12, -12, -12, nil)) == "−12" && changeText(change(0, 0, 0, nil)) == "0")
        #expect(changeText(change(3, 3, 3, nil)) == "<5 meer" && changeText(change(-2, -2, -2, nil)) == "<5 minder")
        #expect(changeText(change(-6, 9, 2.4, nil)) == "<5 meer (zeker tussen −6 en +9)")
        #expect(changeText(change(-6, 9, 0.3, nil)) == "≈0 (zeker tussen −6 en +9)", "an estimate is never shown as an exact 0")
        // Bounds without an estimate (the refresh summary).
        #expect(Shown(change: Bounds(min: -3, max: 9)).headline == "<5 minder tot +9" && Shown(change: Bounds(exact: 3)).headline == "<5 meer")
        #expect(Shown(bounds: Bounds(min: 6_586, max: 12_190)).headline == "tussen 6.586 en 12.190" && Shown(bounds: Bounds(min: 2, max: 4)).headline == "<5")
    }

    @Test("a change of a share in percentage points, with its interval from the joint draws")
    func points() {
        let o = Report.OutflowChange(code: nil, before: share(0.054, 0.222, 0.084, 0.083...0.085), after: share(0.064, 0.266, 0.101, 0.1...0.102),
                                     pointsInterval90: 1.6...1.8)
        #expect(Shown(points: o).text == "≈+1,7 procentpunt (+1,6 tot +1,8; zeker tussen −15,8 en +21,2)")
        #expect(o.direction == .up)
        var open = o
        open.pointsInterval90 = -0.2...1.8
        #expect(open.direction == .uncertain && Shown(points: open).interval == "−0,2 tot +1,8")
    }

    @Test("the CSV of a table holds the 90% interval after the estimate, before the bounds")
    func csvColumns() {
        let q = quantity(804, 2_787, 951.3, Bounds(min: 900, max: 1_005))
        let table = Table.export(columns: [Table.colHeader("Gemeente"), Table.colHeader("Leerlingen", numeric: true), Table.colHeader("Aandeel", numeric: true)],
                                 rows: [[Table.rowHeader("Delft"), Table.count(q), Table.share(share(0.064, 0.266, 0.1012, 0.098...0.104))],
                                        [Table.rowHeader("Rijswijk"), Table.count(quantity(1, 8, 2.4, Bounds(min: 1, max: 5))), Table.share(nil)]])
        #expect(table.columns == ["Gemeente", "Leerlingen (schatting)", "Leerlingen 90%-interval laag", "Leerlingen 90%-interval hoog",
                                  "Leerlingen min", "Leerlingen max", "Aandeel (%)", "Aandeel 90%-interval laag (%)", "Aandeel 90%-interval hoog (%)",
                                  "Aandeel min (%)", "Aandeel max (%)"])
        #expect(table.csv().split(separator: "\n").dropFirst().map(String.init) == ["Delft;951;900;1005;804;2787;10,1;9,8;10,4;6,4;26,6",
                                                                                   "Rijswijk;<5;<5;5;<5;8;;;;;"])
    }

    @Test("a balance gets one sentence on its direction, exactly when its 90% interval excludes 0")
    func balanceSentences() {
        func sentence(_ c: Change) -> String {
            balanceSentence(c, subject: "'s-Gravenhage", others: "andere gemeenten", leaving: "er uit 's-Gravenhage elders naar school gaan")
        }
        #expect(sentence(change(-5_314, 8_774, 773, Bounds(min: 714, max: 843)))
            == "'s-Gravenhage ontvangt meer leerlingen uit andere gemeenten dan er uit 's-Gravenhage elders naar school gaan.")
        #expect(sentence(change(-8_774, 5_314, -773, Bounds(min: -843, max: -714)))
            == "'s-Gravenhage ontvangt minder leerlingen uit andere gemeenten dan er uit 's-Gravenhage elders naar school gaan.")
        #expect(sentence(change(-5_314, 8_774, 12, Bounds(min: -20, max: 43)))
            == "Of 's-Gravenhage meer of minder leerlingen uit andere gemeenten ontvangt dan er uit 's-Gravenhage elders naar school gaan, is niet zeker.")
        #expect(sentence(change(-5_314, 8_774, 12, Bounds(min: 0, max: 43))).hasPrefix("Of "), "an interval that touches 0")
        #expect(balanceSentence(change(-10, 20, 5, Bounds(min: -2, max: 9)), subject: "Het gebied van PO2815", others: "andere samenwerkingsverbanden",
                                leaving: "er uit dit gebied naar een school van een ander samenwerkingsverband gaan").hasPrefix("Of het gebied van PO2815 meer of minder"))
    }

    @Test("on the pages: each gemeente's and swv's balance sentence and each change's direction follow the report's rule")
    func directionsOnThePages() throws {
        let report = DashboardFixture.small()
        let site = pages(report)
        let latest = try #require(report.latest)
        var seen: Set<String> = []
        for code in report.grouping.members {
            let page = plainText(try #require(site["gemeente-\(code).html"]))
            let main = try #require(Site(report).mainSoort)
            let net = try #require(report.gemeenteShares[latest]?.first { $0.code == code && $0.soort == main }).net
            let name = report.name(code)
            let expected = balanceSentence(net, subject: name, others: "andere gemeenten", leaving: "er uit \(name) elders naar school gaan")
            #expect(page.contains(expected), "\(code): \(expected)")
            for other in ["ontvangt meer", "ontvangt minder", "meer of minder", "ontvangt evenveel"] where !expected.contains(other) {
                #expect(!page.contains("\(name) \(other)") && !page.contains("Of \(name) \(other)"), "\(code): \(other)")
            }
            seen.insert("\(net.direction)")
        }
        for (code, list) in Dictionary(grouping: report.swvShares[latest] ?? [], by: \.swv) {
            let page = plainText(try #require(site["swv-\(code).html"]))
            #expect(page.contains(balanceSentence(list[0].net, subject: "Het gebied van \(code)", others: "andere samenwerkingsverbanden",
                                                  leaving: "er uit dit gebied naar een school van een ander samenwerkingsverband gaan")), "\(code)")
        }
        // The change page: every listed flow has its direction word, from `Change.direction`.
        let change = try #require(site["verandering.html"])
        var rows = 0
        for soort in report.soorten {
            let (ups, downs) = report.crossBorderChanges(soort)
            for (id, list) in [("op", ups), ("af", downs)] where !list.isEmpty {
                let table = try #require(change.components(separatedBy: "<caption id=\"\(id)-\(soort.rawValue)\">").dropFirst().first)
                    .components(separatedBy: "</table>")[0]
                for c in list.prefix(10) {
                    let home = "<th scope=\"row\">\(escapeHTML(report.name(c.home) + (c.isNew ? " (nieuw)" : c.hasEnded ? " (gestopt)" : "")))</th>"
                        + "<td>\(escapeHTML(report.name(c.school)))</td>"
                    let row = try #require(table.components(separatedBy: "<tr>").first { $0.hasPrefix(home) }, "\(soort) \(c.home) → \(c.school)")
                    #expect(row.contains("<td>\(directionWord(c.change.direction))</td>"), "\(row)")
                    seen.insert("\(c.change.direction)")
                    rows += 1
                }
            }
        }
        #expect(rows > 5)
        #expect(seen.contains("up") && seen.contains("uncertain"), "the fixture has certain and uncertain directions: \(seen)")
    }
}
