import Foundation
import GrensCore
import GrensPipeline
import SQLiteWrap

/// The command line. Verbs are the pipeline's stages; `run` does them all.
public enum GrensCLI {
    public static func main() {
        var text = ""
        let code = run(Array(CommandLine.arguments.dropFirst()), output: &text)
        FileHandle.standardOutput.write(Data(text.utf8))
        exit(code)
    }

    /// Runs one command; returns the exit code (0 ok, 1 failure, 64 usage).
    public static func run(_ words: [String], output: inout String) -> Int32 {
        guard let verb = words.first else {
            print(helpText, to: &output)
            return 64
        }
        let rest = Array(words.dropFirst())
        do {
            guard let command = commands.first(where: { $0.name == verb }) else {
                if ["help", "--help", "-h"].contains(verb) { print(helpText, to: &output); return 0 }
                throw UsageError("onbekende opdracht '\(verb)'")
            }
            if rest.contains("--help") { print(command.usage, to: &output); return 0 }
            let args = try Arguments(rest, valued: command.valued, switches: command.switches)
            try command.run(args, &output)
            return 0
        } catch let error as UsageError {
            printError("grensverkeer: \(error)\n\n\(commands.first { $0.name == verb }?.usage ?? helpText)")
            return 64
        } catch {
            printError("grensverkeer: \(error)")
            return 1
        }
    }

    struct Command: Sendable {
        let name: String
        let summary: String
        let usage: String
        let valued: Set<String>
        var switches: Set<String> = []
        let run: @Sendable (Arguments, inout String) throws -> Void
    }

    static var helpText: String {
        var text = "grensverkeer — leerlingenstromen over gemeentegrenzen uit DUO-open data\n\nGebruik: grensverkeer <opdracht> [opties]\n\nOpdrachten:\n"
        for c in commands { text += "  " + c.name.padding(toLength: 16, withPad: " ", startingAt: 0) + c.summary + "\n" }
        text += "\nMeer over één opdracht: grensverkeer <opdracht> --help"
        return text
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Paths shared by the commands, relative to the working directory (the repository root).
enum Defaults {
    static let database = "data/grensverkeer.sqlite"
    static let reference = "data/reference"
    static let sample = "data/sample"
    static let sampleDatabase = "data/voorbeeld.sqlite"
    static let site = "out/dashboard"
}

extension Arguments {
    func database(default fallback: String = Defaults.database) throws -> Database {
        let path = value("db") ?? fallback
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        return try Store.open(path: path)
    }

    func reference() throws -> Reference {
        try Reference.load(folder: value("referentie") ?? Defaults.reference, pc4Table: value("pc4-tabel"))
    }

    func peildatum() throws -> Peildatum? {
        guard let text = value("peildatum") else { return nil }
        guard let date = Peildatum(iso: text) ?? Peildatum(duo: text) else {
            throw UsageError("--peildatum '\(text)' is geen datum; verwacht JJJJ-MM-DD")
        }
        return date
    }
}
