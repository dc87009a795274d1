import Dispatch
import Foundation
import FahrasAnalysis
import FahrasIndex
import FahrasExtract

/// One `fahras index` run, step by step: open what the last commit left (``init``), decide
/// which folders and files to scan (``scan(_:)``), compare them with the live documents
/// (``compare(_:)``), read and analyse what changed (``read(_:batchSize:)``), and publish it
/// all in one commit (``commit(_:)``). The caller holds the index's lock throughout.
struct IndexingRun {
    let index: IndexDirectory
    let options: IndexingOptions
    var summary = IndexingSummary()
    /// The last commit (`nil` for a first build, or when it cannot be used).
    private var previous: Manifest?
    /// Its segments, unless the run starts over.
    private var reader: IndexReader?
    private var pipeline: DocumentPipeline
    private let analyzer: Manifest.AnalyzerRecord
    private let list: EntityListFile?
    private let externalText: Bool
    private var draft: CommitDraft
    private var builder: SegmentBuilder
    /// Opened by the first segment written; if the run fails, it removes what it wrote.
    private var transaction: IndexTransaction?
    /// When the run began to look at the source files.
    private var scanned: UInt64 = 0
    /// Whether a manifest was there but could not be used (another version, damaged): its
    /// sources are unknown.
    private var sourcesLost = false
    /// The JSON Lines records this run indexed (their ids may clash with another file's).
    private var addedRecords: Set<RecordKey> = []
    /// The files that could not be indexed, for the manifest (``Manifest/Skipped``).
    private var skipped: [Manifest.Skipped] = []

    /// Reads the last commit and settles the analyzer and text storage; says why the index
    /// must be rebuilt, if it must.
    init(directory: String, pipeline: DocumentPipeline, options: IndexingOptions) throws(IndexerError) {
        index = IndexDirectory(path: directory)
        self.options = options
        var summary = IndexingSummary()
        let (previous, lost) = try IndexingRun.lastCommit(of: index, options: options, summary: &summary)
        sourcesLost = lost
        var pipeline = pipeline
        list = try IndexingRun.entityList(options, previous: previous, index: index, pipeline: &pipeline, summary: summary)
        let builtExtraction = previous?.analyzer.parts[IndexingRun.extractionPart]
        pipeline.extractor.boilerplate.keepsCaptions = options.keepCaptions
            ?? builtExtraction?.contains(DocumentExtractor.captionsMark) ?? false
        pipeline.wholeRecords = options.wholeRecords ?? builtExtraction?.contains(DocumentPipeline.wholeRecordsMark) ?? false
        var record = Manifest.AnalyzerRecord(signature: pipeline.analyzer.signature, parts: pipeline.analyzer.configuration)
        record.parts[IndexingRun.extractionPart] = pipeline.signature
        analyzer = record
        func wordsOnly(_ record: Manifest.AnalyzerRecord) -> Bool { record.parts["code"]?.hasSuffix("-words") ?? false }
        if summary.rebuildReason == nil, let previous, wordsOnly(previous.analyzer) != wordsOnly(record) {
            // Folding switched on or off: every part differs, and none of them is the reason.
            summary.rebuildReason = wordsOnly(record)
                ? "name folding is now off (--names off): plain words only"
                : "name folding is now on (--names on): every spelling and the entities are indexed"
        }
        if summary.rebuildReason == nil, let previous, previous.analyzer.signature != record.signature {
            let changed = Set(previous.analyzer.parts.keys).union(record.parts.keys)
                .filter { previous.analyzer.parts[$0] != record.parts[$0] }.sorted()
            let what = changed.isEmpty ? "the analyzer" : changed.map(Analyzer.describe(configurationPart:)).joined(separator: ", ")
            summary.rebuildReason = "\(what) changed since the index was built"
        }
        if summary.rebuildReason == nil, previous != nil, builtExtraction != pipeline.signature {
            summary.rebuildReason = IndexingRun.extractionChange(from: builtExtraction, to: pipeline.signature)
        }
        externalText = options.externalText ?? previous?.keepsTextsExternal ?? false
        if summary.rebuildReason == nil, let previous, previous.keepsTextsExternal != externalText {
            summary.rebuildReason = externalText
                ? "passage texts are now left out of the index (--text external)"
                : "passage texts are now kept in the index (--text stored)"
        }
        if summary.rebuildReason == nil, let previous {
            do {
                reader = try index.open(analyzer: previous.analyzer.signature)
            } catch IndexError.unsupportedVersion(_, let found, let supported) {
                summary.rebuildReason = "the index's segments have format version \(found), this fahras writes version \(supported)"
            } catch {
                throw .damaged(error)
            }
        }
        self.previous = previous
        self.pipeline = pipeline
        self.summary = summary
        draft = CommitDraft(reader)
        builder = SegmentBuilder(externalText: externalText)
    }

