import Testing
@testable import GrensCore

private let p2024 = Peildatum(year: 2024, month: 10, day: 1)!
private let p2017 = Peildatum(year: 2017, month: 10, day: 1)!

/// 23 cells, all `.exact(0)` except the given ones (index → count).
private func cells(_ set: [Int: Count]) -> [Count] {
    (0..<23).map { set[$0] ?? .exact(0) }
}

@Suite("parseSource: quirks that must parse")
struct SourceQuirkTests {
    @Test("bom_utf8.csv: BOM stripped, codes keep leading zeros, <5 is .masked, ë decoded")
    func bomUTF8() throws {
        let file = try Fixture.parse("bom_utf8.csv")
        #expect(file.encoding == .utf8BOM)
        #expect(file.layout.id == "po03-2024")
        #expect(file.layout.dataset == .poPostcode)
        #expect(file.peildatum == p2024)
        #expect(file.rows.count == 2)
        let first = file.rows[0]
        #expect(first.line == 2)
        #expect(first.schoolGemeente == "0503")
        #expect(first.schoolGemeenteName == "Delft")
        #expect(first.schoolID == "00PZ00")
        #expect(first.schoolPC4 == "2612")
        #expect(first.schoolPlace == "DELFT")
        #expect(first.soort == .bo)
        #expect(first.homePC4 == "2612")
        #expect(first.homeName == "Delft")
        #expect(first.homeGemeente == nil)
        #expect(first.total == nil)
        #expect(first.cells == cells([2: .exact(12), 3: .masked, 4: .exact(3)]))
        #expect(first.exactSum == 15)
        #expect(first.maskedCount == 1)
        #expect(first.maskedBits == 1 << 3)
        let second = file.rows[1]
        #expect(second.line == 3)
        #expect(second.schoolName == "Daltonschool Zoë")
        #expect(second.schoolID == "01AB01")
        #expect(second.soort == .sbo)
        #expect(second.homePC4 == "2495")
        #expect(second.homeName == "'s-Gravenhage")
        #expect(second.cells == cells([7: .masked]))
        #expect(file.scope == ["0503"])
    }

    @Test("crlf.csv and lf.csv parse to identical rows and line numbers")
    func lineEnds() throws {
        let lf = try Fixture.parse("lf.csv")
        let crlf = try Fixture.parse("crlf.csv")
        #expect(lf.rows.count == 3)
        #expect(lf.rows == crlf.rows)
        #expect(crlf.rows.map(\.line) == [2, 3, 4])
        let vso = crlf.rows[2]
        #expect(vso.soort == .vso)
        #expect(vso.cells == cells([0: .exact(1), 21: .exact(2), 22: .masked]))
        #expect(vso.maskedBits == 1 << 22)
    }

    @Test("mixed_quoting.csv: bare integers and a bare <5 among quoted fields; school postcode with a space")
    func mixedQuoting() throws {
        let file = try Fixture.parse("mixed_quoting.csv")
        #expect(file.peildatum == p2024)
        let row = try #require(file.rows.first)
        #expect(row.schoolGemeente == "0518")
        #expect(row.schoolGemeenteName == "'s-Gravenhage")
        #expect(row.schoolPC4 == "2511")
        #expect(row.schoolID == "12AB00")
        #expect(row.cells == cells([3: .exact(7), 4: .masked]))
    }

    @Test("doubled_quotes_in_name.csv: \"\" inside a quoted name, and a ; inside quotes is not a delimiter")
    func doubledQuotes() throws {
        let file = try Fixture.parse("doubled_quotes_in_name.csv")
        #expect(file.layout.id == "po03-oud")
        #expect(file.rows.map(\.schoolName) == ["Basisschool \"Kla4\"", "De \"Regenboog\"; locatie 2", "Plain Name"])
        #expect(file.rows.map(\.schoolID) == ["18HI00", "18HI01", "18HI02"])
        #expect(file.rows.map(\.total) == [1, 2, 2])
        #expect(file.rows.map(\.schoolGemeente) == ["0327", "0327", "0327"])
    }

    @Test("comma_delimiter.csv and tab_delimiter.csv: delimiter detected from the header")
    func otherDelimiters() throws {
        let comma = try Fixture.parse("comma_delimiter.csv")
        let tab = try Fixture.parse("tab_delimiter.csv")
        #expect(comma.encoding == .utf8)
        #expect(comma.rows.count == 1)
        #expect(comma.rows[0].schoolName == "Basisschool A, locatie B; noord")
        #expect(comma.rows[0].cells == cells([5: .exact(4)]))
        #expect(comma.rows == tab.rows)
    }

