import CPackedInts

/// Unsigned integers packed in a fixed number of bits each, the first in the lowest bits
/// of the first byte (a postings block's gaps and frequencies): any one of them is read with
/// one 8-byte load (a frequency, without decoding the others), and a run of them is unpacked
/// in one loop (a block's gaps, summed into its passages; its frequencies, summed to find a
/// passage's positions).
package enum PackedInts {
    /// The bits needed to write `value` (0 for 0).
    static func width(_ value: UInt32) -> Int {
        UInt32.bitWidth - value.leadingZeroBitCount
    }

    /// The bytes that `count` values of `bits` bits take.
    static func byteCount(_ count: Int, bits: Int) -> Int {
        (count * bits + 7) / 8
    }

    /// Appends `values`, each less `minus`, in `bits` bits each (every value must fit).
    static func append<Values: Sequence<UInt32>>(_ values: Values, minus: UInt32 = 0, bits: Int, to out: inout [UInt8]) {
        guard bits > 0 else { return }
        var pending: UInt64 = 0
        var filled = 0
        for value in values {
            pending |= UInt64(value - minus) << UInt64(filled)
            filled += bits
            while filled >= 8 {
                out.append(UInt8(truncatingIfNeeded: pending))
                pending >>= 8
                filled -= 8
            }
        }
        if filled > 0 { out.append(UInt8(truncatingIfNeeded: pending)) }
    }

    /// Values packed from `start` in `bits` bits each.
    struct Run {
        private(set) var start = 0
        private(set) var bits = 0
        private var mask: UInt64 = 0

        init() {}

        init(start: Int, bits: Int) {
            self.start = start
            self.bits = bits
            mask = bits >= 64 ? .max : UInt64(1) << UInt64(bits) - 1
        }

        /// Where `count` values end.
        func end(_ count: Int) -> Int { start + PackedInts.byteCount(count, bits: bits) }

        /// Value `index`: 8 bytes read from its first byte, which the caller makes sure lie in
        /// `bytes`. `bits` is at most 32, so a value and its offset in its first byte fit.
        @inline(__always)
        func value(at index: Int, in bytes: UnsafeRawBufferPointer) -> Int {
            if bits == 0 { return 0 }
            let bit = index &* bits
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: start &+ (bit &>> 3), as: UInt64.self))
            return Int(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
        }

        /// The running sums of the first `count` values, each plus one, from `after`, into
        /// `out` (passages from their gaps less one, positions before each passage from the
        /// frequencies less one); returns the last sum (`after` if none). `room`: the values
        /// `out` can take (at least `count`), so that the vector loop (``fahras_packed_sums``)
        /// may unpack a last group of fewer than eight whole.
        func unpackSums(count: Int, in bytes: UnsafeRawBufferPointer, after: Int, into out: UnsafeMutablePointer<Int>,
                        room: Int? = nil) -> Int {
            var last = 0
            if bits > 0, count > 0, let base = bytes.baseAddress,
               fahras_packed_sums((base + start).assumingMemoryBound(to: UInt8.self), bytes.count - start, bits, count,
                                  room ?? count, after, out, &last) {
                return last
            }
            return sumsOneByOne(count: count, in: bytes, after: after, into: out)
        }

        /// ``unpackSums(count:in:after:into:room:)`` without vector instructions.
        func sumsOneByOne(count: Int, in bytes: UnsafeRawBufferPointer, after: Int, into out: UnsafeMutablePointer<Int>) -> Int {
            var sum = after
            if bits == 0 {
                for i in 0..<count { sum &+= 1; out[i] = sum }
                return sum
            }
            guard count > 0, let base = bytes.baseAddress else { return sum }
            let first = base + start
            // Common widths get a loop compiled for them: eight values a step, at offsets and
            // shifts known when compiled.
            switch bits {
            case 1: return PackedInts.sums(W1.self, count: count, from: first, after: after, into: out)
            case 2: return PackedInts.sums(W2.self, count: count, from: first, after: after, into: out)
            case 3: return PackedInts.sums(W3.self, count: count, from: first, after: after, into: out)
            case 4: return PackedInts.sums(W4.self, count: count, from: first, after: after, into: out)
            case 5: return PackedInts.sums(W5.self, count: count, from: first, after: after, into: out)
            case 6: return PackedInts.sums(W6.self, count: count, from: first, after: after, into: out)
            case 7: return PackedInts.sums(W7.self, count: count, from: first, after: after, into: out)
            case 8: return PackedInts.sums(W8.self, count: count, from: first, after: after, into: out)
            case 9: return PackedInts.sums(W9.self, count: count, from: first, after: after, into: out)
            case 10: return PackedInts.sums(W10.self, count: count, from: first, after: after, into: out)
            case 11: return PackedInts.sums(W11.self, count: count, from: first, after: after, into: out)
            case 12: return PackedInts.sums(W12.self, count: count, from: first, after: after, into: out)
            default: break
            }
            let (bits, mask) = (self.bits, self.mask)
            var bit = 0
            for i in 0..<count {
                let word = UInt64(littleEndian: (first + (bit &>> 3)).loadUnaligned(as: UInt64.self))
                sum &+= 1 &+ Int(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
                out[i] = sum
                bit &+= bits
            }
            return sum
        }

        /// Values `first..<(first + count)`, each plus `value`, into `out`; `room` as for
        /// ``unpackSums(count:in:after:into:room:)``.
        func unpack(from first: Int, count: Int, in bytes: UnsafeRawBufferPointer, adding value: Int,
                    into out: UnsafeMutablePointer<Int>, room: Int? = nil) {
            if bits > 0, count > 0, let base = bytes.baseAddress,
               fahras_packed_values((base + start).assumingMemoryBound(to: UInt8.self), bytes.count - start, bits, first, count,
                                    room ?? count, value, out) {
                return
            }
            unpackOneByOne(from: first, count: count, in: bytes, adding: value, into: out)
        }

        /// ``unpack(from:count:in:adding:into:room:)`` without vector instructions.
        func unpackOneByOne(from first: Int, count: Int, in bytes: UnsafeRawBufferPointer, adding value: Int,
                            into out: UnsafeMutablePointer<Int>) {
            guard count > 0 else { return }
            if bits == 0 { out.update(repeating: value, count: count); return }
            guard let base = bytes.baseAddress else { return }
            let (start, bits, mask) = (base + self.start, self.bits, self.mask)
            var bit = first &* bits
            for i in 0..<count {
                let word = UInt64(littleEndian: (start + (bit &>> 3)).loadUnaligned(as: UInt64.self))
                out[i] = value &+ Int(truncatingIfNeeded: (word &>> UInt64(bit & 7)) & mask)
                bit &+= bits
            }
        }
    }

    /// A width known when compiled.
    protocol Width { static var bits: Int { get } }
    enum W1: Width { static var bits: Int { 1 } }
    enum W2: Width { static var bits: Int { 2 } }
    enum W3: Width { static var bits: Int { 3 } }
    enum W4: Width { static var bits: Int { 4 } }
    enum W5: Width { static var bits: Int { 5 } }
    enum W6: Width { static var bits: Int { 6 } }
    enum W7: Width { static var bits: Int { 7 } }
    enum W8: Width { static var bits: Int { 8 } }
    enum W9: Width { static var bits: Int { 9 } }
    enum W10: Width { static var bits: Int { 10 } }
    enum W11: Width { static var bits: Int { 11 } }
    enum W12: Width { static var bits: Int { 12 } }

    /// ``Run/unpackSums(count:in:after:into:)`` for values of `W.bits` bits from `first`.
    @inline(__always)
    static func sums<W: Width>(_: W.Type, count: Int, from first: UnsafeRawPointer, after: Int,
                               into out: UnsafeMutablePointer<Int>) -> Int {
        let mask = UInt64(1) << UInt64(W.bits) - 1
        @inline(__always) func read(_ group: UnsafeRawPointer, _ k: Int) -> Int {
            let bit = k * W.bits
            return Int(truncatingIfNeeded: (UInt64(littleEndian: (group + (bit >> 3)).loadUnaligned(as: UInt64.self)) >> UInt64(bit & 7)) & mask)
        }
        var sum = after
        var group = first
        var i = 0
        // Eight values fill `W.bits` bytes: each group of eight starts on a byte.
        while i &+ 8 <= count {
            sum &+= 1 &+ read(group, 0); out[i] = sum
            sum &+= 1 &+ read(group, 1); out[i &+ 1] = sum
            sum &+= 1 &+ read(group, 2); out[i &+ 2] = sum
            sum &+= 1 &+ read(group, 3); out[i &+ 3] = sum
            sum &+= 1 &+ read(group, 4); out[i &+ 4] = sum
            sum &+= 1 &+ read(group, 5); out[i &+ 5] = sum
            sum &+= 1 &+ read(group, 6); out[i &+ 6] = sum
            sum &+= 1 &+ read(group, 7); out[i &+ 7] = sum
            group += W.bits
            i &+= 8
        }
        var k = 0
        while i < count {
            sum &+= 1 &+ read(group, k)
            out[i] = sum
            i &+= 1
            k &+= 1
        }
        return sum
    }
}
