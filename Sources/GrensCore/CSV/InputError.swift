/// A problem with an input file, located as precisely as we can: file, line (1-based, the header is line 1)
/// and column name. The message is Dutch because the analyst reads it.
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable, Codable {
    public let file: String
    public let line: Int?
    public let column: String?
    public let message: String

    public init(file: String, line: Int?, column: String?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += " kolom \(column)" }
        return "\(location): \(message)"
    }
}
