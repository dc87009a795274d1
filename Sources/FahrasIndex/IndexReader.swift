import Foundation
import Synchronization
/// A consistent, read-only view of one commit: its manifest, its segments and what is
/// deleted in them.
///
/// Passages are numbered globally: segment `s`'s passage `p` is `passageBase[s] + p`,
/// deleted or not. Corpus statistics (live passages, average length, document frequencies)
/// count only live passages, so BM25 scores equal those of a fresh build of the same files
/// however the index is cut into segments.
package final class IndexReader: @unchecked Sendable {
    package let directory: String
    package let manifest: Manifest
    package let segments: [SegmentReader]
    /// Deleted passages of each segment (`nil`: none).
    package let deletions: [DeletionSet?]
    /// Global number of each segment's first passage.
    package let passageBase: [Int]
    /// Live passages in the whole index (BM25's N).
    package let passageCount: Int
    /// Passages in the segments, deleted ones included (the range of global numbers).
    package let storedPassageCount: Int
    /// Mean live passage length in word positions (BM25's avgdl).
    package let averageLength: Double

    init(directory: String, manifest: Manifest, segments: [SegmentReader]) throws(IndexError) {
        self.directory = directory
        self.manifest = manifest
        self.segments = segments
        var base: [Int] = []
        var deletions: [DeletionSet?] = []
        var count = 0
        for (segment, entry) in zip(segments, manifest.segments) {
            base.append(count)
            count += segment.passageCount
            deletions.append(entry.deleted.isEmpty ? nil : try DeletionSet(documents: entry.deleted, of: segment))
        }
        self.deletions = deletions
        passageBase = base
        storedPassageCount = count
        passageCount = manifest.statistics.passages
        averageLength = passageCount == 0 ? 0 : Double(manifest.statistics.totalLength) / Double(passageCount)
    }

    private let sharedLock = NSLock()
    /// Written once, under the lock and before `sharedReady`: a reader that sees `sharedReady`
    /// reads it without the lock (every hit of every answer asks).
    private var shared: Set<String>?
    private let sharedReady = Atomic<Bool>(false)

    /// Paths that live documents of more than one source file have (a JSON Lines id used in
    /// two exports): results show them qualified by their file (``shownPath(_:segment:number:)``).
    /// Read once per commit, on first use.
    package func sharedPaths() throws(IndexError) -> Set<String> {
        if sharedReady.load(ordering: .acquiring), let shared { return shared }
        sharedLock.lock()
        defer { sharedLock.unlock() }
        if let shared { return shared }
        // Only documents of different source files can share a path: an index of one file (a
        // JSON Lines export, whose ids are unique within it) has none, and needs no pass over
        // its records (about 20 ms for 121,000 of them, paid by every one-query process).
        var sourcePaths = Set<String>()
        sources: for segment in segments {
            for number in 0..<segment.sourceCount {
                sourcePaths.insert(try segment.sourcePath(number))
                if sourcePaths.count > 1 { break sources }
            }
        }
        if sourcePaths.count <= 1 {
            shared = []
            sharedReady.store(true, ordering: .releasing)
            return []
        }
        // Paths and source numbers only: a source's path is read when two documents share a path.
        var seen: [String: (segment: Int, source: Int)] = [:]
        // Sized up front: regrowing it was most of this pass, which a one-query process pays.
        seen.reserveCapacity(segments.reduce(0) { $0 + $1.documentCount })
        var found: Set<String> = []
        for (s, segment) in segments.enumerated() {
            let deleted = Set(manifest.segments[s].deleted)
            for (number, document) in try segment.pathsAndSources().enumerated() where !deleted.contains(number) {
                guard let other = seen[document.path] else {
                    seen[document.path] = (s, document.source)
                    continue
                }
                if other != (s, document.source),
                   try segments[other.segment].sourcePath(other.source) != segment.sourcePath(document.source) {
                    found.insert(document.path)
                }
            }
        }
        shared = found
        sharedReady.store(true, ordering: .releasing)
        return found
    }

    /// How results name document `number` of `segment`, whose path is `path`: the path, or
    /// `FILE:path` (``qualified(_:source:)``) when documents of other sources have it too.
    package func shownPath(_ path: String, segment: SegmentReader, number: Int) throws(IndexError) -> String {
        // Most indexes share no path: no hashing of each hit's path then.
        let shared = try sharedPaths()
        guard !shared.isEmpty, shared.contains(path) else { return path }
        return IndexReader.qualified(path, source: try segment.document(number).source)
    }

    /// A path qualified by the name of its source file: `export-b.jsonl:x1`.
    package static func qualified(_ path: String, source: String) -> String {
        String(source.split(separator: "/").last ?? Substring(source)) + ":" + path
    }

    /// Whether segment `s`'s passage `local` is deleted.
    @inline(__always)
    package func isDeleted(segment s: Int, passage local: Int) -> Bool {
        deletions[s]?.contains(local) ?? false
    }

    /// Live passages of segment `s` that hold the term of `info`.
    private func liveFrequency(_ info: SegmentReader.TermInfo, in s: Int) throws(IndexError) -> Int {
        guard let deleted = deletions[s] else { return info.documentFrequency }
        var cursor = try segments[s].postings(info)
        var live = 0
        while cursor.next() {
            if !deleted.contains(cursor.passage) { live += 1 }
        }
        if cursor.isCorrupt { throw .corrupt(file: segments[s].path, reason: "a postings list is malformed") }
        return live
    }

    /// Number of live passages that contain `term`, over all segments.
    package func documentFrequency(_ term: String) throws(IndexError) -> Int {
        try documentFrequency(of: lookup(term))
    }

    /// The dictionary entry of `term` in each segment (`nil` where it is absent).
    package func lookup(_ term: String) throws(IndexError) -> [SegmentReader.TermInfo?] {
        var infos: [SegmentReader.TermInfo?] = []
        infos.reserveCapacity(segments.count)
        for segment in segments { infos.append(try segment.lookup(term)) }
        return infos
    }

    /// Number of live passages holding a term, from its entries as ``lookup(_:)`` gives them.
    package func documentFrequency(of infos: [SegmentReader.TermInfo?]) throws(IndexError) -> Int {
        var total = 0
        for (s, info) in infos.enumerated() {
            if let info { total += try liveFrequency(info, in: s) }
        }
        return total
    }

    /// The terms that begin with `prefix` in some live passage, each with its live passage
    /// count, in dictionary order.
    package func terms(withPrefix prefix: String) throws(IndexError) -> [(term: String, documentFrequency: Int)] {
        if segments.count == 1 {
            // One segment's terms are in order already, and each once.
            var out: [(term: String, documentFrequency: Int)] = []
            for (term, info) in try segments[0].terms(withPrefix: prefix) {
                let live = try liveFrequency(info, in: 0)
                if live > 0 { out.append((term, live)) }
            }
            return out
        }
        var counts: [String: Int] = [:]
        for s in segments.indices {
            for (term, info) in try segments[s].terms(withPrefix: prefix) {
                let live = try liveFrequency(info, in: s)
                if live > 0 { counts[term, default: 0] += live }
            }
        }
        return counts.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) }
    }

    /// Whether some segment holds a term that begins with `prefix` (live or not).
    package func hasTerm(withPrefix prefix: String) throws(IndexError) -> Bool {
        for segment in segments where try !segment.terms(withPrefix: prefix, limit: 1).isEmpty { return true }
        return false
    }

    /// The segment and local passage number of a global passage number.
    package func locate(_ passage: Int) -> (segment: SegmentReader, local: Int)? {
        guard passage >= 0 && passage < storedPassageCount else { return nil }
        var s = segments.count - 1
        while passageBase[s] > passage { s -= 1 }
        return (segments[s], passage - passageBase[s])
    }

    /// A document that is not deleted: where it is, and its record (with its touched time).
    package struct LiveDocument: Sendable {
        package var segment: Int
        package var number: Int
        package var document: SegmentReader.Document
    }

    /// The live documents of every segment, in index order, without their titles and
    /// article fields (what an update compares with the files: sources, sizes, times,
    /// hashes, ids).
    package func liveDocuments() throws(IndexError) -> [LiveDocument] {
        var out: [LiveDocument] = []
        for (s, segment) in segments.enumerated() {
            let deleted = Set(manifest.segments[s].deleted)
            let retimed = Dictionary(manifest.segments[s].retimed.map { ($0.document, $0.modified) }) { $1 }
            for n in 0..<segment.documentCount where !deleted.contains(n) {
                var document = try segment.document(n, whole: false)
                if let modified = retimed[n] { document.modified = modified }
                out.append(LiveDocument(segment: s, number: n, document: document))
            }
        }
        return out
    }

    /// Distinct terms, summed over segments (an upper bound when segments share terms).
    package var termCount: Int { segments.reduce(0) { $0 + $1.termCount } }
    /// Live documents, over all segments.
    package var documentCount: Int { manifest.statistics.documents }
}

