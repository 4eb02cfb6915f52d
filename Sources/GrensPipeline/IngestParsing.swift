import Foundation
import GrensCore
import SQLiteWrap

extension Ingest {
    /// Every file that may be stored already, read and hashed on all cores, its bytes let go again (they are read
    /// once more when the file is parsed): the sha256, or why the file could not be read. A file is hashed here
    /// only when a stored file has its size (`storedSizes`): one of another size cannot have a stored sha256, and is
    /// hashed once, when it is read to be parsed (nil here).
    static func hashAll(_ files: [InputFile], storedSizes: Set<Int>) -> [Result<String, InputError>?] {
        concurrentMap(files.count) { i in
            guard storedSizes.contains(files[i].size) else { return nil }
            do {
                return .success(sha256Hex(try files[i].read()))
            } catch {
                return .failure(error as? InputError ?? InputError(file: files[i].name, line: nil, column: nil, message: "kan niet worden gelezen (\(error))"))
            }
        }
    }

    /// What the store holds about each stored file (by sha256): enough to stand for a file of the run with the same
    /// bytes without parsing it.
    struct StoredDescription: Sendable { let layout: String; let encoding: String; let peildatum: String; var scope: [String] }

    static func storedDescriptions(db: Database) throws -> [String: StoredDescription] {
        var byHash: [String: StoredDescription] = [:]
        let statement = try db.prepare("""
            SELECT f.sha256, f.layout, f.encoding, f.peildatum, s.school_gemeente FROM source_file f
            JOIN source_file_scope s ON s.file_id = f.id ORDER BY f.sha256, s.school_gemeente
            """)
        while try statement.step() {
            let hash = try statement.text(0)
            if byHash[hash] == nil {
                byHash[hash] = StoredDescription(layout: try statement.text(1), encoding: try statement.text(2), peildatum: try statement.text(3), scope: [])
            }
            byHash[hash]!.scope.append(try statement.text(4))
        }
        return byHash
    }

    /// A file of this run whose sha256 is stored, described from the store (kind, peildatum and scope) so that it
    /// need not be parsed again; nil when the store's description cannot stand for it: its layout is no longer
    /// known, or a peildatum was given that is not the stored one (the parser then says what it always said).
    static func describe(_ stored: StoredDescription?, name: String, peildatum: Peildatum?) -> ParsedFile? {
        guard let stored, let layout = knownLayouts.first(where: { $0.id == stored.layout }),
              let encoding = TextEncoding(rawValue: stored.encoding), let date = Peildatum(iso: stored.peildatum),
              peildatum == nil || peildatum == date else { return nil }
        return ParsedFile(stored: name, layout: layout, encoding: encoding, peildatum: date, scope: stored.scope)
    }
}
