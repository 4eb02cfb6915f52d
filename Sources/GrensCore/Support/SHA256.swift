/// SHA-256 (FIPS 180-4), for the provenance of every input file. Written here because the toolchain on
/// Linux has no CryptoKit and the project takes no third-party packages. Full blocks are read straight from
/// the input (no copy of the file); only the padded tail is built separately.
public func sha256Hex(_ data: [UInt8]) -> String {
    var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
        (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
    let fullBlocks = data.count / 64
    data.withUnsafeBufferPointer { bytes in
        var w = [UInt32](repeating: 0, count: 64)
        w.withUnsafeMutableBufferPointer { w in
            for block in 0..<fullBlocks { sha256Block(bytes.baseAddress! + block * 64, &h, w) }
            // The tail: remaining bytes, 0x80, zeros, and the bit length, in one or two blocks.
            var tail = [UInt8](bytes[(fullBlocks * 64)...])
            tail.append(0x80)
            while tail.count % 64 != 56 { tail.append(0) }
            let bitLength = UInt64(data.count) * 8
            for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
            tail.withUnsafeBufferPointer { t in
                for block in 0..<(t.count / 64) { sha256Block(t.baseAddress! + block * 64, &h, w) }
            }
        }
    }
    let digits = Array("0123456789abcdef")
    var out = ""
    out.reserveCapacity(64)
    for word in [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7] {
        for shift in stride(from: 28, through: 0, by: -4) { out.append(digits[Int((word >> UInt32(shift)) & 0xF)]) }
    }
    return out
}

private let sha256K: [UInt32] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]

/// One 64-byte block into the state `h`; `w` is scratch space for the message schedule. Rotations are written
/// out and all arithmetic wraps, so even an unoptimized (debug) build hashes a file quickly.
@inline(__always)
private func sha256Block(_ p: UnsafePointer<UInt8>, _ h: inout (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32),
                         _ schedule: UnsafeMutableBufferPointer<UInt32>) {
    guard let w = schedule.baseAddress, schedule.count == 64 else { preconditionFailure("schedule of 64 words") }
    var i = 0
    while i < 16 {
        w[i] = UInt32(p[i &* 4]) &<< 24 | UInt32(p[i &* 4 &+ 1]) &<< 16 | UInt32(p[i &* 4 &+ 2]) &<< 8 | UInt32(p[i &* 4 &+ 3])
        i &+= 1
    }
    while i < 64 {
        let x = w[i &- 15], y = w[i &- 2]
        let s0 = (x &>> 7 | x &<< 25) ^ (x &>> 18 | x &<< 14) ^ (x &>> 3)
        let s1 = (y &>> 17 | y &<< 15) ^ (y &>> 19 | y &<< 13) ^ (y &>> 10)
        w[i] = w[i &- 16] &+ s0 &+ w[i &- 7] &+ s1
        i &+= 1
    }
    var (a, b, c, d, e, f, g, hh) = h
    // Eight rounds per pass with the roles of the working variables rotated in the calls, so no variable is moved
    // from one to the next between rounds.
    sha256K.withUnsafeBufferPointer { table in
        guard let k = table.baseAddress else { preconditionFailure("round constants") }
        i = 0
        while i < 64 {
            sha256Round(a, b, c, &d, e, f, g, &hh, k[i] &+ w[i])
            sha256Round(hh, a, b, &c, d, e, f, &g, k[i &+ 1] &+ w[i &+ 1])
            sha256Round(g, hh, a, &b, c, d, e, &f, k[i &+ 2] &+ w[i &+ 2])
            sha256Round(f, g, hh, &a, b, c, d, &e, k[i &+ 3] &+ w[i &+ 3])
            sha256Round(e, f, g, &hh, a, b, c, &d, k[i &+ 4] &+ w[i &+ 4])
            sha256Round(d, e, f, &g, hh, a, b, &c, k[i &+ 5] &+ w[i &+ 5])
            sha256Round(c, d, e, &f, g, hh, a, &b, k[i &+ 6] &+ w[i &+ 6])
            sha256Round(b, c, d, &e, f, g, hh, &a, k[i &+ 7] &+ w[i &+ 7])
            i &+= 8
        }
    }
    h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
}

/// One round: `d` gains T1 and `h` becomes T1 + T2 (FIPS 180-4, 6.2.2), written with the usual shorter forms of
/// Ch and Maj.
@inline(__always)
private func sha256Round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32, _ e: UInt32, _ f: UInt32, _ g: UInt32,
                         _ h: inout UInt32, _ kw: UInt32) {
    let t1 = h &+ ((e &>> 6 | e &<< 26) ^ (e &>> 11 | e &<< 21) ^ (e &>> 25 | e &<< 7)) &+ (g ^ (e & (f ^ g))) &+ kw
    let t2 = ((a &>> 2 | a &<< 30) ^ (a &>> 13 | a &<< 19) ^ (a &>> 22 | a &<< 10)) &+ ((a & b) | (c & (a | b)))
    d = d &+ t1
    h = t1 &+ t2
}
