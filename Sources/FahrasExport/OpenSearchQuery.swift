import FahrasAnalysis
import FahrasIndex
import FahrasJSONCore
import FahrasSearch
import Foundation

/// A Fahras query as the OpenSearch query DSL over an export (``OpenSearchExport``): the
/// body of `POST INDEX/_search`.
///
/// Name folding cannot run inside OpenSearch, so every folded clause is resolved here, as a
/// search would resolve it, against this index's dictionary: the spellings that pass
/// Fahras's letter-by-letter check become the clause's terms (or, with
/// ``Spellings/foldKeys``, `prefix` clauses name every term under the name's keys). A phrase is a `span_near` of
/// its slots (each an `span_or` of the terms that may fill it) at consecutive positions of
/// `tokens`; a clause with several readings (a name's phrase or its glued form, a hyphenated
/// word's parts or the joined word) is a `dis_max` of them; a folded clause weighs `boost`
/// 0.5; a name typed as a name adds a constant (`function_score`) larger than what every
/// other clause can score, so passages naming it still rank first. Filters are `filter`
/// clauses: they only remove passages.
package struct OpenSearchQuery {
    package var searcher: Searcher
    /// How a folded name's spellings are named.
    package var spellings = Spellings.checked

    /// How a folded name's spellings are named in the query.
    package enum Spellings: String, Sendable {
        /// The spellings this index holds that pass the letter-by-letter check: a search of
        /// the same passages finds what Fahras finds.
        case checked
        /// Every term filed under the name's fold keys and Arabic skeletons (`prefix`
        /// clauses): also spellings this index lacks, and more that are other names.
        case foldKeys = "fold-keys"
    }

    package init(searcher: Searcher, spellings: Spellings = .checked) {
        self.searcher = searcher
        self.spellings = spellings
    }

    /// What fills a slot: a term, or any term that begins with a prefix.
    enum Match: Hashable {
        case term(String)
        case prefix(String)
    }

    /// A clause as the query names it: readings of slots, a weight, an offset.
    struct Clause {
        var alternatives: [[[Match]]]
        var weight: Double
        var offset = 0.0
    }

    /// No term's idf exceeds this in a shard (Lucene's idf for one passage of 2³¹).
    static let idfBound = log(1 + (Double(Int32.max) + 0.5) / 1.5)

    /// The search body for `query`: the best `size` passages in `sort` order (by default as
    /// `fahras search` orders: by score, or newest first for a query of filters only).
    package func body(for query: Query, size: Int, sort: SearchOptions.Sort?) throws(SearchError) -> JSONValue {
        let clauses = try resolved(query)
        var members: [(String, JSONValue)] = [("size", .int(size)), ("query", group(query.root, clauses))]
        switch sort ?? (query.isFilterOnly ? .newest : .score) {
        case .score: break
        case .date: members.append(("sort", Self.dateOrder("asc")))
        case .newest: members.append(("sort", Self.dateOrder("desc")))
        }
        members.append(("_source", .object(("excludes", .array(["tokens", "words", "title_tokens"].map(JSONValue.string))))))
        return .members(members)
    }

    private typealias Resolved = [Query.Clause: Clause]

    /// Each clause's terms; a name typed as a name gets an offset above a bound of what the
    /// other clauses can score together (boost · idf bound · (k1 + 1) for each of their terms).
    private func resolved(_ query: Query) throws(SearchError) -> Resolved {
        let lookups = TermLookups(reader: searcher.reader)
        var out: Resolved = [:]
        let clauses = query.clauses(includingExcluded: true)
        for clause in clauses where out[clause] == nil {
            if spellings == .foldKeys, case .names(let asked) = clause {
                // A word this index writes as a common word is not a name here either.
                let pattern = try searcher.indexRead { () throws(IndexError) in try searcher.withoutCommonWords(asked, lookups: lookups) }
                if !pattern.alternatives.isEmpty { out[clause] = keyed(pattern) }
                continue
            }
            let resolved = try searcher.indexRead { () throws(IndexError) in try searcher.resolve(clause, lookups: lookups) }
            guard let resolved else { continue }
            out[clause] = Clause(alternatives: resolved.alternatives.map { $0.map { $0.map(Match.term) } }, weight: resolved.weight)
        }
        func typed(_ clause: Query.Clause) -> Bool {
            if case .names(let pattern) = clause { return pattern.typed } else { return false }
        }
        // Summed in the query's order, and whole: the same query prints the same number.
        let bound = clauses.filter { !typed($0) }.compactMap { out[$0] }.reduce(0.0) { sum, clause in
            sum + clause.weight * Double(clause.alternatives.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } }) * Self.idfBound
                * (searcher.bm25.k1 + 1)
        }
        for key in out.keys where typed(key) { out[key]!.offset = bound.rounded(.up) + 1 }
        return out
    }

    /// A folded name by its keys: each name slot any term under the prefixes it is filed by.
    private func keyed(_ pattern: NamePattern) -> Clause {
        let alternatives = pattern.alternatives.map { slots in
            slots.map { slot -> [Match] in
                if case .exact(let term) = slot { return [.term(term)] }
                return searcher.keyPrefixes(of: slot, arabicByLetters: !pattern.arabicFromList).map(Match.prefix)
            }
        }
        return Clause(alternatives: alternatives, weight: searcher.foldedWeight)
    }

    private func node(_ node: Query.Node, _ clauses: Resolved) -> JSONValue {
        switch node {
        case .group(let inner): return group(inner, clauses)
        case .filter(let filter): return Self.filter(filter)
        case .clause(let clause):
            guard let resolved = clauses[clause] else { return Self.matchNone }
            return Self.clause(resolved)
        }
    }

    /// A group as a `bool`: filters in `filter`; with no required member, one optional
    /// member must match (also beside filters, where OpenSearch would make them all optional).
    private func group(_ group: Query.Group, _ clauses: Resolved) -> JSONValue {
        var must: [JSONValue] = [], filters: [JSONValue] = []
        for member in group.must {
            if case .filter = member { filters.append(node(member, clauses)) } else { must.append(node(member, clauses)) }
        }
        let should = group.should.map { node($0, clauses) }, mustNot = group.mustNot.map { node($0, clauses) }
        var members: [(String, JSONValue)] = []
        if !must.isEmpty { members.append(("must", .array(must))) }
        if !filters.isEmpty { members.append(("filter", .array(filters))) }
        if !should.isEmpty { members.append(("should", .array(should))) }
        if !mustNot.isEmpty { members.append(("must_not", .array(mustNot))) }
        if !should.isEmpty && must.isEmpty { members.append(("minimum_should_match", .int(1))) }
        if should.isEmpty && must.isEmpty && filters.isEmpty { return Self.matchNone }
        return .object(("bool", .members(members)))
    }

    static let field = "tokens"
    static let matchNone = JSONValue.object(("match_none", .object()))

    /// A resolved clause: its readings, best of them (`dis_max`), weighted, offset.
    static func clause(_ resolved: Clause) -> JSONValue {
        let readings = resolved.alternatives.map(reading)
        var query = readings.count == 1 && resolved.weight == 1 ? readings[0]
            : .object(("dis_max", .object(("queries", .array(readings)), ("tie_breaker", .double(0)), ("boost", .double(resolved.weight)))))
        if resolved.offset > 0 {
            query = .object(("function_score", .object(
                ("query", query), ("functions", .array([.object(("weight", .double(resolved.offset)))])),
                ("boost_mode", .string("sum")))))
        }
        return query
    }

    /// One reading: a term, spellings of one word (any of them), or a phrase of slots.
    static func reading(_ slots: [[Match]]) -> JSONValue {
        if slots.count == 1 {
            let terms = slots[0].map { match -> JSONValue in
                switch match {
                case .term(let term): return .object(("term", .object((field, .object(("value", .string(term)))))))
                case .prefix(let prefix): return .object(("prefix", .object((field, .object(("value", .string(prefix)))))))
                }
            }
            return terms.count == 1 ? terms[0] : .object(("bool", .object(("should", .array(terms)), ("minimum_should_match", .int(1)))))
        }
        let spans = slots.map { slot -> JSONValue in
            let terms = slot.map { match -> JSONValue in
                switch match {
                case .term(let term): return .object(("span_term", .object((field, .string(term)))))
                case .prefix(let prefix):
                    return .object(("span_multi", .object(("match", .object(("prefix", .object((field, .object(("value", .string(prefix)))))))))))
                }
            }
            return terms.count == 1 ? terms[0] : .object(("span_or", .object(("clauses", .array(terms)))))
        }
        return .object(("span_near", .object(("clauses", .array(spans)), ("slop", .int(0)), ("in_order", .bool(true)))))
    }

    /// A filter as the export's fields hold it (``FieldFilters`` says what each matches).
    static func filter(_ filter: Query.Filter) -> JSONValue {
        switch filter {
        case .document(let text):
            return wildcard("doc", "*" + escaped(text.lowercased()) + "*")
        case .title(let terms):
            guard !terms.isEmpty else { return matchNone }
            return .object(("bool", .object(("filter", .array(terms.map { term("title_tokens", $0) })))))
        case .date(let field, let days):
            var bounds: [(String, JSONValue)] = []
            if days.lowerBound > Int32.min + 1 { bounds.append(("gte", .string(Schema.isoDate(days.lowerBound)))) }
            if days.upperBound < Int32.max { bounds.append(("lte", .string(Schema.isoDate(days.upperBound)))) }
            bounds.append(("format", .string("strict_date")))
            return .object(("range", .object((field, .members(bounds)))))
        case .keyword("site", let value):
            return .object(("bool", .object(
                ("should", .array([term("site", value), term("host", value), wildcard("host", "*." + escaped(value))])),
                ("minimum_should_match", .int(1)))))
        case .keyword("author", let value):
            return wildcard("author", "*" + escaped(value) + "*")
        case .keyword(let field, let value):
            return term(field, value)
        }
    }

    static func term(_ field: String, _ value: String) -> JSONValue {
        .object(("term", .object((field, .object(("value", .string(value)))))))
    }

    static func wildcard(_ field: String, _ pattern: String) -> JSONValue {
        .object(("wildcard", .object((field, .object(("value", .string(pattern)), ("case_insensitive", .bool(true)))))))
    }

    /// `text` with the wildcard syntax's own characters escaped.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "*" || character == "?" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// By date, undated passages last, then by score.
    static func dateOrder(_ order: String) -> JSONValue {
        .array([.object(("date", .object(("order", .string(order)), ("missing", .string("_last"))))), .string("_score")])
    }
}
