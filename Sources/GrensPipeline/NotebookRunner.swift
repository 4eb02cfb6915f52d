import Foundation
import GrensCore
import SQLiteWrap

/// Runs a notebook's SQL blocks on a guarded connection: read only, the analyst views only (unless the notebook
/// says `intern: ja`), a time limit and a row limit per block. One failing block does not stop the others; its
/// error names the notebook, the block's line and SQLite's (or the guard's) message.
public enum NotebookRunner {
    public static let secondsPerBlock = 10.0

    /// Opens its own read-only connection to the store: the guard stays on it and it is closed afterwards.
    public static func run(_ notebook: Notebook, storePath: String, slug: String, secondsPerBlock: Double = secondsPerBlock) throws -> NotebookRun {
        try run(notebook, db: Store.open(path: storePath, access: .read), slug: slug, secondsPerBlock: secondsPerBlock)
    }

    /// `db` must be a connection used for nothing else: the guard stays on it.
    static func run(_ notebook: Notebook, db: Database, slug: String, secondsPerBlock: Double) throws -> NotebookRun {
        let parameters = try resolve(notebook.parameters, db: db, file: notebook.file)
        let guardian = try db.guardReads(readable: notebook.intern ? nil : Set(AnalystLayer.views))
        var outcomes: [String: NotebookRun.Outcome] = [:]
        for query in notebook.queries {
            do {
                outcomes[query.name] = .table(try table(query, file: notebook.file, parameters: parameters, db: db, guardian: guardian,
                                                        seconds: secondsPerBlock))
            } catch let error as InputError {
                outcomes[query.name] = .failed(error)
            } catch let error as SQLiteError {
                let message: String
                if let refusal = guardian.refusal { message = "geweigerd: \(refusal)" }
                else if error.code & 0xFF == 9 { message = "afgebroken: het blok duurde langer dan \(DutchFormat.decimal(secondsPerBlock, decimals: 1)) seconden" }
                else { message = "SQLite: \(error.message)" }
                outcomes[query.name] = .failed(InputError(file: notebook.file, line: query.line, column: query.name, message: message))
            }
        }
        return NotebookRun(notebook: notebook, parameters: parameters, outcomes: outcomes, slug: slug)
    }

    static func table(_ query: Notebook.Query, file: String, parameters: [(key: String, value: String)], db: Database, guardian: ReadGuard,
                      seconds: Double) throws -> NotebookRun.Table {
        guardian.start(seconds: seconds)
        if let rest = try db.trailingStatement(query.sql) {
            throw InputError(file: file, line: query.line, column: query.name,
                             message: "het blok bevat meer dan één SQL-opdracht (daarna: '\(rest.trimmingCharacters(in: .whitespacesAndNewlines).prefix(40))'); verwacht één SELECT per blok")
        }
        let statement = try db.prepare(query.sql)
        for (index, name) in statement.parameterNames {
            guard let value = parameters.first(where: { ":" + $0.key == name || "$" + $0.key == name || "@" + $0.key == name })?.value else {
                throw InputError(file: file, line: query.line, column: query.name,
                                 message: "parameter \(name) staat niet in de kop van het notitieboek; verwacht bijvoorbeeld '\(name.dropFirst()): …'")
            }
            try statement.bind(.text(value), at: index)
        }
        let columns = (0..<statement.columnCount).map { statement.columnName($0) }
        var rows: [[NotebookRun.Value]] = []
        var truncated = false
        while try statement.step() {
            if rows.count == NotebookRun.rowLimit { truncated = true; break }
            rows.append((0..<statement.columnCount).map { i in
                switch statement.value(i) {
                case .null: return .null
                case .int(let v): return .integer(v)
                case .double(let v): return .real(v)
                case .text(let v): return .text(v)
                }
            })
        }
        return NotebookRun.Table(columns: columns, rows: rows, truncated: truncated)
    }

    /// `peildatum: laatste` (or `eerste`, `vorige`) becomes a date in the store; other values stay as written.
    static func resolve(_ parameters: [(key: String, value: String)], db: Database, file: String) throws -> [(key: String, value: String)] {
        let dates = try db.rows("SELECT DISTINCT peildatum FROM ana_school ORDER BY peildatum").compactMap { $0[0].text }
        return try parameters.map { p in
            guard p.key == "peildatum" else { return p }
            switch p.value.lowercased() {
            case "laatste": if let d = dates.last { return (p.key, d) }
            case "eerste": if let d = dates.first { return (p.key, d) }
            case "vorige": if dates.count >= 2 { return (p.key, dates[dates.count - 2]) }
            default:
                guard dates.contains(p.value) else {
                    throw InputError(file: file, line: nil, column: "peildatum",
                                     message: "peildatum '\(p.value)' staat niet in de database (aanwezig: \(dates.joined(separator: ", "))); verwacht laatste, vorige, eerste of een datum")
                }
                return p
            }
            throw InputError(file: file, line: nil, column: "peildatum", message: "de database heeft geen peildatum '\(p.value)'")
        }
    }
}
