import Foundation
import GrensCore
import GrensPipeline
import SQLiteWrap

/// Lets `run` end after its ingest when nothing that its analysis and pages depend on has changed since the run
/// that made the output folder.
///
/// The key is one sha256 over:
/// - the store as the analysis reads it (`Facts.storeFingerprint`), taken after this run's ingest;
/// - the content of every file in the reference folder and the PC4 table, the estimator's parameter file, the
///   cost folder and the notebook folder (whole folders, hidden files included: more than the analysis reads,
///   so that nothing it reads is missed);
/// - the command's options (but `--opnieuw`), the working directory and the program itself (path, size and
///   modification time).
///
/// The output folder keeps the key, the text the analysis printed and the sha256 of every file the run wrote
/// (`.grensverkeer-run`). A run may skip only when the key is the same, the folder holds exactly those files
/// with those hashes, and, when the run writes the analyst layer, the store's layer was written by a run with
/// the same key. Anything else, or `--opnieuw`, computes everything again.
struct RunKey: Equatable {
    static let manifestName = ".grensverkeer-run"
    /// Raised when what goes into the key changes, so that no folder made under the old rule is taken as current.
    static let format = "grensverkeer-run-1"

    let value: String

    init(_ args: Arguments, settings: AnalysisSettings, notebooks: String?, store: Database) throws {
        var text = Self.format + "\n"
        text += "[store]\n" + (try Facts.storeFingerprint(store)) + "\n"
        text += "[referentie]\n" + Self.digest(args.value("referentie") ?? Defaults.reference)
        text += "[pc4-tabel]\n" + (args.value("pc4-tabel").map(Self.digest) ?? "geen\n")
        text += "[schatter]\n" + Self.digest(settings.estimatorPath)
        text += "[kosten]\n" + (settings.costFolder.map(Self.digest) ?? "geen\n")
        text += "[notitieboeken]\n" + (notebooks.map(Self.digest) ?? "geen\n")
        text += "[opties]\n"
        for name in args.options.keys.sorted() { text += "--\(name)\t" + args.values(name).joined(separator: "\t") + "\n" }
        // `--opnieuw` decides whether to compute, not what comes out: a forced run leaves the key a normal run has.
        for flag in args.flags.sorted() where flag != "opnieuw" { text += "--\(flag)\n" }
        text += "[map]\n" + FileManager.default.currentDirectoryPath + "\n"
        text += "[programma]\n" + Program.identity + "\n"
        value = sha256Hex(Array(text.utf8))
    }

    /// A file's sha256, or every entry below a folder with its type and sha256 (sorted by path); `ontbreekt` when
    /// there is nothing at `path`.
    static func digest(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "ontbreekt \(path)\n" }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return "bestand \(path) \(fileHash(path))\n" }
        var text = "map \(path)\n"
        let names = (FileManager.default.subpaths(atPath: path) ?? []).sorted()
        for name in names {
            let full = path + "/" + name
            var entry = stat()
            guard lstat(full, &entry) == 0 else { text += "\(name) weg\n"; continue }
            switch entry.st_mode & S_IFMT {
            case S_IFDIR: text += "\(name)/\n"
            case S_IFREG: text += "\(name) \(fileHash(full))\n"
            case S_IFLNK: text += "\(name) -> \((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "?") \(fileHash(full))\n"
            default: text += "\(name) anders \(entry.st_mode)\n"
            }
        }
        return text
    }

    static func fileHash(_ path: String) -> String {
        FileManager.default.contents(atPath: path).map { sha256Hex([UInt8]($0)) } ?? "onleesbaar"
    }
}

/// What `run` leaves in its output folder besides the pages: the key, the analysis's own report and every file.
struct RunManifest: Codable, Equatable {
    var key: String
    /// What the analysis, the notebooks and the dashboard stage printed, given again when the run skips them.
    var report: String
    /// The run wrote the analyst layer (it had notebooks): a skipping run then also needs that layer.
    var analystLayer: Bool
    /// Relative path → sha256 of every file the run wrote, the marker included.
    var files: [String: String]

    init(key: RunKey, report: String, analystLayer: Bool, files: [(path: String, text: String)]) {
        self.key = key.value
        self.report = report
        self.analystLayer = analystLayer
        var hashes = [OutputFolder.marker: sha256Hex(Array(OutputFolder.markerText.utf8))]
        for file in files { hashes[file.path] = sha256Hex(Array(file.text.utf8)) }
        self.files = hashes
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    /// The manifest of `folder` when the folder is exactly what it lists: the same files, nothing more, nothing
    /// changed. Nil for a folder of another kind, a missing or unreadable manifest, or any difference.
    static func intact(_ folder: String) -> RunManifest? {
        guard let data = FileManager.default.contents(atPath: folder + "/" + RunKey.manifestName),
              let manifest = try? JSONDecoder().decode(RunManifest.self, from: data) else { return nil }
        var seen: Set<String> = []
        for name in FileManager.default.subpaths(atPath: folder) ?? [] where name != RunKey.manifestName {
            var st = stat()
            guard lstat(folder + "/" + name, &st) == 0 else { return nil }
            switch st.st_mode & S_IFMT {
            case S_IFDIR: continue
            case S_IFREG:
                guard let expected = manifest.files[name], RunKey.fileHash(folder + "/" + name) == expected else { return nil }
                seen.insert(name)
            default: return nil
            }
        }
        return seen == Set(manifest.files.keys) ? manifest : nil
    }
}
