import Foundation
import GrensCore

/// A usage error: exit code 64, with the help text of the command.
public struct UsageError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}

/// Parsed command-line words: `--name value` options, `--flag` switches and positionals.
struct Arguments {
    var positionals: [String] = []
    var options: [String: [String]] = [:]
    var flags: Set<String> = []

    /// `valued` lists options that take a value, `switches` those that do not, `repeatable` the valued options
    /// that may be given more than once. Anything else — an unknown option, a repeated one, a positional where
    /// the command takes none — is refused before any work.
    init(_ words: [String], valued: Set<String>, switches: Set<String> = [], repeatable: Set<String> = [], positionals allowed: Bool = false) throws {
        var i = 0
        while i < words.count {
            let word = words[i]
            i += 1
            guard word.hasPrefix("--") else {
                guard allowed else { throw UsageError("onverwacht argument '\(word)'; deze opdracht neemt alleen opties (--naam waarde)") }
                positionals.append(word)
                continue
            }
            var name = String(word.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if switches.contains(name), inline == nil {
                guard flags.insert(name).inserted else { throw UsageError("optie --\(name) is meer dan eens opgegeven") }
            } else if valued.contains(name) {
                guard options[name] == nil || repeatable.contains(name) else {
                    let others = repeatable.isEmpty ? "" : " (alleen \(repeatable.sorted().map { "--" + $0 }.joined(separator: " en ")) mag herhaald worden)"
                    throw UsageError("optie --\(name) is meer dan eens opgegeven; geef haar één keer\(others)")
                }
                if let inline {
                    options[name, default: []].append(inline)
                } else {
                    guard i < words.count else { throw UsageError("optie --\(name) verwacht een waarde") }
                    options[name, default: []].append(words[i])
                    i += 1
                }
            } else {
                let hint = nearest(name, in: valued.union(switches)).map { "; bedoelde u --\($0)?" } ?? ""
                throw UsageError("onbekende optie --\(name)\(hint)")
            }
        }
    }

    func value(_ name: String) -> String? { options[name]?.last }
    func values(_ name: String) -> [String] { options[name] ?? [] }

    /// Checks every value whose form is fixed, before any file is opened.
    func validate() throws {
        for word in values("soort") where SoortSelection(rawValue: word.lowercased()) == nil {
            throw UsageError("--soort '\(word)' is onbekend; verwacht \(SoortSelection.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let choices = ["formaat": ["csv", "md", "json"], "niveau": ["gemeente", "swv"]]
        for (name, allowed) in choices.sorted(by: { $0.key < $1.key }) {
            if let v = value(name), !allowed.contains(v) {
                throw UsageError("--\(name) '\(v)' is onbekend; verwacht \(allowed.joined(separator: ", "))")
            }
        }
        if let d = value("drempel"), (Int(d) ?? 0) < 1 {
            throw UsageError("--drempel '\(d)' is geen aantal; verwacht een geheel getal ≥ 1")
        }
        _ = try peildatum()
        for name in ["van", "tot"] { _ = try GrensCLI.date(self, name) }
        var isDirectory: ObjCBool = false
        if let e = value("schatter"), !FileManager.default.fileExists(atPath: e, isDirectory: &isDirectory) || isDirectory.boolValue {
            throw UsageError("--schatter \(e) is geen bestand; verwacht een parameterbestand zoals data/estimator/masked-cells.csv")
        }
        if let k = value("kosten"), k != "geen", !FileManager.default.fileExists(atPath: k, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw UsageError("--kosten \(k) is geen map; verwacht een map met kostenposten (*.txt) of geen")
        }
    }

    func peildatum() throws -> Peildatum? {
        guard let text = value("peildatum") else { return nil }
        guard let date = Peildatum(iso: text) ?? Peildatum(duo: text) else {
            throw UsageError("--peildatum '\(text)' is geen datum; verwacht JJJJ-MM-DD")
        }
        return date
    }
}

/// The closest word within two edits (and at most half its length), for "bedoelde u …?".
func nearest(_ word: String, in candidates: some Sequence<String>) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var row = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var previous = row[0]
            row[0] = i + 1
            for (j, y) in b.enumerated() {
                let current = row[j + 1]
                row[j + 1] = x == y ? previous : 1 + min(previous, row[j], row[j + 1])
                previous = current
            }
        }
        return row[b.count]
    }
    let scored = candidates.map { ($0, distance(Array(word.lowercased()), Array($0))) }
        .filter { $0.1 <= 2 && $0.1 * 2 <= word.count }
    return scored.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
}
