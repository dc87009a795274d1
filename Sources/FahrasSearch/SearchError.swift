import FahrasIndex

/// Why a query could not be answered.
package enum SearchError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The query is empty or only white space.
    case emptyQuery
    /// A `"` opens a phrase that is never closed.
    case unbalancedQuote(column: Int)
    /// A `(` is never closed.
    case unbalancedParenthesis(column: Int)
    /// A `)` closes nothing.
    case unexpectedParenthesis(column: Int)
    /// An operator (`AND`, `OR`, `NOT`, `+`, `-`) lacks what it applies to.
    case missingOperand(operator: String, column: Int)
    /// `doc:` or `title:` without a value.
    case emptyFilter(field: String, column: Int)
    /// A field's value cannot be read (`date:2017-13`); `reason` says what is expected.
    case badFilterValue(field: String, value: String, reason: String)
    /// The query, or a group of it, only excludes.
    case onlyExclusions
    /// Lucene syntax Fahras does not take (`feature`: "wildcards are", "boosts are", "fuzzy matching is").
    case unsupported(word: String, feature: String, column: Int)
    /// Parentheses or modifiers nested deeper than `limit`, from `column`.
    case tooDeep(column: Int, limit: Int)
    /// Nothing in the query analyzes to a term (only punctuation, say).
    case noSearchableTerms(query: String)
    /// `actor:NAME` names no entity of the gazetteer.
    case unknownEntity(String)
    /// A name to list the spellings of folds with nothing (a common word, a number).
    case notAName(String)
    /// `fahras show DOC`: no live document is shown as DOC.
    case unknownDocument(String)
    /// Several source files hold a document of that path: each is given as `choices` names it.
    case ambiguousDocument(String, choices: [String], sources: [String])
    /// `fahras show DOC#N`: the document has `count` passages.
    case unknownPassage(document: String, passage: Int, count: Int)
    /// The index could not be read.
    case index(IndexError)
    /// The index keeps no passage texts (`--text external`) and a document's text could not
    /// be read again from its source; `reason` says why and what to do.
    case sourceText(reason: String)
    /// The index was built with `--names off`, so it holds no names: `feature` needs them.
    case namesOff(feature: String)
    /// The index keeps no passage texts and the searcher was given no way to read sources.
    case textNotStored(document: String)
    /// The search ran past the time it was allowed (``SearchOptions/timeLimit``).
    case timedOut(limit: Duration)

    package var description: String {
        switch self {
        case .emptyQuery:
            return "the query is empty; give words to search for, e.g. `fahras search \"al-Tanf\"`"
        case .unbalancedQuote(let column):
            return "the quote at column \(column) opens a phrase that is never closed; add the closing \" or remove it"
        case .unbalancedParenthesis(let column):
            return "the parenthesis at column \(column) is never closed; add the closing ) or remove it"
        case .unexpectedParenthesis(let column):
            return "the ) at column \(column) closes no parenthesis; remove it or add the opening ("
        case .missingOperand(let op, let column):
            return "\(op) at column \(column) has nothing to apply to; put a word, a \"phrase\" or a (group) "
                + (op == "AND" || op == "OR" ? "on both sides of it" : "right after it")
        case .emptyFilter(let field, let column):
            return "\(field) at column \(column) has no value; write e.g. \(field)syria or \(field)\"two words\""
        case .badFilterValue(let field, let value, let reason):
            return "\(field)\(value): \(reason)"
        case .unsupported(let word, let feature, let column):
            return "'\(word)' at column \(column): \(feature) not supported; a name finds its other spellings by itself, "
                + "so write the word whole"
        case .tooDeep(let column, let limit):
            return "the query nests parentheses or +, -, NOT more than \(limit) deep at column \(column); write it flatter"
        case .onlyExclusions:
            return "the query (or a group in it) only excludes (-word, NOT word); add something to find, e.g. `isis -syria`"
        case .noSearchableTerms(let query):
            return "the query '\(query)' has no searchable words (only punctuation or symbols)"
        case .timedOut(let limit):
            return "the search took longer than its limit of \(Deadline.seconds(limit)) and was stopped; narrow the query "
                + "(a phrase, fewer common words, a date or site filter) or allow it more time"
        case .namesOff(let feature):
            return "the index was built with --names off (plain words only), so it has no \(feature); "
                + "rebuild it with names: `fahras index --rebuild --names on`"
        case .unknownEntity(let name):
            return "no entity in the gazetteer is called '\(name)'; `fahras entities --all` lists them, "
                + "and `fahras index --entities FILE` adds one from a list of your own (the format of `fahras entities`'s Data/entities.tsv: id, type, parent, aliases)"
        case .notAName(let name):
            return "'\(name)' is not a name (it is a common English word, a number or an acronym), so it has no spellings to fold"
        case .unknownDocument(let path):
            return "no document of the index is called '\(path)'; give it as results show it (e.g. seeds/001.txt or a JSON Lines id)"
        case .ambiguousDocument(let path, let choices, let sources):
            return "\(sources.count) source files hold a document called '\(path)' (\(sources.joined(separator: ", "))); "
                + "give it with its file, as results show it: " + choices.joined(separator: " or ")
        case .unknownPassage(let document, let passage, let count):
            return "\(document) has \(count) passage\(count == 1 ? "" : "s") (#0 to #\(count - 1)), not #\(passage)"
        case .index(let error):
            return error.description
        case .sourceText(let reason):
            return reason
        case .textNotStored(let document):
            return "the index keeps no copy of passage texts (built with --text external), and this search cannot read "
                + "'\(document)' again; rebuild with `fahras index --text stored` to keep the texts in the index"
        }
    }
}
