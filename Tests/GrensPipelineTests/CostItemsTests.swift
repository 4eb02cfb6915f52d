import Foundation
import Testing
import GrensCore
@testable import GrensPipeline

@Suite("Cost item files")
struct CostItemsTests {
    static let item = "naam: Jeugdhulp\npeildatum: 2024-10-01\nbedrag: € 1.200.000,00\nsoort: so\n"

    /// A folder of item files; removed when the value goes away.
    final class Folder {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grens-kosten-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func write(_ name: String, _ text: String) { #expect(FileManager.default.createFile(atPath: path + "/" + name, contents: Data(text.utf8))) }
    }

    /// The refusals of loading `folder`, as "file name: message"; fails the test when the folder loads.
    func refusals(_ folder: String, required: Bool = true) throws -> [String] {
        do {
            let items = try CostItems.load(folder: folder, required: required, reference: try loadReference())
            Issue.record("geladen zonder weigering: \(items.map(\.file))")
            return []
        } catch let refusal as CostRefusal {
            return refusal.errors.map { "\(($0.file as NSString).lastPathComponent): \($0.message)" }
        }
    }

    @Test("good files load, hidden files are not items, .TXT counts as .txt, other extensions are ignored")
    func loads() throws {
        let folder = try Folder()
        folder.write("b.txt", Self.item)
        folder.write("A.TXT", Self.item.replacingOccurrences(of: "Jeugdhulp", with: "Vervoer"))
        folder.write("README.md", "geen kostenpost")
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/.#b.txt", withDestinationPath: "root@host.123")
        let items = try CostItems.load(folder: folder.path, required: true, reference: try loadReference())
        #expect(items.map(\.name) == ["Vervoer", "Jeugdhulp"])
        #expect(items.map(\.totalCents) == [120_000_000, 120_000_000])
    }

    @Test("a file that cannot be read is refused with its name, not skipped")
    func unreadable() throws {
        let folder = try Folder()
        folder.write("a.txt", Self.item)
        // A link to a file that is gone: it lists as an item, but there are no bytes to read.
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/jeugdhulp.txt", withDestinationPath: folder.path + "/weg.txt")
        #expect(try refusals(folder.path) == ["jeugdhulp.txt: kan niet worden gelezen; verwacht een leesbaar bestand met een kostenpost"])
    }

    @Test("a folder or another kind of file named *.txt is refused, not skipped")
    func notRegularFiles() throws {
        let folder = try Folder()
        folder.write("a.txt", Self.item)
        try FileManager.default.createDirectory(atPath: folder.path + "/oud.txt", withIntermediateDirectories: false)
        #expect(mkfifo(folder.path + "/pijp.txt", 0o600) == 0)
        #expect(try refusals(folder.path) == [
            "oud.txt: is een map; verwacht een bestand met een kostenpost",
            "pijp.txt: is geen gewoon bestand; verwacht een bestand met een kostenpost",
        ])
    }

    @Test("a folder given explicitly must exist; the default folder may be missing (no items)")
    func missingFolder() throws {
        let folder = try Folder()
        let missing = folder.path + "/bestaat-niet"
        #expect(try refusals(missing) == ["bestaat-niet: de map met kostenposten bestaat niet; verwacht een map met *.txt-bestanden (of --kosten geen)"])
        #expect(try CostItems.load(folder: missing, required: false, reference: try loadReference()).isEmpty)
        folder.write("bestand", "")
        #expect(try refusals(folder.path + "/bestand", required: false) == ["bestand: is geen map; verwacht een map met *.txt-bestanden"])
    }

    @Test("non-UTF-8 and empty item files are refused with the file name")
    func badContent() throws {
        let folder = try Folder()
        #expect(FileManager.default.createFile(atPath: folder.path + "/cp1252.txt",
                                               contents: Data(Array("naam: Co".utf8) + [0xF6] + Array("rdinator\n".utf8))))
        folder.write("leeg.txt", "")
        #expect(try refusals(folder.path) == [
            "cp1252.txt: het bestand is geen UTF-8 (byte 0xF6); sla het bestand op als UTF-8",
            "leeg.txt: het bestand bevat geen velden (leeg of alleen commentaar); verwacht regels 'veld: waarde', zie data/kosten/README.md",
        ])
    }
}
