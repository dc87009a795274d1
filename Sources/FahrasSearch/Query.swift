/// A parsed query: clauses combined as a disjunction, scored by the sum of the clauses
/// that match (as Lucene's BooleanQuery of SHOULD clauses).
public struct Query: Equatable, Sendable {
    /// One part of a query.
    public enum Clause: Hashable, Sendable {
        /// A single term.
        case term(String)
        /// Terms that must occur at consecutive positions, in order.
        case phrase([String])

        /// The terms of the clause.
        public var terms: [String] {
            switch self {
            case .term(let term): return [term]
            case .phrase(let terms): return terms
            }
        }
    }

    /// The query as the user typed it.
    public var text: String
    public var clauses: [Clause]

    public init(text: String, clauses: [Clause]) {
        self.text = text
        self.clauses = clauses
    }
}
