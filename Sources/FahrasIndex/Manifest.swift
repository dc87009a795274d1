import Foundation

/// The commit point of an index (`manifest.json`, as Tantivy's `meta.json` and Lucene's
/// `segments_N`): the live segments, what is deleted in each, the companion files, the
/// analyzer configuration and the corpus statistics BM25 needs. Replaced atomically by every
/// commit; readers open it first and only the files it names.
///
/// The file is JSON with a `checksum` member, `crc32:` and eight hex digits: the CRC-32 of
/// the file's bytes with those digits written as `00000000` (docs/index-format.md).
package struct Manifest: Codable, Equatable, Sendable {
    /// One live segment and its deletions.
    package struct Segment: Codable, Equatable, Sendable {
        /// File name inside the index directory.
        package var file: String
        /// File size in bytes, checked on open.
        package var bytes: UInt64
        /// CRC-32 of the file, as its footer records.
        package var crc32: UInt32
        /// Documents, passages, distinct terms and word positions in the file, deleted or not.
        package var documents: Int
        package var passages: Int
        package var terms: Int
        package var totalLength: UInt64
        /// Numbers of the segment's documents that are deleted (replaced or gone), ascending.
        package var deleted: [Int]
        /// Passages and word positions of the documents that are not deleted.
        package var livePassages: Int
        package var liveLength: UInt64
        /// Later modification times of documents whose file was touched but not changed.
        package var retimed: [Retimed]

        package init(file: String, bytes: UInt64, crc32: UInt32, documents: Int, passages: Int, terms: Int,
                    totalLength: UInt64, deleted: [Int] = [], livePassages: Int? = nil, liveLength: UInt64? = nil,
                    retimed: [Retimed] = []) {
            self.file = file
            self.bytes = bytes
            self.crc32 = crc32
            self.documents = documents
            self.passages = passages
            self.terms = terms
            self.totalLength = totalLength
            self.deleted = deleted
            self.livePassages = livePassages ?? passages
            self.liveLength = liveLength ?? totalLength
            self.retimed = retimed
        }

        /// Documents not deleted.
        package var liveDocuments: Int { documents - deleted.count }
    }

    /// A document's modification time after a touch that left its content as it was.
    package struct Retimed: Codable, Equatable, Sendable {
        package var document: Int
        /// Nanoseconds since 1970.
        package var modified: UInt64

        package init(document: Int, modified: UInt64) {
            self.document = document
            self.modified = modified
        }
    }

    /// A file the index depends on besides its segments (the user's entity list).
    package struct Companion: Codable, Equatable, Sendable {
        package var file: String
        /// What the file is for; today always `entities`.
        package var role: String
        package var bytes: UInt64
        package var crc32: UInt32
    }

    /// The analyzer configuration that produced the terms.
    package struct AnalyzerRecord: Codable, Equatable, Sendable {
        /// One string naming the whole configuration; readers compare it.
        package var signature: String
        /// Its parts (code version, fingerprints of each data file), to say what changed.
        package var parts: [String: String]

        package init(signature: String, parts: [String: String]) {
            self.signature = signature
            self.parts = parts
        }
    }

    /// Corpus statistics over the live documents: BM25's N and average length.
    package struct Statistics: Codable, Equatable, Sendable {
        package var documents: Int
        package var passages: Int
        package var totalLength: UInt64
    }

    /// Always `"fahras-index"`.
    package var format: String
    /// The manifest format version (see docs/index-format.md).
    package var version: Int
    /// Incremented by every commit.
    package var generation: Int
    /// When the commit was made (ISO 8601).
    package var committed: String
    /// When the indexing run began looking at the source files (ns since 1970): a file
    /// modified at or after this moment may have changed again within its recorded time,
    /// so the next run reads it rather than trusting size and time (Git's "racy" rule).
    package var scanned: UInt64
    package var analyzer: AnalyzerRecord
    package var files: [Companion]
    package var segments: [Segment]
    package var statistics: Statistics
    /// `true` when the segments keep no passage texts (`fahras index --text external`);
    /// absent when they do.
    package var externalText: Bool?
    /// The folders and files the index was built from (the PATHs given to `fahras index`,
    /// absolute, links resolved), sorted: `fahras index` with no PATH scans them again.
    package var sources: [String]
    /// Files that could not be indexed, remembered (``Skipped``); absent when none.
    package var skipped: [Skipped]?
    /// `crc32:` and the file's checksum in hex (see the type's description).
    package var checksum: String

    /// Whether passage texts are read again from the sources rather than kept.
    package var keepsTextsExternal: Bool { externalText ?? false }

    package static let formatName = "fahras-index"
    package static let currentVersion = 3
    package static let fileName = "manifest.json"

    /// A file under the sources that could not be indexed (empty, binary, no article text),
    /// as it was when it was read: an update passes it over, with the same warning, while its
    /// size and times are the same, rather than reading it again on every run.
    package struct Skipped: Codable, Equatable, Sendable {
        /// Its absolute path, links resolved (as documents' sources).
        package var source: String
        package var size: UInt64
        /// Modification and status-change times, in nanoseconds (a `chmod` that makes an
        /// unreadable file readable changes only the second).
        package var modified: UInt64
        package var changed: UInt64
        /// The warning's reason.
        package var reason: String

        package init(source: String, size: UInt64, modified: UInt64, changed: UInt64, reason: String) {
            self.source = source
            self.size = size
            self.modified = modified
            self.changed = changed
            self.reason = reason
        }

        /// `entries` in the order a manifest lists them: by source, bytewise.
        package static func inOrder(_ entries: [Skipped]) -> [Skipped] {
            entries.sorted { $0.source.utf8.lexicographicallyPrecedes($1.source.utf8) }
        }
    }

    /// A manifest for `segments`, with statistics summed from them.
    package init(generation: Int, scanned: UInt64, analyzer: AnalyzerRecord, files: [Companion], segments: [Segment],
                externalText: Bool = false, sources: [String] = [], skipped: [Skipped] = []) {
        format = Manifest.formatName
        self.sources = sources.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        version = Manifest.currentVersion
        self.generation = generation
        committed = Schema.isoTimestamp(secondsSince1970: Int64(Date().timeIntervalSince1970.rounded(.down)))
        self.scanned = scanned
        self.analyzer = analyzer
        self.files = files
        self.segments = segments
        statistics = Manifest.statistics(of: segments)
        self.externalText = externalText ? true : nil
        self.skipped = skipped.isEmpty ? nil : Skipped.inOrder(skipped)
        checksum = ""
    }

    /// The next commit after this one, with other segments (and sources, and skipped files):
    /// everything else as it was (a commit that reads no file: optimize, remove).
    package func successor(segments: [Segment], sources: [String]? = nil, skipped: [Skipped]? = nil) -> Manifest {
        Manifest(generation: generation + 1, scanned: scanned, analyzer: analyzer, files: files, segments: segments,
                 externalText: keepsTextsExternal, sources: sources ?? self.sources, skipped: skipped ?? self.skipped ?? [])
    }

    /// Statistics summed over the live documents of `segments`.
    package static func statistics(of segments: [Segment]) -> Statistics {
        Statistics(
            documents: segments.reduce(0) { $0 + $1.liveDocuments },
            passages: segments.reduce(0) { $0 + $1.livePassages },
            totalLength: segments.reduce(0) { $0 + $1.liveLength })
    }

    /// The companion file with `role`, if any.
    package func companion(_ role: String) -> Companion? {
        files.first { $0.role == role }
    }

    // MARK: Encoding

    private static let checksumMarker = Array("\"crc32:".utf8)

    /// The file's bytes, checksum included.
    package func encoded(file: String) throws(IndexError) -> [UInt8] {
        var copy = self
        copy.checksum = "crc32:00000000"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(copy)) + [0x0A]
        } catch {
            throw .io(path: file, operation: "encode", message: String(describing: error))
        }
        guard Manifest.checksumDigits(in: bytes) != nil else {
            throw .io(path: file, operation: "encode", message: "checksum member missing")
        }
        return Manifest.resealed(bytes)
    }

    /// `bytes` with the eight digits after their last `"crc32:` set to the checksum of the
    /// whole with those digits zeroed (as readers verify it); unchanged without that member.
    package static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        guard let digits = checksumDigits(in: bytes) else { return bytes }
        var sealed = bytes
        sealed.replaceSubrange(digits, with: Array("00000000".utf8))
        sealed.replaceSubrange(digits, with: Array(hex(CRC32.checksum(sealed)).utf8))
        return sealed
    }

    /// Checks and decodes the bytes of a manifest file.
    static func decode(_ bytes: [UInt8], file: String) throws(IndexError) -> Manifest {
        struct Probe: Decodable { var format: String?; var version: Int? }
        guard let probe = try? JSONDecoder().decode(Probe.self, from: Data(bytes)), probe.format == formatName else {
            throw .corrupt(file: file, reason: "not a Fahras manifest (it does not parse as one)")
        }
        guard probe.version == currentVersion else {
            throw .unsupportedVersion(file: file, found: probe.version ?? 0, supported: currentVersion)
        }
        guard let digits = checksumDigits(in: bytes) else {
            throw .corrupt(file: file, reason: "the checksum member is missing")
        }
        var zeroed = bytes
        zeroed.replaceSubrange(digits, with: Array("00000000".utf8))
        let stored = String(decoding: bytes[digits], as: UTF8.self)
        let computed = hex(CRC32.checksum(zeroed))
        guard stored == computed else {
            throw .corrupt(file: file, reason: "checksum mismatch (stored \(stored), computed \(computed))")
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: Data(bytes))
        } catch {
            throw .corrupt(file: file, reason: "manifest does not parse: \(error)")
        }
        if let problem = manifest.inconsistency() { throw .corrupt(file: file, reason: problem) }
        return manifest
    }

    /// What makes the manifest unusable, checked before any arithmetic on its numbers or any
    /// file it names is opened (a manifest may come from an untrusted source: its checksum
    /// only proves it was written whole). `nil`: nothing.
    func inconsistency() -> String? {
        var names: Set<String> = []
        for name in segments.map(\.file) + files.map(\.file) {
            // A plain name of the index's own kinds: no path, nothing outside the folder.
            guard IndexDirectory.number(in: name) != nil, !name.hasSuffix(".tmp"), !name.contains("/") else {
                return "it names '\(name)', which is not a segment or companion file of the index folder"
            }
            guard names.insert(name).inserted else { return "it names '\(name)' twice" }
        }
        for segment in segments {
            guard segment.documents >= 0, segment.passages >= 0, segment.terms >= 0,
                  segment.livePassages >= 0, segment.livePassages <= segment.passages, segment.liveLength <= segment.totalLength,
                  segment.deleted.count <= segment.documents,
                  zip(segment.deleted, segment.deleted.dropFirst()).allSatisfy({ $0 < $1 }),
                  segment.deleted.allSatisfy({ (0..<segment.documents).contains($0) }) else {
                return "the counts it records for \(segment.file) are impossible"
            }
        }
        guard let sums = Manifest.checkedStatistics(of: segments) else { return "its segments' counts overflow when added up" }
        guard generation >= 0, generation < Int.max else { return "its generation \(generation) is out of range" }
        return statistics == sums ? nil : "its statistics are not the sum of its segments'"
    }

    /// The sums of ``statistics(of:)``, or `nil` when one overflows.
    static func checkedStatistics(of segments: [Segment]) -> Statistics? {
        var sums = Statistics(documents: 0, passages: 0, totalLength: 0)
        for segment in segments {
            let documents = sums.documents.addingReportingOverflow(segment.liveDocuments)
            let passages = sums.passages.addingReportingOverflow(segment.livePassages)
            let length = sums.totalLength.addingReportingOverflow(segment.liveLength)
            if documents.overflow || passages.overflow || length.overflow { return nil }
            sums = Statistics(documents: documents.partialValue, passages: passages.partialValue, totalLength: length.partialValue)
        }
        return sums
    }

    /// The byte range of the eight hex digits after the last `"crc32:`.
    private static func checksumDigits(in bytes: [UInt8]) -> Range<Int>? {
        let marker = checksumMarker
        var i = bytes.count - marker.count - 8
        while i >= 0 {
            if bytes[i] == marker[0] && bytes[i..<(i + marker.count)].elementsEqual(marker) {
                let start = i + marker.count
                return start..<(start + 8)
            }
            i -= 1
        }
        return nil
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
