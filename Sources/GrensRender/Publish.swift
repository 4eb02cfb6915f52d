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

    /// The usual single-cell display: `0`, `<5`, an exact `37`, or the estimate with `≈` when bounds differ.
    public static func count(_ q: Quantity) -> String {
        if q.max == 0 { return "0" }
        if q.max <= 4 { return "<5" }
        if q.isExact { return integer(q.min) }
        return "≈" + estimate(q.estimate)
    }

    /// Bounds as a range: `<5`, `37`, `12–18`, `<5–9`.
    public static func range(_ q: Quantity) -> String {
        if q.max == 0 { return "0" }
        if q.max <= 4 { return "<5" }
        if q.isExact { return integer(q.min) }
        return integer(q.min) + "–" + integer(q.max)
    }

    /// A share as `12,3%` with its bounds `(11,0–14,2%)` when they differ by at least 0,1 point.
    public static func share(_ s: Share?) -> String {
        guard let s else { return "–" }
        let e = DutchFormat.percent(s.estimate)
        let lo = DutchFormat.percent(s.min), hi = DutchFormat.percent(s.max)
        return lo == hi ? e : "\(e) (\(lo.dropLast())–\(hi))"
    }

    /// A change of a count: `+12`, `-3` hidden as `<5` in magnitude, `0`.
    public static func change(_ c: Change) -> String {
        let n = Int(c.estimate.rounded(.toNearestOrAwayFromZero))
        if n == 0 { return "0" }
        if (1...4).contains(abs(n)) { return n > 0 ? "+<5" : "-<5" }
        return (n > 0 ? "+" : "") + DutchFormat.integer(n)
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
