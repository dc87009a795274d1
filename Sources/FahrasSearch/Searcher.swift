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
///
/// Folded name clauses are first resolved against the dictionary: the index files every
/// name occurrence under its fold key, so the spellings that may fold with a query name
/// are one range of terms, each then checked letter by letter (``NameSpelling``).
public struct Searcher: Sendable {
    public let reader: IndexReader
    public var analyzer: Analyzer
    public var bm25: BM25
    /// Weight of a folded name clause against an exact clause (1): a passage that has the
    /// spelling asked for ranks above one that has another spelling, all else equal.
    public var foldedWeight = 0.5

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

    /// A clause with its terms spelled out: alternatives of slots, each slot a set of terms
    /// any of which fills it.
    struct ResolvedClause {
        var alternatives: [[[String]]]
        var weight: Double
    }

    /// The terms of every clause, folded names looked up in the dictionary.
    func resolve(_ query: Query) throws(IndexError) -> [ResolvedClause] {
        var out: [ResolvedClause] = []
        for clause in query.clauses {
            switch clause {
            case .term(let term):
                out.append(ResolvedClause(alternatives: [[[term]]], weight: 1))
            case .phrase(let terms):
                out.append(ResolvedClause(alternatives: [terms.map { [$0] }], weight: 1))
            case .entity(let id):
                out.append(ResolvedClause(alternatives: [[[NameTerms.entity(id)]]], weight: 1))
            case .names(let pattern):
                var alternatives: [[[String]]] = []
                for slots in pattern.alternatives {
                    var resolved: [[String]] = []
                    let longer = slots.filter(\.isName).count > 1
                    for slot in slots { resolved.append(try spellings(of: slot, inLongerName: longer)) }
                    if resolved.allSatisfy({ !$0.isEmpty }) { alternatives.append(resolved) }
                }
                if !alternatives.isEmpty { out.append(ResolvedClause(alternatives: alternatives, weight: foldedWeight)) }
            }
        }
        return out
    }

    /// The index terms that fill a slot of a folded name.
    func spellings(of slot: NameSlot, inLongerName: Bool = false) throws(IndexError) -> [String] {
        guard let names = analyzer.names else {
            if case .exact(let term) = slot { return [term] }
            return []
        }
        switch slot {
        case .exact(let term):
            return [term]
        case .latin(let canonical):
            let spelling = NameSpelling(canonical: canonical, rules: names.rules)
            var terms: [String] = []
            for variant in [canonical] + names.rules.alternateSpellings(of: canonical) {
                let asked = NameSpelling(canonical: variant, rules: names.rules)
                for (term, _) in try reader.terms(withPrefix: NameTerms.namePrefix + asked.key + NameTerms.separator) {
                    if let other = NameTerms.spelling(of: term), !terms.contains(term),
                       NameSpelling(canonical: other, rules: names.rules).folds(with: asked, inLongerName: inLongerName, rules: names.rules) {
                        terms.append(term)
                    }
                }
            }
            for (term, _) in try reader.terms(withPrefix: NameTerms.skeletonPrefix + spelling.skeleton + NameTerms.separator) {
                if let other = NameTerms.spelling(of: term), ArabicScript.isArabic(other),
                   names.arabic.folds(names.arabic.latin(other), with: spelling) {
                    terms.append(term)
                }
            }
            return terms
        case .arabic(let word):
            let latin = names.arabic.latin(word)
            let spelling = NameSpelling(canonical: latin, rules: names.rules)
            var terms: [String] = []
            for (term, _) in try reader.terms(withPrefix: NameTerms.skeletonPrefix + spelling.skeleton + NameTerms.separator) {
                guard let other = NameTerms.spelling(of: term) else { continue }
                let folds = ArabicScript.isArabic(other)
                    ? names.arabic.latin(other) == latin
                    : names.arabic.folds(latin, with: NameSpelling(canonical: other, rules: names.rules))
                if folds { terms.append(term) }
            }
            return terms
        }
    }

