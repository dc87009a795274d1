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
/// the deleted passages.
package struct MergePolicy: Sendable, Equatable {
    /// Segments of one level merged together.
    package var mergeFactor: Int
    /// Segments up to this many live passages all belong to level 0.
    package var floorPassages: Int
    /// Deleted passages over all passages at which a segment is rewritten.
    package var maximumDeletedShare: Double

    package init(mergeFactor: Int = 8, floorPassages: Int = 1000, maximumDeletedShare: Double = 0.25) {
        self.mergeFactor = max(2, mergeFactor)
        self.floorPassages = max(1, floorPassages)
        self.maximumDeletedShare = maximumDeletedShare
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
            if let members = levels[lvl], members.count >= mergeFactor { return Array(members.prefix(mergeFactor)) }
        }
        for (i, segment) in segments.enumerated() where segment.passages > 0 {
            let share = Double(segment.passages - segment.livePassages) / Double(segment.passages)
            if share >= maximumDeletedShare { return [i] }
        }
        return nil
    }
}
