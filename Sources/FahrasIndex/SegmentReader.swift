import Foundation

/// Reads one segment file straight from its memory map.
///
/// Opening checks the header, the footer, the format version, the checksum of the chunk
/// table and every section's bounds, and reads only the small fixed tables (document and
/// store indexes, norms, dictionary block offsets, the field columns but not the passages'
/// fingerprints). Each chunk of the file is verified against its CRC the first time it is
/// read (files up to ``eagerVerificationLimit`` bytes whole on open). Documents are decoded
/// when asked for, store blocks inflated when a passage's text is.
package final class SegmentReader: @unchecked Sendable {
    /// A source document of the segment.
    package struct Document: Sendable, Equatable {
        /// The path shown to users.
        package var path: String
        package var title: String
        /// The source file's absolute path: its identity for incremental indexing.
        package var source: String
        package var size: UInt64
        package var modified: UInt64
        package var contentHash: UInt64
        package var firstPassage: Int
        package var passageCount: Int
        /// Sum of its passages' lengths in word positions.
        package var length: UInt64
        /// Where the document begins in its source file, in bytes (a JSON Lines record's
        /// line; 0 for a whole file).
        package var offsetInSource: UInt64
        /// The document's ``Schema`` fields that have a value, by name.
        package var fields: [String: FieldValue]

        package init(path: String, title: String, source: String, size: UInt64, modified: UInt64, contentHash: UInt64,
                    firstPassage: Int, passageCount: Int, length: UInt64, offsetInSource: UInt64 = 0,
                    fields: [String: FieldValue] = [:]) {
            self.fields = fields
            self.path = path
            self.title = title
            self.source = source
            self.size = size
            self.modified = modified
            self.contentHash = contentHash
            self.firstPassage = firstPassage
            self.passageCount = passageCount
            self.length = length
            self.offsetInSource = offsetInSource
        }
    }

    /// A passage record (without its text).
    package struct PassageRecord: Sendable, Equatable {
        package var document: Int
        package var ordinal: Int
        /// UTF-8 offsets in the document's extracted text.
        package var range: Range<Int>
        /// Word positions in the passage (BM25's document length).
        package var length: Int
    }

    /// A term's entry in the dictionary.
    package struct TermInfo: Sendable, Equatable {
        package var documentFrequency: Int
        var postings: Range<Int>
    }

    /// Files up to this size are verified whole when opened; larger ones chunk by chunk.
    package static let eagerVerificationLimit = 1 << 20

    package let path: String
    let file: MappedFile
    /// Size of the file in bytes.
    package var fileSize: UInt64 { UInt64(file.bytes.count) }
    /// The CRC-32 the footer records (of the chunk table and footer).
    package let footerCRC: UInt32
    /// Number of documents.
    package let documentCount: Int
    /// Number of passages in the segment.
    package let passageCount: Int
    /// Number of distinct terms.
    package let termCount: Int
    /// Sum of passage lengths.
    package let totalLength: UInt64
    /// Whether passage texts were left out of the segment (`--text external`): they are
    /// taken again from the source files, and ``passageText(_:)`` returns "".
    package let textIsExternal: Bool
    /// Whether documents lie in increasing byte order of their source paths (records of a
    /// source in file order): passage order is then the order equal scores rank in.
    package let documentsInSourceOrder: Bool
    let verifier: ChunkVerifier
    private let documentsStart: Int
    private let recordsStart: Int
    private let documentsEnd: Int
    /// Source files in the segment's source table.
    package let sourceCount: Int
    private let sourceOffsetsStart: Int
    private let sourcesStart: Int
    private let sourcesEnd: Int
    /// The norm code of each passage, straight from the map.
    package let norms: UnsafeBufferPointer<UInt8>
    private let storeEntriesStart: Int
    private let storeBlockCount: Int
    let storeData: Range<Int>
    private let termBlockCount: Int
    private let termOffsetsStart: Int
    let termBlocks: Range<Int>
    /// The first eight bytes of each dictionary block's first term, big-endian and padded
    /// with zeros (ordered as the terms are): a lookup bisects this compact array rather than
    /// read a term of every block it passes, scattered over the dictionary. Empty when they do
    /// not read as sorted; lookups then bisect the blocks' terms.
    private let blockKeys: [UInt64]
    let postings: Range<Int>
    /// The documents' typed fields and the passages' fingerprints, as columns.
    package let fields: FieldColumns
    private let lock = NSLock()
    private var cachedDocuments: [Document]?
    private let storeCache: StoreBlockCache

    /// Opens the segment file at `path`.
    ///
    /// - Parameter verifyWhole: verify every chunk now (default: files up to
    ///   ``eagerVerificationLimit`` bytes).
    /// - Parameter storeCacheBytes: inflated store blocks kept for later reads.
    package init(path: String, verifyWhole: Bool? = nil, storeCacheBytes: Int = StoreBlockCache.byteLimit) throws(IndexError) {
        self.path = path
        storeCache = StoreBlockCache(byteLimit: storeCacheBytes)
        file = try MappedFile(path: path)
        let bytes = file.bytes
        let size = bytes.count
        guard size >= SegmentFormat.headerSize + SegmentFormat.footerSize else {
            throw .corrupt(file: path, reason: "file is \(size) bytes, shorter than an empty segment")
        }
        guard bytes.prefix(8).elementsEqual(SegmentFormat.headerMagic) else {
            throw .corrupt(file: path, reason: "not a Fahras segment (bad header magic)")
        }
        guard bytes.suffix(8).elementsEqual(SegmentFormat.footerMagic) else {
            throw .corrupt(file: path, reason: "bad footer magic: the file is truncated or damaged")
        }
        var header = ByteReader(bytes, range: 8..<16, file: path)
        let version = try header.u32("format version")
        guard version == SegmentFormat.version else {
            throw .unsupportedVersion(file: path, found: Int(version), supported: Int(SegmentFormat.version))
        }
        let flags = try header.u32("flags")
        guard flags & ~SegmentFormat.knownFlags == 0 else {
            throw .corrupt(file: path, reason: "unknown header flags \(flags)")
        }
        textIsExternal = flags & SegmentFormat.externalTextFlag != 0
        documentsInSourceOrder = flags & SegmentFormat.sourceOrderFlag != 0
        let footerStart = size - SegmentFormat.footerSize
        var footer = ByteReader(bytes, range: footerStart..<(size - 8), file: path)
        var sections: [Range<Int>] = []
        for name in ["documents", "norms", "store", "terms", "postings", "fields", "chunks"] {
            let offset = try footer.u64("\(name) offset")
            let length = try footer.u64("\(name) length")
            guard offset >= UInt64(SegmentFormat.headerSize), offset <= UInt64(footerStart),
                  length <= UInt64(footerStart) - offset else {
                throw .corrupt(file: path, reason: "\(name) section lies outside the file")
            }
            sections.append(Int(offset)..<Int(offset + length))
        }
        totalLength = try footer.u64("total length")
        let shift = try footer.u32("chunk size")
        _ = try footer.u32("format version")
        let storedCRC = try footer.u32("checksum")
        let chunks = sections[6]
        guard chunks.upperBound == footerStart else { throw .corrupt(file: path, reason: "the chunk table is not before the footer") }
        let actualCRC = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[chunks.lowerBound..<(size - 12)]))
        guard storedCRC == actualCRC else {
            throw .corrupt(file: path, reason: "checksum mismatch in the footer (stored \(storedCRC), computed \(actualCRC))")
        }
        guard shift >= 8 && shift <= 30, chunks.count == 4 * ((chunks.lowerBound + (1 << shift) - 1) >> shift) else {
            throw .corrupt(file: path, reason: "the chunk table does not cover the file")
        }
        footerCRC = storedCRC
        verifier = ChunkVerifier(bytes: bytes, path: path, shift: Int(shift), covered: chunks.lowerBound, table: chunks.lowerBound)
        if verifyWhole ?? (size <= SegmentReader.eagerVerificationLimit) {
            try verifier.verifyAll()
        } else {
            try verifier.verify(0..<SegmentFormat.headerSize)
        }

        // Documents: count, first passages and record offsets are read now.
        let documents = sections[0]
        try verifier.verify(documents.lowerBound..<min(documents.upperBound, documents.lowerBound + 4))
        var reader = ByteReader(bytes, range: documents, file: path)
        documentCount = Int(try reader.u32("document count"))
        documentsStart = documents.lowerBound + 4
        guard documentCount <= documents.count / 8, documentsStart + documentCount * 8 + 4 <= documents.upperBound else {
            throw .corrupt(file: path, reason: "document table is shorter than its count \(documentCount)")
        }
        try verifier.verify(documentsStart..<(documentsStart + documentCount * 8 + 4))
        reader = ByteReader(bytes, range: (documentsStart + documentCount * 8)..<documents.upperBound, file: path)
        let recordBytes = Int(try reader.u32("document record bytes"))
        recordsStart = reader.offset
        documentsEnd = recordsStart + recordBytes
        guard recordBytes <= documents.upperBound - recordsStart - 4 else {
            throw .corrupt(file: path, reason: "document records run past their section")
        }
        try verifier.verify(documentsEnd..<(documentsEnd + 4))
        reader = ByteReader(bytes, range: documentsEnd..<documents.upperBound, file: path)
        sourceCount = Int(try reader.u32("source count"))
        sourceOffsetsStart = reader.offset
        sourcesStart = sourceOffsetsStart + sourceCount * 4
        sourcesEnd = documents.upperBound
        guard sourceCount <= (sourcesEnd - sourceOffsetsStart) / 4 else {
            throw .corrupt(file: path, reason: "source table is shorter than its count \(sourceCount)")
        }
        try verifier.verify(sourceOffsetsStart..<sourcesStart)

        // Norms: one byte per passage.
        passageCount = sections[1].count
        try verifier.verify(sections[1])
        norms = UnsafeBufferPointer(start: bytes.baseAddress.map { ($0 + sections[1].lowerBound).assumingMemoryBound(to: UInt8.self) },
                                    count: passageCount)

        // Store: the counts at its end, the block table before them.
        let store = sections[2]
        guard store.count >= 8 else { throw .corrupt(file: path, reason: "the store section is shorter than its counts") }
        try verifier.verify((store.upperBound - 8)..<store.upperBound)
        reader = ByteReader(bytes, range: (store.upperBound - 8)..<store.upperBound, file: path)
        storeBlockCount = Int(try reader.u32("store block count"))
        let storedPassages = Int(try reader.u32("stored passage count"))
        guard storeBlockCount <= (store.count - 8) / SegmentFormat.storeEntrySize, storedPassages == passageCount else {
            throw .corrupt(file: path, reason: "the store's tables do not match its \(passageCount) passages")
        }
        storeEntriesStart = store.upperBound - 8 - storeBlockCount * SegmentFormat.storeEntrySize
        try verifier.verify(storeEntriesStart..<(store.upperBound - 8))
        storeData = store.lowerBound..<storeEntriesStart

        // Terms: count and block offsets.
        let terms = sections[3]
        try verifier.verify(terms.lowerBound..<min(terms.upperBound, terms.lowerBound + 8))
        reader = ByteReader(bytes, range: terms, file: path)
        termCount = Int(try reader.u32("term count"))
        termBlockCount = Int(try reader.u32("term block count"))
        termOffsetsStart = terms.lowerBound + 8
        let blocksStart = termOffsetsStart + termBlockCount * 4
        guard termBlockCount == (termCount + SegmentFormat.termBlockSize - 1) / SegmentFormat.termBlockSize,
              blocksStart <= terms.upperBound else {
            throw .corrupt(file: path, reason: "term table does not match its count \(termCount)")
        }
        try verifier.verify(termOffsetsStart..<blocksStart)
        termBlocks = blocksStart..<terms.upperBound
        blockKeys = SegmentReader.blockKeys(bytes, offsets: termOffsetsStart, count: termBlockCount, blocks: termBlocks)
        postings = sections[4]
        // The fields' columns now; the fingerprints that end the section (8 bytes a passage,
        // most of it) when a search first collapses copies: an update never reads them.
        guard sections[5].count >= passageCount * 8 else {
            throw .corrupt(file: path, reason: "the fields section is shorter than its \(passageCount) fingerprints")
        }
        try verifier.verify(sections[5].lowerBound..<(sections[5].upperBound - passageCount * 8))
        fields = try FieldColumns(bytes: bytes, range: sections[5], documents: documentCount, passages: passageCount, file: path)

        for document in 0..<documentCount {
            let first = firstPassage(document)
            let next = document + 1 < documentCount ? firstPassage(document + 1) : passageCount
            guard first <= next, next <= passageCount, document > 0 || first == 0 else {
                throw .corrupt(file: path, reason: "document \(document) points outside the passage table")
            }
        }
    }

    /// The passages' fingerprints, their bytes verified.
    package func fingerprints() throws(IndexError) -> FingerprintColumn {
        try verifier.verify(fields.fingerprintBytes)
        return FingerprintColumn(bytes: file.bytes, start: fields.fingerprintBytes.lowerBound)
    }

    /// The fingerprint of passage `passage`, its bytes verified.
    package func fingerprint(_ passage: Int) throws(IndexError) -> UInt64 {
        let start = fields.fingerprintBytes.lowerBound + passage * 8
        try verifier.verify(start..<(start + 8))
        return FingerprintColumn(bytes: file.bytes, start: fields.fingerprintBytes.lowerBound)[passage]
    }

    // MARK: Documents

    @inline(__always)
    private func firstPassage(_ document: Int) -> Int {
        Int(UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: documentsStart + document * 4, as: UInt32.self)))
    }

    /// A reader at the start of document `number`'s record, its bytes verified.
    private func recordReader(_ number: Int) throws(IndexError) -> ByteReader {
        ByteReader(file.bytes, range: try recordStart(number)..<documentsEnd, file: path)
    }

    /// Where document `number`'s record starts, its bytes verified.
    private func recordStart(_ number: Int) throws(IndexError) -> Int {
        guard number >= 0 && number < documentCount else {
            throw .corrupt(file: path, reason: "document \(number) does not exist")
        }
        let offset = Int(UInt32(littleEndian: file.bytes.loadUnaligned(
            fromByteOffset: documentsStart + (documentCount + number) * 4, as: UInt32.self)))
        guard offset <= documentsEnd - recordsStart else {
            throw .corrupt(file: path, reason: "document \(number)'s record lies outside its section")
        }
        let start = recordsStart + offset
        let nextOffset = number + 1 < documentCount
            ? Int(UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: documentsStart + (documentCount + number + 1) * 4, as: UInt32.self)))
            : documentsEnd - recordsStart
        try verifier.verify(start..<min(documentsEnd, max(start + 1, recordsStart + nextOffset)))
        return start
    }

    /// The path of document `number` and its first passage, without decoding the rest of
    /// its record (for answers that show only where a hit is: read in place, every hit of
    /// every answer asks).
    package func documentPath(_ number: Int) throws(IndexError) -> (path: String, firstPassage: Int) {
        var offset = try recordStart(number)
        guard let length = ByteReader.varint32(file.bytes, &offset, end: documentsEnd), length <= documentsEnd - offset else {
            throw .corrupt(file: path, reason: "document \(number)'s path runs past the end of its section")
        }
        let bytes = UnsafeRawBufferPointer(rebasing: file.bytes[offset..<(offset + length)])
        return (String(decoding: bytes, as: UTF8.self), firstPassage(number))
    }

    /// The record of document `number`.
    package func document(_ number: Int) throws(IndexError) -> Document {
        try document(number, whole: true)
    }

    /// Document `number`; its title and article fields are left empty unless `whole` (an
    /// update comparing files with the index needs neither, and decoding them was most of
    /// its reading).
    package func document(_ number: Int, whole: Bool) throws(IndexError) -> Document {
        var reader = try recordReader(number)
        let first = firstPassage(number)
        let documentPath = try reader.string("document path")
        let title: String
        if whole { title = try reader.string("document title") } else { try reader.skipString("document title"); title = "" }
        let sourceNumber = Int(clamping: try reader.varint("document source"))
        let passages = Int(clamping: try reader.varint("passage count"))
        let length = try reader.varint("document length")
        // Checked before any sum: a record from an untrusted file may hold any number.
        guard passages <= passageCount - first, length <= totalLength else {
            throw .corrupt(file: path, reason: "document \(number) records \(passages) passages of length \(length), more than the segment holds")
        }
        let offsetInSource = try reader.varint("document offset in its source")
        var sourceReader = try sourceRecordReader(sourceNumber, of: number)
        let document = Document(
            path: documentPath, title: title,
            source: try sourceReader.string("source path"), size: try sourceReader.u64("source size"),
            modified: try sourceReader.u64("source time"), contentHash: try sourceReader.u64("source hash"),
            firstPassage: first, passageCount: passages, length: length, offsetInSource: offsetInSource,
            fields: whole ? fields.values(document: number) : [:])
        let next = number + 1 < documentCount ? firstPassage(number + 1) : passageCount
        guard first + document.passageCount == next else {
            throw .corrupt(file: path, reason: "document \(number) holds \(document.passageCount) passages, the table \(next - first)")
        }
        return document
    }

    /// A reader at the record of source `sourceNumber`, which document `number` names.
    private func sourceRecordReader(_ sourceNumber: Int, of number: Int) throws(IndexError) -> ByteReader {
        guard sourceNumber < sourceCount else { throw .corrupt(file: path, reason: "document \(number) names source \(sourceNumber), which does not exist") }
        let sourceOffset = Int(UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: sourceOffsetsStart + sourceNumber * 4, as: UInt32.self)))
        guard sourceOffset < sourcesEnd - sourcesStart else { throw .corrupt(file: path, reason: "source \(sourceNumber) lies outside its section") }
        let sourceNext = sourceNumber + 1 < sourceCount
            ? Int(UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: sourceOffsetsStart + (sourceNumber + 1) * 4, as: UInt32.self)))
            : sourcesEnd - sourcesStart
        try verifier.verify((sourcesStart + sourceOffset)..<min(sourcesEnd, max(sourcesStart + sourceOffset + 1, sourcesStart + sourceNext)))
        return ByteReader(file.bytes, range: (sourcesStart + sourceOffset)..<sourcesEnd, file: path)
    }

    /// The path of every document and the number of its source in this segment, read
    /// without the rest of their records (nothing is kept).
    package func pathsAndSources() throws(IndexError) -> [(path: String, source: Int)] {
        var out: [(path: String, source: Int)] = []
        out.reserveCapacity(documentCount)
        for number in 0..<documentCount {
            var reader = try recordReader(number)
            let documentPath = try reader.string("document path")
            try reader.skipString("document title")
            out.append((documentPath, Int(clamping: try reader.varint("document source"))))
        }
        return out
    }

    /// The path of source `sourceNumber` of this segment.
    package func sourcePath(_ sourceNumber: Int) throws(IndexError) -> String {
        var reader = try sourceRecordReader(sourceNumber, of: 0)
        return try reader.string("source path")
    }

    /// Every document, decoded once and kept.
    package var documents: [Document] {
        get throws(IndexError) {
            lock.lock()
            defer { lock.unlock() }
            if let cachedDocuments { return cachedDocuments }
            var out: [Document] = []
            out.reserveCapacity(documentCount)
            for number in 0..<documentCount { out.append(try document(number)) }
            cachedDocuments = out
            return out
        }
    }

    /// The passages of document `number`.
    package func passages(ofDocument number: Int) -> Range<Int> {
        firstPassage(number)..<(number + 1 < documentCount ? firstPassage(number + 1) : passageCount)
    }

    /// The document that holds passage `number`, searched forward from document `start`
    /// (one that begins at or before `number`): by galloping, so that a walk through
    /// passages in increasing order pays for the documents it skips only logarithmically.
    package func documentNumber(ofPassage number: Int, from start: Int) -> Int {
        var low = start
        var step = 1
        var high = start + 1
        while high < documentCount && firstPassage(high) <= number {
            low = high
            step *= 2
            high = low + step
        }
        high = min(high, documentCount)
        while high - low > 1 {
            let mid = (low + high) / 2
            if firstPassage(mid) <= number { low = mid } else { high = mid }
        }
        return low
    }

    /// The document that holds passage `number`.
    package func documentNumber(ofPassage number: Int) -> Int {
        // One passage a document (JSON Lines records, short files): document `number` starts
        // at passage `number` and holds it.
        if number < documentCount && firstPassage(number) == number
            && (number + 1 < documentCount ? firstPassage(number + 1) : passageCount) > number {
            return number
        }
        var low = 0
        var high = documentCount
        while high - low > 1 {
            let mid = (low + high) / 2
            if firstPassage(mid) <= number { low = mid } else { high = mid }
        }
        return low
    }

    // MARK: Passages

    /// The store block holding passage `number`, inflated as far as that passage, or whole;
    /// recent ones are kept, unless `scanning` (a pass over every block, which would only
    /// push out the blocks searches use).
    private func storeBlock(holding number: Int, whole: Bool = false, scanning: Bool = false) throws(IndexError) -> StoreBlock {
        guard number >= 0 && number < passageCount else {
            throw .corrupt(file: path, reason: "passage \(number) does not exist")
        }
        var low = 0
        var high = storeBlockCount
        while high - low > 1 {
            let mid = (low + high) / 2
            if storeEntry(mid).first <= number { low = mid } else { high = mid }
        }
        if let cached = storeCache.block(low, holding: number, whole: whole) { return cached }
        let entry = storeEntry(low)
        let nextFirst = low + 1 < storeBlockCount ? storeEntry(low + 1).first : passageCount
        guard entry.first <= number, nextFirst > number, entry.offset <= storeData.count,
              entry.stored <= storeData.count - entry.offset, entry.stored > 0, entry.raw > 0 else {
            throw .corrupt(file: path, reason: "store block \(low) is out of place")
        }
        // Deflate expands at most 1032 times: a larger raw length is a lie that would have
        // the buffer allocated (up to 4 GB) before zlib finds it out.
        guard entry.raw <= entry.stored * StoreBlock.maximumExpansion + 64 else {
            throw .corrupt(file: path, reason: "store block \(low) claims \(entry.raw) bytes from \(entry.stored)")
        }
        let range = (storeData.lowerBound + entry.offset)..<(storeData.lowerBound + entry.offset + entry.stored)
        try verifier.verify(range)
        let block = try StoreBlock.read(UnsafeRawBufferPointer(rebasing: file.bytes[range]), rawLength: entry.raw, index: low,
                                        firstPassage: entry.first, count: nextFirst - entry.first,
                                        through: whole ? nil : number - entry.first, file: path)
        if !scanning { storeCache.keep(block) }
        return block
    }

    private func storeEntry(_ i: Int) -> (first: Int, offset: Int, stored: Int, raw: Int) {
        let base = storeEntriesStart + i * SegmentFormat.storeEntrySize
        func u32(_ at: Int) -> Int { Int(UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: base + at, as: UInt32.self))) }
        return (u32(0), u32(4), u32(8), u32(12))
    }

    /// The record of passage `number` (0-based within the segment).
    package func passage(_ number: Int) throws(IndexError) -> PassageRecord {
        let block = try storeBlock(holding: number)
        let entry = block.entries[number - block.firstPassage]
        let document = documentNumber(ofPassage: number)
        return PassageRecord(document: document, ordinal: number - firstPassage(document), range: entry.range, length: entry.length)
    }

    /// The norm code of passage `number`, the hot path of BM25. `number` must be below
    /// ``passageCount``.
    @inline(__always)
    package func norm(_ number: Int) -> UInt8 { norms[number] }

    /// The stored text of passage `number` ("" when ``textIsExternal``).
    package func passageText(_ number: Int) throws(IndexError) -> String {
        let block = try storeBlock(holding: number)
        let entry = block.entries[number - block.firstPassage]
        return String(decoding: block.bytes[entry.text], as: UTF8.self)
    }

    /// Inflated store bytes kept for later reads.
    var storeBytesKept: Int { storeCache.keptBytes }

    /// Calls `body` with each passage of the segment in order (one inflation per block,
    /// none kept).
    func forEachPassage(_ body: (Int, StoredPassage) throws(IndexError) -> Void) throws(IndexError) {
        var number = 0
        while number < passageCount {
            let block = try storeBlock(holding: number, whole: true, scanning: true)
            let result = block.bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                Result { () throws(IndexError) in
                    for entry in block.entries {
                        try body(number, StoredPassage(range: entry.range, length: entry.length,
                                                       text: UnsafeRawBufferPointer(rebasing: raw[entry.text])))
                        number += 1
                    }
                }
            }
            try result.get()
        }
    }

    // MARK: Terms

    private func termBlockRange(_ i: Int) throws(IndexError) -> Range<Int> {
        let range = try termBlockBytes(i)
        try verifier.verify(range)
        return range
    }

    /// Where dictionary block `i` lies in the file (not verified).
    private func termBlockBytes(_ i: Int) throws(IndexError) -> Range<Int> {
        func offset(_ i: Int) -> Int {
            Int(UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: termOffsetsStart + i * 4, as: UInt32.self)))
        }
        let start = offset(i)
        let end = i + 1 < termBlockCount ? offset(i + 1) : termBlocks.count
        guard start <= end, end <= termBlocks.count else {
            throw .corrupt(file: path, reason: "term block \(i) lies outside the dictionary")
        }
        return (termBlocks.lowerBound + start)..<(termBlocks.lowerBound + end)
    }

    /// A reader over dictionary block `i`.
    func termBlock(_ i: Int) throws(IndexError) -> TermBlockReader {
        let limit = min(SegmentFormat.termBlockSize, termCount - i * SegmentFormat.termBlockSize)
        return try TermBlockReader(bytes: file.bytes, range: try termBlockRange(i), limit: limit, postings: postings, file: path)
    }

    /// The block keys, read at opening without verifying the blocks (see ``block(for:)``);
    /// none if a block does not start as one does or the keys are out of order.
    private static func blockKeys(_ bytes: UnsafeRawBufferPointer, offsets: Int, count: Int, blocks: Range<Int>) -> [UInt64] {
        var keys: [UInt64] = []
        keys.reserveCapacity(count)
        for i in 0..<count {
            let start = blocks.lowerBound
                + Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offsets + i * 4, as: UInt32.self)))
            // The block's postings start (8 bytes), the first term's shared prefix (0), its length.
            guard start + 10 <= blocks.upperBound, bytes[start + 8] == 0 else { return [] }
            var offset = start + 9
            guard let length = ByteReader.varint32(bytes, &offset, end: blocks.upperBound),
                  length <= blocks.upperBound - offset else { return [] }
            let key = prefixKey(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]))
            if let last = keys.last, last > key { return [] }
            keys.append(key)
        }
        return keys
    }

    /// The first eight bytes of `term`, big-endian, padded with zeros.
    @inline(__always)
    private static func prefixKey(_ term: UnsafeRawBufferPointer) -> UInt64 {
        var key: UInt64 = 0
        for j in 0..<8 { key = key << 8 | (j < term.count ? UInt64(term[j]) : 0) }
        return key
    }

    /// The block whose first term is the last not after `key` (0 if none), as far as the block
    /// keys (read unverified) and that block's verified first term tell. The keys only choose
    /// where to look: whether the next block's first term comes after `key` is asked only when
    /// `key` sorts past every term of this one (``nextBlockFollows(_:_:)``), as a key found
    /// in, or between two terms of, a verified block is settled by that block alone.
    private func block(for key: UnsafeRawBufferPointer) throws(IndexError) -> Int {
        guard !blockKeys.isEmpty else { return try bisectedBlock(for: key) }
        let wanted = SegmentReader.prefixKey(key)
        let (sameStart, sameEnd) = blockKeys.withUnsafeBufferPointer { keys in
            (SegmentReader.partition(keys) { $0 >= wanted }, SegmentReader.partition(keys) { $0 > wanted })
        }
        // Blocks whose first terms share `key`'s eight bytes: their terms decide.
        var block = sameStart - 1
        var (low, high) = (sameStart, sameEnd)
        while low < high {
            let mid = (low + high) / 2
            if SegmentReader.compare(key, try firstTerm(ofBlock: mid)) >= 0 { block = mid; low = mid + 1 } else { high = mid }
        }
        block = max(block, 0)
        if block > 0, SegmentReader.compare(key, try firstTerm(ofBlock: block)) < 0 { return try bisectedBlock(for: key) }
        return block
    }

    /// The first index of sorted `keys` from which `isPast` holds.
    @inline(__always)
    private static func partition(_ keys: UnsafeBufferPointer<UInt64>, _ isPast: (UInt64) -> Bool) -> Int {
        var (low, high) = (0, keys.count)
        while low < high {
            let mid = (low + high) / 2
            if isPast(keys[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Whether `key`, past every term of block `i`, also sorts before the next block's first
    /// term (verified), so that block `i` was the one to search; when not, the block keys
    /// pointed short of it.
    private func nextBlockFollows(_ i: Int, _ key: UnsafeRawBufferPointer) throws(IndexError) -> Bool {
        guard i + 1 < termBlockCount else { return true }
        return SegmentReader.compare(key, try firstTerm(ofBlock: i + 1)) < 0
    }

    /// ``block(for:)`` by bisecting the blocks' verified first terms.
    private func bisectedBlock(for key: UnsafeRawBufferPointer) throws(IndexError) -> Int {
        var low = 0
        var high = termBlockCount
        while high - low > 1 {
            let mid = (low + high) / 2
            if SegmentReader.compare(key, try firstTerm(ofBlock: mid)) >= 0 { low = mid } else { high = mid }
        }
        return low
    }

    /// The first term of dictionary block `i`, its bytes verified: only the bytes read, as a
    /// bisection reads one term of each block it passes (the whole block for the one it
    /// lands in, in ``termBlockRange(_:)``).
    private func firstTerm(ofBlock i: Int) throws(IndexError) -> UnsafeRawBufferPointer {
        let bytes = file.bytes
        let start = termBlocks.lowerBound
            + Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: termOffsetsStart + i * 4, as: UInt32.self)))
        // The block's postings start (8 bytes), then the term's shared prefix (0) and length:
        // one byte each for a term shorter than 128 bytes.
        guard start + 10 <= termBlocks.upperBound else { throw .corrupt(file: path, reason: "term block \(i) lies outside the dictionary") }
        // The length is read to know what to verify; nothing read is used before the whole
        // range is verified.
        var offset = start + 9
        guard let length = ByteReader.varint32(bytes, &offset, end: termBlocks.upperBound),
              length <= termBlocks.upperBound - offset else {
            try verifier.verify(start..<termBlocks.upperBound)
            throw .corrupt(file: path, reason: "term block \(i) is truncated")
        }
        try verifier.verify(start..<(offset + length))
        guard bytes[start + 8] == 0 else { throw .corrupt(file: path, reason: "term block \(i) does not start whole") }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)])
    }

    /// Byte order of two terms: negative, zero or positive as `a` sorts before, with or after `b`.
    @inline(__always)
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let common = min(a.count, b.count)
        if common > 0, let x = a.baseAddress, let y = b.baseAddress {
            let order = memcmp(x, y, common)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }

    /// Looks `term` up in the dictionary.
    package func lookup(_ term: String) throws(IndexError) -> TermInfo? {
        var term = term
        return try term.withUTF8 { key in Result { () throws(IndexError) in try lookup(bytes: UnsafeRawBufferPointer(key)) } }.get()
    }

    /// Looks the term of UTF-8 bytes `key` up in the dictionary: a bisection over the blocks'
    /// first terms, then a search in place through one block.
    func lookup(bytes key: UnsafeRawBufferPointer) throws(IndexError) -> TermInfo? {
        guard termCount > 0 else { return nil }
        var i = try block(for: key)
        var bisected = false
        while true {
            let limit = min(SegmentFormat.termBlockSize, termCount - i * SegmentFormat.termBlockSize)
            switch try TermBlockSearch.place(key, bytes: file.bytes, range: try termBlockRange(i), limit: limit,
                                             postings: postings, passageLimit: passageCount, file: path) {
            case .term(let info, _): return info
            case .prefix, .between: return nil
            case .past:
                // Bisection is exact: at most one more block is searched.
                if bisected { return nil }
                if try nextBlockFollows(i, key) { return nil }
                i = try bisectedBlock(for: key)
                bisected = true
            }
        }
    }

    /// A reader positioned on the first term that may begin with `key`, which falls in
    /// block `i` (found in place, as a lookup is, before any term is rebuilt), and its
    /// block; `nil` when no term begins with it.
    private func firstTermReader(_ key: UnsafeRawBufferPointer, block i: Int) throws(IndexError) -> (TermBlockReader, Int)? {
        let limit = min(SegmentFormat.termBlockSize, termCount - i * SegmentFormat.termBlockSize)
        let range = try termBlockRange(i)
        switch try TermBlockSearch.place(key, bytes: file.bytes, range: range, limit: limit, postings: postings,
                                         passageLimit: passageCount, file: path) {
        case .term(_, let stop), .prefix(let stop):
            return (TermBlockReader(resuming: stop, key: key, bytes: file.bytes, range: range, limit: limit,
                                    postings: postings, file: path), i)
        case .between:
            return nil
        case .past:
            guard i + 1 < termBlockCount else { return nil }
            let next = try firstTerm(ofBlock: i + 1)
            if SegmentReader.compare(key, next) >= 0 { return try firstTermReader(key, block: try bisectedBlock(for: key)) }
            guard next.starts(with: key) else { return nil }
            return (try termBlock(i + 1), i + 1)
        }
    }

    /// The terms that begin with `prefix`, in dictionary order, with their information.
    package func terms(withPrefix prefix: String, limit: Int = .max) throws(IndexError) -> [(term: String, info: TermInfo)] {
        guard termCount > 0, limit > 0 else { return [] }
        let key = Array(prefix.utf8)
        let found = try key.withUnsafeBytes { key in
            Result { () throws(IndexError) in try firstTermReader(key, block: try block(for: key)) }
        }.get()
        guard var (reader, blockIndex) = found else { return [] }
        var out: [(term: String, info: TermInfo)] = []
        // From there on every term sorts at or after the prefix: they are taken while they begin with it.
        while true {
            while try reader.next(passageLimit: passageCount) {
                // Compared with memcmp: the sequence algorithms cost hundreds of instructions a term.
                let begins = reader.term.count >= key.count && key.withUnsafeBytes { key in
                    reader.term.withUnsafeBytes { term in
                        SegmentReader.compare(key, UnsafeRawBufferPointer(rebasing: term.prefix(key.count))) == 0
                    }
                }
                guard begins else { return out }
                out.append((String(decoding: reader.term, as: UTF8.self), reader.info))
                if out.count == limit { return out }
            }
            blockIndex += 1
            guard blockIndex < termBlockCount else { return out }
            reader = try termBlock(blockIndex)
        }
    }

    /// Calls `body` with every term in dictionary order.
    func forEachTerm(_ body: ([UInt8], TermInfo) throws(IndexError) -> Void) throws(IndexError) {
        for i in 0..<termBlockCount {
            var reader = try termBlock(i)
            while try reader.next(passageLimit: passageCount) { try body(reader.term, reader.info) }
        }
    }

    /// The term at sorted index `i` (for listing the dictionary).
    package func term(at i: Int) throws(IndexError) -> String {
        guard i >= 0 && i < termCount else { throw .corrupt(file: path, reason: "term \(i) does not exist") }
        var reader = try termBlock(i / SegmentFormat.termBlockSize)
        for _ in 0...(i % SegmentFormat.termBlockSize) { _ = try reader.next(passageLimit: passageCount) }
        return String(decoding: reader.term, as: UTF8.self)
    }

    /// A cursor over the postings of `info`, its bytes verified.
    package func postings(_ info: TermInfo) throws(IndexError) -> PostingsCursor {
        try verifier.verify(info.postings)
        return PostingsCursor(owner: file, bytes: file.bytes, range: info.postings, documentFrequency: info.documentFrequency,
                              passageLimit: passageCount)
    }

    /// Verifies every chunk of the file.
    package func verifyAll() throws(IndexError) { try verifier.verifyAll() }
}