    /// The analyzer record's part that names the extraction (``DocumentExtractor/signature``):
    /// apart from the analyzer's signature, which readers compare, since search never extracts.
    static let extractionPart = "extraction"

    /// Why the index is rebuilt when its extraction changed.
    static func extractionChange(from built: String?, to now: String) -> String {
        let captions = DocumentExtractor.captionsMark, whole = DocumentPipeline.wholeRecordsMark
        func rules(_ signature: String) -> String {
            signature.replacingOccurrences(of: captions, with: "").replacingOccurrences(of: whole, with: "")
        }
        guard let built, rules(built) == rules(now) else {
            return "the extraction rules (another fahras version, or chrome-sections.txt / boilerplate-phrases.txt) changed since the index was built"
        }
        if built.contains(captions) != now.contains(captions) {
            return now.contains(captions) ? "figure captions are now kept (--keep captions)" : "figure captions are now dropped (--keep none)"
        }
        return now.contains(whole) ? "JSON Lines records are now whole passages (--whole-records)"
            : "JSON Lines records are now cut into passages (--no-whole-records)"
    }

    /// The last commit, unless starting over. A damaged one stops the run: only an explicit
    /// --rebuild may discard it.
    private static func lastCommit(of index: IndexDirectory, options: IndexingOptions,
                                   summary: inout IndexingSummary) throws(IndexerError) -> (Manifest?, lost: Bool) {
        var previous: Manifest?
        var lost = false
        do {
            previous = try index.readManifest()
        } catch IndexError.unsupportedVersion(_, let found, _) {
            summary.rebuildReason = "the index has format version \(found), this fahras writes version \(Manifest.currentVersion)"
            lost = true
        } catch {
            if !options.rebuild { throw .damaged(error) }
            lost = true
        }
        if previous == nil, summary.rebuildReason == nil, case .manifestMissing = index.missingManifestError() {
            // Files of a first build killed before its commit, or a deleted manifest: the
            // sources are the truth, so build anew, and say so.
            summary.rebuildReason = "'\(index.path)/\(Manifest.fileName)' is missing, though index files are there "
                + "(an interrupted first build, or a deleted manifest)"
        }
        if options.rebuild { summary.rebuildReason = "--rebuild" }
        return (previous, lost)
    }

    /// The entity list to index with (the given one, or the one the index was built with),
    /// set into `pipeline`'s analyzer with the name-folding choice.
    private static func entityList(_ options: IndexingOptions, previous: Manifest?, index: IndexDirectory,
                                   pipeline: inout DocumentPipeline, summary: IndexingSummary) throws(IndexerError) -> EntityListFile? {
        do {
            let list = try options.entities ?? EntityListFile.list(of: previous, in: index)
            if list != nil { pipeline.analyzer = try EntityListFile.analyzer(with: list) }
            let wordsOnly = previous?.analyzer.signature == Analyzer.wordChain.signature && summary.rebuildReason == nil
            if options.nameFolding == false || (options.nameFolding == nil && wordsOnly) { pipeline.analyzer = .wordChain }
            return list
        } catch let error as IndexError {
            throw .damaged(error)
        } catch let error as AnalysisError {
            throw .entities(error)
        } catch {
            throw .index(.io(path: index.path, operation: "read the entity list of", message: String(describing: error)))
        }
    }

    // MARK: Sources

    /// What a run scans: folders and files (absolute, links resolved), and the sources the
    /// index remembers after it.
    struct Scan {
        /// The PATHs as the user gave them (for messages).
        var given: [String]
        /// Where to look for files, as given (paths that exist).
        var paths: [String]
        /// Their real paths: a live document under one of them whose file is not found is deleted.
        var roots: [String]
        /// Sources recorded in the new commit.
        var remembered: [String]
        /// Whether the user named PATHs (else every remembered source is scanned).
        var explicit: Bool
    }

