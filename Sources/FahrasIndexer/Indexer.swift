import Foundation
import FahrasAnalysis
import FahrasIndex

/// How an indexing run should go.
package struct IndexingOptions: Sendable {
    /// Start over: ignore the index's segments and index every file.
    package var rebuild = false
    /// A user entity list to index with (kept in the index); `nil` keeps the one the index
    /// was built with, if any.
    package var entities: EntityListFile?
    /// When to merge segments.
    package var mergePolicy = MergePolicy()
    /// Fold names and tag entities (`true`), or index words only (`false`, as engines
    /// without name folding do); `nil` keeps what the index was built with (on for a new one).
    package var nameFolding: Bool?
    /// Called after each batch of files read.
    package var progress: (@Sendable (IndexingProgress) -> Void)?
    /// Bytes the new segment may hold in memory (text, postings, records, terms, as
    /// ``SegmentBuilder/heldBytes`` estimates them) before it is written out and a fresh
    /// one started; `nil`: no limit, one new segment per run. The merge policy then merges
    /// the segments written as it would any others.
    package var memoryBudget: Int?
    /// The budget `fahras index` and the library use unless told otherwise; runs that read
    /// no files (`fahras remove`) cap their merges to it.
    package static let defaultMemoryBudget = 256 << 20
    /// Leave passage texts out of the index (`true`: search reads them again from the source
    /// files, which must then stay as indexed) or keep them (`false`); `nil` keeps what the
    /// index was built with (kept, for a new one). A change rebuilds the index.
    package var externalText: Bool?
    /// Keep figure captions (`true`) or drop them (`false`); `nil` keeps what the index was
    /// built with (dropped, for a new one). A change rebuilds the index.
    package var keepCaptions: Bool?
    /// Index each JSON Lines record as one passage (`true`) or cut it into passages
    /// (`false`); `nil` keeps what the index was built with (cut, for a new one). A change
    /// rebuilds the index.
    package var wholeRecords: Bool?
    /// Follow links inside a folder to files outside it (``SourceCollector/followsLinksOutside``).
    package var followsLinksOutside = true

    package init(rebuild: Bool = false, entities: EntityListFile? = nil, mergePolicy: MergePolicy = MergePolicy()) {
        self.rebuild = rebuild
        self.entities = entities
        self.mergePolicy = mergePolicy
    }
}

/// How far an indexing run is: reported after each batch of files.
package struct IndexingProgress: Sendable, Equatable {
    /// Files read so far, of the files to read (unchanged files are not counted).
    package var filesDone: Int
    package var filesTotal: Int
    /// Their bytes on disk.
    package var bytesDone: UInt64
    package var bytesTotal: UInt64
    /// Seconds since the files began to be read.
    package var seconds: Double

    /// Bytes read per second so far (0 before any time has passed).
    package var bytesPerSecond: Double { seconds > 0 ? Double(bytesDone) / seconds : 0 }

    /// Seconds left at the rate so far; `nil` before any byte was read.
    package var secondsLeft: Double? {
        guard bytesDone > 0, seconds > 0 else { return nil }
        return Double(bytesTotal - min(bytesTotal, bytesDone)) / bytesPerSecond
    }

    package init(filesDone: Int, filesTotal: Int, bytesDone: UInt64, bytesTotal: UInt64, seconds: Double) {
        self.filesDone = filesDone
        self.filesTotal = filesTotal
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.seconds = seconds
    }
}

/// What an indexing run did.
package struct IndexingSummary: Sendable {
    /// Files new to the index, files whose content changed, files gone (or now unreadable).
    package var added = 0
    package var updated = 0
    package var deleted = 0
    /// Files passed over as unchanged: by size and time, or (`touched`) read and found
    /// identical by content hash despite a new time.
    package var unchanged = 0
    package var touched = 0
    /// Files passed over, with the reason for each.
    package var warnings: [IndexingWarning] = []
    /// What was wrong in files indexed all the same (a JSON Lines id used twice, a bad
    /// `date`), each naming its line.
    package var notices: [IndexingWarning] = []
    /// Files inside named folders ignored for their extension.
    package var ignored = SourceCollector.Ignored()
    /// Blocks dropped as site chrome, in the files read.
    package var boilerplateBlocks = 0
    /// Segments merged by the merge policy (or by `optimize`).
    package var merges = 0
    /// Why the whole index was rebuilt, when it was.
    package var rebuildReason: String?
    /// Whether the run started without a usable index (first build or rebuild).
    package var fresh = false
    /// Distinct terms in the new segment (summed over them, when the memory budget cut
    /// the run into several: see ``segmentsWritten``).
    package var newTerms = 0
    /// New segments written from the files read (more than one when the memory budget was
    /// reached).
    package var segmentsWritten = 0
    /// Whether a new commit was written (`false`: nothing had changed).
    package var committed = false
    /// Wall-clock seconds from start to commit.
    package var seconds = 0.0
    /// The index's commit after the run.
    package var manifest: Manifest?

    /// Live documents and passages after the run.
    package var files: Int { manifest?.statistics.documents ?? 0 }
    package var passages: Int { manifest?.statistics.passages ?? 0 }
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
package struct Indexer: Sendable {
    package var pipeline: DocumentPipeline
    /// Files between two checks of the memory budget and two progress reports; the workers
    /// read and analyse as far as three of these ahead of the segment.
    package var batchSize = 64

    package init(pipeline: DocumentPipeline = DocumentPipeline()) {
        self.pipeline = pipeline
    }

    /// Brings the index at `directory` up to date with the files under `paths`, which it
    /// adds to the sources it remembers; with no `paths`, with every remembered source.
    /// Documents outside the folders and files scanned are kept as they are.
    package func update(paths: [String], directory: String, options: IndexingOptions = IndexingOptions()) throws(IndexerError) -> IndexingSummary {
        let started = DispatchTime.now()
        let lock: IndexLock
        do { lock = try IndexLock(directory: directory) } catch { throw .index(error) }
        defer { lock.release() }
        var run = try IndexingRun(directory: directory, pipeline: pipeline, options: options)
        let scan = try run.scan(paths)
        let toRead = try run.compare(scan)
        try run.read(toRead, batchSize: batchSize)
        try run.commit(scan)
        run.summary.seconds = Indexer.seconds(since: started)
        return run.summary
    }

    /// Merges every segment of the index at `directory` into one, purging deletions.
    package func optimize(directory: String) throws(IndexerError) -> IndexingSummary {
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
                let manifest = reader.manifest.successor(segments: draft.entries)
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

    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}