extension IndexReader {
    /// What the live documents hold of one ``Schema`` field.
    package struct FieldSummary: Sendable {
        package var field: FieldSpec
        /// Live documents with a value.
        package var documents: Int
        /// Dates: the earliest and latest day.
        package var range: ClosedRange<Int32>?
        /// Keywords: distinct values with their live documents, most first.
        package var values: [(value: String, documents: Int)] = []
    }

    /// The schema's fields over the live documents (for `fahras stats`), read from the columns.
    package func fieldSummaries() -> [FieldSummary] {
        Schema.fields.map { field in
            var summary = FieldSummary(field: field, documents: 0)
            var counts: [String: Int] = [:]
            for (s, segment) in segments.enumerated() {
                let deleted = Set(manifest.segments[s].deleted)
                for d in 0..<segment.documentCount where !deleted.contains(d) {
                    guard let value = segment.fields.value(field.name, document: d) else { continue }
                    summary.documents += 1
                    switch value {
                    case .date(let day):
                        summary.range = summary.range.map { min($0.lowerBound, day)...max($0.upperBound, day) } ?? day...day
                    case .text(let text):
                        if field.kind == .keyword { counts[text, default: 0] += 1 }
                    }
                }
            }
            summary.values = counts.map { ($0.key, $0.value) }.sorted { ($0.documents, $1.value) > ($1.documents, $0.value) }
            return summary
        }
    }
}
