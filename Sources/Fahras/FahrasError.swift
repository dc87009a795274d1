import FahrasAnalysis
import FahrasIndex
import FahrasIndexer
import FahrasSearch

/// Why an operation of the library failed: a ``Reason`` to switch on, and a message for
/// people that names the file, line or query involved and what to do.
public struct FahrasError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure a caller can tell apart.
    public enum Reason: String, Sendable, CaseIterable {
        /// No index at the path given: build one with ``IndexWriter/update(paths:options:)``.
        case indexNotFound
        /// The index files are damaged, or of a version this build cannot read.
        case indexDamaged
        /// Another process is writing the index.
        case indexLocked
        /// The query cannot be parsed or names nothing searchable (``FahrasError/message``
        /// gives the column).
        case badQuery
        /// A search option is out of range (a negative offset, an unknown facet, a bad date).
        case badOption
        /// No live document (or passage) by that id.
        case documentNotFound
        /// An index built with external texts cannot read its source file again.
        case sourceUnreadable
        /// Input to index is unusable: no files, a bad entity list, a path that is not a source.
        case badInput
        /// Reading or writing a file failed (permissions, a full disk).
        case fileSystem
        /// A search ran past ``SearchOptions/timeLimit`` and was stopped.
        case timedOut
    }

    /// What kind of failure it is.
    public var reason: Reason
    /// One line for people.
    public var message: String

    /// An error of kind `reason`, told to people by `message`.
    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = FahrasError.visible(message)
    }

    /// The ``message``.
    public var description: String { message }

    /// `text` with its control characters written as `\u{1B}` (``IndexError/visible(_:)``).
    package static func visible(_ text: String) -> String { IndexError.visible(text) }
}

extension FahrasError {
    init(_ error: IndexError) {
        switch error {
        case .notFound: self.init(.indexNotFound, error.description)
        case .locked: self.init(.indexLocked, error.description)
        case .io: self.init(.fileSystem, error.description)
        case .manifestMissing, .missingFile, .corrupt, .unsupportedVersion, .analyzerMismatch:
            self.init(.indexDamaged, error.description)
        }
    }

    init(_ error: SearchError) {
        switch error {
        case .index(let inner): self.init(inner)
        case .unknownDocument, .unknownPassage, .ambiguousDocument: self.init(.documentNotFound, error.description)
        case .sourceText, .textNotStored: self.init(.sourceUnreadable, error.description)
        case .namesOff: self.init(.badQuery, error.description)
        case .timedOut: self.init(.timedOut, error.description)
        case .badFilterValue: self.init(.badOption, error.description)
        case .emptyQuery, .unbalancedQuote, .unbalancedParenthesis, .unexpectedParenthesis, .missingOperand,
             .emptyFilter, .onlyExclusions, .tooDeep, .unsupported, .noSearchableTerms, .unknownEntity, .notAName:
            self.init(.badQuery, error.description)
        }
    }

    init(_ error: IndexerError) {
        switch error {
        case .index(let inner): self.init(FahrasError(inner).reason, error.description)
        case .damaged(let inner):
            let converted = FahrasError(inner)
            self.init(converted.reason == .indexNotFound ? .indexNotFound : converted.reason, error.description)
        case .nothingToIndex, .noSources, .notASource, .entities, .records: self.init(.badInput, error.description)
        case .watch: self.init(.fileSystem, error.description)
        }
    }

    init(_ error: AnalysisError) {
        self.init(.badInput, error.description)
    }

    /// Any error the stages throw, by its type.
    init(any error: any Error) {
        switch error {
        case let error as FahrasError: self = error
        case let error as IndexError: self.init(error)
        case let error as SearchError: self.init(error)
        case let error as IndexerError: self.init(error)
        case let error as AnalysisError: self.init(error)
        default: self.init(.fileSystem, String(describing: error))
        }
    }
}
