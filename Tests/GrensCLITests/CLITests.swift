import Foundation
import Testing
@testable import GrensCLI

/// End to end: the built binary on the embedded synthetic sample, as the README's main command runs it.
@Suite("grensverkeer command line", .serialized)
struct CLITests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs the built executable in the repository root; returns exit code, stdout and stderr.
    func run(_ arguments: [String]) throws -> (Int32, String, String) {
        let binary = Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("grensverkeer").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? Self.repo + "/.build/debug/grensverkeer"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Self.repo)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test("main job on the synthetic sample: ingest, analysis, dashboard; exports follow Excel NL; re-run is a no-op")
    func mainJob() throws {
        let tmp = NSTemporaryDirectory() + "grensverkeer-e2e-\(getpid())"
        try? FileManager.default.removeItem(atPath: tmp)
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let (code, out, err) = try run(["run", "--db", tmp + "/v.sqlite", "--uit", tmp + "/site"])
        #expect(code == 0, "\(err)")
        #expect(out.contains("toegevoegd:   24 bestanden"))
        #expect(out.contains("SYNTHETISCHE GEGEVENS"))
        let index = try String(contentsOfFile: tmp + "/site/index.html", encoding: .utf8)
        #expect(index.contains("lang=\"nl\"") && index.contains("SYNTHETISCHE GEGEVENS"))

        let (again, out2, _) = try run(["run", "--db", tmp + "/v.sqlite", "--uit", tmp + "/site"])
        #expect(again == 0 && out2.contains("ongewijzigd:  24 bestanden"))

        let (mc, csv, _) = try run(["matrix", "--db", tmp + "/v.sqlite", "--peildatum", "2024-10-01", "--soort", "po"])
        #expect(mc == 0)
        #expect(csv.hasPrefix("\u{FEFF}peildatum;soort;woongemeente_code;woongemeente;schoolgemeente_code;schoolgemeente;minimum;maximum;schatting;interval_90_laag;interval_90_hoog\n"))
        // No published count from 1 to 4 in any numeric column.
        for line in csv.split(separator: "\n").dropFirst() {
            for value in line.split(separator: ";", omittingEmptySubsequences: false).suffix(5) {
                #expect(!["1", "2", "3", "4"].contains(String(value)), "\(line)")
            }
        }
        let (sc, json, _) = try run(["shares", "--db", tmp + "/v.sqlite", "--formaat", "json", "--niveau", "swv"])
        #expect(sc == 0 && json.hasPrefix("[\n  {\"peildatum\": "))

        // Synthetic and real data never mix in one store.
        let (mix, _, mixErr) = try run(["ingest", "--db", tmp + "/v.sqlite", Self.repo + "/../shared/duo-real/po-postcode-leerling-2024-2025/Delft afgeschermd.csv"])
        #expect(mix == 1 && mixErr.contains("synthetische voorbeeldbestanden"))
    }

    @Test("usage errors exit 64 with the command's help; unknown commands too")
    func usage() throws {
        let (code, _, err) = try run(["matrix", "--onzin"])
        #expect(code == 64 && err.contains("onbekende optie --onzin") && err.contains("Gebruik: grensverkeer matrix"))
        let (code2, _, err2) = try run(["vlieg"])
        #expect(code2 == 64 && err2.contains("onbekende opdracht 'vlieg'"))
        let missing = NSTemporaryDirectory() + "leeg-\(getpid())/x.sqlite"
        let (code3, _, err3) = try run(["matrix", "--soort", "mbo", "--db", missing])
        #expect(code3 == 64 && err3.contains("--soort 'mbo' is onbekend"))
        #expect(!FileManager.default.fileExists(atPath: (missing as NSString).deletingLastPathComponent))
    }

    @Test("every command is documented: in the overview, with its own --help, and in the README")
    func documented() throws {
        let readme = try String(contentsOfFile: Self.repo + "/README.md", encoding: .utf8)
        var overview = ""
        _ = GrensCLI.run(["help"], output: &overview)
        for command in GrensCLI.commands {
            #expect(overview.contains("  " + command.name), "\(command.name) missing from help")
            var text = ""
            #expect(GrensCLI.run([command.name, "--help"], output: &text) == 0)
            #expect(text.hasPrefix("Gebruik: grensverkeer \(command.name)"))
            #expect(readme.contains("grensverkeer \(command.name)"), "\(command.name) missing from README")
        }
    }
}
