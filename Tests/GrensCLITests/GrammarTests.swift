import Foundation
import Testing
import GrensTestSupport
import GrensCore
@testable import GrensCLI

/// The command-line grammar: every option checked before any work; help texts complete and recorded.
@Suite("command-line grammar")
struct GrammarTests {
    @Test("a bad option value exits 64 before the store is opened or any folder made", arguments: [
        ["matrix", "--soort", "mbo"], ["matrix", "--formaat", "xml"], ["shares", "--niveau", "land"],
        ["matrix", "--buren", "nergens"], ["dashboard", "--regio", "utrecht"], ["teams", "--drempel", "0"],
        ["teams", "--drempel", "veel"], ["matrix", "--peildatum", "2024-13-01"], ["run", "--peildatum", "gisteren"],
        ["dashboard", "--schatter", "geen-bestand.csv"], ["kosten", "--kosten", "geen-map"],
    ])
    func badValue(_ words: [String]) throws {
        let dir = TempDir()
        let folder = ["matrix", "shares"].contains(words[0]) ? [] : ["--uit", dir["uit"]]
        let result = cli(words + ["--db", dir["typo/x.sqlite"]] + folder)
        #expect(result.code == 64, "\(words): \(result.err)")
        #expect(result.err.contains(words[2]), "\(words): \(result.err)")
        #expect(entries(dir.path).isEmpty)
    }

    @Test("every documented --soort gives rows or says why")
    func everySoort() throws {
        let dir = TempDir()
        let store = try copyOfSampleStore(in: dir)
        for soort in SoortSelection.allCases {
            let result = cli(["matrix", "--db", store, "--soort", soort.rawValue, "--peildatum", "2024-10-01"])
            if result.code == 0 {
                #expect(result.out.split(separator: "\n").count > 1, "\(soort): no rows")
            } else {
                #expect(result.code == 64 && result.err.contains("--soort \(soort.rawValue): "), "\(soort): \(result.err)")
            }
        }
        let alle = cli(["matrix", "--db", store, "--soort", "alle"])
        #expect(alle.code == 64 && alle.err.contains("po en vo samen"))
        let usage = GrensCLI.commands.first { $0.name == "matrix" }!.usage
        #expect(usage.contains("alle (po en vo samen"))
    }

    @Test("an unknown command suggests the nearest one")
    func nearestCommand() {
        let typo = cli(["matrx"])
        #expect(typo.code == 64 && typo.err.contains("onbekende opdracht 'matrx'; bedoelde u matrix?"))
        #expect(cli(["statsu"]).err.contains("bedoelde u status?"))
        let far = cli(["vlieg"])
        #expect(far.code == 64 && far.err.contains("onbekende opdracht 'vlieg'\n"))
        #expect(cli(["matrix", "--formaaat", "md"]).err.contains("onbekende optie --formaaat; bedoelde u --formaat?"))
    }

    @Test("a single-valued option given twice is refused; --duo and --soort may repeat")
    func repeated() throws {
        let dir = TempDir()
        for words in [["dashboard", "--uit", dir["a"], "--uit", dir["b"]], ["status", "--db", dir["x"], "--db", dir["y"]],
                      ["matrix", "--overschrijven", "--overschrijven"], ["matrix", "--formaat=md", "--formaat", "csv"]] {
            let result = cli(words)
            #expect(result.code == 64 && result.err.contains("meer dan eens"), "\(words): \(result.err)")
        }
        #expect(entries(dir.path).isEmpty)
        let run = GrensCLI.commands.first { $0.name == "run" }!
        let args = try Arguments(["--duo", "a", "--duo", "b"], valued: run.valued, repeatable: run.repeatable)
        #expect(args.values("duo") == ["a", "b"])
        let store = try copyOfSampleStore(in: dir)
        #expect(cli(["matrix", "--db", store, "--soort", "bo", "--soort", "sbo"]).code == 0)
    }

    @Test("positionals are refused by commands that take none")
    func positionals() {
        for words in [["status", "extra"], ["matrix", "po"], ["dashboard", "out/site"], ["bench", "a", "b"]] {
            let result = cli(words)
            #expect(result.code == 64, "\(words): \(result.err)")
        }
        #expect(cli(["status", "extra"]).err.contains("onverwacht argument 'extra'"))
    }

    @Test("every option a command accepts is in its help text")
    func helpListsEveryOption() {
        for command in GrensCLI.commands {
            for option in command.valued.union(command.switches) {
                #expect(command.usage.contains("--\(option)"), "\(command.name): --\(option) missing from its help")
            }
            for option in command.repeatable { #expect(command.valued.contains(option)) }
        }
    }

    @Test("help texts match their golden files (UPDATE_GOLDEN=1 records them, and then fails)")
    func goldenHelp() throws {
        var overview = ""
        #expect(GrensCLI.run(["help"], output: &overview) == 0)
        try expectGolden(overview, "help.txt")
        for command in GrensCLI.commands {
            let result = cli([command.name, "--help"])
            #expect(result.code == 0 && result.err.isEmpty)
            try expectGolden(result.out, "\(command.name).txt")
        }
    }
}

let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

/// Compares with `Golden/<name>` (see `GrensTestSupport.expectGolden`).
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try GrensTestSupport.expectGolden(actual, name, in: goldenFolder, sourceLocation: sourceLocation)
}
