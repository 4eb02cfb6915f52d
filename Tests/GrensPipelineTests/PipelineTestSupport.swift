import Foundation
import Testing
import GrensCore
import GrensPipeline
import SQLiteWrap

/// The repository root, found from this source file (Tests/GrensPipelineTests/… → ../..).
let repoRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

func loadReference() throws -> Reference {
    try Reference.load(folder: repoRoot + "/data/reference")
}

/// A temporary folder with a fresh store, removed when the value goes away.
final class Workspace {
    let dir: String
    let db: Database

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("grens-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        db = try Store.open(path: dir + "/store.sqlite")
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// Writes an input file and returns it as the ingest stage reads it.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = dir + "/in/" + name
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return path
    }

    func inputs(_ names: [String]) throws -> [InputFile] {
        try InputFiles.collect(names.map { dir + "/in/" + $0 })
    }

    func ingest(_ names: [String], peildatum: Peildatum? = nil, replacePartial: Bool = false) throws -> IngestReport {
        try Ingest.run(files: try inputs(names), db: db, reference: try loadReference(), peildatum: peildatum, replacePartial: replacePartial)
    }

    func int(_ sql: String) throws -> Int { try db.int(sql) }
    func texts(_ sql: String) throws -> [String] { try db.texts(sql) }

    /// Everything the store holds: every row of every table (sorted), so "unchanged" means unchanged. Rows are
    /// turned into text by SQLite (`quote`), which keeps this fast enough to run after every fuzz mutant.
    func snapshot() throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for table in try texts("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            out[table] = try texts("SELECT \(try quotedRow(table)) FROM \(table) ORDER BY 1")
        }
        return out
    }

    /// One SQL expression giving a row of `table` as text, every column quoted; `prefix` qualifies the columns.
    private func quotedRow(_ table: String, except: Set<String> = [], prefix: String = "") throws -> String {
        try texts("SELECT name FROM pragma_table_info('\(table)') ORDER BY cid").filter { !except.contains($0) }
            .map { "quote(\(prefix)\($0))" }.joined(separator: " || '|' || ")
    }

    func counts() throws -> [String: Int] {
        var out: [String: Int] = [:]
        for table in try texts("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            out[table] = try int("SELECT count(*) FROM \(table)")
        }
        return out
    }

    /// What the store says about the data, without ids, run ids and timestamps: the files (`source_file`), their
    /// rows and school gemeenten (`raw_count`, `source_file_scope`, keyed by the file's sha256 instead of its id) and
    /// the resolved homes. Two stores that hold
    /// the same files give the same dump, however they got there.
    func dataDump() throws -> [String] {
        let file = try quotedRow("source_file", except: ["id", "run_id"])
        let row = try quotedRow("raw_count", except: ["file_id"], prefix: "r.")
        return try texts("SELECT 'source_file ' || \(file) FROM source_file ORDER BY sha256")
            + texts("SELECT 'raw_count ' || f.sha256 || '|' || \(row) FROM raw_count r JOIN source_file f ON f.id = r.file_id ORDER BY f.sha256, r.line")
            + texts("SELECT 'source_file_scope ' || f.sha256 || '|' || s.school_gemeente FROM source_file_scope s JOIN source_file f ON f.id = s.file_id ORDER BY 1")
            + texts("SELECT 'stg_home ' || \(try quotedRow("stg_home")) FROM stg_home ORDER BY 1")
    }

    /// The school gemeenten of every stored file, comma-separated, sorted.
    func scopes() throws -> [String] {
        try texts("""
            SELECT (SELECT group_concat(school_gemeente, ',') FROM (SELECT school_gemeente FROM source_file_scope s WHERE s.file_id = f.id ORDER BY 1))
            FROM source_file f ORDER BY 1
            """)
    }

    func hashes() throws -> [String] { try texts("SELECT sha256 FROM source_file ORDER BY sha256") }
}

// MARK: - Input files in the 2024 PO layout, built in code.

let ageLabels = ["JONGER"] + (4...24).map(String.init) + ["OUDER"]
let po2024Header = ["PEILDATUM", "GEMEENTENUMMER", "GEMEENTENAAM", "POSTCODE_LEERLING", "GEMEENTENAAM_LEERLING",
                    "INSTELLINGSCODE", "VESTIGINGSCODE", "INSTELLINGSNAAM_VESTIGING", "POSTCODE_VESTIGING", "PLAATSNAAM",
                    "PROVINCIE", "SOORT_PO", "DENOMINATIE_VESTIGING", "BEVOEGD_GEZAG_NUMMER"] + ageLabels.map { "LEEFTIJD_\($0)" }

struct PoRow {
    var gemeente = "0503"
    var gemeenteName = "Delft"
    var pc4 = "2612"
    var home = "Delft"
    var school = "00PZ"
    var location = "00"
    var soort = "Bo"
    var peildatum = "20241001"
    var cells: [String: String] = ["6": "3"]

    var fields: [String] {
        [peildatum, gemeente, gemeenteName, pc4, home, school, location, "Herman Broerenschool", "2612SP", "DELFT",
         "Zuid-Holland", soort, "Openbaar", "38209"] + ageLabels.map { cells[$0] ?? "0" }
    }
}

/// A 2024-layout file as DUO writes it: BOM, `;`, every field quoted, LF.
func poFile(_ rows: [PoRow]) -> [UInt8] {
    func line(_ fields: [String]) -> String { fields.map { "\"\($0)\"" }.joined(separator: ";") + "\n" }
    return [0xEF, 0xBB, 0xBF] + Array((line(po2024Header) + rows.map { line($0.fields) }.joined()).utf8)
}

/// Three rows of school gemeente Delft: 2 + <5 + <5 + 12 pupils.
let delftRows = [
    PoRow(pc4: "2612", home: "Delft", cells: ["5": "2", "6": "<5"]),
    PoRow(pc4: "2285", home: "Rijswijk", cells: ["7": "<5"]),
    PoRow(pc4: "2495", home: "'s-Gravenhage", location: "01", soort: "Sbo", cells: ["10": "12"]),
]

/// An unresolved home as one comparable string: peildatum|name|pc4s|rows.
func describe(_ home: UnresolvedHome) -> String { "\(home.peildatum)|\(home.name)|\(home.pc4s)|\(home.rows)" }
