#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The extract stage: a file's bytes in, clean title and paragraphs out.
///
/// ```swift
/// let extractor = DocumentExtractor()
/// let document = try extractor.extract(bytes, format: .html)
/// print(document.title, document.blocks.count)
/// ```
///
/// Input is checked before libxml2 sees it: empty files, binary files (a NUL byte) and text
/// that is not UTF-8 (unless an HTML file declares its charset) are errors, never silently
/// decoded as something else.
package struct DocumentExtractor: Sendable {
    /// The rules that drop site chrome.
    package var boilerplate: BoilerplateFilter
    /// Longest title kept, in characters; longer first lines are cut at a word boundary.
    package var maximumTitleLength = 200
    /// Also collect the page's ``PageSignals`` (meta tags, JSON-LD…) and first blocks.
    package var collectsSignals = false
    /// How many blocks from the top of a page are kept with the signals.
    package static let pageBlocksKept = 30
    /// Also keep the dropped blocks, with the rule that dropped each.
    package var keepsDropped = false
    /// Return a page whose every block is chrome with no blocks, instead of the error
    /// ``ExtractError/noText`` (to show what was read of it).
    package var keepsEmpty = false

    package init(boilerplate: BoilerplateFilter = .standard) {
        self.boilerplate = boilerplate
    }

    /// Version of the extraction rules; part of ``signature``. Raise it whenever the text
    /// extracted from a page changes for the same data files.
    package static let version = "extract-5"

    /// Names what decides the text taken from a page: the rules' version, a fingerprint of
    /// their data files (`chrome-sections.txt`, `boilerplate-phrases.txt`) and what is kept
    /// on request (`+captions`). Stored with the index, whose update rebuilds it when this changes.
    package var signature: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for bytes in [PackageResources.chrome_sections_txt, PackageResources.boilerplate_phrases_txt] {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0xFF) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return DocumentExtractor.version + "-" + String(repeating: "0", count: 16 - hex.count) + hex
            + (boilerplate.keepsCaptions ? DocumentExtractor.captionsMark : "")
    }

    /// How ``signature`` says that captions are kept.
    package static let captionsMark = "+captions"

    /// Extracts the title and article blocks from a file's bytes.
    package func extract(_ bytes: [UInt8], format: SourceFormat) throws(ExtractError) -> ExtractedDocument {
        let result: Result<ExtractedDocument, ExtractError> = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(ExtractError) in try extract(buffer, format: format) }
        }
        return try result.get()
    }

    /// Extracts from bytes in memory that the caller keeps alive.
    package func extract(_ buffer: UnsafeBufferPointer<UInt8>, format: SourceFormat) throws(ExtractError) -> ExtractedDocument {
        var bytes = buffer
        if bytes.isEmpty { throw .empty }
        // A UTF-8 byte-order mark is not text.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            bytes = UnsafeBufferPointer(rebasing: bytes[3...])
            if bytes.isEmpty { throw .empty }
        }
        // UTF-16 is full of NULs, but it is text: say what it is.
        if bytes.count >= 2, (bytes[0], bytes[1]) == (0xFF, 0xFE) || (bytes[0], bytes[1]) == (0xFE, 0xFF) {
            throw .utf16(bigEndian: bytes[0] == 0xFE)
        }
        if let nul = firstNUL(in: bytes) { throw .binary(offset: nul) }
        let encoding: String?
        if let bad = UTF8Validation.firstInvalidByte(in: bytes) {
            guard format == .html, declaresCharset(bytes) else { throw .invalidUTF8(offset: bad) }
            encoding = nil  // let libxml2 follow the page's <meta charset>
        } else {
            encoding = "UTF-8"
        }
        var notes: [String] = []
        let output: HTMLTextExtractor.Output
        // A page of UTF-8 is parsed at once, the budget checked as its tags are read; a page
        // with a tag past it, or in another encoding (libxml2), is scanned for such tags first.
        if format == .html, encoding != nil,
           let parsed = try HTMLTextExtractor().extract(bytes, encoding: encoding, format: format, metadata: collectsSignals,
                                                        attributeLimit: AttributeBudget.maximum) {
            output = parsed
        } else if format == .html, let (trimmed, cut) = AttributeBudget.trimmed(bytes) {
            notes.append("\(cut) attributes past \(AttributeBudget.maximum) on one element were not read")
            output = try trimmed.withUnsafeBufferPointer { page throws(ExtractError) in
                try HTMLTextExtractor().extract(page, encoding: encoding, format: format, metadata: collectsSignals)
            }
        } else {
            output = try HTMLTextExtractor().extract(bytes, encoding: encoding, format: format, metadata: collectsSignals)
        }
        var droppedBlocks: [(text: String, reason: BoilerplateFilter.Reason)] = []
        // The headline is kept whatever its length (the chrome rules drop short fragments).
        let headline = output.heading.flatMap { $0.isEmpty ? nil : $0 }
        let (kept, dropped) = keepsDropped
            ? boilerplate.articleBlocks(output.blocks, keeping: headline, structure: output.structure) { droppedBlocks.append(($0, $1)) }
            : boilerplate.articleBlocks(output.blocks, keeping: headline, structure: output.structure)
        if kept.isEmpty && !keepsEmpty { throw .noText }
        let title = output.title.map(shorten) ?? kept.first.map(shorten) ?? ""
        var document = ExtractedDocument(title: title, blocks: kept, boilerplateBlocks: dropped)
        document.dropped = droppedBlocks
        document.notes = notes
        if collectsSignals {
            document.signals = output.signals
            document.pageBlocks = output.blocks.prefix(DocumentExtractor.pageBlocksKept).map(\.joined)
        }
        return document
    }

    /// A title cut to ``maximumTitleLength`` at a word boundary.
    package func title(_ text: String) -> String {
        shorten(text)
    }

    private func firstNUL(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        // memchr: a byte loop here was 2 % of a build's instructions.
        guard let base = bytes.baseAddress, let nul = memchr(base, 0, bytes.count) else { return nil }
        return UnsafeRawPointer(nul) - UnsafeRawPointer(base)
    }

    /// Whether the first 2 KB carry a `charset=` declaration (`<meta charset=…>` or
    /// `<meta http-equiv=… content="text/html; charset=…">`).
    private func declaresCharset(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let head = String(decoding: bytes.prefix(2048), as: UTF8.self).lowercased()
        return head.contains("charset=") || head.contains("charset =")
    }

    private func shorten(_ title: String) -> String {
        guard title.count > maximumTitleLength else { return title }
        let cut = title.prefix(maximumTitleLength)
        if let space = cut.lastIndex(of: " ") { return String(cut[..<space]) + "…" }
        return String(cut) + "…"
    }
}
