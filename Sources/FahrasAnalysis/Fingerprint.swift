/// A passage's near-duplicate fingerprint: Charikar's SimHash over its word pairs.
///
/// Each pair of consecutive words (folded terms, so case and diacritics do not matter)
/// votes on each of 64 bits through its hash; the fingerprint keeps the majority. Passages
/// that share most of their word pairs (a wire story republished with a changed word or a
/// different credit line) get fingerprints a few bits apart; unrelated passages differ in
/// about half of them (Manku, Jain and Das Sarma, WWW 2007, use 64 bits and 3 bits apart for
/// web pages).
public enum Fingerprint {
    /// Fingerprints at most this many bits apart are copies of each other.
    public static let maximumDistance = 3

    /// Passages with fewer word pairs get no fingerprint (0): too short to call copies.
    public static let minimumPairs = 8

    /// The fingerprint of a passage's tokens (variants are left out), or 0 when too short.
    public static func of(_ tokens: [Token]) -> UInt64 {
        var words: [UInt64] = []
        words.reserveCapacity(tokens.count)
        for token in tokens where !token.isVariant { words.append(hash(token.term)) }
        guard words.count > minimumPairs else { return 0 }
        var votes = [Int32](repeating: 0, count: 64)
        for i in 1..<words.count {
            let pair = mix(words[i - 1] &* 31 &+ words[i])
            for bit in 0..<64 { votes[bit] += (pair >> UInt64(bit)) & 1 == 1 ? 1 : -1 }
        }
        var result: UInt64 = 0
        for bit in 0..<64 where votes[bit] > 0 { result |= 1 << UInt64(bit) }
        // 0 means "none": a passage that hashes to it is counted as 1.
        return result == 0 ? 1 : result
    }

    /// Whether two fingerprints mark copies.
    @inline(__always)
    public static func areCopies(_ a: UInt64, _ b: UInt64) -> Bool {
        a != 0 && b != 0 && (a ^ b).nonzeroBitCount <= maximumDistance
    }

    /// FNV-1a 64 of a term's bytes.
    private static func hash(_ term: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in term.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return h
    }

    /// SplitMix64's finalizer: every input bit reaches every output bit.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
