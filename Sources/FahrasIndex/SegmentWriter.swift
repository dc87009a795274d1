/// Lays out the sections of one segment file (see the grammar in SegmentFormat.swift).
///
/// Both ways of making a segment end here: ``SegmentBuilder`` (analysed documents) and
/// ``SegmentMerger`` (live documents of older segments). Documents and their passages are
/// added in order. ``beginFile(into:)`` writes the header and the store blocks closed so
/// far; while passages are still added, ``writeStoreBlocks(into:file:)`` hands the blocks
/// closed since to the file. ``beginPostings(into:file:)`` ends the store and writes the
/// documents and norms; each term follows in increasing byte order with its encoded
/// postings (``streamTerm(_:documentFrequency:postings:into:file:)``), and
/// ``endFile(into:file:)`` writes the dictionary, the fields, the chunk checksums and the
/// footer.
struct SegmentWriter {
    private var firstPassages = ByteWriter()
    private var recordOffsets = ByteWriter()
    private var records = ByteWriter()
    private var sourceIndex: [String: Int] = [:]
    private var sourceIndexBytes = 0
    private var sourceOffsets = ByteWriter()
    private var sources = ByteWriter()
    private var norms: [UInt8] = []
    private var store = PassageStoreWriter()
    private var terms = TermDictionaryWriter()
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

    /// Whether a document from `source` keeps the documents in source order after one from
    /// `previous` (the records of one source stay together).
    static func inSourceOrder(_ source: String, after previous: String?) -> Bool {
        guard let previous, previous != source else { return true }
        return previous.utf8.lexicographicallyPrecedes(source.utf8)
    }

