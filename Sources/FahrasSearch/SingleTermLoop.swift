import FahrasIndex

/// Top-k evaluation of a query that is one term, straight over its postings cursor.
///
/// The MaxScore loop's bookkeeping (sorting scorers, essential and non-essential lists,
/// virtual calls per passage) buys nothing with one list, and a third of the benchmark's
/// queries are one word. Here a postings block whose best possible score (from its header's
/// (frequency, norm) pairs) cannot reach the heap's lowest score is skipped unread; in the
/// other blocks every passage is scored as it is decoded. The results are the MaxScore
/// loop's, tie for tie: the same bounds with the same margin, the same collector.
struct SingleTermLoop {
    let scorer: TermScorer

    /// Runs the loop; returns the number of passages offered to the collector.
    func run(base: Int, deleted: DeletionSet?, collector: inout TopPassageCollector) -> Int {
        scorer.collectTop(base: base, deleted: deleted, collector: &collector)
    }
}

extension TermScorer {
    /// The loop of ``SingleTermLoop``, inside the scorer so that it owns the cursor: the
    /// cursor is copied into a local for the run and written back after.
    func collectTop(base: Int, deleted: DeletionSet?, collector: inout TopPassageCollector) -> Int {
        var cursor = takeCursor()
        defer { putBack(cursor) }
        let norms = self.norms
        let model = self.model
        let weight = self.weight
        // A passage holds the term once far more often than more: on a long list the
        // scores of a single occurrence, by norm code, are computed once (with the same
        // formula, so the same bits) instead of a division per passage.
        let once = cursor.documentFrequency >= 1024 ? (0..<256).map { model.score(weight: weight, tf: 1, norm: UInt8($0)) } : []
        var scored = 0
        var threshold = collector.threshold ?? -Double.infinity
        var target = 0
        while cursor.shallowAdvance(to: target) {
            let last = cursor.blockLast
            if threshold > -Double.infinity {
                let bound = cursor.blockMax { model.score(weight: weight, tf: $0, norm: $1) }
                if MaxScoreLoop.below(bound, threshold) {
                    target = last + 1
                    continue
                }
            }
            guard cursor.advance(to: target) else { break }
            while cursor.passage <= last {
                let passage = cursor.passage
                if deleted?.contains(passage) != true {
                    let frequency = cursor.frequency
                    let score = frequency == 1 && !once.isEmpty ? once[Int(norms[passage])]
                        : model.score(weight: weight, tf: frequency, norm: norms[passage])
                    if !MaxScoreLoop.below(score, threshold) {
                        scored += 1
                        collector.collect(passage: base + passage, score: score)
                        if let lowest = collector.threshold { threshold = lowest }
                    }
                }
                if !cursor.next() { break }
            }
            target = last + 1
        }
        return scored
    }
}
