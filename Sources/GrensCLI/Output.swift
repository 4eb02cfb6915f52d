import Foundation
import GrensCore

/// Where a command writes. The tool only ever replaces what it made itself: an output folder carries a
/// marker file, and is written whole into a fresh staging folder beside it that is then swapped in, so a
/// failed run never leaves half a folder and files an earlier run wrote but this one does not are gone.
/// Targets are checked before any work, and again just before the swap.
struct OutputFolder {
    static let marker = ".grensverkeer-uitvoer"
    static let markerText = "Deze map is gemaakt door grensverkeer en wordt bij een volgende run in zijn geheel vervangen. Zet hier geen eigen bestanden neer.\n"

    let path: String
    let protected: [Protected]

    /// A path the output must never contain (the working directory, the store, an input, …).
    struct Protected { let path: String; let what: String }

    init(_ path: String, protecting protected: [Protected]) throws {
        self.path = path
        self.protected = protected
        try check()
    }

    /// Refuses a target that is a file or link, a folder grensverkeer did not make (unless empty), or one
    /// that holds something the run needs.
    func check() throws {
        let target = canonical(path)
        for p in protected {
            let inside = canonical(p.path)
            if inside == target || inside.hasPrefix(target == "/" ? "/" : target + "/") {
                throw UsageError("--uit \(path) bevat \(p.what) (\(p.path)); grensverkeer vervangt de uitvoermap in zijn geheel. Kies een eigen map voor de uitvoer, bijvoorbeeld out/dashboard")
            }
        }
        var st = stat()
        guard lstat(path, &st) == 0 else { return try checkParent() }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: break
        case S_IFLNK: throw UsageError("--uit \(path) is een symbolische koppeling; geef de map zelf op")
        default: throw UsageError("--uit \(path) is een bestand, geen map; grensverkeer overschrijft het niet. Kies een nieuwe of lege map")
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var marker = stat()
        let marked = lstat(path + "/" + Self.marker, &marker) == 0 && (marker.st_mode & S_IFMT) == S_IFREG
        guard entries.isEmpty || marked else {
            throw UsageError("--uit \(path): deze map bestaat al en is niet door grensverkeer gemaakt (er staat geen \(Self.marker) in). grensverkeer vervangt alleen zijn eigen uitvoermappen en laat deze map ongemoeid. Kies een nieuwe of lege map, of ruim deze map zelf op")
        }
    }

    /// The nearest existing ancestor of a new folder must be a folder.
    func checkParent() throws {
        var parent = folderPath(canonical(path))
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) { parent = folderPath(parent) }
        guard isDirectory.boolValue else { throw UsageError("--uit \(path) kan niet worden gemaakt: \(parent) is een bestand, geen map") }
    }

    /// Writes `files` (relative path → text) and the marker into a staging folder, then swaps it in for the target.
    func replace(with files: [(path: String, text: String)]) throws {
        try check()
        let fm = FileManager.default
        let parent = folderPath(path)
        let name = (path as NSString).lastPathComponent
        if !parent.isEmpty { try fm.createDirectory(atPath: parent, withIntermediateDirectories: true) }
        let staging = try uniqueFolder(beside: path, "tmp")
        defer { try? fm.removeItem(atPath: staging) }
        try write(Self.markerText, to: staging + "/" + Self.marker)
        // Each folder once; then the files on all cores. Each is written straight (not through a temporary file of
        // its own): the staging folder as a whole is what is swapped in, or removed when anything fails.
        for folder in Set(files.map { folderPath($0.path) }).sorted() where !folder.isEmpty {
            try fm.createDirectory(atPath: staging + "/" + folder, withIntermediateDirectories: true)
        }
        let target = path
        let failures = concurrentMap(files.count) { i -> String? in
            let full = staging + "/" + files[i].path
            do { try Data(files[i].text.utf8).write(to: URL(fileURLWithPath: full)) } catch { return "--uit \(target): kan \(full) niet schrijven (\(error.localizedDescription))" }
            return nil
        }
        if let first = failures.compactMap({ $0 }).first { throw OutputFailure(description: first) }
        chmod(staging, 0o755)
        guard fm.fileExists(atPath: path) else {
            guard rename(staging, path) == 0 else { throw failure("kan \(name) niet plaatsen") }
            return
        }
        // Old folder away, new one in, old one removed; if the new one cannot be put in place, the old returns.
        let old = try uniqueFolder(beside: path, "oud")
        guard rename(path, old) == 0 else {
            let error = failure("kan de vorige \(name) niet opzij zetten")
            rmdir(old)
            throw error
        }
        guard rename(staging, path) == 0 else {
            let error = failure("kan de nieuwe \(name) niet plaatsen")
            // Kept where it is should it not go back: the user is never left without the previous output.
            if rename(old, path) != 0 { throw OutputFailure(description: "\(error); de vorige uitvoer staat in \(old)") }
            throw error
        }
        try? fm.removeItem(atPath: old)
    }

    func write(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw failure("kan \(path) niet schrijven") }
    }

    func failure(_ what: String) -> Error {
        OutputFailure(description: "--uit \(path): \(what) (\(String(cString: strerror(errno))))")
    }
}

