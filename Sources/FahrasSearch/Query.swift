import FahrasAnalysis

/// A parsed query: a tree of boolean groups over scoring clauses, as Lucene's BooleanQuery.
///
/// A group matches a passage when every `must` member and every filter matches it, no
/// `mustNot` member does, and, if it has neither `must` members nor filters, at least one
/// `should` member does. Its score is the sum of the scores of its matching `must` and
/// `should` members; filters and exclusions score nothing.
package struct Query: Equatable, Sendable {
    /// One scoring part of a query.
    package enum Clause: Hashable, Sendable {
        /// A single term, as written.
        case term(String)
        /// Terms that must occur at consecutive positions, in order.
        case phrase([String])
        /// One written word of several parts (`al-Tanf`, `T-4`): its parts as a phrase, or
        /// the parts written together (`altanf`, `t4`), whichever scores higher.
        case compound(parts: [String], joined: String)
        /// Every spelling of a name word or phrase that folds with it (resolved against
        /// the index dictionary at search time); weighted below exact matches.
        case names(NamePattern)
        /// Any mention of a gazetteer entity (`actor:NAME`), by id.
        case entity(String)

        /// Hashes the kind and one word: clauses are hashed for every query, a name pattern's
        /// alternatives cost more to hash than to compare, and equal clauses still hash alike.
        package func hash(into hasher: inout Hasher) {
            switch self {
            case .term(let term): hasher.combine(0); hasher.combine(term)
            case .phrase(let terms): hasher.combine(1); hasher.combine(terms.first)
            case .compound(_, let joined): hasher.combine(2); hasher.combine(joined)
            case .names(let pattern): hasher.combine(3); hasher.combine(pattern.written.first)
            case .entity(let id): hasher.combine(4); hasher.combine(id)
            }
        }
    }

    /// A restriction on the document a passage comes from; it scores nothing and only ever
    /// removes passages.
    package enum Filter: Hashable, Sendable {
        /// `doc:TEXT`: the document's path contains TEXT (ASCII letters compared without case).
        case document(String)
        /// `title:WORDS`: the document's title holds every term of WORDS (analysed as the
        /// title was).
        case title([String])
        /// `date:…`, `--since`, `--until`: the document's date field (`field`) lies in the
        /// days (since 1970) of `days`; an undated document never does.
        case date(field: String, days: ClosedRange<Int32>)
        /// `site:`, `lang:`, `author:`: the document's keyword field matches `value`
        /// (``FieldFilters``).
        case keyword(field: String, value: String)
    }

    /// The query with `filter` added to what every passage must satisfy.
    package func filtered(by filter: Filter) -> Query {
        var copy = self
        if !copy.root.must.contains(.filter(filter)) { copy.root.must.append(.filter(filter)) }
        return copy
    }

    /// Whether the query scores nothing: it only filters (and excludes).
    package var isFilterOnly: Bool {
        root.should.isEmpty && root.must.allSatisfy { if case .filter = $0 { return true } else { return false } }
    }

    /// A node of the query tree.
    package indirect enum Node: Hashable, Sendable {
        case clause(Clause)
        case filter(Filter)
        case group(Group)
    }

    /// A boolean group (see ``Query``).
    package struct Group: Hashable, Sendable {
        package var should: [Node] = []
        package var must: [Node] = []
        package var mustNot: [Node] = []

        package init(should: [Node] = [], must: [Node] = [], mustNot: [Node] = []) {
            self.should = should
            self.must = must
            self.mustNot = mustNot
        }
    }

    /// The query as the user typed it.
    package var text: String
    /// The whole query.
    package var root: Group

    package init(text: String, root: Group) {
        self.text = text
        self.root = root
    }

    /// A disjunction of `clauses` (any may match; scores add up).
    package init(text: String, clauses: [Clause]) {
        self.init(text: text, root: Group(should: clauses.map(Node.clause)))
    }

    /// Every scoring clause of the query that is not excluded, in order (for highlighting).
    package var clauses: [Clause] { clauses(includingExcluded: false) }

    /// Every clause of the query, excluded ones too when asked, in order.
    package func clauses(includingExcluded: Bool) -> [Clause] {
        var out: [Clause] = []
        var seen: Set<Clause> = []
        func walk(_ group: Group) {
            for list in [group.must, group.should, includingExcluded ? group.mustNot : []] {
                for node in list {
                    switch node {
                    case .clause(let clause): appendNew(clause, to: &out, seen: &seen)
                    case .group(let inner): walk(inner)
                    case .filter: break
                    }
                }
            }
        }
        walk(root)
        return out
    }
}

/// Appends `element` to `list` unless it is there already. A short list is searched (a
/// query's few clauses hash slower than they compare); a long one's elements are hashed into
/// `seen` (searching a query of 20,000 words took 7 s).
func appendNew<Element: Hashable>(_ element: Element, to list: inout [Element], seen: inout Set<Element>) {
    if list.count < 16 {
        if !list.contains(element) { list.append(element) }
        return
    }
    if seen.isEmpty { seen = Set(list) }
    if seen.insert(element).inserted { list.append(element) }
}
