/// One analysed passage, as the indexer hands it to a ``SegmentBuilder``.
package struct PassageInput: Sendable {
    /// Position of the passage in its document, from 0.
    package var ordinal: Int
    /// UTF-8 offsets of the passage in the document's extracted text.
    package var range: Range<Int>
    /// The exact passage text (stored for display).
    package var text: String
    /// Index terms and their word positions (variants share a position).
    package var terms: [(term: String, position: Int)]
    /// Number of word positions: BM25's document length.
    package var length: Int
    /// The passage's near-duplicate fingerprint (``Fingerprint``).
    package var fingerprint: UInt64

    package init(ordinal: Int, range: Range<Int>, text: String, terms: [(term: String, position: Int)], length: Int,
                fingerprint: UInt64 = 0) {
        self.ordinal = ordinal
        self.range = range
        self.text = text
        self.terms = terms
        self.length = length
        self.fingerprint = fingerprint
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
