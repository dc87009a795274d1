/// Lays out the sections of one segment file (see the grammar in SegmentFormat.swift).
///
/// Both ways of making a segment end here: ``SegmentBuilder`` (analysed documents) and
/// ``SegmentMerger`` (live documents of older segments). Documents and passages are added in
/// order, then terms in increasing byte order with their encoded postings; ``finish()``
/// returns the file's bytes with its footer and checksum.
struct SegmentWriter {
    private var documents = ByteWriter()
    private var passages = ByteWriter()
    private var store: [UInt8] = []
    private var termEntries = ByteWriter()
    private var termBytes: [UInt8] = []
    private var postings: [UInt8] = []

    private(set) var documentCount = 0
    private(set) var passageCount = 0
    private(set) var termCount = 0
    private(set) var totalLength: UInt64 = 0

    /// Adds a document record; its passages are the next `passageCount` added.
    mutating func addDocument(_ document: SegmentReader.Document) {
        documents.string(document.path)
        documents.string(document.title)
        documents.string(document.source)
        documents.u64(document.size)
        documents.u64(document.modified)
        documents.u64(document.contentHash)
        documents.u32(UInt32(document.firstPassage))
        documents.u32(UInt32(document.passageCount))
        documentCount += 1
    }

    /// Adds a passage record and its stored text.
    mutating func addPassage(document: Int, ordinal: Int, range: Range<Int>, length: Int, text: UnsafeRawBufferPointer) {
        passages.u32(UInt32(document))
        passages.u32(UInt32(ordinal))
        passages.u32(UInt32(range.lowerBound))
        passages.u32(UInt32(range.upperBound))
        passages.u32(UInt32(length))
        passages.u64(UInt64(store.count))
        passages.u32(UInt32(text.count))
        store.append(contentsOf: text)
        passageCount += 1
        totalLength += UInt64(length)
    }

    /// Adds the next term of the dictionary (terms must come in increasing byte order).
    mutating func addTerm(_ term: some Collection<UInt8>, documentFrequency: Int, postings list: [UInt8]) {
        termEntries.u32(UInt32(termBytes.count))
        termEntries.u16(UInt16(term.count))
        termEntries.u16(0)
        termEntries.u32(UInt32(documentFrequency))
        termEntries.u64(UInt64(postings.count))
        termEntries.u32(UInt32(list.count))
        termBytes.append(contentsOf: term)
        postings.append(contentsOf: list)
        termCount += 1
    }

    /// The complete file.
    func finish() -> SegmentFile {
        var out = ByteWriter()
        out.bytes.reserveCapacity(SegmentFormat.headerSize + documents.bytes.count + passages.bytes.count + store.count
            + termEntries.bytes.count + termBytes.count + postings.count + SegmentFormat.footerSize + 12)
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
            w.u32(UInt32(documentCount))
            w.append(documents.bytes)
        }
        section { w in
            w.u32(UInt32(passageCount))
            w.append(passages.bytes)
        }
        section { w in w.append(store) }
        section { w in
            w.u32(UInt32(termCount))
            w.append(termEntries.bytes)
            w.append(termBytes)
        }
        section { w in w.append(postings) }
        for (offset, length) in sections {
            out.u64(offset)
            out.u64(length)
        }
        out.u64(totalLength)
        out.u32(SegmentFormat.version)
        out.u32(CRC32.checksum(out.bytes))
        out.append(SegmentFormat.footerMagic)
        return SegmentFile(bytes: out.bytes, documents: documentCount, passages: passageCount, terms: termCount,
                           totalLength: totalLength)
    }
}

/// A serialized segment, ready to be written, with the counts its manifest entry records.
public struct SegmentFile: Sendable {
    public var bytes: [UInt8]
    public var documents: Int
    public var passages: Int
    public var terms: Int
    public var totalLength: UInt64

    /// The CRC-32 its footer holds.
    public var crc32: UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 12, as: UInt32.self)) }
    }
}
