/// Walks one term's postings list: passages in increasing order, with frequencies and,
/// on demand, positions; block headers let it skip blocks unread and bound their scores.
///
/// Every read is bounds-checked; a list that runs past its end or points past the last
/// passage ends the walk and sets ``isCorrupt`` instead of crashing.
package struct PostingsCursor {
    /// Keeps the memory map alive while the cursor exists.
    private let owner: AnyObject
    private let bytes: UnsafeRawBufferPointer
    private let end: Int
    private let passageLimit: Int
    /// The number of passages in the list.
    package let documentFrequency: Int

    /// The current passage number, `-1` before the first ``next()``, `Int.max` when done.
    package private(set) var passage = -1
    /// Occurrences of the term in the current passage.
    package private(set) var frequency = 0
    /// Set when the list is malformed; the cursor is then exhausted.
    package private(set) var isCorrupt = false

    /// The list's (frequency, norm) pairs: its best score is the best over them.
    package private(set) var listPairs: [(frequency: Int, norm: UInt8)] = []

    // The block whose header was read last.
    private var blockIndex = -1
    private var nextHeader: Int
    private var previousBlockLast = -1
    /// Last passage of the current block (`Int.max` past the end).
    package private(set) var blockLast = -1
    private var pairsStart = 0
    private var pairCount = 0
    private var docsStart = 0
    private var docsEnd = 0
    private var positionsStart = 0
    // Decoding state inside the current block.
    private var decoded = false
    private var docOffset = 0
    private var remaining = 0
    private var positionsOffset = 0
    private var positionsBehind = 0
    private var positionsRead = true
    private var lastPositionsStart = 0

    init(owner: AnyObject, bytes: UnsafeRawBufferPointer, range: Range<Int>, documentFrequency: Int, passageLimit: Int) {
        self.owner = owner
        self.bytes = bytes
        self.end = range.upperBound
        self.passageLimit = passageLimit
        self.documentFrequency = documentFrequency
        nextHeader = range.lowerBound
        guard let count = readVarint(&nextHeader) else { fail(); return }
        for _ in 0..<count {
            guard let frequency = readVarint(&nextHeader), nextHeader < end else { fail(); return }
            listPairs.append((Int(frequency), bytes[nextHeader]))
            nextHeader += 1
        }
    }

    /// Whether the cursor has passed its last passage.
    package var isExhausted: Bool { passage == Int.max }

    @inline(__always)
    private func readVarint(_ offset: inout Int) -> UInt32? {
        guard offset < end else { return nil }
        var byte = bytes[offset]
        offset += 1
        if byte < 0x80 { return UInt32(byte) }
        var result = UInt32(byte & 0x7F)
        var shift: UInt32 = 7
        while offset < end {
            byte = bytes[offset]
            offset += 1
            result |= UInt32(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 28 { return nil }
        }
        return nil
    }

    private mutating func fail() {
        isCorrupt = true
        passage = Int.max
        blockLast = Int.max
    }

    private mutating func finishList() {
        passage = Int.max
        blockLast = Int.max
    }

    /// Reads the next block's header; `false` at the end of the list (or on damage).
    private mutating func readHeader() -> Bool {
        if nextHeader >= end {
            if documentFrequency > (blockIndex + 1) * SegmentFormat.postingsBlockSize { fail() } else { finishList() }
            return false
        }
        guard blockIndex + 1 < (documentFrequency + SegmentFormat.postingsBlockSize - 1) / SegmentFormat.postingsBlockSize
        else { fail(); return false }
        var offset = nextHeader
        guard let delta = readVarint(&offset), delta > 0, let docsLength = readVarint(&offset),
              let positionsLength = readVarint(&offset), let pairs = readVarint(&offset) else { fail(); return false }
        pairsStart = offset
        for _ in 0..<pairs {
            guard readVarint(&offset) != nil, offset < end else { fail(); return false }
            offset += 1
        }
        pairCount = Int(pairs)
        let last = blockLast < 0 ? Int(delta) - 1 : blockLast + Int(delta)
        guard last < passageLimit, end - offset >= Int(docsLength) + Int(positionsLength) else { fail(); return false }
        blockIndex += 1
        previousBlockLast = blockLast
        blockLast = last
        docsStart = offset
        docsEnd = offset + Int(docsLength)
        positionsStart = docsEnd
        nextHeader = docsEnd + Int(positionsLength)
        decoded = false
        return true
    }

    private mutating func startBlock() {
        decoded = true
        docOffset = docsStart
        remaining = min(SegmentFormat.postingsBlockSize, documentFrequency - blockIndex * SegmentFormat.postingsBlockSize)
        positionsOffset = positionsStart
        positionsBehind = 0
        positionsRead = true
        passage = previousBlockLast
        frequency = 0
    }

    /// Decodes the next posting of the current (started) block.
    @inline(__always)
    private mutating func decodeNext() -> Bool {
        guard let code = readVarint(&docOffset), code >= 2 else { fail(); return false }
        let next = passage + Int(code >> 1)
        let tf: Int
        if code & 1 == 1 {
            tf = 1
        } else {
            guard let value = readVarint(&docOffset), value > 1 else { fail(); return false }
            tf = Int(value)
        }
        guard next <= blockLast, docOffset <= docsEnd else { fail(); return false }
        if !positionsRead { positionsBehind += frequency }
        positionsRead = false
        passage = next
        frequency = tf
        remaining -= 1
        if remaining == 0 && next != blockLast { fail(); return false }
        return true
    }

    /// Moves to the next passage; `false` at the end of the list.
    @discardableResult
    package mutating func next() -> Bool {
        if passage == Int.max { return false }
        if decoded && remaining > 0 { return decodeNext() }
        guard readHeader() else { return false }
        startBlock()
        return decodeNext()
    }

    /// Moves to the first passage at or after `target`; `false` if there is none.
    @discardableResult
    package mutating func advance(to target: Int) -> Bool {
        if passage >= target { return passage != Int.max }
        if !shallowAdvance(to: target) { return false }
        if !decoded { startBlock() }
        // The same steps as `decodeNext()`, on locals so the loop runs in registers: a
        // phrase's intersection spends most of its time here, passing over postings. The
        // checks that hold for the whole walk once they hold at its end (passages and
        // offsets only grow) are made after the loop.
        guard passage < target else { return true }
        var offset = docOffset
        var current = passage
        var tf = frequency
        var left = remaining
        // Positions to skip: the frequencies of the postings passed, the first one's only if
        // its positions were not read (its count is taken back here, added in the loop).
        var behind = positionsRead ? positionsBehind - frequency : positionsBehind
        let limit = docsEnd
        var sound = true
        repeat {
            guard left > 0, offset < limit else { sound = false; break }
            var code = UInt32(bytes[offset])
            offset &+= 1
            if code >= 0x80 {
                offset &-= 1
                guard let value = readVarint(&offset) else { sound = false; break }
                code = value
            }
            if code < 2 { sound = false; break }
            behind &+= tf
            current &+= Int(code >> 1)
            if code & 1 == 1 {
                tf = 1
            } else {
                guard let value = readVarint(&offset), value > 1 else { sound = false; break }
                tf = Int(value)
            }
            left &-= 1
        } while current < target
        guard sound, current <= blockLast, offset <= limit, left > 0 || current == blockLast else {
            fail()
            return false
        }
        docOffset = offset
        passage = current
        frequency = tf
        remaining = left
        positionsBehind = behind
        positionsRead = false
        return true
    }

    /// Moves the block header, not the passage, to the block that may hold `target`,
    /// skipping whole blocks unread; `false` when no block is left. Only ``advance(to:)``
    /// to `target` or beyond may follow.
    @discardableResult
    package mutating func shallowAdvance(to target: Int) -> Bool {
        while blockLast < target {
            if blockLast == Int.max || !readHeader() { return false }
        }
        return true
    }

    /// The best value of `score` over the current block's (frequency, norm) pairs.
    @inline(__always)
    package func blockMax(_ score: (Int, UInt8) -> Double) -> Double {
        var offset = pairsStart
        var best = 0.0
        for _ in 0..<pairCount {
            var local = offset
            guard let frequency = readVarint(&local), local < end else { return .infinity }
            let value = score(Int(frequency), bytes[local])
            if value > best { best = value }
            offset = local + 1
        }
        return best
    }

    /// The positions of the term in the current passage, in increasing order.
    package mutating func positions(into buffer: inout [Int32]) {
        buffer.removeAll(keepingCapacity: true)
        guard decoded, passage >= 0, passage != Int.max else { return }
        var offset = lastPositionsStart
        if !positionsRead {
            // Skip the positions of the passages passed over: one varint each, so as many
            // bytes below 0x80 (last bytes of a varint). Eight bytes at a time while all
            // the last bytes they hold are to be skipped, then byte by byte.
            offset = positionsOffset
            var skip = positionsBehind
            while skip >= 8 && offset + 8 <= nextHeader {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                let ends = (~word & 0x8080_8080_8080_8080).nonzeroBitCount
                if ends >= skip { break }  // the rest lies in this word: byte by byte
                skip -= ends
                offset += 8
            }
            while skip > 0 {
                guard offset < nextHeader else { fail(); return }
                if bytes[offset] < 0x80 { skip -= 1 }
                offset += 1
            }
            lastPositionsStart = offset
        }
        var position: UInt32 = 0
        for _ in 0..<frequency {
            guard let delta = readVarint(&offset), offset <= nextHeader else { fail(); buffer.removeAll(); return }
            position &+= delta
            buffer.append(Int32(bitPattern: position))
        }
        positionsOffset = offset
        positionsBehind = 0
        positionsRead = true
    }
}
