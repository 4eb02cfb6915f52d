import Foundation
import Testing
@testable import GrensCore

@Suite("DutchFormat")
struct DutchFormatTests {
    @Test func integers() {
        #expect(DutchFormat.integer(0) == "0")
        #expect(DutchFormat.integer(7) == "7")
        #expect(DutchFormat.integer(999) == "999")
        #expect(DutchFormat.integer(1000) == "1.000")
        #expect(DutchFormat.integer(1_234_567) == "1.234.567")
        #expect(DutchFormat.integer(-12) == "-12")
        #expect(DutchFormat.integer(-1234) == "-1.234")
        #expect(DutchFormat.integer(Int.min) == "-9.223.372.036.854.775.808")
    }

    @Test func decimals() {
        #expect(DutchFormat.decimal(1234.5, decimals: 1) == "1.234,5")
        #expect(DutchFormat.decimal(1234.5, decimals: 3) == "1.234,500")
        #expect(DutchFormat.decimal(-1234.5, decimals: 1) == "-1.234,5")
        #expect(DutchFormat.decimal(0, decimals: 0) == "0")
        #expect(DutchFormat.decimal(0, decimals: 2) == "0,00")
        #expect(DutchFormat.decimal(0.05 + 0.0001, decimals: 2) == "0,05")
        #expect(DutchFormat.decimal(1_332_337, decimals: 0) == "1.332.337")
        // A carry through every digit.
        #expect(DutchFormat.decimal(999.96, decimals: 1) == "1.000,0")
    }

    @Test("rounding is half away from zero (not half to even), and -0 is printed as 0")
    func rounding() {
        // Binary-exact halves, so the rule and not float noise decides.
        #expect(DutchFormat.decimal(2.5, decimals: 0) == "3")
        #expect(DutchFormat.decimal(3.5, decimals: 0) == "4")
        #expect(DutchFormat.decimal(-2.5, decimals: 0) == "-3")
        #expect(DutchFormat.decimal(0.25, decimals: 1) == "0,3")
        #expect(DutchFormat.decimal(-0.25, decimals: 1) == "-0,3")
        #expect(DutchFormat.decimal(0.125, decimals: 2) == "0,13")
        #expect(DutchFormat.decimal(0.375, decimals: 2) == "0,38")
        #expect(DutchFormat.decimal(2.4999, decimals: 0) == "2")
        #expect(DutchFormat.decimal(-0.04, decimals: 1) == "0,0")
        #expect(DutchFormat.decimal(-0.4, decimals: 0) == "0")
    }

    @Test func percentages() {
        #expect(DutchFormat.percent(0.123) == "12,3%")
        #expect(DutchFormat.percent(0) == "0,0%")
        #expect(DutchFormat.percent(1) == "100,0%")
        #expect(DutchFormat.percent(0.125) == "12,5%")
        #expect(DutchFormat.percent(0.125, decimals: 0) == "13%")
        #expect(DutchFormat.percent(-0.125, decimals: 0) == "-13%")
        #expect(DutchFormat.percent(12.5) == "1.250,0%")
    }

    @Test func euros() {
        #expect(DutchFormat.euro(cents: 123_456) == "€ 1.234,56")
        #expect(DutchFormat.euro(cents: 0) == "€ 0,00")
        #expect(DutchFormat.euro(cents: 5) == "€ 0,05")
        #expect(DutchFormat.euro(cents: 50) == "€ 0,50")
        #expect(DutchFormat.euro(cents: -500) == "-€ 5,00")
        #expect(DutchFormat.euro(cents: -123_456) == "-€ 1.234,56")
        #expect(DutchFormat.euro(cents: 100_000_000) == "€ 1.000.000,00")
    }
}