/// A failed file operation, in words.
struct OutputFailure: Error, CustomStringConvertible { let description: String }

/// A single output file (`matrix`/`shares --uit`, `schatter-leren --uit`): written to a temporary file beside
/// it and renamed, so it is whole or absent. An existing file is replaced only when `replaceable` says so.
struct OutputFile {
    let path: String

    init(_ path: String, protecting protected: [OutputFolder.Protected], replaceable: (String) -> Bool) throws {
        self.path = path
        for p in protected where canonical(p.path) == canonical(path) {
            throw UsageError("--uit \(path) is \(p.what); kies een ander bestand voor de uitvoer")
        }
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: throw UsageError("--uit \(path) is een map; geef een bestandsnaam, bijvoorbeeld \(path)/matrix.csv")
        case S_IFREG:
            guard replaceable(path) else { throw UsageError("--uit \(path) bestaat al; grensverkeer overschrijft het alleen met --overschrijven") }
        default: throw UsageError("--uit \(path) is geen gewoon bestand")
        }
    }

    func write(_ text: String) throws {
        let parent = folderPath(path)
        if !parent.isEmpty { try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true) }
        var template = uniqueTemplate(beside: path, "tmp")
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw OutputFailure(description: "--uit \(path): kan geen tijdelijk bestand maken (\(String(cString: strerror(errno))))") }
        let temporary = string(template)
        var ok = false
        defer { if !ok { unlink(temporary) } }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        fchmod(fd, 0o644)
        let closed = close(fd)
        guard written == bytes.count, closed == 0, rename(temporary, path) == 0 else {
            throw OutputFailure(description: "--uit \(path): kan niet schrijven (\(String(cString: strerror(errno))))")
        }
        ok = true
    }
}

/// `.<name>.<label>-<pid>-XXXXXX` beside `path`, for mkstemp/mkdtemp to make unique.
func uniqueTemplate(beside path: String, _ label: String) -> [CChar] {
    let parent = folderPath(path)
    return Array(((parent.isEmpty ? "" : parent + "/") + "." + (path as NSString).lastPathComponent + ".\(label)-\(getpid())-XXXXXX").utf8CString)
}

func string(_ chars: [CChar]) -> String { String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }

/// A fresh, empty folder with a unique name beside `path`.
func uniqueFolder(beside path: String, _ label: String) throws -> String {
    var template = uniqueTemplate(beside: path, label)
    guard mkdtemp(&template) != nil else {
        throw OutputFailure(description: "--uit \(path): kan geen tijdelijke map maken naast de uitvoermap (\(String(cString: strerror(errno))))")
    }
    return string(template)
}

/// The absolute path with symbolic links resolved as far as the path exists, and `.`/`..` removed.
func canonical(_ path: String) -> String {
    var head = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var tail: [String] = []
    var resolved = realpath(head, nil)
    while resolved == nil, head != "/" {
        tail.insert((head as NSString).lastPathComponent, at: 0)
        head = folderPath(head)
        resolved = realpath(head, nil)
    }
    var parts = (resolved.map { String(cString: $0) } ?? "/").split(separator: "/").map(String.init)
    free(resolved)
    for part in tail {
        switch part {
        case ".", "": continue
        case "..": if !parts.isEmpty { parts.removeLast() }
        default: parts.append(part)
        }
    }
    return "/" + parts.joined(separator: "/")
}
