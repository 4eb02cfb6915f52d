import Foundation
import Testing
import GrensCore
import GrensPipeline
import GrensTestSupport
import SQLiteWrap

/// A real file (or an excerpt of one, built in memory) that mutants are made from.
struct FuzzBase {
    let name: String
    let bytes: [UInt8]
    /// For layouts without a PEILDATUM column.
    let peildatum: Peildatum?
}

/// Mutations of the kinds that break real exports: bytes flipped, inserted or lost, lines doubled or dropped,
/// truncation, columns swapped, stray quotes, `<5` where no count belongs, huge numbers and fields, invalid
/// UTF-8, NULs, other line ends, a BOM added or lost. Each mutant applies one to three of them.
enum Mutator {
    static func mutate(_ input: [UInt8], rng: inout SplitMix64) -> (bytes: [UInt8], steps: [String]) {
        var bytes = input
        var steps: [String] = []
        for _ in 0...rng.below(3) { steps.append(step(&bytes, &rng)) }
        return (bytes, steps)
    }

    private static func step(_ b: inout [UInt8], _ rng: inout SplitMix64) -> String {
        let at = rng.below(b.count + 1)
        switch rng.below(15) {
        case 0:
            guard at < b.count else { return "niets" }
            let bit = UInt8(1) << UInt8(rng.below(8))
            b[at] ^= bit
            return "bit \(bit) van byte \(at) omgedraaid"
        case 1:
            let byte = rng.pick([0x22, 0x3B, 0x0A, 0x0D, 0x3C, 0x35, 0x30, 0x39, 0x20, 0x41, 0x2C, 0x09, 0xEF, 0xFF] as [UInt8])
            b.insert(byte, at: at)
            return "byte \(byte) ingevoegd op \(at)"
        case 2:
            let n = min(1 + rng.below(8), b.count - min(at, b.count))
            b.removeSubrange(at..<(at + n))
            return "\(n) bytes weg op \(at)"
        case 3:
            var lines = split(b)
            let i = rng.below(lines.count), j = rng.below(lines.count + 1)
            lines.insert(lines[i], at: j)
            b = Array(lines.joined())
            return "regel \(i + 1) herhaald als regel \(j + 1)"
        case 4:
            var lines = split(b)
            let i = rng.below(lines.count)
            lines.remove(at: i)
            b = Array(lines.joined())
            return "regel \(i + 1) weg"
        case 5:
            b.removeSubrange(at...)
            return "afgekapt op \(at)"
        case 6:
            // Swap two columns: in every line (same data, other order), in the header only, or in one line.
            var lines = split(b)
            let i = rng.below(40), j = rng.below(40), mode = rng.below(3)
            let which = rng.below(lines.count)
            for k in lines.indices where mode == 0 || (mode == 1 && k == 0) || (mode == 2 && k == which) {
                lines[k] = swapFields(lines[k], i, j)
            }
            return "kolommen \(i + 1) en \(j + 1) verwisseld (\(["overal", "alleen kopregel", "regel \(which + 1)"][mode]))"
        case 7:
            b.insert(0x22, at: at)
            if rng.below(2) == 0 { b.insert(0x22, at: min(b.count, at + 1 + rng.below(6))) }
            return "aanhalingsteken(s) ingevoegd op \(at)"
        case 8:
            return replaceField(&b, &rng, with: Array("<5".utf8), "<5")
        case 9:
            let text = rng.pick(["99999999999999999999", "1000000000", "-1", String(repeating: "9", count: 10_000)])
            return replaceField(&b, &rng, with: Array(text.utf8), "getal van \(text.count) cijfers")
        case 10:
            let bad = rng.pick([[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xFF], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]] as [[UInt8]])
            b.insert(contentsOf: bad, at: at)
            return "ongeldige UTF-8 \(bad) op \(at)"
        case 11:
            b.insert(0, at: at)
            return "NUL op \(at)"
        case 12:
            switch rng.below(4) {
            case 0: b = replace(b, [0x0A], [0x0D, 0x0A]); return "LF → CRLF"
            case 1: b = replace(b, [0x0D, 0x0A], [0x0A]); return "CRLF → LF"
            case 2: b = replace(replace(b, [0x0D, 0x0A], [0x0A]), [0x0A], [0x0D]); return "regeleinden → CR"
            default:
                guard let i = b[min(at, b.count)...].firstIndex(of: 0x0A) else { return "niets" }
                b.remove(at: i)
                return "regeleinde op \(i) weg"
            }
        case 13:
            let huge = rng.below(2) == 0 ? [UInt8](repeating: 0x41, count: 20_000) : [UInt8](repeating: 0x3B, count: 5_000)
            b.insert(contentsOf: huge, at: at)
            return "\(huge.count) × \(huge[0] == 0x41 ? "A" : ";") ingevoegd op \(at)"
        default:
            if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3); return "BOM weg" }
            b.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0)
            return "BOM toegevoegd"
        }
    }

    /// Lines with their line ends.
    private static func split(_ b: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, byte) in b.enumerated() where byte == 0x0A {
            lines.append(b[start...i])
            start = i + 1
        }
        if start < b.count || lines.isEmpty { lines.append(b[start...]) }
        return lines
    }

    private static func swapFields(_ line: ArraySlice<UInt8>, _ i: Int, _ j: Int) -> ArraySlice<UInt8> {
        var fields = line.split(separator: 0x3B, omittingEmptySubsequences: false)
        guard i < fields.count, j < fields.count else { return line }
        fields.swapAt(i, j)
        return ArraySlice(Array(fields.joined(separator: [0x3B])))
    }

    private static func replaceField(_ b: inout [UInt8], _ rng: inout SplitMix64, with value: [UInt8], _ what: String) -> String {
        var lines = split(b)
        let i = rng.below(lines.count)
        var fields = lines[i].split(separator: 0x3B, omittingEmptySubsequences: false)
        let k = rng.below(fields.count)
        fields[k] = ArraySlice(value)
        lines[i] = ArraySlice(Array(fields.joined(separator: [0x3B])))
        b = Array(lines.joined())
        return "\(what) in veld \(k + 1) van regel \(i + 1)"
    }

    private static func replace(_ b: [UInt8], _ old: [UInt8], _ new: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count + b.count / 32)
        var i = 0
        while i < b.count {
            if b[i] == old[0], i + old.count <= b.count, b[i..<(i + old.count)].elementsEqual(old) {
                out.append(contentsOf: new)
                i += old.count
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }
}

