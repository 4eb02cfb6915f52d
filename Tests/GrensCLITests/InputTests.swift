import Foundation
import Testing
import GrensPipeline
@testable import GrensCLI

/// Input paths: only regular files are opened; whatever a folder holds that is not read is reported.
@Suite("input files and the main job")
struct InputTests {
    @Test("a FIFO given as input is refused at once, never opened and waited on")
    func fifoRefused() throws {
        let dir = TempDir()
        let fifo = dir["pijp.csv"]
        #expect(mkfifo(fifo, 0o644) == 0)
        // Should the command block on the FIFO after all, a writer after 3 s lets it go (and the test fail).
        DispatchQueue.global().asyncAfter(deadline: .now() + 3) {
            let fd = open(fifo, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
        }
        let start = Date()
        let result = cli(["ingest", fifo, "--db", dir["v.sqlite"]])
        #expect(Date().timeIntervalSince(start) < 2)
        #expect(result.code == 1 && result.err.contains(fifo) && result.err.contains("FIFO"), "\(result.err)")
        #expect(!exists(dir["v.sqlite"]))
    }

    @Test("a folder names every entry it skips; other files and hidden ones are counted")
    func skippedReported() throws {
        let dir = TempDir()
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir["in/sub.csv"], withIntermediateDirectories: true)
        try fm.copyItem(atPath: samplePath + "/Delft afgeschermd.csv", toPath: dir["in/Delft.csv"])
        try fm.copyItem(atPath: samplePath + "/SYNTHETISCH", toPath: dir["in/SYNTHETISCH"])
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir["in/notes.txt"]))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir["in/.verborgen.csv"]))
        try fm.createSymbolicLink(atPath: dir["in/weg.csv"], withDestinationPath: dir["nergens.csv"])
        try fm.createSymbolicLink(atPath: dir["in/kring.csv"], withDestinationPath: dir["in/kring.csv"])
        #expect(mkfifo(dir["in/pijp.csv"], 0o644) == 0)
        let result = cli(["ingest", dir["in"], "--db", dir["v.sqlite"]])
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out.contains("toegevoegd:   1 bestanden"))
        for line in ["overgeslagen: kring.csv (symbolische koppeling in een kring)",
                     "overgeslagen: pijp.csv (is een FIFO (named pipe), geen gewoon bestand)",
                     "overgeslagen: sub.csv (is een map; submappen worden niet gelezen)",
                     "overgeslagen: weg.csv (symbolische koppeling naar iets dat niet bestaat)",
                     "niet gelezen (geen .csv): 2 bestanden (SYNTHETISCH, notes.txt); verborgen: 1"] {
            #expect(result.out.contains(line + "\n"), "missing: \(line)\n\(result.out)")
        }
    }

    @Test("a failure in run says its stage (ingest, analyse, kosten, notitieboeken) and the file; exit 1")
    func failuresNameTheirStage() throws {
        let dir = TempDir()
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir["in"], withIntermediateDirectories: true)
        try Data("A;B\n1;2\n".utf8).write(to: URL(fileURLWithPath: dir["in/kapot.csv"]))
        try Data("kapot\n".utf8).write(to: URL(fileURLWithPath: dir["schatter.csv"]))
        try fm.createDirectory(atPath: dir["kosten/oud.txt"], withIntermediateDirectories: true)
        try fm.createDirectory(atPath: dir["nb"], withIntermediateDirectories: true)
        try Data("```sql a\nSELECT 1\n".utf8).write(to: URL(fileURLWithPath: dir["nb/open.md"]))
        let store = try copyOfSampleStore(in: dir)
        let cases: [([String], String)] = [
            (["--duo", dir["in"], "--db", dir["echt.sqlite"]], "grensverkeer: ingest: Inlezen geweigerd"),
            (["--db", store, "--schatter", dir["schatter.csv"]], "grensverkeer: analyse: \(dir["schatter.csv"]):1:"),
            (["--db", store, "--kosten", dir["kosten"]], "grensverkeer: kosten: "),
            (["--db", store, "--notitieboeken", dir["nb"]], "grensverkeer: notitieboeken: \(dir["nb/open.md"]):1:"),
        ]
        for (words, start) in cases {
            let result = cli(["run", "--uit", dir["site"]] + words)
            #expect(result.code == 1 && result.err.hasPrefix(start), "\(words): \(result.err)")
        }
        #expect(cli(["run", "--uit", dir["site"], "--db", store, "--kosten", dir["kosten"]]).err.contains("oud.txt"))
        #expect(!exists(dir["site"]))
    }

    @Test("run on an empty folder is refused with a message and writes nothing")
    func emptyFolder() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir["leeg"], withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir["leeg/lees-mij.txt"]))
        let result = cli(["run", "--duo", dir["leeg"], "--db", dir["v.sqlite"], "--uit", dir["site"]])
        #expect(result.code == 1)
        #expect(result.err.contains(dir["leeg"]) && result.err.contains("geen leesbare CSV-bestanden") && result.err.contains("1 andere bestanden"), "\(result.err)")
        #expect(entries(dir.path) == ["leeg"])
        // An existing store is not touched either: last year's site is not rebuilt.
        let store = try copyOfSampleStore(in: dir)
        let again = cli(["run", "--duo", dir["leeg"], "--db", store, "--uit", dir["site"]])
        #expect(again.code == 1 && !exists(dir["site"]))
    }

    @Test("run says first what it runs on: inputs, store, output folder, and SYNTHETISCH for the sample")
    func saysWhatItRuns() throws {
        let dir = TempDir()
        let sample = cli(["run", "--db", dir["v.sqlite"], "--uit", dir["site"]])
        #expect(sample.code == 0, "\(sample.err)")
        let lines = sample.out.split(separator: "\n").prefix(3).map(String.init)
        #expect(lines == ["Invoer: data/sample — SYNTHETISCH voorbeeld, geen echte leerlingen (echte bestanden: --duo MAP)",
                          "Database: \(dir["v.sqlite"])", "Uitvoer: \(dir["site"])"])
        // Real-looking files (no SYNTHETISCH marker): no such label, real defaults.
        try FileManager.default.createDirectory(atPath: dir["echt"], withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: samplePath + "/Delft afgeschermd.csv", toPath: dir["echt/Delft.csv"])
        let real = cli(["run", "--duo", dir["echt"], "--db", dir["echt.sqlite"], "--uit", dir["echt-site"]])
        #expect(real.code == 0, "\(real.err)")
        #expect(real.out.hasPrefix("Invoer: \(dir["echt"])\nDatabase: \(dir["echt.sqlite"])\nUitvoer: \(dir["echt-site"])\n"))
        // The sample and real data have their own stores and output folders.
        #expect(Defaults.sampleDatabase != Defaults.database)
        #expect(Set(["dashboard", "kosten", "teams"].flatMap { [Defaults.output($0, synthetic: true), Defaults.output($0, synthetic: false)] }).count == 6)
        #expect(Defaults.output("dashboard", synthetic: false) == "out/dashboard" && Defaults.output("dashboard", synthetic: true) == "out/voorbeeld")
    }
}
