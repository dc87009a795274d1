import FahrasIndex

/// Walks the passages of one segment that match part of a query, in increasing order, and
/// scores the current one (document-at-a-time). Subclasses override every method.
///
/// Besides ``maxScore`` (a bound over the whole segment), a scorer may bound its scores
/// block by block: ``shallowAdvance(to:)`` names the last passage of a window starting at
/// the target and ``blockMax()`` bounds the scores in that window. The default window is
/// the rest of the segment, bounded by ``maxScore``.
///
/// Exclusivity: a scorer's state is read and written only by its own methods and its
/// parent's, one call at a time on one thread, so the hot stored properties are marked
/// `@exclusivity(unchecked)`: the runtime access checks Swift otherwise makes on every class
/// property mutation cost about a sixth of a query's time.
class Scorer {
    /// The current passage (segment-local), `-1` before the first ``next()``, `Int.max` when done.
    @exclusivity(unchecked) var passage = -1
    /// A bound on ``score()`` over the segment.
    var maxScore = 0.0
    /// Passages on which this scorer would score below this cannot enter the results; a
    /// scorer may skip them (a phrase then does not read their positions).
    var minCompetitive = 0.0

    /// Moves to the next matching passage and returns it.
    @discardableResult func next() -> Int { fatalError("abstract") }

    /// Moves to the first matching passage at or after `target` and returns it.
    @discardableResult func advance(to target: Int) -> Int {
        while passage < target { next() }
        return passage
    }

    /// The score of the current passage.
    func score() -> Double { 0 }

    /// The last passage of the window that ``blockMax()`` bounds, from `target` on.
    func shallowAdvance(to target: Int) -> Int { Int.max }

    /// A bound on the scores in the current window.
    func blockMax() -> Double { maxScore }

    /// Set when a postings list turned out malformed.
    var isCorrupt: Bool { false }
}

/// One term.
final class TermScorer: Scorer {
    /// The term's postings; the top-k loops over terms walk a copy of them.
    @exclusivity(unchecked) private(set) var postings: TermPostings

    init(cursor: PostingsCursor, norms: UnsafeBufferPointer<UInt8>, model: ScoreModel, weight: Double) {
        postings = TermPostings(cursor: cursor, norms: norms, model: model, weight: weight)
        super.init()
        maxScore = postings.maxScore
    }

    override func next() -> Int {
        postings.next()
        passage = postings.passage
        return passage
    }

    override func advance(to target: Int) -> Int {
        postings.advance(to: target)
        passage = postings.passage
        return passage
    }

    override func score() -> Double { postings.score() }
    override func shallowAdvance(to target: Int) -> Int { postings.shallowAdvance(to: target) }
    override func blockMax() -> Double { postings.blockMax() }
    override var isCorrupt: Bool { postings.isCorrupt }
}

/// The postings of several terms read as one (the spellings of a folded name word):
/// passages in order, frequencies summed, positions merged.
///
/// Most slots hold one term: its cursor is kept apart from the others (`first`), so that
/// such a slot is read without going through an array.
struct UnionCursor {
    private var first: PostingsCursor
    private var others: [PostingsCursor]
    private(set) var passage = -1
    private(set) var frequency = 0
    private var scratch: [Int32] = []

    /// `cursors` must not be empty.
    init(_ cursors: [PostingsCursor]) {
        first = cursors[0]
        others = Array(cursors.dropFirst())
    }

    var isCorrupt: Bool { first.isCorrupt || others.contains { $0.isCorrupt } }

    /// The passages of the terms together (at most: a passage may hold several).
    var documentFrequency: Int { others.reduce(first.documentFrequency) { $0 + $1.documentFrequency } }

