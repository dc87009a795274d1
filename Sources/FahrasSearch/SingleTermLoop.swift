import FahrasIndex

/// Top-k evaluation of a query that is one term, straight over its postings.
///
/// The MaxScore loop's bookkeeping (essential and non-essential clauses, windows over
/// several lists) buys nothing with one list, and a third of the benchmark's queries are
/// one word. Here a postings block whose best possible score (from its header's (frequency,
/// norm) pairs) cannot reach the heap's lowest score is skipped unread; in the other blocks
/// every passage is scored as it is decoded. The results are the MaxScore loop's, tie for
/// tie: the same bounds with the same margin, the same collector.
struct SingleTermLoop {
    private(set) var postings: TermPostings

    init(postings: TermPostings) {
        self.postings = postings
    }

    /// Runs the loop; returns the number of passages offered to the collector.
    mutating func run(base: Int, deleted: DeletionSet?, collector: inout TopPassageCollector) -> Int {
        var scored = 0
        var threshold = collector.threshold ?? -Double.infinity
        var target = 0
        while true {
            let last = postings.shallowAdvance(to: target)
            if last == Int.max { break }
            if threshold > -Double.infinity && MaxScoreLoop<TermPostings>.below(postings.blockMax(), threshold) {
                target = last + 1
                continue
            }
            postings.advance(to: target)
            while postings.passage <= last {
                let passage = postings.passage
                if deleted?.contains(passage) != true {
                    let score = postings.score()
                    if !MaxScoreLoop<TermPostings>.below(score, threshold) {
                        scored += 1
                        collector.collect(passage: base + passage, score: score)
                        if let lowest = collector.threshold { threshold = lowest }
                    }
                }
                postings.next()
            }
            target = last + 1
        }
        return scored
    }
}
