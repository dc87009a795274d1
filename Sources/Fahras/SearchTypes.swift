/// What to search for besides the query text, and how to return the hits.
public struct SearchOptions: Sendable, Equatable {
    /// The order of the hits.
    public enum Sort: String, Sendable, CaseIterable {
        /// Best score first (the default for a query that scores).
        case score
        /// Oldest publication date first; undated passages last.
        case date
        /// Newest first; undated passages last (the default for a query of filters only).
        case newest = "-date"
    }

    /// The fields a facet counts over every match.
    public enum FacetField: String, Sendable, CaseIterable {
        /// The gazetteer entities the matching passages name.
        case actor
        /// The outlet.
        case site
        /// The publication year, and month (`2017-03`).
        case year, month
        /// The language (`en`, `ar`…).
        case lang
        /// The authors.
        case author
        /// Which signal gave the article's date (`jsonld`, `meta`, `time`, `url`, `text`).
        case dateSource = "date_source"
    }

    /// Hits to return (groups of copies, when collapsing).
    public var limit = 10
    /// Hits to skip first, for paging.
    public var offset = 0
    /// `nil`: by score, or newest first for a query made only of filters.
    public var sort: Sort?
    /// Fields to count over every match, in the order the results list them.
    public var facets: [FacetField] = []
    /// Show a passage republished elsewhere as one hit listing its copies.
    public var collapse = true
    /// Show passages whose text stands on five or more articles of one site (teasers, bios).
    public var keepTemplates = false
    /// Find every spelling of a name and the aliases of an entity (`false`: words as written).
    public var foldNames = true
    /// Only articles published on or after / on or before these days: `2017`, `2017-03` or
    /// `2017-03-04` (a year or month stands for its first day in `since`, its last in `until`).
    public var since: String?
    /// Only articles published on or before this day (see ``since``).
    public var until: String?
    /// Entities whose mentions also match (as `actor:NAME` in the query).
    public var actors: [String] = []
    /// Read each hit's text and highlights (`false`: ids and scores only, faster).
    public var fetchText = true
    /// Count every match so ``SearchResults/total`` is exact (`false` lets top-k skip).
    public var exactTotal = true
    /// Stop a search that takes longer, with a ``FahrasError`` of reason
    /// ``FahrasError/Reason/timedOut`` (`nil`: no limit). A server sets one per request.
    public var timeLimit: Duration?

    /// Options for `limit` hits from `offset`, in order `sort`, with `facets`; the rest as their defaults.
    public init(limit: Int = 10, offset: Int = 0, sort: Sort? = nil, facets: [FacetField] = []) {
        self.limit = limit
        self.offset = offset
        self.sort = sort
        self.facets = facets
    }
}

/// A passage ranked by ``SearchIndex/rank(_:options:)``: which one, and its score.
public struct RankedPassage: Sendable, Equatable {
    /// The document's id: its path as indexed, or a JSON Lines record's id.
    public var document: String
    /// The passage's position in its document, from 0.
    public var passage: Int
    /// The BM25 score, as ``Hit/score``.
    public var score: Double

    public init(document: String, passage: Int, score: Double) {
        self.document = document
        self.passage = passage
        self.score = score
    }
}

/// The hits of a query, with counts over all its matches.
public struct SearchResults: Sendable {
    /// The query as given (with `--actor`-style additions spelled out).
    public var query: String
    /// Matching passages (an estimate when ``totalIsExact`` is false).
    public var total: Int
    /// Whether ``total`` counts every match (see ``SearchOptions/exactTotal``).
    public var totalIsExact: Bool
    /// The hits from ``SearchOptions/offset``, at most ``SearchOptions/limit``.
    public var hits: [Hit]
    /// The facets asked for, in the order asked.
    public var facets: [Facet]
    /// The order the hits are in.
    public var sort: SearchOptions.Sort
    /// The written forms matched in the hits returned, most frequent first (`Deir Ezzor`,
    /// `Dayr al-Zawr`, `دير الزور` for a name); `occurrences` and `passages` count them in
    /// these hits only. Empty when ``SearchOptions/fetchText`` is off.
    public var spellings: [Spelling]
}

/// One matching passage and the article it belongs to.
public struct Hit: Sendable {
    /// The document's id: its path as indexed, or a JSON Lines record's id.
    public var document: String
    /// The passage's position in its document, from 0.
    public var passage: Int
    /// The BM25 score: a sum over the query's matching clauses, other spellings weighted below exact ones.
    public var score: Double
    /// The article's headline.
    public var title: String
    /// Publication day (`2017-03-04`), outlet and canonical URL, when known.
    public var date: String?
    /// The outlet, when known.
    public var site: String?
    /// The article's canonical URL, when known.
    public var url: String?
    /// The passage's text (empty when ``SearchOptions/fetchText`` is off).
    public var text: String
    /// The matched words in ``text``.
    public var highlights: [Range<String.Index>]
    /// An excerpt of about 240 bytes around the first match, and its matched words.
    public var snippet: String
    /// The matched words in ``snippet``.
    public var snippetHighlights: [Range<String.Index>]
    /// Near-duplicates of this passage in other articles, earliest first.
    public var copies: [Copy]
}

