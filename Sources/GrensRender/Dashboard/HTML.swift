/// A tiny HTML/SVG tree that keeps escaped text apart from raw markup. Data (school, gemeente and file
/// names, notes) can only enter as `.text` or as an attribute value, both of which are escaped on output;
/// `.raw` is reserved for markup and CSS written in this module. String literals become text, so the safe
/// choice is also the short one.
enum Node: ExpressibleByStringLiteral, Sendable {
    case text(String)
    case raw(String)
    indirect case element(String, [Attribute], [Node])
    case group([Node])
    /// A table cell (or header) with the values its table's CSV download holds for it, one per CSV column.
    indirect case cell(Node, [CSVField])
    /// A table's CSV download. Renders as nothing until `Dashboard.render` names the file and makes it a link.
    case download(id: String, caption: String, table: ExportTable)

    struct Attribute: Sendable {
        let name: String
        let value: String
    }

    init(stringLiteral value: String) { self = .text(value) }

    static let empty = Node.group([])

    func render() -> String {
        var out = ""
        render(into: &out)
        return out
    }

    func render(into out: inout String) {
        switch self {
        case .text(let s):
            out += escapeHTML(s)
        case .raw(let s):
            out += s
        case .group(let children):
            for child in children { child.render(into: &out) }
        case .cell(let node, _):
            node.render(into: &out)
        case .download:
            break
        case .element(let name, let attributes, let children):
            out += "<" + name
            for a in attributes {
                out += " " + a.name + "=\"" + escapeHTML(a.value) + "\""
            }
            if Node.voidElements.contains(name) { out += ">"; return }
            if children.isEmpty && Node.svgLeaves.contains(name) { out += "/>"; return }
            out += ">"
            for child in children { child.render(into: &out) }
            out += "</" + name + ">"
            if Node.lineAfter.contains(name) { out += "\n" }
        }
    }

    /// Block elements end their line: readable sources and golden-file diffs, no visible whitespace change.
    static let lineAfter: Set<String> = ["head", "title", "style", "header", "nav", "main", "footer", "h1", "h2", "h3", "p", "ul",
                                         "li", "table", "caption", "thead", "tbody", "tr", "figure", "figcaption", "svg", "g",
                                         "div", "dl", "dt", "dd", "defs", "pattern", "desc"]
    static let voidElements: Set<String> = ["meta", "br", "hr", "img", "link", "input", "col", "wbr"]
    /// SVG elements that never have children: written self-closed (valid in HTML's foreign content).
    static let svgLeaves: Set<String> = ["rect", "line", "path", "circle", "polygon", "polyline", "use", "stop"]
}

/// One CSV column of a table cell: the suffix its column name gets (`" min"`) and the value.
struct CSVField: Sendable {
    let suffix: String
    let value: ExportTable.Cell
}

extension Node {
    /// The text a reader sees, without markup: for CSV cells that have no typed value.
    var plainText: String {
        switch self {
        case .text(let s): return s
        case .raw, .download: return ""
        case .group(let children), .element(_, _, let children):
            return children.map(\.plainText).filter { !$0.isEmpty }.joined(separator: " ")
        case .cell(let node, _): return node.plainText
        }
    }

    /// The CSV values of a table cell: its own when it has them, else its text.
    var csvFields: [CSVField] {
        if case .cell(_, let fields) = self { return fields }
        return [CSVField(suffix: "", value: .text(plainText))]
    }

    /// The tree with every download made a link to `prefix-<id>.csv`, and the CSV files it links to.
    func expandingDownloads(prefix: String, into files: inout [(path: String, html: String)]) -> Node {
        switch self {
        case .text, .raw: return self
        case .group(let children): return .group(children.map { $0.expandingDownloads(prefix: prefix, into: &files) })
        case .element(let name, let attributes, let children):
            return .element(name, attributes, children.map { $0.expandingDownloads(prefix: prefix, into: &files) })
        case .cell(let node, let fields): return .cell(node.expandingDownloads(prefix: prefix, into: &files), fields)
        case .download(let id, let caption, let table):
            let path = "\(prefix)-\(slug(id)).csv"
            files.append((path, table.csv()))
            return el("p", ["class": "csv"], el("a", ["href": path, "download": "", "title": caption], "Deze tabel als CSV-bestand (Excel)"))
        }
    }
}

/// Escapes the five characters that matter in text and in quoted attribute values, after the cleaning every
/// published text gets (`Publish.text`). The only HTML escaper: all text and attribute values pass here.
func escapeHTML(_ raw: String) -> String {
    let s = Publish.text(raw)
    guard s.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "'" }) else { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count + 16)
    for ch in s {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(ch)
        }
    }
    return out
}

/// An element. Attributes keep their order (deterministic output); a nil value drops the attribute.
func el(_ name: String, _ attributes: KeyValuePairs<String, String?>, _ children: [Node]) -> Node {
    .element(name, attributes.compactMap { a in a.value.map { Node.Attribute(name: a.key, value: $0) } }, children)
}

func el(_ name: String, _ attributes: KeyValuePairs<String, String?>, _ children: Node...) -> Node {
    el(name, attributes, children)
}

func el(_ name: String, _ children: [Node]) -> Node { .element(name, [], children) }

func el(_ name: String, _ children: Node...) -> Node { .element(name, [], children) }

/// Numbers in SVG coordinates: at most one decimal, no trailing `.0`, never locale-dependent.
func svgNumber(_ x: Double) -> String {
    let tenths = Int((x * 10).rounded(.toNearestOrAwayFromZero))
    let sign = tenths < 0 ? "-" : ""
    let m = tenths.magnitude
    return m % 10 == 0 ? sign + String(m / 10) : sign + String(m / 10) + "." + String(m % 10)
}

/// A safe file-name / id part: letters, digits and `-`; anything else becomes `_`.
func slug(_ s: String) -> String {
    String(s.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" ? $0 : "_" })
}

/// A CSS string literal (`"…"`) for text from the data: quotes, backslashes, angle brackets (a `</style>` would end
/// the stylesheet) and control characters become six-digit hex escapes, so no text can leave the string.
func cssString(_ raw: String) -> String {
    var out = "\""
    for c in Publish.text(raw).unicodeScalars {
        if c == "\"" || c == "\\" || c == "<" || c == ">" || c == "&" || c.value < 0x20 || c.value == 0x7F {
            let hex = String(c.value, radix: 16)
            out += "\\" + String(repeating: "0", count: 6 - hex.count) + hex
        } else {
            out.unicodeScalars.append(c)
        }
    }
    return out + "\""
}
