/// Builds one segment in memory and serializes it to the segment file format.
///
/// Terms are interned to integer ids as they arrive; each term's postings grow as one
/// byte buffer in passage order, so serializing is a sort of the term strings and a copy.
public final class SegmentBuilder {
    private struct PostingsBuffer {
        var bytes: [UInt8] = []
        var lastPassage: Int = -1
        var documentFrequency: UInt32 = 0
    }

    private struct DocumentRecord {
        var path: String
        var title: String
        var size: UInt64
        var modified: UInt64
        var hash: UInt64
        var firstPassage: UInt32
        var passageCount: UInt32
    }

    private var termIDs: [String: Int32] = [:]
    private var terms: [String] = []
    private var postings: [PostingsBuffer] = []
    private var documents: [DocumentRecord] = []
    private var passageRecords = ByteWriter()
    private var store: [UInt8] = []
    private var scratch: [(term: Int32, position: Int32)] = []

    /// Passages added so far.
    public private(set) var passageCount = 0
    /// Sum of passage lengths so far.
    public private(set) var totalLength: UInt64 = 0
    /// Documents added so far.
    public var documentCount: Int { documents.count }
    /// Distinct terms so far.
    public var termCount: Int { terms.count }

    public init() {}

    /// Adds a document and its passages (passages get the next passage numbers).
    public func add(_ document: DocumentInput) {
        documents.append(DocumentRecord(
            path: document.path, title: document.title, size: document.size,
            modified: document.modified, hash: document.contentHash,
            firstPassage: UInt32(passageCount), passageCount: UInt32(document.passages.count)))
        for passage in document.passages { add(passage, document: documents.count - 1) }
    }

    private func add(_ passage: PassageInput, document: Int) {
        let number = passageCount
        passageCount += 1
        totalLength += UInt64(passage.length)
        passageRecords.u32(UInt32(document))
        passageRecords.u32(UInt32(passage.ordinal))
        passageRecords.u32(UInt32(passage.range.lowerBound))
        passageRecords.u32(UInt32(passage.range.upperBound))
        passageRecords.u32(UInt32(passage.length))
        passageRecords.u64(UInt64(store.count))
        passageRecords.u32(UInt32(passage.text.utf8.count))
        store.append(contentsOf: passage.text.utf8)

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
            i = j
        }
    }

    private func intern(_ term: String) -> Int32 {
        if let id = termIDs[term] { return id }
        let id = Int32(terms.count)
        termIDs[term] = id
        terms.append(term)
        postings.append(PostingsBuffer())
        return id
    }

    /// The segment file's bytes.
    public func serialize() -> [UInt8] {
        var out = ByteWriter()
        out.append(SegmentFormat.headerMagic)
        out.u32(SegmentFormat.version)
        out.u32(0)
        var sections: [(UInt64, UInt64)] = []
        func section(_ body: (inout ByteWriter) -> Void) {
            let start = out.bytes.count
            body(&out)
            sections.append((UInt64(start), UInt64(out.bytes.count - start)))
        }
        section { w in
            w.u32(UInt32(documents.count))
            for d in documents {
                w.string(d.path)
                w.string(d.title)
                w.u64(d.size)
                w.u64(d.modified)
                w.u64(d.hash)
                w.u32(d.firstPassage)
                w.u32(d.passageCount)
            }
        }
        section { w in
            w.u32(UInt32(passageCount))
            w.append(passageRecords.bytes)
        }
        section { w in w.append(store) }
        let order = terms.indices.sorted { terms[$0].utf8.lexicographicallyPrecedes(terms[$1].utf8) }
        var postingsOffsets = [UInt64](repeating: 0, count: terms.count)
        var running: UInt64 = 0
        for id in order {
            postingsOffsets[id] = running
            running += UInt64(postings[id].bytes.count)
        }
        section { w in
            w.u32(UInt32(terms.count))
            var termOffset: UInt32 = 0
            for id in order {
                let length = terms[id].utf8.count
                w.u32(termOffset)
                w.u16(UInt16(length))
                w.u16(0)
                w.u32(postings[id].documentFrequency)
                w.u64(postingsOffsets[id])
                w.u32(UInt32(postings[id].bytes.count))
                termOffset += UInt32(length)
            }
            for id in order { w.bytes.append(contentsOf: terms[id].utf8) }
        }
        section { w in
            for id in order { w.append(postings[id].bytes) }
        }
        for (offset, length) in sections {
            out.u64(offset)
            out.u64(length)
        }
        out.u64(totalLength)
        out.u32(SegmentFormat.version)
        out.u32(CRC32.checksum(out.bytes))
        out.append(SegmentFormat.footerMagic)
        return out.bytes
    }
}
