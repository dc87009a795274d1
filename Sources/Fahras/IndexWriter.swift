import FahrasIndexer

/// Builds and updates an index from files: HTML, text and JSON Lines, in folders or alone.
///
/// Each call is one atomic commit under the index's lock: a failed or interrupted run
/// leaves the previous commit as it was, and a ``SearchIndex`` open on it keeps working.
/// Only what changed is done: new files are added, changed ones replaced, files gone from
/// under a source scanned deleted.
public struct IndexWriter: Sendable {
    /// How to analyse and store; `nil` keeps what the index was built with (or the default
    /// for a new index). A change of analysis rebuilds the whole index.
    public struct Options: Sendable {
        /// Index every file again, discarding the existing index.
        public var rebuild = false
        /// An entity list (TSV, as `Data/entities.tsv`) added to the bundled gazetteer, or
        /// replacing it with ``replacesBundledEntities``; kept in the index.
        public var entityList: String?
        /// Use only ``entityList``, not the bundled gazetteer (for archives of other conflicts).
        public var replacesBundledEntities = false
        /// Fold name spellings and tag entities (default on).
        public var nameFolding: Bool?
        /// Leave passage texts out of the index and read them again from the sources.
        public var externalText: Bool?
        /// Keep figure captions, dropped as page chrome by default.
        public var keepCaptions: Bool?
        /// Index each JSON Lines record as one passage.
        public var wholeRecords: Bool?
        /// Follow symbolic links inside a folder to files outside it (as `fahras index` does
        /// unless `--no-follow-outside`); when `false`, each such link is named in
        /// ``Summary/skipped`` instead.
        public var followsLinksOutside = true
        /// Bytes the new segment may hold before it is written out and another begun.
        public var memoryBudget = IndexingOptions.defaultMemoryBudget
        /// Called as files are done, from the writing thread.
        public var progress: (@Sendable (Progress) -> Void)?

        /// Options that keep what the index was built with; `rebuild` starts over.
        public init(rebuild: Bool = false) {
            self.rebuild = rebuild
        }
    }

    /// Files and bytes done so far.
    public struct Progress: Sendable, Equatable {
        /// Files read so far.
        public var filesDone: Int
        /// Files to read in this run.
        public var filesTotal: Int
        /// Bytes of the files read so far.
        public var bytesDone: UInt64
        /// Bytes of all the files to read.
        public var bytesTotal: UInt64
        /// Seconds since the run began.
        public var seconds: Double

        /// Bytes read a second so far.
        public var bytesPerSecond: Double { seconds > 0 ? Double(bytesDone) / seconds : 0 }
        /// Seconds left at the rate so far, once there is a rate.
        public var secondsLeft: Double? {
            guard bytesDone > 0, seconds > 0 else { return nil }
            return Double(bytesTotal - min(bytesDone, bytesTotal)) / bytesPerSecond
        }
    }

    /// What a run did.
    public struct Summary: Sendable {
        /// Files added, replaced, deleted and left as they were.
        public var added: Int
        /// Files whose content changed, replaced.
        public var updated: Int
        /// Files gone from under a source scanned (or removed), deleted.
        public var deleted: Int
        /// Files left as they were.
        public var unchanged: Int
        /// Files skipped, each with its path and the reason (empty, binary, not UTF-8…).
        public var skipped: [(path: String, reason: String)]
        /// Notices about files that were indexed (a bad JSON Lines field, say).
        public var notices: [(path: String, reason: String)]
        /// Files whose time changed but whose content did not.
        public var touched: Int
        /// Files under the paths passed over for their extension.
        public var ignored: Int
        /// The first few of them (paths as found).
        public var ignoredExamples: [String]
        /// Blocks dropped as site chrome (menus, share bars, comments…) from the files read.
        public var chromeBlocksDropped: Int
        /// Why the whole index was rebuilt, if it was.
        public var rebuildReason: String?
        /// Whether the index was built from nothing.
        public var fresh: Bool
        /// Whether a new commit was written (`false`: nothing had changed).
        public var committed: Bool
        /// Documents and passages in the index after the run.
        public var documents: Int
        /// Live passages in the index after the run.
        public var passages: Int
        /// Segments in the index after the run, segments written by it (more than one when
        /// the memory budget was reached), and merges it made.
        public var segments: Int
        /// Segments the run wrote.
        public var segmentsWritten: Int
        /// Merges the run made.
        public var merges: Int
        /// Distinct terms: of the whole index when it is one segment, else of each new
        /// segment, added up.
        public var terms: Int
        /// Seconds since the run began.
        public var seconds: Double
    }

