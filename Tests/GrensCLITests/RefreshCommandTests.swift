import Foundation
import Testing
import GrensTestSupport
@testable import GrensCLI

/// The yearly refresh on the command line, against the loopback stand-in for DUO.
@Suite("refresh: ophalen, bronnen, wijzigingen")
struct RefreshCommandTests {
    static let folder = TestPaths.duoReal + "/po-postcode-leerling-2024-2025/"
    /// Delft first, so the first 15 of the national file is the one in the Delft rows.
    static let names = ["Delft", "'s-Gravenhage", "Rijswijk", "Leidschendam-Voorburg", "Westland"].map { folder + $0 + " afgeschermd.csv" }
    static let po2024 = "03.-leerlingen-po-totaaloverzicht-2024-2025.csv"
    static let po2025 = "03.-leerlingen-po-totaaloverzicht-2025-2026.csv"

    func text(_ path: String) -> String { bytes(path).map { String(decoding: $0, as: UTF8.self) } ?? "" }

    /// The next year as DUO would publish it: the same rows on 1 October 2025, without one school.
    func nextYear(_ national: [UInt8], without school: String) -> [UInt8] {
        let lines = String(decoding: national, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let kept = lines.enumerated().filter { i, line in i == 0 || !line.contains("\"\(school.prefix(4))\";\"\(school.suffix(2))\"") }
        return Array(kept.map { $0.1.replacingOccurrences(of: "\"20241001\"", with: "\"20251001\"") }.joined(separator: "\n").utf8)
    }

    @Test("a scripted refresh: fetch from the loopback server, ingest, wijzigingen, dashboard; a corrected file, then a new year")
    func endToEnd() throws {
        let server = try DuoServer(), dir = TempDir()
        let national = try nationalFile(from: Self.names)
        try server.serve(Self.po2024, national)
        let duo = dir["duo/2024-2025"], store = dir["g.sqlite"]
        let fetch = ["ophalen", "--bestanden", "po03", "--basis-url", server.baseURL]

        let first = cli(fetch + ["--schooljaar", "2024-2025", "--naar", duo])
        #expect(first.code == 0, "\(first.err)")
        #expect(first.out.contains("po03 \(Self.po2024): opgehaald ("))
        #expect(first.out.contains("Volgende stap: grensverkeer ingest \(duo) --peildatum 2024-10-01"))
        let ingest = cli(["ingest", duo, "--db", store])
        #expect(ingest.code == 0 && ingest.out.contains("2024-10-01 po_postcode: eerste peildatum van deze dataset"), "\(ingest.err)")

        // DUO corrects one cell of a Delft row: 15 becomes 18.
        let (corrected, line) = try #require(changingOneCell(national, from: "15", to: "18"))
        try server.serve(Self.po2024, corrected)
        let second = cli(fetch + ["--schooljaar", "2024-2025", "--naar", duo])
        #expect(second.code == 0 && second.out.contains("nieuwe versie bij DUO, opgehaald"), "\(second.out)\(second.err)")
        let reingest = cli(["ingest", duo, "--db", store])
        #expect(reingest.out.contains("vervangen:    1 bestanden"))
        #expect(reingest.out.contains("2024-10-01 po_postcode: regels toegevoegd 0, verwijderd 0, gewijzigd 1; leerlingen +3; Delft (school) +3"), "\(reingest.out)")
        let changes = cli(["wijzigingen", "--db", store])
        #expect(changes.code == 0, "\(changes.err)")
        #expect(changes.out.contains("(toegevoegd 0, verwijderd 0, gewijzigd 1)"), "\(changes.out)")
        #expect(changes.out.contains("  0503 Delft: ") && changes.out.contains("Schoolgemeenten met andere aantallen: 1\n  0503 Delft: "))
        #expect(changes.out.contains("  gewijzigd: 12SL01 Gabrielschool, Bo, pc4 2286 (Rijswijk); regel \(line) → \(line): leeftijd 6: 15 → 18 (+3)"), "\(changes.out)")
        #expect(changes.out.contains("Opvallend (zeker ≥ 25 leerlingen en ≥ 10%, of een andere indeling): niets"))

        // Asked again: DUO says 304, nothing is downloaded.
        let third = cli(fetch + ["--schooljaar", "2024-2025", "--naar", duo])
        #expect(third.out.contains("po03 \(Self.po2024): ongewijzigd bij DUO (niet opnieuw gedownload)"), "\(third.out)")
        #expect(server.requests.suffix(1) == ["\(Self.po2024) 304"])
        #expect(entries(duo) == [".duo-ophalen.json", ".vorige-versies", Self.po2024])

        let site = dir["site"]
        let dashboard = cli(["dashboard", "--db", store, "--uit", site, "--kosten", "geen", "--notitieboeken", "geen"])
        #expect(dashboard.code == 0, "\(dashboard.err)")
        let over = text(site + "/over.html")
        #expect(over.contains("Laatste verversing van de gegevens") && over.contains("1 gewijzigd"))
        #expect(over.contains("(&lt;5 meer)") && !over.contains("(+3)") && !over.contains("+&lt;5"), "the dashboard follows the disclosure rule")

        let sources = cli(["bronnen", "--db", store, "--formaat", "md"])
        let lines = sources.out.split(separator: "\n").filter { $0.contains(Self.po2024) }
        #expect(lines.count == 2 && lines[0].contains("| vervangen | 2 |") && lines[1].contains("| in de database |"), "\(sources.out)")

        // A new year: the same schools but one, counted on 1 October 2025.
        try server.serve(Self.po2025, nextYear(corrected, without: "12SL01"))
        let duo2025 = dir["duo/2025-2026"]
        let fetch2025 = cli(fetch + ["--schooljaar", "2025-2026", "--naar", duo2025])
        #expect(fetch2025.code == 0, "\(fetch2025.out)\(fetch2025.err)")
        #expect(cli(["ingest", duo2025, "--db", store]).out.contains("2025-10-01 po_postcode: nieuwe peildatum (t.o.v. 2024-10-01)"))
        let year = cli(["wijzigingen", "--db", store])
        #expect(year.out.contains("Nieuwe peildatum; vergeleken met de vorige peildatum in de database: 2024-10-01."), "\(year.out)")
        #expect(year.out.contains("verdwenen: 12SL01 Gabrielschool (schoolgemeente 0503)"), "\(year.out)")
        #expect(!year.out.contains("Regels toegevoegd, verwijderd of gewijzigd"), "a new year lists no rows")
        // The earlier run is still there to look at.
        #expect(cli(["wijzigingen", "--db", store, "--run", "2"]).out.contains("leeftijd 6: 15 → 18 (+3)"))

        let years = cli(["dashboard", "--db", store, "--uit", site, "--kosten", "geen", "--notitieboeken", "geen",
                         "--van", "2024-10-01", "--tot", "2025-10-01"])
        #expect(years.code == 0, "\(years.err)")
        let change = text(site + "/verandering.html")
        #expect(change.contains("Verandering 2024 → 2025") && change.contains("Alle jaren in de database"))
        #expect(change.contains("id=\"trend-po\""))
    }

    @Test("ophalen checks its options before any work", arguments: [
        ([String](), "--schooljaar ontbreekt"), (["--schooljaar", "2025/2026"], "geen schooljaar"),
        (["--schooljaar", "2025-2026", "--bestanden", "po04"], "bedoelde u po01?"),
        (["--schooljaar", "2025-2026", "--basis-url", "ftp://duo.nl/"], "geen http(s)-adres"),
        (["--schooljaar", "2025-2026", "--wachttijd", "0"], "geen aantal seconden"),
    ])
    func fetchUsage(_ words: [String], _ message: String) {
        let dir = TempDir()
        let result = cli(["ophalen"] + words + ["--naar", dir["duo"]])
        #expect(result.code == 64 && result.err.contains(message), "\(words): \(result.err)")
        #expect(entries(dir.path).isEmpty)
    }

    @Test("a file DUO does not have: exit 1, the reason, and no folder left behind")
    func fetchFailure() throws {
        let server = try DuoServer(), dir = TempDir()
        let result = cli(["ophalen", "--schooljaar", "2024-2025", "--bestanden", "po01,vo03", "--basis-url", server.baseURL, "--naar", dir["duo"]])
        #expect(result.code == 1 && result.err.contains("2 van de 2 bestanden zijn niet opgehaald"), "\(result.err)")
        #expect(result.out.contains("po01 01.-leerlingen-po-soort-po-cluster-leeftijd-2024-2025.csv: NIET opgehaald: HTTP 404"))
        #expect(entries(dir.path).isEmpty)
    }

    @Test("bronnen as CSV (Excel NL) to a file, never over an existing one without --overschrijven")
    func sourcesToFile() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        let out = dir["bronnen.csv"]
        let written = cli(["bronnen", "--db", store, "--uit", out])
        #expect(written.code == 0 && written.out.contains("(24 bestanden)"), "\(written.out)\(written.err)")
        let csv = text(out)
        #expect(csv.hasPrefix("\u{FEFF}bestand;dataset;indeling;peildatum;sha256;regels;inleesronde;ingelezen;status"))
        #expect(csv.split(separator: "\n").count == 25 && csv.contains(";in de database;"))
        #expect(cli(["bronnen", "--db", store, "--uit", out]).code == 64)
        #expect(cli(["bronnen", "--db", store, "--uit", out, "--overschrijven"]).code == 0)
        #expect(cli(["bronnen", "--db", store, "--formaat", "json"]).code == 64)
    }

