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
    /// The started block's passages, decoded whole when it is started (a copy of the cursor
    /// that starts another block decodes into a buffer of its own); its frequencies are read
    /// one by one where they are packed.
    private var block: PassageBuffer?
    private var decoded = false
    private var count = 0
    /// The current passage's index in the block.
    private var index = -1
    private var frequencies = PackedInts.Run()
    // Positions: those of passage `positionsIndex` of the block start at `positionsOffset`;
    // the current passage's, once read, at `lastPositionsStart`.
    private var positionsOffset = 0
    private var positionsIndex = 0
    private var lastPositionsStart = 0
    /// The started block's frequency sums, in its buffer (``PassageBuffer/sums()``), once made.
    private var sums: UnsafeMutablePointer<Int>?

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

    /// Starts the current block, its passages decoded; `false` (and the cursor damaged) when
    /// its sizes do not add up or its passages pass the header's last.
    private mutating func startBlock() -> Bool {
        count = min(SegmentFormat.postingsBlockSize, documentFrequency - blockIndex * SegmentFormat.postingsBlockSize)
        guard docsEnd - docsStart >= 2 else { fail(); return false }
        let gaps = PackedInts.Run(start: docsStart + 2, bits: Int(bytes[docsStart]))
        frequencies = PackedInts.Run(start: gaps.end(count - 1), bits: Int(bytes[docsStart + 1]))
        // Values are read 8 bytes at a time: the bytes after the block (positions, other
        // sections, the footer) are there in a sound file.
        guard gaps.bits <= 32, frequencies.bits <= 32, frequencies.end(count) == docsEnd, docsEnd + 8 <= bytes.count
        else { fail(); return false }
        if block == nil || !isKnownUniquelyReferenced(&block!) { block = PassageBuffer() }
        let passages = block.unsafelyUnwrapped.passages
        // Passages increase by construction (gaps less one are packed): the one check is that
        // the last packed one lies before the header's last.
        let before = gaps.unpackSums(count: count - 1, in: bytes, after: previousBlockLast, into: passages,
                                     room: SegmentFormat.postingsBlockSize)
        guard before < blockLast else { fail(); return false }
        passages[count - 1] = blockLast
        decoded = true
        sums = nil
        index = -1
        positionsOffset = positionsStart
        positionsIndex = 0
        passage = previousBlockLast
        frequency = 0
        return true
    }

    /// Moves to passage `i` of the started block.
    @inline(__always)
    private mutating func move(to i: Int) {
        index = i
        passage = block.unsafelyUnwrapped.passages[i]
        frequency = 1 &+ frequencies.value(at: i, in: bytes)
    }

    /// Moves to the next passage; `false` at the end of the list.
    @discardableResult
    package mutating func next() -> Bool {
        if decoded && index &+ 1 < count {
            move(to: index &+ 1)
            return true
        }
        if passage == Int.max { return false }
        guard readHeader(), startBlock() else { return false }
        move(to: 0)
        return true
    }

    /// Moves to the first passage at or after `target`; `false` if there is none.
    @discardableResult
    package mutating func advance(to target: Int) -> Bool {
        if passage >= target { return passage != Int.max }
        if !shallowAdvance(to: target) { return false }
        if !decoded && !startBlock() { return false }
        // The block's last passage is at or after `target`, so the walk stops in the block.
        let passages = block.unsafelyUnwrapped.passages
        var i = index &+ 1
        while passages[i] < target { i &+= 1 }
        move(to: i)
        return true
    }

    /// Moves this cursor and `other` on to the first passage both hold, from their current
    /// ones (this one leads: the rarer list), and returns it (`Int.max` when there is none).
    /// One call for the whole leapfrog: a phrase of two words called ``advance(to:)`` across
    /// modules for every step.
    package mutating func meet(_ other: inout PostingsCursor) -> Int {
        var target = passage
        while target != Int.max {
            other.advance(to: target)
            if other.passage == target { return target }
            // Not advanced to the end: that would read every header left in this list.
            if other.passage == Int.max { return Int.max }
            advance(to: other.passage)
            target = passage
        }
        return Int.max
    }

    /// Hands the passages and frequencies of the current block after the current passage
    /// (from its first if the block is not started) to `body`, then moves to the block's
    /// last. Call it after ``shallowAdvance(to:)``; nothing is handed on when the list is
    /// exhausted or damaged. `frequencies` is room for ``SegmentFormat/postingsBlockSize``.
    package mutating func takeRest(frequencies out: UnsafeMutablePointer<Int>,
                                   _ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>) -> Void) {
        if passage == Int.max || (!decoded && !startBlock()) { return }
        let first = index + 1
        guard first < count else { return }
        frequencies.unpack(from: first, count: count - first, in: bytes, adding: 1, into: out,
                           room: SegmentFormat.postingsBlockSize - first)
        body(UnsafeBufferPointer(start: block.unsafelyUnwrapped.passages + first, count: count - first),
             UnsafeBufferPointer(start: out, count: count - first))
        move(to: count - 1)
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

    /// How many positions the passages from `positionsIndex` up to the current one hold:
    /// the difference of two running sums of the block's frequencies, made the first time a
    /// block's positions are read (a phrase of common words reads some 45 passages' positions
    /// a block, and summing each run of frequencies afresh was a tenth of its instructions).
    private mutating func skippedPositions() -> Int {
        guard let sums else {
            let made = block.unsafelyUnwrapped.sums()
            made[0] = 0
            _ = frequencies.unpackSums(count: count, in: bytes, after: 0, into: made + 1, room: SegmentFormat.postingsBlockSize)
            sums = made
            return made[index] - made[positionsIndex]
        }
        return sums[index] - sums[positionsIndex]
    }

    /// Where the current passage's positions start, past those of the passages passed over;
    /// `nil` (the cursor then damaged) when they run past the block.
    private mutating func currentPositions() -> Int? {
        guard positionsIndex != index + 1 else { return lastPositionsStart }
        // Skip the positions of the passages passed over: one varint each, so as many
        // bytes below 0x80 (last bytes of a varint). Eight bytes at a time while all
        // the last bytes they hold are to be skipped, then byte by byte.
        var offset = positionsOffset
        var skip = skippedPositions()
        while skip >= 8 && offset + 8 <= nextHeader {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let ends = (~word & 0x8080_8080_8080_8080).nonzeroBitCount
            if ends >= skip { break }  // the rest lies in this word: byte by byte
            skip -= ends
            offset += 8
        }
        while skip > 0 {
            guard offset < nextHeader else { fail(); return nil }
            if bytes[offset] < 0x80 { skip -= 1 }
            offset += 1
        }
        lastPositionsStart = offset
        return offset
    }

    /// The next position of the current passage from `offset` (`position` the one before);
    /// `nil` (the cursor then damaged) when it runs past the block.
    @inline(__always)
    private mutating func nextPosition(_ offset: inout Int, after position: UInt32) -> UInt32? {
        guard let delta = readVarint(&offset), offset <= nextHeader else { fail(); return nil }
        return position &+ delta
    }

    /// Marks the current passage's positions read, up to `offset`.
    @inline(__always)
    private mutating func finishPositions(at offset: Int) {
        positionsOffset = offset
        positionsIndex = index + 1
    }

    /// The positions of the term in the current passage, in increasing order.
    package mutating func positions(into buffer: inout [Int32]) {
        guard decoded, passage >= 0, passage != Int.max, var offset = currentPositions() else {
            buffer.removeAll(keepingCapacity: true)
            return
        }
        // The buffer is sized to the frequency and written in place: emptying it and appending
        // went through the array's generic paths, a tenth of a phrase of two common words.
        let count = frequency
        if buffer.count > count {
            buffer.removeLast(buffer.count - count)
        } else if buffer.count < count {
            buffer.append(contentsOf: repeatElement(0, count: count - buffer.count))
        }
        let read = buffer.withUnsafeMutableBufferPointer { out in
            var position: UInt32 = 0
            for k in 0..<count {
                guard let next = nextPosition(&offset, after: position) else { return false }
                position = next
                out[k] = Int32(bitPattern: position)
            }
            return true
        }
        guard read else { buffer.removeAll(); return }
        finishPositions(at: offset)
    }

    /// How many of this term's positions in the current passage `next`'s term, on the same
    /// passage, follows (a phrase of the two words): both lists read in one pass, with no
    /// array between them.
    package mutating func followed(by next: inout PostingsCursor) -> Int {
        guard decoded, next.decoded, passage >= 0, passage != Int.max, next.passage == passage,
              var a = currentPositions(), var b = next.currentPositions() else { return 0 }
        let (countA, countB) = (frequency, next.frequency)
        var (x, y): (UInt32, UInt32) = (0, 0)
        var (readA, readB) = (0, 0)
        var (haveX, haveY) = (false, false)
        var occurrences = 0
        var counted: UInt32? = nil  // a position repeated counts once
        while true {
            if !haveX && readA < countA {
                guard let position = nextPosition(&a, after: x) else { return 0 }
                (x, readA, haveX) = (position, readA + 1, true)
            }
            if !haveY && readB < countB {
                guard let position = next.nextPosition(&b, after: y) else { return 0 }
                (y, readB, haveY) = (position, readB + 1, true)
            }
            guard haveX && haveY else { break }
            if y == x &+ 1 {
                if counted != x { occurrences += 1; counted = x }
                haveX = false
            } else if y < x &+ 1 {
                haveY = false
            } else {
                haveX = false
            }
        }
        // Each list is read to its end, where the next passage's positions start.
        while readA < countA {
            guard let position = nextPosition(&a, after: x) else { return 0 }
            (x, readA) = (position, readA + 1)
        }
        while readB < countB {
            guard let position = next.nextPosition(&b, after: y) else { return 0 }
            (y, readB) = (position, readB + 1)
        }
        finishPositions(at: a)
        next.finishPositions(at: b)
        return occurrences
    }
}

/// A postings block's passages, decoded.
final class PassageBuffer {
    let passages = UnsafeMutablePointer<Int>.allocate(capacity: SegmentFormat.postingsBlockSize)
    /// Room for the block's frequency sums, made when positions are first read (most
    /// cursors never read any).
    private var sumsRoom: UnsafeMutablePointer<Int>?

    /// Room for `sums[i]`, the frequencies of the block's passages before passage `i` added up.
    func sums() -> UnsafeMutablePointer<Int> {
        if let sumsRoom { return sumsRoom }
        let room = UnsafeMutablePointer<Int>.allocate(capacity: SegmentFormat.postingsBlockSize + 1)
        sumsRoom = room
        return room
    }

    deinit {
        passages.deallocate()
        sumsRoom?.deallocate()
    }
}
