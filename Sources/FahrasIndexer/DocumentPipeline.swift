import FahrasMetadata
import Foundation
import FahrasExtract
import FahrasSegment
import FahrasAnalysis
import FahrasIndex

/// Runs one file through extract → segment → analyze, producing what the segment writer
/// stores. Stateless and `Sendable`, so worker threads share one.
package struct DocumentPipeline: Sendable {
    package var extractor: DocumentExtractor
    package var segmenter: PassageSegmenter
    package var analyzer: Analyzer
    /// Files larger than this are skipped with a warning (bytes).
    package var maximumFileSize: Int
    /// Index each JSON Lines record as one passage instead of cutting its text into passages
    /// (for exports whose records are passages already).
    package var wholeRecords = false
    /// Extracted texts longer than this (bytes) are analysed a passage at a time as the
    /// segment builder takes them, on its thread: a 200 MB file's terms are never all held.
    package var streamingThreshold = 4 << 20

    /// Names what decides a document's passages: the extractor's ``DocumentExtractor/signature``,
    /// and `+whole-records` with ``wholeRecords``.
    package var signature: String {
        extractor.signature + (wholeRecords ? DocumentPipeline.wholeRecordsMark : "")
    }

    /// How ``signature`` says that JSON Lines records are whole passages.
    package static let wholeRecordsMark = "+whole-records"

    package init(extractor: DocumentExtractor = DocumentExtractor(), segmenter: PassageSegmenter = PassageSegmenter(),
                analyzer: Analyzer = .standard, maximumFileSize: Int = 256 << 20) {
        self.extractor = extractor
        self.segmenter = segmenter
        self.analyzer = analyzer
        self.maximumFileSize = maximumFileSize
    }

    /// A processed file: what the segment stores (one document, or one per JSON Lines
    /// record), and how much chrome was dropped.
    package struct Output: Sendable {
        package var documents: [DocumentInput]
        package var boilerplateBlocks: Int
        /// What was wrong with the file's records that did not stop them being indexed.
        package var warnings: [IndexingWarning] = []
    }

    /// What became of one file.
    package enum Outcome: Sendable {
        /// Read and analysed.
        case indexed(Output)
        /// Read, and its content hash is the one given: not analysed again.
        case unchanged(size: UInt64, modified: UInt64)
        /// Passed over, with the reason.
        case skipped(IndexingWarning)
    }

    /// Reads `file`; unless its content hashes to `knownHash`, extracts, segments and
    /// analyzes it.
    package func process(_ file: SourceFile, unlessHash knownHash: UInt64? = nil) -> Outcome {
        func warning(_ reason: String) -> Outcome {
            .skipped(IndexingWarning(path: file.displayPath, reason: reason))
        }
        var data: Data
        let info: stat
        switch readFile(file) {
        case .success(let read): (data, info) = read
        case .failure(let skipped): return .skipped(skipped)
        }
        let modified = info.modifiedNanoseconds
        let hash = data.withUnsafeBytes { ContentHash.xxh64($0) }
        if hash == knownHash { return .unchanged(size: UInt64(data.count), modified: modified) }
        if file.format == .jsonLines {
            switch DocumentPipeline.records(in: data) {
            case .success(let (records, duplicates)):
                let (documents, problems) = documents(of: records, file: file, size: UInt64(data.count), modified: modified, hash: hash)
                return .indexed(Output(documents: documents, boilerplateBlocks: 0,
                                       warnings: DocumentPipeline.warnings(file, records: records, documents: documents, problems: problems,
                                                                           duplicates: duplicates)))
            case .failure(let error):
                return warning(error.description)
            }
        }
        var reader = extractor
        reader.collectsSignals = true
        let outcome = data.withUnsafeBytes { raw -> Result<ExtractedDocument, ExtractError> in
            let bytes = raw.bindMemory(to: UInt8.self)
            return Result { () throws(ExtractError) in try reader.extract(bytes, format: file.format) }
        }
        var extracted: ExtractedDocument
        switch outcome {
        case .success(let document): extracted = document
        case .failure(let error): return warning(error.description)
        }
        let (title, metadata) = data.withUnsafeBytes { article(of: extracted, page: $0) }
        // A big file is held once from here on: the page and the blocks go before analysis.
        let size = UInt64(data.count)
        data = Data()
        let text = extracted.text
        extracted.blocks = []
        extracted.pageBlocks = []
        let (passages, stream) = passages(of: text, title: title)
        var document = DocumentInput(
            path: file.displayPath, title: title, source: file.source, size: size,
            modified: modified, contentHash: hash, passages: passages, fields: metadata?.fieldValues ?? [:])
        document.stream = stream
        return .indexed(Output(documents: [document], boilerplateBlocks: extracted.boilerplateBlocks,
                               warnings: extracted.notes.map { IndexingWarning(path: file.displayPath, reason: $0) }))
    }

    /// The title and metadata of an extracted page: the headline is the title when the page
    /// gives one (og:title, h1 or <title>).
    private func article(of document: ExtractedDocument, page: UnsafeRawBufferPointer) -> (title: String, metadata: ArticleMetadata?) {
        let metadata = document.signals.map {
            MetadataReader().read($0, blocks: document.blocks, pageBlocks: document.pageBlocks, page: page)
        }
        return (metadata?.headline.map(extractor.title) ?? document.title, metadata)
    }

    /// The analysed passages of a document's `text`, or, past ``streamingThreshold`` bytes,
    /// the stream that makes them one by one as the segment builder takes them.
    private func passages(of text: String, title: String) -> (passages: [PassageInput], stream: PassageStream?) {
        let vocabulary = TermVocabulary()
        guard text.utf8.count > streamingThreshold else {
            return (withTitle(title, segmenter.passages(of: text).map { analyzed($0, into: vocabulary) }), nil)
        }
        let windows = segmenter.passages(of: text)
        return ([], PassageStream(count: windows.count) { [self] k in
            var passage = analyzed(windows[k], into: vocabulary)
            if k == 0 { addTitle(title, to: &passage) }
            return passage
        })
    }

    /// The title's terms (``Analyzer/titleTerms(_:)``) go with the first passage.
    private func withTitle(_ title: String, _ passages: [PassageInput]) -> [PassageInput] {
        defer { passages.first?.vocabulary.seal() }
        guard !passages.isEmpty else { return passages }
        var out = passages
        addTitle(title, to: &out[0])
        return out
    }

    /// Adds the title's terms to `passage` (the first of its document), at position 0.
    private func addTitle(_ title: String, to passage: inout PassageInput) {
        guard !title.isEmpty else { return }
        for term in analyzer.titleTerms(title) { passage.terms.append(PassageInput.pack(passage.vocabulary.id(of: term), position: 0)) }
    }


    /// The records of a JSON Lines file's bytes, or why not.
    private static func records(in data: Data) -> Result<(records: [JSONLinesRecord], duplicates: [JSONLinesReader.Duplicate]), ExtractError> {
        data.withUnsafeBytes { raw in
            Result { () throws(ExtractError) in try JSONLinesReader.read(raw.bindMemory(to: UInt8.self)) }
        }
    }

    /// What is wrong with a JSON Lines file that is indexed all the same: ids used twice, and
    /// record fields left out (`problems`, by record), each naming its line.
    private static func warnings(_ file: SourceFile, records: [JSONLinesRecord], documents: [DocumentInput], problems: [[String]],
                                 duplicates: [JSONLinesReader.Duplicate]) -> [IndexingWarning] {
        var out = duplicates.map { IndexingWarning(path: file.displayPath, reason: $0.description) }
        for (k, record) in records.enumerated() {
            for problem in problems[k] {
                out.append(IndexingWarning(path: file.displayPath, reason: "line \(record.line): \(problem)"))
            }
            // A record without text was dropped without a word.
            if record.text.allSatisfy(\.isWhitespace) {
                let kept = documents[k].passages.isEmpty && documents[k].stream == nil ? "nothing of it is indexed" : "only its title is indexed"
                out.append(IndexingWarning(path: file.displayPath, reason: "line \(record.line): record '\(record.id)' has no text; \(kept)"))
            }
        }
        return out
    }

    /// The whole of `file` and its status, or why it cannot be read.
    private func readFile(_ file: SourceFile) -> Result<(Data, stat), IndexingWarning> {
        func warning(_ reason: String) -> Result<(Data, stat), IndexingWarning> {
            .failure(IndexingWarning(path: file.displayPath, reason: reason))
        }
        func failure() -> String { String(cString: strerror(errno)).lowercased() }
        // Read with POSIX calls: Data(contentsOf:) cost a URL, a second stat and Foundation's
        // checks per file, about 1 % of a build's cycles.
        // Non-blocking: a FIFO put where a file was (after the scan) must not hold the run,
        // and the index's lock, forever in open().
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return warning(errno == EACCES ? "cannot read: permission denied" : failure()) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return warning(failure()) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            return warning(info.st_mode & S_IFMT == S_IFDIR ? "cannot read: is a directory" : "not a regular file (a FIFO, device or socket)")
        }
        guard Int(info.st_size) <= maximumFileSize else {
            return warning("larger than \(DocumentPipeline.size(maximumFileSize)) (\(DocumentPipeline.size(Int(info.st_size))))")
        }
        guard let data = DocumentPipeline.readAll(descriptor, expected: Int(info.st_size), limit: maximumFileSize) else {
            if errno == EFBIG { return warning("grew past \(DocumentPipeline.size(maximumFileSize)) while it was read") }
            return warning("cannot read: " + failure())
        }
        return .success((data, info))
    }

    /// One document of a file as `fahras extract` shows it: what would be indexed, with the
    /// page's metadata and the blocks dropped as chrome.
    package struct Article: Sendable {
        package var path: String
        package var title: String
        package var metadata: ArticleMetadata?
        package var passages: [String]
        package var dropped: [(text: String, reason: String)]
        /// Why indexing would pass the document over, if it would.
        package var skipped: String?
        /// What was wrong with the document's metadata (JSON Lines fields), each naming the line.
        package var warnings: [String] = []
    }

    /// ``articles(of:)`` of each file, in order, read on every core.
    package func articles(of files: [SourceFile]) -> [Result<[Article], IndexingWarning>] {
        let slots = UnsafeMutableBufferPointer<Result<[Article], IndexingWarning>?>.allocate(capacity: files.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        nonisolated(unsafe) let output = slots  // each iteration writes its own slot
        DispatchQueue.concurrentPerform(iterations: files.count) { i in output[i] = articles(of: files[i]) }
        return slots.map { $0! }
    }

    /// The documents of `file` as they would be indexed (without analysis), or why not.
    package func articles(of file: SourceFile) -> Result<[Article], IndexingWarning> {
        let data: Data
        switch readFile(file) {
        case .success(let read): data = read.0
        case .failure(let skipped): return .failure(skipped)
        }
        func failure(_ error: ExtractError) -> Result<[Article], IndexingWarning> {
            .failure(IndexingWarning(path: file.displayPath, reason: error.description))
        }
        if file.format == .jsonLines {
            switch DocumentPipeline.records(in: data) {
            case .success(let (records, duplicates)):
                var articles = records.map { record in
                    let (metadata, problems) = ArticleMetadata.of(record)
                    var article = Article(path: record.id, title: record.title, metadata: metadata,
                                          passages: wholeRecords ? [record.text] : segmenter.passages(of: record.text).map { String($0.text) },
                                          dropped: [], skipped: nil)
                    article.warnings = problems.map { "\(file.displayPath):\(record.line): \($0)" }
                    return article
                }
                // A duplicate's warning goes with the record kept.
                for duplicate in duplicates {
                    if let k = articles.firstIndex(where: { $0.path == duplicate.id }) {
                        articles[k].warnings.append("\(file.displayPath):\(duplicate.line): " + duplicate.description)
                    }
                }
                return .success(articles)
            case .failure(let error): return failure(error)
            }
        }
        var reader = extractor
        reader.collectsSignals = true
        reader.keepsDropped = true
        reader.keepsEmpty = true
        let outcome = data.withUnsafeBytes { raw -> Result<ExtractedDocument, ExtractError> in
            Result { () throws(ExtractError) in try reader.extract(raw.bindMemory(to: UInt8.self), format: file.format) }
        }
        switch outcome {
        case .success(let document):
            let (title, metadata) = data.withUnsafeBytes { article(of: document, page: $0) }
            var shown = Article(path: file.displayPath, title: title, metadata: metadata,
                                passages: segmenter.passages(of: document.text).map { String($0.text) },
                                dropped: document.dropped.map { ($0.text, $0.reason.rawValue) },
                                skipped: document.blocks.isEmpty ? ExtractError.noText.description : nil)
            shown.warnings = document.notes.map { "\(file.displayPath): \($0)" }
            return .success([shown])
        case .failure(let error): return failure(error)
        }
    }

    /// `passage` analysed, its terms added to its document's `vocabulary`.
    private func analyzed(_ passage: Passage, into vocabulary: TermVocabulary) -> PassageInput {
        let text = String(passage.text)
        let tokens = analyzer.analyze(text)
        return PassageInput(
            ordinal: passage.ordinal, range: passage.range, text: passage.text, vocabulary: vocabulary,
            terms: tokens.map { PassageInput.pack(vocabulary.id(of: $0.term), position: $0.position) },
            length: tokens.reduce(0) { $0 + ($1.isVariant ? 0 : 1) }, fingerprint: Fingerprint.of(tokens, in: text))
    }

    /// The documents of a JSON Lines file: one per record, shown by its id, analysed on all
    /// cores; they share the file's source, size, time and hash (the file is their unit of
    /// change). With them, what was wrong with each record's article fields.
    private func documents(of records: [JSONLinesRecord], file: SourceFile, size: UInt64, modified: UInt64,
                           hash: UInt64) -> (documents: [DocumentInput], problems: [[String]]) {
        let slots = UnsafeMutableBufferPointer<(DocumentInput, [String])?>.allocate(capacity: records.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        let chunk = 256
        nonisolated(unsafe) let output = slots
        DispatchQueue.concurrentPerform(iterations: (records.count + chunk - 1) / chunk) { c in
            for i in (c * chunk)..<min(records.count, (c + 1) * chunk) {
                let record = records[i]
                let vocabulary = TermVocabulary()
                let (passages, stream) = wholeRecords
                    ? (withTitle(record.title, [analyzed(Passage(ordinal: 0, range: 0..<record.text.utf8.count, text: record.text[...]),
                                                         into: vocabulary)]), nil)
                    : self.passages(of: record.text, title: record.title)
                let (metadata, problems) = ArticleMetadata.of(record)
                var document = DocumentInput(path: record.id, title: record.title, source: file.source, size: size,
                                             modified: modified, contentHash: hash, passages: passages,
                                             offsetInSource: UInt64(record.offset), fields: metadata.fieldValues)
                document.stream = stream
                output[i] = (document, problems)
            }
        }
        return (slots.map { $0!.0 }, slots.map { $0!.1 })
    }

    /// A size for a message: in megabytes, or in bytes below one.
    static func size(_ bytes: Int) -> String { bytes >= 1 << 20 ? "\(bytes >> 20) MB" : "\(bytes) bytes" }

    /// The bytes of the open file `descriptor` to its end (`expected` is its size when it
    /// was opened; a file that grew since is read whole up to `limit` bytes), or `nil` with
    /// `errno` set (`EFBIG`: it grew past `limit`).
    private static func readAll(_ descriptor: Int32, expected: Int, limit: Int) -> Data? {
        var capacity = expected + 1  // one byte more: the read that finds the end needs no growth
        guard var buffer = malloc(capacity) else { return nil }
        var count = 0
        while true {
            if count > limit {
                free(buffer)
                errno = EFBIG
                return nil
            }
            if count == capacity {
                // Full: the file grew since it was opened, or it is exactly its size.
                capacity = min(capacity * 2, limit + 2)
                guard let larger = realloc(buffer, capacity) else { free(buffer); return nil }
                buffer = larger
            }
            let got = read(descriptor, buffer + count, capacity - count)
            if got < 0 {
                if errno == EINTR { continue }
                free(buffer)
                return nil
            }
            if got == 0 { break }
            count += got
        }
        return Data(bytesNoCopy: buffer, count: count, deallocator: .free)
    }
}