    /// Bounds over the lists: the largest summed frequency and the smallest norm.
    var bounds: (frequency: Int, norm: UInt8) {
        var frequency = 0
        var norm = UInt8.max
        // Each list read in place: an array of the cursors would copy each (a phrase's scorer
        // asked for its slots' bounds at 2,600 instructions a slot that way).
        func add(_ cursor: borrowing PostingsCursor) {
            var most = 0
            for pair in cursor.listPairs {
                most = max(most, pair.frequency)
                norm = min(norm, pair.norm)
            }
            frequency += most
        }
        add(first)
        for i in others.indices { add(others[i]) }
        return (frequency, norm)
    }

    mutating func next() {
        if first.passage <= passage { first.next() }
        if !others.isEmpty {
            for i in others.indices where others[i].passage <= passage { others[i].next() }
        }
        settle()
    }

    mutating func advance(to target: Int) {
        guard passage < target else { return }
        if first.passage < target { first.advance(to: target) }
        if !others.isEmpty {
            for i in others.indices where others[i].passage < target { others[i].advance(to: target) }
        }
        settle()
    }

    /// Whether the slot is one term.
    var isSingle: Bool { others.isEmpty }

    /// For two slots of one term each (``isSingle``): both moved to the first passage they
    /// share from where they are, this one leading; `Int.max` when there is none.
    mutating func meet(_ other: inout UnionCursor) -> Int {
        let met = first.meet(&other.first)
        settle()
        other.settle()
        return met
    }

    /// For two slots of one term each (``isSingle``) on one passage: how many of this
    /// slot's positions `other`'s follows.
    mutating func followed(by other: inout UnionCursor) -> Int { first.followed(by: &other.first) }

    @inline(__always)
    private mutating func settle() {
        passage = first.passage
        frequency = first.frequency
        if others.isEmpty { return }
        // By index: a loop over the elements copied each cursor (its buffers retained).
        for i in others.indices {
            if others[i].passage < passage {
                passage = others[i].passage
                frequency = others[i].frequency
            } else if others[i].passage == passage {
                frequency += others[i].frequency
            }
        }
    }

    /// The last passage of the window, from `target` on, in which every term's current block
    /// bound holds (``PostingsCursor/shallowAdvance(to:)`` on each); `Int.max` past them all.
    /// Every term's passage must be at `target` or beyond, as it is for the union's own.
    mutating func shallowAdvance(to target: Int) -> Int {
        var last = first.shallowAdvance(to: target) ? first.blockLast : Int.max
        for i in others.indices where others[i].shallowAdvance(to: target) { last = min(last, others[i].blockLast) }
        return last
    }

    /// A bound on `score` (BM25 of a frequency in a norm) over the window: BM25 is concave in
    /// the frequency and 0 at 0, so a passage's score for its summed frequencies is at most the
    /// sum of each term's block bound.
    func blockMax(_ score: (Int, UInt8) -> Double) -> Double {
        var bound = first.isExhausted ? 0 : first.blockMax(score)
        for i in others.indices where !others[i].isExhausted { bound += others[i].blockMax(score) }
        return bound
    }

    /// The sorted positions of the current passage over all terms.
    mutating func positions(into buffer: inout [Int32]) {
        if others.isEmpty { return first.positions(into: &buffer) }
        buffer.removeAll(keepingCapacity: true)
        if first.passage == passage {
            first.positions(into: &scratch)
            buffer.append(contentsOf: scratch)
        }
        for i in others.indices where others[i].passage == passage {
            others[i].positions(into: &scratch)
            buffer.append(contentsOf: scratch)
        }
        buffer.sort()
    }
}

/// Several spellings of one name word, read as one term.
final class SpellingsScorer: Scorer {
    @exclusivity(unchecked) private var cursor: UnionCursor
    private let norms: UnsafeBufferPointer<UInt8>
    private let model: ScoreModel
    private let weight: Double

    init(cursor: UnionCursor, norms: UnsafeBufferPointer<UInt8>, model: ScoreModel, weight: Double) {
        self.cursor = cursor
        self.norms = norms
        self.model = model
        self.weight = weight
        super.init()
        let bounds = cursor.bounds
        maxScore = model.score(weight: weight, tf: bounds.frequency, norm: bounds.norm)
    }

