/// One passage of a document: the unit Fahras ranks and shows.
///
/// A passage is a paragraph of the extracted text, or a window of a long paragraph cut at
/// sentence boundaries. Its `range` points into the document's extracted text, so the hit a
/// user sees is the exact wording of the source.
package struct Passage: Equatable, Sendable {
    /// Position of the passage in its document, from 0.
    package var ordinal: Int
    /// UTF-8 byte offsets of the passage in the document's extracted text (end excluded).
    package var range: Range<Int>
    /// The passage text: exactly the bytes of `range`, sharing the document text's storage
    /// (a copy of every passage would double the memory a document takes).
    package var text: Substring

    package init(ordinal: Int, range: Range<Int>, text: Substring) {
        self.ordinal = ordinal
        self.range = range
        self.text = text
    }
}
