/// A passage's near-duplicate fingerprint: Charikar's SimHash over its word pairs.
///
/// Each pair of consecutive words (as written, ASCII case aside) votes on each of 64 bits
/// through its hash; the fingerprint keeps the majority. The Hamming distance between two
/// fingerprints tracks the angle between the passages' word-pair counts (about 64/π times
/// it), so passages that share most of their word pairs (a wire story republished with a
/// dateline, a changed word or another credit) are a few bits apart, and unrelated ones
/// about 32.
package enum Fingerprint {
    /// Fingerprints at most this many bits apart are copies of each other: about 97 %
    /// cosine similarity, a word or two changed in a short paragraph, while two unrelated
    /// passages are about 32 bits apart (the evidence is in the commit that set it).
    package static let maximumDistance = 6

    /// Passages with fewer word pairs get no fingerprint (0): too short to call copies.
    package static let minimumPairs = 8

    /// The fingerprint of a passage's words (its tokens that are no variants, each as written
    /// in `text`, ASCII letters in lower case), or 0 when too short. The words are hashed
    /// from the text's bytes: reading each token's term string cost more than the rest.
    package static func of(_ tokens: [Token], in text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { bytes in
            var words: [UInt64] = []
            words.reserveCapacity(tokens.count)
            for k in tokens.indices where !tokens[k].isVariant {
                words.append(hash(bytes, tokens[k].start..<min(tokens[k].end, bytes.count)))
            }
            guard words.count > minimumPairs else { return 0 }
            // Each word's hash becomes its pair's with the next, in place.
            for i in 1..<words.count { words[i - 1] = mix(words[i - 1] &* 31 &+ words[i]) }
            words.removeLast()
            let result = majority(words)
            // 0 means "none": a passage that hashes to it is counted as 1.
            return result == 0 ? 1 : result
        }
    }

    /// The bits set in more than half of `values`.
    ///
    /// The ones of each bit are counted eight bits at a time: a byte of a value spread over
    /// the eight bytes of a word (``spread``) adds one to eight byte-wide counters at once;
    /// the counters are emptied into wide ones before a byte can overflow.
    static func majority(_ values: [UInt64]) -> UInt64 {
        var result: UInt64 = 0
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 8) { lanes in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { ones in
                lanes.initialize(repeating: 0)
                ones.initialize(repeating: 0)
                func empty() {
                    for lane in 0..<8 {
                        for k in 0..<8 { ones[lane * 8 + k] += UInt32(truncatingIfNeeded: lanes[lane] >> UInt64(8 * k)) & 0xFF }
                        lanes[lane] = 0
                    }
                }
                // The table read through a pointer: `spread[…]` went through its lazy global's
                // accessor on every byte.
                spread.withUnsafeBufferPointer { spread in
                    for (i, value) in values.enumerated() {
                        for lane in 0..<8 { lanes[lane] &+= spread[Int(truncatingIfNeeded: value >> UInt64(8 * lane)) & 0xFF] }
                        if i % 255 == 254 { empty() }
                    }
                }
                empty()
                for bit in 0..<64 where Int(ones[bit]) * 2 > values.count { result |= 1 << UInt64(bit) }
            }
        }
        return result
    }

    /// Whether two fingerprints mark copies.
    @inline(__always)
    package static func areCopies(_ a: UInt64, _ b: UInt64) -> Bool {
        a != 0 && b != 0 && (a ^ b).nonzeroBitCount <= maximumDistance
    }

    /// Each byte's eight bits, one to a byte of a word (bit k of the byte in byte k).
    private static let spread: [UInt64] = (0..<256).map { (byte: Int) -> UInt64 in
        var word: UInt64 = 0
        for k in 0..<8 where (byte >> k) & 1 == 1 { word |= UInt64(1) << UInt64(8 * k) }
        return word
    }

    /// A hash of a word's bytes with ASCII letters in lower case: a rotate and an xor a byte
    /// (no multiply in the chain), then one finalizer a word.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var h = UInt64(range.count)
        for i in range {
            let byte = bytes[i]
            h = (h << 7 | h >> 57) ^ UInt64(byte &- 0x41 < 26 ? byte | 0x20 : byte)
        }
        return mix(h)
    }

    /// SplitMix64's finalizer: every input bit reaches every output bit.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Fingerprints filed so that the ones a fingerprint is a copy of are found without
/// comparing it with each: two fingerprints at most ``Fingerprint/maximumDistance`` bits apart
/// agree on at least one of ``Fingerprint/maximumDistance`` + 1 slices of their bits (the
/// pigeonhole principle), so each slice is a key.
package struct CopyIndex: Sendable {
    package static let slices = Fingerprint.maximumDistance + 1
    package static let sliceBits = 64 / slices
    private var filed: [[UInt64: [Int]]] = Array(repeating: [:], count: slices)
    /// The fingerprints added, by number.
    package private(set) var prints: [UInt64] = []

    package init() {}

    /// Slice `k` of `print`: ``sliceBits`` bits.
    package static func slice(_ print: UInt64, _ k: Int) -> UInt64 {
        (print >> UInt64(k * sliceBits)) & ((1 << UInt64(sliceBits)) - 1)
    }

    /// Files `print` (not 0) under the next number.
    package mutating func add(_ print: UInt64) {
        for k in 0..<CopyIndex.slices { filed[k][CopyIndex.slice(print, k), default: []].append(prints.count) }
        prints.append(print)
    }

    /// The numbers of the fingerprints `print` is a copy of, in increasing order.
    package func copies(of print: UInt64) -> [Int] {
        guard print != 0 else { return [] }
        var found: [Int] = []
        for k in 0..<CopyIndex.slices {
            for n in filed[k][CopyIndex.slice(print, k)] ?? [] where Fingerprint.areCopies(prints[n], print) && !found.contains(n) {
                found.append(n)
            }
        }
        return found.sorted()
    }
}

