/// An analyst's notebook: Markdown with named SQL blocks and chart blocks, optional front matter.
/// The format is documented in `notebooks-md/README.md`; this type only parses, it runs nothing.
public struct Notebook: Sendable, Equatable {
    public enum ChartKind: String, Sendable, CaseIterable {
        case staaf, lijn, heatmap
    }

    public struct Query: Sendable, Equatable {
        public let name: String
        public let sql: String
        /// Line of the opening fence in the file (1-based).
        public let line: Int
        /// Columns declared as not a pupil count (`-- geen aantal: rang, jaar`): shown as they are.
        public let notCounts: Set<String>
    }

    public struct Chart: Sendable, Equatable {
        public let kind: ChartKind
        public let result: String
        /// Column names by role: `x` (labels), `y` (values), `reeks` (a series per value, lijn) or `kolom` (heatmap).
        public let options: [String: String]
        public let line: Int
    }

    public enum Block: Sendable, Equatable {
        /// Markdown text, with `{naam[rij].kolom}` inline values; `line` is where it starts.
        case text(String, line: Int)
        case query(Query)
        case chart(Chart)
    }

    public let file: String
    public let title: String
    /// Front matter other than `titel` and `intern`: bound to the SQL as named parameters (`:peildatum`).
    public let parameters: [(key: String, value: String)]
    /// `intern: ja`: raw tables may be read; every printed page then says it is not for publication.
    public let intern: Bool
    public let blocks: [Block]

    public static func == (a: Notebook, b: Notebook) -> Bool {
        a.file == b.file && a.title == b.title && a.intern == b.intern && a.blocks == b.blocks
            && a.parameters.map(\.key) == b.parameters.map(\.key) && a.parameters.map(\.value) == b.parameters.map(\.value)
    }

    public var queries: [Query] { blocks.compactMap { if case .query(let q) = $0 { return q }; return nil } }

    /// Parses a notebook. Refusals name the file and line: a block without a name, a name used twice, an unknown
    /// chart kind or option, a chart over a result that no block defines, an unclosed fence, bad front matter.
    public static func parse(_ bytes: [UInt8], file: String) throws(InputError) -> Notebook {
        let decoded = try decodeText(bytes, file: file)
        guard decoded.encoding != .windows1252 else {
            throw InputError(file: file, line: nil, column: nil, message: "is geen UTF-8; sla het notitieboek op als UTF-8")
        }
        let text = String(decoding: decoded.bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        if lines.first?.hasPrefix("\u{FEFF}") == true { lines[0].removeFirst() }
        func fail(_ line: Int, _ message: String) -> InputError { InputError(file: file, line: line, column: nil, message: message) }

        var index = 0
        var title: String?
        var intern = false
        var parameters: [(key: String, value: String)] = []
        if lines.first?.trimmingCharacters(in: " ") == "---" {
            index = 1
            var closed = false
            while index < lines.count {
                let line = lines[index].trimmingCharacters(in: " \t")
                index += 1
                if line == "---" { closed = true; break }
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let colon = line.firstIndex(of: ":") else { throw fail(index, "\(shown(line)) heeft geen dubbele punt; verwacht 'sleutel: waarde'") }
                let key = String(line[..<colon]).trimmingCharacters(in: " ").lowercased()
                let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: " ")
                guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                    throw fail(index, "\(shown(key)) is geen geldige sleutel; verwacht letters, cijfers of _")
                }
                guard !parameters.contains(where: { $0.key == key }), !(key == "titel" && title != nil) else {
                    throw fail(index, "sleutel \(key) staat er twee keer in")
                }
                switch key {
                case "titel": title = value
                case "intern":
                    guard ["ja", "nee"].contains(value.lowercased()) else { throw fail(index, "intern: \(shown(value)); verwacht ja of nee") }
                    intern = value.lowercased() == "ja"
                default: parameters.append((key, value))
                }
            }
            guard closed else { throw fail(1, "de kop (front matter) wordt niet afgesloten met ---") }
        }

        var blocks: [Block] = []
        var names: Set<String> = []
        var textLines: [String] = []
        var textStart = index + 1
        func flushText() {
            let joined = textLines.joined(separator: "\n")
            if !joined.trimmingCharacters(in: " \n\t").isEmpty { blocks.append(.text(joined, line: textStart)) }
            textLines = []
        }
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: " ")
            guard trimmed.hasPrefix("```") else {
                if textLines.isEmpty { textStart = index + 1 }
                textLines.append(line)
                index += 1
                continue
            }
            let open = index + 1
            let info = trimmed.dropFirst(3).split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            var body: [String] = []
            index += 1
            var closed = false
            while index < lines.count {
                if lines[index].trimmingCharacters(in: " ") == "```" { closed = true; index += 1; break }
                body.append(lines[index])
                index += 1
            }
            guard closed else { throw fail(open, "codeblok wordt niet afgesloten met ```") }
            switch info.first?.lowercased() {
            case "sql":
                flushText()
                guard info.count == 2, isName(info[1]) else {
                    throw fail(open, "een SQL-blok heeft één naam nodig, bijvoorbeeld ```sql top_scholen (letters, cijfers en _)")
                }
                guard names.insert(info[1]).inserted else { throw fail(open, "de naam \(info[1]) is al gebruikt; verwacht een unieke naam per blok") }
                var notCounts: Set<String> = []
                for b in body {
                    let t = b.trimmingCharacters(in: " ").lowercased()
                    if t.hasPrefix("-- geen aantal:") {
                        for c in t.dropFirst("-- geen aantal:".count).split(separator: ",") { notCounts.insert(String(c).trimmingCharacters(in: " ")) }
                    }
                }
                let sql = body.joined(separator: "\n")
                guard !sql.trimmingCharacters(in: " \n\t").isEmpty else { throw fail(open, "het SQL-blok \(info[1]) is leeg") }
                blocks.append(.query(Query(name: info[1], sql: sql, line: open, notCounts: notCounts)))
            case "grafiek":
                flushText()
                guard info.count >= 3, let kind = ChartKind(rawValue: info[1].lowercased()) else {
                    throw fail(open, "verwacht ```grafiek <soort> <resultaat> x=… y=…, met soort \(ChartKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard names.contains(info[2]) else { throw fail(open, "grafiek over \(shown(info[2])), maar geen SQL-blok eerder heeft die naam") }
                var options: [String: String] = [:]
                for word in info.dropFirst(3) {
                    let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                    let allowed = ["x", "y", "reeks", "kolom"]
                    guard parts.count == 2, allowed.contains(parts[0]) else {
                        throw fail(open, "\(shown(word)); verwacht opties \(allowed.map { $0 + "=kolom" }.joined(separator: ", "))")
                    }
                    options[parts[0]] = parts[1]
                }
                let needed = kind == .heatmap ? ["x", "kolom", "y"] : ["x", "y"]
                for n in needed where options[n] == nil { throw fail(open, "grafiek \(kind.rawValue) heeft \(n)= nodig") }
                blocks.append(.chart(Chart(kind: kind, result: info[2], options: options, line: open)))
            default:
                // Any other fenced block is Markdown text (shown as code).
                if textLines.isEmpty { textStart = open }
                textLines.append(line)
                textLines.append(contentsOf: body)
                textLines.append("```")
            }
        }
        flushText()
        let fallback = String(file.split(separator: "/").last ?? Substring(file))
        return Notebook(file: file, title: title ?? fallback, parameters: parameters, intern: intern, blocks: blocks)
    }

    static func isName(_ s: String) -> Bool {
        guard let first = s.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
