import Foundation
import Testing
import GrensCore
import GrensPipeline
import GrensTestSupport

/// `Fetcher` against a real HTTP server on 127.0.0.1 that serves the real DUO copies, with DUO's faults
/// played by the server: nothing here reaches anything but loopback.
@Suite("fetching DUO's files from a loopback server")
struct FetchTests {
    static let delft = TestPaths.duoReal + "/po-postcode-leerling-2024-2025/Delft afgeschermd.csv"
    static let year = SchoolYear("2024-2025")!
    /// Short time-outs and back-off: every test stays within a few seconds.
    static let quick = FetchSettings(timeout: 1.5, connectTimeout: 1, attempts: 3, backoff: 0.05)
    static let entries = try! Catalogue.load(path: TestPaths.repo + "/data/duo-catalogus.csv")
    static var po03: CatalogueEntry { entries.first { $0.id == "po03" }! }
    static var name: String { po03.fileName(year) }

    /// A fresh target folder (not yet made) inside a temporary folder removed afterwards.
    final class Target {
        let root: String
        var path: String { root + "/duo" }
        init() {
            root = NSTemporaryDirectory() + "grens-fetch-\(UUID().uuidString)"
            try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }
        var entries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
        func bytes(_ name: String) -> [UInt8]? { FileManager.default.contents(atPath: path + "/" + name).map { [UInt8]($0) } }
    }

    func fetch(_ server: DuoServer, _ target: Target, _ entries: [CatalogueEntry] = [po03], year: SchoolYear = year) throws -> FetchResult {
        try #require(try Fetcher.fetch(entries, year: year, baseURL: server.baseURL, folder: target.path, settings: Self.quick).first)
    }

