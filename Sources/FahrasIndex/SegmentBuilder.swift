/// Builds one segment in memory from analysed documents.
///
/// Terms are interned to integer ids as they arrive; each term's postings grow as one
/// byte buffer in passage order, so serializing is a sort of the term strings and a copy.
public final class SegmentBuilder {
    private struct PostingsBuffer {
        var bytes: [UInt8] = []
        var lastPassage: Int = -1
        var documentFrequency: Int = 0
    }

    private var writer = SegmentWriter()
    private var termIDs: [String: Int32] = [:]
    private var terms: [String] = []
    private var postings: [PostingsBuffer] = []
    private var scratch: [(term: Int32, position: Int32)] = []

    /// Passages added so far.
    public var passageCount: Int { writer.passageCount }
    /// Sum of passage lengths so far.
    public var totalLength: UInt64 { writer.totalLength }
    /// Documents added so far.
    public var documentCount: Int { writer.documentCount }
    /// Distinct terms so far.
    public var termCount: Int { terms.count }
    /// Bytes of text, postings and records held so far (an estimate of the memory in use).
    public private(set) var heldBytes = 0

    public init() {}

    /// Adds a document and its passages (passages get the next passage numbers).
    public func add(_ document: DocumentInput) {
        writer.addDocument(SegmentReader.Document(
            path: document.path, title: document.title, source: document.source, size: document.size,
            modified: document.modified, contentHash: document.contentHash,
            firstPassage: writer.passageCount, passageCount: document.passages.count))
        for passage in document.passages { add(passage, document: writer.documentCount - 1) }
    }

    private func add(_ passage: PassageInput, document: Int) {
        let number = writer.passageCount
        var text = passage.text
        text.withUTF8 { utf8 in
            writer.addPassage(document: document, ordinal: passage.ordinal, range: passage.range,
                              length: passage.length, text: UnsafeRawBufferPointer(utf8))
        }
        heldBytes += text.utf8.count + 32

        scratch.removeAll(keepingCapacity: true)
        for (term, position) in passage.terms where term.utf8.count <= Int(UInt16.max) {
            scratch.append((intern(term), Int32(position)))
        }
        scratch.sort { $0.term != $1.term ? $0.term < $1.term : $0.position < $1.position }
        var i = 0
        while i < scratch.count {
            let term = scratch[i].term
            var j = i
            while j < scratch.count && scratch[j].term == term { j += 1 }
            let id = Int(term)
            let before = postings[id].bytes.count
            postings[id].bytes.appendVarint(UInt32(number - postings[id].lastPassage))
            postings[id].lastPassage = number
            postings[id].documentFrequency += 1
            // Duplicate positions (a variant equal to a part) are indexed once.
            var frequency: UInt32 = 0
            var previous: Int32 = -1
            for k in i..<j where scratch[k].position != previous {
                frequency += 1
                previous = scratch[k].position
            }
            postings[id].bytes.appendVarint(frequency)
            previous = -1
            var last: Int32 = 0
            for k in i..<j where scratch[k].position != previous {
                postings[id].bytes.appendVarint(UInt32(scratch[k].position - last))
                last = scratch[k].position
                previous = scratch[k].position
            }
            heldBytes += postings[id].bytes.count - before
            i = j
        }
    }

    private func intern(_ term: String) -> Int32 {
        if let id = termIDs[term] { return id }
        let id = Int32(terms.count)
        termIDs[term] = id
        terms.append(term)
        postings.append(PostingsBuffer())
        heldBytes += term.utf8.count * 2 + 64
        return id
    }

    /// The segment file's bytes.
    public func serialize() -> [UInt8] { build().bytes }

    /// The segment file, with its counts.
    public func build() -> SegmentFile {
        var writer = self.writer
        let order = terms.indices.sorted { terms[$0].utf8.lexicographicallyPrecedes(terms[$1].utf8) }
        for id in order {
            writer.addTerm(terms[id].utf8, documentFrequency: postings[id].documentFrequency, postings: postings[id].bytes)
        }
        return writer.finish()
    }
}
