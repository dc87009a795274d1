/// Reads one segment file straight from its memory map.
///
/// Opening checks the header, the footer, the format version and the CRC of the whole
/// file, then every section's bounds; after that, lookups are binary searches over the
/// fixed-size term entries and direct reads of fixed-size passage records.
public final class SegmentReader: @unchecked Sendable {
    /// A source document of the segment.
    public struct Document: Sendable, Equatable {
        /// The path shown to users.
        public var path: String
        public var title: String
        /// The source file's absolute path: its identity for incremental indexing.
        public var source: String
        public var size: UInt64
        public var modified: UInt64
        public var contentHash: UInt64
        public var firstPassage: Int
        public var passageCount: Int

        public init(path: String, title: String, source: String, size: UInt64, modified: UInt64, contentHash: UInt64,
                    firstPassage: Int, passageCount: Int) {
            self.path = path
            self.title = title
            self.source = source
            self.size = size
            self.modified = modified
            self.contentHash = contentHash
            self.firstPassage = firstPassage
            self.passageCount = passageCount
        }
    }

    /// A passage record (without its text).
    public struct PassageRecord: Sendable, Equatable {
        public var document: Int
        public var ordinal: Int
        /// UTF-8 offsets in the document's extracted text.
        public var range: Range<Int>
        /// Word positions in the passage (BM25's document length).
        public var length: Int
    }

    /// A term's entry in the dictionary.
    public struct TermInfo: Sendable, Equatable {
        public var documentFrequency: Int
        var postings: Range<Int>
    }

    public let path: String
    let file: MappedFile
    /// Size of the file in bytes.
    public var fileSize: UInt64 { UInt64(file.bytes.count) }
    /// The CRC-32 the footer records (verified against the content on open).
    public let footerCRC: UInt32
    public let documents: [Document]
    /// Number of passages in the segment.
    public let passageCount: Int
    /// Number of distinct terms.
    public let termCount: Int
    /// Sum of passage lengths.
    public let totalLength: UInt64
    let passagesStart: Int
    let store: Range<Int>
    let termEntriesStart: Int
    let termBytes: Range<Int>
    let postings: Range<Int>

