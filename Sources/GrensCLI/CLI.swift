import Foundation
import GrensCore
import GrensPipeline
import SQLiteWrap

/// The command line. Verbs are the pipeline's stages; `run` does them all.
public enum GrensCLI {
    public static func main() {
        var text = "", errors = ""
        let code = run(Array(CommandLine.arguments.dropFirst()), output: &text, errors: &errors)
        FileHandle.standardOutput.write(Data(text.utf8))
        FileHandle.standardError.write(Data(errors.utf8))
        exit(code)
    }

    /// Runs one command; returns the exit code (0 ok, 1 failure, 64 usage). Error messages go to stderr.
    public static func run(_ words: [String], output: inout String) -> Int32 {
        var errors = ""
        let code = run(words, output: &output, errors: &errors)
        FileHandle.standardError.write(Data(errors.utf8))
        return code
    }

    /// Runs one command, collecting its output and its error messages.
    public static func run(_ words: [String], output: inout String, errors: inout String) -> Int32 {
        guard let verb = words.first else {
            print(helpText, to: &errors)
            return 64
        }
        let rest = Array(words.dropFirst())
        let command = commands.first { $0.name == verb }
        do {
            guard let command else {
                if ["help", "--help", "-h"].contains(verb) { print(helpText, to: &output); return 0 }
                let hint = nearest(verb, in: commands.map(\.name)).map { "; bedoelde u \($0)?" } ?? ""
                throw UsageError("onbekende opdracht '\(verb)'\(hint)")
            }
            if rest.contains("--help") || rest.contains("-h") { print(command.usage, to: &output); return 0 }
            let args = try Arguments(rest, valued: command.valued, switches: command.switches,
                                     repeatable: command.repeatable, positionals: command.positionals)
            try args.validate()
            try command.run(args, &output)
            return 0
        } catch let error as UsageError {
            print("grensverkeer: \(error)\n\n\(command?.usage ?? helpText)", to: &errors)
            return 64
        } catch {
            print("grensverkeer: \(error)", to: &errors)
            return 1
        }
    }

    struct Command: Sendable {
        let name: String
        let summary: String
        let usage: String
        let valued: Set<String>
        var switches: Set<String> = []
        var repeatable: Set<String> = []
        var positionals = false
        let run: @Sendable (Arguments, inout String) throws -> Void
    }

    static var helpText: String {
        var text = "grensverkeer — leerlingenstromen over gemeentegrenzen uit DUO-open data\n\nGebruik: grensverkeer <opdracht> [opties]\n\nOpdrachten:\n"
        for c in commands { text += "  " + c.name.padding(toLength: 16, withPad: " ", startingAt: 0) + c.summary + "\n" }
        text += "\nMeer over één opdracht: grensverkeer <opdracht> --help"
        return text
    }
}

/// Paths shared by the commands, relative to the working directory (the repository root). The synthetic
/// sample has its own store and output folders, so it never overwrites results made from real files.
enum Defaults {
    static let database = "data/grensverkeer.sqlite"
    static let reference = "data/reference"
    static let sample = "data/sample"
    static let sampleDatabase = "data/voorbeeld.sqlite"
    /// The analyst's notebooks, rendered into the site by `run` and `dashboard`.
    static let notebooks = "notebooks-md"

    /// The default output folder of `kind` ("dashboard", "kosten", "teams", "notitieboeken") for a real or a
    /// synthetic store.
    static func output(_ kind: String, synthetic: Bool) -> String {
        synthetic ? (kind == "dashboard" ? "out/voorbeeld" : "out/voorbeeld-\(kind)") : "out/\(kind)"
    }
}

extension Arguments {
    func storePath(default fallback: String = Defaults.database) -> String { value("db") ?? fallback }

    func database(_ access: Store.Access, default fallback: String = Defaults.database) throws -> Database {
        try Store.open(path: storePath(default: fallback), access: access)
    }

    /// Loads the reference data and checks --regio and --buren against it.
    func reference(maps: Bool = true) throws -> Reference {
        let reference = try Reference.load(folder: value("referentie") ?? Defaults.reference, pc4Table: value("pc4-tabel"), maps: maps)
        let known = Set(reference.regions.map(\.region))
        for name in ["regio", "buren"] {
            guard let id = value(name), !(name == "buren" && id == "geen"), !known.contains(id) else { continue }
            let hint = nearest(id, in: known).map { "; bedoelde u \($0)?" } ?? ""
            throw UsageError("--\(name) '\(id)' is geen regio uit \(value("referentie") ?? Defaults.reference)/regions.csv\(hint) (bekend: \(known.sorted().joined(separator: ", ")))")
        }
        return reference
    }

    /// What an output must never contain or be: the working directory, the store and every input the run reads.
    func protected(store: String, inputs: [String] = []) -> [OutputFolder.Protected] {
        var list = [OutputFolder.Protected(path: FileManager.default.currentDirectoryPath, what: "de map waarin u werkt"),
                    OutputFolder.Protected(path: store, what: "de database")]
        list += inputs.map { OutputFolder.Protected(path: $0, what: "invoer") }
        for name in ["referentie", "pc4-tabel", "schatter", "kosten"] {
            if let p = value(name), p != "geen" { list.append(OutputFolder.Protected(path: p, what: "invoer (--\(name))")) }
        }
        list.append(OutputFolder.Protected(path: value("referentie") ?? Defaults.reference, what: "de referentiegegevens"))
        return list
    }
}
