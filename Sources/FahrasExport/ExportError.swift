import FahrasIndex
import FahrasSearch

/// Why an export failed. Nothing is left at the destination when it does.
package enum ExportError: Error, CustomStringConvertible {
    /// The destination exists and holds files: an export writes a folder of its own.
    case destinationNotEmpty(path: String)
    /// A term would not survive the `tokens` field's analysis (it holds a space or the
    /// stack separator); a crafted entity list is the only way to make one.
    case unsafeTerm(term: String, document: String, passage: Int)
    case index(IndexError)
    case search(SearchError)

    package var description: String {
        switch self {
        case .destinationNotEmpty(let path):
            return "'\(path)' already holds files; export into a new or empty folder"
        case .unsafeTerm(let term, let document, let passage):
            return "passage \(passage) of \(document) has the term '\(term)', which holds a space or a control character; "
                + "OpenSearch's whitespace tokenizer would split it"
        case .index(let error): return error.description
        case .search(let error): return error.description
        }
    }
}
