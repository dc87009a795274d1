import Testing
@testable import FahrasIndex

@Suite("Index: a postings cursor reads back what the encoder wrote")
struct PostingsCursorTests {
    /// Keeps an encoded list's bytes alive for its cursors.
    final class EncodedList {
        let bytes: UnsafeMutableRawBufferPointer
        let count: Int
        init(_ encoded: [UInt8], count: Int) {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: encoded.count, alignment: 8)
            encoded.withUnsafeBytes { buffer.copyMemory(from: $0) }
            bytes = buffer
            self.count = count
        }
        deinit { bytes.deallocate() }
        func cursor() -> PostingsCursor {
            PostingsCursor(owner: self, bytes: UnsafeRawBufferPointer(bytes), range: 0..<bytes.count,
                           documentFrequency: count, passageLimit: 1_000_000)
        }
    }

    /// Passages with 1 to 12 positions whose gaps reach thousands (varints of one to
    /// three bytes), so that skipped positions end anywhere inside an eight-byte word.
    func list(seed: UInt64) -> (passages: [(Int, [Int32])], encoded: EncodedList) {
        var state = seed
        func random(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
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
}
