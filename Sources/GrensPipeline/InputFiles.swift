import Foundation
import GrensCore

/// Reads input files from paths (files or folders, not recursive into hidden folders), sorted by name so runs
/// are reproducible. Only `*.csv` files are taken from folders; a path given explicitly is always read.
/// File names are read as raw bytes: DUO's archives contain mis-encoded names that must still open.
public enum InputFiles {
    /// A folder holding a file with this name contains synthetic data; everything made from it says so.
    public static let syntheticMarker = "SYNTHETISCH"

    public static func collect(_ paths: [String]) throws -> [InputFile] {
        var result: [InputFile] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(file: path, line: nil, column: nil, message: "bestand of map bestaat niet")
            }
            if isDirectory.boolValue {
                let synthetic = FileManager.default.fileExists(atPath: path + "/" + syntheticMarker)
                for entry in try listDirectory(path) where entry.name.lowercased().hasSuffix(".csv") {
                    result.append(InputFile(path: path + "/" + entry.name, name: entry.name,
                                            bytes: try readBytes(entry.rawPath), synthetic: synthetic))
                }
            } else {
                let folder = (path as NSString).deletingLastPathComponent
                let synthetic = FileManager.default.fileExists(atPath: (folder.isEmpty ? "." : folder) + "/" + syntheticMarker)
                result.append(InputFile(path: path, name: (path as NSString).lastPathComponent,
                                        bytes: try readBytes(Array(path.utf8)), synthetic: synthetic))
            }
        }
        return result
    }

    struct Entry { let name: String; let rawPath: [UInt8] }

    static func listDirectory(_ path: String) throws -> [Entry] {
        guard let dir = opendir(path) else { throw InputError(file: path, line: nil, column: nil, message: "map kan niet worden gelezen") }
        defer { closedir(dir) }
        var entries: [(raw: [UInt8], name: String)] = []
        while let entry = readdir(dir) {
            var nameBytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if nameBytes.first == UInt8(ascii: ".") { continue }
            var full = Array(path.utf8)
            full.append(UInt8(ascii: "/"))
            full.append(contentsOf: nameBytes)
            var st = stat()
            let ok = full.withUnsafeBufferPointer { buf -> Bool in
                var cstr = Array(buf); cstr.append(0)
                return cstr.withUnsafeBufferPointer { stat(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), &st) } == 0
            }
            guard ok, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let name = String(decoding: nameBytes, as: UTF8.self)
            nameBytes.removeAll()
            entries.append((full, name))
        }
        // Sort by raw bytes: stable across locales.
        entries.sort { $0.raw.lexicographicallyPrecedes($1.raw) }
        return entries.map { Entry(name: $0.name, rawPath: $0.raw) }
    }

    static func readBytes(_ rawPath: [UInt8]) throws -> [UInt8] {
        var cpath = rawPath.map { CChar(bitPattern: $0) }
        cpath.append(0)
        let fd = open(cpath, O_RDONLY)
        let shown = String(decoding: rawPath, as: UTF8.self)
        guard fd >= 0 else { throw InputError(file: shown, line: nil, column: nil, message: "kan niet worden geopend") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw InputError(file: shown, line: nil, column: nil, message: "kan niet worden gelezen") }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
            guard n > 0 else { throw InputError(file: shown, line: nil, column: nil, message: "leesfout") }
            done += n
        }
        return bytes
    }
}
