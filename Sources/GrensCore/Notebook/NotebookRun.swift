/// A notebook after its SQL ran: per named block a result table or the error that stopped it. Renderers take
/// this value; they never see the database.
public struct NotebookRun: Sendable {
    /// Rows kept per block; a longer result is cut and says so.
    public static let rowLimit = 5_000

    public enum Value: Sendable, Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)
    }

    public struct Table: Sendable, Equatable {
        public let columns: [String]
        public let rows: [[Value]]
        /// True when the row limit cut the result.
        public let truncated: Bool

        public init(columns: [String], rows: [[Value]], truncated: Bool) {
            self.columns = columns
            self.rows = rows
            self.truncated = truncated
        }
    }

    public enum Outcome: Sendable, Equatable {
        case table(Table)
        case failed(InputError)
    }

    public let notebook: Notebook
    /// The front matter parameters as bound (`laatste` resolved to a peildatum).
    public let parameters: [(key: String, value: String)]
    public let outcomes: [String: Outcome]
    /// The page's file name in the site, e.g. `notitieboek-top-scholen.html`.
    public let slug: String

    public init(notebook: Notebook, parameters: [(key: String, value: String)], outcomes: [String: Outcome], slug: String) {
        self.notebook = notebook
        self.parameters = parameters
        self.outcomes = outcomes
        self.slug = slug
    }

    /// Whether a column of a block holds pupil counts (the default) and is therefore disclosure-controlled.
    public func isCount(_ column: String, in query: String) -> Bool {
        guard let q = notebook.queries.first(where: { $0.name == query }) else { return true }
        return !q.notCounts.contains(column.lowercased())
    }
}
