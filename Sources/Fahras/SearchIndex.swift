import FahrasAnalysis
import FahrasIndex
import FahrasIndexer
import FahrasSearch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One commit of an index, open for searching: the entry point of the library.
///
/// ```swift
/// let index = try SearchIndex(at: "Index")
/// let results = try index.search("Deir Ezzor", options: SearchOptions(limit: 5))
/// for hit in results.hits { print(hit.title, hit.snippet) }
/// ```
///
/// A `SearchIndex` is a value that never changes: it keeps serving the commit it opened
/// while `fahras index` (or an ``IndexWriter``) commits another. ``hasNewerCommit`` tells
/// when there is one, and ``reopened()`` opens it. It may be used from any number of
/// threads at once.
public struct SearchIndex: Sendable {
    /// The index directory.
    public let path: String
    let searcher: Searcher
    /// What `manifest.json` was when this commit was opened: a commit replaces it by a rename.
    private let manifestStamp: FileStamp?

    /// Opens the last commit of the index at `path`, with the analysis it was built with
    /// (the bundled gazetteer plus the entity list kept in the index).
    public init(at path: String = "Index") throws(FahrasError) {
        let directory = IndexDirectory(path: path)
        self.path = path
        // Read before opening: a commit between the two makes the stamp older than the
        // commit, which only costs one extra reopen.
        manifestStamp = FileStamp(of: directory.manifestPath)
        var chosen: Analyzer?
        let reader: IndexReader
        do {
            reader = try directory.open { manifest in
                let analyzer = try EntityListFile.analyzer(for: manifest, in: directory)
                chosen = analyzer
                return analyzer.signature
            }
        } catch {
            throw FahrasError(any: error)
        }
        var searcher = Searcher(reader: reader, analyzer: chosen ?? .standard)
        searcher.readSourceTexts(with: SourceText(for: reader.manifest))
        self.searcher = searcher
    }

    /// Makes a read of an index file that another program cut short (a SIGBUS on its memory
    /// map) end the process with one line naming the file, not a crash report. For programs
    /// that own their process, as the command line does; a signal handler is process-wide.
    package static func reportFilesCutShort() { TruncationGuard.install() }

    /// The commit's number: each commit adds one.
    public var generation: Int { searcher.reader.manifest.generation }

    /// Whether another commit has replaced this one on disk since it was opened.
    public var hasNewerCommit: Bool {
        FileStamp(of: IndexDirectory(path: path).manifestPath) != manifestStamp
    }

    /// The index's last commit, opened anew.
    public func reopened() throws(FahrasError) -> SearchIndex {
        try SearchIndex(at: path)
    }

    /// Searches with the query syntax of `fahras search` (words, "phrases", actor:NAME,
    /// +must, -exclude, AND/OR/NOT, parentheses, date:/site:/lang:/author:/title:/doc:
    /// filters, =exact).
    public func search(_ query: String, options: SearchOptions = SearchOptions()) throws(FahrasError) -> SearchResults {
        try Self.check(options)
        do {
            let lookups = TermLookups(reader: searcher.reader)
            return try search(parsed: try parse(query, options: options, searcher: searcher, lookups: lookups), options: options,
                              lookups: lookups)
        } catch {
            throw FahrasError(error)
        }
    }

    /// ``search(_:options:)`` of a parsed query, its options checked.
    private func search(parsed: Query, options: SearchOptions, lookups: TermLookups) throws(SearchError) -> SearchResults {
        // Ranked by score, nothing collapsed or counted: the plain top-k, without the
        // grouping and ordering passes.
        if !options.collapse && options.facets.isEmpty && (options.sort ?? .score) == .score && !parsed.isFilterOnly {
            let results = try searcher.search(parsed, limit: Self.wanted(options), fetchText: options.fetchText,
                                              countAll: options.exactTotal, timeLimit: options.timeLimit, lookups: lookups)
            return SearchResults(results, offset: options.offset)
        }
        var inner = FahrasSearch.SearchOptions(limit: Self.wanted(options),
                                               sort: options.sort.map { FahrasSearch.SearchOptions.Sort(rawValue: $0.rawValue)! },
                                               facets: options.facets.map(\.rawValue), collapse: options.collapse)
        inner.keepTemplates = options.keepTemplates
        inner.fetchText = options.fetchText
        inner.countAll = options.exactTotal
        inner.timeLimit = options.timeLimit
        let results = try searcher.search(parsed, options: inner, lookups: lookups)
        return SearchResults(results, offset: options.offset)
    }

