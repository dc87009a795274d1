/// Lays out the sections of one segment file (see the grammar in SegmentFormat.swift).
///
/// Both ways of making a segment end here: ``SegmentBuilder`` (analysed documents) and
/// ``SegmentMerger`` (live documents of older segments). Documents and their passages are
/// added in order, then terms in increasing byte order with their encoded postings;
/// ``finish()`` returns the file's bytes with its chunk checksums and footer.
struct SegmentWriter {
    private var firstPassages = ByteWriter()
    private var recordOffsets = ByteWriter()
    private var records = ByteWriter()
    private var sourceIndex: [String: Int] = [:]
    private var sourceOffsets = ByteWriter()
    private var sources = ByteWriter()
    private var norms: [UInt8] = []
    private var store = PassageStoreWriter()
    private var terms = TermDictionaryWriter()
    private var postings: [UInt8] = []
    private var fields = FieldColumnsWriter()

    private(set) var documentCount = 0
    private(set) var passageCount = 0
    private(set) var totalLength: UInt64 = 0
    var termCount: Int { terms.count }
    /// Chunks of 2^chunkShift bytes get a CRC each.
    var chunkShift = SegmentFormat.defaultChunkShift
    /// Leave passage texts out (``addPassage(range:length:text:)`` ignores them).
    let externalText: Bool
    /// Whether the documents added so far came in increasing order of source path.
    private(set) var inSourceOrder = true
    private var lastSource: String?

    init(externalText: Bool = false) {
        self.externalText = externalText
    }

    /// Adds a document record (its `firstPassage` is taken from the passages added so far);
    /// its passages are the next `passageCount` added.
    /// Adds a document whose passages are the next ones, or were the last ones added when
    /// `firstPassage` says where they began.
    mutating func addDocument(_ document: SegmentReader.Document, firstPassage: Int? = nil) {
        firstPassages.u32(UInt32(firstPassage ?? passageCount))
        recordOffsets.u32(UInt32(records.bytes.count))
        if let lastSource, lastSource != document.source,
           !lastSource.utf8.lexicographicallyPrecedes(document.source.utf8) {
            inSourceOrder = false
        }
        lastSource = document.source
        let key = "\(document.size) \(document.modified) \(document.contentHash) \(document.source)"
        let source: Int
        if let known = sourceIndex[key] {
            source = known
        } else {
            source = sourceIndex.count
            sourceIndex[key] = source
            sourceOffsets.u32(UInt32(sources.bytes.count))
            sources.string(document.source)
            sources.u64(document.size)
            sources.u64(document.modified)
            sources.u64(document.contentHash)
        }
        records.string(document.path)
        records.string(document.title)
        records.varint(UInt64(source))
        records.varint(UInt64(document.passageCount))
        records.varint(document.length)
        records.varint(document.offsetInSource)
        fields.addDocument(document.fields)
        documentCount += 1
    }

    /// Adds a passage: its norm, its stored text (left out when ``externalText``) and its
    /// near-duplicate fingerprint.
    mutating func addPassage(range: Range<Int>, length: Int, text: UnsafeRawBufferPointer, fingerprint: UInt64) {
        norms.append(LengthNorm.code(length))
        fields.addPassage(fingerprint: fingerprint)
        store.add(range: range, length: length, text: externalText ? UnsafeRawBufferPointer(start: nil, count: 0) : text)
        passageCount += 1
        totalLength += UInt64(length)
    }

    /// The norm code of passage `number`, added earlier.
    func norm(_ number: Int) -> UInt8 { norms[number] }
    /// Every passage's norm, by passage number.
    var allNorms: [UInt8] { norms }

    /// Adds the next term of the dictionary (terms must come in increasing byte order).
    mutating func addTerm(_ term: some Collection<UInt8>, documentFrequency: Int, postings list: some Collection<UInt8>) {
        terms.add(term, documentFrequency: documentFrequency, postingsStart: UInt64(postings.count), postingsLength: list.count)
        postings.append(contentsOf: list)
    }

    /// Bytes held so far (an estimate of the memory in use).
    var heldBytes: Int {
        firstPassages.bytes.count * 2 + records.bytes.count + sources.bytes.count + norms.count + store.heldBytes + postings.count
            + fields.heldBytes
    }

    /// The complete file.
    mutating func finish() -> SegmentFile {
        var out = ByteWriter()
        out.bytes.reserveCapacity(SegmentFormat.headerSize + firstPassages.bytes.count * 2 + records.bytes.count
            + norms.count + store.heldBytes + postings.count + (postings.count >> 2) + 4096)
        out.append(SegmentFormat.headerMagic)
        out.u32(SegmentFormat.version)
        out.u32((externalText ? SegmentFormat.externalTextFlag : 0) | (inSourceOrder ? SegmentFormat.sourceOrderFlag : 0))
        var sections: [(UInt64, UInt64)] = []
        func section(_ body: (inout ByteWriter) -> Void) {
            let start = out.bytes.count
            body(&out)
            sections.append((UInt64(start), UInt64(out.bytes.count - start)))
        }
        section { w in
            w.u32(UInt32(documentCount))
            w.append(firstPassages.bytes)
            w.append(recordOffsets.bytes)
            w.u32(UInt32(records.bytes.count))
            w.append(records.bytes)
            w.u32(UInt32(sourceIndex.count))
            w.append(sourceOffsets.bytes)
            w.append(sources.bytes)
        }
        section { w in w.append(norms) }
        section { w in store.write(to: &w) }
        section { w in terms.write(to: &w) }
        section { w in w.append(postings) }
        section { w in fields.write(to: &w) }
        let chunked = out.bytes.count
        section { w in
            let size = 1 << Int(chunkShift)
            var start = 0
            while start < chunked {
                let end = min(start + size, chunked)
                w.u32(w.bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[start..<end])) })
                start = end
            }
        }
        for (offset, length) in sections {
            out.u64(offset)
            out.u64(length)
        }
        out.u64(totalLength)
        out.u32(chunkShift)
        out.u32(SegmentFormat.version)
        out.u32(out.bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[chunked...])) })
        out.append(SegmentFormat.footerMagic)
        return SegmentFile(bytes: out.bytes, documents: documentCount, passages: passageCount, terms: terms.count,
                           totalLength: totalLength)
    }
}

/// A serialized segment, ready to be written, with the counts its manifest entry records.
package struct SegmentFile: Sendable {
    package var bytes: [UInt8]
    package var documents: Int
    package var passages: Int
    package var terms: Int
    package var totalLength: UInt64

    /// The CRC-32 its footer holds.
    package var crc32: UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 12, as: UInt32.self)) }
    }
}
