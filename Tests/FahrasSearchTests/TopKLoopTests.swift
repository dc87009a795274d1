import Testing
@testable import FahrasIndex
@testable import FahrasSearch

@Suite("Search: the top-k loops over terms")
struct TopKLoopTests {
    /// Keeps the bytes of hand-made lists alive for their cursors.
    final class Bytes {
        let buffer: UnsafeMutableRawBufferPointer
        init(_ bytes: [UInt8]) {
            buffer = .allocate(byteCount: bytes.count, alignment: 8)
            bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        }
        deinit { buffer.deallocate() }
        func cursor(documentFrequency: Int) -> PostingsCursor {
            PostingsCursor(owner: self, bytes: UnsafeRawBufferPointer(buffer), range: 0..<buffer.count,
                           documentFrequency: documentFrequency, passageLimit: 100)
        }
    }

    let norms = [UInt8](repeating: 3, count: 100)
    let model = ScoreModel(bm25: BM25(), averageLength: 10)

    /// A sound list: passages 0, 3, 6 … 99, once each.
    func soundList() -> Bytes {
        var encoder = PostingsEncoder()
        for passage in stride(from: 0, to: 100, by: 3) {
            [Int32(1)].withUnsafeBufferPointer { encoder.add(passage: passage, positions: $0, norm: 3) }
        }
        return Bytes(encoder.finish())
    }

    /// A list whose first block says it holds more bytes than the list has.
    func damagedList() -> Bytes {
        Bytes([1, 1, 3, /* block: last passage 4, 10 doc bytes, no positions, 1 pair */ 5, 10, 0, 1, 1, 3])
    }

    /// The loop passes over a passage holding the term once when its norm code is above a
    /// cutoff: exactly the codes whose score is below the threshold, boundaries included.
    @Test func theSingleOccurrenceCutoffIsExact() {
        norms.withUnsafeBufferPointer { norms in
            let sound = soundList()
            let loop = SingleTermLoop(postings: TermPostings(cursor: sound.cursor(documentFrequency: 34), norms: norms,
                                                             model: model, weight: 2.5))
            let scores = (0..<256).map { loop.postings.scoring.score(frequency: 1, norm: UInt8($0)) }
            var thresholds = scores + scores.map { $0.nextUp } + scores.map { $0.nextDown }
            thresholds += [scores.max()! * 2, 0, scores.min()! / 2]
            for threshold in thresholds {
                let cutoff = loop.onceCutoffFor(threshold)
                for code in 0..<256 {
                    let kept = !below(scores[code], threshold)
                    #expect((code <= cutoff) == kept, "threshold \(threshold), code \(code)")
                }
            }
            #expect(loop.onceCutoffFor(-Double.infinity) == 255)
            #expect(loop.onceCutoffFor(scores.max()! * 2) == -1)
        }
    }

    @Test func aSoundListIsNotReportedAndADamagedOneIs() {
        norms.withUnsafeBufferPointer { norms in
            let sound = soundList()
            var collector = TopPassageCollector(capacity: 5)
            var countdown = DeadlineCountdown(.none)
            var single = SingleTermLoop(postings: TermPostings(cursor: sound.cursor(documentFrequency: 34), norms: norms,
                                                               model: model, weight: 2))
            #expect(single.run(base: 0, deleted: nil, collector: &collector, countdown: &countdown) > 0)
            #expect(!single.postings.isCorrupt && collector.results().count == 5)

            let damaged = damagedList()
            collector = TopPassageCollector(capacity: 5)
            single = SingleTermLoop(postings: TermPostings(cursor: damaged.cursor(documentFrequency: 3), norms: norms,
                                                           model: model, weight: 2))
            _ = single.run(base: 0, deleted: nil, collector: &collector, countdown: &countdown)
            #expect(single.postings.isCorrupt)

            var both = MaxScoreLoop(clauses: [
                TermPostings(cursor: sound.cursor(documentFrequency: 34), norms: norms, model: model, weight: 1),
                TermPostings(cursor: damaged.cursor(documentFrequency: 3), norms: norms, model: model, weight: 3),
            ])
            collector = TopPassageCollector(capacity: 5)
            _ = both.run(base: 0, deleted: nil, collector: &collector, countdown: &countdown)
            #expect(both.isCorrupt)
        }
    }
}

@Suite("Search: a time limit stops the search")
struct DeadlineTests {
    /// Enough passages with the word that the loops over them look at the clock.
    static let texts = (0..<(Deadline.stride + 500)).map { "convoy number \($0) reached the town" }

