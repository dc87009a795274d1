/// Verifies an index the way Lucene's `CheckIndex` does: every file the manifest names,
/// every record in them and every cross-reference between them (`fahras check`).
///
/// Opening an index already checks each file's size, magic, version and CRC; the checker
/// then walks every document, passage, term and postings list, and compares the manifest's
/// deletions and statistics with what the segments hold.
public enum IndexChecker {
    /// What the check found.
    public struct Report: Sendable {
        /// Everything wrong, each naming the file and what is wrong; empty when the index is sound.
        public var problems: [String] = []
        /// Remarks that are not faults (files an interrupted run left behind).
        public var notes: [String] = []
        public var segments = 0
        public var documents = 0
        /// Documents not deleted, as the manifest counts them.
        public var liveDocuments = 0
        public var passages = 0
        public var terms = 0
        public var postings = 0
    }

    /// Checks the index at `directory`.
    ///
    /// - Parameter signature: given the manifest, the analyzer signature this build would
    ///   search it with (reading companions through ``IndexDirectory/read(_:)``).
    public static func check(_ directory: IndexDirectory, signature: (Manifest) throws -> String) -> Report {
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
            guard report.problems.count == before else { continue }
            let deleted = Set(entry.deleted)
            for (number, document) in segment.documents.enumerated() where !deleted.contains(number) {
                if let other = sources.updateValue(entry.file, forKey: document.source) {
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
              entry.deleted.allSatisfy({ $0 >= 0 && $0 < segment.documents.count }) else {
            report.problems.append("\(Manifest.fileName): the deletions of \(entry.file) are not distinct document numbers of that segment")
            return
        }
        var deadPassages = 0
        var deadLength: UInt64 = 0
        for number in entry.deleted {
            let document = segment.documents[number]
            deadPassages += document.passageCount
            for p in document.firstPassage..<(document.firstPassage + document.passageCount) where p < segment.passageCount {
                deadLength += UInt64(segment.passageLength(p))
            }
        }
        if entry.livePassages != segment.passageCount - deadPassages || entry.liveLength != segment.totalLength - deadLength {
            report.problems.append("\(Manifest.fileName): live passages or length recorded for \(entry.file) differ from its contents (\(file))")
        }
        let deleted = Set(entry.deleted)
        if entry.retimed.contains(where: { $0.document < 0 || $0.document >= segment.documents.count || deleted.contains($0.document) }) {
            report.problems.append("\(Manifest.fileName): a file time recorded for \(entry.file) names a document it does not hold live")
        }
    }

    /// Every record of one segment.
    private static func check(_ segment: SegmentReader, _ report: inout Report) {
        let file = segment.path
        func fail(_ reason: String) { report.problems.append("index file '\(file)' is damaged (\(reason))") }
        var next = 0
        for (number, document) in segment.documents.enumerated() {
            guard document.firstPassage == next else {
                return fail("document \(number) starts at passage \(document.firstPassage), expected \(next)")
            }
            next += document.passageCount
        }
        guard next == segment.passageCount else { return fail("documents hold \(next) passages, the table \(segment.passageCount)") }
        report.documents += segment.documents.count
        var storeNext = 0
        var total: UInt64 = 0
        for (number, document) in segment.documents.enumerated() {
            for p in document.firstPassage..<(document.firstPassage + document.passageCount) {
                do {
                    let record = try segment.passage(p)
                    guard record.document == number else { return fail("passage \(p) names document \(record.document), not \(number)") }
                    let text = try segment.passageTextBytes(p)
                    guard text.baseAddress == nil || text.baseAddress! - segment.file.bytes.baseAddress! == segment.store.lowerBound + storeNext else {
                        return fail("passage \(p)'s text is not where the store's order puts it")
                    }
                    guard isValidUTF8(text) else { return fail("passage \(p)'s text is not UTF-8") }
                    guard record.range.count >= 0 else { return fail("passage \(p) has an empty range") }
                    storeNext += text.count
                    total += UInt64(record.length)
                } catch {
                    return report.problems.append(error.description)
                }
            }
        }
        guard storeNext == segment.store.count else { return fail("the store holds \(segment.store.count) bytes, passages use \(storeNext)") }
        guard total == segment.totalLength else { return fail("passage lengths sum to \(total), the footer says \(segment.totalLength)") }
        report.passages += segment.passageCount

        var previous: UnsafeRawBufferPointer?
        var termNext = 0
        var postingsNext = segment.postings.lowerBound
        var positions: [Int32] = []
        for i in 0..<segment.termCount {
            do {
                let term = try segment.checkedTermBytes(at: i)
                if let previous, !previous.lexicographicallyPrecedes(term) { return fail("term \(i) is out of order") }
                guard term.baseAddress == nil || term.baseAddress! - segment.file.bytes.baseAddress! == segment.termBytes.lowerBound + termNext else {
                    return fail("term \(i)'s bytes are not where the dictionary's order puts them")
                }
                termNext += term.count
                previous = term
                let info = try segment.info(at: i)
                guard info.postings.lowerBound == postingsNext else { return fail("term \(i)'s postings are not where the order puts them") }
                postingsNext = info.postings.upperBound
                var cursor = segment.postings(info)
                var entries = 0
                while cursor.next() {
                    entries += 1
                    cursor.positions(into: &positions)
                    if zip(positions, positions.dropFirst()).contains(where: { $0 >= $1 }) {
                        return fail("term \(i) has positions out of order in passage \(cursor.passage)")
                    }
                }
                guard !cursor.isCorrupt else { return fail("term \(i)'s postings list is malformed") }
                guard entries == info.documentFrequency, entries > 0 else {
                    return fail("term \(i) lists \(entries) passages, its entry says \(info.documentFrequency)")
                }
                report.postings += entries
            } catch {
                return report.problems.append(error.description)
            }
        }
        guard termNext == segment.termBytes.count else { return fail("the term bytes hold more than the dictionary uses") }
        guard postingsNext == segment.postings.upperBound else { return fail("the postings section holds more than the terms use") }
        report.terms += segment.termCount
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
