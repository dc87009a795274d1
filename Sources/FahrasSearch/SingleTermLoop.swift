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
    /// Stops early, with `countdown.expired` set, once the countdown's deadline has passed.
    mutating func run(base: Int, deleted: DeletionSet?, collector: inout TopPassageCollector,
                      countdown: inout DeadlineCountdown) -> Int {
        let room = UnsafeMutablePointer<Int>.allocate(capacity: SegmentFormat.postingsBlockSize)
        defer { room.deallocate() }
        var scored = 0
        var threshold = collector.threshold ?? -Double.infinity
        // Most passages hold the term once, and once the heap is full most cannot enter:
        // `onceCutoff` is the highest norm code at which one occurrence still reaches the
        // threshold, so such a passage is passed over without computing its score.
        let (scoring, longerScoresLess) = (postings.scoring, postings.longerScoresLess)
        func cutoff(_ threshold: Double) -> Int {
            Self.onceCutoff(for: threshold, scoring: scoring, longerScoresLess: longerScoresLess)
        }
        var onceCutoff = cutoff(threshold)
        var target = 0
        while true {
            let last = postings.shallowAdvance(to: target)
            if last == Int.max || countdown.step() { break }
            target = last + 1
            if threshold > -Double.infinity && below(postings.blockMax(), threshold) { continue }
            postings.takeRest(frequencies: room) { passages, frequencies in
                for i in passages.indices {
                    let passage = passages[i]
                    let frequency = frequencies[i]
                    let norm = scoring.norm(of: passage)
                    guard frequency != 1 || Int(norm) <= onceCutoff, deleted?.contains(passage) != true else { continue }
                    let score = scoring.score(frequency: frequency, norm: norm)
                    if below(score, threshold) { continue }
                    scored += 1
                    collector.collect(passage: base + passage, score: score)
                    if let lowest = collector.threshold, lowest != threshold {
                        threshold = lowest
                        onceCutoff = cutoff(threshold)
                    }
                }
            }
        }
        return scored
    }

    /// The highest norm code at which a passage holding the term once is not below
    /// `threshold` (`-1`: none is; 255 when scores do not fall with length). Exact: the
    /// same score and test as the loop, found by bisection since they fall with the code.
    func onceCutoffFor(_ threshold: Double) -> Int {
        Self.onceCutoff(for: threshold, scoring: postings.scoring, longerScoresLess: postings.longerScoresLess)
    }

    static func onceCutoff(for threshold: Double, scoring: TermScoring, longerScoresLess: Bool) -> Int {
        guard longerScoresLess, threshold > -Double.infinity else { return 255 }
        func reaches(_ norm: Int) -> Bool {
            !below(scoring.score(frequency: 1, norm: UInt8(norm)), threshold)
        }
        if !reaches(0) { return -1 }
        var low = 0  // reaches
        var high = 256  // does not (past the last code)
        while high - low > 1 {
            let mid = (low + high) / 2
            if reaches(mid) { low = mid } else { high = mid }
        }
        return low
    }
}
