/// Walks one term's postings list: passages in increasing order, with frequencies and,
/// on demand, positions.
///
/// Every read is bounds-checked; a list that runs past its end or points past the last
/// passage ends the walk and sets ``isCorrupt`` instead of crashing.
public struct PostingsCursor {
    /// Keeps the memory map alive while the cursor exists.
    private let owner: AnyObject
    private let bytes: UnsafeRawBufferPointer
    private var offset: Int
    private let end: Int
    private let passageLimit: Int
    /// The current passage number, `-1` before the first ``next()``, `Int.max` when done.
    public private(set) var passage = -1
    /// Occurrences of the term in the current passage.
    public private(set) var frequency = 0
    private var positionsOffset = 0
    private var positionsConsumed = true
    /// Set when the list is malformed; the cursor is then exhausted.
    public private(set) var isCorrupt = false

    init(owner: AnyObject, bytes: UnsafeRawBufferPointer, range: Range<Int>, passageLimit: Int) {
        self.owner = owner
        self.bytes = bytes
        self.offset = range.lowerBound
        self.end = range.upperBound
        self.passageLimit = passageLimit
    }

    /// Whether the cursor has passed its last passage.
    public var isExhausted: Bool { passage == Int.max }

    @inline(__always)
    private mutating func readVarint() -> UInt32? {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while offset < end {
            let byte = bytes[offset]
            offset += 1
            result |= UInt32(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 28 { return nil }
        }
        return nil
    }

    private mutating func fail() -> Bool {
        isCorrupt = true
        passage = Int.max
        return false
    }

    /// Moves to the next passage; `false` at the end of the list.
    @discardableResult
    public mutating func next() -> Bool {
        if passage == Int.max { return false }
        if !positionsConsumed {
            // Skip the unread positions: one varint each, ended by a byte below 0x80.
            var remaining = frequency
            while remaining > 0 && offset < end {
                if bytes[offset] < 0x80 { remaining -= 1 }
                offset += 1
            }
            if remaining > 0 { return fail() }
        }
        if offset >= end {
            passage = Int.max
            return false
        }
        guard let delta = readVarint(), delta > 0, let frequency = readVarint(), frequency > 0 else { return fail() }
        let next = (passage < 0 ? -1 : passage) + Int(delta)
        guard next < passageLimit else { return fail() }
        passage = next
        self.frequency = Int(frequency)
        positionsOffset = offset
        positionsConsumed = false
        return true
    }

    /// Moves to the first passage at or after `target`; `false` if there is none.
    @discardableResult
    public mutating func advance(to target: Int) -> Bool {
        while passage < target {
            if !next() { return false }
        }
        return passage != Int.max
    }

    /// The positions of the term in the current passage, in increasing order.
    public mutating func positions(into buffer: inout [Int32]) {
        buffer.removeAll(keepingCapacity: true)
        guard passage >= 0 && passage != Int.max else { return }
        offset = positionsOffset
        var position: UInt32 = 0
        for _ in 0..<frequency {
            guard let delta = readVarint() else { _ = fail(); buffer.removeAll(); return }
            position &+= delta
            buffer.append(Int32(bitPattern: position))
        }
        positionsConsumed = true
    }
}