@Suite("checksumHex")
struct ChecksumTests {
    /// Bytes of every kind, so the four lanes and the tail all carry some.
    static let sample: [UInt8] = (0..<103).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }

    @Test("16 hex digits, the same for the same bytes, also when they are a copy")
    func form() {
        let value = checksumHex(Self.sample)
        #expect(value.count == 16 && value.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(checksumHex(Array(Self.sample)) == value && checksumHex([]).count == 16)
    }

    @Test("every single bit flipped, in each lane and in the tail, gives another checksum, each its own")
    func everyBit() {
        let original = checksumHex(Self.sample)
        var seen: Set<String> = [original]
        for index in Self.sample.indices {
            for bit in 0..<8 {
                var damaged = Self.sample
                damaged[index] ^= UInt8(1 << bit)
                seen.insert(checksumHex(damaged))
            }
        }
        #expect(seen.count == 1 + 8 * Self.sample.count)
    }

    @Test("the length counts (a zero byte more or less), and so does the order of two words")
    func lengthAndOrder() {
        #expect(checksumHex(Self.sample + [0]) != checksumHex(Self.sample))
        #expect(checksumHex([UInt8](repeating: 0, count: 64)) != checksumHex([UInt8](repeating: 0, count: 65)))
        #expect(checksumHex(Array(Self.sample.dropLast())) != checksumHex(Self.sample))
        let swapped = Array(Self.sample[8..<16]) + Array(Self.sample[0..<8]) + Array(Self.sample[16...])
        #expect(checksumHex(swapped) != checksumHex(Self.sample))
    }
}

