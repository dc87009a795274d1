import FahrasAnalysis
import FahrasIndex
import Foundation

/// Every passage of the index filed by the slices of its fingerprint, so that the copies of
/// a fingerprint are found by looking at the few passages that share a slice with it rather
/// than at every passage (``Fingerprint``: two copies are at most
/// ``Fingerprint/maximumDistance`` bits apart, so they agree on at least one of
/// ``CopyIndex/slices`` slices).
///
/// Building it (a counting sort by slice value, linear in the passages) costs about what
/// comparing 64 fingerprints with every passage costs; so a ``Searcher`` compares directly
/// until it has looked up that many, then builds the table once and shares it between its
/// copies and threads. A one-off search never builds it; a server builds it on its first
/// few requests.
final class CopyTable: @unchecked Sendable {
    /// One segment's passages for one slice: `locals[starts[v]..<starts[v + 1]]` are the
    /// passages whose slice equals `v`, in increasing order.
    private struct Filed {
        var starts: [UInt32]
        var locals: [UInt32]
    }

    private let reader: IndexReader
    private let lock = NSLock()
    /// By segment, then by slice; `nil` until built.
    private var filed: [[Filed]]?
    /// Fingerprints looked up by comparing with every passage, before the table was built.
    private var compared = 0
    /// Fingerprints compared directly before the table pays.
    static let directLookups = 64

    init(reader: IndexReader) {
        self.reader = reader
    }

    /// For each fingerprint of `prints`, its live copies in the index as global passage
    /// numbers, in index order (0 has none).
    func copies(of prints: [UInt64]) -> [[Int]] {
        guard let filed = table(for: prints.count) else { return compare(prints) }
        var out = [[Int]](repeating: [], count: prints.count)
        for (g, print) in prints.enumerated() where print != 0 {
            for (s, segment) in reader.segments.enumerated() {
                let base = reader.passageBase[s]
                let fields = segment.fields
                var found: [Int] = []
                for k in 0..<CopyIndex.slices {
                    let slice = filed[s][k]
                    let v = Int(CopyIndex.slice(print, k))
                    for i in Int(slice.starts[v])..<Int(slice.starts[v + 1]) {
                        let local = Int(slice.locals[i])
                        if Fingerprint.areCopies(fields.fingerprint(local), print) { found.append(local) }
                    }
                }
                // A passage that shares several slices with `print` is found once per slice.
                found.sort()
                var last = -1
                for local in found where local != last {
                    last = local
                    if !reader.isDeleted(segment: s, passage: local) { out[g].append(base + local) }
                }
            }
        }
        return out
    }

    /// The table, built now if `count` more direct lookups would pass ``directLookups``;
    /// `nil`: compare directly.
    private func table(for count: Int) -> [[Filed]]? {
        lock.lock()
        defer { lock.unlock() }
        if let filed { return filed }
        if compared + count <= CopyTable.directLookups {
            compared += count
            return nil
        }
        let built = reader.segments.map(CopyTable.file)
        filed = built
        return built
    }

    /// The copies of `prints` by comparing each with every passage's fingerprint: a few
    /// instructions a pair, one pass over the fingerprint columns.
    private func compare(_ prints: [UInt64]) -> [[Int]] {
        var out = [[Int]](repeating: [], count: prints.count)
        let groups = prints.indices.filter { prints[$0] != 0 }
        guard !groups.isEmpty else { return out }
        for (s, segment) in reader.segments.enumerated() {
            let base = reader.passageBase[s]
            let fields = segment.fields
            for local in 0..<segment.passageCount {
                let print = fields.fingerprint(local)
                guard print != 0, !reader.isDeleted(segment: s, passage: local) else { continue }
                for g in groups where Fingerprint.areCopies(prints[g], print) { out[g].append(base + local) }
            }
        }
        return out
    }

    /// A segment's passages with a fingerprint, filed by each slice (deleted ones too: a
    /// deletion is checked when a copy is found, so the table serves every commit of the segment).
    private static func file(_ segment: SegmentReader) -> [Filed] {
        let fields = segment.fields
        let buckets = 1 << CopyIndex.sliceBits
        return (0..<CopyIndex.slices).map { k in
            var starts = [UInt32](repeating: 0, count: buckets + 1)
            for local in 0..<segment.passageCount {
                let print = fields.fingerprint(local)
                if print != 0 { starts[Int(CopyIndex.slice(print, k)) + 1] += 1 }
            }
            for v in 0..<buckets { starts[v + 1] += starts[v] }
            var next = starts
            var locals = [UInt32](repeating: 0, count: Int(starts[buckets]))
            for local in 0..<segment.passageCount {
                let print = fields.fingerprint(local)
                guard print != 0 else { continue }
                let v = Int(CopyIndex.slice(print, k))
                locals[Int(next[v])] = UInt32(local)
                next[v] += 1
            }
            return Filed(starts: starts, locals: locals)
        }
    }
}
