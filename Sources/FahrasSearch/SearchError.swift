import FahrasIndex

/// Why a query could not be answered.
public enum SearchError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The query is empty or only white space.
    case emptyQuery
    /// A `"` opens a phrase that is never closed.
    case unbalancedQuote(column: Int)
    /// Nothing in the query analyzes to a term (only punctuation, say).
    case noSearchableTerms(query: String)
    /// `actor:NAME` names no entity of the gazetteer.
    case unknownEntity(String)
    /// A name to list the spellings of folds with nothing (a common word, a number).
    case notAName(String)
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
        case .unknownEntity(let name):
            return "no entity in the gazetteer is called '\(name)'; `fahras entities --all` lists them, "
                + "and a line in Index/entities.tsv (then `fahras index`) adds one"
        case .notAName(let name):
            return "'\(name)' is not a name (it is a common English word, a number or an acronym), so it has no spellings to fold"
        case .index(let error):
            return error.description
        }
    }
}
