import GrensCore

/// Small-count disclosure control for everything published: no number from 1 to 4 is ever shown.
/// A count whose value could be 1–4 is shown as `<5`; a bound or estimate from 1 to 4 is shown as `<5` too.
/// Totals are computed from the same masked cells, so a hidden value cannot be recovered by subtraction
/// (see README, "Onthulling").
public enum Publish {
    /// One integer for publication: 0, `<5` or the Dutch-formatted number.
    public static func integer(_ n: Int) -> String {
        (1...4).contains(abs(n)) ? (n > 0 ? "<5" : "-<5") : DutchFormat.integer(n)
    }

    /// An estimate for publication, rounded to a whole pupil.
    public static func estimate(_ x: Double) -> String {
        integer(Int(x.rounded(.toNearestOrAwayFromZero)))
    }

    /// The headline of a count: `0`, `<5`, an exact `37`, or the estimate with `≈` when the bounds differ. An
    /// estimate that rounds to 1–4 is `<5` too (never `≈<5`: `<5` already says the number is not known exactly).
    public static func count(_ q: Quantity) -> String {
        if q.max == 0 { return "0" }
        if q.max <= 4 { return "<5" }
        if q.isExact { return integer(q.min) }
        let n = Int(q.estimate.rounded(.toNearestOrAwayFromZero))
        return (1...4).contains(n) ? "<5" : "≈" + integer(n)
    }

    /// Bounds as a plain range for terminal output: `<5`, `37`, `12–18`, `<5–9`. The dashboard writes bounds in
    /// words instead (`zeker tussen 12 en 18`).
    public static func range(_ q: Quantity) -> String {
        if q.max == 0 { return "0" }
        if q.max <= 4 { return "<5" }
        if q.isExact { return integer(q.min) }
        return integer(q.min) + "–" + integer(q.max)
    }

    /// A signed whole number of a change or a balance, as the dashboard shows it: `+12`, `−12` (minus sign),
    /// `0`, and a magnitude from 1 to 4 as `<5 meer` or `<5 minder`. Not `+<5` / `−<5`: `−<5` reads as "below −5",
    /// the opposite of what it means; with the direction in words `<5` stays the one notation for a small number.
    public static func signed(_ n: Int) -> String {
        if n == 0 { return "0" }
        if (1...4).contains(abs(n)) { return n > 0 ? "<5 meer" : "<5 minder" }
        return (n > 0 ? "+" : "\u{2212}") + DutchFormat.integer(abs(n))
    }

    /// Text from the data (names of schools, gemeenten, files; notes) as every renderer publishes it: HTML,
    /// CSV, Markdown and JSON all pass their text through here. A bidirectional control character (U+061C,
    /// U+200E–U+200F, U+202A–U+202E, U+2066–U+2069) makes a name display in another order than it is stored
    /// ("School ‮exe.pdf" reads as "School fdp.exe"), so each one becomes U+FFFD. Replaced rather than removed:
    /// the reader sees that something was there, and two different names never become the same.
    public static func text(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: isBidiControl) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { isBidiControl($0) ? "\u{FFFD}" : $0 }))
    }

    static func isBidiControl(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Plain digits (no thousands dots: spreadsheet-friendly) but never 1–4.
    public static func csvInteger(_ n: Int) -> String { (1...4).contains(abs(n)) ? (n > 0 ? "<5" : "-<5") : String(n) }

    /// A decimal for CSV with a decimal comma: `12,3`.
    public static func csvDecimal(_ x: Double, decimals: Int = 1) -> String {
        DutchFormat.decimal(x, decimals: decimals).replacingOccurrences(of: ".", with: "")
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
