import FahrasExtract
import FahrasIndexer

/// An article a program holds in memory (from a scraper, a feed, a database), to be indexed
/// with ``IndexWriter/update(records:removing:in:options:)``.
public struct Record: Sendable, Equatable {
    /// What the article is shown and found by (`doc:` in a query); unique within its file.
    public var id: String
    /// The headline: searchable, and shown as the title.
    public var title: String
    /// The article's text; blank lines separate its paragraphs.
    public var text: String
    /// The publication date (`2017-03-04`, or a time as ISO 8601 writes it).
    public var date: String?
    /// Where the article was published.
    public var url: String?
    /// The outlet, such as `Enab Baladi`; without it, the host of ``url``.
    public var site: String?
    /// Who wrote it.
    public var author: String?
    /// Its language code (`ar`, `en`); without it, told from the script of the text.
    public var language: String?

    /// An article with the fields given.
    public init(id: String, title: String = "", text: String, date: String? = nil, url: String? = nil,
                site: String? = nil, author: String? = nil, language: String? = nil) {
        self.id = id
        self.title = title
        self.text = text
        self.date = date
        self.url = url
        self.site = site
        self.author = author
        self.language = language
    }
}

extension IndexWriter {
    /// What ``update(records:removing:in:options:)`` did to the records file, and the
    /// indexing run that followed.
    public struct RecordsSummary: Sendable {
        /// Ids of the records appended to the file.
        public var added: [String]
        /// Ids of the records that replaced one the file held.
        public var replaced: [String]
        /// Ids of the records removed from the file.
        public var removed: [String]
        /// Ids asked to be removed that the file did not hold.
        public var notFound: [String]
        /// The indexing run that brought the index up to date with the file.
        public var index: Summary
    }

    /// Writes `records` into the JSON Lines file `file` and brings the index up to date with
    /// it, in one call: records are added, or replace the record with the same id, and the
    /// records whose ids are in `removing` are deleted.
    ///
    /// The file (created if missing, in a folder that exists; it must end in `.jsonl` or
    /// `.ndjson`) holds the records, as any JSON Lines source does: a rebuild reads them
    /// again, and its lines are what `fahras index` would read. Lines of other records are
    /// kept as they are, new records appended. The file is rewritten whole and re-indexed
    /// whole, so keep files of a size you are happy to re-index on each call (one a day,
    /// say). The file is replaced atomically under a lock, so writers in several processes
    /// do not lose each other's records.
    ///
    /// - Throws: ``FahrasError/Reason/badInput`` for unusable records (an empty id, an id
    ///   given twice, or both given and removed) or a bad line already in the file (with its
    ///   line number); nothing is written then. Once the file is written, an error of the
    ///   indexing run (the index locked by another writer, say) leaves the records in the
    ///   file, and the next ``update(paths:options:)`` indexes them.
    public func update(records: [Record], removing: [String] = [], in file: String,
                       options: Options = Options()) throws(FahrasError) -> RecordsSummary {
        let given = records.map { record in
            var line = JSONLinesRecord(id: record.id, title: record.title, text: record.text, line: 0)
            let fields = [("date", record.date), ("url", record.url), ("site", record.site),
                          ("author", record.author), ("lang", record.language)]
            for case let (name, value?) in fields { line.fields[name] = value }
            return line
        }
        let change: RecordsFile.Change
        do { change = try RecordsFile.merge(given, removing: removing, into: file) } catch { throw FahrasError(error) }
        let summary: Summary
        do {
            summary = change.remaining > 0 ? try update(paths: [file], options: options) : try emptied(file, options: options)
        } catch {
            throw FahrasError(error.reason, error.message + "; the records were written to '\(file)', and the next update indexes them")
        }
        return RecordsSummary(added: change.added, replaced: change.replaced, removed: change.removed,
                              notFound: change.notFound, index: summary)
    }

    /// The index without the documents of `file`, which holds no record any more: an update of
    /// it alone would stop at "nothing to index" (a wrong path, as far as it can tell).
    private func emptied(_ file: String, options: Options) throws(FahrasError) -> Summary {
        do {
            return try remove(sources: [file])
        } catch where error.reason == .badInput {
            // Not a source by itself (it lies in a source folder): scanning the sources again
            // finds it empty and deletes its documents.
            return try update(paths: [], options: options)
        }
    }
}
