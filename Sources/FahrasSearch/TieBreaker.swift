import FahrasIndex
import Foundation

/// Orders passages of equal score by their source file's path, then by their place in it,
/// which do not depend on how the index is cut into segments: an updated index ranks as a
/// fresh build would. Documents are decoded only when a tie happens, once per segment.
final class TieBreaker: @unchecked Sendable {
    private let reader: IndexReader
    private let lock = NSLock()
    /// Per segment: each document's source, and its rank among the segment's sources.
    private var orders: [Int: (sources: [String], rank: [Int32])] = [:]

    init(reader: IndexReader) {
        self.reader = reader
    }

    private func order(_ s: Int) -> (sources: [String], rank: [Int32])? {
        lock.lock()
        defer { lock.unlock() }
        if let known = orders[s] { return known }
        guard let documents = try? reader.segments[s].documents else { return nil }
        let sources = documents.map(\.source)
        var rank = [Int32](repeating: 0, count: sources.count)
        for (r, d) in sources.indices.sorted(by: { sources[$0].utf8.lexicographicallyPrecedes(sources[$1].utf8) }).enumerated() {
            rank[d] = Int32(r)
        }
        orders[s] = (sources, rank)
        return (sources, rank)
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
        guard let oa = order(sa), let ob = order(sb) else { return a < b }
        let da = reader.segments[sa].documentNumber(ofPassage: la)
        let db = reader.segments[sb].documentNumber(ofPassage: lb)
        if sa == sb {
            if da == db { return la < lb }
            return oa.rank[da] < ob.rank[db] || (oa.rank[da] == ob.rank[db] && la < lb)
        }
        let pa = oa.sources[da]
        let pb = ob.sources[db]
        if pa != pb { return pa.utf8.lexicographicallyPrecedes(pb.utf8) }
        // One source lives in one segment; equal sources here cannot happen in a sound index.
        return a < b
    }
}