    /// The folders and files to scan: `paths` if given (added to the sources remembered),
    /// else every remembered source. A rebuild scans every remembered source too, so that
    /// starting over loses no document. A remembered source that is gone is kept, with its
    /// documents, and a warning (`fahras remove` forgets it).
    mutating func scan(_ paths: [String]) throws(IndexerError) -> Scan {
        scanned = Indexer.now()
        let known = previous?.sources ?? []
        if paths.isEmpty && known.isEmpty { throw .noSources(index: index.path, unreadable: sourcesLost) }
        var wanted = paths.map { ($0, SourceRoots.resolve($0)) }
        if paths.isEmpty || reader == nil {
            for source in known where !wanted.contains(where: { $0.1 == source }) { wanted.append((source, source)) }
        }
        var scan = Scan(given: paths.isEmpty ? known : paths, paths: [], roots: [], remembered: known, explicit: !paths.isEmpty)
        for (path, root) in wanted {
            let exists = SourceRoots.exists(root)
            if !exists && !paths.contains(path) {
                summary.notices.append(IndexingWarning(path: path, reason: "this source of the index is gone; its documents are "
                    + "kept (`fahras remove \(path)` removes them)"))
                continue
            }
            // A PATH that does not exist is left to the collector, which says so.
            scan.paths.append(path)
            if exists {
                scan.roots.append(root)
                scan.remembered = SourceRoots.adding(root, to: scan.remembered)
            }
        }
        if sourcesLost {
            summary.notices.append(IndexingWarning(path: index.path, reason: "the sources of the index could not be read; "
                + "it is rebuilt from the PATHs given alone"))
        }
        return scan
    }

    // MARK: Comparing

    /// The files to read, with the live documents they replace; deletes from the draft the
    /// documents under the scanned roots whose file is gone.
    mutating func compare(_ scan: Scan) throws(IndexerError) -> [(file: SourceFile, known: [IndexReader.LiveDocument]?)] {
        var collector = SourceCollector(excluding: [index.path])
        collector.followsLinksOutside = options.followsLinksOutside
        let (files, collectWarnings, ignored) = collector.collect(scan.paths)
        guard !files.isEmpty else { throw .nothingToIndex(paths: scan.given, warnings: collectWarnings) }
        summary.warnings = collectWarnings
        summary.ignored = ignored
        // The live documents of each source (a JSON Lines file has one per record).
        let live: [IndexReader.LiveDocument]
        do { live = try reader?.liveDocuments() ?? [] } catch { throw .damaged(error) }
        let known = LiveSources(live)
        var found = Array(repeating: false, count: live.count)
        var toRead: [(file: SourceFile, known: [IndexReader.LiveDocument]?)] = []
        let remembered = rememberedSkips(scan)
        for file in files {
            guard let head = known.head(of: file.source) else {
                if let entry = remembered[file.source], IndexingRun.isUnchanged(file, since: entry, scanned: previous?.scanned ?? 0) {
                    summary.warnings.append(IndexingWarning(path: file.displayPath, reason: entry.reason))
                    skipped.append(entry)
                } else {
                    toRead.append((file, nil))
                }
                continue
            }
            found[head] = true
            let old = live[head]
            let status = file.status ?? IndexingRun.status(of: file.path)
            let racy = old.document.modified >= (previous?.scanned ?? 0)
            if status?.size == old.document.size && status?.modified == old.document.modified && !racy {
                summary.unchanged += 1
            } else {
                toRead.append((file, known.documents(from: head)))
            }
        }
        // Read in order of source path, so a segment's passage order is the order ties
        // rank in (see SegmentReader.documentsInSourceOrder).
        toRead.sort { $0.file.source.utf8.lexicographicallyPrecedes($1.file.source.utf8) }
        for head in known.heads where !found[head] && SourceRoots.isUnder(live[head].document.source, anyOf: scan.roots) {
            try delete(known.documents(from: head))
            summary.deleted += 1
        }
        return toRead
    }

    /// The skipped files the last commit remembers, by source; those outside the roots
    /// scanned now are kept as they are.
    private mutating func rememberedSkips(_ scan: Scan) -> [String: Manifest.Skipped] {
        guard reader != nil, let entries = previous?.skipped else { return [:] }
        skipped += entries.filter { !SourceRoots.isUnder($0.source, anyOf: scan.roots) }
        return Dictionary(entries.map { ($0.source, $0) }) { $1 }
    }

