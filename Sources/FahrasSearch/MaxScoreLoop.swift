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
///
/// Generic over its clauses: over terms only (``TermPostings``) the compiler specialises the
/// loop and inlines every call; any other query runs it over the scorer tree's classes.
struct MaxScoreLoop<Clause: LoopClause> {
    /// The clauses, sorted by their bound.
    private(set) var clauses: [Clause]
    /// `prefix[i]`: the sum of the bounds of clauses `0..<i`.
    private let prefix: [Double]

    init(clauses: [Clause]) {
        self.clauses = clauses.sorted { $0.maxScore < $1.maxScore }
        var prefix = [0.0]
        for clause in self.clauses { prefix.append(prefix.last! + clause.maxScore) }
        self.prefix = prefix
    }

    /// Whether a clause turned out malformed.
    var isCorrupt: Bool { clauses.contains { $0.isCorrupt } }

    /// Runs the loop; returns the number of passages scored.
    /// Stops early, with `countdown.expired` set, once the countdown's deadline has passed.
    mutating func run(base: Int, deleted: DeletionSet?, collector: inout TopPassageCollector,
                      countdown: inout DeadlineCountdown) -> Int {
        let prefix = self.prefix
        return clauses.withUnsafeMutableBufferPointer { scorers in
            Self.run(scorers, prefix: prefix, base: base, deleted: deleted, collector: &collector, countdown: &countdown)
        }
    }

    private static func run(_ scorers: UnsafeMutableBufferPointer<Clause>, prefix: [Double], base: Int, deleted: DeletionSet?,
                     collector: inout TopPassageCollector, countdown: inout DeadlineCountdown) -> Int {
        let total = prefix.last!
        for i in scorers.indices { scorers[i].next() }
        var scored = 0
        var threshold = -Double.infinity
        var essential = 0
        var windowEnd = -1
        var windowThreshold = -Double.infinity
        while true {
            if let lowest = collector.threshold, lowest > threshold {
                threshold = lowest
                while essential < scorers.count && below(prefix[essential + 1], threshold) { essential += 1 }
                for i in scorers.indices { scorers[i].setMinCompetitive(threshold - (total - scorers[i].maxScore)) }
            }
            if essential == scorers.count || countdown.step() { break }
            var candidate = Int.max
            for i in essential..<scorers.count where scorers[i].passage < candidate { candidate = scorers[i].passage }
            if candidate == Int.max { break }

            if threshold > -Double.infinity && (candidate > windowEnd || threshold != windowThreshold) {
                // A new window: its bound is computed once, then reused for its candidates.
                var upTo = Int.max
                for i in essential..<scorers.count { upTo = min(upTo, scorers[i].shallowAdvance(to: candidate)) }
                // A clause whose next passage lies beyond the window matches nothing in it
                // (a rare term beside a common one): its block bound does not count.
                var bound = prefix[essential]
                for i in essential..<scorers.count where scorers[i].passage <= upTo { bound += scorers[i].blockMax() }
                if below(bound, threshold) {
                    if upTo == Int.max { break }
                    for i in essential..<scorers.count where scorers[i].passage <= upTo { scorers[i].advance(to: upTo + 1) }
                    continue
                }
                windowEnd = upTo
                windowThreshold = threshold
            }

            if let deleted, deleted.contains(candidate) {
                for i in essential..<scorers.count where scorers[i].passage == candidate { scorers[i].next() }
                continue
            }
            var score = 0.0
            for i in essential..<scorers.count where scorers[i].passage == candidate {
                score += scorers[i].score()
                scorers[i].next()
            }
            var i = essential - 1
            while i >= 0 && !below(score + prefix[i + 1], threshold) {
                if scorers[i].passage < candidate { scorers[i].advance(to: candidate) }
                if scorers[i].passage == candidate { score += scorers[i].score() }
                i -= 1
            }
            if i >= 0 || below(score, threshold) { continue }
            scored += 1
            collector.collect(passage: base + candidate, score: score)
        }
        return scored
    }
}

/// Whether a score or bound is below the top-k threshold, for every loop alike. Sums
/// computed in another order may differ in the last bits: bounds get this margin.
@inline(__always)
func below(_ bound: Double, _ threshold: Double) -> Bool { bound * (1 + 1e-9) < threshold }