    func delftBytes() throws -> [UInt8] { [UInt8](try #require(FileManager.default.contents(atPath: Self.delft))) }

    @Test("the catalogue names the files as DUO does: both years for po, the first for vo")
    func catalogueNames() throws {
        let year = SchoolYear("2025-2026")!
        let names = Dictionary(uniqueKeysWithValues: Self.entries.map { ($0.id, $0.fileName(year)) })
        #expect(names["po03"] == "03.-leerlingen-po-totaaloverzicht-2025-2026.csv")
        #expect(names["po01"] == "01.-leerlingen-po-soort-po-cluster-leeftijd-2025-2026.csv")
        #expect(names["vo02"] == "02.-leerlingen-per-vestiging-naar-postcode-en-leerjaar-2025.csv")
        #expect(Self.entries.map(\.dataset) == [.poPostcode, .poVestiging, .voPostcode, .voVestiging])
        #expect(year.peildatum == Peildatum(iso: "2025-10-01"))
        #expect(SchoolYear("2025-2027") == nil && SchoolYear("2025") == nil && SchoolYear("25-26") == nil)
    }

    @Test("a file is fetched, checked and kept with its sha256; a second run asks with its ETag and gets 304")
    func fetchThenNotModified() throws {
        let server = try DuoServer(), target = Target()
        try server.serve(Self.name, linkTo: Self.delft)
        let first = try fetch(server, target)
        #expect(first.outcome == .fetched)
        #expect(first.layout == "po03-2024" && first.rows == 783)
        #expect(first.sha256 == sha256Hex(try delftBytes()))
        #expect(target.entries == [".duo-ophalen.json", Self.name])
        #expect(target.bytes(Self.name) == (try delftBytes()))
        let state = String(decoding: try #require(target.bytes(".duo-ophalen.json")), as: UTF8.self)
        #expect(state.contains("\"etag\"") && state.contains(first.sha256!))

        let second = try fetch(server, target)
        #expect(second.outcome == .unchangedAtSource)
        #expect(server.requests == ["\(Self.name) 200", "\(Self.name) 304"])
        #expect(target.entries == [".duo-ophalen.json", Self.name])
    }

    @Test("a file DUO changed between two runs (new ETag) is fetched again; the earlier copy is kept aside")
    func changedAtSource() throws {
        let server = try DuoServer(), target = Target()
        let original = try delftBytes()
        try server.serve(Self.name, original)
        #expect(try fetch(server, target).outcome == .fetched)
        let changed = try #require(changingOneCell(original, from: "15", to: "18")).bytes
        try server.serve(Self.name, changed)
        let second = try fetch(server, target)
        let previous = Fetcher.previousFolder + "/" + String(sha256Hex(original).prefix(12)) + "-" + Self.name
        #expect(second.outcome == .updated(previous: previous))
        #expect(target.bytes(Self.name) == changed)
        #expect(target.bytes(previous) == original)
        #expect(try fetch(server, target).outcome == .unchangedAtSource)
    }

    @Test("without ETag or Last-Modified a second run downloads again and says the content is the same")
    func noValidators() throws {
        let server = try DuoServer(), target = Target()
        try server.serve(Self.name, linkTo: Self.delft)
        try server.faults([Self.name: ["fault": "no-validators"]])
        #expect(try fetch(server, target).outcome == .fetched)
        #expect(try fetch(server, target).outcome == .sameContent)
        #expect(server.requests == ["\(Self.name) 200", "\(Self.name) 200"])
    }

    @Test("500 twice, then the file: fetched on the third attempt")
    func serverErrorThenSuccess() throws {
        let server = try DuoServer(), target = Target()
        try server.serve(Self.name, linkTo: Self.delft)
        try server.faults([Self.name: ["fault": "500", "count": 2]])
        let result = try fetch(server, target)
        #expect(result.outcome == .fetched && result.attempts == 3)
        #expect(server.requests == ["\(Self.name) 500", "\(Self.name) 500", "\(Self.name) 200"])
    }

    /// The faults after which nothing may be in the target folder: the outcome's message must say why.
    @Test("a refused or failed download leaves nothing in the target folder", arguments: [
        ("404", "HTTP 404", 1), ("500", "HTTP 500", 3), ("truncate", "onvolledig", 3), ("html", "HTML-pagina", 1), ("slow", "time-out", 3),
    ])
    func nothingLeft(fault: String, message: String, attempts: Int) throws {
        let server = try DuoServer(), target = Target()
        try server.serve(Self.name, linkTo: Self.delft)
        try server.faults([Self.name: ["fault": fault, "count": 10, "delay": 4]])
        let started = Date()
        let result = try fetch(server, target)
        guard case .failed(let why) = result.outcome else { Issue.record("\(fault): \(result.outcome)"); return }
        #expect(why.contains(message), "\(fault): \(why)")
        #expect(result.attempts == attempts, "\(fault)")
        #expect(!FileManager.default.fileExists(atPath: target.path), "\(fault): \(target.entries)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.root).isEmpty)
        // Bounded in time: three attempts of at most 1,5 s each plus back-off, never the server's 4 s delay each.
        #expect(Date().timeIntervalSince(started) < 7, "\(fault)")
    }

    @Test("a truncated body at the second run keeps the first copy as it was")
    func truncatedKeepsPrevious() throws {
        let server = try DuoServer(), target = Target()
        let original = try delftBytes()
        try server.serve(Self.name, original)
        #expect(try fetch(server, target).outcome == .fetched)
        try server.serve(Self.name, try #require(changingOneCell(original, from: "15", to: "18")).bytes)
        try server.faults([Self.name: ["fault": "truncate"]])
        guard case .failed = try fetch(server, target).outcome else { Issue.record("truncated body accepted"); return }
        #expect(target.entries == [".duo-ophalen.json", Self.name])
        #expect(target.bytes(Self.name) == original)
    }

    @Test("a CSV of another dataset or another school year is refused", arguments: [
        ("vo", "verwacht 03. Leerlingen po per gemeente"), ("year", "peildatum 2024-10-01 wijkt af van 2025-10-01"),
    ])
    func wrongContent(kind: String, message: String) throws {
        let server = try DuoServer(), target = Target()
        let year = kind == "year" ? SchoolYear("2025-2026")! : Self.year
        let source = kind == "vo" ? TestPaths.duoReal + "/vo-per-vestiging-vavo-2025/leerlingen-vo-per-vestiging-2025.csv" : Self.delft
        try server.serve(Self.po03.fileName(year), linkTo: source)
        let result = try fetch(server, target, year: year)
        guard case .failed(let why) = result.outcome else { Issue.record("accepted: \(result.outcome)"); return }
        #expect(why.contains(message), "\(why)")
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test("a file in the folder that the fetcher did not write is never overwritten")
    func usersFileStays() throws {
        let server = try DuoServer(), target = Target()
        try server.serve(Self.name, linkTo: Self.delft)
        try FileManager.default.createDirectory(atPath: target.path, withIntermediateDirectories: true)
        let mine = Array("mijn eigen bestand\n".utf8)
        #expect(FileManager.default.createFile(atPath: target.path + "/" + Self.name, contents: Data(mine)))
        guard case .failed(let why) = try fetch(server, target).outcome else { Issue.record("overwritten"); return }
        #expect(why.contains("wordt niet overschreven"))
        #expect(target.bytes(Self.name) == mine)
        #expect(target.entries == [Self.name])
        #expect(server.requests.isEmpty)
        // Also when it was ours once and has been edited since.
        let other = Target()
        #expect(try fetch(server, other).outcome == .fetched)
        #expect(FileManager.default.createFile(atPath: other.path + "/" + Self.name, contents: Data(mine)))
        guard case .failed = try fetch(server, other).outcome else { Issue.record("edited file overwritten"); return }
        #expect(other.bytes(Self.name) == mine)
    }
}
