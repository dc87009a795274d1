import FahrasIndex

/// Top-k evaluation of a disjunction by MaxScore with block-max bounds (Turtle and Flood's
/// MaxScore, with the windows of Lucene's block-max MaxScore).
///
/// Scorers are sorted by their bound. Once the heap is full, its lowest score θ splits them:
/// the leading ones whose bounds together stay below θ are *non-essential*, since a passage
/// only they match cannot enter; candidates come from the essential ones alone, and the
/// others are probed only while the candidate can still reach θ. Over a window ending at
/// the nearest block end of the essential scorers, the sum of their block bounds plus the
/// non-essential bounds is checked first: below θ, the whole window is skipped unread. An
/// essential scorer already past the window adds nothing to that sum.
/// Passages scoring exactly θ are kept (a tie may still win on document order).
struct MaxScoreLoop {
    private let scorers: [Scorer]
    /// `prefix[i]`: the sum of the bounds of scorers `0..<i`.
    private let prefix: [Double]

    init(scorers: [Scorer]) {
        self.scorers = scorers.sorted { $0.maxScore < $1.maxScore }
        var prefix = [0.0]
        for scorer in self.scorers { prefix.append(prefix.last! + scorer.maxScore) }
        self.prefix = prefix
    }

    /// Sums computed in another order may differ in the last bits: bounds get this margin.
    @inline(__always)
    static func below(_ bound: Double, _ threshold: Double) -> Bool { bound * (1 + 1e-9) < threshold }
    @inline(__always)
    private func below(_ bound: Double, _ threshold: Double) -> Bool { Self.below(bound, threshold) }

    /// Runs the loop; returns the number of passages scored.
    func run(base: Int, deleted: DeletionSet?, collector: inout TopPassageCollector) -> Int {
        if scorers.count == 1, let term = scorers[0] as? TermScorer {
            return SingleTermLoop(scorer: term).run(base: base, deleted: deleted, collector: &collector)
        }
        let prefix = self.prefix
        // Unretained references: `self.scorers` keeps every scorer alive for the whole run,
        // and a retain and release around each virtual call cost an eighth of the
        // instructions of a query.
        let scorers = self.scorers.map { Unretained($0) }
        defer { withExtendedLifetime(self.scorers) {} }
        let total = prefix.last!
        for scorer in scorers { scorer.with { $0.next() } }
        var scored = 0
        var threshold = -Double.infinity
        var essential = 0
        var windowEnd = -1
        var windowThreshold = -Double.infinity
        while true {
            if let lowest = collector.threshold, lowest > threshold {
                threshold = lowest
                while essential < scorers.count && below(prefix[essential + 1], threshold) { essential += 1 }
                for scorer in scorers { scorer.with { $0.minCompetitive = threshold - (total - $0.maxScore) } }
            }
            if essential == scorers.count { break }
            var candidate = Int.max
            for i in essential..<scorers.count where scorers[i].with { $0.passage } < candidate { candidate = scorers[i].with { $0.passage } }
            if candidate == Int.max { break }

            if threshold > -Double.infinity && (candidate > windowEnd || threshold != windowThreshold) {
                // A new window: its bound is computed once, then reused for its candidates.
                var upTo = Int.max
                for i in essential..<scorers.count { upTo = min(upTo, scorers[i].with { $0.shallowAdvance(to: candidate) }) }
                // A scorer whose next passage lies beyond the window matches nothing in it
                // (a rare term beside a common one): its block bound does not count.
                var bound = prefix[essential]
                for i in essential..<scorers.count where scorers[i].with({ $0.passage }) <= upTo {
                    bound += scorers[i].with { $0.blockMax() }
                }
                if below(bound, threshold) {
                    if upTo == Int.max { break }
                    for i in essential..<scorers.count where scorers[i].with { $0.passage } <= upTo { scorers[i].with { $0.advance(to: upTo + 1) } }
                    continue
                }
                windowEnd = upTo
                windowThreshold = threshold
            }

            if let deleted, deleted.contains(candidate) {
                for i in essential..<scorers.count where scorers[i].with { $0.passage } == candidate { scorers[i].with { $0.next() } }
                continue
            }
            var score = 0.0
            for i in essential..<scorers.count where scorers[i].with { $0.passage } == candidate {
                score += scorers[i].with { $0.score() }
                scorers[i].with { $0.next() }
            }
            var i = essential - 1
            while i >= 0 && !below(score + prefix[i + 1], threshold) {
                if scorers[i].with { $0.passage } < candidate { scorers[i].with { $0.advance(to: candidate) } }
                if scorers[i].with { $0.passage } == candidate { score += scorers[i].with { $0.score() } }
                i -= 1
            }
            if i >= 0 || below(score, threshold) { continue }
            scored += 1
            collector.collect(passage: base + candidate, score: score)
        }
        return scored
    }
}

/// A class reference that is not retained: the owner of the object must outlive it.
private struct Unretained<Object: AnyObject> {
    let reference: Unmanaged<Object>
    init(_ object: Object) { reference = .passUnretained(object) }
    /// Calls `body` with the object, not retained for the call.
    @inline(__always)
    func with<Result>(_ body: (Object) -> Result) -> Result { reference._withUnsafeGuaranteedRef(body) }
}