    @Test("wijzigingen: an unknown run is a usage error; --van and --tot must be peildata of the store, in order")
    func choices() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        for run in ["0", "x", "99"] {
            #expect(cli(["wijzigingen", "--db", store, "--run", run]).code == 64, "--run \(run)")
        }
        #expect(cli(["wijzigingen", "--db", store]).out.contains("Eerste peildatum van deze dataset"))
        let site = ["--uit", dir["site"], "--kosten", "geen", "--notitieboeken", "geen", "--db", store]
        for (words, message) in [(["--van", "2019-10-01"], "--van 2019-10-01 staat niet in de database"),
                                 (["--van", "2024-10-01", "--tot", "2023-10-01"], "ligt niet vóór --tot"),
                                 (["--tot", "2023-10-01"], "geen peildatum om mee te vergelijken"),
                                 (["--van", "gisteren"], "--van 'gisteren' is geen datum")] {
            let result = cli(["dashboard"] + words + site)
            #expect(result.code == 64 && result.err.contains(message), "\(words): \(result.err)")
        }
        #expect(!exists(dir["site"]))
        let ok = cli(["dashboard", "--van", "2023-10-01"] + site)
        #expect(ok.code == 0, "\(ok.err)")
        #expect(text(dir["site"] + "/verandering.html").contains("Verandering 2023 → 2024"))
    }

    @Test("a cost item pinned to an older peildatum is reported; 'peildatum: laatste' takes the latest")
    func newerPeildatum() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        try FileManager.default.createDirectory(atPath: dir["kosten"], withIntermediateDirectories: true)
        let item = "bedrag: € 1.000,00\nsoort: bo\nschoolgemeenten: 0503\n"
        try Data("naam: Vast\npeildatum: 2023-10-01\n\(item)".utf8).write(to: URL(fileURLWithPath: dir["kosten/a.txt"]))
        try Data("naam: Meebewegend\npeildatum: laatste\n\(item)".utf8).write(to: URL(fileURLWithPath: dir["kosten/b.txt"]))
        let result = cli(["kosten", "--db", store, "--kosten", dir["kosten"], "--uit", dir["uit"]])
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out.contains("Meebewegend (leerlingen, peildatum 2024-10-01)"), "\(result.out)")
        #expect(result.out.contains("Vast (leerlingen, peildatum 2023-10-01)"))
        #expect(result.out.contains("Let op: kostenpost Vast (\(dir["kosten"])/a.txt) gebruikt peildatum 2023-10-01; de database heeft een nieuwere peildatum 2024-10-01."))
        #expect(!result.out.contains("kostenpost Meebewegend"))
    }
}
