import Foundation
import Testing
import GrensCore
import GrensPipeline
import GrensTestSupport
import SQLiteWrap

/// The real DUO copies next to the repository (`../shared/duo-real/`). Tests on them FAIL when the data is missing:
/// they are the truth the tool is held to, not an optional extra.
func realFolder(_ name: String) throws -> String {
    let path = TestPaths.duoReal + "/" + name
    var isDirectory: ObjCBool = false
    try #require(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue,
                 "echte DUO-gegevens ontbreken: \(path)")
    return path
}

/// One store with the real 2024 (masked) and 2017 (unmasked) PO folders, each ingested once per test process (2024
/// first, then 2017, as two runs), with the report of each run. Built on first use and closed afterwards; every
/// suite reads it through its own read-only connection (`connection()`), so suites may run in parallel.
enum RealStore {
    static let po2024 = "po-postcode-leerling-2024-2025", po2017 = "po-postcode-leerling-2017-2018-unmasked"

    struct Built {
        let path: String
        let files2024: [InputFile]
        let files2017: [InputFile]
        let report2024: IngestReport
        let report2017: IngestReport
    }

    /// nil when the real folders are missing (the tests that use it then fail with `realFolder`'s message).
    static let built: Built? = {
        guard let folder2024 = try? realFolder(po2024), let folder2017 = try? realFolder(po2017) else { return nil }
        let path = NSTemporaryDirectory() + "grensverkeer-real-\(getpid()).sqlite"
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        atexit { for suffix in ["", "-wal", "-shm"] { unlink(NSTemporaryDirectory() + "grensverkeer-real-\(getpid()).sqlite" + suffix) } }
        let reference = try! loadReference()
        let db = try! Store.open(path: path)
        let files2024 = try! InputFiles.collect([folder2024]), files2017 = try! InputFiles.collect([folder2017])
        let report2024 = try! Ingest.run(files: files2024, db: db, reference: reference)
        let report2017 = try! Ingest.run(files: files2017, db: db, reference: reference)
        return Built(path: path, files2024: files2024, files2017: files2017, report2024: report2024, report2017: report2017)
    }()

    static func store() throws -> Built {
        _ = try realFolder(po2024)
        _ = try realFolder(po2017)
        return try #require(built)
    }

    /// A connection of its own that cannot write.
    static func connection() throws -> Database {
        try Store.open(path: try store().path, access: .read)
    }
}

/// Reads of one connection, for the tests' expectations.
extension Database {
    func int(_ sql: String) throws -> Int {
        try #require(try scalar(sql)?.int, "geen getal uit: \(sql)")
    }

    func texts(_ sql: String) throws -> [String] {
        try rows(sql).map { $0[0].text ?? "NULL" }
    }
}

/// `raw_count` rows of one peildatum, as a subquery (`raw_count` itself holds no peildatum: its file does).
func rawCount(_ peildatum: String) -> String {
    "(SELECT r.* FROM raw_count r JOIN source_file f ON f.id = r.file_id WHERE f.peildatum = '\(peildatum)')"
}
