import Foundation
import GrensCore

/// One input file as found on disk: its bytes are read when the ingest gets to it (`read`), so a run holds only the
/// files it is working on, not all of them.
public struct InputFile: Sendable {
    public let path: String
    /// The file name for messages; mis-encoded names are shown with replacement characters.
    public let name: String
    /// The size when the file was found.
    public let size: Int
    public let synthetic: Bool
    /// The path as raw bytes (DUO's archives contain mis-encoded names that must still open).
    let rawPath: [UInt8]

    /// The file's bytes, read now; only a regular file is opened, so a FIFO can never make a run wait.
    public func read() throws -> [UInt8] { try InputFiles.readBytes(rawPath) }
}

/// Reads input files from paths (files or folders, not recursive), sorted by name so runs are reproducible.
/// Only `*.csv` files are taken from folders; a path given explicitly is always read. Nothing is skipped
/// silently: every entry of a folder that is not read is named (or, for other files and hidden entries,
/// counted) in the scan. File names are read as raw bytes: DUO's archives contain mis-encoded names that
/// must still open. Only regular files are ever opened, so a FIFO or device can never make a run wait.
public enum InputFiles {
    /// A folder holding a file with this name contains synthetic data; everything made from it says so.
    public static let syntheticMarker = "SYNTHETISCH"

    public struct Skipped: Sendable, Equatable {
        public let name: String
        public let reason: String
    }

    public struct Scan: Sendable {
        public var files: [InputFile] = []
        /// Entries of a folder named `*.csv` or of an odd kind (a sub-folder, a broken link, a FIFO, an
        /// unreadable file) that were not read, each with the reason.
        public var skipped: [Skipped] = []
        /// Regular files in a folder without the `.csv` extension (not read).
        public var otherFiles: [String] = []
        /// Entries whose name starts with a dot (not read).
        public var hidden = 0
    }

    public static func collect(_ paths: [String]) throws -> [InputFile] { try scan(paths).files }

    public static func scan(_ paths: [String]) throws -> Scan {
        var scan = Scan()
        for path in paths {
            var st = stat()
            guard stat(path, &st) == 0 else {
                let exists = errno != ENOENT && errno != ENOTDIR
                throw InputError(file: path, line: nil, column: nil, message: exists ? reason(errno) : "bestand of map bestaat niet")
            }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                let before = (scan.files.count, scan.skipped.count, scan.otherFiles.count, scan.hidden)
                try scanFolder(path, into: &scan)
                guard scan.files.count > before.0 else {
                    var held = scan.skipped[before.1...].map { "\($0.name) (\($0.reason))" }
                    if scan.otherFiles.count > before.2 { held.append("\(scan.otherFiles.count - before.2) andere bestanden") }
                    if scan.hidden > before.3 { held.append("\(scan.hidden - before.3) verborgen") }
                    throw InputError(file: path, line: nil, column: nil,
                                     message: "de map bevat geen leesbare CSV-bestanden" + (held.isEmpty ? " (de map is leeg)" : "; wel: " + held.joined(separator: ", ")))
                }
            case S_IFREG:
                let folder = folderPath(path)
                let synthetic = FileManager.default.fileExists(atPath: (folder.isEmpty ? "." : folder) + "/" + syntheticMarker)
                scan.files.append(InputFile(path: path, name: (path as NSString).lastPathComponent,
                                            size: try readableSize(Array(path.utf8)), synthetic: synthetic, rawPath: Array(path.utf8)))
            default:
                throw InputError(file: path, line: nil, column: nil, message: "is \(kind(st.st_mode)); alleen gewone bestanden en mappen worden ingelezen")
            }
        }
        return scan
    }

    static func scanFolder(_ path: String, into scan: inout Scan) throws {
        guard let dir = opendir(path) else { throw InputError(file: path, line: nil, column: nil, message: "map kan niet worden gelezen (\(reason(errno)))") }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        // Sort by raw bytes: stable across locales.
        names.sort { $0.lexicographicallyPrecedes($1) }
        let synthetic = FileManager.default.fileExists(atPath: path + "/" + syntheticMarker)
        for raw in names {
            let name = String(decoding: raw, as: UTF8.self)
            if raw.first == UInt8(ascii: ".") { scan.hidden += 1; continue }
            let full = Array(path.utf8) + [UInt8(ascii: "/")] + raw
            var st = stat()
            if withCPath(full, { lstat($0, &st) }) != 0 {
                scan.skipped.append(Skipped(name: name, reason: reason(errno)))
                continue
            }
            if (st.st_mode & S_IFMT) == S_IFLNK, withCPath(full, { stat($0, &st) }) != 0 {
                let why = errno == ELOOP ? "symbolische koppeling in een kring" : errno == ENOENT ? "symbolische koppeling naar iets dat niet bestaat" : reason(errno)
                scan.skipped.append(Skipped(name: name, reason: why))
                continue
            }
            let isCSV = name.lowercased().hasSuffix(".csv")
            switch st.st_mode & S_IFMT {
            case S_IFREG where isCSV:
                do {
                    scan.files.append(InputFile(path: path + "/" + name, name: name, size: try readableSize(full), synthetic: synthetic, rawPath: full))
                } catch let error as InputError {
                    scan.skipped.append(Skipped(name: name, reason: error.message))
                }
            case S_IFREG: scan.otherFiles.append(name)
            case S_IFDIR: scan.skipped.append(Skipped(name: name, reason: "is een map; submappen worden niet gelezen"))
            default: scan.skipped.append(Skipped(name: name, reason: "is \(kind(st.st_mode)), geen gewoon bestand"))
            }
        }
    }

    static func withCPath<T>(_ raw: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        (raw.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "een FIFO (named pipe)"
        case S_IFSOCK: return "een socket"
        case S_IFCHR, S_IFBLK: return "een apparaat"
        case S_IFDIR: return "een map"
        default: return "geen gewoon bestand"
        }
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case EACCES: return "geen leesrecht"
        case ELOOP: return "symbolische koppeling in een kring"
        default: return String(cString: strerror(code))
        }
    }

    /// Opens the file as `readBytes` does (so a file that cannot be read is found when the files are looked up),
    /// and gives its size.
    static func readableSize(_ rawPath: [UInt8]) throws -> Int {
        try withOpened(rawPath) { _, size, _ in size }
    }

    static func readBytes(_ rawPath: [UInt8]) throws -> [UInt8] {
        try withOpened(rawPath) { fd, size, failure in
            var bytes = [UInt8](repeating: 0, count: size)
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, $0.count - done) }
                guard n > 0 else { throw failure(n == 0 ? "leesfout (bestand werd korter tijdens het lezen)" : "leesfout (\(reason(errno)))") }
                done += n
            }
            return bytes
        }
    }

    /// A regular file opened for reading, with its size and how to word a failure.
    static func withOpened<T>(_ rawPath: [UInt8], _ body: (Int32, Int, (String) -> InputError) throws -> T) throws -> T {
        let shown = String(decoding: rawPath, as: UTF8.self)
        func failure(_ message: String) -> InputError { InputError(file: shown, line: nil, column: nil, message: message) }
        // O_NONBLOCK: should the path have become a FIFO since it was checked, open returns at once.
        let fd = withCPath(rawPath) { open($0, O_RDONLY | O_NONBLOCK) }
        guard fd >= 0 else { throw failure("kan niet worden geopend (\(reason(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw failure("kan niet worden gelezen (\(reason(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw failure("is \(kind(st.st_mode)); alleen gewone bestanden worden ingelezen") }
        return try body(fd, Int(st.st_size), failure)
    }
}
