import Foundation
import FahrasExtract
import FahrasIndex

/// Reads a document's extracted text again from its source file, for indexes that keep no
/// copy of their passages (`fahras index --text external`, ``IndexingOptions/externalText``).
///
/// The text is produced the way indexing produced it (the same extractor, or the same JSON
/// Lines record), and only from a source that is still what was indexed: a whole file must
/// hash as it did; a JSON Lines file must keep its size and time (or, touched, its hash), and
/// the record at the recorded offset its id. Otherwise the passage offsets would point into
/// other text, so this stops with ``SourceTextError`` rather than show it.
package struct SourceText: Sendable {
    package var extractor: DocumentExtractor
    /// The extraction the index records, when this build's differs from it: its passage
    /// offsets would point into other text, so no text is shown.
    private var builtWith: (built: String, now: String)?

    package init(extractor: DocumentExtractor = DocumentExtractor()) {
        self.extractor = extractor
    }

    /// Reads texts as the index described by `manifest` was built: captions kept if they
    /// were; refuses every text if its extraction rules are not this build's.
    package init(for manifest: Manifest) {
        let built = manifest.analyzer.parts[IndexingRun.extractionPart] ?? "none recorded"
        var extractor = DocumentExtractor()
        extractor.boilerplate.keepsCaptions = built.contains(DocumentExtractor.captionsMark)
        self.init(extractor: extractor)
        var pipeline = DocumentPipeline(extractor: extractor)
        pipeline.wholeRecords = built.contains(DocumentPipeline.wholeRecordsMark)
        if manifest.keepsTextsExternal && built != pipeline.signature { builtWith = (built, pipeline.signature) }
    }

    /// The extracted text of `document`, which passage ranges point into.
    package func text(of document: SegmentReader.Document) throws(SourceTextError) -> String {
        if let builtWith { throw .extractionChanged(built: builtWith.built, now: builtWith.now) }
        let path = document.source
        // Non-blocking, and only a regular file: a FIFO put in a source's place must not hang a search.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: SourceCollector.errnoMessage()) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(path: path, reason: SourceCollector.errnoMessage()) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .unreadable(path: path, reason: "it is not a regular file") }
        guard UInt64(max(0, info.st_size)) == document.size else { throw .changed(path: path) }

        let format = SourceFormat(fileName: path)
        if format == .jsonLines && info.modifiedNanoseconds == document.modified {
            // Unchanged by size and time: read just the record's line.
            return try record(of: document, onLine: line(at: document.offsetInSource, descriptor: descriptor, path: path)[...]).text
        }
        let bytes = try readAll(descriptor, size: Int(info.st_size), path: path)
        guard bytes.withUnsafeBytes({ ContentHash.xxh64($0) }) == document.contentHash else { throw .changed(path: path) }
        if format == .jsonLines {
            // Same bytes under a new time: the record is in what was just read.
            let start = Int(clamping: document.offsetInSource)
            guard start <= bytes.count else {
                throw .recordMissing(path: path, id: document.path, offset: document.offsetInSource)
            }
            return try record(of: document, onLine: bytes[start...]).text
        }
        do {
            return try extractor.extract(bytes, format: format).text
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
    }

    /// The bytes of the line that starts at `offset`, without its newline.
    private func line(at offset: UInt64, descriptor: Int32, path: String) throws(SourceTextError) -> [UInt8] {
        var line: [UInt8] = []
        var position = off_t(offset)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, position) }
            guard count >= 0 else { throw .unreadable(path: path, reason: SourceCollector.errnoMessage()) }
            if let newline = chunk[0..<count].firstIndex(of: 0x0A) {
                line.append(contentsOf: chunk[0..<newline])
                return line
            }
            line.append(contentsOf: chunk[0..<count])
            if count == 0 { return line }
            position += off_t(count)
        }
    }

    /// The JSON Lines record `line` holds (up to its first newline), checked against the
    /// document's id.
    private func record(of document: SegmentReader.Document, onLine line: ArraySlice<UInt8>) throws(SourceTextError) -> JSONLinesRecord {
        let parsed = line.withUnsafeBufferPointer { buffer in
            Result { () throws(ExtractError) in try JSONLinesReader.record(onLine: buffer, line: 0) }
        }
        guard case .success(let record) = parsed, record.id == document.path else {
            throw .recordMissing(path: document.source, id: document.path, offset: document.offsetInSource)
        }
        return record
    }

    private func readAll(_ descriptor: Int32, size: Int, path: String) throws(SourceTextError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, size - done, off_t(done)) }
            guard count > 0 else {
                throw count == 0 ? .changed(path: path) : .unreadable(path: path, reason: SourceCollector.errnoMessage())
            }
            done += count
        }
        return bytes
    }
}

/// Why a document's text could not be read again from its source file.
package enum SourceTextError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file cannot be opened or read.
    case unreadable(path: String, reason: String)
    /// The file is no longer what was indexed.
    case changed(path: String)
    /// The JSON Lines record is no longer where it was indexed.
    case recordMissing(path: String, id: String, offset: UInt64)
    /// The index was built by other extraction rules than this build's.
    case extractionChanged(built: String, now: String)

    package var description: String {
        let advice = "the index keeps no copy of passage texts (built with --text external); "
            + "run `fahras index` to bring it up to date"
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read '\(path)' again to show its passages: \(reason); \(advice)"
        case .changed(let path):
            return "'\(path)' changed since it was indexed, so its passages cannot be shown; \(advice)"
        case .recordMissing(let path, let id, let offset):
            return "'\(path)' no longer holds the record \(id) at byte \(offset), so its passages cannot be shown; \(advice)"
        case .extractionChanged(let built, let now):
            return "the index was built with extraction \(built) and this fahras extracts with \(now), so passage "
                + "offsets would point into other text; \(advice)"
        }
    }
}