    /// A search past its limit is an error on every path (every match scored, one term's
    /// top-k, two terms' top-k, facets); that the loops themselves stop is the next test's.
    @Test func aSearchPastItsLimitIsAnErrorOnEveryPath() throws {
        let index = try makeIndex(DeadlineTests.texts, analyzer: .wordChain)
        let searcher = index.searcher
        // Scoring every match (the server's default), top-k over one term, top-k over two.
        let cases: [(query: String, countAll: Bool)] = [("convoy", true), ("convoy", false), ("convoy town", false)]
        for item in cases {
            let query = try QueryParser(analyzer: index.analyzer).parse(item.query)
            #expect(throws: SearchError.timedOut(limit: .nanoseconds(1)), "\(item)") {
                _ = try searcher.search(query, limit: 10, countAll: item.countAll, timeLimit: .nanoseconds(1))
            }
            // A limit that is not reached changes nothing.
            let free = try searcher.search(query, limit: 10, countAll: item.countAll)
            let limited = try searcher.search(query, limit: 10, countAll: item.countAll, timeLimit: .seconds(600))
            #expect(free.hits.map(\.passage) == limited.hits.map(\.passage) && free.total == limited.total, "\(item)")
        }
        var options = SearchOptions(limit: 5, facets: ["year"])
        options.timeLimit = .nanoseconds(1)
        let query = try QueryParser(analyzer: index.analyzer).parse("convoy")
        #expect(throws: SearchError.timedOut(limit: .nanoseconds(1))) {
            _ = try searcher.search(query, options: options)
        }
    }

    /// The loops stop at their first look at the clock once it has passed, before the end of
    /// their postings, and say so; with no deadline they run to the end.
    @Test func theLoopsStopAtTheirFirstLookAtTheClock() {
        let lists = TopKLoopTests()
        lists.norms.withUnsafeBufferPointer { norms in
            let sound = lists.soundList()
            let other = lists.soundList()
            let passed = Deadline(limit: .nanoseconds(1))
            while !passed.hasPassed {}
            for deadline in [Deadline.none, passed] {
                var countdown = DeadlineCountdown(deadline, stride: 1)
                var collector = TopPassageCollector(capacity: 5)
                var single = SingleTermLoop(postings: TermPostings(cursor: sound.cursor(documentFrequency: 34), norms: norms,
                                                                   model: lists.model, weight: 2))
                let scored = single.run(base: 0, deleted: nil, collector: &collector, countdown: &countdown)
                #expect(countdown.expired == (deadline.limit != nil))
                #expect(deadline.limit == nil ? scored > 0 : scored == 0)

                countdown = DeadlineCountdown(deadline, stride: 1)
                collector = TopPassageCollector(capacity: 5)
                var both = MaxScoreLoop(clauses: [
                    TermPostings(cursor: sound.cursor(documentFrequency: 34), norms: norms, model: lists.model, weight: 1),
                    TermPostings(cursor: other.cursor(documentFrequency: 34), norms: norms, model: lists.model, weight: 3),
                ])
                let scoredBoth = both.run(base: 0, deleted: nil, collector: &collector, countdown: &countdown)
                #expect(countdown.expired == (deadline.limit != nil))
                #expect(deadline.limit == nil ? scoredBoth > 0 : scoredBoth == 0)
            }
        }
    }
}

@Suite("Search: a one-term query counts its matches by the term's passage count")
struct OneTermCountTests {
    /// The count and the top passages are those of the loop that visits every match (the
    /// one facets take), whatever the query's term: common, rare, or absent.
    @Test func theCountAndHitsAreThoseOfTheFullLoop() throws {
        let texts = (0..<3000).map { n in
            "convoy \(n % 7 == 0 ? "rare" : "") reached " + String(repeating: "town ", count: 1 + n % 5)
        }
        let index = try makeIndex(texts, analyzer: .wordChain)
        let searcher = index.searcher
        for word in ["convoy", "rare", "town", "absent"] {
            let query = try QueryParser(analyzer: index.analyzer).parse(word)
            let counted = try searcher.search(query, options: SearchOptions(limit: 10, collapse: false))
            let visited = try searcher.search(query, options: SearchOptions(limit: 10, facets: ["year"], collapse: false))
            let expected = texts.filter { $0.split(separator: " ").contains(Substring(word)) }.count
            #expect(counted.total == expected && visited.total == expected, "\(word)")
            #expect(counted.hits.map(\.passage) == visited.hits.map(\.passage), "\(word)")
            #expect(counted.hits.map(\.score) == visited.hits.map(\.score), "\(word)")
        }
    }
}