    /// Opens and verifies the segment file at `path`.
    public init(path: String) throws(IndexError) {
        self.path = path
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
        let crcOffset = size - 12
        let storedCRC = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: crcOffset, as: UInt32.self))
        let actualCRC = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<crcOffset]))
        guard storedCRC == actualCRC else {
            throw .corrupt(file: path, reason: "checksum mismatch (stored \(storedCRC), computed \(actualCRC))")
        }
        footerCRC = storedCRC
        var footer = ByteReader(bytes, range: (size - SegmentFormat.footerSize)..<(size - 12), file: path)
        let bodyEnd = size - SegmentFormat.footerSize
        var sections: [Range<Int>] = []
        for name in ["documents", "passages", "store", "terms", "postings"] {
            let offset = try footer.u64("\(name) offset")
            let length = try footer.u64("\(name) length")
            guard offset >= UInt64(SegmentFormat.headerSize), offset <= UInt64(bodyEnd),
                  length <= UInt64(bodyEnd) - offset else {
                throw .corrupt(file: path, reason: "\(name) section lies outside the file")
            }
            sections.append(Int(offset)..<Int(offset + length))
        }
        totalLength = try footer.u64("total length")

        var reader = ByteReader(bytes, range: sections[0], file: path)
        let documentCount = Int(try reader.u32("document count"))
        var documents: [Document] = []
        documents.reserveCapacity(min(documentCount, sections[0].count))
        for _ in 0..<documentCount {
            documents.append(Document(
                path: try reader.string("document path"), title: try reader.string("document title"),
                source: try reader.string("document source"), size: try reader.u64("document size"), modified: try reader.u64("document time"),
                contentHash: try reader.u64("document hash"),
                firstPassage: Int(try reader.u32("first passage")), passageCount: Int(try reader.u32("passage count"))))
        }
        self.documents = documents

        reader = ByteReader(bytes, range: sections[1], file: path)
        passageCount = Int(try reader.u32("passage count"))
        passagesStart = sections[1].lowerBound + 4
        guard sections[1].count - 4 == passageCount * SegmentFormat.passageRecordSize else {
            throw .corrupt(file: path, reason: "passage table size does not match its count \(passageCount)")
        }
        for document in documents where document.firstPassage + document.passageCount > passageCount {
            throw .corrupt(file: path, reason: "document '\(document.path)' points past the passage table")
        }
        store = sections[2]

        reader = ByteReader(bytes, range: sections[3], file: path)
        termCount = Int(try reader.u32("term count"))
        termEntriesStart = sections[3].lowerBound + 4
        let entriesEnd = termEntriesStart + termCount * SegmentFormat.termEntrySize
        guard entriesEnd <= sections[3].upperBound else {
            throw .corrupt(file: path, reason: "term table is shorter than its count \(termCount)")
        }
        termBytes = entriesEnd..<sections[3].upperBound
        postings = sections[4]
    }

    // MARK: Passages

    /// The record of passage `number` (0-based within the segment).
    public func passage(_ number: Int) throws(IndexError) -> PassageRecord {
        guard number >= 0 && number < passageCount else {
            throw .corrupt(file: path, reason: "passage \(number) does not exist")
        }
        var r = ByteReader(file.bytes, range: (passagesStart + number * 32)..<(passagesStart + number * 32 + 32), file: path)
        let document = Int(try r.u32("passage document"))
        let ordinal = Int(try r.u32("passage ordinal"))
        let start = Int(try r.u32("passage start"))
        let end = Int(try r.u32("passage end"))
        let length = Int(try r.u32("passage length"))
        guard document < documents.count, start <= end else {
            throw .corrupt(file: path, reason: "passage \(number) has an invalid record")
        }
        return PassageRecord(document: document, ordinal: ordinal, range: start..<end, length: length)
    }

    /// Word positions of passage `number`, without the checks of ``passage(_:)``: the hot
    /// path of BM25. `number` must be below ``passageCount``.
    @inline(__always)
    public func passageLength(_ number: Int) -> Int {
        Int(UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: passagesStart + number * 32 + 16, as: UInt32.self)))
    }

    /// The stored text of passage `number`.
    public func passageText(_ number: Int) throws(IndexError) -> String {
        String(decoding: try passageTextBytes(number), as: UTF8.self)
    }

    /// The stored UTF-8 bytes of passage `number`, straight from the map.
    func passageTextBytes(_ number: Int) throws(IndexError) -> UnsafeRawBufferPointer {
        guard number >= 0 && number < passageCount else {
            throw .corrupt(file: path, reason: "passage \(number) does not exist")
        }
        var r = ByteReader(file.bytes, range: (passagesStart + number * 32 + 20)..<(passagesStart + number * 32 + 32), file: path)
        let offset = try r.u64("store offset")
        let length = UInt64(try r.u32("store length"))
        guard offset <= UInt64(store.count), length <= UInt64(store.count) - offset else {
            throw .corrupt(file: path, reason: "passage \(number) text lies outside the store")
        }
        let start = store.lowerBound + Int(offset)
        return UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + Int(length))])
    }

    // MARK: Terms

    /// The term at sorted index `i`, as raw bytes.
    func termBytes(at i: Int) -> UnsafeRawBufferPointer? {
        let entry = termEntriesStart + i * SegmentFormat.termEntrySize
        let offset = Int(UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: entry, as: UInt32.self)))
        let length = Int(UInt16(littleEndian: file.bytes.loadUnaligned(fromByteOffset: entry + 4, as: UInt16.self)))
        let start = termBytes.lowerBound + offset
        guard start + length <= termBytes.upperBound else { return nil }
        return UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + length)])
    }

    /// The term at sorted index `i` (for listing the dictionary).
    public func term(at i: Int) throws(IndexError) -> String {
        String(decoding: try checkedTermBytes(at: i), as: UTF8.self)
    }

    /// The bytes of the term at sorted index `i`, checked to lie in the term bytes.
    func checkedTermBytes(at i: Int) throws(IndexError) -> UnsafeRawBufferPointer {
        guard i >= 0 && i < termCount, let raw = termBytes(at: i) else {
            throw .corrupt(file: path, reason: "term \(i) lies outside the term bytes")
        }
        return raw
    }

    /// The sorted index of the first term not before `key` (binary search).
    private func lowerBound(_ key: String.UTF8View) throws(IndexError) -> Int {
        var low = 0
        var high = termCount
        while low < high {
            let mid = (low + high) / 2
            guard let candidate = termBytes(at: mid) else {
                throw .corrupt(file: path, reason: "term \(mid) lies outside the term bytes")
            }
            if candidate.lexicographicallyPrecedes(key) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Looks `term` up in the dictionary.
    public func lookup(_ term: String) throws(IndexError) -> TermInfo? {
        let low = try lowerBound(term.utf8)
        guard low < termCount, let found = termBytes(at: low), found.elementsEqual(term.utf8) else { return nil }
        return try info(at: low)
    }

    /// The terms that begin with `prefix`, in dictionary order, with their information.
    public func terms(withPrefix prefix: String) throws(IndexError) -> [(term: String, info: TermInfo)] {
        var index = try lowerBound(prefix.utf8)
        var out: [(term: String, info: TermInfo)] = []
        while index < termCount, let raw = termBytes(at: index), raw.starts(with: prefix.utf8) {
            out.append((String(decoding: raw, as: UTF8.self), try info(at: index)))
            index += 1
        }
        return out
    }

    func info(at i: Int) throws(IndexError) -> TermInfo {
        let entry = termEntriesStart + i * SegmentFormat.termEntrySize
        var r = ByteReader(file.bytes, range: (entry + 8)..<(entry + 24), file: path)
        let frequency = Int(try r.u32("document frequency"))
        let offset = try r.u64("postings offset")
        let length = UInt64(try r.u32("postings length"))
        guard offset <= UInt64(postings.count), length <= UInt64(postings.count) - offset, frequency <= passageCount else {
            throw .corrupt(file: path, reason: "term \(i) points outside the postings")
        }
        let start = postings.lowerBound + Int(offset)
        return TermInfo(documentFrequency: frequency, postings: start..<(start + Int(length)))
    }

    /// A cursor over the postings of `info`.
    public func postings(_ info: TermInfo) -> PostingsCursor {
        PostingsCursor(owner: file, bytes: file.bytes, range: info.postings, passageLimit: passageCount)
    }
}