    /// Whether `file` is as it was when it was skipped, and was not changing then (its times
    /// before the scan that read it, as for documents).
    static func isUnchanged(_ file: SourceFile, since entry: Manifest.Skipped, scanned: UInt64) -> Bool {
        guard let status = file.status ?? status(of: file.path) else { return false }
        return status.size == entry.size && status.modified == entry.modified && status.changed == entry.changed
            && entry.modified < scanned && entry.changed < scanned
    }

    // MARK: Reading

    /// Reads and analyses `toRead` into new segments (one, unless the memory budget cuts it).
    ///
    /// Files are read and analysed on worker threads, one core each, file after file, as
    /// far as three batches ahead of this thread, which files their documents into the
    /// segment in order as they come. Batches only pace the memory budget and the progress
    /// reports: with whole batches handed to the workers, the cores waited at each batch's
    /// last files and while this thread took a batch.
    mutating func read(_ toRead: [(file: SourceFile, known: [IndexReader.LiveDocument]?)], batchSize: Int) throws(IndexerError) {
        guard !toRead.isEmpty else { return }  // (no workers started for nothing)
        let sizes = toRead.map { ($0.file.status ?? IndexingRun.status(of: $0.file.path))?.size ?? 0 }
        var progress = IndexingProgress(filesDone: 0, filesTotal: toRead.count, bytesDone: 0, bytesTotal: sizes.reduce(0, +), seconds: 0)
        let reading = DispatchTime.now()
        let work = FileWork(toRead.map { ($0.file, $0.known?.first?.document.contentHash) }, pipeline: pipeline,
                            workers: ProcessInfo.processInfo.activeProcessorCount, ahead: 3 * batchSize)
        // A failed run returns only once no file is still being read.
        defer { work.stop() }
        // Meanwhile, what analysis builds on first use (the workers' copies share it): one
        // changed file is otherwise extracted only once it is built.
        pipeline.analyzer.build()
        var start = 0
        while start < toRead.count {
            let batch = toRead[start..<min(start + batchSize, toRead.count)]
            for (k, item) in batch.enumerated() {
                let outcome = work.outcome(of: start + k)
                if case .skipped(let warning) = outcome, let status = item.file.status ?? IndexingRun.status(of: item.file.path) {
                    skipped.append(Manifest.Skipped(source: item.file.source, size: status.size, modified: status.modified,
                                                    changed: status.changed, reason: warning.reason))
                }
                try file(outcome, replacing: item.known)
            }
            if let budget = options.memoryBudget, builder.heldBytes >= budget { try writeSegment() }
            progress.bytesDone += sizes[start..<(start + batch.count)].reduce(0, +)
            start += batch.count
            progress.filesDone = start
            progress.seconds = Indexer.seconds(since: reading)
            options.progress?(progress)
        }
    }

    /// The size and time of the file at `path`, or `nil` when it cannot be read.
    static func status(of path: String) -> SourceFile.Status? {
        var info = stat()
        return stat(path, &info) == 0 ? SourceFile.Status(info) : nil
    }

    /// Files one file's outcome: its documents into the segment, the ones it replaces deleted.
    /// Marks the documents of `old` deleted in the draft.
    private mutating func delete(_ old: [IndexReader.LiveDocument]) throws(IndexerError) {
        do {
            for entry in old { try draft.delete(document: entry.number, inSegment: entry.segment) }
        } catch {
            throw .damaged(error)
        }
    }

    private mutating func file(_ outcome: DocumentPipeline.Outcome, replacing old: [IndexReader.LiveDocument]?) throws(IndexerError) {
        switch outcome {
        case .indexed(let output):
            for document in output.documents { builder.add(document) }
            if output.documents.first.map({ SourceFormat(fileName: $0.source) == .jsonLines }) ?? false {
                addedRecords.formUnion(output.documents.map { ($0.path, $0.source) }.map(RecordKey.init))
            }
            summary.boilerplateBlocks += output.boilerplateBlocks
            summary.notices += output.warnings
            if let old {
                try delete(old)
                summary.updated += 1
            } else {
                summary.added += 1
            }
        case .unchanged(_, let modified):
            for entry in old! { draft.retime(document: entry.number, inSegment: entry.segment, modified: modified) }
            summary.unchanged += 1
            if modified != old![0].document.modified { summary.touched += 1 }
        case .skipped(let warning):
            summary.warnings.append(warning)
            if let old {
                try delete(old)
                summary.deleted += 1
            }
        }
    }

