import FahrasAnalysis
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
    let weights: ClauseWeights

    func scorer(for group: Query.Group) throws(IndexError) -> Scorer? {
        var required: [Scorer] = []
        var filters: [Scorer] = []
        for node in group.must {
            guard let scorer = try scorer(for: node) else { return nil }
            if case .filter = node { filters.append(scorer) } else { required.append(scorer) }
        }
        var optional: [Scorer] = []
        for node in Self.flattened(group.should) { if let scorer = try scorer(for: node) { optional.append(scorer) } }
        var excluded: [Scorer] = []
        for node in group.mustNot { if let scorer = try scorer(for: node) { excluded.append(scorer) } }

        // Filters only remove passages: the optional members are still needed when nothing
        // else scores (`title:Idlib ISIS` is the passages naming ISIS), and a group of
        // filters alone keeps what they all keep.
        var result: Scorer
        if required.isEmpty && optional.isEmpty {
            guard !filters.isEmpty else { return nil }
            result = filters.count == 1 ? filters[0] : ConjunctionScorer(filters)
        } else if required.isEmpty {
            let sum = optional.count == 1 && (!excluded.isEmpty || !filters.isEmpty) ? optional[0] : SumScorer(optional)
            result = filters.isEmpty ? sum : ConjunctionScorer([sum] + filters)
        } else {
            // Members that score nothing (filters) follow the ones that score.
            let all = required + filters
            let base = all.count == 1 ? all[0] : ConjunctionScorer(all)
            result = optional.isEmpty ? base
                : RequiredOptionalScorer(required: base, optional: optional.count == 1 ? optional[0] : SumScorer(optional))
        }
        if !excluded.isEmpty { result = ExclusionScorer(result, excluding: excluded) }
        return result
    }

    /// Optional members with each group of optional members only (a word: its exact term or
    /// its folded spellings) replaced by those members: the sum and the passages matched are
    /// the same, and the top-k loop then bounds and skips each clause on its own, where a
    /// nested sum could only be walked passage by passage.
    static func flattened(_ nodes: [Query.Node]) -> [Query.Node] {
        guard nodes.contains(where: { if case .group(let inner) = $0 { inner.must.isEmpty && inner.mustNot.isEmpty } else { false } }) else {
            return nodes
        }
        return nodes.flatMap { node -> [Query.Node] in
            if case .group(let inner) = node, inner.must.isEmpty, inner.mustNot.isEmpty { return flattened(inner.should) }
            return [node]
        }
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
            var lists: [[PostingsCursor]] = []
            for slot in slots {
                var postings: [PostingsCursor] = []
                for term in slot {
                    if let info = try lookups.entries(of: term)[number] { postings.append(try segment.postings(info)) }
                }
                if postings.isEmpty { continue alternatives }
                lists.append(postings)
            }
            if lists.count > 1 {
                scorers.append(PhraseScorer(cursors: lists.map(UnionCursor.init), norms: segment.norms, model: model, weight: weight))
            } else if lists[0].count == 1 {
                scorers.append(TermScorer(cursor: lists[0][0], norms: segment.norms, model: model, weight: weight))
            } else {
                scorers.append(SpellingsScorer(cursor: UnionCursor(lists[0]), norms: segment.norms, model: model, weight: weight))
            }
        }
        switch scorers.count {
        case 0: return nil
        case 1: return scorers[0]
        default: return BestOfScorer(scorers)
        }
    }

    /// The passages a search of the segment passes over: the deleted ones and those the
    /// query's top-level `filters` remove. `.some(nil)`: none; `nil`: all of them.
    func skipped(deleted: DeletionSet?, filters: [Query.Filter]) throws(IndexError) -> DeletionSet?? {
        guard !filters.isEmpty else { return .some(deleted) }
        var kept = try passages(keptBy: filters[0])
        for filter in filters.dropFirst() {
            let more = try passages(keptBy: filter)
            for i in kept.indices { kept[i] &= more[i] }
        }
        guard kept.contains(where: { $0 != 0 }) else { return nil }
        return .some(DeletionSet(keeping: kept, passageCount: segment.passageCount, deleted: deleted))
    }

    /// The passages of the documents a filter keeps.
    private func scorer(for filter: Query.Filter) throws(IndexError) -> Scorer? {
        let words = try passages(keptBy: filter)
        return words.contains { $0 != 0 } ? PassageSetScorer(words: words, passageCount: segment.passageCount) : nil
    }

    /// The passages of the documents `filter` keeps, a bit each.
    func passages(keptBy filter: Query.Filter) throws(IndexError) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: (segment.passageCount + 63) / 64)
        for document in try documents(keptBy: filter) {
            for p in segment.passages(ofDocument: document) { words[p >> 6] |= 1 << UInt64(p & 63) }
        }
        return words
    }

    /// The numbers of the documents `filter` keeps, in order.
    private func documents(keptBy filter: Query.Filter) throws(IndexError) -> [Int] {
        let all = 0..<segment.documentCount
        let fields = segment.fields
        switch filter {
        case .document(let text):
            let documents = try segment.documents
            return all.filter { documents[$0].path.lowercased().contains(text.lowercased()) }
        case .title(let terms):
            return try documents(titled: terms)
        case .date(let field, let days):
            let day = fields.dates(field)
            return all.filter { day($0).map(days.contains) ?? false }
        case .keyword(let field, let value):
            // A site is asked for by its name or by its URL's host.
            let columns = field == "site" ? ["site", "host"] : [field]
            let kept = columns.map { name in
                Set(fields.values(name).indices.filter { FieldFilters.matches(field: name, stored: fields.values(name)[$0], asked: value) })
            }
            let ordinals = columns.map(fields.ordinals)
            return all.filter { d in columns.indices.contains { c in ordinals[c](d).map(kept[c].contains) ?? false } }
        }
    }

    /// The documents whose title holds every one of `terms` (indexed with their first passage).
    private func documents(titled terms: [String]) throws(IndexError) -> [Int] {
        var kept: Set<Int>?
        for term in terms {
            var found = Set<Int>()
            if let info = try segment.lookup(Analyzer.titlePrefix + term) {
                var cursor = try segment.postings(info)
                while cursor.next() { found.insert(segment.documentNumber(ofPassage: cursor.passage)) }
                if cursor.isCorrupt { throw .corrupt(file: segment.path, reason: "a postings list is malformed") }
            }
            kept = kept.map { $0.intersection(found) } ?? found
        }
        return (kept ?? []).sorted()
    }
}