    /// A folder or file the index is built from, with its live documents.
    public struct Source: Sendable, Equatable {
        /// Absolute, links resolved.
        public var path: String
        /// Live documents from files under it.
        public var documents: Int
        /// Whether it is still there.
        public var exists: Bool
    }

    /// The index directory (created by the first update).
    public let path: String

    /// A writer for the index directory at `path`.
    public init(at path: String = "Index") {
        self.path = path
    }

    /// Brings the index up to date with the files under `paths`, which it adds to the
    /// sources it remembers; with no `paths`, with every source it remembers.
    public func update(paths: [String], options: Options = Options()) throws(FahrasError) -> Summary {
        var inner = IndexingOptions(rebuild: options.rebuild)
        do {
            if let list = options.entityList { inner.entities = try EntityListFile(path: list) }
            if options.replacesBundledEntities { inner.entities = try EntityListFile.replacingBundled(inner.entities) }
        } catch {
            throw FahrasError(error)
        }
        inner.nameFolding = options.nameFolding
        inner.externalText = options.externalText
        inner.keepCaptions = options.keepCaptions
        inner.wholeRecords = options.wholeRecords
        inner.followsLinksOutside = options.followsLinksOutside
        inner.memoryBudget = options.memoryBudget
        if let report = options.progress {
            inner.progress = { progress in
                report(Progress(filesDone: progress.filesDone, filesTotal: progress.filesTotal, bytesDone: progress.bytesDone,
                                bytesTotal: progress.bytesTotal, seconds: progress.seconds))
            }
        }
        do { return Summary(try Indexer().update(paths: paths, directory: path, options: inner)) } catch { throw FahrasError(error) }
    }

    /// Removes the sources `paths` (folders or files the index remembers) and their documents.
    public func remove(sources paths: [String]) throws(FahrasError) -> Summary {
        do { return Summary(try Indexer().remove(paths: paths, directory: path)) } catch { throw FahrasError(error) }
    }

    /// The folders and files the index remembers, with their documents.
    public func sources() throws(FahrasError) -> [Source] {
        do {
            return try Indexer().sources(directory: path).map { Source(path: $0.path, documents: $0.documents, exists: $0.exists) }
        } catch {
            throw FahrasError(error)
        }
    }

    /// Merges the index into one segment, purging deleted passages; scores do not change.
    public func optimize() throws(FahrasError) -> Summary {
        do { return Summary(try Indexer().optimize(directory: path)) } catch { throw FahrasError(error) }
    }
}

extension IndexWriter.Summary {
    init(_ summary: IndexingSummary) {
        let segments = summary.manifest?.segments ?? []
        self.init(added: summary.added, updated: summary.updated, deleted: summary.deleted, unchanged: summary.unchanged,
                  skipped: summary.warnings.map { ($0.path, $0.reason) }, notices: summary.notices.map { ($0.path, $0.reason) },
                  touched: summary.touched, ignored: summary.ignored.count, ignoredExamples: summary.ignored.first, chromeBlocksDropped: summary.boilerplateBlocks,
                  rebuildReason: summary.rebuildReason, fresh: summary.fresh, committed: summary.committed,
                  documents: summary.files, passages: summary.passages, segments: segments.count,
                  segmentsWritten: summary.segmentsWritten, merges: summary.merges,
                  terms: segments.count == 1 ? segments[0].terms : summary.newTerms, seconds: summary.seconds)
    }
}
