import Foundation
import FahrasAnalysis
import FahrasIndex

/// How an indexing run should go.
public struct IndexingOptions: Sendable {
    /// Start over: ignore the index's segments and index every file.
    public var rebuild = false
    /// A user entity list to index with (kept in the index); `nil` keeps the one the index
    /// was built with, if any.
    public var entities: EntityListFile?
    /// When to merge segments.
    public var mergePolicy = MergePolicy()
    /// Fold names and tag entities (`true`), or index words only (`false`, as engines
    /// without name folding do); `nil` keeps what the index was built with (on for a new one).
    public var nameFolding: Bool?
    /// Called after each batch of files read.
    public var progress: (@Sendable (IndexingProgress) -> Void)?
    /// Bytes the new segment may hold in memory (text, postings, records, terms, as
    /// ``SegmentBuilder/heldBytes`` estimates them) before it is written out and a fresh
    /// one started; `nil`: no limit, one new segment per run. The merge policy then merges
    /// the segments written as it would any others.
    public var memoryBudget: Int?
    /// Leave passage texts out of the index (`true`: search reads them again from the source
    /// files, which must then stay as indexed) or keep them (`false`); `nil` keeps what the
    /// index was built with (kept, for a new one). A change rebuilds the index.
    public var externalText: Bool?

    public init(rebuild: Bool = false, entities: EntityListFile? = nil, mergePolicy: MergePolicy = MergePolicy()) {
        self.rebuild = rebuild
        self.entities = entities
        self.mergePolicy = mergePolicy
    }
}

/// How far an indexing run is: reported after each batch of files.
public struct IndexingProgress: Sendable, Equatable {
    /// Files read so far, of the files to read (unchanged files are not counted).
    public var filesDone: Int
    public var filesTotal: Int
    /// Their bytes on disk.
    public var bytesDone: UInt64
    public var bytesTotal: UInt64
    /// Seconds since the files began to be read.
    public var seconds: Double

    /// Bytes read per second so far (0 before any time has passed).
    public var bytesPerSecond: Double { seconds > 0 ? Double(bytesDone) / seconds : 0 }

    /// Seconds left at the rate so far; `nil` before any byte was read.
    public var secondsLeft: Double? {
        guard bytesDone > 0, seconds > 0 else { return nil }
        return Double(bytesTotal - min(bytesTotal, bytesDone)) / bytesPerSecond
    }

    public init(filesDone: Int, filesTotal: Int, bytesDone: UInt64, bytesTotal: UInt64, seconds: Double) {
        self.filesDone = filesDone
        self.filesTotal = filesTotal
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.seconds = seconds
    }
}

/// What an indexing run did.
public struct IndexingSummary: Sendable {
    /// Files new to the index, files whose content changed, files gone (or now unreadable).
    public var added = 0
    public var updated = 0
    public var deleted = 0
    /// Files passed over as unchanged: by size and time, or (`touched`) read and found
    /// identical by content hash despite a new time.
    public var unchanged = 0
    public var touched = 0
    /// Files passed over, with the reason for each.
    public var warnings: [IndexingWarning] = []
    /// Files inside named folders ignored for their extension.
    public var ignored = 0
    /// Blocks dropped as site chrome, in the files read.
    public var boilerplateBlocks = 0
    /// Segments merged by the merge policy (or by `optimize`).
    public var merges = 0
    /// Why the whole index was rebuilt, when it was.
    public var rebuildReason: String?
    /// Whether the run started without a usable index (first build or rebuild).
    public var fresh = false
    /// Distinct terms in the new segment (summed over them, when the memory budget cut
    /// the run into several: see ``segmentsWritten``).
    public var newTerms = 0
    /// New segments written from the files read (more than one when the memory budget was
    /// reached).
    public var segmentsWritten = 0
    /// Whether a new commit was written (`false`: nothing had changed).
    public var committed = false
    /// Wall-clock seconds from start to commit.
    public var seconds = 0.0
    /// The index's commit after the run.
    public var manifest: Manifest?

    /// Live documents and passages after the run.
    public var files: Int { manifest?.statistics.documents ?? 0 }
    public var passages: Int { manifest?.statistics.passages ?? 0 }
}

