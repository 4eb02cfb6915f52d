import Foundation
import GrensCore

/// How patient a fetch is. The command line uses the defaults; tests shorten them.
public struct FetchSettings: Sendable {
    /// Seconds one attempt may take in all (connecting, waiting, receiving).
    public var timeout: Double = 300
    public var connectTimeout: Double = 20
    public var attempts = 3
    /// Seconds before the second attempt; doubled before each next one.
    public var backoff: Double = 2

    public init(timeout: Double = 300, connectTimeout: Double = 20, attempts: Int = 3, backoff: Double = 2) {
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.attempts = attempts
        self.backoff = backoff
    }
}

/// What happened to one file of the catalogue.
public struct FetchResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Downloaded; there was no earlier copy.
        case fetched
        /// DUO has a new version; the earlier copy was moved to `previous` (inside the folder).
        case updated(previous: String)
        /// DUO answered 304: the copy in the folder is current; nothing was downloaded.
        case unchangedAtSource
        /// Downloaded again (DUO gave no ETag/Last-Modified to ask with), same bytes as the copy in the folder.
        case sameContent
        case failed(String)
    }
    public let entry: CatalogueEntry
    public let fileName: String
    public let outcome: Outcome
    public var sha256: String?
    public var bytes: Int?
    public var layout: String?
    public var rows: Int?
    public var attempts: Int
    /// A layout of the right dataset that the catalogue does not list.
    public var remark: String?
}

/// The small state file in the target folder: per file what DUO said about it last time (ETag,
/// Last-Modified) and what was written, so the next run can ask "changed since?" and knows its own files.
struct FetchState: Codable, Equatable {
    struct Record: Codable, Equatable {
        var url: String
        var etag: String?
        var lastModified: String?
        var sha256: String
        var bytes: Int
        var dataset: String
        var layout: String
        var peildatum: String
    }
    var files: [String: Record] = [:]
}

/// Downloads DUO's files with the system `curl` (see README, "Where the DUO files come from", for why curl and
/// not URLSession): every attempt bounded in time, a few attempts with back-off for what may pass (time-out,
/// broken connection, truncated body, 5xx), a body written to a temporary file in the target folder and only
/// renamed into place when it parsed completely as the expected DUO dataset. Nothing else is ever written
/// there, and no file is deleted: a file the fetcher did not write is left alone and refused, an earlier
/// version it wrote itself is moved to `.vorige-versies/`.
public enum Fetcher {
    public static let stateFile = ".duo-ophalen.json"
    public static let previousFolder = ".vorige-versies"
    public static let defaultBaseURL = "https://duo.nl/open_onderwijsdata/images/"

    public static func fetch(_ entries: [CatalogueEntry], year: SchoolYear, baseURL: String, folder: String,
                             settings: FetchSettings = FetchSettings()) throws -> [FetchResult] {
        let created = !FileManager.default.fileExists(atPath: folder)
        try prepare(folder)
        var state = readState(folder)
        var saved = state
        var results: [FetchResult] = []
        for entry in entries {
            let result = fetchOne(entry, year: year, baseURL: baseURL, folder: folder, settings: settings, state: &state)
            results.append(result)
            if state != saved {
                try writeState(state, folder: folder)
                saved = state
            }
        }
        // A folder made for files that all failed goes again (rmdir only removes an empty folder).
        if created { rmdir(folder) }
        return results
    }

