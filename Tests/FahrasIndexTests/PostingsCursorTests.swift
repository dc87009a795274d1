import Testing
@testable import FahrasIndex

/// A seeded linear congruential generator: the same lists on every run.
struct Seeded {
    private var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next(below n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(n))
    }
}

@Suite("Index: a postings cursor reads back what the encoder wrote")
struct PostingsCursorTests {
    /// Keeps an encoded list's bytes alive for its cursors, followed by `padding` bytes (a
    /// segment's later sections, at least its footer, follow its postings).
    final class EncodedList {
        let bytes: UnsafeMutableRawBufferPointer
        let listLength: Int
        let count: Int
        init(_ encoded: [UInt8], count: Int, padding: Int = 8) {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: encoded.count + padding, alignment: 8)
            buffer.initializeMemory(as: UInt8.self, repeating: 0xEE)
            encoded.withUnsafeBytes { buffer.copyMemory(from: $0) }
            bytes = buffer
            listLength = encoded.count
            self.count = count
        }
        deinit { bytes.deallocate() }
        func cursor() -> PostingsCursor {
            PostingsCursor(owner: self, bytes: UnsafeRawBufferPointer(bytes), range: 0..<listLength,
                           documentFrequency: count, passageLimit: 1_000_000)
        }
    }

    /// Passages with 1 to 12 positions whose gaps reach thousands (varints of one to
    /// three bytes), so that skipped positions end anywhere inside an eight-byte word.
    func list(seed: UInt64) -> (passages: [(Int, [Int32])], encoded: EncodedList) {
        var generator = Seeded(seed)
        func random(_ n: Int) -> Int { generator.next(below: n) }
        var passages: [(Int, [Int32])] = []
        var passage = -1
        for _ in 0..<1000 {
            passage += 1 + random(5)
            var positions: [Int32] = []
            var position: Int32 = -1
            for _ in 0..<(1 + random(12)) {
                position += Int32(1 + (random(3) == 0 ? random(20_000) : random(100)))
                positions.append(position)
            }
            passages.append((passage, positions))
        }
        var encoder = PostingsEncoder()
        for (passage, positions) in passages {
            positions.withUnsafeBufferPointer { encoder.add(passage: passage, positions: $0, norm: 1) }
        }
        return (passages, EncodedList(encoder.finish(), count: passages.count))
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func positionsAreRightAfterAnySkip(seed: UInt64) {
        let (passages, encoded) = list(seed: seed)
        var positions: [Int32] = []
        for stride in [1, 2, 3, 7, 20, 150] {
            var cursor = encoded.cursor()
            // Every `stride`-th passage, reached by advancing, its positions read; the
            // others' positions are skipped over.
            for index in Swift.stride(from: stride - 1, to: passages.count, by: stride) {
                let (passage, expected) = passages[index]
                #expect(cursor.advance(to: passage) && cursor.passage == passage)
                cursor.positions(into: &positions)
                #expect(positions == expected, "stride \(stride), passage \(passage)")
            }
            #expect(!cursor.isCorrupt)
        }
    }

    /// Two terms on the same passages: `followed(by:)` counts the positions of the first
    /// that the second's follow (each counted once where a position repeats), reading both
    /// lists in one pass after any skip, and leaves both cursors where the next passage's
    /// positions start.
    @Test(arguments: [UInt64(5), 6])
    func positionsOneAfterTheOtherAreCountedInOnePass(seed: UInt64) {
        var generator = Seeded(seed)
        func random(_ n: Int) -> Int { generator.next(below: n) }
        // Positions among the first 40 (a phrase of two words occurs often), one in eight
        // repeated, in passages near and far apart.
        func positions() -> [Int32] {
            var out: [Int32] = []
            var position: Int32 = Int32(random(3))
            for _ in 0..<(1 + random(10)) {
                out.append(position)
                if random(8) == 0 { out.append(position) }
                position += Int32(1 + random(random(4) == 0 ? 2_000 : 6))
            }
            return out
        }
        var passages: [(passage: Int, first: [Int32], second: [Int32])] = []
        var passage = -1
        for _ in 0..<700 {
            passage += 1 + random(random(10) == 0 ? 300 : 3)
            passages.append((passage, positions(), positions()))
        }
        func encoded(_ lists: [(Int, [Int32])]) -> EncodedList {
            var encoder = PostingsEncoder()
            for (passage, positions) in lists {
                positions.withUnsafeBufferPointer { encoder.add(passage: passage, positions: $0, norm: 1) }
            }
            return EncodedList(encoder.finish(), count: lists.count)
        }
        let first = encoded(passages.map { ($0.passage, $0.first) })
        let second = encoded(passages.map { ($0.passage, $0.second) })
        var (a, b): ([Int32], [Int32]) = ([], [])
        var found = 0
        for stride in [1, 2, 5, 40] {
            var (x, y) = (first.cursor(), second.cursor())
            for (k, index) in Swift.stride(from: stride - 1, to: passages.count, by: stride).enumerated() {
                let expected = passages[index]
                #expect(x.advance(to: expected.passage) && y.advance(to: expected.passage))
                if k % 3 == 2 {
                    // Read as lists, after the passages counted in one pass.
                    x.positions(into: &a)
                    y.positions(into: &b)
                    #expect(a == expected.first && b == expected.second, "stride \(stride), passage \(expected.passage)")
                } else {
                    let count = Set(expected.first.filter { expected.second.contains($0 + 1) }).count
                    #expect(x.followed(by: &y) == count, "stride \(stride), passage \(expected.passage)")
                    found += count
                }
            }
            #expect(!x.isCorrupt && !y.isCorrupt)
        }
        #expect(found > 200, "the second term follows the first often: \(found)")
    }

    /// Wide blocks: gaps of up to 5,000 (13 bits, past the widths with loops of their own)
    /// and frequencies of up to 300 (9 bits, past the word-at-a-time sums), read by walking,
    /// by jumps, and their positions after skips.
    @Test func wideGapsAndFrequenciesReadBack() {
        var generator = Seeded(7)
        func random(_ n: Int) -> Int { generator.next(below: n) }
        var passages: [(Int, [Int32])] = []
        var passage = -1
        for k in 0..<190 {
            passage += 1 + (k % 3 == 0 ? random(5_000) : random(40))
            let count = k % 17 == 0 ? 1 + random(300) : 1 + random(3)
            passages.append((passage, (0..<Int32(count)).map { $0 * 2 + Int32(k % 2) }))
        }
        var encoder = PostingsEncoder()
        for (passage, positions) in passages {
            positions.withUnsafeBufferPointer { encoder.add(passage: passage, positions: $0, norm: 3) }
        }
        let encoded = EncodedList(encoder.finish(), count: passages.count)
        var walker = encoded.cursor()
        var walked: [(Int, Int)] = []
        while walker.next() { walked.append((walker.passage, walker.frequency)) }
        #expect(!walker.isCorrupt)
        #expect(walked.map(\.0) == passages.map(\.0) && walked.map(\.1) == passages.map(\.1.count))
        var positions: [Int32] = []
        for stride in [1, 5, 37] {
            var cursor = encoded.cursor()
            for index in Swift.stride(from: stride - 1, to: passages.count, by: stride) {
                #expect(cursor.advance(to: passages[index].0) && cursor.passage == passages[index].0)
                cursor.positions(into: &positions)
                #expect(positions == passages[index].1, "stride \(stride), passage \(passages[index].0)")
            }
            #expect(!cursor.isCorrupt)
        }
    }

    /// An encoder reused after `finish` (as the segment builder reuses one per thread)
    /// writes each list as a new encoder would, one-block lists (written straight out)
    /// and longer ones alike, and a one-block list reads back.
    @Test func aReusedEncoderWritesWhatANewOneWrites() {
        func passages(_ count: Int, step: Int) -> [(Int, [Int32])] {
            (0..<count).map { k in (k * step, (0..<Int32(1 + k % 3)).map { $0 * 7 + Int32(k % 5) }) }
        }
        let lists = [passages(3, step: 2), passages(300, step: 1), passages(1, step: 1), passages(128, step: 3), passages(5, step: 9)]
        func add(_ list: [(Int, [Int32])], to encoder: inout PostingsEncoder) {
            for (k, (passage, positions)) in list.enumerated() {
                positions.withUnsafeBufferPointer { encoder.add(passage: passage, positions: $0, norm: UInt8(k % 4)) }
            }
        }
        var reused = PostingsEncoder()
        for list in lists {
            var fresh = PostingsEncoder()
            add(list, to: &fresh)
            add(list, to: &reused)
            var appended: [UInt8] = [0xAB]
            reused.finish(appendingTo: &appended)
            #expect(Array(appended.dropFirst()) == fresh.finish(), "list of \(list.count) passages")
        }
        var encoder = PostingsEncoder()
        add(lists[0], to: &encoder)
        var cursor = EncodedList(encoder.finish(), count: lists[0].count).cursor()
        var positions: [Int32] = []
        for (passage, expected) in lists[0] {
            #expect(cursor.advance(to: passage) && cursor.passage == passage)
            cursor.positions(into: &positions)
            #expect(positions == expected)
        }
    }

    /// A whole block's rest, decoded at once after a jump into it or from its start, is what
    /// the cursor walks passage by passage.
    @Test(arguments: [UInt64(5), 6])
    func decodingABlocksRestGivesWhatWalkingGives(seed: UInt64) {
        let (passages, encoded) = list(seed: seed)
        var walked: [(Int, Int)] = []
        var walker = encoded.cursor()
        while walker.next() { walked.append((walker.passage, walker.frequency)) }
        #expect(!walker.isCorrupt && walked.map(\.0) == passages.map(\.0))
        #expect(walked.map(\.1) == passages.map(\.1.count))

        let size = SegmentFormat.postingsBlockSize
        var decoded: [(Int, Int)] = []
        var cursor = encoded.cursor()
        var target = 0
        var block = 0
        var room = [Int](repeating: 0, count: size)
        while true {
            let found = cursor.shallowAdvance(to: target)
            if !found { break }
            // In every other block the cursor first moves a few passages in by itself.
            if block % 2 == 1, cursor.advance(to: target) {
                decoded.append((cursor.passage, cursor.frequency))
                for _ in 0..<3 where cursor.passage < cursor.blockLast && cursor.next() { decoded.append((cursor.passage, cursor.frequency)) }
            }
            room.withUnsafeMutableBufferPointer { room in
                cursor.takeRest(frequencies: room.baseAddress!) { passages, frequencies in
                    for i in passages.indices { decoded.append((passages[i], frequencies[i])) }
                }
            }
            #expect(cursor.passage == cursor.blockLast)
            target = cursor.blockLast + 1
            block += 1
        }
        #expect(!cursor.isCorrupt)
        #expect(decoded.map(\.0) == walked.map(\.0))
        #expect(decoded.map(\.1) == walked.map(\.1))
    }

    /// One block of three passages, written by hand: the first two as gaps less one, packed
    /// in 4 bits, the last (9) in the header; every frequency 1.
    func handWritten(gaps: (UInt8, UInt8), padding: Int = 8) -> EncodedList {
        let bytes: [UInt8] = [1, 1, 0,  // the list's pairs: one, (1, norm 0)
                              10, 3, 3, 1, 1, 0,  // last 9 (from -1), docs 3 bytes, positions 3, one pair
                              4, 0, gaps.0 | gaps.1 << 4,  // 4-bit gaps, frequencies all 1
                              0, 0, 0]  // a position each
        return EncodedList(bytes, count: 3, padding: padding)
    }

    @Test func aSoundHandWrittenBlockReads() {
        // Passages 2 (gap 3 from -1) and 5 (gap 3), then the header's 9.
        var cursor = handWritten(gaps: (2, 2)).cursor()
        var seen: [Int] = []
        while cursor.next() { seen.append(cursor.passage) }
        #expect(seen == [2, 5, 9] && !cursor.isCorrupt)
    }

    /// Gaps that reach or pass the block's last passage damage the cursor, by a step or by a
    /// jump, before it reports any passage of the block.
    @Test(arguments: [(UInt8(9), UInt8(0)), (3, 5), (15, 15)])
    func gapsPastTheLastPassageDamageTheCursor(gaps: (UInt8, UInt8)) {
        let encoded = handWritten(gaps: gaps)
        var walker = encoded.cursor()
        #expect(!walker.next() && walker.isCorrupt)
        var jumper = encoded.cursor()
        #expect(!jumper.advance(to: 4) && jumper.isCorrupt)
        var taker = encoded.cursor()
        var handed = 0
        _ = taker.shallowAdvance(to: 0)
        var room = [Int](repeating: 0, count: 128)
        room.withUnsafeMutableBufferPointer { room in taker.takeRest(frequencies: room.baseAddress!) { passages, _ in handed += passages.count } }
        #expect(handed == 0 && taker.isCorrupt)
    }

    /// A reader loads 8 bytes from a packed value's first byte: a list with less than that
    /// after its last block (no sound segment ends so) is damaged, not read past its end.
    @Test func aListWithNoBytesAfterItIsDamaged() {
        var cursor = handWritten(gaps: (2, 2), padding: 0).cursor()
        let moved = cursor.next()
        #expect(!moved)
        #expect(cursor.isCorrupt)
    }
}
