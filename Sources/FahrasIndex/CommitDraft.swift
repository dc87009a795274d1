/// The segments of a commit being prepared: the previous commit's segments with new
/// deletions and file times, new segments, and the merges the policy asks for.
///
/// Nothing here touches the manifest on disk; ``IndexTransaction/commit(_:)`` publishes
/// the draft's ``entries`` in one step.
package struct CommitDraft {
    /// The manifest entries, in index order.
    package private(set) var entries: [Manifest.Segment]
    /// The open segment of each entry (`nil`: written by this commit, opened when merged).
    private var segments: [SegmentReader?]
    /// Merges done so far.
    package private(set) var merges = 0

    /// Starts from the segments of an open commit (`nil`: an empty index).
    package init(_ reader: IndexReader?) {
        entries = reader?.manifest.segments ?? []
        segments = reader?.segments ?? []
    }

    /// Marks document `number` of segment `s` deleted.
    /// A manifest whose live counts are less than a deleted document's is damaged: an error,
    /// not a negative count.
    package mutating func delete(document number: Int, inSegment s: Int) throws(IndexError) {
        guard !entries[s].deleted.contains(number), let segment = segments[s] else { return }
        guard let document = try? segment.document(number) else { return }
        var entry = entries[s]
        guard document.passageCount <= entry.livePassages, document.length <= entry.liveLength else {
            throw .corrupt(file: Manifest.fileName, reason: "the live counts it records for \(entry.file) are less than document \(number)'s")
        }
        entry.deleted.append(number)
        entry.deleted.sort()
        entry.retimed.removeAll { $0.document == number }
        entry.livePassages -= document.passageCount
        entry.liveLength -= document.length
        entries[s] = entry
    }

    /// Records a new modification time for document `number` of segment `s`, whose file was
    /// touched without changing.
    package mutating func retime(document number: Int, inSegment s: Int, modified: UInt64) {
        guard let segment = segments[s] else { return }
        entries[s].retimed.removeAll { $0.document == number }
        if (try? segment.document(number))?.modified != modified {
            entries[s].retimed.append(Manifest.Retimed(document: number, modified: modified))
            entries[s].retimed.sort { $0.document < $1.document }
        }
    }

    /// Writes the segment `builder` holds, straight to its file, and adds it at the end of
    /// the index.
    package mutating func append(_ builder: SegmentBuilder, in transaction: IndexTransaction) throws(IndexError) {
        guard let entry = try transaction.writeSegment({ (sink) throws(IndexError) in try builder.build(into: &sink) }) else { return }
        entries.append(entry)
        segments.append(nil)
    }

    /// Drops segments with no live document left.
    package mutating func dropEmptySegments() {
        let keep = entries.indices.filter { entries[$0].liveDocuments > 0 }
        entries = keep.map { entries[$0] }
        segments = keep.map { segments[$0] }
    }

    /// Applies the merges `policy` asks for, until it asks for none.
    package mutating func applyMerges(_ policy: MergePolicy, in transaction: IndexTransaction) throws(IndexError) {
        dropEmptySegments()
        while let plan = policy.nextMerge(entries) {
            try merge(plan, in: transaction)
        }
    }

    /// Merges every segment into one, purging every deletion (`fahras optimize`).
    package mutating func mergeAll(in transaction: IndexTransaction) throws(IndexError) {
        dropEmptySegments()
        guard entries.count > 1 || entries.contains(where: { !$0.deleted.isEmpty || !$0.retimed.isEmpty }) else { return }
        try merge(Array(entries.indices), in: transaction)
    }

    /// Replaces the segments at `indices` by their merge, placed where the first one was.
    private mutating func merge(_ indices: [Int], in transaction: IndexTransaction) throws(IndexError) {
        var inputs: [SegmentMerger.Input] = []
        for i in indices {
            let segment: SegmentReader
            if let open = segments[i] { segment = open } else { segment = try transaction.directory.openSegment(entries[i]) }
            inputs.append(SegmentMerger.Input(
                segment: segment, deleted: Set(entries[i].deleted),
                retimed: Dictionary(entries[i].retimed.map { ($0.document, $0.modified) }) { $1 }))
        }
        let merged = try transaction.writeSegment { (sink) throws(IndexError) in try SegmentMerger.merge(inputs, into: &sink) }
        let position = indices.min()!
        let doomed = Set(indices)
        var newEntries: [Manifest.Segment] = []
        var newSegments: [SegmentReader?] = []
        for i in entries.indices {
            if i == position, let merged {
                newEntries.append(merged)
                newSegments.append(nil)
            }
            if !doomed.contains(i) {
                newEntries.append(entries[i])
                newSegments.append(segments[i])
            }
        }
        entries = newEntries
        segments = newSegments
        merges += 1
    }
}

extension IndexDirectory {
    /// Replaces the whole index with one segment (tests and tools; `fahras index` goes
    /// through ``CommitDraft``).
    @discardableResult
    package func commitRebuild(_ builder: SegmentBuilder, analyzer: String) throws(IndexError) -> Manifest {
        let previous = try? readManifest()
        let transaction = try beginTransaction(after: previous)
        var draft = CommitDraft(nil)
        try draft.append(builder, in: transaction)
        let manifest = Manifest(
            generation: (previous?.generation ?? 0) + 1, scanned: 0,
            analyzer: Manifest.AnalyzerRecord(signature: analyzer, parts: [:]), files: [], segments: draft.entries,
            externalText: builder.externalText)
        try transaction.commit(manifest)
        return manifest
    }
}