@Suite("sha256Hex")
struct SHA256Tests {
    @Test("FIPS 180-2 vectors: empty, abc, the two-block message")
    func vectors() {
        #expect(sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("one million times 'a'")
    func million() {
        #expect(sha256Hex([UInt8](repeating: 0x61, count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("padding boundaries around one and two blocks (checked against Python hashlib)", arguments: [
        (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
        (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
        (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
        (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
        (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
        (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
    ])
    func boundaries(length: Int, digest: String) {
        #expect(sha256Hex([UInt8](repeating: 0x61, count: length)) == digest)
    }

    @Test("every byte value, and non-ASCII text")
    func bytes() {
        #expect(sha256Hex((0...255).map { UInt8($0) }) == "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880")
        #expect(sha256Hex(Array("Noël €".utf8)) == "d2bee52a2358311fb32b60e18e43626c0ad33e7efcd177e720ae203222c2d50a")
    }
}

@Suite("Peildatum, GemeenteCode, PC4, normalizeHeader")
struct CodesTests {
    @Test func duoDates() throws {
        let p = try #require(Peildatum(duo: "20241001"))
        #expect(p.year == 2024 && p.month == 10 && p.day == 1)
        #expect(p.iso == "2024-10-01")
        #expect(p.description == "2024-10-01")
        #expect(p.schoolYear == "2024-2025")
        #expect(Peildatum(duo: "20240229") != nil)   // leap year
        #expect(Peildatum(duo: "20000229") != nil)   // divisible by 400
        #expect(Peildatum(duo: "20230229") == nil)
        #expect(Peildatum(duo: "21000229") == nil)   // divisible by 100, not by 400
        #expect(Peildatum(duo: "20241301") == nil)
        #expect(Peildatum(duo: "20241000") == nil)
        #expect(Peildatum(duo: "20240931") == nil)
        #expect(Peildatum(duo: "2024101") == nil)
        #expect(Peildatum(duo: "2024-10-01") == nil)
        #expect(Peildatum(duo: "+2024100") == nil)
        #expect(Peildatum(duo: "19891001") == nil)   // outside 1990…2100
        #expect(Peildatum(duo: "") == nil)
    }

    @Test func isoDates() throws {
        #expect(Peildatum(iso: "2017-10-01") == Peildatum(duo: "20171001"))
        #expect(Peildatum(iso: "2017-1-01") == nil)
        #expect(Peildatum(iso: "20171001") == nil)
        #expect(Peildatum(iso: "2017-10-01-") == nil)
        #expect(Peildatum(iso: "2017-02-30") == nil)
        #expect(Peildatum(year: 2024, month: 3, day: 1)!.schoolYear == "2023-2024")
        #expect(Peildatum(year: 2024, month: 8, day: 1)!.schoolYear == "2024-2025")
    }

    @Test func ordering() throws {
        let dates = ["2024-10-01", "2017-10-01", "2024-01-31", "2024-02-01", "2015-10-01"].compactMap(Peildatum.init(iso:))
        #expect(dates.sorted().map(\.iso) == ["2015-10-01", "2017-10-01", "2024-01-31", "2024-02-01", "2024-10-01"])
    }

    @Test("Codable as an ISO string; a bad string is a decoding error")
    func codable() throws {
        let p = Peildatum(year: 2017, month: 10, day: 1)!
        let data = try JSONEncoder().encode([p])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2017-10-01\"]")
        #expect(try JSONDecoder().decode([Peildatum].self, from: data) == [p])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Peildatum].self, from: Data("[\"20171001\"]".utf8)) }
    }

    @Test func gemeenteCodes() {
        #expect(GemeenteCode.normalize("518") == "0518")
        #expect(GemeenteCode.normalize(" 518") == "0518")
        #expect(GemeenteCode.normalize("0518") == "0518")
        #expect(GemeenteCode.normalize("7") == "0007")
        #expect(GemeenteCode.normalize("1992") == "1992")
        #expect(GemeenteCode.normalize("12345") == nil)
        #expect(GemeenteCode.normalize("") == nil)
        #expect(GemeenteCode.normalize("   ") == nil)
        #expect(GemeenteCode.normalize("GM0518") == nil)
        #expect(GemeenteCode.normalize("5 18") == nil)
        #expect(GemeenteCode.normalize("٥١٨") == nil)   // Arabic-Indic digits are numbers, not ASCII
    }

    @Test func pc4() {
        #expect(PC4.normalize("2511") == "2511")
        #expect(PC4.normalize(" 2511 ") == "2511")
        #expect(PC4.normalize("0999") == nil)
        #expect(PC4.normalize("251") == nil)
        #expect(PC4.normalize("2511AB") == nil)
        #expect(PC4.normalize("10") == nil)
    }

    @Test func headers() {
        #expect(normalizeHeader("LEEFTIJD_4") == "LEEFTIJD_4")
        #expect(normalizeHeader("leeftijd 4") == "LEEFTIJD_4")
        #expect(normalizeHeader("  BRIN  NUMMER ") == "BRIN_NUMMER")
        #expect(normalizeHeader("\u{FEFF}PEILDATUM") == "PEILDATUM")
        #expect(normalizeHeader("LEER- OF VERBLIJFSJAAR 1") == "LEER-_OF_VERBLIJFSJAAR_1")
        #expect(normalizeHeader("a__b") == "A_B")
        #expect(normalizeHeader("_X_") == "X")
        #expect(normalizeHeader("Aantal vo leerlingen uitbesteed aan vavo") == "AANTAL_VO_LEERLINGEN_UITBESTEED_AAN_VAVO")
        #expect(normalizeHeader("BRINNUMMER") != normalizeHeader("BRIN NUMMER"))
    }

    @Test("an ASCII header is normalized on its bytes exactly as on its Characters")
    func asciiHeaders() {
        var generator = SeededGenerator(seed: 11)
        let alphabet = Array(" _\taZbz09-.;\"A".utf8)
        for _ in 0..<2_000 {
            let length = Int(generator.next() % 12)
            let name = String(decoding: (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }, as: UTF8.self)
            #expect(normalizeASCIIHeader(name) == normalizeHeaderCharacters(name), "\(name.debugDescription)")
        }
        #expect(normalizeHeader(" \tsoort  _po\t ") == "SOORT_PO")
    }
}

/// `orderedPipeline`: results in index order, no more than the window held ahead, a consumer's error stops it.
@Suite("Ordered pipeline")
struct OrderedPipelineTests {
    /// Counts produced-but-not-consumed results and their highest number, across threads.
    final class Ahead: @unchecked Sendable {
        let lock = NSLock()
        var now = 0, most = 0, produced = 0
        func produce() { lock.lock(); now += 1; produced += 1; most = max(most, now); lock.unlock() }
        func consume() { lock.lock(); now -= 1; lock.unlock() }
    }

    @Test("every index once, handed over in order, with at most the window ahead of the consumer", arguments: [1, 2, 3])
    func order(workers: Int) throws {
        let ahead = Ahead()
        var seen: [Int] = []
        try orderedPipeline(300, workers: workers, window: 5, produce: { i -> Int in
            ahead.produce()
            // Uneven work, so later indices are often done before earlier ones.
            if i % 7 == 0 { usleep(2000) }
            return i * i
        }, consume: { i, value in
            #expect(value == i * i)
            seen.append(i)
            ahead.consume()
            if i % 50 == 0 { usleep(5000) }
        })
        #expect(seen == Array(0..<300))
        // The window, and one more while the consumer is still busy with the result it took.
        #expect(ahead.produced == 300 && ahead.most <= 5 + 1)
    }

    @Test("with weights, the indices ahead weigh at most the budget, but a heavy one is worked out alone", arguments: [1, 2])
    func budget(workers: Int) throws {
        // Small indices of weight 1 to 3 and every 25th of weight 50, against a budget of 12.
        let weights = (0..<200).map { $0 % 25 == 24 ? 50 : 1 + $0 % 3 }
        final class Flight: @unchecked Sendable {
            let lock = NSLock()
            var indices: Set<Int> = [], most = 0, broken: [Int] = []
        }
        let flight = Flight()
        var seen: [Int] = []
        try orderedPipeline(weights.count, workers: workers, window: 64, weight: weights, budget: 12, produce: { i -> Int in
            flight.lock.lock()
            flight.indices.insert(i)
            // The lowest index may be the one the consumer holds; the pipe no longer counts it.
            let rest = flight.indices.subtracting([flight.indices.min()!])
            if rest.count > 1 && rest.reduce(0, { $0 + weights[$1] }) > 12 { flight.broken.append(i) }
            flight.most = max(flight.most, rest.count)
            flight.lock.unlock()
            return i
        }, consume: { i, value in
            #expect(value == i)
            seen.append(i)
            usleep(300)
            flight.lock.lock(); flight.indices.remove(i); flight.lock.unlock()
        })
        #expect(seen == Array(0..<200))
        #expect(flight.broken.isEmpty, "over the budget when \(flight.broken) was worked out")
        // Many small ones ahead at once: more than a count of a few files would allow.
        #expect(flight.most >= 6)
    }

    @Test("an error of the consumer is rethrown, and the workers stop claiming indices")
    func stops() {
        struct Stop: Error {}
        let ahead = Ahead()
        #expect(throws: Stop.self) {
            try orderedPipeline(1000, workers: 2, window: 4, produce: { i -> Int in ahead.produce(); return i }, consume: { i, _ in
                ahead.consume()
                if i == 10 { throw Stop() }
            })
        }
        #expect(ahead.produced <= 11 + 4)
    }

    @Test("no indices: nothing is produced or consumed")
    func empty() throws {
        var calls = 0
        try orderedPipeline(0, workers: 2, window: 3, produce: { _ in 1 }, consume: { _, _ in calls += 1 })
        #expect(calls == 0)
    }
}

@Suite("folderPath")
struct FolderPathTests {
    @Test("the folder of a path, also of the one-character names on which Foundation's deletingLastPathComponent traps")
    func folders() {
        let cases: [(String, String)] = [
            ("a", ""), ("a/", ""), ("./", ""), (".", ""), ("", ""), ("ab", ""), ("x.sqlite", ""), ("..", ""),
            ("/", "/"), ("/a", "/"), ("//a", "/"), ("/a/", "/"),
            ("x/a", "x"), ("./a", "."), ("../a", ".."), ("data/x.sqlite", "data"), ("a//b", "a"), ("a//b//", "a"),
            ("/x/a/", "/x"), ("/tmp/out/site", "/tmp/out"), ("uit/één/site", "uit/één"),
        ]
        for (path, folder) in cases { #expect(folderPath(path) == folder, "\(path)") }
        // Where Foundation does not trap, the two agree.
        for (path, _) in cases where path.count > 1 && path != "./" && path != "a/" {
            #expect(folderPath(path) == (path as NSString).deletingLastPathComponent, "\(path)")
        }
    }
}
