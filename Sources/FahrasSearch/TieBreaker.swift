import FahrasIndex
import Foundation

/// Orders passages of equal score by their source file's path, then by their place in it,
/// which do not depend on how the index is cut into segments: an updated index ranks as a
/// fresh build would.
///
/// Within a segment whose documents lie in source order (``SegmentReader/documentsInSourceOrder``,
/// as every build from sorted files is), passage order is that order and nothing is decoded.
/// Otherwise only the documents that take part in a tie are decoded, each once: a single
/// query on a large index pays for a few records, not for sorting every source.
final class TieBreaker: @unchecked Sendable {
    private let reader: IndexReader
    private let lock = NSLock()
    /// Source paths of the documents seen in ties, keyed by segment and document number.
    private var sources: [Int: String] = [:]

    init(reader: IndexReader) {
        self.reader = reader
    }

    private func source(segment s: Int, document d: Int) -> String? {
        lock.lock()
        defer { lock.unlock() }
        let key = s << 32 | d
        if let known = sources[key] { return known }
        guard let document = try? reader.segments[s].document(d) else { return nil }
        sources[key] = document.source
        return document.source
    }

    private func segment(of passage: Int) -> Int {
        var s = reader.segments.count - 1
        while reader.passageBase[s] > passage { s -= 1 }
        return s
    }

    /// Whether passage `a` ranks before passage `b` when their scores are equal.
    func precedes(_ a: Int, _ b: Int) -> Bool {
        let sa = segment(of: a)
        let sb = segment(of: b)
        let la = a - reader.passageBase[sa]
        let lb = b - reader.passageBase[sb]
        // A segment written in source order ranks its ties in passage order.
        if sa == sb && reader.segments[sa].documentsInSourceOrder { return la < lb }
        let da = reader.segments[sa].documentNumber(ofPassage: la)
        let db = reader.segments[sb].documentNumber(ofPassage: lb)
        if sa == sb && da == db { return la < lb }
        guard let pa = source(segment: sa, document: da), let pb = source(segment: sb, document: db) else { return a < b }
        if pa != pb { return pa.utf8.lexicographicallyPrecedes(pb.utf8) }
        // Documents of one source (the records of a JSON Lines file) keep their file order.
        // One source lives in one segment; equal sources across segments cannot happen in a
        // sound index.
        return sa == sb ? la < lb : a < b
    }
}
