import Testing
@testable import GrensCore

@Suite("decodeText")
struct TextDecodingTests {
    @Test("plain UTF-8 stays as it is")
    func utf8() throws {
        let raw = Array("Zoë;Súdwest-Fryslân\n".utf8)
        let text = try decodeText(raw, file: "x.csv")
        #expect(text.encoding == .utf8)
        #expect(text.bytes == raw)
    }

    @Test("a UTF-8 BOM is stripped and reported")
    func bom() throws {
        let text = try decodeText([0xEF, 0xBB, 0xBF] + Array("PEILDATUM;ë\n".utf8), file: "x.csv")
        #expect(text.encoding == .utf8BOM)
        #expect(String(decoding: text.bytes, as: UTF8.self) == "PEILDATUM;ë\n")
    }

    @Test("bytes that are not UTF-8 are read as Windows-1252, including 0x80–0x9F")
    func windows1252() throws {
        // ë ï ê é (Latin-1 range) and € ’ – Š (the cp1252-only range 0x80–0x9F).
        let raw: [UInt8] = [0x4E, 0x6F, 0xEB, 0x6C, 0x3B, 0xEF, 0xEA, 0xE9, 0x3B, 0x80, 0x92, 0x96, 0x8A, 0x0A]
        let text = try decodeText(raw, file: "x.csv")
        #expect(text.encoding == .windows1252)
        #expect(String(decoding: text.bytes, as: UTF8.self) == "Noël;ïêé;€’–Š\n")
    }

    @Test("the five bytes cp1252 leaves undefined map to their C1 control, never get dropped")
    func undefinedCp1252() throws {
        let text = try decodeText([0x81, 0x8D, 0x8F, 0x90, 0x9D], file: "x.csv")
        #expect(Array(String(decoding: text.bytes, as: UTF8.self).unicodeScalars.map(\.value)) == [0x81, 0x8D, 0x8F, 0x90, 0x9D])
    }

    @Test("UTF-16 (either byte order) is refused on line 1")
    func utf16() throws {
        for bom: [UInt8] in [[0xFF, 0xFE], [0xFE, 0xFF]] {
            let error = try #require(throws: InputError.self) { try decodeText(bom + [0x41, 0x00], file: "u.csv") }
            #expect(error.file == "u.csv")
            #expect(error.line == 1)
            #expect(error.column == nil)
            #expect(error.message.contains("UTF-16"))
        }
    }

    @Test("invalid UTF-8 after a BOM is refused with the line and the offending byte")
    func invalidAfterBOM() throws {
        let raw: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a;b\nc;d\nZo".utf8) + [0xEB] + Array("\n".utf8)
        let error = try #require(throws: InputError.self) { try decodeText(raw, file: "b.csv") }
        #expect(error.line == 3)
        #expect(error.message.contains("0xEB"))
        #expect(error.message.contains("UTF-8-BOM"))
    }

    @Test("NUL bytes are refused with their line")
    func nul() throws {
        let error = try #require(throws: InputError.self) { try decodeText(Array("a\nb\nc".utf8) + [0] + [0x0A], file: "n.csv") }
        #expect(error.line == 3)
        #expect(error.message.contains("NUL"))
    }

    @Test("UTF-8 validation: overlong forms, surrogates, truncated and out-of-range sequences are invalid")
    func utf8Validation() {
        #expect(firstInvalidUTF8(Array("abc €𝄞 ë".utf8)) == nil)
        #expect(firstInvalidUTF8([0x41, 0xC0, 0x80]) == 1)        // overlong NUL
        #expect(firstInvalidUTF8([0xE0, 0x80, 0x80]) == 0)        // overlong 3-byte
        #expect(firstInvalidUTF8([0xED, 0xA0, 0x80]) == 0)        // surrogate U+D800
        #expect(firstInvalidUTF8([0x41, 0x42, 0xE2, 0x82]) == 2)  // truncated €
        #expect(firstInvalidUTF8([0xF4, 0x90, 0x80, 0x80]) == 0)  // above U+10FFFF
        #expect(firstInvalidUTF8([0x80]) == 0)                    // lone continuation byte
        #expect(firstInvalidUTF8([0xC3, 0x41]) == 0)              // bad continuation
    }

    @Test("a bad byte or a NUL is found at its own offset wherever it falls among the words read eight bytes at a time")
    func everyOffset() throws {
        for length in [1, 7, 8, 9, 16, 23, 40] {
            for offset in 0..<length {
                var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                bytes[offset] = 0xFF
                #expect(firstInvalidUTF8(bytes) == offset, "length \(length), offset \(offset)")
                // A valid two-byte character across the boundary of a word is not an error.
                if offset + 1 < length {
                    (bytes[offset], bytes[offset + 1]) = (0xC3, 0xAB)
                    #expect(firstInvalidUTF8(bytes) == nil, "ë at \(offset) of \(length)")
                }
                bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                bytes[offset] = 0
                bytes.insert(contentsOf: Array("x\ny\n".utf8), at: 0)
                let error = try #require(throws: InputError.self) { try decodeText(bytes, file: "n.csv") }
                #expect(error.line == 3, "NUL at \(offset) of \(length)")
            }
        }
    }
}
