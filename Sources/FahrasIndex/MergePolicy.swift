import Foundation

/// Decides which segments to merge after a commit: a log-structured policy, as Lucene's
/// `LogMergePolicy` and Tantivy's `LogMergePolicy`.
///
/// Segments are sorted into levels by live passages: level 0 holds segments of up to
/// `floorPassages`, and each level above holds segments up to `mergeFactor` times bigger.
/// When a level holds `mergeFactor` segments they are merged into one, which lands a level
/// higher; so an index of N passages keeps at most about `mergeFactor` × log(N) segments,
/// and each passage is rewritten about log(N) times over its life. A segment whose deleted
/// share reaches `maximumDeletedShare` is rewritten (alone, or with its level), which purges
/// the deleted passages. No merge of several segments writes more than
/// `maximumMergedPassages` live passages (Lucene's `maxMergedSegmentMB`): a merge holds some
/// bytes a passage of what it writes (``SegmentMerger/heldBytesPerPassage``), so the cap
/// keeps it within a memory budget however large the index grows; the level then keeps its
/// segments.
package struct MergePolicy: Sendable, Equatable {
    /// Segments of one level merged together.
    package var mergeFactor: Int
    /// Segments up to this many live passages all belong to level 0.
    package var floorPassages: Int
    /// Deleted passages over all passages at which a segment is rewritten.
    package var maximumDeletedShare: Double
    /// Live passages a merge of several segments may write at most.
    package var maximumMergedPassages: Int

    package init(mergeFactor: Int = 8, floorPassages: Int = 1000, maximumDeletedShare: Double = 0.25,
                 maximumMergedPassages: Int = .max) {
        self.mergeFactor = max(2, mergeFactor)
        self.floorPassages = max(1, floorPassages)
        self.maximumDeletedShare = maximumDeletedShare
        self.maximumMergedPassages = maximumMergedPassages
    }

    /// This policy, its merges capped to what `bytes` of memory holds.
    package func within(memoryBudget bytes: Int) -> MergePolicy {
        var capped = self
        capped.maximumMergedPassages = min(maximumMergedPassages, bytes / SegmentMerger.heldBytesPerPassage)
        return capped
    }

    /// The level of a segment with `passages` live passages.
    package func level(livePassages passages: Int) -> Int {
        guard passages > floorPassages else { return 0 }
        return Int((log(Double(passages) / Double(floorPassages)) / log(Double(mergeFactor))).rounded(.up))
    }

    /// One merge to do now, as indices into `segments`, or `nil` when none is due. Callers
    /// apply it and ask again until `nil` (a merge may fill the level above).
    package func nextMerge(_ segments: [Manifest.Segment]) -> [Int]? {
        var levels: [Int: [Int]] = [:]
        for (i, segment) in segments.enumerated() {
            levels[level(livePassages: segment.livePassages), default: []].append(i)
        }
        for lvl in levels.keys.sorted() {
            guard let members = levels[lvl], members.count >= mergeFactor else { continue }
            let plan = Array(members.prefix(mergeFactor))
            if plan.reduce(0, { $0 + segments[$1].livePassages }) <= maximumMergedPassages { return plan }
        }
        // A segment rewritten alone writes no more than it holds.
        for (i, segment) in segments.enumerated() where segment.passages > 0 {
            let share = Double(segment.passages - segment.livePassages) / Double(segment.passages)
            if share >= maximumDeletedShare { return [i] }
        }
        return nil
    }
}
