import Testing
@testable import GrensCore

/// Reads every record of `text` as strings, with the line each record starts on.
private func records(_ text: String, delimiter: UInt8? = nil) throws -> [(line: Int, fields: [String])] {
    var reader = CSVReader(bytes: Array(text.utf8), file: "t.csv", delimiter: delimiter)
    var out: [(Int, [String])] = []
    while try reader.next() {
        out.append((reader.recordLine, (0..<reader.fields.count).map { reader.string($0) }))
    }
    return out
}

@Suite("CSVReader")
struct CSVReaderTests {
    @Test("delimiter detection picks the most frequent of ; , tab in the header, outside quotes")
    func detectDelimiter() {
        #expect(CSVReader.detectDelimiter(Array("a;b;c\n1,2,3,4,5\n".utf8)) == UInt8(ascii: ";"))
        #expect(CSVReader.detectDelimiter(Array("a,b,c\n1;2;3;4;5\n".utf8)) == UInt8(ascii: ","))
        #expect(CSVReader.detectDelimiter(Array("a\tb\tc\n".utf8)) == 0x09)
        // Commas inside quotes do not count: two semicolons beat five quoted commas.
        #expect(CSVReader.detectDelimiter(Array("\"a,b,c,d,e,f\";x;y\n".utf8)) == UInt8(ascii: ";"))
        // A single column: no delimiter seen, `;` is the default.
        #expect(CSVReader.detectDelimiter(Array("PEILDATUM\n20241001\n".utf8)) == UInt8(ascii: ";"))
        #expect(CSVReader.detectDelimiter([]) == UInt8(ascii: ";"))
    }

    @Test("quoted, unquoted and mixed fields; doubled quotes are undone")
    func quoting() throws {
        let r = try records("\"a\";b;\"c \"\"d\"\" e\";12;\"\"\n")
        #expect(r.count == 1)
        #expect(r[0].fields == ["a", "b", "c \"d\" e", "12", ""])
    }

    @Test("a delimiter and a line break inside quotes belong to the field; line numbers keep counting")
    func embeddedDelimiterAndNewline() throws {
        let r = try records("h1;h2;h3\n\"x;y\";\"two\nlines\";z\nlast;1;2\n")
        #expect(r.map(\.fields) == [["h1", "h2", "h3"], ["x;y", "two\nlines", "z"], ["last", "1", "2"]])
        #expect(r.map(\.line) == [1, 2, 4])
    }

    @Test("CRLF and LF give the same records and the same line numbers")
    func lineEnds() throws {
        let lf = try records("a;b\n1;2\n3;4\n")
        let crlf = try records("a;b\r\n1;2\r\n3;4\r\n")
        #expect(lf.map(\.fields) == crlf.map(\.fields))
        #expect(lf.map(\.line) == [1, 2, 3])
        #expect(crlf.map(\.line) == [1, 2, 3])
    }

    @Test("blank lines are skipped, also trailing ones, without losing the line count")
    func blankLines() throws {
        let r = try records("a;b\n\n1;2\r\n\r\n\n3;4\n\n\n")
        #expect(r.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(r.map(\.line) == [1, 3, 6])
    }

    @Test("the last record needs no line end; an empty last field is kept")
    func noFinalNewline() throws {
        let r = try records("a;b\n1;")
        #expect(r.map(\.fields) == [["a", "b"], ["1", ""]])
    }

    @Test("spaces between a closing quote and the delimiter are tolerated")
    func spacesAfterQuote() throws {
        let r = try records("\"a\"  ;\"b\" \n")
        #expect(r.map(\.fields) == [["a", "b"]])
    }

    @Test("an explicit delimiter overrides detection")
    func explicitDelimiter() throws {
        let r = try records("a,b;c\n", delimiter: UInt8(ascii: ","))
        #expect(r.map(\.fields) == [["a", "b;c"]])
    }

    @Test("an unclosed quote is refused at the record's line and field")
    func unclosedQuote() throws {
        let error = try #require(throws: InputError.self) { try records("a;b\n1;\"open\n2;3\n") }
        #expect(error.file == "t.csv")
        #expect(error.line == 2)
        #expect(error.column == "2")
        #expect(error.message.contains("aanhalingsteken wordt niet gesloten"))
    }

    @Test("text after a closing quote is refused")
    func textAfterQuote() throws {
        let error = try #require(throws: InputError.self) { try records("a;b\n\"x\"y;2\n") }
        #expect(error.line == 2)
        #expect(error.column == "1")
        #expect(error.message.contains("tekst na het afsluitende aanhalingsteken"))
    }
}

@Suite("CSVReader: lone CR line ends")
struct CSVReaderCRTests {
    @Test("records split on a lone CR (old Mac line ends)")
    func loneCR() throws {
        let r = try records("a;b\r1;2\r3;4\r")
        #expect(r.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
    }

    /// A lone CR ends a line too, so errors in CR-only files point at the right line.
    @Test("a lone CR also counts as a new line for error positions")
    func loneCRLineNumbers() throws {
        let r = try records("a;b\r1;2\r\r3;4\r")
        #expect(r.map(\.line) == [1, 2, 4])
    }
}

@Suite("CSVReader: stray quotes")
struct CSVReaderStrayQuoteTests {
    @Test("a quote inside an unquoted field is refused with its line and column")
    func strayQuote() throws {
        let error = try #require(throws: InputError.self) { try records("a;b;c\n1;Friesland\";3\n") }
        #expect(error.file == "t.csv")
        #expect(error.line == 2)
        #expect(error.column == "2")
        #expect(error.message.contains("onverwacht aanhalingsteken in een veld zonder aanhalingstekens"))
        // After a multi-line quoted field the physical line is named.
        let later = try #require(throws: InputError.self) { try records("a;b\n\"x\ny\";2\"\n") }
        #expect(later.line == 3)
        #expect(later.column == "2")
    }

    @Test("quotes that open a field stay legal; a quote at the start of an unquoted field is a quoted field")
    func legalQuotes() throws {
        let r = try records("a;b\n\"say \"\"hi\"\"\";2\n")
        #expect(r[1].fields == ["say \"hi\"", "2"])
    }
}