/// Mutants of real DUO files, parsed and (a part of them) ingested into a real store. Replay: GRENS_FUZZ_SEED=<seed>
/// and GRENS_FUZZ_MUTANT=<index> run one mutant; after a crash, GRENS_FUZZ_TRACE=1 prints every mutant before it runs.
@Suite("Fuzzing real files")
struct FuzzTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["GRENS_FUZZ_SEED"].flatMap { UInt64($0.replacingOccurrences(of: "0x", with: ""), radix: 16) }
        ?? 0x6772_656E_7300_0001
    static let mutantsPerBase = 120

    static func real(_ path: String) throws -> [UInt8] {
        let full = repoRoot + "/../shared/duo-real/" + path
        return [UInt8](try #require(FileManager.default.contents(atPath: full), "echte DUO-gegevens ontbreken: \(full)"))
    }

    /// The header, the first `count` data lines and every later line with a quote (the quoted school names) of a
    /// real file, line ends kept.
    static func excerpt(_ bytes: [UInt8], _ count: Int) -> [UInt8] {
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
        let quoted = lines.dropFirst(count + 1).filter { $0.contains(0x22) }
        return Array((Array(lines.prefix(count + 1)) + quoted).map { Array($0) + [0x0A] }.joined())
    }

    /// Small real files: whole where they are small, otherwise an excerpt with the quoted school names.
    static func bases() throws -> [FuzzBase] {
        let vestiging = excerpt(try real("po-leerlingen-per-vestiging-2015-2017/01.-leerlingen-po-soort-po,-cluster,-leeftijd-2015-2016.csv"), 40)
        return [
            FuzzBase(name: "Renswoude afgeschermd.csv", bytes: try real("po-postcode-leerling-2024-2025/Renswoude afgeschermd.csv"), peildatum: nil),
            FuzzBase(name: "Ameland.csv", bytes: try real("po-postcode-leerling-2017-2018-unmasked/Ameland.csv"), peildatum: nil),
            FuzzBase(name: "Maasgouw-uittreksel.csv", bytes: excerpt(try real("po-postcode-leerling-2017-2018-unmasked/Maasgouw.csv"), 30), peildatum: nil),
            FuzzBase(name: "po01-2015-uittreksel.csv", bytes: vestiging, peildatum: nil),
            FuzzBase(name: "vavo-2025-haaglanden.csv",
                     bytes: try real("vo-per-vestiging-vavo-2025-excerpt/03-leerlingen-vo-per-vestiging-en-bestuur-vavo-apart-2025.HAAGLANDEN-ROWS.csv"),
                     peildatum: Peildatum(iso: "2025-10-01")),
        ]
    }

    /// A refusal must name the mutant and a line, or be one of the refusals that concern the whole file; it says
    /// what was expected and stays short whatever the input holds.
    static func check(_ e: InputError, name: String, _ context: String) {
        let fileLevel = ["alleen een kopregel", "geen kolom PEILDATUM", "overlapt gedeeltelijk", "bevat dezelfde gegevens"]
        #expect(e.file == name, "\(context): weigering noemt \(e.file)")
        #expect(e.line != nil || fileLevel.contains { e.message.contains($0) }, "\(context): weigering zonder regel: \(e)")
        #expect(e.message.contains("verwacht") || e.message.contains("geef de peildatum op"), "\(context): zegt niet wat verwacht werd: \(e)")
        #expect(e.description.count < 6_000, "\(context): melding van \(e.description.count) tekens")
    }

    @Test("≥ 500 seeded mutants of real files: no crash, every refusal located, a refused ingest leaves the store as it was")
    func mutants() throws {
        let environment = ProcessInfo.processInfo.environment
        let only = environment["GRENS_FUZZ_MUTANT"].flatMap { Int($0) }
        let trace = environment["GRENS_FUZZ_TRACE"] != nil
        let bases = try Self.bases()
        let reference = try loadReference()
        let seedText = "seed 0x" + String(Self.seed, radix: 16)

        // A store holding every base file; after each accepted mutant the base files are ingested again (which
        // must bring the data back), after each refusal the store must be exactly as before.
        var ws = try Workspace()
        func fill(_ ws: Workspace) throws {
            for base in bases { try ws.write(base.name, base.bytes) }
            for group in [bases.filter { $0.peildatum == nil }, bases.filter { $0.peildatum != nil }] {
                _ = try Ingest.run(files: try ws.inputs(group.map(\.name)), db: ws.db, reference: reference, peildatum: group[0].peildatum)
            }
        }
        try fill(ws)
        let baseline = try ws.dataDump()
        #expect(try ws.int("SELECT count(*) FROM source_file") == bases.count)

        var refused = 0, accepted = 0, ingested = 0
        let total = bases.count * Self.mutantsPerBase
        for index in 0..<total where only == nil || only == index {
            let base = bases[index % bases.count]
            var rng = SplitMix64(seed: Self.seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
            let (bytes, steps) = Mutator.mutate(base.bytes, rng: &rng)
            let name = "\(base.name.dropLast(4)) (mutant \(index)).csv"
            let context = "\(seedText), mutant \(index) van \(base.name): \(steps.joined(separator: "; "))"
            if trace { FileHandle.standardError.write(Data((context + "\n").utf8)) }

            var parsed: ParsedFile?
            var parseError: InputError?
            do throws(InputError) {
                parsed = try parseSource(bytes: bytes, file: name, peildatum: base.peildatum)
            } catch {
                parseError = error
                Self.check(error, name: name, context)
            }
            if parsed == nil && parseError == nil { continue }   // empty: nothing to ingest
            if parseError == nil { accepted += 1 } else { refused += 1 }

            // Every accepted mutant goes through the store, and every third refused one.
            guard parseError == nil || index % 3 == 0 || only != nil else { continue }
            ingested += 1
            try ws.write(name, bytes)
            let before = try ws.snapshot()
            do {
                _ = try Ingest.run(files: try ws.inputs([name]), db: ws.db, reference: reference, peildatum: base.peildatum)
                #expect(parseError == nil, "\(context): ingest nam aan wat parseSource weigerde: \(parseError.map(String.init(describing:)) ?? "")")
                #expect(try ws.int("SELECT coalesce(sum(rows), 0) FROM source_file") == ws.int("SELECT count(*) FROM raw_count"), "\(context)")
                // Back to the base files: replacing the mutant must give exactly the data of before.
                for group in [bases.filter { $0.peildatum == nil }, bases.filter { $0.peildatum != nil }] {
                    _ = try Ingest.run(files: try ws.inputs(group.map(\.name)), db: ws.db, reference: reference,
                                       peildatum: group[0].peildatum, replacePartial: true)
                }
                if try ws.dataDump() != baseline {
                    // Only a mutant that shares no school gemeente with any base file can stay next to them.
                    let scope = Set(parsed?.scope ?? [])
                    let baseScopes = Set(try ws.texts("SELECT s.school_gemeente FROM source_file_scope s JOIN source_file f ON f.id = s.file_id WHERE f.name NOT LIKE '%(mutant %'"))
                    #expect(scope.isDisjoint(with: baseScopes), "\(context): na terugzetten wijkt de database af")
                    ws = try Workspace()
                    try fill(ws)
                }
            } catch let failure as IngestFailure {
                #expect(!failure.errors.isEmpty, "\(context)")
                for e in failure.errors { Self.check(e, name: name, context) }
                if let parseError { #expect(failure.errors == [parseError], "\(context): andere weigering bij inlezen") }
                #expect(try ws.snapshot() == before, "\(context): geweigerd, maar de database is veranderd")
            }
        }
        if only == nil {
            #expect(total >= 500)
            // The mutations must reach both outcomes, or the test proves little.
            #expect(refused > total / 4, "\(seedText): \(refused) geweigerd")
            #expect(accepted > total / 20, "\(seedText): \(accepted) aangenomen")
            #expect(ingested > 150, "\(seedText): \(ingested) ingelezen")
        }
    }
}
