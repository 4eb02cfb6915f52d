import Foundation
import Testing
import GrensPipeline
import SQLiteWrap
@testable import GrensCLI

/// `run` with nothing changed ends after its ingest and leaves the output folder as it is; any change to what the
/// analysis or the pages depend on makes it compute everything again.
@Suite("run: skipping when nothing changed", .serialized)
struct RunKeyTests {
    static let skipped = "Niets veranderd sinds de vorige run"

    /// A private copy of everything a run reads, so that a test can change one thing.
    final class Setup {
        let dir = TempDir()
        var args: [String] { ["run", "--duo", dir["duo"], "--db", dir["v.sqlite"], "--uit", dir["site"],
                              "--referentie", dir["referentie"], "--kosten", dir["kosten"], "--notitieboeken", dir["notitieboeken"]] }
        init() throws {
            let fm = FileManager.default
            for (from, to) in [("data/sample", "duo"), ("data/reference", "referentie"), ("data/kosten", "kosten"), ("notebooks-md", "notitieboeken")] {
                try fm.copyItem(atPath: repoRoot + "/" + from, toPath: dir[to])
            }
        }
        func run(_ extra: [String] = []) -> CLIResult { cli(args + extra) }
        func write(_ text: String, to name: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: dir[name])) }
        func read(_ name: String) throws -> String { try String(contentsOfFile: dir[name], encoding: .utf8) }
        /// The site's files with their contents, the manifest and marker included.
        func site() -> [String: Data] {
            var files: [String: Data] = [:]
            for name in FileManager.default.subpaths(atPath: dir["site"]) ?? [] {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: dir["site/" + name], isDirectory: &isDirectory), !isDirectory.boolValue {
                    files[name] = bytes(dir["site/" + name])
                }
            }
            return files
        }
        /// The folder's inode: a run that writes the site swaps in a new folder.
        func siteInode() -> UInt {
            var st = stat()
            return stat(dir["site"], &st) == 0 ? UInt(st.st_ino) : 0
        }
    }

    /// The part of a run's output after its ingest report.
    func analysisPart(_ out: String) -> String {
        guard let range = out.range(of: "== analyse\n") else { return "" }
        return String(out[range.upperBound...])
    }

    @Test("a second run skips the analysis, repeats its report and leaves the folder untouched; --opnieuw makes the same site again")
    func secondRunSkips() throws {
        let s = try Setup()
        let first = s.run()
        #expect(first.code == 0, "\(first.err)")
        #expect(!first.out.contains(Self.skipped))
        let site = s.site(), inode = s.siteInode()
        #expect(site[RunKey.manifestName] != nil && site["index.html"] != nil)

        let second = s.run()
        #expect(second.code == 0, "\(second.err)")
        #expect(second.out.contains("ongewijzigd:  24 bestanden"))
        #expect(second.out.contains(Self.skipped))
        // The previous run's report follows, word for word: matrix totals, cost items, notebooks, dashboard.
        let replay = analysisPart(second.out).split(separator: "\n", maxSplits: 1).last.map(String.init) ?? ""
        #expect(replay == analysisPart(first.out))
        #expect(replay.contains("Kostenpost ") && replay.contains("Notitieboek ") && replay.contains("== dashboard"))
        #expect(s.siteInode() == inode)
        #expect(s.site() == site)

        let forced = s.run(["--opnieuw"])
        #expect(forced.code == 0, "\(forced.err)")
        #expect(!forced.out.contains(Self.skipped))
        #expect(s.siteInode() != inode)
        // Deterministic: computing again gives the same files, byte for byte, the manifest included (--opnieuw is
        // not part of the key), so the next ordinary run skips again.
        #expect(s.site() == site)
        let after = s.run()
        #expect(after.code == 0 && after.out.contains(Self.skipped))
    }

    /// One change each; every one must make the next run compute again.
    enum Change: String, CaseIterable, CustomStringConvertible {
        case costItem, referenceAlias, notebook, estimator, option, deletedOutput, editedOutput, addedOutput, analystLayer, inputCell
        var description: String { rawValue }
    }

    @Test("any change to what the run depends on computes everything again", arguments: Change.allCases)
    func changeRecomputes(_ change: Change) throws {
        let s = try Setup()
        let first = s.run()
        #expect(first.code == 0, "\(first.err)")
        let inode = s.siteInode()
        var extra: [String] = []
        switch change {
        case .costItem:
            let item = try s.read("kosten/coordinator-h3-gelijk.txt")
            try s.write(item.replacingOccurrences(of: "€ 95.000,00", with: "€ 96.000,00"), to: "kosten/coordinator-h3-gelijk.txt")
        case .referenceAlias:
            try s.write(try s.read("referentie/gemeente_aliases.csv") + "\n", to: "referentie/gemeente_aliases.csv")
        case .notebook:
            try s.write(try s.read("notitieboeken/1-scholen-met-leerlingen-van-buiten.md") + "\nNog een zin.\n",
                        to: "notitieboeken/1-scholen-met-leerlingen-van-buiten.md")
        case .estimator:
            try FileManager.default.copyItem(atPath: repoRoot + "/data/estimator/masked-cells.csv", toPath: s.dir["schatter.csv"])
            extra = ["--schatter", s.dir["schatter.csv"]]
        case .option:
            extra = ["--drempel", "3"]
        case .deletedOutput:
            try FileManager.default.removeItem(atPath: s.dir["site/index.html"])
        case .editedOutput:
            try s.write("<p>eigen tekst</p>", to: "site/index.html")
        case .addedOutput:
            try s.write("van mij", to: "site/eigen.txt")
        case .analystLayer:
            // Another command rewrites the store's analyst layer with other settings.
            let notebook = cli(["notitieboek", s.dir["notitieboeken"], "--db", s.dir["v.sqlite"], "--uit", s.dir["nb"],
                                "--referentie", s.dir["referentie"], "--kosten", "geen", "--buren", "geen"])
            #expect(notebook.code == 0, "\(notebook.err)")
        case .inputCell:
            // One count in one input file: the age-9 cell 1 → 2 and the total 2 → 3 (a file with other content under
            // the same name replaces the stored one).
            let text = try String(contentsOfFile: s.dir["duo/Delft.csv"], encoding: .isoLatin1)
            let old = "Zuid-Holland;Bo;Openbaar;99101;0;0;0;0;0;1;0;1;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;2"
            let new = "Zuid-Holland;Bo;Openbaar;99101;0;0;0;0;0;2;0;1;0;0;0;0;0;0;0;0;0;0;0;0;0;0;0;3"
            #expect(text.contains(old))
            try text.replacingOccurrences(of: old, with: new).write(toFile: s.dir["duo/Delft.csv"], atomically: false, encoding: .isoLatin1)
        }
        let before = try s.read("site/.grensverkeer-run")
        let second = s.run(extra)
        #expect(second.code == 0, "\(second.err)")
        #expect(!second.out.contains(Self.skipped), "\(change): \(second.out)")
        #expect(s.siteInode() != inode)
        #expect(exists(s.dir["site/index.html"]) && !exists(s.dir["site/eigen.txt"]))
        #expect(try s.read("site/index.html") != "<p>eigen tekst</p>")
        if change == .inputCell {
            #expect(second.out.contains("vervangen:    1 bestanden"))
            #expect(try s.read("site/.grensverkeer-run") != before)
        }
        if change == .costItem {
            #expect(second.out.contains("€ 96.000,00"))
        }
        // And once computed again, the run after it skips.
        let third = s.run(extra)
        #expect(third.code == 0 && third.out.contains(Self.skipped), "\(change)")
    }

    @Test("homes staged by one program are resolved again by another: the staging key holds the program")
    func stagingKeyHoldsTheProgram() throws {
        let dir = TempDir()
        let first = cli(["ingest", samplePath, "--db", dir["v.sqlite"]])
        #expect(first.code == 0, "\(first.err)")
        func stagedWith() throws -> String? {
            try Store.open(path: dir["v.sqlite"], access: .read).scalar("SELECT value FROM meta WHERE key = 'stg_reference'")?.text
        }
        let byTests = try #require(try stagedWith())
        // The same program again, nothing changed: the key stays.
        #expect(cli(["ingest", samplePath, "--db", dir["v.sqlite"]]).code == 0)
        #expect(try stagedWith() == byTests)
        // The built executable is another program.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaryPath)
        process.arguments = ["ingest", samplePath, "--db", dir["v.sqlite"]]
        process.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let byBinary = try #require(try stagedWith())
        #expect(byBinary != byTests)
    }
}
