import FahrasAnalysis
import FahrasIndex

/// One ranked passage.
public struct SearchHit: Sendable {
    /// Global passage number in the index snapshot.
    public var passage: Int
    public var score: Double
    /// Path of the source document, as indexed.
    public var document: String
    public var title: String
    /// Position of the passage in its document, from 0.
    public var ordinal: Int
    /// UTF-8 offsets of the passage in the document's extracted text.
    public var range: Range<Int>
    /// The full passage text.
    public var text: String
    /// UTF-8 byte ranges of `text` where the query matched.
    public var highlights: [Range<Int>]
    public var snippet: Snippet
}

/// The answer to a query.
public struct SearchResults: Sendable {
    public var query: Query
    /// Passages that match at least one clause.
    public var total: Int
    /// The best `limit` of them, best first.
    public var hits: [SearchHit]
}

/// The search stage: a parsed query in, ranked and highlighted passages out.
///
/// Scoring is document-at-a-time over each segment: every clause has a scorer positioned on
/// its next matching passage; the smallest passage number is scored by summing the clauses
/// on it, offered to a top-k heap and counted. Text is read only for the final hits.
public struct Searcher: Sendable {
    public let reader: IndexReader
    public var analyzer: Analyzer
    public var bm25: BM25

    public init(reader: IndexReader, analyzer: Analyzer = .standard, bm25: BM25 = BM25()) {
        self.reader = reader
        self.analyzer = analyzer
        self.bm25 = bm25
    }

    /// Parses and runs `text` (see ``search(_:limit:fetchText:)-(Query,_,_)``).
    public func search(_ text: String, limit: Int, fetchText: Bool = true) throws(SearchError) -> SearchResults {
        try search(QueryParser(analyzer: analyzer).parse(text), limit: limit, fetchText: fetchText)
    }

    /// Runs `query`, returning the `limit` best passages.
    ///
    /// - Parameter fetchText: read each hit's text and compute highlights and a snippet;
    ///   `false` returns only numbers, document and ordinal (for benchmarks).
    public func search(_ query: Query, limit: Int, fetchText: Bool = true) throws(SearchError) -> SearchResults {
        do {
            return try run(query, limit: limit, fetchText: fetchText)
        } catch {
            throw .index(error)
        }
    }

    /// The clause's idf over the whole snapshot (a phrase: the sum of its terms' idfs).
    private func idf(_ clause: Query.Clause) throws(IndexError) -> Double {
        var sum = 0.0
        for term in clause.terms {
            sum += bm25.idf(documentFrequency: try reader.documentFrequency(term), passageCount: reader.passageCount)
        }
        return sum
    }

    private func run(_ query: Query, limit: Int, fetchText: Bool) throws(IndexError) -> SearchResults {
        var collector = TopPassageCollector(capacity: limit)
        var total = 0
        var weights: [Double] = []
        for clause in query.clauses { weights.append(try idf(clause)) }
        for (s, segment) in reader.segments.enumerated() {
            var scorers: [any ClauseScorer] = []
            for (clause, weight) in zip(query.clauses, weights) {
                if let scorer = try scorer(for: clause, idf: weight, in: segment) { scorers.append(scorer) }
            }
            let base = reader.passageBase[s]
            while true {
                var current = Int.max
                for scorer in scorers where scorer.passage < current { current = scorer.passage }
                if current == Int.max { break }
                var score = 0.0
                for scorer in scorers where scorer.passage == current {
                    score += scorer.score()
                    scorer.next()
                }
                total += 1
                collector.collect(passage: base + current, score: score)
            }
            if scorers.contains(where: { $0.isCorrupt }) {
                throw .corrupt(file: segment.path, reason: "a postings list is malformed")
            }
        }
        let highlighter = Highlighter(analyzer: analyzer)
        var hits: [SearchHit] = []
        for entry in collector.results() {
            guard let (segment, local) = reader.locate(entry.passage) else { continue }
            let record = try segment.passage(local)
            let text = fetchText ? try segment.passageText(local) : ""
            let document = segment.documents[record.document]
            let highlights = fetchText ? highlighter.highlights(of: query, in: text) : []
            hits.append(SearchHit(
                passage: entry.passage, score: entry.score, document: document.path, title: document.title,
                ordinal: record.ordinal, range: record.range, text: text, highlights: highlights,
                snippet: Snippet(text: text, highlights: highlights)))
        }
        return SearchResults(query: query, total: total, hits: hits)
    }

    private func scorer(for clause: Query.Clause, idf: Double, in segment: SegmentReader) throws(IndexError) -> (any ClauseScorer)? {
        switch clause {
        case .term(let term):
            guard let info = try segment.lookup(term) else { return nil }
            return TermScorer(cursor: segment.postings(info), segment: segment, bm25: bm25, idf: idf, averageLength: reader.averageLength)
        case .phrase(let terms):
            var cursors: [PostingsCursor] = []
            for term in terms {
                guard let info = try segment.lookup(term) else { return nil }
                cursors.append(segment.postings(info))
            }
            return PhraseScorer(cursors: cursors, segment: segment, bm25: bm25, idf: idf, averageLength: reader.averageLength)
        }
    }
}
