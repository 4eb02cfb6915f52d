import Foundation
import Testing
import GrensCore

/// Paths the tests need, from this file's location: the repository root and `../shared` beside it.
public enum TestPaths {
    public static let repo: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    /// The real DUO files (read from there, never copied into the repository).
    public static let duoReal = repo + "/../shared/duo-real"
}

/// Compares `actual` with the golden file `folder/name`. With UPDATE_GOLDEN=1 it writes the file and FAILS, so
/// a recording run can never pass silently.
public func expectGolden(_ actual: String, _ name: String, in folder: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = folder.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(actual.utf8).write(to: url)
        Issue.record("Golden-bestand \(name) opgenomen (UPDATE_GOLDEN=1). Controleer het en draai de tests opnieuw zonder UPDATE_GOLDEN.",
                     sourceLocation: sourceLocation)
        return
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
        Issue.record("Golden-bestand \(name) ontbreekt; neem het op met UPDATE_GOLDEN=1.", sourceLocation: sourceLocation)
        return
    }
    let expected = String(decoding: data, as: UTF8.self)
    guard expected != actual else { return }
    let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
    let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let line = (0..<min(a.count, e.count)).first { a[$0] != e[$0] } ?? min(a.count, e.count)
    func at(_ lines: [Substring]) -> String { line < lines.count ? String(lines[line].prefix(300)) : "<einde>" }
    Issue.record("\(name) wijkt af vanaf regel \(line + 1):\nverwacht: \(at(e))\nkreeg:    \(at(a))\n(opnieuw opnemen: UPDATE_GOLDEN=1)",
                 sourceLocation: sourceLocation)
}

/// The draws' deterministic generator (`SeededGenerator`, SplitMix64) with its seed kept: the same on every
/// platform, so a seed replays a property test or a fuzz mutant exactly. Tests print the seed in their failure
/// messages.
public struct SplitMix64 {
    public let seed: UInt64
    var generator: SeededGenerator

    public init(seed: UInt64) {
        self.seed = seed
        generator = SeededGenerator(seed: seed)
    }

    public mutating func next() -> UInt64 { generator.next() }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