    /// The clause's idf over the whole snapshot: a slot's passage count is the sum over
    /// its terms (at most all passages), a phrase's idf the sum of its slots' (as Lucene),
    /// and of alternatives the largest counts.
    private func idf(_ clause: ResolvedClause) throws(IndexError) -> Double {
        var best = 0.0
        for slots in clause.alternatives {
            var sum = 0.0
            for slot in slots {
                var frequency = 0
                for term in slot { frequency += try reader.documentFrequency(term) }
                sum += bm25.idf(documentFrequency: min(frequency, reader.passageCount), passageCount: reader.passageCount)
            }
            best = max(best, sum)
        }
        return best * clause.weight
    }

    private func run(_ query: Query, limit: Int, fetchText: Bool) throws(IndexError) -> SearchResults {
        // Equal scores rank by document path and passage ordinal, which do not depend on how
        // the index is cut into segments: an updated index ranks as a fresh build would.
        let reader = self.reader
        var collector = TopPassageCollector(capacity: limit) { a, b in
            guard let (sa, la) = reader.locate(a), let (sb, lb) = reader.locate(b),
                  let ra = try? sa.passage(la), let rb = try? sb.passage(lb) else { return a < b }
            let pa = sa.documents[ra.document].path
            let pb = sb.documents[rb.document].path
            if pa != pb { return pa.utf8.lexicographicallyPrecedes(pb.utf8) }
            return ra.ordinal != rb.ordinal ? ra.ordinal < rb.ordinal : a < b
        }
        var total = 0
        let clauses = try resolve(query)
        var weights: [Double] = []
        for clause in clauses { weights.append(try idf(clause)) }
        for (s, segment) in reader.segments.enumerated() {
            var scorers: [any ClauseScorer] = []
            for (clause, weight) in zip(clauses, weights) {
                if let scorer = try scorer(for: clause, idf: weight, in: segment) { scorers.append(scorer) }
            }
            let base = reader.passageBase[s]
            let deleted = reader.deletions[s]
            while true {
                var current = Int.max
                for scorer in scorers where scorer.passage < current { current = scorer.passage }
                if current == Int.max { break }
                if let deleted, deleted.contains(current) {
                    for scorer in scorers where scorer.passage == current { scorer.next() }
                    continue
                }
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
        let patterns = clauses.flatMap(\.alternatives)
        var hits: [SearchHit] = []
        for entry in collector.results() {
            guard let (segment, local) = reader.locate(entry.passage) else { continue }
            let record = try segment.passage(local)
            let text = fetchText ? try segment.passageText(local) : ""
            let document = segment.documents[record.document]
            let highlights = fetchText ? highlighter.highlights(of: patterns, in: text) : []
            hits.append(SearchHit(
                passage: entry.passage, score: entry.score, document: document.path, title: document.title,
                ordinal: record.ordinal, range: record.range, text: text, highlights: highlights,
                snippet: Snippet(text: text, highlights: highlights)))
        }
        return SearchResults(query: query, total: total, hits: hits)
    }

    private func scorer(for clause: ResolvedClause, idf: Double, in segment: SegmentReader) throws(IndexError) -> (any ClauseScorer)? {
        var scorers: [any ClauseScorer] = []
        alternatives: for slots in clause.alternatives {
            var cursors: [UnionCursor] = []
            for slot in slots {
                var postings: [PostingsCursor] = []
                for term in slot {
                    if let info = try segment.lookup(term) { postings.append(segment.postings(info)) }
                }
                if postings.isEmpty { continue alternatives }
                cursors.append(UnionCursor(postings))
            }
            if cursors.count == 1 {
                scorers.append(TermScorer(cursor: cursors[0], segment: segment, bm25: bm25, idf: idf, averageLength: reader.averageLength))
            } else {
                scorers.append(PhraseScorer(cursors: cursors, segment: segment, bm25: bm25, idf: idf, averageLength: reader.averageLength))
            }
        }
        switch scorers.count {
        case 0: return nil
        case 1: return scorers[0]
        default: return BestOfScorer(scorers)
        }
    }
}
