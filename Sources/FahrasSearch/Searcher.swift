import Dispatch
import FahrasAnalysis
import FahrasIndex

/// One ranked passage.
package struct SearchHit: Sendable {
    /// Global passage number in the index snapshot.
    package var passage: Int
    package var score: Double
    /// Path of the source document, as indexed.
    package var document: String
    package var title: String
    /// Position of the passage in its document, from 0.
    package var ordinal: Int
    /// UTF-8 offsets of the passage in the document's extracted text.
    package var range: Range<Int>
    /// The full passage text.
    package var text: String
    /// UTF-8 byte ranges of `text` where the query matched.
    package var highlights: [Range<Int>]
    package var snippet: Snippet
    /// The article's publication day (`2017-03-04`), outlet and canonical URL, when known.
    package var date: String? = nil
    package var site: String? = nil
    package var url: String? = nil
    /// The other passages of the index that are near-duplicates of this one (when
    /// collapsing): this hit is the earliest of them all.
    package var copies: [Copy] = []
}

/// A ranked passage by its document and position alone (``Searcher/ranked(_:limit:countAll:timeLimit:lookups:)``).
package struct RankedPassage: Sendable, Equatable {
    package var document: String
    package var ordinal: Int
    package var score: Double
}

/// The answer to a query.
package struct SearchResults: Sendable {
    package var query: Query
    /// Passages that match the query (with `totalIsExact` false, those scored: a lower bound).
    package var total: Int
    /// Whether every matching passage was counted.
    package var totalIsExact: Bool
    /// The best `limit` of them, best first.
    package var hits: [SearchHit]
    /// Counts over every matching passage, one per field asked for, in the order asked.
    package var facets: [Facet] = []
    /// The order of the hits.
    package var sort: SearchOptions.Sort = .score
}