    override func next() -> Int {
        cursor.next()
        passage = cursor.passage
        return passage
    }

    override func advance(to target: Int) -> Int {
        cursor.advance(to: target)
        passage = cursor.passage
        return passage
    }

    override func score() -> Double { model.score(weight: weight, tf: cursor.frequency, norm: norms[passage]) }
    override var isCorrupt: Bool { cursor.isCorrupt }
    override func shallowAdvance(to target: Int) -> Int { cursor.shallowAdvance(to: target) }

    override func blockMax() -> Double {
        let (model, weight) = (self.model, self.weight)
        return cursor.blockMax { model.score(weight: weight, tf: $0, norm: $1) }
    }
}

/// A phrase: passages where the slots occur at consecutive positions (each slot one term,
/// or a set of terms read as one).
///
/// The slot cursors are intersected first (leapfrog on passage numbers); positions are read
/// only for passages that hold every slot and whose best possible phrase score (the
/// smallest slot frequency, in this passage's length) reaches ``minCompetitive``.
final class PhraseScorer: Scorer {
    /// The slots' cursors, and the positions last read from each: owned by the scorer
    /// and read in place (arrays would check for sharing on every step of a cursor).
    private let cursors: UnsafeMutableBufferPointer<UnionCursor>
    private let positions: UnsafeMutableBufferPointer<[Int32]>
    private let norms: UnsafeBufferPointer<UInt8>
    private let model: ScoreModel
    private let weight: Double
    @exclusivity(unchecked) private var frequency = 0
    /// The slot with the fewest passages, which the others follow.
    private let lead: Int
    /// The other slot of a phrase of two words of one term each, met in one call.
    private let pairedWith: Int?

    init(cursors slots: [UnionCursor], norms: UnsafeBufferPointer<UInt8>, model: ScoreModel, weight: Double) {
        lead = slots.indices.min { slots[$0].documentFrequency < slots[$1].documentFrequency } ?? 0
        pairedWith = slots.count == 2 && slots.allSatisfy(\.isSingle) ? 1 - lead : nil
        cursors = .allocate(capacity: slots.count)
        _ = cursors.initialize(from: slots)
        positions = .allocate(capacity: slots.count)
        positions.initialize(repeating: [])
        self.norms = norms
        self.model = model
        self.weight = weight
        super.init()
        // A phrase occurs at most as often as its rarest slot, in passages no shorter than
        // the shortest that holds every slot.
        // Closures, not key paths: a key path into a tuple is applied at run time.
        let bounds = slots.map { $0.bounds }
        maxScore = model.score(weight: weight, tf: bounds.map { $0.frequency }.min() ?? 0, norm: bounds.map { $0.norm }.max() ?? 0)
        for i in cursors.indices { cursors[i].next() }
    }

    deinit {
        cursors.deinitialize().deallocate()
        positions.deinitialize().deallocate()
    }

    override var isCorrupt: Bool { cursors.contains { $0.isCorrupt } }

    override func score() -> Double { model.score(weight: weight, tf: frequency, norm: norms[passage]) }

    override func next() -> Int {
        if passage >= 0 { cursors[lead].next() }
        return match()
    }

    override func advance(to target: Int) -> Int {
        guard passage < target else { return passage }
        cursors[lead].advance(to: target)
        return match()
    }

    override func shallowAdvance(to target: Int) -> Int {
        var last = Int.max
        for i in cursors.indices { last = min(last, cursors[i].shallowAdvance(to: target)) }
        return last
    }

    /// The phrase occurs in a passage at most as often as its rarest slot: the smallest of
    /// the slots' block bounds.
    override func blockMax() -> Double {
        let (model, weight) = (self.model, self.weight)
        var bound = maxScore
        for i in cursors.indices { bound = min(bound, cursors[i].blockMax { model.score(weight: weight, tf: $0, norm: $1) }) }
        return bound
    }

