/// A consistent, read-only view of one commit: its manifest and its segments.
///
/// Passages are numbered globally: segment `s`'s passage `p` is `passageBase[s] + p`.
/// Corpus statistics (passage count, average length, document frequencies) are summed over
/// the segments of this one snapshot, so BM25 scores do not depend on how the index is cut.
public final class IndexReader: Sendable {
    public let directory: String
    public let manifest: Manifest
    public let segments: [SegmentReader]
    /// Global number of each segment's first passage.
    public let passageBase: [Int]
    /// Passages in the whole index (BM25's N).
    public let passageCount: Int
    /// Mean passage length in word positions (BM25's avgdl).
    public let averageLength: Double

    init(directory: String, manifest: Manifest, segments: [SegmentReader]) {
        self.directory = directory
        self.manifest = manifest
        self.segments = segments
        var base: [Int] = []
        var count = 0
        var total: UInt64 = 0
        for segment in segments {
            base.append(count)
            count += segment.passageCount
            total += segment.totalLength
        }
        passageBase = base
        passageCount = count
        averageLength = count == 0 ? 0 : Double(total) / Double(count)
    }

    /// Number of passages that contain `term`, over all segments.
    public func documentFrequency(_ term: String) throws(IndexError) -> Int {
        var total = 0
        for segment in segments { total += try segment.lookup(term)?.documentFrequency ?? 0 }
        return total
    }

    /// The terms that begin with `prefix` in any segment, each with its passage count over
    /// all segments, in dictionary order.
    public func terms(withPrefix prefix: String) throws(IndexError) -> [(term: String, documentFrequency: Int)] {
        var counts: [String: Int] = [:]
        for segment in segments {
            for (term, info) in try segment.terms(withPrefix: prefix) { counts[term, default: 0] += info.documentFrequency }
        }
        return counts.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map { ($0.key, $0.value) }
    }

    /// The segment and local passage number of a global passage number.
    public func locate(_ passage: Int) -> (segment: SegmentReader, local: Int)? {
        guard passage >= 0 && passage < passageCount else { return nil }
        var s = segments.count - 1
        while passageBase[s] > passage { s -= 1 }
        return (segments[s], passage - passageBase[s])
    }

    /// Distinct terms, summed over segments (an upper bound when segments share terms).
    public var termCount: Int { segments.reduce(0) { $0 + $1.termCount } }
    /// Documents, over all segments.
    public var documentCount: Int { segments.reduce(0) { $0 + $1.documents.count } }
}