    @Test("trailing_blank_lines.csv: blank lines at the end (LF and CRLF) are ignored")
    func trailingBlankLines() throws {
        let file = try Fixture.parse("trailing_blank_lines.csv")
        #expect(file.rows.map(\.line) == [2, 3])
    }

    @Test("latin1_windows1252.csv: old layout, cp1252 bytes (0xEB ë, 0x80 €, 0x92 ’) decoded, TOTAAL kept")
    func windows1252() throws {
        let file = try Fixture.parse("latin1_windows1252.csv")
        #expect(file.encoding == .windows1252)
        #expect(file.layout.id == "po03-oud")
        #expect(file.peildatum == p2017)
        #expect(file.rows.map(\.schoolName) == ["Mozaïek Noëlle", "Pompeblêd €uro", "Sint Jozef’s school"])
        #expect(file.rows[1].homeName == "Súdwest-Fryslân")
        #expect(file.rows.map(\.total) == [3, 1, 3])
        #expect(file.rows.map(\.schoolGemeente) == ["0503", "0503", "0503"])
        #expect(file.rows.map(\.line) == [2, 3, 4])
        #expect(file.rows.allSatisfy { $0.maskedCount == 0 && $0.exactSum == $0.total })
    }

    @Test("pseudo_postcodes_padded.csv: `  10` … `  40` are kept as the pseudo-codes 10 … 40")
    func pseudoPostcodes() throws {
        let file = try Fixture.parse("pseudo_postcodes_padded.csv")
        #expect(file.rows.map(\.homePC4) == ["10", "20", "30", "40", "2611"])
        #expect(file.rows.map(\.homeName) == ["Belgie", "Duitsland", "ander land", "Onbekend", "Delft"])
    }

    @Test("unpadded_gemeentenummer.csv: 518, ' 518' and 7 become 0518, 0518, 0007")
    func unpaddedGemeente() throws {
        let file = try Fixture.parse("unpadded_gemeentenummer.csv")
        #expect(file.rows.map(\.schoolGemeente) == ["0518", "0518", "0007"])
        #expect(file.scope == ["0007", "0518"])
    }

    @Test("vo02_old_no_peildatum.csv: headers with spaces, home gemeente number, peildatum given by the caller")
    func vo02Old() throws {
        let given = Peildatum(year: 2019, month: 10, day: 1)!
        let file = try Fixture.parse("vo02_old_no_peildatum.csv", peildatum: given)
        #expect(file.layout.id == "vo02-oud")
        #expect(file.layout.dataset == .voPostcode)
        #expect(file.peildatum == given)
        #expect(file.rows.map(\.schoolID) == ["02DZ00", "02DZ00", "02DZ02"])
        #expect(file.rows.map(\.homeGemeente) == ["0503", "0603", "0518"])
        #expect(file.rows.map(\.homePC4) == ["2612", "2285", "2497"])
        #expect(file.rows.map(\.soort) == [.vo, .vo, .vo])
        #expect(file.rows.allSatisfy { $0.schoolPC4 == nil })
        #expect(file.rows[0].cells == [.exact(120), .exact(98), .exact(0), .exact(0), .exact(0), .exact(0)])
        #expect(file.rows[1].cells == [.exact(1), .exact(0), .exact(2), .exact(0), .exact(0), .exact(3)])
    }

    @Test("vo03_vavo.csv: bare AANTAL LEERLINGEN among quoted fields, full 6-character location code, <5")
    func vo03() throws {
        let given = Peildatum(year: 2025, month: 10, day: 1)!
        let file = try Fixture.parse("vo03_vavo.csv", peildatum: given)
        #expect(file.layout.id == "vo03-vavo")
        #expect(file.layout.dataset == .voVestiging)
        #expect(file.rows.map(\.schoolID) == ["02DZ00", "02DZ02", "25GJ03"])
        #expect(file.rows.map(\.cells) == [[.exact(1937)], [.exact(516)], [.masked]])
        #expect(file.rows.map(\.schoolGemeente) == ["0503", "0503", "0603"])
        #expect(file.rows[2].schoolName == "Lyceum \"De Grens\"")
        #expect(file.rows.allSatisfy { $0.homePC4 == nil && $0.homeName == nil && $0.soort == .vo })
    }

    @Test("empty.csv (0 bytes) is not an error: nil, for the caller to warn about")
    func empty() throws {
        #expect(try parseSource(bytes: Fixture.bytes("empty.csv"), file: "empty.csv") == nil)
        // Only blank lines counts as empty too.
        #expect(try parseSource(bytes: Array("\n\r\n\n".utf8), file: "blank.csv") == nil)
    }

