import GrensCore
import SQLiteWrap

/// Writes the rows of a parsed file into `raw_count`: the ingest's hot loop.
enum RawCount {
    static let insert = """
        INSERT INTO raw_count(file_id, line, school_gemeente, school_gemeente_name, school_id, school_name, school_pc4,
            school_place, school_province, soort, cluster, home_pc4, home_name, home_code_given, cells,
            masked_bits, n_exact, n_masked, n_min, n_max, total_given)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Binds every value directly (no array per row); `cells`: the rows' cells texts (made beside the writing).
    /// Every parameter is bound for every row, so the statement is only reset between rows.
    static func insert(_ p: ParsedFile, cells: Cells, fileID: Int64, statement: Statement) throws {
        precondition(cells.count == p.rows.count, "one cells text per row")
        for (i, row) in p.rows.enumerated() {
            let (exact, masked, maskedBits) = cells.sums[i]
            func int(_ value: Int?) -> SQLValue { value.map { .int(Int64($0)) } ?? .null }
            try statement.bind(.int(fileID), at: 1)
            try statement.bind(int(row.line), at: 2)
            try statement.bind(text: row.schoolGemeente, at: 3)
            try statement.bind(text: row.schoolGemeenteName, at: 4)
            try statement.bind(text: row.schoolID, at: 5)
            try statement.bind(text: row.schoolName, at: 6)
            try statement.bind(optionalText: row.schoolPC4, at: 7)
            try statement.bind(text: row.schoolPlace, at: 8)
            try statement.bind(text: row.province, at: 9)
            try statement.bind(text: row.soort.rawValue, at: 10)
            try statement.bind(optionalText: row.cluster, at: 11)
            try statement.bind(text: row.homePC4 ?? "", at: 12)
            try statement.bind(text: row.homeName ?? "", at: 13)
            try statement.bind(text: row.homeGemeente ?? "", at: 14)
            try cells.withText(i) { try statement.bind(utf8: $0, at: 15) }
            try statement.bind(int(maskedBits), at: 16)
            try statement.bind(int(exact), at: 17)
            try statement.bind(int(masked), at: 18)
            let pupils = cells.pupils(i)
            try statement.bind(int(pupils.min), at: 19)
            try statement.bind(int(pupils.max), at: 20)
            try statement.bind(int(row.total), at: 21)
            try statement.step()
            statement.reset()
        }
    }

    /// The `cells` text of every row of a file (`text(of:into:)`) in one buffer, with each row's sums: made on the
    /// parsing thread, read by the writer and the change report.
    struct Cells: Sendable {
        private var bytes: [UInt8] = []
        /// Row i's text is `bytes[ends[i - 1] ..< ends[i]]` (from 0 for the first row).
        private var ends: [Int] = []
        private(set) var sums: [(exact: Int, masked: Int, maskedBits: Int)] = []
        /// The bounds of every row together (the file's `n_min` and `n_max` summed).
        private(set) var total = Bounds.zero
        var count: Int { ends.count }

        init(_ rows: [SourceRow]) {
            bytes.reserveCapacity(rows.count * 48)
            ends.reserveCapacity(rows.count)
            sums.reserveCapacity(rows.count)
            var row: [UInt8] = []
            row.reserveCapacity(128)
            for r in rows {
                sums.append(RawCount.text(of: r.cells, into: &row))
                bytes.append(contentsOf: row)
                ends.append(bytes.count)
                total += pupils(sums.count - 1)
            }
        }

        func withText<T>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
            let start = i == 0 ? 0 : ends[i - 1]
            return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<ends[i]])) }
        }

        func text(_ i: Int) -> String { withText(i) { String(decoding: $0, as: UTF8.self) } }

        /// Row i's bounds: its cells summed, `<5` as 1–4 (`n_min`, `n_max`).
        func pupils(_ i: Int) -> Bounds { Bounds(min: sums[i].exact + sums[i].masked, max: sums[i].exact + 4 * sums[i].masked) }
    }

    /// The cells as `raw_count.cells` holds them (counts separated by `;`, `<5` as written) into `bytes` (emptied
    /// first), with the sum of the exact cells, the number of `<5` and which cells were `<5`. One pass (an index
    /// loop: `enumerated()` is slow in the debug build).
    static func text(of row: [Count], into bytes: inout [UInt8]) -> (exact: Int, masked: Int, maskedBits: Int) {
        bytes.removeAll(keepingCapacity: true)
        var exact = 0, masked = 0, maskedBits = 0, i = 0
        while i < row.count {
            if i > 0 { bytes.append(0x3B) }
            switch row[i] {
            case .exact(let n): exact += n; appendDigits(n, to: &bytes)
            case .masked: masked += 1; maskedBits |= 1 << i; bytes.append(0x3C); bytes.append(0x35)
            }
            i += 1
        }
        return (exact, masked, maskedBits)
    }

    static func appendDigits(_ n: Int, to bytes: inout [UInt8]) {
        if n >= 10 { appendDigits(n / 10, to: &bytes) }
        bytes.append(UInt8(0x30 + n % 10))
    }
}