    /// Moves to the first passage, at or after the cursors' positions, that holds the phrase.
    /// The rarest slot leads: each other slot is moved to its passage, and one that passes it
    /// moves the lead on.
    private func match() -> Int {
        while true {
            let target = aligned()
            if target == Int.max { passage = Int.max; return passage }
            var best = Int.max  // by index: reduce copied each cursor
            for i in cursors.indices { best = min(best, cursors[i].frequency) }
            if model.score(weight: weight, tf: best, norm: norms[target]) >= minCompetitive {
                let count = phraseCount()
                if count > 0 {
                    passage = target
                    frequency = count
                    return passage
                }
            }
            cursors[lead].next()
        }
    }

    /// The first passage, from the lead's, that every slot holds, with every slot on it
    /// (`Int.max` when there is none).
    private func aligned() -> Int {
        if let other = pairedWith { return cursors[lead].meet(&cursors[other]) }
        var target = cursors[lead].passage
        var i = 0
        while i < cursors.count {
            if target == Int.max { return target }
            if i != lead {
                cursors[i].advance(to: target)
                let reached = cursors[i].passage
                if reached != target {
                    cursors[lead].advance(to: reached)
                    target = cursors[lead].passage
                    i = 0
                    continue
                }
            }
            i += 1
        }
        return target
    }