    @Test("header order does not matter; header names match case-insensitively with spaces for underscores")
    func headerVariants() throws {
        let row = po2024Row(cells: ["4": "2", "OUDER": "<5"])
        let permutation = Array((0..<37).reversed())
        let header = permutation.map { Header.po2024[$0].lowercased().replacingOccurrences(of: "_", with: " ") }
        let text = ([quotedLine(header), quotedLine(permutation.map { row[$0] })]).joined(separator: "\n")
        let reordered = try #require(try parseSource(bytes: Array(text.utf8), file: "r.csv"))
        let plain = try #require(try parseSource(bytes: po2024File([row]), file: "p.csv"))
        #expect(reordered.layout.id == "po03-2024")
        #expect(reordered.rows == plain.rows)
        #expect(plain.rows[0].cells == cells([1: .exact(2), 22: .masked]))
    }

    @Test("field values: spaces around counts, 1-digit vestigingsnummer, lower-case soort, pseudo-code in 2024 layout")
    func fieldValues() throws {
        let file = try #require(try parseSource(bytes: po2024File([
            po2024Row(location: "7", soort: "vso", cells: ["5": " 7 ", "6": " <5 "]),
            po2024Row(gemeente: "0518", pc4: "10", home: "Belgie"),
        ]), file: "v.csv"))
        #expect(file.rows[0].schoolID == "00PZ07")
        #expect(file.rows[0].soort == .vso)
        #expect(file.rows[0].cells == cells([2: .exact(7), 3: .masked]))
        #expect(file.rows[1].homePC4 == "10")
        #expect(file.scope == ["0503", "0518"])
    }
}

@Suite("parseSource: refusals name file, line, column and what was expected")
struct SourceRefusalTests {
    @Test("ragged_row.csv: 36 fields where the header has 37")
    func ragged() throws {
        let e = try Fixture.refusal("ragged_row.csv")
        #expect(e.file == "ragged_row.csv")
        #expect(e.line == 3)
        #expect(e.column == nil)
        #expect(e.message.contains("36 velden in deze regel; verwacht 37"))
    }

    @Test("extra_column.csv: the header has a column no layout knows; the closest layout is listed first")
    func extraColumn() throws {
        let e = try Fixture.refusal("extra_column.csv")
        #expect(e.line == 1)
        #expect(e.column == nil)
        #expect(e.message.contains("onbekende kolomkoppen"))
        let tried = e.message.split(separator: "\n").dropFirst()
        #expect(tried.first == "  - po03-2024 (onbekend: OPMERKING)")
        #expect(tried.count == knownLayouts.count)
    }

