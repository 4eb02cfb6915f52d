import Foundation
import Testing
@testable import GrensCLI

/// `--uit`: the tool replaces only folders it made itself, checks before any work and never leaves a
/// staging folder behind.
@Suite("output folders and files")
struct OutputTests {
    let marker = OutputFolder.marker

    @Test("a folder with the user's files is refused (exit 64) for dashboard and run, and its files survive")
    func userFilesSurvive() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        try FileManager.default.createDirectory(atPath: dir["mydocs"], withIntermediateDirectories: true)
        try Data("mijn brief".utf8).write(to: URL(fileURLWithPath: dir["mydocs/brief.txt"]))
        let dashboard = cli(["dashboard", "--db", store, "--uit", dir["mydocs"]])
        #expect(dashboard.code == 64)
        #expect(dashboard.err.contains("niet door grensverkeer gemaakt") && dashboard.err.contains(dir["mydocs"]))
        // run is refused before ingest: its new store is never made.
        let run = cli(["run", "--db", dir["nieuw.sqlite"], "--uit", dir["mydocs"]])
        #expect(run.code == 64 && run.out.isEmpty)
        #expect(!exists(dir["nieuw.sqlite"]))
        #expect(entries(dir["mydocs"]) == ["brief.txt"])
        #expect(bytes(dir["mydocs/brief.txt"]) == Data("mijn brief".utf8))
        #expect(entries(dir.path) == ["mydocs", "v.sqlite"])
    }

    @Test("a file as --uit MAP is refused and left as it was")
    func fileTarget() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        try Data("verslag".utf8).write(to: URL(fileURLWithPath: dir["report.txt"]))
        for command in ["dashboard", "kosten", "teams"] {
            let result = cli([command, "--db", store, "--uit", dir["report.txt"]])
            #expect(result.code == 64 && result.err.contains("is een bestand, geen map"), "\(command)")
        }
        #expect(bytes(dir["report.txt"]) == Data("verslag".utf8))
    }

    @Test("a second run replaces the tool's own folder whole; a sibling site.nieuw survives; no staging is left")
    func ownFolderReplaced() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        try FileManager.default.createDirectory(atPath: dir["site.nieuw"], withIntermediateDirectories: true)
        try Data("van mij".utf8).write(to: URL(fileURLWithPath: dir["site.nieuw/keep.txt"]))
        let first = cli(["dashboard", "--db", store, "--uit", dir["site"]])
        #expect(first.code == 0, "\(first.err)")
        #expect(exists(dir["site/index.html"]) && exists(dir["site/" + marker]))
        // A page an earlier run wrote but the next run does not: gone after the next run.
        try Data("oud".utf8).write(to: URL(fileURLWithPath: dir["site/gemeente-9999.html"]))
        let second = cli(["dashboard", "--db", store, "--uit", dir["site"]])
        #expect(second.code == 0, "\(second.err)")
        #expect(!exists(dir["site/gemeente-9999.html"]) && exists(dir["site/index.html"]))
        #expect(entries(dir.path) == ["site", "site.nieuw", "v.sqlite"])
        #expect(bytes(dir["site.nieuw/keep.txt"]) == Data("van mij".utf8))
    }

    @Test("a write that fails leaves the previous output in place and no staging folder")
    func failureCleansUp() throws {
        let dir = TempDir()
        let folder = try OutputFolder(dir["site"], protecting: [])
        try folder.replace(with: [("index.html", "eerste")])
        // "a" is written as a file, so the folder "a/" cannot be made: the run fails halfway.
        #expect(throws: (any Error).self) { try folder.replace(with: [("a", "x"), ("a/b", "y")]) }
        #expect(entries(dir.path) == ["site"])
        #expect(entries(dir["site"]) == [marker, "index.html"])
        #expect(bytes(dir["site/index.html"]) == Data("eerste".utf8))
    }

    @Test("an empty existing folder is adopted")
    func emptyFolderAdopted() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        try FileManager.default.createDirectory(atPath: dir["leeg"], withIntermediateDirectories: true)
        #expect(cli(["teams", "--db", store, "--uit", dir["leeg"]]).code == 0)
        #expect(entries(dir["leeg"]) == [marker, "teams-gemeenten.csv", "teams-scholen.csv"])
    }

    @Test("a target holding the store, an input or the working directory is refused, even when it is the tool's own")
    func containsWhatTheRunNeeds() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir["eigen/data"], withIntermediateDirectories: true)
        try Data(OutputFolder.markerText.utf8).write(to: URL(fileURLWithPath: dir["eigen/" + marker]))
        let store = try copyOfSampleStore(in: dir, name: "eigen/data/v.sqlite")
        let before = bytes(store)
        for target in [dir["eigen"], dir["eigen/niet-er/.."], dir["eigen/data"]] {
            let result = cli(["dashboard", "--db", store, "--uit", target])
            #expect(result.code == 64 && result.err.contains("bevat de database"), "\(target): \(result.err)")
        }
        let run = cli(["run", "--duo", samplePath, "--db", dir["x.sqlite"], "--uit", repoRoot + "/data"])
        #expect(run.code == 64 && run.err.contains("bevat invoer"))
        #expect(bytes(store) == before && !exists(dir["x.sqlite"]))
        // The working directory (here a stand-in): an own folder above it is never replaced.
        let cwd = OutputFolder.Protected(path: dir["eigen/data/werk"], what: "de map waarin u werkt")
        #expect(throws: UsageError.self) { try OutputFolder(dir["eigen"], protecting: [cwd]) }
        #expect(throws: UsageError.self) { try OutputFolder(dir["eigen/data/werk/.."], protecting: [cwd]) }
        #expect(throws: Never.self) { try OutputFolder(dir["eigen"], protecting: [OutputFolder.Protected(path: dir["elders"], what: "x")]) }
        // The real working directory, given as "..": refused before anything is looked at.
        let up = cli(["dashboard", "--db", store, "--uit", FileManager.default.currentDirectoryPath + "/sub/../.."])
        #expect(up.code == 64 && up.err.contains("bevat de map waarin u werkt"))
    }

    @Test("kosten: files an earlier run wrote are removed in the tool's own folder, and only there")
    func staleCosts() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        try FileManager.default.createDirectory(atPath: dir["posten"], withIntermediateDirectories: true)
        try Data("naam: Proef\npeildatum: 2024-10-01\nbedrag: € 1.000,00\nsoort: sbo, so, vso\nschoolgemeenten: 0518, 0603, 1916\n".utf8)
            .write(to: URL(fileURLWithPath: dir["posten/proef.txt"]))
        let first = cli(["kosten", "--db", store, "--kosten", dir["posten"], "--uit", dir["kosten"]])
        #expect(first.code == 0, "\(first.err)")
        let written = entries(dir["kosten"])
        #expect(written.contains("kosten-overzicht.csv") && written.contains(marker) && written.count > 3)
        try Data("oud".utf8).write(to: URL(fileURLWithPath: dir["kosten/kosten-9999.csv"]))
        #expect(cli(["kosten", "--db", store, "--kosten", dir["posten"], "--uit", dir["kosten"]]).code == 0)
        #expect(entries(dir["kosten"]) == written)
        // The overview names exactly the gemeenten that have a file.
        let overview = String(decoding: bytes(dir["kosten/kosten-overzicht.csv"]) ?? Data(), as: UTF8.self)
        for name in written where name.hasPrefix("kosten-") && name != "kosten-overzicht.csv" {
            let code = name.dropFirst("kosten-".count).prefix(4)
            #expect(overview.contains(";\(code);") || overview.contains("\n\(code);"), "\(code) not in the overview")
        }
        // Someone else's folder with a file of the same name: refused, untouched.
        try FileManager.default.createDirectory(atPath: dir["andermans"], withIntermediateDirectories: true)
        try Data("van iemand".utf8).write(to: URL(fileURLWithPath: dir["andermans/kosten-9999.csv"]))
        #expect(cli(["kosten", "--db", store, "--kosten", dir["posten"], "--uit", dir["andermans"]]).code == 64)
        #expect(entries(dir["andermans"]) == ["kosten-9999.csv"])
    }

    @Test("matrix --uit FILE: a folder is refused; an existing file only with --overschrijven; written whole")
    func singleFile() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        try FileManager.default.createDirectory(atPath: dir["map"], withIntermediateDirectories: true)
        let folder = cli(["matrix", "--db", store, "--uit", dir["map"]])
        #expect(folder.code == 64 && folder.err.contains("is een map"))
        let new = cli(["matrix", "--db", store, "--uit", dir["m.csv"]])
        #expect(new.code == 0 && new.out.contains("Geschreven: \(dir["m.csv"])"))
        let first = bytes(dir["m.csv"])
        #expect(first.map { String(decoding: $0, as: UTF8.self).hasPrefix("\u{FEFF}peildatum;soort;") } == true)
        try Data("eigen aantekeningen".utf8).write(to: URL(fileURLWithPath: dir["notes.csv"]))
        let refused = cli(["shares", "--db", store, "--uit", dir["notes.csv"]])
        #expect(refused.code == 64 && refused.err.contains("--overschrijven"))
        #expect(bytes(dir["notes.csv"]) == Data("eigen aantekeningen".utf8))
        let replaced = cli(["matrix", "--db", store, "--soort", "po", "--uit", dir["m.csv"], "--overschrijven"])
        #expect(replaced.code == 0 && bytes(dir["m.csv"]) != first)
        let store2 = cli(["matrix", "--db", store, "--uit", store, "--overschrijven"])
        #expect(store2.code == 64 && store2.err.contains("is de database"))
        #expect(entries(dir.path) == ["m.csv", "map", "notes.csv", "v.sqlite"])
    }
}
