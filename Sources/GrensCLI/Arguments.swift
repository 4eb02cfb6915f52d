/// A usage error: exit code 64, with the help text of the command.
public struct UsageError: Error, CustomStringConvertible {
    public let description: String
    init(_ message: String) { description = message }
}

/// Parsed command-line words: `--name value` options (repeatable), `--flag` switches and positionals.
struct Arguments {
    var positionals: [String] = []
    var options: [String: [String]] = [:]
    var flags: Set<String> = []

    /// `valued` lists options that take a value; `switches` those that do not. Anything else is refused.
    init(_ words: [String], valued: Set<String>, switches: Set<String> = []) throws {
        var i = 0
        while i < words.count {
            let word = words[i]
            if word.hasPrefix("--") {
                var name = String(word.dropFirst(2))
                var inline: String?
                if let eq = name.firstIndex(of: "=") {
                    inline = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if switches.contains(name), inline == nil {
                    flags.insert(name)
                } else if valued.contains(name) {
                    if let inline {
                        options[name, default: []].append(inline)
                    } else {
                        guard i + 1 < words.count else { throw UsageError("optie --\(name) verwacht een waarde") }
                        i += 1
                        options[name, default: []].append(words[i])
                    }
                } else {
                    throw UsageError("onbekende optie --\(name)")
                }
            } else {
                positionals.append(word)
            }
            i += 1
        }
    }

    func value(_ name: String) -> String? { options[name]?.last }
    func values(_ name: String) -> [String] { options[name] ?? [] }
}