    @Test("unknown_header.csv: no layout fits; every known layout is named with what is missing")
    func unknownHeader() throws {
        let e = try Fixture.refusal("unknown_header.csv")
        #expect(e.file == "unknown_header.csv")
        #expect(e.line == 1)
        #expect(e.column == nil)
        #expect(e.message.contains("onbekende kolomkoppen"))
        for layout in knownLayouts { #expect(e.message.contains("- \(layout.id) (ontbreekt: ")) }
        #expect(e.message.contains("onbekend: NAAM, ADRES, AANTAL"))
    }

    @Test("header_only.csv: a header without data rows is refused (with or without a given peildatum)")
    func headerOnly() throws {
        for given in [nil, p2024] {
            let e = try Fixture.refusal("header_only.csv", peildatum: given)
            #expect(e.file == "header_only.csv")
            #expect(e.line == nil)
            #expect(e.column == nil)
            #expect(e.message.contains("alleen een kopregel"))
        }
    }

    @Test("utf16le.csv: refused on line 1, not turned into garbage")
    func utf16() throws {
        let e = try Fixture.refusal("utf16le.csv")
        #expect(e.line == 1)
        #expect(e.column == nil)
        #expect(e.message.contains("UTF-16"))
    }

    @Test("invalid_utf8_after_bom.csv: a Latin-1 ë after a UTF-8 BOM, refused at its line")
    func invalidUTF8AfterBOM() throws {
        let e = try Fixture.refusal("invalid_utf8_after_bom.csv")
        #expect(e.line == 3)
        #expect(e.column == nil)
        #expect(e.message.contains("ongeldige UTF-8 (byte 0xEB)"))
    }

    @Test("nul_bytes.csv: binary content refused at its line")
    func nulBytes() throws {
        let e = try Fixture.refusal("nul_bytes.csv")
        #expect(e.line == 3)
        #expect(e.column == nil)
        #expect(e.message.contains("NUL-bytes"))
    }

    @Test("masked_in_old_layout.csv: <5 in the unmasked 2017 layout")
    func maskedInOldLayout() throws {
        let e = try Fixture.refusal("masked_in_old_layout.csv")
        #expect(e.line == 3)
        #expect(e.column == "LEEFTIJD_7")
        #expect(e.message.contains("'<5' in een onafgeschermd formaat (po03-oud)"))
    }

    @Test("bad_count.csv: 3,5 is not a count")
    func badCount() throws {
        let e = try Fixture.refusal("bad_count.csv")
        #expect(e.line == 3)
        #expect(e.column == "LEEFTIJD_9")
        #expect(e.message.contains("'3,5' is geen aantal; verwacht een geheel getal ≥ 0 of <5"))
    }

    @Test("bad_postcode.csv: 0999 is neither a PC4 nor a pseudo-code")
    func badPostcode() throws {
        let e = try Fixture.refusal("bad_postcode.csv")
        #expect(e.line == 3)
        #expect(e.column == "POSTCODE_LEERLING")
        #expect(e.message.contains("'0999' is geen postcode"))
    }

    @Test("bad_school_postcode.csv: 2612 S is not a PC6")
    func badSchoolPostcode() throws {
        let e = try Fixture.refusal("bad_school_postcode.csv")
        #expect(e.line == 2)
        #expect(e.column == "POSTCODE_VESTIGING")
        #expect(e.message.contains("'2612 S' is geen postcode"))
    }

    @Test("bad_soort.csv: Vo is not a soort po")
    func badSoort() throws {
        let e = try Fixture.refusal("bad_soort.csv")
        #expect(e.line == 3)
        #expect(e.column == "SOORT_PO")
        #expect(e.message.contains("'Vo' is geen soort po; verwacht Bo, Sbo, So of Vso"))
    }

    @Test("bad_peildatum.csv: ISO date where DUO writes JJJJMMDD")
    func badPeildatum() throws {
        let e = try Fixture.refusal("bad_peildatum.csv")
        #expect(e.line == 2)
        #expect(e.column == "PEILDATUM")
        #expect(e.message.contains("'2024-10-01' is geen datum; verwacht JJJJMMDD"))
    }

    @Test("two_peildata.csv: a second peildatum in one file")
    func twoPeildata() throws {
        let e = try Fixture.refusal("two_peildata.csv")
        #expect(e.line == 4)
        #expect(e.column == "PEILDATUM")
        #expect(e.message.contains("peildatum 2023-10-01 wijkt af van 2024-10-01 (regel 2)"))
    }

    @Test("a given peildatum that disagrees with the file's column is refused")
    func givenPeildatumDisagrees() throws {
        let e = try Fixture.refusal("bom_utf8.csv", peildatum: Peildatum(year: 2023, month: 10, day: 1)!)
        #expect(e.line == 2)
        #expect(e.column == "PEILDATUM")
        #expect(e.message.contains("wijkt af van 2023-10-01 (de opgegeven peildatum)"))
    }

    @Test("totaal_mismatch.csv: TOTAAL is not the sum of the age cells")
    func totaalMismatch() throws {
        let e = try Fixture.refusal("totaal_mismatch.csv")
        #expect(e.line == 3)
        #expect(e.column == "TOTAAL")
        #expect(e.message.contains("TOTAAL 5 is niet de som van de leeftijden (4)"))
    }

    @Test("unclosed_quote.csv and text_after_quote.csv: CSV syntax errors at the field")
    func quoteErrors() throws {
        let unclosed = try Fixture.refusal("unclosed_quote.csv")
        #expect(unclosed.line == 3)
        #expect(unclosed.column == "8")
        #expect(unclosed.message.contains("aanhalingsteken wordt niet gesloten"))
        let after = try Fixture.refusal("text_after_quote.csv")
        #expect(after.line == 2)
        #expect(after.column == "8")
        #expect(after.message.contains("tekst na het afsluitende aanhalingsteken"))
    }

    @Test("vo layouts without a PEILDATUM column need one from the caller")
    func missingPeildatum() throws {
        for name in ["vo02_old_no_peildatum.csv", "vo03_vavo.csv"] {
            let e = try Fixture.refusal(name)
            #expect(e.file == name)
            #expect(e.line == nil)
            #expect(e.column == nil)
            #expect(e.message.contains("heeft geen kolom PEILDATUM; geef de peildatum op met --peildatum"))
        }
    }

    @Test("bad counts built in code: each refused at its column", arguments: ["", "-1", "+1", "1e3", "< 5", "<4", "12.0", "12 3"])
    func badCounts(text: String) throws {
        let bytes = po2024File([po2024Row(cells: ["11": text])])
        let e = try #require(throws: InputError.self) { _ = try parseSource(bytes: bytes, file: "c.csv") }
        #expect(e.line == 2)
        #expect(e.column == "LEEFTIJD_11")
        #expect(e.message.contains("'\(text)' is geen aantal"))
    }

    @Test("a field is its own text, also when the row before has one of the same length or the same one quoted with doubled quotes")
    func repeatedFields() throws {
        let homes = ["Delft", "Delfx", "Delfx", "Den \"H\"", "Den \"H\"", "Den  H", " Delft ", "Delft", ""]
        let rows = homes.enumerated().map { po2024Row(pc4: String(2611 + $0.offset), home: $0.element) }
        let file = try #require(try parseSource(bytes: po2024File(rows), file: "h.csv"))
        #expect(file.rows.map(\.homeName) == ["Delft", "Delfx", "Delfx", "Den \"H\"", "Den \"H\"", "Den  H", "Delft", "Delft", ""])
        #expect(file.rows.map(\.homePC4) == (0..<homes.count).map { String(2611 + $0) })
    }

    @Test("bad codes built in code: gemeente, instelling, vestiging, home postcode")
    func badCodes() throws {
        let cases: [([String], String, String)] = [
            (po2024Row(gemeente: "12345"), "GEMEENTENUMMER", "'12345' is geen gemeentenummer"),
            (po2024Row(gemeente: "05O3"), "GEMEENTENUMMER", "'05O3' is geen gemeentenummer"),
            (po2024Row(school: "00P"), "INSTELLINGSCODE", "'00P' is geen instellingscode"),
            (po2024Row(location: "A0"), "VESTIGINGSCODE", "'A0' is geen vestigingsnummer"),
            // Digits of another script are no vestigingsnummer (a school code is ASCII).
            (po2024Row(location: "\u{0660}\u{0661}"), "VESTIGINGSCODE", "is geen vestigingsnummer"),
            (po2024Row(school: "00P\u{0663}"), "INSTELLINGSCODE", "is geen instellingscode"),
            (po2024Row(pc4: "50"), "POSTCODE_LEERLING", "'50' is geen postcode"),
            (po2024Row(pc4: "2612AB"), "POSTCODE_LEERLING", "'2612AB' is geen postcode"),
        ]
        for (row, column, message) in cases {
            let e = try #require(throws: InputError.self) { _ = try parseSource(bytes: po2024File([row]), file: "k.csv") }
            #expect(e.line == 2)
            #expect(e.column == column)
            #expect(e.message.contains(message))
        }
    }
}

@Suite("parseCount and layouts")
struct CountAndLayoutTests {
    private func count(_ s: String) -> Count? {
        let bytes = Array(s.utf8)
        return parseCount(bytes, 0, bytes.count)
    }

