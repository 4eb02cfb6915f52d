/// A 64-bit checksum, as 16 hex digits: tells whether bytes kept in the store (an analysis entry, `AnalysisCache`)
/// read back whole. Not a cryptographic hash: it does not stand against bytes changed on purpose so that they keep
/// their checksum, only against damage; provenance (the input files) stays with `sha256Hex`. It reads 8 bytes per
/// step in four lanes, so an entry of 13 MB is checked in a few milliseconds where SHA-256 takes some 90.
///
/// Each lane adds a word times one odd constant, rotates, and multiplies by another; at the end the lanes are
/// folded in one by one, then the length and the last bytes (fewer than 32), and the result is mixed so that
/// every input bit reaches every output bit. Words are read little-endian, so the value is the same on any machine.
public func checksumHex(_ bytes: [UInt8]) -> String {
    let p1: UInt64 = 0x9E37_79B1_85EB_CA87, p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F, p3: UInt64 = 0x1656_67B1_9E37_79F9
    @inline(__always) func rotated(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
    @inline(__always) func lane(_ acc: UInt64, _ word: UInt64) -> UInt64 { rotated(acc &+ word &* p2, 31) &* p1 }
    let value: UInt64 = bytes.withUnsafeBytes { raw in
        func word(_ offset: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
        var a = p1 &+ p2, b = p2, c: UInt64 = 0, d = 0 &- p1
        var i = 0
        while i + 32 <= raw.count {
            a = lane(a, word(i)); b = lane(b, word(i + 8)); c = lane(c, word(i + 16)); d = lane(d, word(i + 24))
            i += 32
        }
        var h = p3
        for acc in [a, b, c, d] { h = rotated(h ^ lane(0, acc), 27) &* p1 &+ p3 }
        h = lane(h, UInt64(raw.count))
        while i < raw.count {
            h = rotated(h ^ (UInt64(raw[i]) &* p3), 11) &* p1
            i += 1
        }
        h ^= h >> 33; h = h &* p2
        h ^= h >> 29; h = h &* p3
        return h ^ (h >> 32)
    }
    let digits = Array("0123456789abcdef")
    return String((0..<16).map { digits[Int((value >> UInt64(60 - 4 * $0)) & 0xF)] })
}