    /// Adds a document record (its `firstPassage` is taken from the passages added so far);
    /// its passages are the next `passageCount` added.
    /// Adds a document whose passages are the next ones, or were the last ones added when
    /// `firstPassage` says where they began.
    mutating func addDocument(_ document: SegmentReader.Document, firstPassage: Int? = nil) {
        firstPassages.u32(UInt32(firstPassage ?? passageCount))
        recordOffsets.u32(UInt32(records.bytes.count))
        if !SegmentWriter.inSourceOrder(document.source, after: lastSource) { inSourceOrder = false }
        lastSource = document.source
        let key = "\(document.size) \(document.modified) \(document.contentHash) \(document.source)"
        let source: Int
        if let known = sourceIndex[key] {
            source = known
        } else {
            source = sourceIndex.count
            sourceIndex[key] = source
            sourceIndexBytes += key.utf8.count + 64  // the key, and its entry in the table
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

    /// A segment file being written a section at a time: ``beginFile(into:)``, then
    /// ``beginPostings(into:file:)``, then each term with
    /// ``streamTerm(_:documentFrequency:postings:into:file:)``, then ``endFile(into:file:)``.
    struct OpenFile {
        fileprivate var chunks: ChunkChecksums
        fileprivate var written = 0
        fileprivate var storeStart = 0
        /// The header's claim that the documents are in source order.
        fileprivate var inSourceOrder = true
        /// Where the documents, norms and store sections lie, once the postings begin.
        fileprivate var sections: [(UInt64, UInt64)] = []
        fileprivate var postingsStart = 0
        /// Postings bytes written so far.
        fileprivate var postingsLength = 0
    }

    /// Bytes held so far: the room its buffers have (an estimate of the memory in use).
    var heldBytes: Int {
        firstPassages.bytes.capacity + records.bytes.capacity + sources.bytes.capacity + norms.capacity + store.heldBytes
            + fields.heldBytes + sourceIndexBytes + recordOffsets.bytes.capacity + sourceOffsets.bytes.capacity
    }

    /// Writes the header and the store blocks closed so far (the store section comes
    /// first, so that passages added from here on send their blocks on as they close).
    /// - Parameter documentsInSourceOrder: whether all the documents, those still to come
    ///   too, are in source order (by default: those added so far are).
    mutating func beginFile<S: SegmentSink>(into sink: inout S, documentsInSourceOrder: Bool? = nil) throws(IndexError) -> OpenFile {
        var file = OpenFile(chunks: ChunkChecksums(shift: chunkShift))
        file.inSourceOrder = documentsInSourceOrder ?? inSourceOrder
        var header = ByteWriter()
        header.append(SegmentFormat.headerMagic)
        header.u32(SegmentFormat.version)
        header.u32((externalText ? SegmentFormat.externalTextFlag : 0) | (file.inSourceOrder ? SegmentFormat.sourceOrderFlag : 0))
        try put([header.bytes], into: &sink, file: &file)
        file.storeStart = file.written
        try writeStoreBlocks(into: &sink, file: &file)
        return file
    }

    /// Writes the store blocks closed since the last call, and lets them go.
    mutating func writeStoreBlocks<S: SegmentSink>(into sink: inout S, file: inout OpenFile) throws(IndexError) {
        guard store.hasClosedBlocks else { return }
        try put([store.takeBlocks()], into: &sink, file: &file)
    }

    /// Ends the store section and writes the documents and norms sections, each section's
    /// bytes let go once written; the terms follow straight to `sink`. The postings section
    /// comes before the dictionary, whose entries give where each list lies in it, so that a
    /// list is written as soon as it is encoded and a segment's postings are never held whole.
    mutating func beginPostings<S: SegmentSink>(into sink: inout S, file: inout OpenFile) throws(IndexError) {
        precondition(file.inSourceOrder == inSourceOrder, "the header's source-order flag disagrees with the documents")
        let rest = try put(store.takeRest(), into: &sink, file: &file)
        let storeSection = (UInt64(file.storeStart), rest.0 + rest.1 - UInt64(file.storeStart))
        file.sections.append(try put(takeDocumentParts(), into: &sink, file: &file))
        file.sections.append(try put([norms], into: &sink, file: &file))
        file.sections.append(storeSection)
        file.postingsStart = file.written
    }

    /// Adds the next term of the dictionary, its postings written to `sink` at once.
    mutating func streamTerm<S: SegmentSink>(_ term: UnsafeBufferPointer<UInt8>, documentFrequency: Int, postings list: UnsafeBufferPointer<UInt8>,
                                             into sink: inout S, file: inout OpenFile) throws(IndexError) {
        terms.add(term, documentFrequency: documentFrequency, postingsStart: UInt64(file.postingsLength), postingsLength: list.count)
        file.chunks.add(UnsafeRawBufferPointer(list))
        try sink.write(UnsafeRawBufferPointer(list))
        file.written += list.count
        file.postingsLength += list.count
    }

    /// Writes the dictionary and fields sections, the chunk checksums and the footer.
    mutating func endFile<S: SegmentSink>(into sink: inout S, file: OpenFile) throws(IndexError) -> SegmentSummary {
        var file = file
        let postingsSection = (UInt64(file.postingsStart), UInt64(file.written - file.postingsStart))
        var dictionary = ByteWriter()
        terms.write(to: &dictionary)
        let termsSection = try put([dictionary.bytes], into: &sink, file: &file)
        dictionary = ByteWriter()
        var columns = ByteWriter()
        fields.writeColumns(to: &columns)
        let fieldsStart = try put([columns.bytes], into: &sink, file: &file).0
        try fields.withFingerprintBytes { (raw) throws(IndexError) in try put(raw, into: &sink, file: &file) }
        let fieldsSection = (fieldsStart, UInt64(file.written) - fieldsStart)
        // The footer lists the sections in the grammar's order, wherever they lie.
        let sections = file.sections + [termsSection, postingsSection, fieldsSection]
        let (tail, crc) = SegmentWriter.footer(checksums: file.chunks.finish(), sections: sections, at: file.written,
                                               totalLength: totalLength, chunkShift: chunkShift)
        try sink.write(tail)
        return SegmentSummary(size: file.written + tail.count, crc32: crc, documents: documentCount, passages: passageCount,
                              terms: terms.count, totalLength: totalLength)
    }

    /// Writes a section's parts; returns where it lies.
    @discardableResult
    private func put<S: SegmentSink>(_ parts: [[UInt8]], into sink: inout S, file: inout OpenFile) throws(IndexError) -> (UInt64, UInt64) {
        let start = file.written
        for bytes in parts {
            try bytes.withUnsafeBufferPointer { (raw) throws(IndexError) in try put(UnsafeRawBufferPointer(raw), into: &sink, file: &file) }
        }
        return (UInt64(start), UInt64(file.written - start))
    }

    /// Writes `bytes`, counted in the file's chunks.
    private func put<S: SegmentSink>(_ bytes: UnsafeRawBufferPointer, into sink: inout S, file: inout OpenFile) throws(IndexError) {
        file.chunks.add(bytes)
        try sink.write(bytes)
        file.written += bytes.count
    }

    /// The documents section's parts, in order; the writer lets them go.
    private mutating func takeDocumentParts() -> [[UInt8]] {
        func u32(_ value: Int) -> [UInt8] {
            var w = ByteWriter()
            w.u32(UInt32(value))
            return w.bytes
        }
        defer {
            (firstPassages, recordOffsets, records) = (ByteWriter(), ByteWriter(), ByteWriter())
            (sourceOffsets, sources) = (ByteWriter(), ByteWriter())
        }
        return [u32(documentCount), firstPassages.bytes, recordOffsets.bytes, u32(records.bytes.count), records.bytes,
                u32(sourceIndex.count), sourceOffsets.bytes, sources.bytes]
    }

    /// The chunks section and the footer (written after `offset` bytes), and the checksum
    /// that covers them.
    static func footer(checksums: [UInt32], sections: [(UInt64, UInt64)], at offset: Int, totalLength: UInt64,
                       chunkShift: UInt32) -> (bytes: [UInt8], crc: UInt32) {
        var tail = ByteWriter()
        for checksum in checksums { tail.u32(checksum) }
        for (start, length) in sections + [(UInt64(offset), UInt64(tail.bytes.count))] {
            tail.u64(start)
            tail.u64(length)
        }
        tail.u64(totalLength)
        tail.u32(chunkShift)
        tail.u32(SegmentFormat.version)
        let crc = CRC32.checksum(tail.bytes)
        tail.u32(crc)
        tail.append(SegmentFormat.footerMagic)
        return (tail.bytes, crc)
    }
}

/// What a written segment's manifest entry records of it.
package struct SegmentSummary: Sendable, Equatable {
    package var size: Int
    package var crc32: UInt32
    package var documents: Int
    package var passages: Int
    package var terms: Int
    package var totalLength: UInt64
}

/// A segment serialized in memory (tests, and tools that read it back), with the counts its
/// manifest entry records.
package struct SegmentFile: Sendable {
    package var bytes: [UInt8]
    package var documents: Int
    package var passages: Int
    package var terms: Int
    package var totalLength: UInt64

    init(bytes: [UInt8], summary: SegmentSummary) {
        self.bytes = bytes
        documents = summary.documents
        passages = summary.passages
        terms = summary.terms
        totalLength = summary.totalLength
    }

    /// The CRC-32 its footer holds.
    package var crc32: UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 12, as: UInt32.self)) }
    }
}
