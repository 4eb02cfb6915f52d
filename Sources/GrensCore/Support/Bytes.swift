/// A compact binary form for results kept between runs (the analysis of a peildatum, `AnalysisCache`): integers
/// as zigzag varints, doubles by their bit pattern, texts once each (later uses name the first by number). Only
/// read back by the same program (the cache's key holds the program), so it carries no version of its own.
public struct ByteWriter {
    public private(set) var bytes: [UInt8] = []
    private var texts: [String: Int] = [:]

    public init() {}

    public mutating func int(_ value: Int) {
        var v = UInt64(bitPattern: Int64(value) << 1 ^ Int64(value) >> 63)
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func double(_ value: Double) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    /// A text: its number when it was written before, else the next number followed by its UTF-8 bytes.
    public mutating func string(_ value: String) {
        if let known = texts[value] {
            int(known)
            return
        }
        let number = texts.count
        texts[value] = number
        int(number)
        let utf8 = Array(value.utf8)
        int(utf8.count)
        bytes += utf8
    }

    public mutating func optionalString(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    public mutating func strings<S: Sequence>(_ values: S) where S.Element == String {
        let list = Array(values)
        int(list.count)
        for s in list { string(s) }
    }

    /// Bytes written elsewhere (their own texts), as they are.
    public mutating func blob(_ values: [UInt8]) {
        int(values.count)
        bytes += values
    }

    /// Fixed 4 bytes per value (draws are many and close together; a varint would save little and cost more).
    public mutating func int32s(_ values: [Int32]) {
        int(values.count)
        // Little-endian, whatever the machine; appended in one piece (the array grows as it needs to: reserving
        // room for each list exactly would copy the whole buffer every time).
        values.map { UInt32(bitPattern: $0).littleEndian }.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }
}

/// What does not read as the form `ByteWriter` writes: the caller treats the bytes as absent (and computes anew).
public struct ByteFormatError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Reads what a `ByteWriter` wrote, in the same order; every read is checked against the end of the bytes.
public struct ByteReader {
    private let bytes: [UInt8]
    private var at = 0
    private var texts: [String] = []

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var isAtEnd: Bool { at == bytes.count }

    public mutating func int() throws(ByteFormatError) -> Int {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard at < bytes.count, shift < 64 else { throw ByteFormatError("getal voorbij het einde op byte \(at)") }
            let b = bytes[at]
            at += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        return Int(Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1))
    }

    /// A count of elements still to come: never more than there are bytes left.
    public mutating func count() throws(ByteFormatError) -> Int {
        let n = try int()
        guard n >= 0, n <= bytes.count - at else { throw ByteFormatError("aantal \(n) past niet in de bytes op byte \(at)") }
        return n
    }

    public mutating func bool() throws(ByteFormatError) -> Bool {
        guard at < bytes.count, bytes[at] <= 1 else { throw ByteFormatError("geen waarheidswaarde op byte \(at)") }
        at += 1
        return bytes[at - 1] == 1
    }

    public mutating func double() throws(ByteFormatError) -> Double {
        guard bytes.count - at >= 8 else { throw ByteFormatError("getal voorbij het einde op byte \(at)") }
        var bits: UInt64 = 0
        for k in 0..<8 { bits |= UInt64(bytes[at + k]) << UInt64(8 * k) }
        at += 8
        return Double(bitPattern: bits)
    }

    public mutating func string() throws(ByteFormatError) -> String {
        let number = try int()
        if number >= 0 && number < texts.count { return texts[number] }
        guard number == texts.count else { throw ByteFormatError("tekst \(number) onbekend op byte \(at)") }
        let n = try count()
        let value = String(decoding: bytes[at..<at + n], as: UTF8.self)
        at += n
        texts.append(value)
        return value
    }

    public mutating func optionalString() throws(ByteFormatError) -> String? {
        try bool() ? try string() : nil
    }

    public mutating func strings() throws(ByteFormatError) -> [String] {
        let n = try count()
        var list: [String] = []
        list.reserveCapacity(n)
        for _ in 0..<n { list.append(try string()) }
        return list
    }

    public mutating func blob() throws(ByteFormatError) -> [UInt8] {
        let n = try count()
        defer { at += n }
        return Array(bytes[at..<at + n])
    }

    public mutating func int32s() throws(ByteFormatError) -> [Int32] {
        let n = try count()
        guard n <= (bytes.count - at) / 4 else { throw ByteFormatError("\(n) getallen passen niet in de bytes op byte \(at)") }
        var values = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            let k = at + 4 * i
            values[i] = Int32(bitPattern: UInt32(bytes[k]) | UInt32(bytes[k + 1]) << 8 | UInt32(bytes[k + 2]) << 16 | UInt32(bytes[k + 3]) << 24)
        }
        at += 4 * n
        return values
    }

    /// A value of a closed set by its raw text.
    public mutating func raw<T: RawRepresentable>(_: T.Type) throws(ByteFormatError) -> T where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else { throw ByteFormatError("'\(text)' is geen \(T.self)") }
        return value
    }
}
