import FahrasIndex

/// What the top-k loops (``MaxScoreLoop``, ``SingleTermLoop``) need of a clause: its
/// passages in order, its scores, and bounds on them over the segment and block by block.
///
/// Two kinds: any scorer of the tree through its class (``ScorerReference``), and one
/// term's postings read in place (``TermPostings``). A loop over terms only is specialised
/// by the compiler for the second: every call is inlined, none is virtual.
protocol LoopClause {
    /// The current passage (segment-local), `-1` before the first ``next()``, `Int.max` when done.
    var passage: Int { get }
    /// A bound on ``score()`` over the segment.
    var maxScore: Double { get }
    /// Set when a postings list turned out malformed.
    var isCorrupt: Bool { get }
    /// Moves to the next matching passage.
    mutating func next()
    /// Moves to the first matching passage at or after `target`.
    mutating func advance(to target: Int)
    /// The score of the current passage.
    func score() -> Double
    /// The last passage of the window that ``blockMax()`` bounds, from `target` on.
    mutating func shallowAdvance(to target: Int) -> Int
    /// A bound on the scores in the current window. Mutating only so that a loop calls it
    /// in place: a call on a clause read from the loop's buffer copied the clause first.
    mutating func blockMax() -> Double
    /// Passages scoring below `value` cannot enter the results (a phrase may then skip
    /// reading their positions).
    mutating func setMinCompetitive(_ value: Double)
}

/// A scorer of the tree as a loop clause, not retained: the tree must outlive the loop
/// (a retain and a release around each virtual call cost an eighth of a query's
/// instructions).
struct ScorerReference: LoopClause {
    private let reference: Unmanaged<Scorer>

    init(_ scorer: Scorer) { reference = .passUnretained(scorer) }

    @inline(__always) @discardableResult
    private func with<Result>(_ body: (Scorer) -> Result) -> Result { reference._withUnsafeGuaranteedRef(body) }

    var passage: Int { with { $0.passage } }
    var maxScore: Double { with { $0.maxScore } }
    var isCorrupt: Bool { with { $0.isCorrupt } }
    func next() { with { $0.next() } }
    func advance(to target: Int) { with { $0.advance(to: target) } }
    func score() -> Double { with { $0.score() } }
    func shallowAdvance(to target: Int) -> Int { with { $0.shallowAdvance(to: target) } }
    func blockMax() -> Double { with { $0.blockMax() } }
    func setMinCompetitive(_ value: Double) { with { $0.minCompetitive = value } }
}

/// One term's postings with what scores them: BM25 over the segment's norms.
struct TermPostings: LoopClause {
    private(set) var cursor: PostingsCursor
    /// What scores a passage of this term, apart from the cursor.
    let scoring: TermScoring
    let maxScore: Double

    init(cursor: PostingsCursor, norms: UnsafeBufferPointer<UInt8>, model: ScoreModel, weight: Double) {
        self.cursor = cursor
        scoring = TermScoring(norms: norms, model: model, weight: weight)
        maxScore = model.best(weight: weight, pairs: cursor.listPairs)
    }

    var passage: Int { cursor.passage }
    var isCorrupt: Bool { cursor.isCorrupt }
    /// The current passage's frequency of the term.
    var frequency: Int { cursor.frequency }

    @inline(__always)
    mutating func next() { cursor.next() }

    @inline(__always)
    mutating func advance(to target: Int) { cursor.advance(to: target) }

    @inline(__always)
    func score() -> Double { scoring.score(frequency: cursor.frequency, norm: scoring.norm(of: cursor.passage)) }

    /// Hands on the rest of the current block (``PostingsCursor/takeRest(frequencies:_:)``).
    @inline(__always)
    mutating func takeRest(frequencies: UnsafeMutablePointer<Int>,
                           _ body: (UnsafeBufferPointer<Int>, UnsafeBufferPointer<Int>) -> Void) {
        cursor.takeRest(frequencies: frequencies, body)
    }

    /// Whether a passage scores no more than a shorter one holding the term as often.
    var longerScoresLess: Bool { scoring.model.longerScoresLess }

    @inline(__always)
    mutating func shallowAdvance(to target: Int) -> Int {
        cursor.shallowAdvance(to: target) ? cursor.blockLast : Int.max
    }

    @inline(__always)
    mutating func blockMax() -> Double {
        let scoring = self.scoring
        return cursor.blockMax { scoring.score(frequency: $0, norm: $1) }
    }

    func setMinCompetitive(_ value: Double) {}
}

/// Scores the passages of one term: its weight, the model and the passages' norms.
struct TermScoring {
    let norms: UnsafeBufferPointer<UInt8>
    let model: ScoreModel
    let weight: Double

    /// The norm code of `passage`.
    @inline(__always)
    func norm(of passage: Int) -> UInt8 { norms[passage] }

    /// The score of a passage of norm code `norm` holding the term `frequency` times.
    @inline(__always)
    func score(frequency: Int, norm: UInt8) -> Double {
        model.score(weight: weight, tf: frequency, norm: norm)
    }
}