    /// The passages to rank: those shown and those the offset skips; a limit past the
    /// passages is all of them, and the sum must not overflow on the way.
    private static func wanted(_ options: SearchOptions) -> Int {
        let (wanted, overflow) = options.limit.addingReportingOverflow(options.offset)
        return overflow ? Int.max : wanted
    }

    /// The best passages for `query` by score, as document id, position and score only:
    /// what a caller printing ids needs (the `--stdin` benchmark protocol), without the hits'
    /// titles, fields and texts. Nothing is collapsed or counted: `options` must not ask for
    /// collapsing, facets or a date order (``search(_:options:)`` does those); its text setting
    /// is not used.
    public func rank(_ query: String, options: SearchOptions) throws(FahrasError) -> [RankedPassage] {
        try Self.check(options)
        guard !options.collapse, options.facets.isEmpty, (options.sort ?? .score) == .score else {
            throw FahrasError(.badOption, "rank orders passages by score without collapsing copies or counting facets; use search for those")
        }
        do {
            let lookups = TermLookups(reader: searcher.reader)
            let parsed = try parse(query, options: options, searcher: searcher, lookups: lookups)
            // Filters alone score nothing: their passages come newest first, as search lists them.
            if parsed.isFilterOnly {
                var listed = options
                listed.fetchText = false
                return try search(parsed: parsed, options: listed, lookups: lookups).hits
                    .map { RankedPassage(document: $0.document, passage: $0.passage, score: $0.score) }
            }
            let ranked = try searcher.ranked(parsed, limit: Self.wanted(options), countAll: options.exactTotal,
                                             timeLimit: options.timeLimit, lookups: lookups)
            return ranked.dropFirst(options.offset).map { RankedPassage(document: $0.document, passage: $0.ordinal, score: $0.score) }
        } catch {
            throw FahrasError(error)
        }
    }

    /// Refuses a limit, offset or time limit no search can take.
    private static func check(_ options: SearchOptions) throws(FahrasError) {
        guard options.limit > 0 else { throw FahrasError(.badOption, "limit must be a positive number, got \(options.limit)") }
        guard options.offset >= 0 else { throw FahrasError(.badOption, "offset must not be negative, got \(options.offset)") }
        if let limit = options.timeLimit, limit <= .zero {
            throw FahrasError(.badOption, "the time limit must be positive, got \(limit)")
        }
    }

    /// The query text with the options' dates and actors added as filters and clauses; with
    /// `lookups`, the words typed in lower case that the index does not write as names get no
    /// folded clause (``QueryParser/writesAsName``), their entries kept for the search.
    func parse(_ text: String, options: SearchOptions, searcher: Searcher, lookups: TermLookups? = nil) throws(SearchError) -> Query {
        var parser = QueryParser(shared: searcher.sharedAnalyzer, foldNames: options.foldNames)
        if let lookups, options.foldNames { parser.ask(lookups) }
        var parsed = Query(text: "", clauses: [])
        if !text.isEmpty || options.actors.isEmpty { parsed = try parser.parse(text) }
        // A bound is a year, a month or a day: since takes its first day, until its last.
        if let since = options.since {
            let days = try FieldFilters.days(since, field: "since ")
            parsed = parsed.filtered(by: .date(field: "date", days: days.lowerBound...Int32.max))
        }
        if let until = options.until {
            let days = try FieldFilters.days(until, field: "until ")
            parsed = parsed.filtered(by: .date(field: "date", days: (Int32.min + 1)...days.upperBound))
        }
        for name in options.actors {
            for id in try parser.entities(named: name) where !parsed.root.should.contains(.clause(.entity(id))) {
                parsed.root.should.append(.clause(.entity(id)))
            }
            parsed.text += (parsed.text.isEmpty ? "" : " ") + "--actor " + name
        }
        return parsed
    }

