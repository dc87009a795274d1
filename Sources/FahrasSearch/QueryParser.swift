import FahrasAnalysis

/// Turns query text into a ``Query`` with the same analyzer the index was built with.
///
/// Syntax: words, and `"quoted phrases"`. Each word is analyzed; a word that analyzes to
/// several terms (`al-Tanf`, `US-backed`, `T-4`) becomes the phrase of its parts, so it
/// matches `al-Tanf` and `al Tanf` alike. Words and phrases are combined with OR and
/// scored by sum; a clause given twice counts once.
public struct QueryParser: Sendable {
    public var analyzer: Analyzer

    public init(analyzer: Analyzer = .standard) {
        self.analyzer = analyzer
    }

    public func parse(_ text: String) throws(SearchError) -> Query {
        if text.allSatisfy(\.isWhitespace) { throw .emptyQuery }
        var clauses: [Query.Clause] = []
        var seen = Set<Query.Clause>()
        func add(_ clause: Query.Clause?) {
            if let clause, seen.insert(clause).inserted { clauses.append(clause) }
        }
        var rest = Substring(text)
        while let quote = rest.firstIndex(of: "\"") {
            for word in rest[..<quote].split(whereSeparator: \.isWhitespace) { add(clause(for: String(word))) }
            let afterQuote = rest.index(after: quote)
            guard let close = rest[afterQuote...].firstIndex(of: "\"") else {
                throw .unbalancedQuote(column: text.distance(from: text.startIndex, to: quote) + 1)
            }
            add(clause(for: String(rest[afterQuote..<close])))
            rest = rest[rest.index(after: close)...]
        }
        for word in rest.split(whereSeparator: \.isWhitespace) { add(clause(for: String(word))) }
        if clauses.isEmpty { throw .noSearchableTerms(query: text) }
        return Query(text: text, clauses: clauses)
    }

    /// The clause for a word or a phrase's text: its non-variant terms in position order.
    private func clause(for text: String) -> Query.Clause? {
        let terms = analyzer.analyze(text).filter { !$0.isVariant }.map(\.term)
        switch terms.count {
        case 0: return nil
        case 1: return .term(terms[0])
        default: return .phrase(terms)
        }
    }
}
