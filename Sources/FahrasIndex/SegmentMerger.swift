/// Merges the live documents of several segments into one new segment, without reading
/// the sources or analysing text again (as Lucene's and Tantivy's mergers).
///
/// Documents keep their order (the inputs' order, then each segment's); deleted documents
/// and their passages are dropped, passages are renumbered, and every term's postings are
/// re-encoded from the inputs' lists in the new numbering. Terms left without a live
/// passage disappear. The result is the segment a build of the same documents in the same
/// order would write, byte for byte, except for file times updated by touches.
package enum SegmentMerger {
    /// Bytes a merge holds for each passage it writes, at most (the store and postings go to
    /// the file as they are made): the passage's norm (1) and fingerprint (8), its new
    /// number and whether it is live (5), and its share of the document records, field
    /// columns and dictionary (about 10 on the kernel docs), with room for arrays that grow
    /// by doubling.
    package static let heldBytesPerPassage = 48

    /// One segment to merge, with the manifest's deletions and later file times for it.
    package struct Input {
        package var segment: SegmentReader
        package var deleted: Set<Int>
        package var retimed: [Int: UInt64]

        package init(segment: SegmentReader, deleted: Set<Int> = [], retimed: [Int: UInt64] = [:]) {
            self.segment = segment
            self.deleted = deleted
            self.retimed = retimed
        }
    }

    /// Walks a segment's dictionary in order.
    private struct TermIterator {
        let segment: SegmentReader
        var block = -1
        var reader: TermBlockReader?
        var isDone = false

        mutating func advance() throws(IndexError) {
            while true {
                if var current = reader {
                    let more = try current.next(passageLimit: segment.passageCount)
                    reader = current
                    if more { return }
                }
                block += 1
                guard block * SegmentFormat.termBlockSize < segment.termCount else {
                    isDone = true
                    return
                }
                reader = try segment.termBlock(block)
            }
        }
    }

    /// The merged segment, in memory.
    package static func merge(_ inputs: [Input]) throws(IndexError) -> SegmentFile {
        var sink = MemorySink()
        let summary = try merge(inputs, into: &sink)
        return SegmentFile(bytes: sink.bytes, summary: summary)
    }

    /// Writes the merged segment to `sink`: the passages' store blocks as they close, the
    /// documents' sections, then each term's list as soon as it is merged (neither the
    /// merged store nor the merged postings are ever held whole).
    package static func merge<S: SegmentSink>(_ inputs: [Input], into sink: inout S) throws(IndexError) -> SegmentSummary {
        // One index keeps its texts one way (the indexer rebuilds when that changes).
        let externalText = inputs.first?.segment.textIsExternal ?? false
        if let odd = inputs.first(where: { $0.segment.textIsExternal != externalText }) {
            throw .corrupt(file: odd.segment.path, reason: "it keeps passage texts \(odd.segment.textIsExternal ? "out of" : "in") "
                + "the index, unlike the other segments")
        }
        var writer = SegmentWriter(externalText: externalText)
        var file = try writer.beginFile(into: &sink, documentsInSourceOrder: try inSourceOrder(inputs))
        var renumbered: [[Int32]] = []
        for input in inputs {
            renumbered.append(try addLive(of: input, to: &writer, into: &sink, file: &file))
        }
        try writer.beginPostings(into: &sink, file: &file)
        try mergeTerms(inputs, renumbered: renumbered, writer: &writer, into: &sink, file: &file)
        return try writer.endFile(into: &sink, file: file)
    }

    /// Whether the live documents of `inputs`, in merged order, are in source order (the
    /// header says so before they are written).
    private static func inSourceOrder(_ inputs: [Input]) throws(IndexError) -> Bool {
        var last: String?
        for input in inputs {
            for number in 0..<input.segment.documentCount where !input.deleted.contains(number) {
                let source = try input.segment.document(number, whole: false).source
                guard SegmentWriter.inSourceOrder(source, after: last) else { return false }
                last = source
            }
        }
        return true
    }

    /// Adds the live documents and passages of `input` to `writer`, the store blocks going to
    /// `sink` as they close; returns the new number of every input passage (-1: deleted).
    private static func addLive<S: SegmentSink>(of input: Input, to writer: inout SegmentWriter, into sink: inout S,
                                                file: inout SegmentWriter.OpenFile) throws(IndexError) -> [Int32] {
        let segment = input.segment
        try segment.verifyAll()
        var map = [Int32](repeating: -1, count: segment.passageCount)
        var live = [Bool](repeating: false, count: segment.passageCount)
        var kept: [SegmentReader.Document] = []
        for (number, document) in try segment.documents.enumerated() where !input.deleted.contains(number) {
            var copy = document
            if let modified = input.retimed[number] { copy.modified = modified }
            kept.append(copy)
            for local in document.firstPassage..<(document.firstPassage + document.passageCount) { live[local] = true }
        }
        // Each document's record goes in just before its first passage.
        var next = 0
        let prints = try segment.fingerprints()
        try segment.forEachPassage { (local, stored) throws(IndexError) in
            guard live[local] else { return }
            while next < kept.count && kept[next].firstPassage <= local {
                writer.addDocument(kept[next])
                next += 1
            }
            map[local] = Int32(writer.passageCount)
            writer.addPassage(range: stored.range, length: stored.length, text: stored.text,
                              fingerprint: prints[local])
            try writer.writeStoreBlocks(into: &sink, file: &file)
        }
        for document in kept[next...] { writer.addDocument(document) }
        return map
    }

    /// Writes the terms of `inputs` in order, each with its postings in the new numbering: a
    /// k-way merge of the sorted dictionaries.
    private static func mergeTerms<S: SegmentSink>(_ inputs: [Input], renumbered: [[Int32]], writer: inout SegmentWriter,
                                                   into sink: inout S, file: inout SegmentWriter.OpenFile) throws(IndexError) {
        var iterators: [TermIterator] = []
        for input in inputs {
            var iterator = TermIterator(segment: input.segment)
            try iterator.advance()
            iterators.append(iterator)
        }
        var encoder = PostingsEncoder()
        var positions: [Int32] = []
        while true {
            var smallest: [UInt8]?
            for iterator in iterators where !iterator.isDone {
                let term = iterator.reader!.term
                if smallest == nil || term.lexicographicallyPrecedes(smallest!) { smallest = term }
            }
            guard let term = smallest else { break }
            for i in iterators.indices where !iterators[i].isDone && iterators[i].reader!.term == term {
                let segment = inputs[i].segment
                var cursor = try segment.postings(iterators[i].reader!.info)
                while cursor.next() {
                    let target = Int(renumbered[i][cursor.passage])
                    guard target >= 0 else { continue }
                    cursor.positions(into: &positions)
                    positions.withUnsafeBufferPointer { encoder.add(passage: target, positions: $0, norm: writer.norm(target)) }
                }
                if cursor.isCorrupt {
                    throw .corrupt(file: segment.path, reason: "the postings of term '\(String(decoding: term, as: UTF8.self))' are malformed")
                }
                try iterators[i].advance()
            }
            let frequency = encoder.count
            let list = encoder.finish()
            guard frequency > 0 else { continue }
            try term.withUnsafeBufferPointer { (term) throws(IndexError) in
                try list.withUnsafeBufferPointer { (list) throws(IndexError) in
                    try writer.streamTerm(term, documentFrequency: frequency, postings: list, into: &sink, file: &file)
                }
            }
        }
    }
}
