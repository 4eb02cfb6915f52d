/// CBS gemeente numbers are text with leading zeros (`0518`): never integers, never joined on names.
public enum GemeenteCode {
    /// `518`, ` 518` and `0518` all become `0518`; anything that is not 1–4 digits is nil. Read as bytes: every
    /// row of a file has one or two.
    public static func normalize(_ raw: String) -> String? {
        var copy = raw
        return copy.withUTF8 { bytes -> String? in
            let (s, e) = trimmedSpaces(bytes)
            guard (1...4).contains(e - s), allDigits(bytes, s, e) else { return nil }
            if e - s == 4 && s == 0 && e == bytes.count { return raw }
            var out: [UInt8] = [0x30, 0x30, 0x30, 0x30]
            for i in 0..<(e - s) { out[4 - (e - s) + i] = bytes[s + i] }
            return String(decoding: out, as: UTF8.self)
        }
    }
}

/// A 4-digit Dutch postcode area (1000–9999).
public enum PC4 {
    public static func normalize(_ raw: String) -> String? {
        var copy = raw
        return copy.withUTF8 { bytes -> String? in
            let (s, e) = trimmedSpaces(bytes)
            guard e - s == 4, allDigits(bytes, s, e), bytes[s] != 0x30 else { return nil }
            return s == 0 && e == bytes.count ? raw : String(decoding: UnsafeBufferPointer(rebasing: bytes[s..<e]), as: UTF8.self)
        }
    }
}

/// The range of `bytes` without leading and trailing spaces.
func trimmedSpaces(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
    var s = 0, e = bytes.count
    while s < e, bytes[s] == 0x20 { s += 1 }
    while e > s, bytes[e - 1] == 0x20 { e -= 1 }
    return (s, e)
}

func allDigits(_ bytes: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
    var i = s
    while i < e { guard bytes[i] &- 0x30 < 10 else { return false }; i += 1 }
    return true
}

/// DUO's count date (1 October of the school year's first calendar year), kept as a calendar date.
public struct Peildatum: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        let days = [31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1990...2100).contains(year), (1...12).contains(month), (1...days[month - 1]).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// DUO's `20241001`.
    public init?(duo: String) {
        var text = duo
        guard let n = text.withUTF8({ bytes -> Int? in
            guard bytes.count == 8, allDigits(bytes, 0, 8) else { return nil }
            return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }) else { return nil }
        self.init(year: n / 10000, month: n / 100 % 100, day: n % 100)
    }

    /// ISO `2024-10-01`.
    public init?(iso: String) {
        let parts = iso.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var description: String { iso }
    public var iso: String { "\(year)-\(pad2(month))-\(pad2(day))" }
    /// The school year label, e.g. `2024-2025` for peildatum 2024-10-01.
    public var schoolYear: String { month >= 8 ? "\(year)-\(year + 1)" : "\(year - 1)-\(year)" }

    public static func < (a: Peildatum, b: Peildatum) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Peildatum(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "geen datum: \(text)"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