    /// The live document `id` (a path as indexed, or a JSON Lines record's id), with all its
    /// passages or only `passage`.
    public func document(_ id: String, passage: Int? = nil) throws(FahrasError) -> Document {
        do {
            let shown = try searcher.show(id, passage: passage)
            return Document(id: shown.path, title: shown.title, source: shown.source, fields: shown.fields,
                            passages: shown.passages.map { ($0.ordinal, $0.text) }, passageCount: shown.passageCount)
        } catch {
            throw FahrasError(error)
        }
    }

    /// Every spelling in the index that folds with `name` (one word or several, in either
    /// script), most frequent first; the spelling asked for too, when present.
    public func variants(of name: String) throws(FahrasError) -> [Spelling] {
        do { return try searcher.variants(of: name).map(Spelling.init) } catch { throw FahrasError(error) }
    }

    /// The gazetteer's entities the index mentions (every entity with `includingUnmentioned`),
    /// most mentioned first.
    public func entities(includingUnmentioned: Bool = false) throws(FahrasError) -> [EntitySummary] {
        guard let gazetteer = searcher.analyzer.names?.gazetteer else { throw FahrasError(SearchError.namesOff(feature: "entities to list")) }
        var rows: [EntitySummary] = []
        do {
            for entity in gazetteer.entities {
                let passages = try searcher.reader.documentFrequency(NameTerms.entity(entity.id))
                guard passages > 0 || includingUnmentioned else { continue }
                let forms = passages == 0 ? [] : try searcher.writtenForms(
                    of: Query(text: QueryParser.entityOperator + entity.id, clauses: [.entity(entity.id)]))
                rows.append(EntitySummary(id: entity.id, type: entity.type, parent: entity.parent, aliases: entity.aliases,
                                          passages: passages, spellings: forms.map(Spelling.init)))
            }
        } catch {
            throw FahrasError(any: error)
        }
        return rows.sorted { $0.passages != $1.passages ? $0.passages > $1.passages : $0.id < $1.id }
    }

    /// What the commit holds: counts, segments, article fields, sources.
    public var statistics: IndexStatistics {
        let reader = searcher.reader
        let manifest = reader.manifest
        let segments = manifest.segments.map { segment in
            IndexStatistics.Segment(file: segment.file, documents: segment.documents, deletedDocuments: segment.deleted.count,
                                    passages: segment.passages, terms: segment.terms, bytes: segment.bytes)
        }
        let fields = reader.fieldSummaries().map { summary in
            IndexStatistics.Field(name: summary.field.name, documents: summary.documents,
                                  firstDate: summary.range.map { Schema.isoDate($0.lowerBound) },
                                  lastDate: summary.range.map { Schema.isoDate($0.upperBound) }, values: summary.values)
        }
        return IndexStatistics(
            path: path, format: manifest.format, formatVersion: manifest.version, segmentFormatVersion: Int(SegmentFormat.version),
            generation: manifest.generation, committed: manifest.committed, analyzer: manifest.analyzer.signature,
            textsExternal: manifest.keepsTextsExternal, documents: reader.documentCount, passages: reader.passageCount,
            terms: reader.termCount, positions: manifest.statistics.totalLength, averagePassageLength: reader.averageLength,
            segments: segments, fields: fields, sources: manifest.sources)
    }
}

/// A file's identity and last change, enough to see it replaced by a rename.
struct FileStamp: Equatable {
    var inode: UInt64
    var device: UInt64
    var modified: Int
    var modifiedNanoseconds: Int
    var size: Int64

