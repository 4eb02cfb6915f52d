import Foundation

/// The character encoding a file was found to be in. Detected once per file, never per field.
public enum TextEncoding: String, CaseIterable, Sendable, Codable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 met BOM"
    case windows1252 = "Windows-1252"
}

/// A file's bytes converted to UTF-8, with what was detected on the way.
public struct DecodedText: Sendable {
    public let bytes: [UInt8]
    public let encoding: TextEncoding
}

/// Converts raw file bytes to UTF-8 bytes.
///
/// Rules: a UTF-8 BOM means UTF-8 (and then every byte must be valid UTF-8); without a BOM, bytes that are
/// valid UTF-8 are UTF-8, anything else is read as Windows-1252 (a superset of Latin-1 for printable text),
/// which is what DUO's older files use. UTF-16 and binary content are refused: guessing there would turn
/// every field into garbage.
public func decodeText(_ raw: [UInt8], file: String) throws(InputError) -> DecodedText {
    if raw.count >= 2, (raw[0] == 0xFF && raw[1] == 0xFE) || (raw[0] == 0xFE && raw[1] == 0xFF) {
        throw InputError(file: file, line: 1, column: nil,
                         message: "het bestand is UTF-16; verwacht UTF-8 of Windows-1252 (sla het op als CSV UTF-8)")
    }
    if raw.count >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF {
        let body = Array(raw[3...])
        if let bad = firstInvalidUTF8(body) {
            throw InputError(file: file, line: lineNumber(of: bad, in: body), column: nil,
                             message: "het bestand begint met een UTF-8-BOM maar bevat ongeldige UTF-8 (byte 0x\(hex(body[bad]))); verwacht één codering per bestand")
        }
        try rejectNUL(body, file: file)
        return DecodedText(bytes: body, encoding: .utf8BOM)
    }
    try rejectNUL(raw, file: file)
    if firstInvalidUTF8(raw) == nil { return DecodedText(bytes: raw, encoding: .utf8) }
    return DecodedText(bytes: windows1252ToUTF8(raw), encoding: .windows1252)
}

private func rejectNUL(_ bytes: [UInt8], file: String) throws(InputError) {
    let nul = bytes.withUnsafeBufferPointer { b -> Int? in
        guard let base = b.baseAddress, let hit = memchr(base, 0, b.count) else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
    }
    if let index = nul {
        throw InputError(file: file, line: lineNumber(of: index, in: bytes), column: nil,
                         message: "het bestand bevat NUL-bytes (binair bestand of UTF-16?); verwacht tekst in UTF-8 of Windows-1252")
    }
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
}

func lineNumber(of offset: Int, in bytes: [UInt8]) -> Int {
    var line = 1
    for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A { line += 1 }
    return line
}

/// The offset of the first byte that breaks UTF-8, or nil when the whole buffer is valid.
func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    bytes.withUnsafeBufferPointer { buffer -> Int? in
        var i = 0
        let n = buffer.count
        while i < n {
            // Eight ASCII bytes at a time (no byte with its top bit set); the word is read unaligned.
            if i + 8 <= n, UnsafeRawPointer(buffer.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let b = buffer[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            let minimum: UInt32
            if b & 0xE0 == 0xC0 { length = 2; minimum = 0x80 }
            else if b & 0xF0 == 0xE0 { length = 3; minimum = 0x800 }
            else if b & 0xF8 == 0xF0 { length = 4; minimum = 0x10000 }
            else { return i }
            if i + length > n { return i }
            var scalar = UInt32(b) & (0xFF >> (length + 1))
            for k in 1..<length {
                let c = buffer[i + k]
                if c & 0xC0 != 0x80 { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += length
        }
        return nil
    }
}

/// Windows-1252 code points for bytes 0x80–0x9F; the five undefined bytes map to their C1 control (as Latin-1).
private let cp1252High: [UInt32] = [
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
]

func windows1252ToUTF8(_ raw: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(raw.count + raw.count / 16)
    for b in raw {
        if b < 0x80 { out.append(b); continue }
        let scalar: UInt32 = b < 0xA0 ? cp1252High[Int(b - 0x80)] : UInt32(b)
        if scalar < 0x800 {
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        } else {
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
    return out
}
