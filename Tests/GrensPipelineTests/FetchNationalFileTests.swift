import Foundation
import Testing
import GrensCore
import GrensPipeline
import GrensTestSupport

/// DUO's national po 03 "totaaloverzicht" (one CSV for every school gemeente, the columns of the per-gemeente
/// files) is what `ophalen` fetches: it must ingest exactly like the per-gemeente files it stands for.
@Suite("the national po 03 file")
struct FetchNationalFileTests {
    static let folder = TestPaths.duoReal + "/po-postcode-leerling-2024-2025/"
    /// The region, its neighbours and the empty Ridderkerk file.
    static let names = ["'s-Gravenhage", "Delft", "Leidschendam-Voorburg", "Midden-Delfland", "Pijnacker-Nootdorp", "Rijswijk",
                        "Voorschoten", "Wassenaar", "Westland", "Zoetermeer", "Leiden", "Lansingerland", "Rotterdam", "Ridderkerk"]
        .map { folder + $0 + " afgeschermd.csv" }

    /// Every row as the store holds it, without file and line: what a file says, not where it said it.
    func rows(_ ws: Workspace) throws -> [String] {
        try ws.texts("""
            SELECT school_gemeente || '|' || school_id || '|' || soort || '|' || home_pc4 || '|' || home_name || '|' || cells || '|' || n_min || '|' || n_max
            FROM raw_count ORDER BY 1
            """)
    }

    @Test("made from the real per-gemeente files, it ingests to the same rows and homes; each replaces the other without a change")
    func sameAsPerGemeente() throws {
        let national = try nationalFile(from: Self.names)
        let perGemeente = try Workspace(), whole = try Workspace()
        let files = try InputFiles.collect(Self.names)
        let split = try Ingest.run(files: files, db: perGemeente.db, reference: try loadReference())
        try whole.write("03.-leerlingen-po-totaaloverzicht-2024-2025.csv", national)
        let one = try whole.ingest(["03.-leerlingen-po-totaaloverzicht-2024-2025.csv"])
        #expect(one.files.map(\.layout) == ["po03-2024"])
        #expect(one.rowsAdded == split.rowsAdded && one.rowsAdded > 15_000)
        #expect(try rows(whole) == (try rows(perGemeente)))
        #expect(try whole.texts("SELECT * FROM stg_home ORDER BY 1, 2, 3, 4") == (try perGemeente.texts("SELECT * FROM stg_home ORDER BY 1, 2, 3, 4")))
        #expect(try whole.int("SELECT count(DISTINCT school_gemeente) FROM raw_count") == 13)

        // The national file replaces the 13 files it covers: an identical publication changes nothing.
        let replacing = try Ingest.run(files: try InputFiles.collect([whole.dir + "/in/03.-leerlingen-po-totaaloverzicht-2024-2025.csv"]),
                                       db: perGemeente.db, reference: try loadReference())
        #expect(replacing.replacedFiles.count == 13)
        let part = try #require(replacing.changes.first)
        #expect((part.rowsAdded, part.rowsRemoved, part.rowsChanged, part.pupilsChange) == (0, 0, 0, .zero))
        #expect(part.areas.isEmpty && part.schools.isEmpty && part.columnsAdded == [] && part.columnsRemoved == [])
        // And the per-gemeente files together bring back what was there.
        let back = try Ingest.run(files: files, db: perGemeente.db, reference: try loadReference())
        #expect(back.replacedFiles.map(\.name) == ["03.-leerlingen-po-totaaloverzicht-2024-2025.csv"])
        #expect(back.changes.first?.rowsChanged == 0)
        #expect(try perGemeente.int("SELECT count(*) FROM source_file") == 13)
    }

    @Test("replacing many stored files by one national file costs about as much as ingesting it into an empty store")
    func replacingManyFiles() throws {
        // 342 small files, one per school gemeente, and a wide file with those rows plus 12.000 more.
        func row(_ g: Int, pc4: Int, school: String) -> PoRow {
            PoRow(gemeente: String(format: "%04d", g), gemeenteName: "G\(g)", pc4: String(pc4), home: "Delft", school: school, cells: ["6": "7"])
        }
        let small = (0..<342).map { row(1000 + $0, pc4: 2612, school: "S\(String(format: "%03d", $0))") }
        let extra = (0..<12_000).map { row(1000, pc4: 3000 + $0 % 6_000, school: $0 < 6_000 ? "S000" : "S999") }
        let wide = poFile(small + extra)
        func timed(_ body: () throws -> Void) rethrows -> TimeInterval {
            let start = Date()
            try body()
            return Date().timeIntervalSince(start)
        }
        let empty = try Workspace()
        try empty.write("wide.csv", wide)
        let alone = try timed { _ = try empty.ingest(["wide.csv"]) }

        let full = try Workspace()
        for (i, r) in small.enumerated() { try full.write("g\(i).csv", poFile([r])) }
        _ = try full.ingest((0..<342).map { "g\($0).csv" })
        try full.write("wide.csv", wide)
        var report: IngestReport?
        let replacing = try timed { report = try full.ingest(["wide.csv"]) }
        #expect(report?.replacedFiles.count == 342)
        #expect(report?.changes.first?.rowsAdded == 12_000)
        #expect(replacing < 2.5 * alone + 1, "replacing 342 files took \(replacing) s, ingesting alone \(alone) s")
    }
}