/// The indexing pipeline: PATHs in, a committed index out.
///
/// A run compares the files under PATHs with the documents of the last commit: new files are
/// added, changed ones replaced, vanished ones deleted; unchanged ones are not read (same
/// size and time), or read but not analysed (same content hash). Files to analyse are
/// processed on all cores, a file at a time on each, and added to one new segment in source
/// path order, so the result does not depend on thread timing. Then the merge policy runs,
/// and one atomic commit publishes everything (see ``IndexTransaction``): an interrupted run
/// leaves the previous commit intact. One writer at a time holds the index's ``IndexLock``.
public struct Indexer: Sendable {
    public var pipeline: DocumentPipeline
    /// Files between two checks of the memory budget and two progress reports; the workers
    /// read and analyse as far as three of these ahead of the segment.
    public var batchSize = 64

    public init(pipeline: DocumentPipeline = DocumentPipeline()) {
        self.pipeline = pipeline
    }

    /// Brings the index at `directory` up to date with the files under `paths`.
    public func update(paths: [String], directory: String, options: IndexingOptions = IndexingOptions()) throws(IndexerError) -> IndexingSummary {
        let started = DispatchTime.now()
        let index = IndexDirectory(path: directory)
        let lock: IndexLock
        do { lock = try IndexLock(directory: directory) } catch { throw .index(error) }
        defer { lock.release() }

        // The last commit, unless starting over. A damaged one stops the run: only an
        // explicit --rebuild may discard it.
        var summary = IndexingSummary()
        var previous: Manifest?
        do {
            previous = try index.readManifest()
        } catch IndexError.unsupportedVersion(_, let found, _) {
            summary.rebuildReason = "the index has format version \(found), this fahras writes version \(Manifest.currentVersion)"
        } catch {
            if !options.rebuild { throw .damaged(error) }
        }
        if previous == nil, summary.rebuildReason == nil, case .manifestMissing = index.missingManifestError() {
            // Files of a first build killed before its commit, or a deleted manifest: the
            // sources are the truth, so build anew, and say so.
            summary.rebuildReason = "'\(directory)/\(Manifest.fileName)' is missing, though index files are there "
                + "(an interrupted first build, or a deleted manifest)"
        }
        if options.rebuild { summary.rebuildReason = "--rebuild" }

        // The analyzer: the given entity list, or the one the index was built with.
        var pipeline = self.pipeline
        let list: EntityListFile?
        do {
            list = try options.entities ?? EntityListFile.list(of: previous, in: index)
            if list != nil { pipeline.analyzer = try EntityListFile.analyzer(with: list) }
            let wordsOnly = previous?.analyzer.signature == Analyzer.wordChain.signature && summary.rebuildReason == nil
            if options.nameFolding == false || (options.nameFolding == nil && wordsOnly) { pipeline.analyzer = .wordChain }
        } catch let error as IndexError {
            throw .damaged(error)
        } catch let error as AnalysisError {
            throw .entities(error)
        } catch {
            throw .index(.io(path: directory, operation: "read the entity list of", message: String(describing: error)))
        }
        pipeline.analyzer = pipeline.analyzer.prepared()
        let analyzer = Manifest.AnalyzerRecord(signature: pipeline.analyzer.signature, parts: pipeline.analyzer.configuration)
        if summary.rebuildReason == nil, let previous, previous.analyzer.signature != analyzer.signature {
            let changed = Set(previous.analyzer.parts.keys).union(analyzer.parts.keys)
                .filter { previous.analyzer.parts[$0] != analyzer.parts[$0] }.sorted()
            let what = changed.isEmpty ? "the analyzer" : changed.map(Analyzer.describe(configurationPart:)).joined(separator: ", ")
            summary.rebuildReason = "\(what) changed since the index was built"
        }

        let externalText = options.externalText ?? previous?.keepsTextsExternal ?? false
        if summary.rebuildReason == nil, let previous, previous.keepsTextsExternal != externalText {
            summary.rebuildReason = externalText
                ? "passage texts are now left out of the index (--text external)"
                : "passage texts are now kept in the index (--text stored)"
        }

        var reader: IndexReader?
        if summary.rebuildReason == nil, let previous {
            do {
                reader = try index.open(analyzer: previous.analyzer.signature)
            } catch IndexError.unsupportedVersion(_, let found, let supported) {
                summary.rebuildReason = "the index's segments have format version \(found), this fahras writes version \(supported)"
            } catch {
                throw .damaged(error)
            }
        }

        // Compare the sources with the last commit.
        let scanned = Indexer.now()
        let (files, collectWarnings, ignored) = SourceCollector(excluding: [directory]).collect(paths)
        guard !files.isEmpty else { throw .nothingToIndex(paths: paths, warnings: collectWarnings.count) }
        summary.warnings = collectWarnings
        summary.ignored = ignored
        // The live documents of each source (a JSON Lines file has one per record).
        var known: [String: [IndexReader.LiveDocument]] = [:]
        let live: [IndexReader.LiveDocument]
        do { live = try reader?.liveDocuments() ?? [] } catch { throw .damaged(error) }
        for entry in live { known[entry.document.source, default: []].append(entry) }
        var toRead: [(file: SourceFile, known: [IndexReader.LiveDocument]?)] = []
        var seen = Set<String>()
        for file in files {
            guard let old = known[file.source]?.first else {
                toRead.append((file, nil))
                continue
            }
            seen.insert(file.source)
            var info = stat()
            let modified = stat(file.path, &info) == 0 ? info.modifiedNanoseconds : 0
            let racy = old.document.modified >= (previous?.scanned ?? 0)
            if UInt64(info.st_size) == old.document.size && modified == old.document.modified && !racy {
                summary.unchanged += 1
            } else {
                toRead.append((file, known[file.source]))
            }
        }

        // Read in order of source path, so a segment's passage order is the order ties
        // rank in (see SegmentReader.documentsInSourceOrder).
        toRead.sort { $0.file.source.utf8.lexicographicallyPrecedes($1.file.source.utf8) }
        var draft = CommitDraft(reader)
        for (source, old) in known where !seen.contains(source) {
            for entry in old { draft.delete(document: entry.number, inSegment: entry.segment) }
            summary.deleted += 1
        }
        var builder = SegmentBuilder(externalText: externalText)
        // Opened by the first segment written, before the commit when the budget is reached;
        // if the run fails, it removes what it wrote.
        var transaction: IndexTransaction?
        func writeSegment() throws(IndexerError) {
            guard builder.documentCount > 0 else { return }
            do {
                if transaction == nil { transaction = try index.beginTransaction(after: previous) }
                try draft.append(builder.build(), in: transaction!)
            } catch {
                throw .index(error)
            }
            summary.newTerms += builder.termCount
            summary.segmentsWritten += 1
            // The written builder is freed on another thread: its term buffers took 16 ms
            // to free on the full test corpus, on this one, between the segment and the commit.
            nonisolated(unsafe) let written = builder
            builder = SegmentBuilder(externalText: externalText)
            DispatchQueue.global(qos: .utility).async { withExtendedLifetime(written) {} }
        }
        let sizes = toRead.map { item -> UInt64 in
            var info = stat()
            return stat(item.file.path, &info) == 0 ? UInt64(max(0, info.st_size)) : 0
        }
        var progress = IndexingProgress(filesDone: 0, filesTotal: toRead.count, bytesDone: 0,
                                        bytesTotal: sizes.reduce(0, +), seconds: 0)
        let reading = DispatchTime.now()
        // Files are read and analysed on worker threads, one core each, file after file, as
        // far as three batches ahead of this thread, which files their documents into the
        // segment in order as they come. Batches only pace the memory budget and the progress
        // reports: with whole batches handed to the workers, the cores waited at each
        // batch's last files and while this thread took a batch (both cores busy 1.85 of 2
        // in a full-corpus run, 1.25 for a while at the start).
        let work = FileWork(toRead.map { ($0.file, $0.known?.first?.document.contentHash) }, pipeline: pipeline,
                            workers: ProcessInfo.processInfo.activeProcessorCount, ahead: 3 * batchSize)
        // A failed run returns only once no file is still being read.
        defer { work.stop() }
        var start = 0
        while start < toRead.count {
            let batch = toRead[start..<min(start + batchSize, toRead.count)]
            let outcomes = batch.indices.lazy.map { work.outcome(of: $0) }
            for (item, outcome) in zip(batch, outcomes) {
                switch outcome {
                case .indexed(let output):
                    for document in output.documents { builder.add(document) }
                    summary.boilerplateBlocks += output.boilerplateBlocks
                    if let old = item.known {
                        for entry in old { draft.delete(document: entry.number, inSegment: entry.segment) }
                        summary.updated += 1
                    } else {
                        summary.added += 1
                    }
                case .unchanged(_, let modified):
                    let old = item.known!
                    for entry in old { draft.retime(document: entry.number, inSegment: entry.segment, modified: modified) }
                    summary.unchanged += 1
                    if modified != old[0].document.modified { summary.touched += 1 }
                case .skipped(let warning):
                    summary.warnings.append(warning)
                    if let old = item.known {
                        for entry in old { draft.delete(document: entry.number, inSegment: entry.segment) }
                        summary.deleted += 1
                    }
                }
            }
            if let budget = options.memoryBudget, builder.heldBytes >= budget { try writeSegment() }
            progress.bytesDone += sizes[start..<(start + batch.count)].reduce(0, +)
            start += batch.count
            progress.filesDone = start
            progress.seconds = Indexer.seconds(since: reading)
            options.progress?(progress)
        }

        let changed = summary.added + summary.updated + summary.deleted + summary.touched > 0
        if reader != nil && !changed {
            summary.manifest = previous
            summary.seconds = Indexer.seconds(since: started)
            return summary
        }
        // A run that would leave the index empty is a mistake (a wrong path), not a wish.
        let remaining = draft.entries.reduce(0) { $0 + $1.liveDocuments }
        guard builder.documentCount + remaining > 0 else {
            throw .nothingToIndex(paths: paths, warnings: summary.warnings.count)
        }
        summary.fresh = reader == nil

        // One commit: the new segments, merges, the entity list, the manifest.
        try writeSegment()
        do {
            if transaction == nil { transaction = try index.beginTransaction(after: previous) }
            let transaction = transaction!
            try draft.applyMerges(options.mergePolicy, in: transaction)
            var companions: [Manifest.Companion] = []
            if let entities = options.entities {
                companions.append(try transaction.writeCompanion(Array(entities.text.utf8), role: EntityListFile.role))
            } else if list != nil, let kept = previous?.companion(EntityListFile.role) {
                companions.append(kept)
            }
            let manifest = Manifest(
                generation: (previous?.generation ?? 0) + 1, scanned: scanned, analyzer: analyzer,
                files: companions, segments: draft.entries, externalText: externalText)
            try transaction.commit(manifest)
            summary.manifest = manifest
            summary.merges = draft.merges
            summary.committed = true
        } catch {
            throw .index(error)
        }
        summary.seconds = Indexer.seconds(since: started)
        return summary
    }