    @Test func counts() {
        #expect(count("0") == .exact(0))
        #expect(count("007") == .exact(7))
        #expect(count("  42 ") == .exact(42))
        #expect(count("<5") == .masked)
        #expect(count(" <5") == .masked)
        #expect(count("999999999") == .exact(999_999_999))
        #expect(count("") == nil)
        #expect(count("   ") == nil)
        #expect(count("<6") == nil)
        #expect(count("4 2") == nil)
        #expect(count("1000000000000000000000") == nil)
    }

    @Test func countBounds() {
        #expect(Count.masked.bounds == Bounds(min: 1, max: 4))
        #expect(Count.exact(7).bounds == Bounds(exact: 7))
    }

    @Test("every layout recognizes its own canonical header, and only that one")
    func layoutsRecognizeThemselves() throws {
        #expect(Set(knownLayouts.map(\.id)).count == knownLayouts.count)
        for layout in knownLayouts {
            let header = layout.columns.map { $0.names[0] }
            let (found, map) = try recognizeLayout(header, file: "h.csv")
            #expect(found.id == layout.id)
            #expect(map.count == header.count)
            let others = knownLayouts.filter { $0.id != layout.id }
            #expect(others.allSatisfy { (try? $0.match(header).get()) == nil }, "\(layout.id) also matches another layout")
        }
    }

    @Test("a duplicated column is refused rather than silently overwritten")
    func duplicateColumn() throws {
        let e = try #require(throws: InputError.self) { try recognizeLayout(Header.po2024 + ["LEEFTIJD_4"], file: "d.csv") }
        #expect(e.line == 1)
        #expect(e.message.contains("- po03-2024 (onbekend: LEEFTIJD_4)"))
    }

    @Test("cell labels: 23 po ages, 6 vo years, 1 vo total")
    func cellLabels() {
        #expect(Dataset.poPostcode.cellLabels.count == 23)
        #expect(Dataset.poPostcode.cellLabels.first == "jonger")
        #expect(Dataset.poPostcode.cellLabels.last == "ouder")
        #expect(Dataset.voPostcode.cellLabels == (1...6).map { "leerjaar \($0)" })
        #expect(Dataset.voVestiging.cellLabels == ["aantal"])
        #expect(Dataset.allCases.filter(\.hasHome) == [.poPostcode, .voPostcode])
    }
}

@Suite("Field.description")
struct FieldDescriptionTests {
    /// Printing a Field, ColumnSpec, Layout or ParsedFile once recursed forever; run in a child process so a
    /// regression cannot take the test run down.
    @Test("every Field describes itself without crashing")
    func describes() async {
        await #expect(processExitsWith: .success) {
            precondition(!String(describing: Field.peildatum).isEmpty)
            precondition(!String(describing: Field.homePC4).isEmpty)
            precondition(!String(describing: knownLayouts[0]).isEmpty)
        }
        #expect(String(describing: Field.cell(3)) == "cel 3")
    }
}

