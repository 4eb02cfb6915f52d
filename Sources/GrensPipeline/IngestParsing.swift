import Foundation
import GrensCore

extension Ingest {
    /// Parses and hashes every file, on all cores (files are independent).
    static func parseAll(_ files: [InputFile], peildatum: Peildatum?) -> ([Result<ParsedFile?, InputError>], [String]) {
        let slots = Slots(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            slots.setHash(i, sha256Hex(files[i].bytes))
            do throws(InputError) {
                slots.set(i, .success(try parseSource(bytes: files[i].bytes, file: files[i].name, peildatum: peildatum)))
            } catch {
                slots.set(i, .failure(error))
            }
        }
        return (slots.values, slots.hashes)
    }

    /// Result slots written by concurrent workers, each index by exactly one worker.
    final class Slots: @unchecked Sendable {
        private(set) var values: [Result<ParsedFile?, InputError>]
        private(set) var hashes: [String]
        private let lock = NSLock()
        init(count: Int) {
            values = Array(repeating: .success(nil), count: count)
            hashes = Array(repeating: "", count: count)
        }
        func setHash(_ i: Int, _ hash: String) {
            lock.lock(); hashes[i] = hash; lock.unlock()
        }
        func set(_ i: Int, _ value: Result<ParsedFile?, InputError>) {
            lock.lock(); values[i] = value; lock.unlock()
        }
    }
}
