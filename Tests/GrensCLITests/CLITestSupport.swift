import Foundation
import Testing
@testable import GrensCLI

/// The repository root, found from this source file (Tests/GrensCLITests/… → ../..).
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let samplePath = repoRoot + "/data/sample"

/// A fresh temporary folder per test, removed when the value goes away.
final class TempDir {
    let path: String
    init() {
        var template = Array((NSTemporaryDirectory() + "grens-cli-XXXXXX").utf8CString)
        precondition(mkdtemp(&template) != nil)
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    deinit {
        // Tests make folders read-only; give them back before removing.
        _ = try? Process.run(URL(fileURLWithPath: "/bin/chmod"), arguments: ["-R", "u+rwx", path]).waitUntilExit()
        try? FileManager.default.removeItem(atPath: path)
    }
    subscript(_ name: String) -> String { path + "/" + name }
}

struct CLIResult {
    let code: Int32
    let out: String
    let err: String
}

/// Runs a command in-process, as `grensverkeer <words>` would from the repository root.
func cli(_ words: [String]) -> CLIResult {
    var out = "", err = ""
    let code = GrensCLI.run(words, output: &out, errors: &err)
    return CLIResult(code: code, out: out, err: err)
}

/// A store holding the synthetic sample, ingested once per test run (and removed when the run ends); every
/// test works on its own copy.
let sampleStorePath = NSTemporaryDirectory() + "grens-cli-sample-\(getpid()).sqlite"
let sampleStore: String = {
    let result = cli(["ingest", samplePath, "--db", sampleStorePath])
    precondition(result.code == 0, result.err)
    atexit { for suffix in ["", "-wal", "-shm"] { unlink(sampleStorePath + suffix) } }
    return sampleStorePath
}()

func copyOfSampleStore(in dir: TempDir, name: String = "v.sqlite") throws -> String {
    try FileManager.default.copyItem(atPath: sampleStore, toPath: dir[name])
    return dir[name]
}

func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

func entries(_ path: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

/// The built `grensverkeer` executable (for tests that need another process or another user).
var binaryPath: String {
    Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("grensverkeer").path }
        .first { FileManager.default.isExecutableFile(atPath: $0) } ?? repoRoot + "/.build/debug/grensverkeer"
}
