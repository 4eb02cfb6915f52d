import GrensCore
import SQLiteWrap

/// Reads what the analysis needs from the store: flow rows (joined to their resolved homes), school margins
/// and the provenance of every file.
public enum Facts {
    /// Flow rows of all peildata (or the given ones), in a fixed order.
    ///
    /// `publicationMasking`: rows from unmasked years are masked the way DUO masks now (every exact 1…4 cell
    /// becomes `<5`), so published figures of every year follow the same disclosure rule. `truth` receives the
    /// true cell values of each row when requested (for learning and measuring the estimator).
    public static func flowRows(_ db: Database, peildata: [Peildatum]? = nil, publicationMasking: Bool = true,
                                truth: UnsafeMutablePointer<[[Int]]>? = nil) throws -> [FlowRow] {
        var sql = """
            SELECT r.peildatum, r.soort, r.school_id, r.school_name, r.school_gemeente, r.school_pc4,
                   coalesce(h.home_code, '\(unresolvedHome)'), r.home_pc4, r.n_exact, r.masked_bits, r.cells, r.n_masked
            FROM raw_count r
            JOIN stg_home h ON h.peildatum = r.peildatum AND h.home_pc4 = r.home_pc4 AND h.home_name = r.home_name
                           AND h.home_code_given = r.home_code_given
            WHERE r.dataset IN ('po_postcode', 'vo_postcode')
            """
        if let peildata { sql += " AND r.peildatum IN (" + peildata.map { "'\($0.iso)'" }.joined(separator: ",") + ")" }
        sql += " ORDER BY r.peildatum, r.school_id, r.soort, r.home_pc4, r.file_id, r.line"
        let statement = try db.prepare(sql)
        var rows: [FlowRow] = []
        var dates: [String: Peildatum] = [:]
        while try statement.step() {
            let dateText = statement.text(0)
            let date = dates[dateText] ?? Peildatum(iso: dateText)!
            dates[dateText] = date
            var exact = statement.int(8)
            var bits = statement.int(9)
            let needsCells = truth != nil || (publicationMasking && statement.int(11) == 0)
            if needsCells {
                let values = statement.text(10).split(separator: ";").map { Int($0) ?? -1 }
                if publicationMasking {
                    exact = 0
                    bits = 0
                    for (i, v) in values.enumerated() {
                        if v == -1 || (1...4).contains(v) { bits |= 1 << i } else { exact += v }
                    }
                }
                truth?.pointee.append(values)
            }
            rows.append(FlowRow(peildatum: date, soort: statement.text(1), schoolID: statement.text(2), schoolName: statement.text(3),
                                schoolGemeente: statement.text(4), schoolPC4: statement.isNull(5) ? nil : statement.text(5),
                                homeCode: statement.text(6), homePC4: statement.text(7), exact: exact, maskedBits: bits))
        }
        return rows
    }

    /// Exact school totals from the school-side datasets (rows without `<5` only).
    public static func margins(_ db: Database) throws -> [SchoolMargin] {
        try db.rows("""
            SELECT peildatum, school_id, soort, sum(n_exact) FROM raw_count
            WHERE dataset IN ('po_vestiging', 'vo_vestiging')
            GROUP BY peildatum, school_id, soort HAVING sum(n_masked) = 0
            ORDER BY peildatum, school_id, soort
            """).map { SchoolMargin(peildatum: Peildatum(iso: $0[0].text!)!, schoolID: $0[1].text!, soort: $0[2].text!, total: $0[3].int!) }
    }

    public static func sources(_ db: Database) throws -> [Report.Source] {
        try db.rows("SELECT name, sha256, dataset, layout, encoding, peildatum, rows, synthetic FROM source_file ORDER BY peildatum, dataset, name")
            .map { Report.Source(name: $0[0].text!, sha256: $0[1].text!, dataset: $0[2].text!, layout: $0[3].text!, encoding: $0[4].text!,
                                 peildatum: Peildatum(iso: $0[5].text!)!, rows: $0[6].int!, synthetic: $0[7].int! == 1) }
    }
}

extension Facts {
    /// Rows of an unmasked peildatum with their true cell values and the school's province.
    /// Refuses a peildatum whose files contain `<5`: there is no truth to learn from.
    public static func truthRows(_ db: Database, peildatum: Peildatum) throws -> [Accuracy.TruthRow] {
        let masked = try db.scalar("SELECT coalesce(sum(n_masked), 0) FROM raw_count WHERE dataset = 'po_postcode' AND peildatum = ?", [.text(peildatum.iso)])?.int ?? 0
        guard masked == 0 else {
            throw StoreError("peildatum \(peildatum) bevat \(masked) <5-cellen; leren en meten kan alleen op een onafgeschermd jaar (bijvoorbeeld 2017-10-01)")
        }
        var truth: [[Int]] = []
        let rows = try flowRows(db, peildata: [peildatum], publicationMasking: false, truth: &truth)
        guard !rows.isEmpty else { throw StoreError("geen po-stromen voor peildatum \(peildatum) in de database") }
        let provinces = try db.rows("""
            SELECT r.province FROM (
              SELECT r.peildatum, r.school_id, r.soort, r.home_pc4, r.file_id, r.line, r.school_province AS province
              FROM raw_count r
              JOIN stg_home h ON h.peildatum = r.peildatum AND h.home_pc4 = r.home_pc4 AND h.home_name = r.home_name
                             AND h.home_code_given = r.home_code_given
              WHERE r.dataset IN ('po_postcode', 'vo_postcode') AND r.peildatum = ?
            ) r ORDER BY r.peildatum, r.school_id, r.soort, r.home_pc4, r.file_id, r.line
            """, [.text(peildatum.iso)]).map { $0[0].text! }
        return zip(zip(rows, truth), provinces).map { Accuracy.TruthRow(row: $0.0, values: $0.1, province: $1) }
    }
}
