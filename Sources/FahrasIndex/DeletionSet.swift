/// The deleted passages of one segment, one bit each, built from the deleted documents the
/// manifest lists (a document's passages are one contiguous range).
package struct DeletionSet: Sendable {
    private var words: [UInt64]
    /// Number of deleted passages.
    package private(set) var count = 0

    /// The passages of `documents` of `segment`.
    init(documents: [Int], of segment: SegmentReader) throws(IndexError) {
        words = Array(repeating: 0, count: (segment.passageCount + 63) / 64)
        for number in documents {
            guard number >= 0 && number < segment.documentCount else {
                throw .corrupt(file: segment.path, reason: "the manifest deletes document \(number), which the segment does not have")
            }
            let document = try segment.document(number)
            for passage in document.firstPassage..<(document.firstPassage + document.passageCount) {
                words[passage >> 6] |= 1 << UInt64(passage & 63)
            }
            count += document.passageCount
        }
    }

    /// Every passage of a segment of `passageCount` that `kept` (a bit a passage) does not
    /// hold, and those `deleted` holds.
    package init(keeping kept: [UInt64], passageCount: Int, deleted: DeletionSet?) {
        words = kept.map { ~$0 }
        if let deleted { for i in words.indices { words[i] |= deleted.words[i] } }
        if passageCount % 64 != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(passageCount % 64)) - 1 }
        count = words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// Whether passage `passage` (segment-local) is deleted.
    @inline(__always)
    package func contains(_ passage: Int) -> Bool {
        words[passage >> 6] & (1 << UInt64(passage & 63)) != 0
    }
}