    /// Writes the segment built so far (if it holds anything) and starts a fresh one.
    private mutating func writeSegment() throws(IndexerError) {
        guard builder.documentCount > 0 else { return }
        do {
            if transaction == nil { transaction = try index.beginTransaction(after: previous) }
            try draft.append(builder, in: transaction!)
        } catch {
            throw .index(error)
        }
        summary.newTerms += builder.termCount
        summary.segmentsWritten += 1
        // The written builder is freed on another thread: freeing its term buffers would
        // otherwise stand between the segment and the commit.
        nonisolated(unsafe) let written = builder
        builder = SegmentBuilder(externalText: externalText)
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(written) {} }
    }

    // MARK: Committing

    /// One commit: the new segments, merges, the entity list, the sources, the manifest.
    /// Nothing is written when nothing changed.
    mutating func commit(_ scan: Scan) throws(IndexerError) {
        let changed = summary.added + summary.updated + summary.deleted + summary.touched > 0
            || scan.remembered.sorted() != (previous?.sources ?? []).sorted()
            || Manifest.Skipped.inOrder(skipped) != previous?.skipped ?? []
        if reader != nil && !changed {
            summary.manifest = previous
            return
        }
        // A run that would leave the index empty, or PATHs that hold nothing to index, are a
        // mistake (a wrong path), not a wish: nothing is written, no source remembered.
        let remaining = draft.entries.reduce(0) { $0 + $1.liveDocuments }
        let found = summary.added + summary.updated + summary.unchanged > 0
        guard builder.documentCount + remaining > 0, found || !scan.explicit else {
            throw .nothingToIndex(paths: scan.given, warnings: summary.warnings)
        }
        summary.fresh = reader == nil
        try writeSegment()
        do {
            if transaction == nil { transaction = try index.beginTransaction(after: previous) }
            let transaction = transaction!
            try draft.applyMerges(options.memoryBudget.map(options.mergePolicy.within(memoryBudget:)) ?? options.mergePolicy,
                                  in: transaction)
            var companions: [Manifest.Companion] = []
            if let entities = options.entities {
                companions.append(try transaction.writeCompanion(Array(entities.text.utf8), role: EntityListFile.role))
            } else if list != nil, let kept = previous?.companion(EntityListFile.role) {
                companions.append(kept)
            }
            let manifest = Manifest(
                generation: (previous?.generation ?? 0) + 1, scanned: scanned, analyzer: analyzer,
                files: companions, segments: draft.entries, externalText: externalText, sources: scan.remembered,
                skipped: skipped)
            try transaction.commit(manifest)
            summary.manifest = manifest
            summary.merges = draft.merges
            summary.committed = true
        } catch {
            throw .index(error)
        }
        summary.notices += sharedIds(in: summary.manifest!)
    }

    /// A JSON Lines record of this run and a document of another file share an id: results
    /// show each qualified by its file name (`a.jsonl:x1`), which this says once per id.
    private func sharedIds(in manifest: Manifest) -> [IndexingWarning] {
        guard !addedRecords.isEmpty, let reader = try? index.open(analyzer: manifest.analyzer.signature),
              let shared = try? reader.sharedPaths(), !shared.isEmpty else { return [] }
        var files: [String: [String]] = [:]
        for live in (try? reader.liveDocuments()) ?? [] where shared.contains(live.document.path) {
            files[live.document.path, default: []].append(live.document.source)
        }
        let ownSource = Dictionary(addedRecords.map { ($0.id, $0.source) }) { first, _ in first }
        let ids = Set(ownSource.keys).intersection(shared).sorted()
        return ids.map { id in
            let sources = files[id, default: []].sorted()
            let own = ownSource[id]!
            return IndexingWarning(path: own, reason: "the id \(id) is also used in \(sources.filter { $0 != own }.joined(separator: ", ")); "
                + "results show each record with its file: \(sources.map { IndexReader.qualified(id, source: $0) }.joined(separator: ", "))")
        }
    }
}

/// A JSON Lines record indexed by the run: its id and file.
struct RecordKey: Hashable {
    var id: String
    var source: String
    init(_ id: String, _ source: String) {
        self.id = id
        self.source = source
    }
}
