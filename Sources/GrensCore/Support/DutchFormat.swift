/// Dutch number formatting done here, not by the platform locale: `1.234,5`, `12,3%`, `€ 1.234,56`.
/// Deterministic on every machine, so golden files and yearly diffs stay meaningful.
public enum DutchFormat {
    /// An integer with thousands dots: `1.234.567`, `-12`.
    public static func integer(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(".") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// A decimal number with `decimals` places, rounded half away from zero: `1.234,5`.
    public static func decimal(_ x: Double, decimals: Int) -> String {
        precondition(decimals >= 0 && decimals <= 6)
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * Double(scale)).rounded(.toNearestOrAwayFromZero)
        let whole = Int(scaled) / scale
        let fraction = Int(scaled) % scale
        let negative = x < 0 && scaled != 0
        var out = (negative ? "-" : "") + integer(whole)
        if decimals > 0 {
            let f = String(fraction)
            out += "," + String(repeating: "0", count: decimals - f.count) + f
        }
        return out
    }

    /// A share in [0, 1] as a percentage with one decimal: `12,3%`.
    public static func percent(_ share: Double, decimals: Int = 1) -> String {
        decimal(share * 100, decimals: decimals) + "%"
    }

    /// An amount in cents as euros: `€ 1.234,56`, `-€ 5,00`.
    public static func euro(cents: Int) -> String {
        let whole = integer(Int(cents.magnitude / 100))
        let rest = Int(cents.magnitude % 100)
        return (cents < 0 ? "-€ " : "€ ") + whole + "," + pad2(rest)
    }
}
