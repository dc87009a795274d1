/// Verifies an index the way Lucene's `CheckIndex` does: every file the manifest names,
/// every record in them and every cross-reference between them (`fahras check`).
///
/// Opening an index already checks each file's size, magic, version and footer; the checker
/// verifies every chunk's CRC, then walks every document, passage, term and postings list, and compares the manifest's
/// deletions and statistics with what the segments hold.
package enum IndexChecker {
    /// What the check found.
    package struct Report: Sendable {
        /// Everything wrong, each naming the file and what is wrong; empty when the index is sound.
        package var problems: [String] = []
        /// Remarks that are not faults (files an interrupted run left behind).
        package var notes: [String] = []
        package var segments = 0
        package var documents = 0
        /// Documents not deleted, as the manifest counts them.
        package var liveDocuments = 0
        package var passages = 0
        package var terms = 0
        package var postings = 0
    }

    /// Checks the index at `directory`.
    ///
    /// - Parameter signature: given the manifest, the analyzer signature this build would
    ///   search it with (reading companions through ``IndexDirectory/read(_:)``).
    package static func check(_ directory: IndexDirectory, signature: (Manifest) throws -> String) -> Report {
        var report = Report()
        let manifest: Manifest
        do {
            guard let found = try directory.readManifest() else {
                report.problems.append(directory.missingManifestError().description)
                return report
            }
            manifest = found
            report.liveDocuments = found.statistics.documents
        } catch {
            report.problems.append(String(describing: error))
            return report
        }
        for companion in manifest.files {
            do { _ = try directory.read(companion) } catch { report.problems.append(error.description) }
        }
        if report.problems.isEmpty {
            do {
                let expected = try signature(manifest)
                if expected != manifest.analyzer.signature {
                    report.problems.append(IndexError.analyzerMismatch(
                        directory: directory.path, found: manifest.analyzer.signature, expected: expected).description)
                }
            } catch {
                report.problems.append(String(describing: error))
            }
        }
        var sources: [String: String] = [:]
        for entry in manifest.segments {
            let segment: SegmentReader
            do {
                segment = try directory.openSegment(entry)
            } catch {
                report.problems.append(error.description)
                continue
            }
            report.segments += 1
            let before = report.problems.count
            check(segment, &report)
            check(entry, against: segment, &report)
            if segment.textIsExternal != manifest.keepsTextsExternal {
                report.problems.append("\(Manifest.fileName) says passage texts are \(manifest.keepsTextsExternal ? "not " : "")kept, "
                    + "but \(segment.path) \(segment.textIsExternal ? "keeps none" : "keeps them")")
            }
            guard report.problems.count == before else { continue }
            let deleted = Set(entry.deleted)
            for (number, document) in ((try? segment.documents) ?? []).enumerated() where !deleted.contains(number) {
                if let other = sources.updateValue(entry.file, forKey: document.source), other != entry.file {
                    report.problems.append("'\(document.source)' is live in both \(other) and \(entry.file)")
                }
            }
        }
        for name in FileIO.listDirectory(directory.path).sorted() where IndexDirectory.isIndexFile(name) {
            if !manifest.segments.contains(where: { $0.file == name }) && !manifest.files.contains(where: { $0.file == name }) {
                report.notes.append("\(directory.file(name)) is not part of the index (left by an interrupted run; the next `fahras index` removes it)")
            }
        }
        return report
    }

    /// The manifest's entry against the segment it names.
    private static func check(_ entry: Manifest.Segment, against segment: SegmentReader, _ report: inout Report) {
        let file = segment.path
        guard entry.deleted == entry.deleted.sorted(), Set(entry.deleted).count == entry.deleted.count,
              entry.deleted.allSatisfy({ $0 >= 0 && $0 < segment.documentCount }) else {
            report.problems.append("\(Manifest.fileName): the deletions of \(entry.file) are not distinct document numbers of that segment")
            return
        }
        var deadPassages = 0
        var deadLength: UInt64 = 0
        for number in entry.deleted {
            guard let document = try? segment.document(number) else { continue }
            let length = deadLength.addingReportingOverflow(document.length)
            guard !length.overflow else {
                report.problems.append("\(Manifest.fileName): the documents deleted from \(entry.file) are longer than it (\(file))")
                return
            }
            deadPassages += document.passageCount
            deadLength = length.partialValue
        }
        if deadPassages > segment.passageCount || deadLength > segment.totalLength
            || entry.livePassages != segment.passageCount - deadPassages || entry.liveLength != segment.totalLength - deadLength {
            report.problems.append("\(Manifest.fileName): live passages or length recorded for \(entry.file) differ from its contents (\(file))")
        }
        let deleted = Set(entry.deleted)
        if entry.retimed.contains(where: { $0.document < 0 || $0.document >= segment.documentCount || deleted.contains($0.document) }) {
            report.problems.append("\(Manifest.fileName): a file time recorded for \(entry.file) names a document it does not hold live")
        }
    }

    /// Every record of one segment.
    private static func check(_ segment: SegmentReader, _ report: inout Report) {
        let file = segment.path
        func fail(_ reason: String) { report.problems.append("index file '\(file)' is damaged (\(reason))") }
        do {
            try segment.verifyAll()
            let documents = try segment.documents
            var next = 0
            var lengths: [UInt64] = []
            for (number, document) in documents.enumerated() {
                guard document.firstPassage == next else {
                    return fail("document \(number) starts at passage \(document.firstPassage), expected \(next)")
                }
                next += document.passageCount
                lengths.append(document.length)
            }
            guard next == segment.passageCount else { return fail("documents hold \(next) passages, the table \(segment.passageCount)") }
            if segment.documentsInSourceOrder {
                for i in documents.indices.dropFirst() where documents[i - 1].source != documents[i].source
                    && !documents[i - 1].source.utf8.lexicographicallyPrecedes(documents[i].source.utf8) {
                    return fail("document \(i) is out of source order, though the header says the documents are in it")
                }
            }
            report.documents += documents.count

            var total: UInt64 = 0
            var documentLength: UInt64 = 0
            var document = 0
            var problem: String?
            try segment.forEachPassage { (p, stored) throws(IndexError) in
                guard problem == nil else { return }
                while document < documents.count && p >= documents[document].firstPassage + documents[document].passageCount {
                    if documentLength != lengths[document] { problem = "document \(document)'s length differs from its passages'" }
                    documentLength = 0
                    document += 1
                }
                if !isValidUTF8(stored.text) { problem = "passage \(p)'s text is not UTF-8" }
                if segment.textIsExternal && stored.text.count > 0 { problem = "passage \(p) has a text, though the header says texts are not kept" }
                if segment.norm(p) != LengthNorm.code(stored.length) { problem = "passage \(p)'s norm does not match its length" }
                total += UInt64(stored.length)
                documentLength += UInt64(stored.length)
            }
            if let problem { return fail(problem) }
            guard total == segment.totalLength else { return fail("passage lengths sum to \(total), the footer says \(segment.totalLength)") }
            report.passages += segment.passageCount

            var previous: [UInt8]?
            var terms = 0
            var postingsNext = segment.postings.lowerBound
            var positions: [Int32] = []
            try segment.forEachTerm { (term, info) throws(IndexError) in
                guard problem == nil else { return }
                if let previous, !previous.lexicographicallyPrecedes(term) { problem = "term \(terms) is out of order"; return }
                previous = term
                guard info.postings.lowerBound == postingsNext else { problem = "term \(terms)'s postings are not where the order puts them"; return }
                postingsNext = info.postings.upperBound
                var cursor = try segment.postings(info)
                var entries = 0
                var best: [(Int, UInt8)] = []
                while cursor.next() {
                    entries += 1
                    best.append((cursor.frequency, segment.norm(cursor.passage)))
                    cursor.positions(into: &positions)
                    if positions.count != cursor.frequency || zip(positions, positions.dropFirst()).contains(where: { $0 >= $1 }) {
                        problem = "term \(terms) has positions out of order in passage \(cursor.passage)"
                        return
                    }
                }
                guard !cursor.isCorrupt else { problem = "term \(terms)'s postings list is malformed"; return }
                guard entries == info.documentFrequency else {
                    problem = "term \(terms) lists \(entries) passages, its entry says \(info.documentFrequency)"
                    return
                }
                // The list's pairs must bound every posting.
                for (frequency, norm) in best where !cursor.listPairs.contains(where: { $0.frequency >= frequency && $0.norm <= norm }) {
                    problem = "term \(terms)'s score bound misses a passage"
                    return
                }
                report.postings += entries
                terms += 1
            }
            if let problem { return fail(problem) }
            guard terms == segment.termCount else { return fail("the dictionary holds \(terms) terms, its count says \(segment.termCount)") }
            guard postingsNext == segment.postings.upperBound else { return fail("the postings section holds more than the terms use") }
            report.terms += segment.termCount
        } catch {
            report.problems.append(error.description)
        }
    }
}

/// Whether `bytes` are valid UTF-8.
private func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue: continue
        case .emptyInput: return true
        case .error: return false
        }
    }
}
