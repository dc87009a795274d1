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
}
