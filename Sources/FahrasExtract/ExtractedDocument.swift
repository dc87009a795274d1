/// The clean text of one source file, as the extract stage hands it to the segmenter.
///
/// `text` is the article text with markup, entities and site chrome removed: one block per
/// paragraph, white space collapsed inside a block, blocks separated by one blank line
/// (`"\n\n"`). Passage offsets are measured in this string, so a hit can quote it exactly.
package struct ExtractedDocument: Equatable, Sendable {
    /// The document's title: `<title>`, else the first `<h1>`, else its first article block.
    package var title: String
    /// The article's blocks (paragraphs), each without line breaks or repeated spaces.
    package var blocks: [String]
    /// How many blocks were dropped as site chrome (menus, share bars, comment forms…).
    package var boilerplateBlocks: Int
    /// What the page says about itself, when the extractor collects it
    /// (``DocumentExtractor/collectsSignals``), and its first blocks, chrome included (date
    /// lines are chrome by the filter's rules): what article metadata is read from.
    package var signals: PageSignals?
    package var pageBlocks: [String] = []
    /// The dropped blocks and why, when the extractor keeps them (``DocumentExtractor/keepsDropped``).
    package var dropped: [(text: String, reason: BoilerplateFilter.Reason)] = []
    /// What the reader should know about how the page was read (attributes cut).
    package var notes: [String] = []

    package static func == (a: ExtractedDocument, b: ExtractedDocument) -> Bool {
        a.title == b.title && a.blocks == b.blocks && a.boilerplateBlocks == b.boilerplateBlocks && a.pageBlocks == b.pageBlocks
            && a.dropped.map(\.text) == b.dropped.map(\.text) && a.dropped.map(\.reason) == b.dropped.map(\.reason)
    }

    /// The blocks joined by blank lines: the text passages point into.
    package var text: String { blocks.joined(separator: "\n\n") }

    package init(title: String, blocks: [String], boilerplateBlocks: Int = 0) {
        self.title = title
        self.blocks = blocks
        self.boilerplateBlocks = boilerplateBlocks
    }
}

/// How a file's bytes are read.
package enum SourceFormat: String, Sendable, Equatable {
    /// HTML: block elements separate paragraphs; newlines are ordinary white space.
    case html
    /// Plain text (possibly with stray markup and entities): blank lines separate paragraphs.
    case text
    /// JSON Lines: one document per line, `{"id": …, "title": …, "text": …}`.
    case jsonLines

    /// The format a file name implies: `.html`, `.htm`, `.xhtml` are HTML, `.jsonl` and
    /// `.ndjson` JSON Lines, all else text.
    package init(fileName: String) {
        self.init(fileExtension: SourceFormat.fileExtension(of: fileName))
    }

    /// The format of a file whose extension is `fileExtension` (lower-cased, see
    /// ``fileExtension(of:)``).
    package init(fileExtension: String) {
        switch fileExtension {
        case "jsonl", "ndjson": self = .jsonLines
        case "html", "htm", "xhtml": self = .html
        default: self = .text
        }
    }

    /// What follows the last dot of `name`, lower-cased (`""` without a dot). An update
    /// that changes nothing asks this of every file: an ASCII extension is lower-cased byte
    /// by byte, where lower-casing the whole path went through Unicode case mapping.
    package static func fileExtension(of name: String) -> String {
        var name = name
        return name.withUTF8 { bytes in
            guard let dot = bytes.lastIndex(of: UInt8(ascii: ".")) else { return "" }
            let tail = UnsafeBufferPointer(rebasing: bytes[(dot + 1)...])
            guard tail.allSatisfy({ $0 < 0x80 }) else { return String(decoding: tail, as: UTF8.self).lowercased() }
            return String(unsafeUninitializedCapacity: tail.count) { out in
                for (i, byte) in tail.enumerated() {
                    out[i] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                }
                return tail.count
            }
        }
    }
}
