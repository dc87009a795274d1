import FahrasAnalysis

/// Turns query text into a ``Query`` with the same analyzer the index was built with.
///
/// Syntax: words, `"quoted phrases"`, and `actor:NAME` or `actor:"NAME WITH SPACES"`.
/// - Each word is analyzed; a word that analyzes to several terms (`al-Tanf`, `US-backed`,
///   `T-4`) becomes the phrase of its parts, so it matches `al-Tanf` and `al Tanf` alike.
/// - A word or phrase that holds a name also gets a folded clause: every spelling of the
///   name in the index (`Deir Ezzor` finds `Dayr al-Zawr`), weighted below the exact one.
/// - `actor:NAME` finds every passage that names the gazetteer entity NAME is an alias
///   or spelling of (`actor:Daesh` finds `ISIS` and `Islamic State`).
/// Clauses are combined with OR and scored by sum; a clause given twice counts once.
public struct QueryParser: Sendable {
    public var analyzer: Analyzer

    /// The operator that names an entity.
    public static let entityOperator = "actor:"

    public init(analyzer: Analyzer = .standard) {
        self.analyzer = analyzer
    }

    public func parse(_ text: String) throws(SearchError) -> Query {
        if text.allSatisfy(\.isWhitespace) { throw .emptyQuery }
        var clauses: [Query.Clause] = []
        var seen = Set<Query.Clause>()
        func add(_ clause: Query.Clause) {
            if seen.insert(clause).inserted { clauses.append(clause) }
        }
        let characters = Array(text)
        var i = 0
        /// The text of a quoted phrase starting at the quote at `i`; moves past it.
        func quoted() throws(SearchError) -> String {
            let open = i
            guard let close = characters[(i + 1)...].firstIndex(of: "\"") else {
                throw .unbalancedQuote(column: open + 1)
            }
            i = close + 1
            return String(characters[(open + 1)..<close])
        }
        func word() -> String {
            let start = i
            while i < characters.count, !characters[i].isWhitespace, characters[i] != "\"" { i += 1 }
            return String(characters[start..<i])
        }
        while i < characters.count {
            if characters[i].isWhitespace { i += 1; continue }
            if characters[i] == "\"" {
                for clause in self.clauses(for: try quoted()) { add(clause) }
                continue
            }
            let rest = String(characters[i..<min(characters.count, i + QueryParser.entityOperator.count)])
            if rest.lowercased() == QueryParser.entityOperator {
                i += QueryParser.entityOperator.count
                let name = i < characters.count && characters[i] == "\"" ? try quoted() : word()
                for id in try entities(named: name) { add(.entity(id)) }
                continue
            }
            for clause in self.clauses(for: word()) { add(clause) }
        }
        if clauses.isEmpty { throw .noSearchableTerms(query: text) }
        return Query(text: text, clauses: clauses)
    }

    /// The clauses for a word or a phrase's text: its non-variant terms in position order,
    /// and its folded form when it holds a name.
    private func clauses(for text: String) -> [Query.Clause] {
        let tokens = analyzer.words(text)
        let terms = tokens.filter { !$0.isVariant }.map(\.term)
        var out: [Query.Clause] = []
        switch terms.count {
        case 0: return []
        case 1: out.append(.term(terms[0]))
        default: out.append(.phrase(terms))
        }
        if let pattern = analyzer.names?.pattern(for: tokens, text: text) { out.append(.names(pattern)) }
        return out
    }

    /// The gazetteer entities `name` is an alias or a spelling of.
    public func entities(named name: String) throws(SearchError) -> [String] {
        guard let names = analyzer.names, !name.allSatisfy(\.isWhitespace) else { throw .unknownEntity(name) }
        var ids = names.entities(named: analyzer.words(name), text: name)
        if ids.isEmpty, name.uppercased() != name {
            ids = names.entities(named: analyzer.words(name.uppercased()), text: name.uppercased())
        }
        guard !ids.isEmpty else { throw .unknownEntity(name) }
        return ids
    }
}
