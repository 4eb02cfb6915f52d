/// The small Markdown of the notebooks: `#`–`###` headings, paragraphs, `-`/`*` lists, fenced code, and inline
/// `code`, **vet**, *schuin* and [links](pagina.html). Text is always escaped (it becomes `.text` nodes); a link
/// target is kept only when it stays inside the site (a relative path) so a page never points the browser
/// elsewhere by itself. `value` resolves `{naam[rij].kolom}` to its published text.
enum MarkdownLite {
    static func render(_ markdown: String, value: (String) -> String) -> [Node] {
        var out: [Node] = []
        var paragraph: [String] = []
        var list: [String] = []
        var code: [String]?
        func flush() {
            if !paragraph.isEmpty { out.append(el("p", inline(paragraph.joined(separator: " "), value: value))); paragraph = [] }
            if !list.isEmpty { out.append(el("ul", list.map { el("li", inline($0, value: value)) })); list = [] }
        }
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let line = trimmed(raw)
            if var block = code {
                if line == "```" { out.append(el("pre", el("code", .text(block.joined(separator: "\n"))))); code = nil }
                else { block.append(raw); code = block }
                continue
            }
            if line.hasPrefix("```") { flush(); code = []; continue }
            if line.isEmpty { flush(); continue }
            if let level = heading(line) {
                flush()
                // h1 is the page title; notebook headings start at h2.
                out.append(el("h\(min(level + 1, 4))", inline(trimmed(String(line.drop { $0 == "#" })), value: value)))
                continue
            }
            if line.hasPrefix("- ") || line.hasPrefix("* ") {
                if !paragraph.isEmpty { flush() }
                list.append(String(line.dropFirst(2)))
                continue
            }
            if !list.isEmpty { flush() }
            paragraph.append(line)
        }
        if let block = code { out.append(el("pre", el("code", .text(block.joined(separator: "\n"))))) }
        flush()
        return out
    }

    static func heading(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...3).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    /// Inline markup. Unclosed markers are kept as text.
    static func inline(_ text: String, value: (String) -> String) -> [Node] {
        var nodes: [Node] = []
        var plain = ""
        let chars = Array(text)
        var i = 0
        func emit() { if !plain.isEmpty { nodes.append(.text(plain)); plain = "" } }
        func find(_ marker: [Character], from start: Int) -> Int? {
            var j = start
            while j + marker.count <= chars.count {
                if Array(chars[j..<(j + marker.count)]) == marker { return j }
                j += 1
            }
            return nil
        }
        while i < chars.count {
            let c = chars[i]
            if c == "{", let end = find(["}"], from: i + 1) {
                emit(); nodes.append(.text(value(String(chars[(i + 1)..<end])))); i = end + 1; continue
            }
            if c == "`", let end = find(["`"], from: i + 1) {
                emit(); nodes.append(el("code", .text(String(chars[(i + 1)..<end])))); i = end + 1; continue
            }
            if c == "*", i + 1 < chars.count, chars[i + 1] == "*", let end = find(["*", "*"], from: i + 2) {
                emit(); nodes.append(el("strong", inline(String(chars[(i + 2)..<end]), value: value))); i = end + 2; continue
            }
            if c == "*", let end = find(["*"], from: i + 1), end > i + 1 {
                emit(); nodes.append(el("em", inline(String(chars[(i + 1)..<end]), value: value))); i = end + 1; continue
            }
            if c == "[", let close = find(["]", "("], from: i + 1), let end = find([")"], from: close + 2) {
                let label = String(chars[(i + 1)..<close]), target = String(chars[(close + 2)..<end])
                emit()
                if isLocal(target) { nodes.append(el("a", ["href": target], inline(label, value: value))) }
                else { nodes.append(contentsOf: inline(label, value: value)); nodes.append(.text(" (\(target))")) }
                i = end + 1
                continue
            }
            plain.append(c)
            i += 1
        }
        emit()
        return nodes
    }

    /// A relative path inside the site: no scheme, no protocol-relative `//`, no absolute path.
    static func isLocal(_ target: String) -> Bool {
        !target.isEmpty && !target.contains(":") && !target.hasPrefix("/") && !target.hasPrefix("\\")
    }
}

func trimmed(_ s: String) -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    return String(s.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
}
