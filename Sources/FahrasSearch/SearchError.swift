import FahrasIndex

/// Why a query could not be answered.
public enum SearchError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The query is empty or only white space.
    case emptyQuery
    /// A `"` opens a phrase that is never closed.
    case unbalancedQuote(column: Int)
    /// Nothing in the query analyzes to a term (only punctuation, say).
    case noSearchableTerms(query: String)
    /// The index could not be read.
    case index(IndexError)

    public var description: String {
        switch self {
        case .emptyQuery:
            return "the query is empty; give words to search for, e.g. `fahras search \"al-Tanf\"`"
        case .unbalancedQuote(let column):
            return "the quote at column \(column) opens a phrase that is never closed; add the closing \" or remove it"
        case .noSearchableTerms(let query):
            return "the query '\(query)' has no searchable words (only punctuation or symbols)"
        case .index(let error):
            return error.description
        }
    }
}
