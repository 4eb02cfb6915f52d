/// A problem with an input file, located as precisely as we can: file, line (1-based, the header is line 1)
/// and column name. The message is Dutch because the analyst reads it.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable, Codable {
    public let file: String
    public let line: Int?
    public let column: String?
    public let message: String

    /// `column` is usually a header name from the file itself, so it is cut like any other input text.
    public init(file: String, line: Int?, column: String?, message: String) {
        self.file = file
        self.line = line
        self.column = column.map(cut)
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += " kolom \(column)" }
        return "\(location): \(message)"
    }
}

/// Input text as a message shows it: in quotes, control characters made visible, and cut after 80 characters
/// with its length, so a broken file (one field of 1 MB) cannot flood the terminal. Every message that quotes
/// input uses this.
public func shown(_ text: String) -> String {
    let short = visible(text.prefix(shownLimit))
    return text.count > shownLimit ? "'\(short)…' (\(DutchFormat.integer(text.count)) tekens)" : "'\(short)'"
}

/// Names from a file (column headers) as a list: at most 20, each cut like `shown`, then how many more.
public func shownList(_ names: [String]) -> String {
    let listed = names.prefix(20).map(cut).joined(separator: ", ")
    return names.count > 20 ? "\(listed) en \(DutchFormat.integer(names.count - 20)) meer" : listed
}

let shownLimit = 80

/// A name cut after 80 characters, unquoted (for column names and lists).
func cut(_ text: String) -> String {
    let short = visible(text.prefix(shownLimit))
    return text.count > shownLimit ? "\(short)… (\(DutchFormat.integer(text.count)) tekens)" : short
}

private func visible(_ text: Substring) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
            out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
