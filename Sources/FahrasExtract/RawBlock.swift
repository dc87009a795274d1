/// A block of text as extraction found it, before boilerplate filtering.
///
/// A block is a paragraph: a block element's text in HTML, a blank-line-separated run in
/// text. Lines keep the line breaks the source had (`<br>`, or single newlines in text),
/// because site chrome is often one short line glued to the next.
package struct RawBlock: Equatable, Sendable {
    /// The block's lines, each with white space collapsed and trimmed; never empty strings.
    package var lines: [String]
    /// Unicode scalars of text inside `<a>` elements (for link density).
    package var linkScalars: Int
    /// Unicode scalars of all text in the block.
    package var totalScalars: Int
    /// The innermost article container (`<article>`, `<main>`, `itemprop="articleBody"`,
    /// `role="main"`) the block is in, numbered from 1 in page order; 0 outside every one.
    package var container = 0
    /// The innermost element that groups blocks (a `div`, `section`, list or table cell)
    /// around the block, numbered from 1 in page order; 0 for none.
    package var group = 0
    /// What the innermost block element around the text makes of it.
    package var role = Role.text
    /// The innermost chrome section (a comment thread…, named by a class or id) the block
    /// is in, numbered from 1 in page order; 0 outside every one.
    package var section = 0

    package init(lines: [String], linkScalars: Int = 0, totalScalars: Int? = nil) {
        self.lines = lines
        self.linkScalars = linkScalars
        self.totalScalars = totalScalars ?? lines.reduce(0) { $0 + $1.unicodeScalars.count }
    }

    /// What a block's element says it is, where that matters to the chrome rules: a short
    /// list item, quotation or subheading inside the article is text, not a fragment.
    package enum Role: UInt8, Sendable {
        case text, listItem, quote, heading, caption
    }

    /// The lines joined by single spaces.
    package var joined: String { lines.count == 1 ? lines[0] : lines.joined(separator: " ") }

    /// The share of the block's text that is link text, 0 when the block is empty.
    package var linkDensity: Double {
        totalScalars == 0 ? 0 : Double(linkScalars) / Double(totalScalars)
    }
}
