import Foundation

/// A stand-in for DUO's web server on 127.0.0.1 (Tests/fetch-server/duo_server.py, standard library only),
/// serving the files of its own temporary folder. Started by the test, stopped when the value goes away, and
/// in any case after `lifetime` seconds. Nothing but loopback is ever asked.
public final class DuoServer {
    public let folder: String
    public let port: Int
    private let process: Process

    public var baseURL: String { "http://127.0.0.1:\(port)/" }

    public init(lifetime: Int = 120) throws {
        var template = Array((NSTemporaryDirectory() + "grens-duo-server-XXXXXX").utf8CString)
        guard mkdtemp(&template) != nil else { throw ServerError("kan geen map voor de testserver maken") }
        folder = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.repo + "/Tests/fetch-server/duo_server.py", folder, "--lifetime", String(lifetime)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The server writes its port to a file (a pipe's end could be inherited by a process another test
        // starts at the same moment); a server that does not start within 10 s is an error.
        var port: Int?
        let deadline = Date().addingTimeInterval(10)
        while port == nil, Date() < deadline, process.isRunning {
            port = (try? String(contentsOfFile: folder + "/.port", encoding: .utf8)).flatMap { Int($0) }
            if port == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            throw ServerError("de testserver (python3 Tests/fetch-server/duo_server.py) startte niet")
        }
        self.port = port
    }

    deinit {
        // SIGKILL: a child of the test runner may start with SIGTERM blocked.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Serves `bytes` as `name`; a later call with other bytes is DUO publishing a new version (new ETag).
    public func serve(_ name: String, _ bytes: [UInt8]) throws {
        let path = folder + "/" + name
        try? FileManager.default.removeItem(atPath: path)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw ServerError("kan \(name) niet neerzetten") }
    }

    /// Serves a file from disk (the real DUO copies) as `name`, without copying it.
    public func serve(_ name: String, linkTo path: String) throws {
        try? FileManager.default.removeItem(atPath: folder + "/" + name)
        try FileManager.default.createSymbolicLink(atPath: folder + "/" + name, withDestinationPath: path)
    }

    /// Faults per file name, as the server script documents them, e.g. `["x.csv": ["fault": "500", "count": 2]]`.
    public func faults(_ faults: [String: [String: Any]]) throws {
        let data = try JSONSerialization.data(withJSONObject: faults)
        try data.write(to: URL(fileURLWithPath: folder + "/.faults.json"))
    }

    /// Every request so far as "name status".
    public var requests: [String] {
        let text = (try? String(contentsOfFile: folder + "/.requests.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }
}

public struct ServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

/// A national "totaaloverzicht" file as DUO publishes it for po 03: the rows of per-gemeente files under one
/// header (the files must share their header; empty files are skipped).
public func nationalFile(from paths: [String]) throws -> [UInt8] {
    var header: [UInt8]?
    var out: [UInt8] = []
    for path in paths {
        guard let data = FileManager.default.contents(atPath: path) else { throw ServerError("kan \(path) niet lezen") }
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else { continue }
        let end = bytes.firstIndex(of: 0x0A)! + 1
        if let header {
            guard Array(bytes[..<end]) == header else { throw ServerError("\(path) heeft een andere kopregel") }
        } else {
            header = Array(bytes[..<end])
            out += header!
        }
        out += bytes[end...]
        if out.last != 0x0A { out.append(0x0A) }
    }
    return out
}

/// `bytes` with one cell of the first row holding `from` (quoted, as the 2024 files write it) set to `to`;
/// returns the new bytes and the 1-based line that changed.
public func changingOneCell(_ bytes: [UInt8], from: String, to: String, afterLine: Int = 1) -> (bytes: [UInt8], line: Int)? {
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    let needle = Array("\"\(from)\"".utf8), replacement = Array("\"\(to)\"".utf8)
    for i in afterLine..<lines.count {
        var fields = lines[i].split(separator: 0x3B, omittingEmptySubsequences: false).map(Array.init)
        // Counts start after the 14 descriptive columns of the po 03 layout.
        guard fields.count > 14, let j = fields.indices.dropFirst(14).first(where: { fields[$0] == needle }) else { continue }
        fields[j] = replacement
        lines[i] = Array(fields.joined(separator: [0x3B]))
        return (Array(lines.joined(separator: [0x0A])), i + 1)
    }
    return nil
}
