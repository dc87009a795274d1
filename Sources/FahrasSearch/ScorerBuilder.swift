import FahrasIndex

/// Turns a query tree into a scorer tree over one segment.
///
/// A group becomes its required members' conjunction (or its optional members' sum when it
/// has none), optional members add their scores to required passages, and excluded members
/// remove passages. A part that matches nothing in the segment disappears; a group that then
/// cannot match, and a required part that matches nothing, make the whole group `nil`.
struct ScorerBuilder {
    let segment: SegmentReader
    /// The segment's number in the reader (its column in `lookups`).
    let number: Int
    let lookups: TermLookups
    let model: ScoreModel
    let weights: [Query.Clause: (Searcher.ResolvedClause, Double)]

    func scorer(for group: Query.Group) throws(IndexError) -> Scorer? {
        var required: [Scorer] = []
        for node in group.must {
            guard let scorer = try scorer(for: node) else { return nil }
            required.append(scorer)
        }
        var optional: [Scorer] = []
        for node in group.should { if let scorer = try scorer(for: node) { optional.append(scorer) } }
        var excluded: [Scorer] = []
        for node in group.mustNot { if let scorer = try scorer(for: node) { excluded.append(scorer) } }

        var result: Scorer
        if required.isEmpty {
            guard !optional.isEmpty else { return nil }
            result = optional.count == 1 && !excluded.isEmpty ? optional[0] : SumScorer(optional)
        } else {
            // Members that score nothing (filters) follow the ones that score.
            required.sort { ($0 is PassageSetScorer ? 1 : 0) < ($1 is PassageSetScorer ? 1 : 0) }
            let base = required.count == 1 ? required[0] : ConjunctionScorer(required)
            result = optional.isEmpty ? base
                : RequiredOptionalScorer(required: base, optional: optional.count == 1 ? optional[0] : SumScorer(optional))
        }
        if !excluded.isEmpty { result = ExclusionScorer(result, excluding: excluded) }
        return result
    }

    private func scorer(for node: Query.Node) throws(IndexError) -> Scorer? {
        switch node {
        case .group(let group): return try scorer(for: group)
        case .filter(let filter): return try scorer(for: filter)
        case .clause(let clause):
            guard let (resolved, weight) = weights[clause], let scorer = try scorer(for: resolved, weight: weight) else { return nil }
            return resolved.offset > 0 ? OffsetScorer(scorer, offset: resolved.offset) : scorer
        }
    }

    private func scorer(for clause: Searcher.ResolvedClause, weight: Double) throws(IndexError) -> Scorer? {
        var scorers: [Scorer] = []
        alternatives: for slots in clause.alternatives {
            var cursors: [UnionCursor] = []
            for slot in slots {
                var postings: [PostingsCursor] = []
                for term in slot {
                    if let info = try lookups.entries(of: term)[number] { postings.append(try segment.postings(info)) }
                }
                if postings.isEmpty { continue alternatives }
                cursors.append(UnionCursor(postings))
            }
            if cursors.count > 1 {
                scorers.append(PhraseScorer(cursors: cursors, norms: segment.norms, model: model, weight: weight))
            } else if cursors[0].cursors.count == 1 {
                scorers.append(TermScorer(cursor: cursors[0].cursors[0], norms: segment.norms, model: model, weight: weight))
            } else {
                scorers.append(SpellingsScorer(cursor: cursors[0], norms: segment.norms, model: model, weight: weight))
            }
        }
        switch scorers.count {
        case 0: return nil
        case 1: return scorers[0]
        default: return BestOfScorer(scorers)
        }
    }

    /// The passages of the documents a filter keeps.
    private func scorer(for filter: Query.Filter) throws(IndexError) -> Scorer? {
        var words = [UInt64](repeating: 0, count: (segment.passageCount + 63) / 64)
        var any = false
        for document in try segment.documents where Self.keeps(filter, document) {
            for p in document.firstPassage..<(document.firstPassage + document.passageCount) {
                words[p >> 6] |= 1 << UInt64(p & 63)
                any = true
            }
        }
        return any ? PassageSetScorer(words: words, passageCount: segment.passageCount) : nil
    }

    static func keeps(_ filter: Query.Filter, _ document: SegmentReader.Document) -> Bool {
        switch filter {
        case .document(let text):
            return document.path.lowercased().contains(text.lowercased())
        case .title(let terms):
            let title = Set(document.title.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
            return terms.allSatisfy { title.contains($0) }
        }
    }
}