    init?(of path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        device = UInt64(info.st_dev)
        modified = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        size = Int64(info.st_size)
    }
}

extension Searcher {
    /// Reads the passages of an index that keeps no texts (`--text external`) again from
    /// the source files through `source`.
    package mutating func readSourceTexts(with source: SourceText) {
        sourceText = { document throws(SearchError) in
            do { return try source.text(of: document) } catch { throw .sourceText(reason: String(describing: error)) }
        }
    }
}

extension Spelling {
    init(_ form: WrittenForm) {
        self.init(text: form.text, occurrences: form.occurrences, passages: form.passages)
    }
}

extension SearchResults {
    /// The stage's results from `offset` on, as the library's types.
    init(_ results: FahrasSearch.SearchResults, offset: Int) {
        let hits = results.hits.dropFirst(offset).map(Hit.init)
        self.init(query: results.query.text, total: results.total, totalIsExact: results.totalIsExact, hits: hits,
                  facets: results.facets.map { facet in
                      Facet(field: SearchOptions.FacetField(rawValue: facet.field)!,
                            values: facet.values.map { Facet.Value(value: $0.value, passages: $0.passages, documents: $0.documents) })
                  },
                  sort: SearchOptions.Sort(rawValue: results.sort.rawValue)!, spellings: SearchResults.spellings(in: hits))
    }

    /// A highlighted span as a spelling: its words joined by single spaces. A span of
    /// printable ASCII without a space (most of them) is taken as it is, without splitting
    /// it into characters.
    static func spelling(_ span: Substring) -> String {
        if span.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) { return String(span) }
        return span.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The words highlighted in `hits`, white space collapsed, counted; most frequent first,
    /// then in order of appearance. Read from the hits alone: counting over every match
    /// would read every matching passage (``SearchIndex/variants(of:)`` counts a name over
    /// the whole index from its dictionary instead).
    static func spellings(in hits: [Hit]) -> [Spelling] {
        var order: [String] = []
        var counts: [String: (occurrences: Int, passages: Int)] = [:]
        for hit in hits {
            var seen: Set<String> = []
            for range in hit.highlights {
                let text = SearchResults.spelling(hit.text[range])
                if counts[text] == nil { order.append(text) }
                counts[text, default: (0, 0)].occurrences += 1
                if seen.insert(text).inserted { counts[text, default: (0, 0)].passages += 1 }
            }
        }
        let ranked = order.enumerated().sorted { a, b in
            let (x, y) = (counts[a.element]!.occurrences, counts[b.element]!.occurrences)
            return x != y ? x > y : a.offset < b.offset
        }
        return ranked.map { Spelling(text: $0.element, occurrences: counts[$0.element]!.occurrences, passages: counts[$0.element]!.passages) }
    }
}

extension Hit {
    init(_ hit: SearchHit) {
        self.init(document: hit.document, passage: hit.ordinal, score: hit.score, title: hit.title, date: hit.date,
                  site: hit.site, url: hit.url, text: hit.text, highlights: hit.text.ranges(ofUTF8: hit.highlights),
                  snippet: hit.snippet.text, snippetHighlights: hit.snippet.text.ranges(ofUTF8: hit.snippet.highlights),
                  copies: hit.copies.map { Copy(document: $0.document, passage: $0.ordinal, date: $0.date, site: $0.site) })
    }
}

extension String {
    /// UTF-8 byte ranges as index ranges; a range past the end or off a character boundary
    /// is left out.
    func ranges(ofUTF8 ranges: [Range<Int>]) -> [Range<String.Index>] {
        let count = utf8.count
        return ranges.compactMap { range in
            guard range.lowerBound >= 0, range.upperBound <= count, range.lowerBound <= range.upperBound else { return nil }
            let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            let upper = utf8.index(lower, offsetBy: range.count)
            guard let start = lower.samePosition(in: self), let end = upper.samePosition(in: self) else { return nil }
            return start..<end
        }
    }
}
