import Dispatch
import FahrasIndex

/// A folder or file the index was built from, as `fahras sources` lists it.
package struct IndexSource: Sendable, Equatable {
    /// Absolute, links resolved.
    package var path: String
    /// Live documents from files under it.
    package var documents: Int
    /// Whether it is still there.
    package var exists: Bool
}

extension Indexer {
    /// The sources the index at `directory` remembers, with their documents.
    package func sources(directory: String) throws(IndexerError) -> [IndexSource] {
        let reader: IndexReader
        do { reader = try IndexDirectory(path: directory).open() } catch { throw .damaged(error) }
        let live: [IndexReader.LiveDocument]
        do { live = try reader.liveDocuments() } catch { throw .damaged(error) }
        return reader.manifest.sources.map { root in
            IndexSource(path: root, documents: live.filter { SourceRoots.isUnder($0.document.source, root: root) }.count,
                        exists: SourceRoots.exists(root))
        }
    }

    /// Removes the sources `paths` from the index at `directory`: their documents are deleted
    /// and they are scanned no more. A path must be a source, or hold sources; one inside a
    /// source is refused (the next scan would bring its files back).
    package func remove(paths: [String], directory: String) throws(IndexerError) -> IndexingSummary {
        let started = DispatchTime.now()
        let index = IndexDirectory(path: directory)
        let lock: IndexLock
        do { lock = try IndexLock(directory: directory) } catch { throw .index(error) }
        defer { lock.release() }
        let reader: IndexReader
        let live: [IndexReader.LiveDocument]
        do {
            reader = try index.open()
            live = try reader.liveDocuments()
        } catch {
            throw .damaged(error)
        }
        var remembered = reader.manifest.sources
        var draft = CommitDraft(reader)
        var summary = IndexingSummary()
        var removedFiles = Set<String>()
        for path in paths {
            let root = SourceRoots.resolve(path)
            let forgotten = remembered.filter { SourceRoots.isUnder($0, root: root) }
            if forgotten.isEmpty {
                throw .notASource(path: path, inside: remembered.first { SourceRoots.isUnder(root, root: $0) })
            }
            remembered.removeAll { forgotten.contains($0) }
            for entry in live where SourceRoots.isUnder(entry.document.source, root: root) {
                do { try draft.delete(document: entry.number, inSegment: entry.segment) } catch { throw .damaged(error) }
                removedFiles.insert(entry.document.source)
            }
        }
        summary.deleted = removedFiles.count
        do {
            let transaction = try index.beginTransaction(after: reader.manifest)
            try draft.applyMerges(MergePolicy().within(memoryBudget: IndexingOptions.defaultMemoryBudget), in: transaction)
            // A removed source forgets its skipped files too.
            let skipped = (reader.manifest.skipped ?? []).filter { SourceRoots.isUnder($0.source, anyOf: remembered) }
            let manifest = reader.manifest.successor(segments: draft.entries, sources: remembered, skipped: skipped)
            try transaction.commit(manifest)
            summary.manifest = manifest
            summary.committed = true
            summary.merges = draft.merges
        } catch {
            throw .index(error)
        }
        summary.seconds = Indexer.seconds(since: started)
        return summary
    }
}