    /// Occurrences of the phrase in the passage all cursors are on.
    private func phraseCount() -> Int {
        if pairedWith != nil { return cursors[0].followed(by: &cursors[1]) }
        for i in cursors.indices { cursors[i].positions(into: &positions[i]) }
        var count = 0
        var previous: Int32 = -1
        outer: for start in positions[0] where start != previous {
            previous = start
            for i in 1..<positions.count where !contains(positions[i], start + Int32(i)) { continue outer }
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

/// Passages matched by any of several scorers.
class UnionScorer: Scorer {
    let scorers: [Scorer]

    init(_ scorers: [Scorer]) {
        self.scorers = scorers
        super.init()
    }

    override var isCorrupt: Bool { scorers.contains { $0.isCorrupt } }

    override var minCompetitive: Double {
        didSet { for scorer in scorers { scorer.minCompetitive = minCompetitive - (maxScore - scorer.maxScore) } }
    }

    override func next() -> Int {
        for scorer in scorers where scorer.passage <= passage { scorer.next() }
        return settle()
    }

    override func advance(to target: Int) -> Int {
        guard passage < target else { return passage }
        for scorer in scorers where scorer.passage < target { scorer.advance(to: target) }
        return settle()
    }

    private func settle() -> Int {
        passage = scorers.reduce(Int.max) { min($0, $1.passage) }
        return passage
    }
}

/// Alternatives of one clause (a name as given, or glued): a passage matched by several
/// counts once, with the best of their scores.
final class BestOfScorer: UnionScorer {
    override init(_ scorers: [Scorer]) {
        super.init(scorers)
        maxScore = scorers.map(\.maxScore).max() ?? 0
    }

    override var minCompetitive: Double {
        didSet { for scorer in scorers { scorer.minCompetitive = minCompetitive } }
    }

    override func score() -> Double {
        var best = 0.0
        for scorer in scorers where scorer.passage == passage { best = max(best, scorer.score()) }
        return best
    }
}

/// Optional members of a group: the sum of those that match.
final class SumScorer: UnionScorer {
    override init(_ scorers: [Scorer]) {
        super.init(scorers)
        maxScore = scorers.reduce(0) { $0 + $1.maxScore }
    }

    override func score() -> Double {
        var total = 0.0
        for scorer in scorers where scorer.passage == passage { total += scorer.score() }
        return total
    }
}

/// Required members of a group: passages all of them match, scored by the sum.
final class ConjunctionScorer: Scorer {
    private let scorers: [Scorer]

    init(_ scorers: [Scorer]) {
        // Rarest first would be better; the first member leads.
        self.scorers = scorers
        super.init()
        maxScore = scorers.reduce(0) { $0 + $1.maxScore }
    }

    override var isCorrupt: Bool { scorers.contains { $0.isCorrupt } }

    override func next() -> Int { align(scorers[0].next()) }

    override func advance(to target: Int) -> Int {
        guard passage < target else { return passage }
        return align(scorers[0].advance(to: target))
    }

    private func align(_ start: Int) -> Int {
        var target = start
        var i = 1
        while target != Int.max && i < scorers.count {
            let found = scorers[i].advance(to: target)
            if found == target {
                i += 1
            } else {
                target = scorers[0].advance(to: found)
                i = 1
            }
        }
        passage = target
        return passage
    }

    override func score() -> Double { scorers.reduce(0) { $0 + $1.score() } }
}

/// Required passages, plus the score of optional members where they also match.
final class RequiredOptionalScorer: Scorer {
    private let required: Scorer
    private let optional: Scorer

    init(required: Scorer, optional: Scorer) {
        self.required = required
        self.optional = optional
        super.init()
        maxScore = required.maxScore + optional.maxScore
    }

    override var isCorrupt: Bool { required.isCorrupt || optional.isCorrupt }
    override func next() -> Int { passage = required.next(); return passage }
    override func advance(to target: Int) -> Int { passage = required.advance(to: target); return passage }

    override func score() -> Double {
        var total = required.score()
        if optional.passage < passage { optional.advance(to: passage) }
        if optional.passage == passage { total += optional.score() }
        return total
    }
}

/// Passages of one scorer that none of the excluded scorers match.
final class ExclusionScorer: Scorer {
    private let main: Scorer
    private let excluded: [Scorer]

    init(_ main: Scorer, excluding excluded: [Scorer]) {
        self.main = main
        self.excluded = excluded
        super.init()
        maxScore = main.maxScore
    }

    override var isCorrupt: Bool { main.isCorrupt || excluded.contains { $0.isCorrupt } }
    override var minCompetitive: Double { didSet { main.minCompetitive = minCompetitive } }

    override func next() -> Int { settle(main.next()) }
    override func advance(to target: Int) -> Int { guard passage < target else { return passage }; return settle(main.advance(to: target)) }

    private func settle(_ start: Int) -> Int {
        var candidate = start
        while candidate != Int.max && excluded.contains(where: { $0.advance(to: candidate) == candidate }) {
            candidate = main.next()
        }
        passage = candidate
        return passage
    }

    override func score() -> Double { main.score() }
}

/// The passages of the documents a filter keeps (scored 0).
final class PassageSetScorer: Scorer {
    private let words: [UInt64]
    private let limit: Int

    init(words: [UInt64], passageCount: Int) {
        self.words = words
        limit = passageCount
        super.init()
    }

    override func next() -> Int { advance(to: passage + 1) }

    override func advance(to target: Int) -> Int {
        var p = max(target, 0)
        while p < limit {
            let word = words[p >> 6] >> UInt64(p & 63)
            if word != 0 {
                p += word.trailingZeroBitCount
                passage = p < limit ? p : Int.max
                return passage
            }
            p = (p | 63) + 1
        }
        passage = Int.max
        return passage
    }
}

/// A clause that ranks its passages above every passage it does not match: its scores
/// are lifted by `offset`, more than the rest of the query can give (a name typed as a
/// name, see ``Searcher``).
final class OffsetScorer: Scorer {
    let inner: Scorer
    let offset: Double

    init(_ inner: Scorer, offset: Double) {
        self.inner = inner
        self.offset = offset
        super.init()
        maxScore = inner.maxScore + offset
    }

    override var isCorrupt: Bool { inner.isCorrupt }

    override var minCompetitive: Double { didSet { inner.minCompetitive = minCompetitive - offset } }

    override func next() -> Int {
        passage = inner.next()
        return passage
    }

    override func advance(to target: Int) -> Int {
        passage = inner.advance(to: target)
        return passage
    }

    override func score() -> Double { inner.score() + offset }
    override func shallowAdvance(to target: Int) -> Int { inner.shallowAdvance(to: target) }
    override func blockMax() -> Double { inner.blockMax() + offset }
}
