import FahrasIndex

/// Walks the passages of one segment that match one clause, in increasing order, and
/// scores the current one. Document-at-a-time: the searcher moves all scorers together.
protocol ClauseScorer: AnyObject {
    /// The current passage (segment-local), `Int.max` when exhausted.
    var passage: Int { get }
    /// The BM25 score of the clause in the current passage.
    func score() -> Double
    /// Moves to the next matching passage.
    func next()
    /// Set when a postings list turned out malformed.
    var isCorrupt: Bool { get }
}

/// The postings of several terms read as one (the spellings of a folded name word):
/// passages in order, frequencies summed, positions merged.
struct UnionCursor {
    private var cursors: [PostingsCursor]
    private(set) var passage = -1
    private(set) var frequency = 0
    private var scratch: [Int32] = []

    init(_ cursors: [PostingsCursor]) {
        self.cursors = cursors
    }

    var isCorrupt: Bool { cursors.contains { $0.isCorrupt } }

    mutating func next() {
        if cursors.count == 1 {
            _ = cursors[0].next()
        } else {
            for i in cursors.indices where cursors[i].passage <= passage { _ = cursors[i].next() }
        }
        settle()
    }

    mutating func advance(to target: Int) {
        guard passage < target else { return }
        for i in cursors.indices where cursors[i].passage < target { _ = cursors[i].advance(to: target) }
        settle()
    }

    private mutating func settle() {
        var smallest = Int.max
        var total = 0
        for cursor in cursors {
            if cursor.passage < smallest {
                smallest = cursor.passage
                total = cursor.frequency
            } else if cursor.passage == smallest {
                total += cursor.frequency
            }
        }
        passage = smallest
        frequency = total
    }

    /// The sorted positions of the current passage over all terms.
    mutating func positions(into buffer: inout [Int32]) {
        buffer.removeAll(keepingCapacity: true)
        for i in cursors.indices where cursors[i].passage == passage {
            cursors[i].positions(into: &scratch)
            buffer.append(contentsOf: scratch)
        }
        if cursors.count > 1 { buffer.sort() }
    }
}

/// Scores one term, or one set of terms read as one.
final class TermScorer: ClauseScorer {
    private var cursor: UnionCursor
    private let segment: SegmentReader
    private let bm25: BM25
    private let idf: Double
    private let averageLength: Double

    init(cursor: UnionCursor, segment: SegmentReader, bm25: BM25, idf: Double, averageLength: Double) {
        self.cursor = cursor
        self.segment = segment
        self.bm25 = bm25
        self.idf = idf
        self.averageLength = averageLength
        self.cursor.next()
    }

    var passage: Int { cursor.passage }
    var isCorrupt: Bool { cursor.isCorrupt }

    func score() -> Double {
        bm25.score(idf: idf, tf: cursor.frequency, length: segment.passageLength(cursor.passage), averageLength: averageLength)
    }

    func next() { cursor.next() }
}

/// Scores a phrase: passages where the slots occur at consecutive positions (each slot one
/// term, or a set of terms read as one).
///
/// The slot cursors are intersected first (leapfrog on passage numbers); positions are
/// read only for passages that contain every slot.
final class PhraseScorer: ClauseScorer {
    private var cursors: [UnionCursor]
    private let segment: SegmentReader
    private let bm25: BM25
    private let idf: Double
    private let averageLength: Double
    private(set) var passage = -1
    private var frequency = 0
    private var positions: [[Int32]]

    init(cursors: [UnionCursor], segment: SegmentReader, bm25: BM25, idf: Double, averageLength: Double) {
        self.cursors = cursors
        self.segment = segment
        self.bm25 = bm25
        self.idf = idf
        self.averageLength = averageLength
        positions = Array(repeating: [], count: cursors.count)
        for i in cursors.indices { self.cursors[i].next() }
        advanceToMatch()
    }

    var isCorrupt: Bool { cursors.contains { $0.isCorrupt } }

    func score() -> Double {
        bm25.score(idf: idf, tf: frequency, length: segment.passageLength(passage), averageLength: averageLength)
    }

    func next() {
        cursors[0].next()
        advanceToMatch()
    }

    /// Moves to the first passage, at or after the cursors' positions, that holds the phrase.
    private func advanceToMatch() {
        while true {
            var target = cursors[0].passage
            var aligned = false
            while !aligned {
                if target == Int.max { passage = Int.max; return }
                aligned = true
                for i in cursors.indices {
                    cursors[i].advance(to: target)
                    if cursors[i].passage != target {
                        target = cursors[i].passage
                        aligned = false
                    }
                }
            }
            let count = phraseCount()
            if count > 0 {
                passage = target
                frequency = count
                return
            }
            cursors[0].next()
        }
    }

    /// Occurrences of the phrase in the passage all cursors are on.
    private func phraseCount() -> Int {
        for i in cursors.indices { cursors[i].positions(into: &positions[i]) }
        var count = 0
        var previous: Int32 = -1
        outer: for start in positions[0] where start != previous {
            previous = start
            for i in 1..<positions.count {
                if !contains(positions[i], start + Int32(i)) { continue outer }
            }
            count += 1
        }
        return count
    }

    private func contains(_ sorted: [Int32], _ value: Int32) -> Bool {
        var low = 0
        var high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == value
    }
}

/// Scores alternatives of one clause (a name as given, or glued): a passage matched by
/// several counts once, with the best of their scores.
final class BestOfScorer: ClauseScorer {
    private let scorers: [any ClauseScorer]
    private(set) var passage = Int.max

    init(_ scorers: [any ClauseScorer]) {
        self.scorers = scorers
        settle()
    }

    var isCorrupt: Bool { scorers.contains { $0.isCorrupt } }

    func score() -> Double {
        var best = 0.0
        for scorer in scorers where scorer.passage == passage { best = max(best, scorer.score()) }
        return best
    }

    func next() {
        for scorer in scorers where scorer.passage == passage { scorer.next() }
        settle()
    }

    private func settle() {
        passage = scorers.reduce(Int.max) { min($0, $1.passage) }
    }
}
