import Foundation
import GrensCore

/// Reads notebooks (`*.md`) from files or folders; a folder's README.md documents the format and is not a
/// notebook. Sorted by name; every refusal names the file and line.
public enum NotebookFiles {
    public static func load(_ paths: [String]) throws -> [(notebook: Notebook, slug: String)] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(file: path, line: nil, column: nil, message: "notitieboek of map bestaat niet")
            }
            if isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: path)
                    .filter { $0.lowercased().hasSuffix(".md") && $0.lowercased() != "readme.md" && !$0.hasPrefix(".") }.sorted()
                files += names.map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        var seen: Set<String> = []
        return try files.map { file in
            guard let data = FileManager.default.contents(atPath: file) else {
                throw InputError(file: file, line: nil, column: nil, message: "kan niet worden gelezen")
            }
            let notebook = try Notebook.parse([UInt8](data), file: file)
            let slug = slugify((file as NSString).lastPathComponent)
            guard seen.insert(slug).inserted else {
                throw InputError(file: file, line: nil, column: nil, message: "geeft dezelfde paginanaam (\(slug)) als een ander notitieboek; verwacht unieke bestandsnamen")
            }
            return (notebook, slug)
        }
    }

    /// `Top scholen.md` → `top-scholen`: lower-case ASCII letters and digits, everything else one `-`.
    static func slugify(_ name: String) -> String {
        let base = name.lowercased().hasSuffix(".md") ? String(name.dropLast(3)) : name
        var out = ""
        for scalar in base.lowercased().unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) { out.unicodeScalars.append(scalar) }
            else if !out.hasSuffix("-") { out.append("-") }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return trimmed.isEmpty ? "notitieboek" : trimmed
    }
}
