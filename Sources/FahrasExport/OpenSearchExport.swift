import FahrasAnalysis
import FahrasIndex
import FahrasJSONCore
import FahrasSearch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes an index's live passages for OpenSearch: `mapping.json` (an index template) and
/// `bulk-NNNN.ndjson` files for the `_bulk` API, one document per passage with its
/// article's fields and the terms Fahras indexes for it (``OpenSearchMapping``).
///
/// The files are written in a folder beside the destination and renamed to it at the end,
/// so the destination holds a whole export or nothing.
package struct OpenSearchExport {
    package var searcher: Searcher
    /// The index the bulk actions name (`_index`), and the template's pattern.
    package var indexName = "fahras"
    /// A bulk file ends at the first passage past this size (OpenSearch advises 5–15 MB a request).
    package var bulkBytes = 8 << 20

    package init(searcher: Searcher) {
        self.searcher = searcher
    }

    /// What an export wrote.
    package struct Summary: Sendable, Equatable {
        package var documents = 0
        package var passages = 0
        package var bulkFiles = 0
        package var bytes = 0
    }

    /// OpenSearch's limit on a document `_id`, in bytes.
    static let maximumIDBytes = 512

    package func write(to destination: String) throws(ExportError) -> Summary {
        try Self.checkDestination(destination)
        let staging = Self.stagingPath(for: destination)
        guard mkdir(staging, 0o755) == 0 else {
            throw .index(.io(path: staging, operation: "create directory", message: FileIO.errorMessage()))
        }
        do {
            let summary = try writeFiles(in: staging)
            try Self.publish(staging, as: destination)
            return summary
        } catch {
            Self.removeStaging(staging)
            throw error
        }
    }

    private func writeFiles(in folder: String) throws(ExportError) -> Summary {
        let mapping = OpenSearchMapping.template(indexPattern: indexName + "*", bm25: searcher.bm25,
                                                 analyzer: searcher.analyzer.signature)
        try Self.write(Array((mapping.pretty + "\n").utf8), to: folder + "/mapping.json")
        var summary = Summary()
        var buffer: [UInt8] = []
        func flush() throws(ExportError) {
            guard !buffer.isEmpty else { return }
            summary.bulkFiles += 1
            summary.bytes += buffer.count
            try Self.write(buffer, to: folder + "/" + Self.bulkName(summary.bulkFiles))
            buffer.removeAll(keepingCapacity: true)
        }
        let documents: [(document: SegmentReader.Document, segment: SegmentReader)]
        do { documents = try searcher.liveDocuments() } catch { throw .search(error) }
        for (record, segment) in documents {
            let shown: ShownDocument
            do { shown = try searcher.shown(record, in: segment) } catch { throw .search(error) }
            summary.documents += 1
            let title = searcher.analyzer.titleTerms(shown.title).map { String($0.dropFirst(Analyzer.titlePrefix.count)) }
            for (ordinal, text) in shown.passages {
                let source = try passageSource(shown, ordinal: ordinal, text: text, titleTerms: title, hash: record.contentHash)
                buffer += Array(action(document: shown.path, passage: ordinal).compact.utf8) + [0x0A]
                buffer += Array(source.compact.utf8) + [0x0A]
                summary.passages += 1
                if buffer.count >= bulkBytes { try flush() }
            }
        }
        try flush()
        return summary
    }

    /// `bulk-0001.ndjson`…
    static func bulkName(_ number: Int) -> String {
        let digits = String(number)
        return "bulk-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits + ".ndjson"
    }

    /// The bulk action line of a passage: its `_id` is `DOC#PASSAGE`, or, for an id past
    /// OpenSearch's 512 bytes, the hash of the document id in its place (`doc` keeps it whole).
    func action(document: String, passage: Int) -> JSONValue {
        .object(("index", .object(("_index", .string(indexName)), ("_id", .string(Self.documentID(document, passage: passage))))))
    }

    package static func documentID(_ document: String, passage: Int) -> String {
        let id = document + "#" + String(passage)
        guard id.utf8.count > maximumIDBytes else { return id }
        let hash = Array(document.utf8).withUnsafeBytes { ContentHash.xxh64($0) }
        return "xxh64:" + hex(hash) + "#" + String(passage)
    }

    /// The passage's document: its article's fields, then the pre-analysed fields.
    private func passageSource(_ document: ShownDocument, ordinal: Int, text: String, titleTerms: [String],
                               hash: UInt64) throws(ExportError) -> JSONValue {
        let tokens = searcher.analyzer.analyze(text)
        var members: [(String, JSONValue)] = [
            ("doc", .string(document.path)), ("passage", .int(ordinal)), ("title", .string(document.title)), ("text", .string(text)),
        ]
        for (name, value) in document.fields { members.append((name, .string(value))) }
        let layout = try Self.layout(tokens, document: document.path, passage: ordinal)
        members += [
            ("content_hash", .string(Self.hex(hash))), ("fingerprint", .string(Self.hex(Fingerprint.of(tokens, in: text)))),
            ("tokens", .string(layout.tokens)), ("words", .string(layout.words)),
            ("title_tokens", .string(titleTerms.joined(separator: " "))),
        ]
        return .members(members)
    }

    /// The `tokens` and `words` fields of analysed text: one space-separated entry a word
    /// position, so that OpenSearch's positions are Fahras's. In `tokens` an entry is every
    /// term at that position joined by the stack separator (the word first); in `words` it
    /// is the word alone. A position with no word (none in text the analyzer made; kept
    /// for safety) is the separator alone, a term no query names.
    package static func layout(_ tokens: [Token], document: String, passage: Int) throws(ExportError) -> (tokens: String, words: String) {
        guard let last = tokens.map(\.position).max() else { return ("", "") }
        var stacks = [[String]](repeating: [], count: last + 1)
        var words = [String?](repeating: nil, count: last + 1)
        for token in tokens {
            guard isSafe(token.term) else { throw .unsafeTerm(term: token.term, document: document, passage: passage) }
            if !token.isVariant && words[token.position] == nil {
                words[token.position] = token.term
                stacks[token.position].insert(token.term, at: 0)
            } else if !stacks[token.position].contains(token.term) {
                stacks[token.position].append(token.term)
            }
        }
        let filler = OpenSearchMapping.stackSeparator
        return (stacks.map { $0.isEmpty ? filler : $0.joined(separator: filler) }.joined(separator: " "),
                words.map { $0 ?? filler }.joined(separator: " "))
    }

    /// Whether `term` reaches OpenSearch as one term: no white space, no control character.
    static func isSafe(_ term: String) -> Bool {
        !term.isEmpty && !term.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension OpenSearchExport {
    /// Refuses a destination that is a file, or a folder holding anything.
    static func checkDestination(_ path: String) throws(ExportError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw .index(.io(path: path, operation: "inspect", message: FileIO.errorMessage()))
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .destinationNotEmpty(path: path) }
        guard let names = entries(of: path) else {
            throw .index(.io(path: path, operation: "open directory", message: FileIO.errorMessage()))
        }
        if !names.isEmpty { throw .destinationNotEmpty(path: path) }
    }

    /// The names in folder `path` (`.` and `..` left out); `nil` if it cannot be opened.
    static func entries(of path: String) -> [String]? {
        guard let folder = opendir(path) else { return nil }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// A hidden folder beside `destination`, named for this process.
    static func stagingPath(for destination: String) -> String {
        var trimmed = Substring(destination)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let parent = trimmed.lastIndex(of: "/").map { String(trimmed[...$0]) } ?? ""
        let name = trimmed.lastIndex(of: "/").map { String(trimmed[trimmed.index(after: $0)...]) } ?? String(trimmed)
        return parent + "." + name + ".export-" + String(getpid())
    }

    static func write(_ bytes: [UInt8], to path: String) throws(ExportError) {
        do { try FileIO.writeDurably(bytes, to: path) } catch { throw .index(error) }
    }

    /// Renames the finished folder to `destination` (replacing it if it is an empty folder).
    static func publish(_ staging: String, as destination: String) throws(ExportError) {
        try checkDestination(destination)  // a folder filled while the export ran is not replaced
        do {
            try FileIO.syncDirectory(staging)
            try FileIO.rename(staging, to: destination)
        } catch {
            throw .index(error)
        }
    }

    /// Removes the staging folder and the files this export put in it.
    static func removeStaging(_ staging: String) {
        for name in entries(of: staging) ?? [] where name == "mapping.json" || (name.hasPrefix("bulk-") && name.hasSuffix(".ndjson")) {
            unlink(staging + "/" + name)
        }
        rmdir(staging)
    }
}
