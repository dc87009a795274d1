/// A passage length in one byte, as Lucene's `SmallFloat.intToByte4` and Tantivy's
/// fieldnorms store it: lengths 0–23 exactly, then 3 bits of mantissa on a log scale
/// (24, 25, …, 40, 42, 44, …, 2,013,265,944).
///
/// BM25 reads a passage's length through its code, so scores match Tantivy's and a query
/// can precompute the 256 possible length factors once.
package enum LengthNorm {
    /// The length each code stands for, increasing.
    package static let lengths: [UInt32] = (0..<256).map { decode(UInt8($0)) }

    private static func decode(_ code: UInt8) -> UInt32 {
        guard code >= 24 else { return UInt32(code) }
        let part = code - 24
        let bits = UInt32(part & 0b111)
        let shift = part >> 3
        return 24 + (shift == 0 ? bits : (bits | 8) << UInt32(shift - 1))
    }

    /// The largest code whose length is at most `length`.
    package static func code(_ length: Int) -> UInt8 {
        guard length > 0 else { return 0 }
        let value = UInt32(clamping: length)
        var low = 0
        var high = 256
        while high - low > 1 {
            let mid = (low + high) / 2
            if lengths[mid] <= value { low = mid } else { high = mid }
        }
        return UInt8(low)
    }
}