/// The search stage: a parsed query in, ranked and highlighted passages out.
///
/// Scoring is document-at-a-time over each segment: the query tree becomes a tree of
/// scorers (``ScorerBuilder``), each positioned on its next matching passage; matching
/// passages are offered to a bounded top-k heap. A disjunctive query, when the caller does
/// not need an exact count, runs MaxScore with block-max bounds (``MaxScoreLoop``): lists
/// that cannot lift a passage into the top k alone are only probed, and whole postings
/// blocks whose best possible score is too low are skipped unread. Text is read only for
/// the final hits.
///
/// Folded name clauses are first resolved against the dictionary: the index files every
/// name occurrence under its fold key, so the spellings that may fold with a query name
/// are one range of terms, each then checked letter by letter (``NameSpelling``).
package struct Searcher: Sendable {
    package let reader: IndexReader
    /// The analyzer the index was built with, read in place from ``sharedAnalyzer``.
    package var analyzer: Analyzer {
        _read { yield sharedAnalyzer.analyzer }
        set { sharedAnalyzer = SharedAnalyzer(newValue) }
    }
    /// The analyzer, for the parsers of this searcher's queries.
    package private(set) var sharedAnalyzer: SharedAnalyzer
    package var bm25: BM25
    /// Weight of a folded name clause against an exact clause (1): a passage that has the
    /// spelling asked for ranks above one that has another spelling, all else equal.
    package var foldedWeight = 0.5
    /// Whether query names find their other spellings and aliases (`--no-fold` turns it off).
    package var foldNames = true

    /// Reads a document's extracted text again from its source, for segments that keep no
    /// passage texts (``SegmentReader/textIsExternal``); passage ranges point into it.
    package var sourceText: (@Sendable (SegmentReader.Document) throws(SearchError) -> String)?

    /// Whether the index holds Arabic-script names at all: if not, a Latin name looks for no
    /// Arabic spelling (six dictionary look-ups a name word saved).
    private let hasArabicNames: Bool

    /// Orders equal scores; kept across queries (it decodes a segment's documents once).
    let ties: TieBreaker
    /// The index's passages filed by fingerprint slices, built on the first collapse.
    let copyTable: CopyTable
    /// Each segment's entity terms, for the actor facet; kept across queries.
    let entityTerms = EntityTermCache()
    /// BM25's length factors for the default parameters, computed once.
    private let model: ScoreModel

    package init(reader: IndexReader, analyzer: Analyzer = .standard, bm25: BM25 = BM25()) {
        self.reader = reader
        ties = TieBreaker(reader: reader)
        copyTable = CopyTable(reader: reader)
        hasArabicNames = (try? reader.hasTerm(withPrefix: NameTerms.arabicSkeletonPrefix)) ?? true
        sharedAnalyzer = SharedAnalyzer(analyzer)
        self.bm25 = bm25
        model = ScoreModel(bm25: bm25, averageLength: reader.averageLength)
    }

    /// Parses and runs `text` (see ``search(_:limit:fetchText:countAll:)-(Query,_,_,_)``).
    package func search(_ text: String, limit: Int, fetchText: Bool = true, countAll: Bool = true) throws(SearchError) -> SearchResults {
        try search(QueryParser(shared: sharedAnalyzer, foldNames: foldNames).parse(text), limit: limit, fetchText: fetchText, countAll: countAll)
    }

    /// A number of hits to collect: at least one, at most every passage stored (a larger
    /// limit is the same answer, and its collector would be allocated at that size).
    private func clamped(_ limit: Int) -> Int {
        max(1, min(limit, reader.storedPassageCount))
    }

    /// Runs `query`, returning the `limit` best passages.
    ///
    /// - Parameter fetchText: read each hit's text and compute highlights and a snippet;
    ///   `false` returns only numbers, document path and ordinal (for benchmarks): no title,
    ///   range or text.
    /// - Parameter countAll: visit every matching passage, so ``SearchResults/total`` is
    ///   exact; `false` skips passages that cannot enter the top `limit` (MaxScore with
    ///   block-max bounds), and `total` counts only the passages scored.
    /// - Parameter timeLimit: stop with ``SearchError/timedOut(limit:)`` past this time.
    /// - Parameter lookups: the entries the parse looked up (``QueryParser/writesAsName``).
    package func search(_ query: Query, limit: Int, fetchText: Bool = true, countAll: Bool = true,
                        timeLimit: Duration? = nil, lookups: TermLookups? = nil) throws(SearchError) -> SearchResults {
        let limit = clamped(limit)
        let deadline = Deadline(limit: timeLimit)
        let scored = try score(query, limit: limit, countAll: countAll, deadline: deadline, lookups: lookups)
        return SearchResults(query: query, total: scored.total, totalIsExact: countAll,
                             hits: try hits(of: scored.entries, patterns: scored.patterns, fetchText: fetchText, deadline: deadline))
    }

    /// The `limit` best passages for `query`, as document, position in it and score only:
    /// no hit is built (for callers that print ids, as the `--stdin` protocol does).
    /// `countAll` and `lookups` as in ``search(_:limit:fetchText:countAll:timeLimit:lookups:)``.
    package func ranked(_ query: Query, limit: Int, countAll: Bool = false,
                        timeLimit: Duration? = nil, lookups: TermLookups? = nil) throws(SearchError) -> [RankedPassage] {
        let deadline = Deadline(limit: timeLimit)
        let scored = try score(query, limit: clamped(limit), countAll: countAll, deadline: deadline, lookups: lookups)
        return try indexRead { () throws(IndexError) in
            var ranked: [RankedPassage] = []
            ranked.reserveCapacity(scored.entries.count)
            for entry in scored.entries {
                guard let (document, ordinal) = try place(of: entry.passage) else { continue }
                ranked.append(RankedPassage(document: document, ordinal: ordinal, score: entry.score))
            }
            return ranked
        }
    }

    /// Runs `query` as `options` ask: sorted, with near-duplicates collapsed and facets counted.
    package func search(_ query: Query, options: SearchOptions, lookups: TermLookups? = nil) throws(SearchError) -> SearchResults {
        let sort = options.sort ?? (query.isFilterOnly ? .newest : .score)
        // A date order and facets need every match.
        let keepAll = sort != .score || !options.facets.isEmpty
        var options = options
        options.limit = clamped(options.limit)
        var candidates = options.collapse ? clamped(options.limit * 3 + 16) : options.limit
        let deadline = Deadline(limit: options.timeLimit)
        while true {
            let scored = try score(query, limit: sort == .score ? candidates : 0, countAll: options.countAll, keepAll: keepAll,
                                   deadline: deadline, lookups: lookups)
            // By score, the collector's top entries are the ranking; a date order needs every match.
            let ranked = sort == .score ? scored.entries : rank(scored.all, by: sort)
            var groups = ranked.map { CopyGroup(best: $0) }
            if options.collapse {
                groups = try indexRead { () throws(IndexError) in try collapse(ranked, limit: options.limit, templates: options.keepTemplates) }
                // Copies took places: look further down, unless every match was ranked.
                if groups.count < options.limit && sort == .score && scored.entries.count == candidates
                    && candidates < reader.storedPassageCount {
                    candidates = clamped(candidates * 4)
                    continue
                }
            }
            groups = Array(groups.prefix(options.limit))
            try deadline.check()
            var hits = try self.hits(of: groups.map { TopPassageCollector.Entry(passage: $0.lead, score: $0.best.score) },
                                     patterns: scored.patterns, fetchText: options.fetchText, deadline: deadline)
            for (i, group) in groups.enumerated() where i < hits.count {
                hits[i].copies = try indexRead { () throws(IndexError) in try group.others.map(copy) }
            }
            try deadline.check()
            let facets = try indexRead { () throws(IndexError) in
                try Facets.count(options.facets, over: scored.all, in: reader, entities: entityTerms)
            }
            return SearchResults(query: query, total: scored.total, totalIsExact: options.countAll || keepAll, hits: hits,
                                 facets: facets, sort: sort)
        }
    }

    /// Runs `body`, reporting an index error as a search error.
    package func indexRead<T>(_ body: () throws(IndexError) -> T) throws(SearchError) -> T {
        do { return try body() } catch { throw .index(error) }
    }

    /// A clause with its terms spelled out: alternatives of slots, each slot a set of terms
    /// any of which fills it.
    package struct ResolvedClause {
        package var alternatives: [[[String]]]
        package var weight: Double
        /// The alternatives are other spellings of one name (a folded clause): its idf is
        /// their smallest, not their largest.
        package var spellings = false
        /// Added to the clause's scores: a name typed as a name ranks every passage that
        /// names it above every passage that does not (``score(_:limit:countAll:)``).
        package var offset = 0.0
    }

    /// The terms of one clause; `nil` for a folded name with no spelling in the index.
    package func resolve(_ clause: Query.Clause, lookups: TermLookups) throws(IndexError) -> ResolvedClause? {
            switch clause {
            case .term(let term):
                return ResolvedClause(alternatives: [[[term]]], weight: 1)
            case .phrase(let terms):
                return ResolvedClause(alternatives: [terms.map { [$0] }], weight: 1)
            case .compound(let parts, let joined):
                return ResolvedClause(alternatives: [parts.map { [$0] }, [[joined]]], weight: 1)
            case .entity(let id):
                return ResolvedClause(alternatives: [[[NameTerms.entity(id)]]], weight: 1)
            case .names(let asked):
                let pattern = try withoutCommonWords(asked, lookups: lookups)
                var alternatives: [[[String]]] = []
                // A slot repeated (a phrase of one name written many times) is looked up once:
                // each lookup scans the dictionary.
                struct Key: Hashable { var slot: NameSlot, longer: Bool }
                var known: [Key: [String]] = [:]
                for slots in pattern.alternatives {
                    var resolved: [[String]] = []
                    let longer = slots.filter(\.isName).count > 1
                    for slot in slots {
                        let key = Key(slot: slot, longer: longer)
                        if known[key] == nil {
                            known[key] = try spellings(of: slot, inLongerName: longer, arabicByLetters: !pattern.arabicFromList)
                        }
                        resolved.append(known[key]!)
                    }
                    if resolved.allSatisfy({ !$0.isEmpty }) { alternatives.append(resolved) }
                }
                guard !alternatives.isEmpty else { return nil }
                // A spelling the index lacks leaves the folded forms as the only name.
                var absent = false
                for term in Set(pattern.written) where !absent {
                    if try reader.documentFrequency(of: lookups.entries(of: term)) == 0 { absent = true }
                }
                return ResolvedClause(alternatives: alternatives, weight: absent ? 1 : foldedWeight, spellings: true)
            }
    }

    /// `pattern` without the alternatives folded from its words when they are Latin words
    /// typed in lower case that the index does not write as names (``TermLookups/writesAsName(_:)``).
    /// The entity list's aliases stay: they match as written.
    package func withoutCommonWords(_ pattern: NamePattern, lookups: TermLookups) throws(IndexError) -> NamePattern {
        guard NamePattern.foldsOnEvidence(pattern.latinWords, arabicName: pattern.alternatives.contains { $0.contains(where: \.isArabic) }),
              try !lookups.writesAsName(pattern.latinWords) else { return pattern }
        var kept = pattern
        kept.alternatives.removeAll { $0.contains(where: \.isLatin) }
        return kept
    }

    /// The index terms that fill a slot of a folded name.
    ///
    /// - Parameter arabicByLetters: a Latin word also looks for Arabic spellings letter by
    ///   letter (not when the entity list gives the name's Arabic forms).
    func spellings(of slot: NameSlot, inLongerName: Bool = false, arabicByLetters: Bool = true) throws(IndexError) -> [String] {
        guard let names = analyzer.names else {
            if case .exact(let term) = slot { return [term] }
            return []
        }
        switch slot {
        case .exact(let term):
            return [term]
        case .latin(let canonical, let longEnd):
            let spelling = names.spelling(canonical: canonical)
            var terms: [String] = []
            for variant in [canonical] + names.alternateSpellings(of: canonical) {
                let asked = names.spelling(canonical: variant)
                for (term, _) in try reader.terms(withPrefix: NameTerms.namePrefix + asked.key + NameTerms.separator) {
                    // A spelling folds with itself: only the others are compared.
                    if let other = NameTerms.spelling(of: term), !terms.contains(term),
                       other == variant || names.spelling(canonical: other).folds(with: asked, inLongerName: inLongerName, rules: names.rules) {
                        terms.append(term)
                    }
                }
            }
            guard arabicByLetters else { return terms }
            terms += try arabicTerms(near: spelling, names: names) { other, attested in
                names.arabic.textFolds(other, with: spelling, longEnd: longEnd, attested: attested)
            }
            return terms
        case .arabicWord(let word):
            let spelling = NameSpelling(canonical: names.arabic.latin(word), rules: names.rules)
            return try arabicTerms(near: spelling, names: names) { other, attested in names.arabic.same(word, other, attested: attested) }
        case .arabic(let word):
            let spelling = NameSpelling(canonical: names.arabic.latin(word), rules: names.rules)
            var terms = try arabicTerms(near: spelling, names: names) { other, attested in names.arabic.same(word, other, attested: attested) }
            for (term, _) in try reader.terms(withPrefix: NameTerms.skeletonPrefix + spelling.skeleton + NameTerms.separator) {
                if let other = NameTerms.spelling(of: term), names.arabic.folds(word, with: names.spelling(canonical: other)) {
                    terms.append(term)
                }
            }
            return terms
        }
    }

    /// The term prefixes under which the index files what may fill a slot of a folded name
    /// (the fold keys of its spellings, the skeletons Arabic spellings are looked up by),
    /// read from the query alone: no dictionary, no spelling checked (`--fold-keys`). None
    /// for a word matched as written.
    package func keyPrefixes(of slot: NameSlot, arabicByLetters: Bool = true) -> [String] {
        guard let names = analyzer.names else { return [] }
        func arabic(_ spelling: NameSpelling) -> [String] {
            names.arabic.candidateSkeletons(of: spelling).map { NameTerms.arabicSkeletonPrefix + $0 + NameTerms.separator }
        }
        switch slot {
        case .exact:
            return []
        case .latin(let canonical, _):
            let keys = ([canonical] + names.rules.alternateSpellings(of: canonical)).map {
                NameTerms.namePrefix + NameSpelling(canonical: $0, rules: names.rules).key + NameTerms.separator
            }
            return Array(Set(keys + (arabicByLetters ? arabic(NameSpelling(canonical: canonical, rules: names.rules)) : []))).sorted()
        case .arabicWord(let word):
            return arabic(NameSpelling(canonical: names.arabic.latin(word), rules: names.rules))
        case .arabic(let word):
            let spelling = NameSpelling(canonical: names.arabic.latin(word), rules: names.rules)
            return arabic(spelling) + [NameTerms.skeletonPrefix + spelling.skeleton + NameTerms.separator]
        }
    }

    /// The Arabic-script name terms filed where words that may fold with `spelling` are
    /// (``ArabicScript/candidateSkeletons(of:)``) that `accept` takes, given the term's spelling
    /// and the evidence test for its proclitic readings.
    private func arabicTerms(near spelling: NameSpelling, names: NameStage,
                             accept: (String, (String) -> Bool) -> Bool) throws(IndexError) -> [String] {
        guard hasArabicNames else { return [] }
        var terms: [String] = []
        for skeleton in names.arabic.candidateSkeletons(of: spelling) {
            for (term, frequency) in try reader.terms(withPrefix: NameTerms.arabicSkeletonPrefix + skeleton + NameTerms.separator) {
                if let other = NameTerms.spelling(of: term), accept(other, attested(atLeast: frequency, names: names)) {
                    terms.append(term)
                }
            }
        }
        return terms
    }

    /// Whether an Arabic word stands alone in the index in at least `frequency` passages: the
    /// evidence that a word with a proclitic is that word (see ``ArabicScript/readings(of:attested:)``).
    private func attested(atLeast frequency: Int, names: NameStage) -> (String) -> Bool {
        let reader = self.reader
        return { word in
            let skeleton = NameSpelling(canonical: names.arabic.latin(word), rules: names.rules).skeleton
            let alone = (try? reader.documentFrequency(NameTerms.arabicSkeleton(skeleton, spelling: word))) ?? 0
            return alone >= frequency
        }
    }

    /// The clause's idf over the whole snapshot: a slot's passage count is the sum over
    /// its terms (at most all passages), a phrase's idf the sum of its slots' (as Lucene),
    /// and of alternatives the largest (a written word's parts or its joined form), but of a
    /// name's spellings the smallest: a rare alias (`Hims` for `Homs`) must not make the name
    /// weigh more than its common spelling.
    private func idf(_ clause: ResolvedClause, lookups: TermLookups) throws(IndexError) -> Double {
        var best = clause.spellings ? Double.infinity : 0
        alternatives: for slots in clause.alternatives {
            var sum = 0.0
            for slot in slots {
                var frequency = 0
                for term in slot { frequency += try reader.documentFrequency(of: lookups.entries(of: term)) }
                // A spelling the index lacks (an alias written nowhere) says nothing of the name.
                if clause.spellings && frequency == 0 { continue alternatives }
                sum += bm25.idf(documentFrequency: min(frequency, reader.passageCount), passageCount: reader.passageCount)
            }
            best = clause.spellings ? min(best, sum) : max(best, sum)
        }
        return best.isFinite ? best * clause.weight : 0
    }

    private typealias Scored = (entries: [TopPassageCollector.Entry], total: Int, patterns: [[[String]]], all: [TopPassageCollector.Entry])

    /// The best `limit` passages, the number scored (every match with `countAll` or
    /// `keepAll`), the term patterns to highlight, and with `keepAll` every match and its
    /// score, in index order; or ``SearchError/timedOut(limit:)`` once `deadline` has passed.
    private func score(_ query: Query, limit: Int, countAll: Bool, keepAll: Bool = false, deadline: Deadline,
                       lookups: TermLookups? = nil) throws(SearchError) -> Scored {
        var countdown = DeadlineCountdown(deadline)
        let lookups = lookups ?? TermLookups(reader: reader)
        let scored = try indexRead { () throws(IndexError) in
            try scoreSegments(query, limit: limit, countAll: countAll, keepAll: keepAll, lookups: lookups, countdown: &countdown)
        }
        if countdown.expired, let limit = deadline.limit { throw .timedOut(limit: limit) }
        return scored
    }

    private func scoreSegments(_ query: Query, limit: Int, countAll: Bool, keepAll: Bool, lookups: TermLookups,
                               countdown: inout DeadlineCountdown) throws(IndexError) -> Scored {
        let reader = self.reader
        let ties = self.ties
        var collector = TopPassageCollector(capacity: limit) { a, b in ties.precedes(a, b) }
        let model = bm25 == self.model.bm25 ? self.model : ScoreModel(bm25: bm25, averageLength: reader.averageLength)
        let weights = try clauseWeights(query, lookups: lookups, model: model)
        // Filters on the whole query act as deletions, so that top-k can still skip.
        var tree = query.root
        let filters = query.isFilterOnly ? [] : tree.must.compactMap { node -> Query.Filter? in
            if case .filter(let filter) = node { return filter } else { return nil }
        }
        tree.must.removeAll { if case .filter = $0 { return !query.isFilterOnly } else { return false } }
        var total = 0
        var all: [TopPassageCollector.Entry] = []
        for (s, segment) in reader.segments.enumerated() where !countdown.expired {
            let builder = ScorerBuilder(segment: segment, number: s, lookups: lookups, model: model, weights: weights)
            guard let root = try builder.scorer(for: tree),
                  let deleted = try builder.skipped(deleted: reader.deletions[s], filters: filters) else { continue }
            let base = reader.passageBase[s]
            // Gathering every match visits them all: one pass that scores them costs less than
            // a pruned top-k and a second walk for the matches.
            let pruning = !countAll && !keepAll && tree.must.isEmpty && tree.mustNot.isEmpty
            if pruning {
                total += try Searcher.runPruned(root, base: base, deleted: deleted, collector: &collector, segment: segment,
                                                countdown: &countdown)
            } else if !keepAll, deleted == nil, let term = Searcher.singleTerm(root) {
                // One term, nothing deleted or filtered out: every posting is a match, so the
                // exact count is the term's passage count, and top-k may skip (Lucene's
                // Weight.count does the same).
                _ = try Searcher.runPruned(root, base: base, deleted: nil, collector: &collector, segment: segment,
                                           countdown: &countdown)
                total += term.postings.cursor.documentFrequency
            } else {
                while root.next() != Int.max {
                    if countdown.step() { break }
                    let current = root.passage
                    if let deleted, deleted.contains(current) { continue }
                    total += 1
                    let score = root.score()
                    if keepAll { all.append(TopPassageCollector.Entry(passage: base + current, score: score)) }
                    collector.collect(passage: base + current, score: score)
                }
            }
            if root.isCorrupt { throw .corrupt(file: segment.path, reason: "a postings list is malformed") }
        }
        let patterns = query.clauses.compactMap { weights[$0]?.resolved }.flatMap(\.alternatives)
        return (collector.results(), total, patterns, all)
    }

    /// Each clause's terms and weight. Weights are corpus-wide, so they are resolved once
    /// for all segments.
    private func clauseWeights(_ query: Query, lookups: TermLookups, model: ScoreModel) throws(IndexError) -> ClauseWeights {
        var weights = ClauseWeights()
        for clause in query.clauses(includingExcluded: true) {
            if let resolved = try resolve(clause, lookups: lookups) {
                weights.add(clause, resolved: resolved, weight: try idf(resolved, lookups: lookups) * model.weightFactor)
            }
        }
        Searcher.rankNamesFirst(&weights)
        return weights
    }

    /// The scorer tree of `query`'s root over segment `s` (its shape, for tests).
    func scorerTree(_ query: Query, segment s: Int) throws(IndexError) -> Scorer? {
        let lookups = TermLookups(reader: reader)
        let model = ScoreModel(bm25: bm25, averageLength: reader.averageLength)
        let weights = try clauseWeights(query, lookups: lookups, model: model)
        return try ScorerBuilder(segment: reader.segments[s], number: s, lookups: lookups, model: model, weights: weights)
            .scorer(for: query.root)
    }

    /// The scorer of the one term `root` stands for, if it stands for one (alone, or the
    /// only member of a sum).
    private static func singleTerm(_ root: Scorer) -> TermScorer? {
        guard let sum = root as? SumScorer else { return root as? TermScorer }
        return sum.scorers.count == 1 ? sum.scorers[0] as? TermScorer : nil
    }

    /// Gives each clause of a name typed as a name (capitalised, or in Arabic script) an
    /// offset larger than every other clause's weights together (each weight bounds its
    /// clause's score), so that a passage naming the name in any spelling ranks above every
    /// passage that does not, and a passage naming more of the query's names above one
    /// naming fewer; BM25 orders passages within each tier.
    static func rankNamesFirst(_ weights: inout ClauseWeights) {
        func typedName(_ clause: Query.Clause) -> Bool {
            if case .names(let pattern) = clause { return pattern.typed } else { return false }
        }
        guard weights.entries.contains(where: { typedName($0.clause) }) else { return }
        let others = weights.entries.filter { !typedName($0.clause) }.reduce(0) { $0 + $1.weight }
        weights.setOffset(others + 1, where: typedName)
    }

    /// Top-k over a disjunction (MaxScore with block-max bounds): a query of one term runs
    /// ``SingleTermLoop``, a query of terms only the MaxScore loop specialised for terms, any
    /// other the loop over the scorer tree. Returns the number of passages scored.
    private static func runPruned(_ root: Scorer, base: Int, deleted: DeletionSet?, collector: inout TopPassageCollector,
                                  segment: SegmentReader, countdown: inout DeadlineCountdown) throws(IndexError) -> Int {
        let members = (root as? SumScorer)?.scorers ?? [root]
        let terms = members.compactMap { $0 as? TermScorer }
        var scored = 0
        var corrupt = false
        if terms.count == 1 && members.count == 1 {
            var loop = SingleTermLoop(postings: terms[0].postings)
            scored = loop.run(base: base, deleted: deleted, collector: &collector, countdown: &countdown)
            corrupt = loop.postings.isCorrupt
        } else if terms.count == members.count {
            var loop = MaxScoreLoop(clauses: terms.map(\.postings))
            scored = loop.run(base: base, deleted: deleted, collector: &collector, countdown: &countdown)
            corrupt = loop.isCorrupt
        } else {
            // The loop holds the scorers unretained: the tree is kept alive around it.
            scored = withExtendedLifetime(root) {
                var loop = MaxScoreLoop(clauses: members.map(ScorerReference.init))
                return loop.run(base: base, deleted: deleted, collector: &collector, countdown: &countdown)
            }
        }
        if corrupt { throw .corrupt(file: segment.path, reason: "a postings list is malformed") }
        return scored
    }

    /// The texts of the documents of `entries` that the index does not keep, read again
    /// through ``sourceText`` on all cores, each document once. Re-extracting the pages is
    /// most of the time such a search takes: ten hits on four pages of the test corpus, two
    /// of them over 1 MB, took 103 ms with the pages read one after another, 72 ms on two
    /// cores (one hit: 15 ms).
    /// A failure is kept for the hit that needs the text, so that errors surface in hit
    /// order; a document that cannot be read from the index is left to that hit too.
    private func readSourceTexts(of entries: [TopPassageCollector.Entry]) -> [String: Result<[UInt8], SearchError>] {
        guard sourceText != nil else { return [:] }
        var documents: [(key: String, document: SegmentReader.Document)] = []
        var seen = Set<String>()
        for entry in entries {
            guard let (segment, local) = reader.locate(entry.passage), segment.textIsExternal,
                  let document = try? segment.document(segment.documentNumber(ofPassage: local)) else { continue }
            let key = Searcher.sourceKey(of: document)
            if seen.insert(key).inserted { documents.append((key, document)) }
        }
        guard !documents.isEmpty else { return [:] }
        let slots = UnsafeMutableBufferPointer<Result<[UInt8], SearchError>?>.allocate(capacity: documents.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        nonisolated(unsafe) let output = slots
        let wanted = documents
        DispatchQueue.concurrentPerform(iterations: wanted.count) { i in output[i] = readSourceText(of: wanted[i].document) }
        var texts: [String: Result<[UInt8], SearchError>] = [:]
        for (i, item) in documents.enumerated() { texts[item.key] = slots[i]! }
        return texts
    }

    /// The UTF-8 text of `document` read again through ``sourceText`` (set), or why not.
    private func readSourceText(of document: SegmentReader.Document) -> Result<[UInt8], SearchError> {
        Result { () throws(SearchError) in Array(try sourceText!(document).utf8) }
    }

    /// Names a document's text among those read again (a JSON Lines file holds several).
    private static func sourceKey(of document: SegmentReader.Document) -> String {
        document.source + "\u{0}" + document.path
    }

    /// A passage's document, as shown, and its position there; `nil` past the snapshot.
    private func place(of passage: Int) throws(IndexError) -> (document: String, ordinal: Int)? {
        guard let (segment, local) = reader.locate(passage) else { return nil }
        let number = segment.documentNumber(ofPassage: local)
        let (path, first) = try segment.documentPath(number)
        return (try reader.shownPath(path, segment: segment, number: number), local - first)
    }

    /// The hits of the scored `entries`: document, passage, and (with `fetchText`) text and
    /// highlights. Texts an index does not keep are read again through ``sourceText``,
    /// each document once.
    private func hits(of entries: [TopPassageCollector.Entry], patterns: [[[String]]], fetchText: Bool,
                      deadline: Deadline) throws(SearchError) -> [SearchHit] {
        let highlighter = Highlighter(shared: sharedAnalyzer)
        var hits: [SearchHit] = []
        hits.reserveCapacity(entries.count)
        var sourceTexts = fetchText ? readSourceTexts(of: entries) : [:]
        try deadline.check()  // reading sources again can take long
        for entry in entries {
            if !fetchText {
                guard let (path, ordinal) = try indexRead({ () throws(IndexError) in try place(of: entry.passage) }) else { continue }
                hits.append(SearchHit(
                    passage: entry.passage, score: entry.score, document: path, title: "", ordinal: ordinal,
                    range: 0..<0, text: "", highlights: [], snippet: Snippet(text: "", highlights: [])))
                continue
            }
            guard let (segment, local) = reader.locate(entry.passage) else { continue }
            let number = segment.documentNumber(ofPassage: local)
            let document = try indexRead { () throws(IndexError) in try segment.document(number) }
            let record = try indexRead { () throws(IndexError) in try segment.passage(local) }
            let text: String
            if segment.textIsExternal {
                guard sourceText != nil else { throw .textNotStored(document: document.path) }
                let key = Searcher.sourceKey(of: document)
                if sourceTexts[key] == nil { sourceTexts[key] = readSourceText(of: document) }
                let bytes = try sourceTexts[key]!.get()
                guard record.range.upperBound <= bytes.count else {
                    throw .sourceText(reason: "'\(document.source)' no longer holds passage \(record.ordinal) of "
                        + "\(document.path) where the index puts it; run `fahras index` to bring the index up to date")
                }
                text = String(decoding: bytes[record.range], as: UTF8.self)
            } else {
                text = try indexRead { () throws(IndexError) in try segment.passageText(local) }
            }
            let highlights = highlighter.highlights(of: patterns, in: text)
            let shown = try indexRead { () throws(IndexError) in try reader.shownPath(document.path, segment: segment, number: number) }
            hits.append(SearchHit(
                passage: entry.passage, score: entry.score, document: shown, title: document.title,
                ordinal: local - document.firstPassage, range: record.range, text: text, highlights: highlights,
                snippet: Snippet(text: text, highlights: highlights), date: document.fields["date"]?.day.map(Schema.isoDate),
                site: document.fields["site"]?.text, url: document.fields["url"]?.text))
        }
        return hits
    }
}

/// The dictionary entries of one query's terms, looked up once in each segment: the parse,
/// the idf and every segment's scorers use the same entries. One search at a time uses it
/// (it is handed from the parse to the search, not shared between searches).
package final class TermLookups: @unchecked Sendable {
    private let reader: IndexReader
    /// The first terms looked up, compared in turn: a query has few words, and a string
    /// compares for less than it hashes (a table grew two or three times for one phrase).
    private var first: [(term: String, infos: [SegmentReader.TermInfo?])] = []
    /// The terms after those (the spellings of a folded name can run to hundreds).
    private var known: [String: [SegmentReader.TermInfo?]] = [:]
    private static let firstCount = 8

    package init(reader: IndexReader) {
        self.reader = reader
    }

    /// The entry of `term` in each segment of the reader.
    func entries(of term: String) throws(IndexError) -> [SegmentReader.TermInfo?] {
        for entry in first where entry.term == term { return entry.infos }
        if !known.isEmpty, let infos = known[term] { return infos }
        let infos = try reader.lookup(term)
        if first.count < TermLookups.firstCount {
            if first.isEmpty { first.reserveCapacity(TermLookups.firstCount) }
            first.append((term, infos))
        } else {
            known[term] = infos
        }
        return infos
    }

    /// Whether the index writes one of `words` as a name: capitalised, as a name, in at least
    /// half the passages that hold it (`aleppo`; not `kernel`, capitalised where a sentence
    /// starts). A word the index lacks counts as one (its other spellings may be there).
    package func writesAsName(_ words: [NamePattern.LatinWord]) throws(IndexError) -> Bool {
        for word in words {
            let passages = try reader.documentFrequency(of: entries(of: word.term))
            if passages == 0 { return true }
            let asName = try reader.documentFrequency(of: entries(of: word.nameTerm))
            if asName * 2 >= passages { return true }
        }
        return false
    }
}
