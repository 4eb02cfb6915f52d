import GrensCore

/// All refusals of one run: nothing was written.
public struct IngestFailure: Error, CustomStringConvertible {
    public let errors: [InputError]
    public var description: String {
        "Inlezen geweigerd, de database is niet gewijzigd (\(errors.count) \(errors.count == 1 ? "fout" : "fouten")):\n"
            + errors.map { "- \($0)" }.joined(separator: "\n")
    }
}

public struct UnresolvedHome: Sendable, Equatable {
    public let peildatum: String
    public let name: String
    public let pc4s: [String]
    public let rows: Int
}

public struct IngestReport: Sendable {
    public enum Outcome: Sendable, Equatable {
        case added(rows: Int)
        case replaced(rows: Int, previous: [String])
        case unchanged
        case empty
    }
    public struct FileLine: Sendable {
        public let name: String
        public let outcome: Outcome
        public let dataset: Dataset?
        public let layout: String?
        public let encoding: TextEncoding?
        public let peildatum: Peildatum?
    }
    public var files: [FileLine] = []
    /// The stored files this run took out, with what the store lost by it.
    public var replacedFiles: [ReplacedFile] = []
    public var unresolvedHomes: [UnresolvedHome] = []
    public var unknownSchoolGemeenten: [String] = []
    public var pseudoHomes: [String: Int] = [:]
    /// What the run changed per dataset × peildatum (also stored, see `Changes`).
    public var changes: [PartChange] = []

    public var rowsAdded: Int {
        files.reduce(0) {
            switch $1.outcome {
            case .added(let n), .replaced(let n, _): return $0 + n
            default: return $0
            }
        }
    }
    public func count(_ match: (Outcome) -> Bool) -> Int { files.filter { match($0.outcome) }.count }
}

/// A stored file that a run replaced. Its rows are gone; its metadata stays in `source_file_history`.
public struct ReplacedFile: Sendable, Equatable {
    public let name: String
    public let sha256: String
    public let dataset: Dataset
    public let peildatum: Peildatum
    /// The school gemeenten it covered.
    public let scope: [String]
    public let rows: Int
    /// The files of the run that replaced it.
    public let replacedBy: [String]
    /// School gemeenten of `scope` that no file of the run covers: they have no data for this dataset and
    /// peildatum any more (only possible with `replacePartial`).
    public let lostScope: [String]

    public init(name: String, sha256: String, dataset: Dataset, peildatum: Peildatum, scope: [String], rows: Int,
                replacedBy: [String], lostScope: [String]) {
        self.name = name
        self.sha256 = sha256
        self.dataset = dataset
        self.peildatum = peildatum
        self.scope = scope
        self.rows = rows
        self.replacedBy = replacedBy
        self.lostScope = lostScope
    }

    /// The report's line: which file went out, by which files, and which school gemeenten lost their data.
    public var summary: String {
        var text = "\(name) (sha256 \(sha256.prefix(12))…, \(schoolGemeenten(scope)), \(rows) regels) vervangen door \(replacedBy.joined(separator: ", "))"
        if !lostScope.isEmpty {
            text += "; \(schoolGemeenten(lostScope)) \(lostScope.count == 1 ? "heeft" : "hebben") nu geen gegevens voor \(dataset.title), peildatum \(peildatum)"
        }
        return text
    }
}

/// "schoolgemeente 0503" or "schoolgemeenten 0503, 0603".
func schoolGemeenten(_ codes: [String]) -> String {
    (codes.count == 1 ? "schoolgemeente " : "schoolgemeenten ") + codes.joined(separator: ", ")
}

/// What `ingest_log` records for a file (the store's CHECK lists exactly these).
enum IngestLogLevel: String, CaseIterable {
    case info, warning = "waarschuwing", replaced = "vervangen", unchanged = "ongewijzigd"
}