/// A near-duplicate of a hit's passage in another article.
public struct Copy: Sendable, Equatable {
    /// The copy's document id.
    public var document: String
    /// The copy's position in its document, from 0.
    public var passage: Int
    /// Its article's publication day (`YYYY-MM-DD`), when known.
    public var date: String?
    /// Its article's outlet, when known.
    public var site: String?
}

/// Counts of one field over every matching passage.
public struct Facet: Sendable, Equatable {
    /// One value of the field and its counts.
    public struct Value: Sendable, Equatable {
        /// The value as indexed (an entity id for `actor`, `2017` for `year`).
        public var value: String
        /// Matching passages with this value, and the documents they are in.
        public var passages: Int
        /// Documents those passages are in.
        public var documents: Int
    }

    /// The field counted.
    public var field: SearchOptions.FacetField
    /// Most passages first (ties by value); `year` and `month` in time order.
    public var values: [Value]
}

/// A spelling as written in the indexed text, with its counts.
public struct Spelling: Sendable, Equatable {
    /// The text as written (white space collapsed), e.g. `Deir Ezzur`.
    public var text: String
    /// Times it is written.
    public var occurrences: Int
    /// Passages that hold it.
    public var passages: Int
}

/// A document as the index holds it.
public struct Document: Sendable {
    /// The document's id: its path as indexed, or a JSON Lines record's id.
    public var id: String
    /// Its headline.
    public var title: String
    /// The source file it was read from (absolute).
    public var source: String
    /// Its article fields that have a value, in schema order (dates as `YYYY-MM-DD`).
    public var fields: [(name: String, value: String)]
    /// Its passages (only the one asked for, if one was).
    public var passages: [(passage: Int, text: String)]
    /// Passages in the whole document.
    public var passageCount: Int
}

/// A gazetteer entity and how the index mentions it.
public struct EntitySummary: Sendable {
    /// Its id (the name `actor:` takes), type (`actor` or `place`) and parent entity.
    public var id: String
    /// Its kind: `actor` or `place`.
    public var type: String
    /// The entity it is part of (US forces: the United States), if any.
    public var parent: String?
    /// Its names in the gazetteer, in either script.
    public var aliases: [String]
    /// Passages naming it (or one of its parts).
    public var passages: Int
    /// Its spellings in the indexed text, most frequent first.
    public var spellings: [Spelling]
}

/// What an index holds.
public struct IndexStatistics: Sendable {
    /// One segment file of the commit.
    public struct Segment: Sendable {
        /// Its file name in the index directory.
        public var file: String
        /// Documents in it, deleted or not.
        public var documents: Int
        /// Documents of it that are deleted (replaced or gone).
        public var deletedDocuments: Int
        /// Passages, deleted or not.
        public var passages: Int
        /// Distinct terms.
        public var terms: Int
        /// Its size on disk.
        public var bytes: UInt64
    }

    /// Documents with an article field, its range for dates, its most frequent values.
    public struct Field: Sendable {
        /// The field's name (`date`, `site`, `lang`…).
        public var name: String
        /// Documents with the field.
        public var documents: Int
        /// For a date field, the earliest day (`YYYY-MM-DD`).
        public var firstDate: String?
        /// For a date field, the latest day.
        public var lastDate: String?
        /// For a keyword field, its values, most documents first.
        public var values: [(value: String, documents: Int)]
    }

    /// The index directory.
    public var path: String
    /// The on-disk format's name (`fahras-index`).
    public var format: String
    /// The manifest format's version (docs/index-format.md).
    public var formatVersion: Int
    /// The segment format's version this build writes.
    public var segmentFormatVersion: Int
    /// The commit's number (each commit adds one) and when it was made (ISO 8601).
    public var generation: Int
    /// When the commit was made (ISO 8601).
    public var committed: String
    /// The analysis the index was built with.
    public var analyzer: String
    /// Whether passage texts are read again from the source files.
    public var textsExternal: Bool
    /// Live documents.
    public var documents: Int
    /// Live passages.
    public var passages: Int
    /// Distinct terms, added up over the segments.
    public var terms: Int
    /// Word positions in the live passages.
    public var positions: UInt64
    /// Mean live passage length in words (BM25's avgdl).
    public var averagePassageLength: Double
    /// Its segment files.
    public var segments: [Segment]
    /// The article fields and how many documents have each.
    public var fields: [Field]
    /// The folders and files the index is built from.
    public var sources: [String]
}
