import FahrasAnalysis

/// A parsed query: clauses combined as a disjunction, scored by the sum of the clauses
/// that match (as Lucene's BooleanQuery of SHOULD clauses).
public struct Query: Equatable, Sendable {
    /// One part of a query.
    public enum Clause: Hashable, Sendable {
        /// A single term, as written.
        case term(String)
        /// Terms that must occur at consecutive positions, in order.
        case phrase([String])
        /// Every spelling of a name word or phrase that folds with it (resolved against
        /// the index dictionary at search time); weighted below exact matches.
        case names(NamePattern)
        /// Any mention of a gazetteer entity (`actor:NAME`), by id.
        case entity(String)
    }

    /// The query as the user typed it.
    public var text: String
    public var clauses: [Clause]

    public init(text: String, clauses: [Clause]) {
        self.text = text
        self.clauses = clauses
    }
}
