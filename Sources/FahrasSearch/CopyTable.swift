import FahrasAnalysis
import FahrasIndex
import Foundation

/// Every passage of the index filed by the four 16-bit quarters of its fingerprint, so that
/// the copies of a fingerprint are found among the few passages filed near it rather than
/// among every passage. Two copies are at most ``Fingerprint/maximumDistance`` (6) bits
/// apart, so in one quarter at least they differ in at most one bit (four quarters two bits
/// apart would be eight): a lookup reads, for each quarter, the passages filed under its
/// value and under the 16 values one bit away (multi-index hashing, Norouzi et al. 2012).
/// A segment files a quarter under its top bits only, as many as the segment has passages
/// to spread (8 to 16 bits), so a list holds a few passages and a small segment does not
/// pay for 65,536 empty ones.
///
/// Building it (a counting sort by quarter value, linear in the passages) costs about what
/// comparing 64 fingerprints with every passage costs; so a ``Searcher`` compares directly
/// until it has looked up that many, then builds the table once and shares it between its
/// copies and threads. A one-off search never builds it; a server builds it on its first
/// few requests.
final class CopyTable: @unchecked Sendable {
    /// One segment's passages for one quarter: `locals[starts[v]..<starts[v + 1]]` are the
    /// passages whose quarter's top bits are `v`, in increasing order, and `prints` their
    /// fingerprints beside them, so a lookup reads runs of memory, not a load per candidate.
    private struct Filed {
        var shift: UInt64
        var starts: [UInt32]
        var locals: [UInt32]
        var prints: [UInt64]
    }

    private let reader: IndexReader
    private let lock = NSLock()
    /// By segment, then by quarter; `nil` until built.
    private var filed: [[Filed]]?
    /// Fingerprints looked up by comparing with every passage, before the table was built.
    private var compared = 0
    /// Fingerprints compared directly before the table pays.
    static let directLookups = 64
    static let quarters = 4

    init(reader: IndexReader) {
        self.reader = reader
    }

    /// For each fingerprint of `prints`, its live copies in the index as global passage
    /// numbers, in index order (0 has none).
    func copies(of prints: [UInt64]) throws(IndexError) -> [[Int]] {
        guard let filed = try table(for: prints.count) else { return try compare(prints) }
        var out = [[Int]](repeating: [], count: prints.count)
        for (g, print) in prints.enumerated() where print != 0 {
            for s in reader.segments.indices {
                var found: [Int] = []
                for k in 0..<CopyTable.quarters { CopyTable.near(print, quarter: k, in: filed[s][k], into: &found) }
                // A passage near `print` in several quarters is found once for each.
                found.sort()
                var last = -1
                for local in found where local != last {
                    last = local
                    if !reader.isDeleted(segment: s, passage: local) { out[g].append(reader.passageBase[s] + local) }
                }
            }
        }
        return out
    }

    /// Appends to `found` the passages of `filed` that are copies of `print`: those filed
    /// under quarter `k`'s top bits and under each value one bit away from them.
    private static func near(_ print: UInt64, quarter k: Int, in filed: Filed, into found: inout [Int]) {
        let value = quarter(print, k) >> filed.shift
        let bits = 16 - Int(filed.shift)
        filed.starts.withUnsafeBufferPointer { starts in
            filed.prints.withUnsafeBufferPointer { prints in
                // The lists' bounds are all read before any list: the reads miss the cache
                // and, independent of each other, wait for memory together.
                withUnsafeTemporaryAllocation(of: (UInt32, UInt32).self, capacity: bits + 1) { ranges in
                    for flip in 0...bits {
                        let v = Int(flip == bits ? value : value ^ (1 << UInt64(flip)))
                        ranges[flip] = (starts[v], starts[v + 1])
                    }
                    // Likewise the first fingerprint of each list, so the lists are in the
                    // cache when scanned. (`touched` is used below, or the loads would be
                    // dropped: an exact copy in every list would leave it 0.)
                    var touched: UInt64 = 0
                    for (lower, upper) in ranges where lower < upper { touched |= prints[Int(lower)] ^ print }
                    if touched == 0 && !ranges.contains(where: { $0.0 < $0.1 }) { return }
                    for (lower, upper) in ranges {
                        for i in Int(lower)..<Int(upper) where Fingerprint.areCopies(prints[i], print) {
                            found.append(Int(filed.locals[i]))
                        }
                    }
                }
            }
        }
    }

    /// The table, built now if `count` more direct lookups would pass ``directLookups``;
    /// `nil`: compare directly.
    private func table(for count: Int) throws(IndexError) -> [[Filed]]? {
        lock.lock()
        defer { lock.unlock() }
        if let filed { return filed }
        if compared + count <= CopyTable.directLookups {
            compared += count
            return nil
        }
        var built: [[Filed]] = []
        for segment in reader.segments { built.append(try CopyTable.file(segment)) }
        filed = built
        return built
    }

    /// The copies of `prints` by comparing each with every passage's fingerprint: a few
    /// instructions a pair, one pass over the fingerprint columns.
    private func compare(_ prints: [UInt64]) throws(IndexError) -> [[Int]] {
        var out = [[Int]](repeating: [], count: prints.count)
        let groups = prints.indices.filter { prints[$0] != 0 }
        guard !groups.isEmpty else { return out }
        for (s, segment) in reader.segments.enumerated() {
            let base = reader.passageBase[s]
            let column = try segment.fingerprints()
            for local in 0..<segment.passageCount {
                let print = column[local]
                guard print != 0, !reader.isDeleted(segment: s, passage: local) else { continue }
                for g in groups where Fingerprint.areCopies(prints[g], print) { out[g].append(base + local) }
            }
        }
        return out
    }

    /// Quarter `k` (0 to 3) of `print`: bits 16k to 16k + 15.
    static func quarter(_ print: UInt64, _ k: Int) -> UInt64 {
        (print >> UInt64(16 * k)) & 0xFFFF
    }

    /// A segment's passages with a fingerprint, filed by each quarter (deleted ones too: a
    /// deletion is checked when a copy is found, so the table serves every commit of the segment).
    private static func file(_ segment: SegmentReader) throws(IndexError) -> [Filed] {
        let column = try segment.fingerprints()
        // About one passage a list: 2^bits near the passage count.
        let bits = min(16, max(8, Int.bitWidth - segment.passageCount.leadingZeroBitCount))
        let shift = UInt64(16 - bits)
        let buckets = 1 << bits
        return (0..<quarters).map { k in
            var starts = [UInt32](repeating: 0, count: buckets + 1)
            for local in 0..<segment.passageCount {
                let print = column[local]
                if print != 0 { starts[Int(quarter(print, k) >> shift) + 1] += 1 }
            }
            for v in 0..<buckets { starts[v + 1] += starts[v] }
            var next = starts
            var locals = [UInt32](repeating: 0, count: Int(starts[buckets]))
            var prints = [UInt64](repeating: 0, count: Int(starts[buckets]))
            for local in 0..<segment.passageCount {
                let print = column[local]
                guard print != 0 else { continue }
                let v = Int(quarter(print, k) >> shift)
                locals[Int(next[v])] = UInt32(local)
                prints[Int(next[v])] = print
                next[v] += 1
            }
            return Filed(shift: shift, starts: starts, locals: locals, prints: prints)
        }
    }
}