    /// Merges every segment of the index at `directory` into one, purging deletions.
    public func optimize(directory: String) throws(IndexerError) -> IndexingSummary {
        let started = DispatchTime.now()
        let index = IndexDirectory(path: directory)
        var summary = IndexingSummary()
        do {
            let lock = try IndexLock(directory: directory)
            defer { lock.release() }
            let reader: IndexReader
            do { reader = try index.open() } catch { throw IndexerError.damaged(error) }
            var draft = CommitDraft(reader)
            let transaction = try index.beginTransaction(after: reader.manifest)
            try draft.mergeAll(in: transaction)
            summary.manifest = reader.manifest
            if draft.merges > 0 || draft.entries.count != reader.manifest.segments.count {
                let previous = reader.manifest
                let manifest = Manifest(generation: previous.generation + 1, scanned: previous.scanned, analyzer: previous.analyzer,
                                        files: previous.files, segments: draft.entries, externalText: previous.keepsTextsExternal)
                try transaction.commit(manifest)
                summary.manifest = manifest
                summary.committed = true
                summary.merges = draft.merges
            }
        } catch let error as IndexerError {
            throw error
        } catch let error as IndexError {
            throw .index(error)
        } catch {
            throw .index(.io(path: directory, operation: "optimize", message: String(describing: error)))
        }
        summary.seconds = Indexer.seconds(since: started)
        return summary
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    private static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
