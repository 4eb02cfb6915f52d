import Foundation
import GrensCore
import SQLiteWrap

extension Ingest {
    /// The sha256 of every file, on all cores (files are independent).
    static func hashAll(_ files: [InputFile]) -> [String] {
        concurrentMap(files.count) { sha256Hex(files[$0].bytes) }
    }

    /// The files of this run whose sha256 the store already holds, described from the store (kind, peildatum
    /// and scope) so that they need not be parsed again. A file is left to the parser when the store's
    /// description cannot stand for it: its layout is no longer known, or a peildatum was given that is not the
    /// stored one (the parser then says what it always said).
    static func storedDescriptions(db: Database, files: [InputFile], hashes: [String], peildatum: Peildatum?) throws -> [Int: ParsedFile] {
        let wanted = Set(hashes)
        var byHash: [String: (layout: String, encoding: String, peildatum: String, scope: [String])] = [:]
        let statement = try db.prepare("""
            SELECT f.sha256, f.layout, f.encoding, f.peildatum, s.school_gemeente FROM source_file f
            JOIN source_file_scope s ON s.file_id = f.id ORDER BY f.sha256, s.school_gemeente
            """)
        while try statement.step() {
            let hash = try statement.text(0)
            guard wanted.contains(hash) else { continue }
            if byHash[hash] == nil { byHash[hash] = (try statement.text(1), try statement.text(2), try statement.text(3), []) }
            byHash[hash]!.scope.append(try statement.text(4))
        }
        var out: [Int: ParsedFile] = [:]
        for (i, hash) in hashes.enumerated() {
            guard let stored = byHash[hash], let layout = knownLayouts.first(where: { $0.id == stored.layout }),
                  let encoding = TextEncoding(rawValue: stored.encoding), let date = Peildatum(iso: stored.peildatum),
                  peildatum == nil || peildatum == date else { continue }
            out[i] = ParsedFile(stored: files[i].name, layout: layout, encoding: encoding, peildatum: date, scope: stored.scope)
        }
        return out
    }
}
