/// Merges the live documents of several segments into one new segment, without reading
/// the sources or analysing text again (as Lucene's and Tantivy's mergers).
///
/// Documents keep their order (the inputs' order, then each segment's); deleted documents
/// and their passages are dropped, passages are renumbered, and every term's postings are
/// re-encoded from the inputs' lists in the new numbering. Terms left without a live
/// passage disappear. The result is the segment a build of the same documents in the same
/// order would write, byte for byte, except for file times updated by touches.
public enum SegmentMerger {
    /// One segment to merge, with the manifest's deletions and later file times for it.
    public struct Input {
        public var segment: SegmentReader
        public var deleted: Set<Int>
        public var retimed: [Int: UInt64]

        public init(segment: SegmentReader, deleted: Set<Int> = [], retimed: [Int: UInt64] = [:]) {
            self.segment = segment
            self.deleted = deleted
            self.retimed = retimed
        }
    }

    /// The merged segment.
    public static func merge(_ inputs: [Input]) throws(IndexError) -> SegmentFile {
        var writer = SegmentWriter()
        // New passage number of every input passage, -1 when deleted.
        var renumbered: [[Int32]] = []
        for input in inputs {
            let segment = input.segment
            var map = [Int32](repeating: -1, count: segment.passageCount)
            for (number, document) in segment.documents.enumerated() where !input.deleted.contains(number) {
                var copy = document
                copy.firstPassage = writer.passageCount
                if let modified = input.retimed[number] { copy.modified = modified }
                writer.addDocument(copy)
                for local in document.firstPassage..<(document.firstPassage + document.passageCount) {
                    let record = try segment.passage(local)
                    map[local] = Int32(writer.passageCount)
                    let text = try segment.passageTextBytes(local)
                    writer.addPassage(document: writer.documentCount - 1, ordinal: record.ordinal, range: record.range,
                                      length: record.length, text: text)
                }
            }
            renumbered.append(map)
        }

        // A k-way merge of the sorted dictionaries.
        var heads = [Int](repeating: 0, count: inputs.count)
        var list: [UInt8] = []
        var positions: [Int32] = []
        while true {
            var smallest: UnsafeRawBufferPointer?
            for (i, input) in inputs.enumerated() where heads[i] < input.segment.termCount {
                let term = try input.segment.checkedTermBytes(at: heads[i])
                if smallest == nil || term.lexicographicallyPrecedes(smallest!) { smallest = term }
            }
            guard let term = smallest else { break }
            list.removeAll(keepingCapacity: true)
            var frequency = 0
            var last = -1
            for (i, input) in inputs.enumerated() where heads[i] < input.segment.termCount {
                let segment = input.segment
                guard try segment.checkedTermBytes(at: heads[i]).elementsEqual(term) else { continue }
                var cursor = segment.postings(try segment.info(at: heads[i]))
                while cursor.next() {
                    let target = Int(renumbered[i][cursor.passage])
                    guard target >= 0 else { continue }
                    cursor.positions(into: &positions)
                    list.appendVarint(UInt32(target - last))
                    list.appendVarint(UInt32(positions.count))
                    var previous: Int32 = 0
                    for position in positions {
                        list.appendVarint(UInt32(bitPattern: position &- previous))
                        previous = position
                    }
                    last = target
                    frequency += 1
                }
                if cursor.isCorrupt {
                    throw .corrupt(file: segment.path, reason: "the postings of term \(heads[i]) are malformed")
                }
                heads[i] += 1
            }
            if frequency > 0 { writer.addTerm(term, documentFrequency: frequency, postings: list) }
        }
        return writer.finish()
    }
}