@Suite("parseSource: a key may occur only once per file")
struct DuplicateKeyTests {
    private func refusal(_ bytes: [UInt8], peildatum: Peildatum? = nil) throws -> InputError {
        try #require(throws: InputError.self) { _ = try parseSource(bytes: bytes, file: "d.csv", peildatum: peildatum) }
    }

    @Test("po 03: an exact duplicate row is refused at the second line, naming the first")
    func exactDuplicate() throws {
        let rows = [po2024Row(pc4: "2612"), po2024Row(pc4: "2285", home: "Rijswijk"), po2024Row(pc4: "2612")]
        let e = try refusal(po2024File(rows))
        #expect(e.file == "d.csv")
        #expect(e.line == 4)
        #expect(e.column == nil)
        #expect(e.message.hasPrefix("regel 4 herhaalt regel 2 (zelfde vestiging 00PZ00, soort Bo, postcode leerling 2612 en woongemeente 'Delft')"))
        #expect(e.message.hasSuffix("verwacht elke combinatie één keer"))
    }

    @Test("po 03: the same key with other counts is refused too; the counts are not part of the key")
    func sameKeyOtherCounts() throws {
        let e = try refusal(po2024File([po2024Row(cells: ["6": "3"]), po2024Row(cells: ["7": "<5"])]))
        #expect(e.line == 3)
        #expect(e.message.contains("herhaalt regel 2"))
    }

    @Test("po 03: rows that differ in vestiging, soort, PC4 or home gemeente name are all kept")
    func distinctKeys() throws {
        let rows = [
            po2024Row(), po2024Row(location: "01"), po2024Row(school: "01AB"), po2024Row(soort: "Sbo"),
            po2024Row(pc4: "2613"),
            // One PC4 across two gemeenten: DUO gives one row per home gemeente.
            po2024Row(home: "Midden-Delfland"),
        ]
        let file = try #require(try parseSource(bytes: po2024File(rows), file: "k.csv"))
        #expect(file.rows.count == 6)
    }

    @Test("po 03, old layout: vestigingsnummer 7 and 07 are the same location")
    func oldLayoutNormalizedLocation() throws {
        let header = "PEILDATUM;GEMEENTENUMMER;GEMEENTENAAM;POSTCODE_LEERLING;GEMEENTENAAM_LEERLING;BRIN_NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM_VESTIGING;POSTCODE_VESTIGING;PLAATSNAAM;PROVINCIE;SOORT_PO;DENOMINATIE_VESTIGING;BEVOEGD_GEZAG_NUMMER;"
            + Header.ages.map { "LEEFTIJD_\($0)" }.joined(separator: ";") + ";TOTAAL\r\n"
        func row(_ location: String) -> String {
            "20171001;503;Delft;  10;Belgie;00PZ;\(location);School;2612SP;DELFT;Zuid-Holland;Bo;Openbaar;1;"
                + Array(repeating: "0", count: 22).joined(separator: ";") + ";1;1\r\n"
        }
        let e = try refusal(Array((header + row("07") + row("7")).utf8))
        #expect(e.line == 3)
        #expect(e.message.contains("herhaalt regel 2 (zelfde vestiging 00PZ07, soort Bo, postcode leerling 10 en woongemeente 'Belgie')"))
    }

    @Test("po 01 per vestiging: the key is vestiging × soort × cluster")
    func poVestiging() throws {
        let header = "PEILDATUM;BRIN_NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM_VESTIGING;POSTCODE_VESTIGING;PLAATSNAAM;GEMEENTENUMMER;GEMEENTENAAM;PROVINCIE;SOORT_PO;CLUSTER;DENOMINATIE_VESTIGING;BEVOEGD_GEZAG_NUMMER;"
            + Header.ages.map { "LEEFTIJD_\($0)" }.joined(separator: ";") + ";TOTAAL\n"
        func row(_ soort: String, _ cluster: String) -> String {
            "20151001;00AO;00;VSO De Bolster;7383BH;VOORST; 285;Voorst;Gelderland;\(soort);\(cluster);Openbaar;20137;"
                + Array(repeating: "0", count: 22).joined(separator: ";") + ";4;4\n"
        }
        let ok = try #require(try parseSource(bytes: Array((header + row("So", "3/4") + row("Vso", "3/4") + row("Vso", "  2")).utf8), file: "v.csv"))
        #expect(ok.rows.count == 3)
        let e = try refusal(Array((header + row("So", "3/4") + row("Vso", "3/4") + row("So", "3/4")).utf8))
        #expect(e.line == 4)
        #expect(e.message.contains("regel 4 herhaalt regel 2 (zelfde vestiging 00AO00, soort So en cluster '3/4')"))
    }

