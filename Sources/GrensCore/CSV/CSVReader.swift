import Foundation

/// A byte-level CSV reader for government exports: `;`, `,` or tab; quoted, unquoted and mixed fields;
/// doubled quotes inside quoted fields (a quote anywhere else is an error); CRLF or LF; trailing blank lines.
/// It works on UTF-8 bytes (see `decodeText`) and hands out fields as byte ranges, so the hot path builds no Strings.
public struct CSVReader {
    public let bytes: [UInt8]
    public let delimiter: UInt8
    public let file: String
    private var position = 0
    private var line = 1

    /// The fields of the current record: byte ranges into `bytes`, with a flag for doubled quotes inside.
    public private(set) var fields: [CSVField] = []
    /// The physical line on which the current record starts.
    public private(set) var recordLine = 0

    public init(bytes: [UInt8], file: String, delimiter: UInt8? = nil) {
        self.bytes = bytes
        self.file = file
        self.delimiter = delimiter ?? CSVReader.detectDelimiter(bytes)
    }

    /// Picks the delimiter from the header line: the most frequent of `;`, `,` and tab outside quotes.
    public static func detectDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [0x3B: 0, 0x2C: 0, 0x09: 0]
        var quoted = false
        for b in bytes {
            if b == 0x22 { quoted.toggle(); continue }
            if !quoted && (b == 0x0A || b == 0x0D) { break }
            if !quoted, counts[b] != nil { counts[b]! += 1 }
        }
        let best = counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!
        return best.value == 0 ? 0x3B : best.key
    }

    /// Reads the next non-blank record into `fields`; false at the end of the input.
    public mutating func next() throws(InputError) -> Bool {
        let n = bytes.count
        // Skip blank lines (also trailing ones).
        while position < n, bytes[position] == 0x0A || bytes[position] == 0x0D {
            // LF, CRLF and a lone CR (old Mac files) each end one line.
            if bytes[position] == 0x0A || position + 1 == n || bytes[position + 1] != 0x0A { line += 1 }
            position += 1
        }
        guard position < n else { return false }
        recordLine = line
        fields.removeAll(keepingCapacity: true)
        let delimiter = self.delimiter
        try bytes.withUnsafeBufferPointer { (buffer) throws(InputError) in
            var i = position
            while true {
                if i < n, buffer[i] == 0x22 {
                    // Quoted field: runs to the closing quote; "" is an escaped quote.
                    let start = i + 1
                    var j = start
                    var escaped = false
                    var closed = false
                    while j < n {
                        let b = buffer[j]
                        if b == 0x22 {
                            if j + 1 < n, buffer[j + 1] == 0x22 { escaped = true; j += 2; continue }
                            closed = true
                            break
                        }
                        if b == 0x0A { line += 1 }
                        j += 1
                    }
                    if !closed {
                        throw InputError(file: file, line: recordLine, column: "\(fields.count + 1)",
                                         message: "aanhalingsteken wordt niet gesloten; verwacht een afsluitend \" in dit veld")
                    }
                    fields.append(CSVField(start: start, end: j, escaped: escaped))
                    i = j + 1
                    // Tolerate spaces between the closing quote and the delimiter; anything else is an error.
                    while i < n, buffer[i] == 0x20 { i += 1 }
                    if i < n, buffer[i] != delimiter, buffer[i] != 0x0A, buffer[i] != 0x0D {
                        throw InputError(file: file, line: line, column: "\(fields.count)",
                                         message: "tekst na het afsluitende aanhalingsteken; verwacht een scheidingsteken of regeleinde")
                    }
                } else {
                    let start = i
                    while i < n, buffer[i] != delimiter, buffer[i] != 0x0A, buffer[i] != 0x0D {
                        // A quote can only open a field: one further in (`Friesland"`) means the file is broken
                        // (a lost opening quote shifts every later field), so it is never stored as text.
                        if buffer[i] == 0x22 {
                            throw InputError(file: file, line: line, column: "\(fields.count + 1)",
                                             message: "onverwacht aanhalingsteken in een veld zonder aanhalingstekens; verwacht een veld dat met \" begint en eindigt, of geen \"")
                        }
                        i += 1
                    }
                    fields.append(CSVField(start: start, end: i, escaped: false))
                }
                if i < n, buffer[i] == delimiter { i += 1; continue }
                // End of record: CRLF, LF, lone CR or end of input.
                if i < n, buffer[i] == 0x0D {
                    i += 1
                    if i >= n || buffer[i] != 0x0A { line += 1 }
                }
                if i < n, buffer[i] == 0x0A { i += 1; line += 1 }
                break
            }
            position = i
        }
        return true
    }

    /// The text of a field without surrounding spaces (DUO pads codes such as ` 285` and `  10`).
    public func trimmedString(_ index: Int) -> String { CSVReader.string(bytes, fields[index].trimmed(in: bytes)) }

    /// The text of a field, with doubled quotes undone.
    public func string(_ index: Int) -> String { CSVReader.string(bytes, fields[index]) }

    static func string(_ bytes: [UInt8], _ field: CSVField) -> String {
        let slice = bytes[field.start..<field.end]
        if !field.escaped { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(slice.count)
        var i = field.start
        while i < field.end {
            out.append(bytes[i])
            i += (bytes[i] == 0x22 && i + 1 < field.end && bytes[i + 1] == 0x22) ? 2 : 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The trimmed text of fields record after record, keeping each column's last text: a field whose bytes are those
/// of the same column in the record before gets that String again, not a new one (DUO files repeat a school's
/// codes, name and place on each of its rows).
struct FieldTexts {
    private let bytes: [UInt8]
    private var last: [(start: Int, end: Int, text: String)]

    init(bytes: [UInt8], columns: Int) {
        self.bytes = bytes
        last = Array(repeating: (0, 0, ""), count: columns)
    }

    mutating func text(_ column: Int, _ field: CSVField) -> String {
        let trimmed = field.trimmed(in: bytes)
        let (start, end) = (trimmed.start, trimmed.end)
        let previous = last[column]
        let same = end - start == previous.end - previous.start && bytes.withUnsafeBufferPointer { b in
            memcmp(b.baseAddress! + start, b.baseAddress! + previous.start, end - start) == 0
        }
        if same { return previous.text }
        let text = CSVReader.string(bytes, trimmed)
        last[column] = (start, end, text)
        return text
    }
}

public struct CSVField: Sendable {
    public let start: Int
    public let end: Int
    /// True when the field contains doubled quotes that `string(_:)` must undo.
    public let escaped: Bool

    /// The field without its leading and trailing spaces.
    func trimmed(in bytes: [UInt8]) -> CSVField {
        var s = start, e = end
        while s < e, bytes[s] == 0x20 { s += 1 }
        while e > s, bytes[e - 1] == 0x20 { e -= 1 }
        return CSVField(start: s, end: e, escaped: escaped)
    }
}
