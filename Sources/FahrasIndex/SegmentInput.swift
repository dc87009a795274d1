/// The distinct terms of one document, which its passages' terms point into: a document
/// of thirty million words holds each distinct term's string once (its passages hold 8 bytes
/// a word), and the segment builder looks each term up once per document, not once per
/// occurrence. Filled by one thread while the document is analysed, then only read.
package final class TermVocabulary: @unchecked Sendable {
    // One thread fills it, as the builder's tables: no runtime exclusivity checks.
    @exclusivity(unchecked) package private(set) var terms: [String] = []
    /// ``TermTable/hash(_:)`` of each term, so the segment builder does not hash it again.
    @exclusivity(unchecked) package private(set) var hashes: [UInt64] = []
    // Not a Dictionary: String hashing (SipHash, and NFC for non-ASCII) was 5 % of a build.
    @exclusivity(unchecked) private var ids = TermTable(capacity: 256)

    package init() {}

    /// The index of `term`, added if new.
    package func id(of term: String) -> UInt32 {
        var utf8 = term
        return utf8.withUTF8 { bytes in
            let hash = TermTable.hash(bytes)
            if let id = ids.find(bytes, hash: hash) { return UInt32(id) }
            let id = Int32(terms.count)
            ids.insert(id, bytes: bytes, hash: hash)
            terms.append(term)
            hashes.append(hash)
            return UInt32(id)
        }
    }

    /// Frees the lookup table once every passage is analysed (``terms`` stays).
    package func seal() { ids = TermTable(capacity: 1) }
}

/// One analysed passage, as the indexer hands it to a ``SegmentBuilder``.
package struct PassageInput: Sendable {
    /// Position of the passage in its document, from 0.
    package var ordinal: Int
    /// UTF-8 offsets of the passage in the document's extracted text.
    package var range: Range<Int>
    /// The exact passage text (stored for display), in its document's text.
    package var text: Substring
    /// The terms ``terms`` points into (shared by the passages of a document).
    package var vocabulary: TermVocabulary
    /// Index terms and their word positions (variants share a position), each as
    /// `index in vocabulary << 32 | position`.
    package var terms: [UInt64]
    /// Number of word positions: BM25's document length.
    package var length: Int
    /// The passage's near-duplicate fingerprint (``Fingerprint``).
    package var fingerprint: UInt64

    package init(ordinal: Int, range: Range<Int>, text: Substring, vocabulary: TermVocabulary, terms: [UInt64], length: Int,
                fingerprint: UInt64 = 0) {
        self.ordinal = ordinal
        self.range = range
        self.text = text
        self.vocabulary = vocabulary
        self.terms = terms
        self.length = length
        self.fingerprint = fingerprint
    }

    /// A passage with a vocabulary of its own.
    package init(ordinal: Int, range: Range<Int>, text: Substring, terms: [(term: String, position: Int)], length: Int,
                fingerprint: UInt64 = 0) {
        let vocabulary = TermVocabulary()
        let packed = terms.map { PassageInput.pack(vocabulary.id(of: $0.term), position: $0.position) }
        vocabulary.seal()
        self.init(ordinal: ordinal, range: range, text: text, vocabulary: vocabulary, terms: packed, length: length,
                  fingerprint: fingerprint)
    }

    /// A term of ``terms``: its vocabulary index and position.
    @inline(__always)
    package static func pack(_ id: UInt32, position: Int) -> UInt64 {
        UInt64(id) << 32 | UInt64(UInt32(truncatingIfNeeded: position))
    }
}

/// The passages of a document too big to hold analysed whole: each made when the segment
/// builder takes it, in order, on the builder's thread, so that memory holds the document's
/// text and one passage's terms, not every term of it at once.
package struct PassageStream: @unchecked Sendable {
    package var count: Int
    package var make: (Int) -> PassageInput

    package init(count: Int, make: @escaping (Int) -> PassageInput) {
        self.count = count
        self.make = make
    }
}

/// One source file and its passages.
package struct DocumentInput: Sendable {
    /// The path shown to users (relative to the working directory when possible).
    package var path: String
    package var title: String
    /// The source file's absolute path: its identity for incremental indexing.
    package var source: String
    /// Size of the source file in bytes.
    package var size: UInt64
    /// Modification time of the source file, in nanoseconds since 1970.
    package var modified: UInt64
    /// XXH64 (seed 0) of the source file's bytes (``ContentHash/xxh64(_:)``).
    package var contentHash: UInt64
    package var passages: [PassageInput]
    /// Instead of ``passages``, passages made as they are added (a very long document).
    package var stream: PassageStream?
    /// Where the document begins in the source file, in bytes (a JSON Lines record's line;
    /// 0 for a whole file).
    package var offsetInSource: UInt64
    /// The document's ``Schema`` fields (date, site, language…), by field name.
    package var fields: [String: FieldValue]

    /// - Parameter source: the file's absolute path; `nil` uses `path`.
    package init(path: String, title: String, source: String? = nil, size: UInt64, modified: UInt64, contentHash: UInt64,
                passages: [PassageInput], offsetInSource: UInt64 = 0, fields: [String: FieldValue] = [:]) {
        self.fields = fields
        self.path = path
        self.title = title
        self.source = source ?? path
        self.size = size
        self.modified = modified
        self.contentHash = contentHash
        self.passages = passages
        self.offsetInSource = offsetInSource
    }
}