    /// The target folder: made when missing; a file or a symbolic link in its place is refused.
    static func prepare(_ folder: String) throws {
        var st = stat()
        if lstat(folder, &st) == 0 {
            switch st.st_mode & S_IFMT {
            case S_IFDIR: return
            case S_IFLNK: throw FetchError("\(folder) is een symbolische koppeling; geef met --naar de map zelf op")
            default: throw FetchError("\(folder) is een bestand, geen map; kies met --naar een (nieuwe) map")
            }
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    static func readState(_ folder: String) -> FetchState {
        guard let data = FileManager.default.contents(atPath: folder + "/" + stateFile),
              let state = try? JSONDecoder().decode(FetchState.self, from: data) else { return FetchState() }
        return state
    }

    static func writeState(_ state: FetchState, folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try writeAtomically(Array(try encoder.encode(state)) + [0x0A], to: folder + "/" + stateFile)
    }

    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = try temporaryFile(beside: path)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)), rename(temporary, path) == 0 else {
            unlink(temporary)
            throw FetchError("kan \(path) niet schrijven (\(String(cString: strerror(errno))))")
        }
    }

    /// A new, empty, hidden file beside `path` (hidden: a folder scan for ingest never reads it).
    static func temporaryFile(beside path: String, _ label: String = "tmp") throws -> String {
        let folder = folderPath(path), name = (path as NSString).lastPathComponent
        var template = Array("\(folder)/.\(name).\(label)-\(getpid())-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw FetchError("kan geen tijdelijk bestand maken in \(folder) (\(String(cString: strerror(errno))))") }
        close(fd)
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func fetchOne(_ entry: CatalogueEntry, year: SchoolYear, baseURL: String, folder: String, settings: FetchSettings,
                         state: inout FetchState) -> FetchResult {
        let name = entry.fileName(year)
        let target = folder + "/" + name
        let url = (baseURL.hasSuffix("/") ? baseURL : baseURL + "/") + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
        func result(_ outcome: FetchResult.Outcome, attempts: Int = 0) -> FetchResult {
            FetchResult(entry: entry, fileName: name, outcome: outcome, attempts: attempts)
        }
        // A file in the folder is asked about only when it is the one written last time; anything else there is
        // the user's, and stays as it is.
        var record = state.files[name]
        var st = stat()
        if lstat(target, &st) == 0 {
            let data = (st.st_mode & S_IFMT) == S_IFREG ? FileManager.default.contents(atPath: target) : nil
            guard let data, let r = record, sha256Hex([UInt8](data)) == r.sha256 else {
                return result(.failed("\(name) staat al in \(folder) en is daar niet zo door grensverkeer ophalen neergezet; het wordt niet overschreven. Verplaats het zelf of kies een andere --naar"))
            }
        } else {
            record = nil
        }

        var lastProblem = ""
        for attempt in 1...max(1, settings.attempts) {
            if attempt > 1 { Thread.sleep(forTimeInterval: settings.backoff * pow(2, Double(attempt - 2))) }
            let response: Response
            do {
                // ETag and Last-Modified only mean something for the URL they came from.
                response = try download(url, into: target, conditional: record?.url == url ? record : nil, settings: settings)
            } catch {
                return result(.failed("\(error)"), attempts: attempt)
            }
            defer { unlink(response.body) }
            switch response.verdict {
            case .retry(let why):
                lastProblem = why
                continue
            case .refuse(let why):
                return result(.failed(why), attempts: attempt)
            case .notModified:
                state.files[name]?.etag = response.etag ?? record?.etag
                state.files[name]?.lastModified = response.lastModified ?? record?.lastModified
                return result(.unchangedAtSource, attempts: attempt)
            case .body:
                break
            }
            guard let data = FileManager.default.contents(atPath: response.body) else {
                return result(.failed("kan het ontvangen bestand niet lezen"), attempts: attempt)
            }
            let bytes = [UInt8](data)
            let parsed: ParsedFile
            switch validate(bytes, name: name, entry: entry, year: year) {
            case .failure(let why): return result(.failed(why), attempts: attempt)
            case .success(let p): parsed = p
            }
            let sha = sha256Hex(bytes)
            var outcome = FetchResult.Outcome.fetched
            if let record {
                if record.sha256 == sha {
                    outcome = .sameContent
                } else {
                    // Our own earlier download: kept, out of the way of an ingest of the folder.
                    let previous = previousFolder + "/" + String(record.sha256.prefix(12)) + "-" + name
                    do {
                        try FileManager.default.createDirectory(atPath: folder + "/" + previousFolder, withIntermediateDirectories: true)
                        guard rename(target, folder + "/" + previous) == 0 else { throw FetchError(String(cString: strerror(errno))) }
                    } catch {
                        return result(.failed("kan de vorige versie niet opzij zetten naar \(previous): \(error)"), attempts: attempt)
                    }
                    outcome = .updated(previous: previous)
                }
            }
            if outcome != .sameContent {
                chmod(response.body, 0o644)
                guard rename(response.body, target) == 0 else {
                    return result(.failed("kan \(name) niet plaatsen (\(String(cString: strerror(errno))))"), attempts: attempt)
                }
            }
            state.files[name] = FetchState.Record(url: url, etag: response.etag, lastModified: response.lastModified, sha256: sha,
                                                  bytes: bytes.count, dataset: parsed.layout.dataset.rawValue,
                                                  layout: parsed.layout.id, peildatum: parsed.peildatum.iso)
            var done = result(outcome, attempts: attempt)
            done.sha256 = sha
            done.bytes = bytes.count
            done.layout = parsed.layout.id
            done.rows = parsed.rows.count
            if !entry.layouts.contains(parsed.layout.id) {
                done.remark = "indeling \(parsed.layout.id), de catalogus verwacht \(entry.layouts.joined(separator: " of "))"
            }
            return done
        }
        return result(.failed("\(lastProblem); \(settings.attempts) pogingen"), attempts: settings.attempts)
    }

    /// The body is only taken when it is the whole of a DUO file of the entry's dataset and the school year.
    enum Validation { case success(ParsedFile), failure(String) }

    static func validate(_ bytes: [UInt8], name: String, entry: CatalogueEntry, year: SchoolYear) -> Validation {
        let lead = String(decoding: bytes.drop { [0x20, 0x09, 0x0D, 0x0A, 0xEF, 0xBB, 0xBF].contains($0) }.prefix(1), as: UTF8.self)
        // No DUO CSV starts with `<`; an error page (`<!DOCTYPE html>`, `<html>`, `<?xml`) does.
        if lead.hasPrefix("<") {
            return .failure("DUO stuurde een HTML-pagina in plaats van een CSV-bestand (verkeerde naam of een storing?)")
        }
        do throws(InputError) {
            guard let parsed = try parseSource(bytes: bytes, file: name, peildatum: year.peildatum) else {
                return .failure("leeg bestand ontvangen; verwacht een DUO-bestand met gegevensregels")
            }
            guard parsed.layout.dataset == entry.dataset else {
                return .failure("het bestand is \(parsed.layout.dataset.title) (\(parsed.layout.id)); verwacht \(entry.dataset.title)")
            }
            return .success(parsed)
        } catch {
            let message = error.message.split(separator: "\n").first.map(String.init) ?? error.message
            let at = error.line.map { ", regel \($0)" } ?? ""
            return .failure("geen volledig DUO-bestand in een bekende indeling\(at): \(message)")
        }
    }

    struct Response {
        enum Verdict: Equatable { case body, notModified, retry(String), refuse(String) }
        let verdict: Verdict
        /// The temporary file holding the body (removed by the caller unless renamed into place).
        let body: String
        let etag: String?
        let lastModified: String?
    }

    /// One attempt: `curl` writes the body to a temporary file beside the target and the headers to another.
    static func download(_ url: String, into target: String, conditional record: FetchState.Record?, settings: FetchSettings) throws -> Response {
        let body = try temporaryFile(beside: target, "deel")
        let headerFile = try temporaryFile(beside: target, "kop")
        defer { unlink(headerFile) }
        var arguments = ["curl", "--silent", "--show-error", "--location", "--max-redirs", "5",
                         "--proto", "=http,https", "--proto-redir", "=http,https",
                         "--connect-timeout", String(settings.connectTimeout), "--max-time", String(settings.timeout),
                         "--user-agent", "grensverkeer", "--dump-header", headerFile, "--output", body,
                         "--write-out", "%{http_code}"]
        if let record {
            if let etag = record.etag { arguments += ["--header", "If-None-Match: \(etag)"] }
            if let lm = record.lastModified { arguments += ["--header", "If-Modified-Since: \(lm)"] }
        }
        arguments.append(url)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        // Loopback never goes through a proxy (the tests' server); the user's other proxy settings stay.
        var environment = ProcessInfo.processInfo.environment
        let noProxy = [environment["no_proxy"] ?? environment["NO_PROXY"], "127.0.0.1,localhost"].compactMap { $0 }.joined(separator: ",")
        environment["no_proxy"] = noProxy
        environment["NO_PROXY"] = noProxy
        process.environment = environment
        // curl's output goes to files, not pipes: a pipe's end inherited by a process started at the same
        // moment (another fetch, a server) would keep the read waiting until that process ends.
        let outFile = try temporaryFile(beside: target, "uit"), errFile = try temporaryFile(beside: target, "fout")
        defer { unlink(outFile); unlink(errFile) }
        guard let out = FileHandle(forWritingAtPath: outFile), let err = FileHandle(forWritingAtPath: errFile) else {
            unlink(body)
            throw FetchError("kan geen tijdelijk bestand schrijven naast \(target)")
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            unlink(body)
            throw FetchError("kan curl niet starten (\(error)); installeer curl (apt-get install curl)")
        }
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        let status = String(decoding: FileManager.default.contents(atPath: outFile) ?? Data(), as: UTF8.self)
        let message = String(decoding: FileManager.default.contents(atPath: errFile) ?? Data(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let headers = lastHeaderBlock(FileManager.default.contents(atPath: headerFile) ?? Data())
        func response(_ verdict: Response.Verdict) -> Response {
            Response(verdict: verdict, body: body, etag: headers["etag"], lastModified: headers["last-modified"])
        }
        let code = process.terminationStatus
        switch code {
        case 0: break
        case 127:
            unlink(body)
            throw FetchError("curl is niet gevonden; installeer curl (apt-get install curl)")
        case 18: return response(.retry("onvolledig ontvangen (verbinding verbroken voor het einde van het bestand)"))
        case 28: return response(.retry("time-out na \(DutchFormat.decimal(settings.timeout, decimals: 1)) s"))
        case 1, 2, 3: return response(.refuse("curl weigert de URL \(url): \(message)"))
        default: return response(.retry("verbinding mislukt (curl \(code): \(message))"))
        }
        let http = Int(status.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        switch http {
        case 200:
            var size = stat()
            if let expected = headers["content-length"].flatMap(Int.init), stat(body, &size) == 0, Int(size.st_size) != expected {
                return response(.retry("onvolledig ontvangen (\(size.st_size) van \(expected) bytes)"))
            }
            return response(.body)
        case 304 where record != nil: return response(.notModified)
        case 408, 429, 500...599: return response(.retry("HTTP \(http) van de server"))
        case 404, 410: return response(.refuse("HTTP \(http): niet gevonden bij DUO (\(url)); staat het bestand er al, en klopt de naam in de catalogus?"))
        default: return response(.refuse("HTTP \(http) van de server (\(url))"))
        }
    }

    /// The headers of the final response (after redirects), names lowercased.
    static func lastHeaderBlock(_ data: Data) -> [String: String] {
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let blocks = text.components(separatedBy: "\n\n").filter { $0.hasPrefix("HTTP/") }
        var headers: [String: String] = [:]
        for line in (blocks.last ?? "").split(separator: "\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }
}

public struct FetchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
