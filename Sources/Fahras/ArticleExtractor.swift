import FahrasIndexer

/// What indexing takes from files, without an index: each article's metadata, its passages
/// and the blocks dropped as site chrome with the rule that dropped each (`fahras extract`).
public struct ArticleExtractor: Sendable {
    /// An article as the extract stage reads it.
    public struct Article: Sendable {
        /// The file (or JSON Lines record) it was read from, as indexing names it.
        public var path: String
        /// The headline.
        public var title: String
        /// Publication day (`YYYY-MM-DD`) and the signal that gave it (`jsonld`, `meta`,
        /// `time`, `url`, `text`), and the modified day, when known.
        public var date: String?
        /// The signal that gave ``date``: `jsonld`, `meta`, `time`, `url` or `text`.
        public var dateSource: String?
        /// The day the article was last modified (`YYYY-MM-DD`), when the page says.
        public var modified: String?
        /// Canonical URL, outlet, authors and language, when known.
        public var url: String?
        /// The outlet: `og:site_name`, else the URL's host without `www.`.
        public var site: String?
        /// The authors named by the page or record.
        public var authors: [String]
        /// The language (`en`, `ar`…): declared, else told from the script of the text.
        public var language: String?
        /// Whether metadata was read at all (HTML and JSON Lines; not plain text).
        public var hasMetadata: Bool
        /// The passages indexing would make, in order.
        public var passages: [String]
        /// Blocks dropped as chrome, each with the rule that dropped it.
        public var dropped: [(text: String, reason: String)]
        /// Why indexing would pass over the article (all chrome), if it would.
        public var skipped: String?
        /// Problems with the article's fields (a bad JSON Lines date, say).
        public var warnings: [String]
    }

    /// A file that cannot be read as indexing would read it.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        /// The file as the user named it (or as found under a named folder).
        public var path: String
        /// Why it cannot be read.
        public var reason: String
        /// The problem as one line: path, reason, and that the file is skipped.
        public var description: String { "\(path): \(reason); skipped" }
    }

    /// Keep figure captions, dropped as chrome by default.
    public var keepCaptions: Bool
    /// Files handed to the cores at once.
    public var filesAtOnce = 64

    /// An extractor that drops captions as chrome, or keeps them with `keepCaptions`.
    public init(keepCaptions: Bool = false) {
        self.keepCaptions = keepCaptions
    }

    /// Reads the files under `paths` (folders walked as by indexing) on every core, a few
    /// at a time, and hands each file's articles to `each` in the order given. Returns the
    /// paths that could not be listed (missing, unreadable), which `each` never sees.
    public func extract(_ paths: [String], each: (Result<[Article], Problem>) -> Void) -> [Problem] {
        let (files, warnings, _) = SourceCollector().collect(paths)
        var pipeline = DocumentPipeline()
        pipeline.extractor.boilerplate.keepsCaptions = keepCaptions
        var start = 0
        while start < files.count {
            let chunk = Array(files[start..<min(start + max(1, filesAtOnce), files.count)])
            start += chunk.count
            for outcome in pipeline.articles(of: chunk) {
                each(outcome.map { $0.map(Article.init) }.mapError { Problem(path: $0.path, reason: $0.reason) })
            }
        }
        return warnings.map { Problem(path: $0.path, reason: $0.reason) }
    }
}

extension ArticleExtractor.Article {
    init(_ article: DocumentPipeline.Article) {
        let m = article.metadata
        self.init(path: article.path, title: article.title, date: m?.date, dateSource: m?.dateSource?.rawValue, modified: m?.modified,
                  url: m?.url, site: m?.site, authors: m?.authors ?? [], language: m?.language, hasMetadata: m != nil,
                  passages: article.passages, dropped: article.dropped, skipped: article.skipped, warnings: article.warnings)
    }
}
