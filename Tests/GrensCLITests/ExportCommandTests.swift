import Foundation
import Testing
@testable import GrensCLI

/// `matrix` and `shares` as a user runs them: the 90% interval beside every schatting, in CSV, Markdown and JSON.
@Suite("matrix and shares exports")
struct ExportCommandTests {
    static let matrixHeader = "peildatum;soort;woongemeente_code;woongemeente;schoolgemeente_code;schoolgemeente;"
        + "minimum;maximum;schatting;interval_90_laag;interval_90_hoog"

    @Test("matrix csv: interval_90_laag and interval_90_hoog right after schatting, within the bounds and around it")
    func matrixCSV() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        let result = cli(["matrix", "--db", store, "--peildatum", "2024-10-01"])
        #expect(result.code == 0, "\(result.err)")
        let lines = result.out.dropFirst().split(separator: "\n")
        #expect(lines.first.map(String.init) == Self.matrixHeader)
        var hidden = 0, checked = 0
        for line in lines.dropFirst() {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).suffix(5).map(String.init)
            #expect(fields.allSatisfy { !["1", "2", "3", "4"].contains($0) }, "\(line)")
            hidden += fields.filter { $0 == "<5" }.count
            // min ≤ laag ≤ schatting ≤ hoog ≤ max where all five are shown.
            let v = fields.compactMap { Int($0) }
            guard v.count == 5 else { continue }
            checked += 1
            #expect(v[0] <= v[3] && v[3] <= v[2] && v[2] <= v[4] && v[4] <= v[1], "\(line)")
            if v[0] == v[1] { #expect(Set(v).count == 1, "exact, yet \(line)") }
        }
        #expect(hidden > 0 && checked > 20, "hidden \(hidden), checked \(checked)")
        let md = cli(["matrix", "--db", store, "--peildatum", "2024-10-01", "--formaat", "md"])
        #expect(md.out.hasPrefix("| peildatum | soort | woongemeente_code | woongemeente | schoolgemeente_code | schoolgemeente | "
                                 + "minimum | maximum | schatting | interval_90_laag | interval_90_hoog |\n"))
    }

    @Test("shares csv: each count's interval right after its schatting, each share's right after its estimate")
    func sharesCSV() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        let gemeente = cli(["shares", "--db", store])
        #expect(gemeente.code == 0, "\(gemeente.err)")
        let header = gemeente.out.dropFirst().prefix { $0 != "\n" }
        #expect(header.hasPrefix("peildatum;soort;gemeente_code;gemeente;wonend_min;wonend_max;wonend_schatting;"
                                 + "wonend_interval_90_laag;wonend_interval_90_hoog;op_school_min;"))
        #expect(header.contains(";uitstroom_min;uitstroom_max;uitstroom_schatting;uitstroom_interval_90_laag;uitstroom_interval_90_hoog;"))
        #expect(header.contains(";saldo_min;saldo_max;saldo_schatting;saldo_interval_90_laag;saldo_interval_90_hoog;aandeel_uitstroom_pct;"
                                + "aandeel_uitstroom_interval_90_laag_pct;aandeel_uitstroom_interval_90_hoog_pct;aandeel_uitstroom_min_pct;"
                                + "aandeel_uitstroom_max_pct;"))
        #expect(header.hasSuffix(";aandeel_buiten_regio_min_pct;aandeel_buiten_regio_max_pct"))
        let swv = cli(["shares", "--db", store, "--niveau", "swv"])
        #expect(swv.out.dropFirst().hasPrefix("peildatum;soort;swv_code;swv;wonend_min;wonend_max;wonend_schatting;"
                                              + "wonend_interval_90_laag;wonend_interval_90_hoog;"))
    }

    @Test("json: every object has the same keys; numbers stay numbers; a hidden value is null with <kolom>_onder_5 true")
    func json() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        for words in [["matrix"], ["shares"], ["shares", "--niveau", "swv"]] {
            let result = cli(words + ["--db", store, "--formaat", "json"])
            #expect(result.code == 0, "\(words): \(result.err)")
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [[String: Any]], "\(words)")
            let keys = try #require(parsed.first?.keys.sorted())
            var hidden = 0
            for object in parsed {
                #expect(object.keys.sorted() == keys, "\(words)")
                for (name, value) in object where name.hasSuffix("_onder_5") {
                    let column = String(name.dropLast("_onder_5".count))
                    let flag = try #require(value as? Bool, "\(words) \(name)")
                    if flag {
                        hidden += 1
                        #expect(object[column] is NSNull, "\(words) \(column): \(String(describing: object[column]))")
                    } else {
                        #expect(object[column] is NSNumber, "\(words) \(column): \(String(describing: object[column]))")
                    }
                }
                // A string only in a text column.
                for (name, value) in object where value is String {
                    #expect(["peildatum", "soort", "woongemeente_code", "woongemeente", "schoolgemeente_code", "schoolgemeente",
                             "gemeente_code", "gemeente", "swv_code", "swv"].contains(name), "\(words) \(name): \(value)")
                }
            }
            #expect(keys.contains(words == ["matrix"] ? "interval_90_hoog_onder_5" : "uitstroom_interval_90_laag_onder_5"), "\(words)")
            #expect(hidden > 0, "\(words): the sample has hidden values")
            #expect(!result.out.contains("<5"), "\(words)")
        }
    }
}