    @Test("vo 02: the key is vestiging × home PC4 × home place × home gemeente (number and name)")
    func voPostcode() throws {
        let header = "BRIN NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM VESTIGING;GEMEENTENUMMER;GEMEENTENAAM;POSTCODE LEERLING;PLAATSNAAM LEERLING;GEMEENTENUMMER LEERLING;GEMEENTENAAM LEERLING;LEER- OF VERBLIJFSJAAR 1;LEER- OF VERBLIJFSJAAR 2;LEER- OF VERBLIJFSJAAR 3;LEER- OF VERBLIJFSJAAR 4;LEER- OF VERBLIJFSJAAR 5;LEER- OF VERBLIJFSJAAR 6\n"
        let a = "02DZ;00;Stanislascollege;503;Delft;2636;SCHIPLUIDEN;1842;Midden-Delfland;1;0;0;0;0;0\n"
        let b = "02DZ;00;Stanislascollege;503;Delft;2636;DEN HOORN;1842;Midden-Delfland;2;0;0;0;0;0\n"
        let given = Peildatum(year: 2019, month: 10, day: 1)!
        let ok = try #require(try parseSource(bytes: Array((header + a + b).utf8), file: "vo.csv", peildatum: given))
        #expect(ok.rows.count == 2)
        let e = try refusal(Array((header + a + b + a).utf8), peildatum: given)
        #expect(e.line == 4)
        #expect(e.message.contains("regel 4 herhaalt regel 2 (zelfde vestiging 02DZ00, postcode leerling 2636, woonplaats 'SCHIPLUIDEN' en woongemeente 1842 'Midden-Delfland')"))
    }

    @Test("vo 03 vavo: a vestiging occurs once")
    func voVestiging() throws {
        var text = try String(decoding: Fixture.bytes("vo03_vavo.csv"), as: UTF8.self)
        text += "\"20281\";\"02DZ\";\"02DZ02\";\"Stanislas vmbo/mavo Delft\";\"DELFT\";\"0503\";\"Delft\";\"Zuid-Holland\";516;\"<5\"\n"
        let e = try refusal(Array(text.utf8), peildatum: Peildatum(year: 2025, month: 10, day: 1)!)
        #expect(e.line == 5)
        #expect(e.message.contains("regel 5 herhaalt regel 3 (zelfde vestiging 02DZ02)"))
    }
}

@Suite("parseSource: messages never echo huge input")
struct MessageSizeTests {
    @Test("shown(_:) quotes short text and cuts long text after 80 characters, saying how long it was")
    func shownText() {
        #expect(shown("Delft") == "'Delft'")
        #expect(shown(String(repeating: "a", count: 80)) == "'" + String(repeating: "a", count: 80) + "'")
        #expect(shown(String(repeating: "é", count: 1_000_000)) == "'" + String(repeating: "é", count: 80) + "…' (1.000.000 tekens)")
        // Control characters are made visible instead of moving the terminal's cursor.
        #expect(shown("a\nb\u{1B}[2J") == "'a\\nb\\u{1B}[2J'")
    }

    @Test("shownList(_:) lists 20 names and says how many more there are")
    func shownNames() {
        #expect(shownList(["A", "B"]) == "A, B")
        let names = (1...25).map { "K\($0)" }
        #expect(shownList(names) == (1...20).map { "K\($0)" }.joined(separator: ", ") + " en 5 meer")
        #expect(shownList([String(repeating: "x", count: 100)]) == String(repeating: "x", count: 80) + "… (100 tekens)")
    }

