import Foundation
import FahrasAnalysis
import FahrasIndex

/// What an indexing run did.
public struct IndexingSummary: Sendable {
    /// Files indexed.
    public var files: Int
    /// Files passed over, with the reason for each.
    public var warnings: [IndexingWarning]
    /// Files inside named folders ignored for their extension.
    public var ignored: Int
    public var passages: Int
    /// Distinct terms in the index.
    public var terms: Int
    /// Blocks dropped as site chrome.
    public var boilerplateBlocks: Int
    /// Wall-clock seconds from start to commit.
    public var seconds: Double
    /// The commit that was written.
    public var manifest: Manifest
}

/// The indexing pipeline: PATHs in, a committed index out.
///
/// Files are read, extracted, segmented and analyzed on all cores in batches, then added to
/// the segment in input order, so the result does not depend on thread timing. Nothing is
/// written to the index directory until every file has been processed; the commit itself is
/// atomic (see ``IndexDirectory``), so an interrupted run leaves the previous index intact.
public struct Indexer: Sendable {
    public var pipeline: DocumentPipeline
    /// Files processed per parallel batch.
    public var batchSize = 64

    public init(pipeline: DocumentPipeline = DocumentPipeline()) {
        self.pipeline = pipeline
    }

    /// Indexes `paths` into the index at `directory`, replacing what was there.
    ///
    /// - Parameter entities: the text of a user entity list to index with and to keep beside
    ///   the index as `entities.tsv`; `nil` keeps the list already there, if any.
    /// - Parameter progress: called after each batch with files done and files in all.
    public func rebuild(paths: [String], directory: String, entities: EntityListFile? = nil,
                        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil) throws(IndexerError) -> IndexingSummary {
        var pipeline = self.pipeline
        var companions: [String: [UInt8]] = [:]
        do throws(AnalysisError) {
            var list = entities
            if list == nil { list = try EntityListFile.beside(index: directory) }
            if let list { pipeline.analyzer = Analyzer.standard(entities: try list.gazetteer()) }
            if let entities { companions[EntityListFile.name] = Array(entities.text.utf8) }
        } catch {
            throw .entities(error)
        }
        let started = DispatchTime.now()
        let (files, collectWarnings, ignored) = SourceCollector().collect(paths)
        var warnings = collectWarnings
        let builder = SegmentBuilder()
        var boilerplate = 0
        var start = 0
        while start < files.count {
            let batch = Array(files[start..<min(start + batchSize, files.count)])
            for result in process(batch, with: pipeline) {
                switch result {
                case .success(let output):
                    builder.add(output.document)
                    boilerplate += output.boilerplateBlocks
                case .failure(let warning):
                    warnings.append(warning)
                }
            }
            start += batch.count
            progress?(start, files.count)
        }
        guard builder.documentCount > 0 else {
            throw .nothingToIndex(paths: paths, warnings: warnings.count)
        }
        let manifest: Manifest
        do {
            manifest = try IndexDirectory(path: directory).commitRebuild(
                builder, analyzer: pipeline.analyzer.signature, companions: companions)
        } catch {
            throw .index(error)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return IndexingSummary(
            files: builder.documentCount, warnings: warnings, ignored: ignored, passages: builder.passageCount,
            terms: builder.termCount, boilerplateBlocks: boilerplate, seconds: seconds, manifest: manifest)
    }

    /// Processes a batch on all cores; results come back in batch order.
    private func process(_ batch: [SourceFile], with pipeline: DocumentPipeline) -> [Result<DocumentPipeline.Output, IndexingWarning>] {
        let results = ResultSlots<Result<DocumentPipeline.Output, IndexingWarning>>(count: batch.count)
        DispatchQueue.concurrentPerform(iterations: batch.count) { i in
            results.set(i, pipeline.process(batch[i]))
        }
        return results.values()
    }
}

/// Fixed slots that worker threads fill, each its own index, under a lock.
private final class ResultSlots<Value: Sendable>: @unchecked Sendable {
    private var slots: [Value?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    func values() -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