    @Test("a 1 MB field in a data row is cut in the message")
    func hugeField() throws {
        let huge = String(repeating: "9", count: 1_000_000) + "x"
        let e = try #require(throws: InputError.self) {
            _ = try parseSource(bytes: po2024File([po2024Row(gemeente: huge)]), file: "h.csv")
        }
        #expect(e.line == 2)
        #expect(e.column == "GEMEENTENUMMER")
        #expect(e.description.count < 300)
        #expect(e.message.contains("…' (1.000.001 tekens) is geen gemeentenummer"))
    }

    @Test("a 480 KB header: at most 20 unknown column names per layout, each at most 80 characters")
    func hugeHeader() throws {
        let many = (1...20_000).map { "KOLOM_\($0)" }.joined(separator: ";")
        let e1 = try #require(throws: InputError.self) { _ = try parseSource(bytes: Array((many + "\n1\n").utf8), file: "k.csv") }
        #expect(e1.line == 1)
        #expect(e1.message.contains("onbekend: KOLOM_1, KOLOM_2"))
        #expect(e1.message.contains("KOLOM_20 en 19.980 meer"))
        #expect(!e1.message.contains("KOLOM_21"))
        #expect(e1.description.count < 5_000)

        let one = String(repeating: "H", count: 480_000)
        let e2 = try #require(throws: InputError.self) { _ = try parseSource(bytes: Array((one + "\n1\n").utf8), file: "k.csv") }
        #expect(e2.message.contains("onbekend: " + String(repeating: "H", count: 80) + "… (480.000 tekens)"))
        #expect(e2.description.count < 5_000)
    }

    @Test("a column name longer than 80 characters is cut where an error names its column")
    func hugeColumnName() throws {
        // Header names are matched without surrounding spaces, so a name padded to 214 characters still matches.
        var header = Header.po2024
        header[1] = "GEMEENTENUMMER" + String(repeating: " ", count: 200)
        let text = quotedLine(header) + "\n" + quotedLine(po2024Row(gemeente: "x")) + "\n"
        let e = try #require(throws: InputError.self) { _ = try parseSource(bytes: Array(text.utf8), file: "c.csv") }
        #expect(e.line == 2)
        #expect(e.column == "GEMEENTENUMMER" + String(repeating: " ", count: 66) + "… (214 tekens)")
    }

    @Test("a count beyond the largest count DUO could publish says 'te groot', not 'geen aantal'", arguments: ["99999999999999999999", "1000000000", " 12345678901 "])
    func countTooLarge(text: String) throws {
        let e = try #require(throws: InputError.self) { _ = try parseSource(bytes: po2024File([po2024Row(cells: ["11": text])]), file: "c.csv") }
        #expect(e.line == 2)
        #expect(e.column == "LEEFTIJD_11")
        #expect(e.message.contains("is te groot; verwacht een aantal van hoogstens 999.999.999"))
        #expect(!e.message.contains("geen aantal"))
    }

    @Test("TOTAAL beyond Int range says 'te groot' too")
    func totalTooLarge() throws {
        let header = Header.po2024.map { $0 == "INSTELLINGSCODE" ? "BRIN_NUMMER" : $0 == "VESTIGINGSCODE" ? "VESTIGINGSNUMMER" : $0 } + ["TOTAAL"]
        let row = po2024Row(peildatum: "20171001", cells: [:]) + ["99999999999999999999"]
        let text = quotedLine(header) + "\n" + quotedLine(row) + "\n"
        let e = try #require(throws: InputError.self) { _ = try parseSource(bytes: Array(text.utf8), file: "t.csv") }
        #expect(e.column == "TOTAAL")
        #expect(e.message.contains("'99999999999999999999' is te groot"))
    }
}

@Suite("parseSource: quotes inside unquoted fields")
struct StrayQuoteTests {
    @Test("a stray quote in an unquoted field of a real-looking 2017 row is refused at its column")
    func strayQuote() throws {
        let header = "PEILDATUM;GEMEENTENUMMER;GEMEENTENAAM;POSTCODE_LEERLING;GEMEENTENAAM_LEERLING;BRIN_NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM_VESTIGING;POSTCODE_VESTIGING;PLAATSNAAM;PROVINCIE;SOORT_PO;DENOMINATIE_VESTIGING;BEVOEGD_GEZAG_NUMMER;"
            + Header.ages.map { "LEEFTIJD_\($0)" }.joined(separator: ";") + ";TOTAAL\r\n"
        let cells = Array(repeating: "0", count: 22).joined(separator: ";") + ";1;1\r\n"
        let good = "20171001;60;Ameland;9163;Ameland;04HI;00;\"Basisschool \"\"Kla4\"\"\";9163GA;NES AMELAND;Friesland;Bo;Openbaar;1;" + cells
        let bad = "20171001;60;Ameland;9164;Ameland;04HI;00;Basisschool;9163GA;NES AMELAND;Friesland\";Bo;Openbaar;1;" + cells
        let file = try #require(try parseSource(bytes: Array((header + good).utf8), file: "a.csv"))
        #expect(file.rows.map(\.schoolName) == ["Basisschool \"Kla4\""])
        let e = try #require(throws: InputError.self) { _ = try parseSource(bytes: Array((header + good + bad).utf8), file: "a.csv") }
        #expect(e.file == "a.csv")
        #expect(e.line == 3)
        #expect(e.column == "11")
        #expect(e.message.contains("onverwacht aanhalingsteken in een veld zonder aanhalingstekens"))
    }
}
