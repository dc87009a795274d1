/// Collects text runs into lines and blocks, collapsing white space on the way.
///
/// Works on UTF-8 bytes: every Unicode space (including U+00A0 from `&nbsp;`) becomes one
/// ASCII space, zero-width characters (U+200B–U+200D, U+2060, U+FEFF) disappear, and in
/// text mode newlines are kept as structure: one newline breaks a line, two or more break
/// the block.
struct BlockBuilder {
    private(set) var blocks: [RawBlock] = []
    private var lines: [String] = []
    private var line: [UInt8] = []
    private var pendingSpace = false
    private var linkScalars = 0
    private var totalScalars = 0
    /// Stamped on the blocks made from here on (``RawBlock/container``, ``RawBlock/section``).
    var container = 0
    var section = 0
    var role = RawBlock.Role.text
    var group = 0
    /// The chrome sections opened so far, by their number less one.
    var sections: [BoilerplateFilter.Section] = []

    /// Appends a text node's bytes. `blankLinesSplit` is true for plain-text sources and
    /// `<pre>`; `inLink` counts the text towards the block's link density.
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, blankLinesSplit: Bool, inLink: Bool) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                    pendingSpace = true
                    if b == 0x0A && blankLinesSplit { pendingNewlines += 1 }
                    i += 1
                } else if b > 0x20 && b != 0x7F {
                    // A run of visible ASCII, with the single spaces between its words (what
                    // the white-space rules would write for them): appended in one go.
                    applyPendingWhitespace()
                    var end = i + 1
                    var spaces = 0
                    while end < n {
                        let c = bytes[end]
                        if c > 0x20 && c < 0x7F {
                            end += 1
                        } else if c == 0x20, end + 1 < n, bytes[end + 1] > 0x20, bytes[end + 1] < 0x7F {
                            spaces += 1
                            end += 2
                        } else {
                            break
                        }
                    }
                    line.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<end]))
                    count(end - i - spaces, inLink)
                    i = end
                } else {
                    i += 1  // other control characters are dropped
                }
                continue
            }
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            let end = min(i + length, n)
            let scalar = decode(bytes, i, end)
            if let scalar, BlockBuilder.isWhitespace(scalar) {
                pendingSpace = true
            } else if let scalar, BlockBuilder.isInvisible(scalar) {
                // dropped: takes no room
            } else {
                applyPendingWhitespace()
                line.append(contentsOf: bytes[i..<end])
                count(1, inLink)
            }
            i = end
        }
    }

    /// Newlines counted in the current white-space run (text mode only).
    private var pendingNewlines = 0

    /// Turns the white space seen since the last visible character into structure: two or
    /// more newlines end the block, one ends the line, anything else is one space.
    private mutating func applyPendingWhitespace() {
        if pendingNewlines >= 2 {
            breakBlock()
        } else if pendingNewlines == 1 {
            breakLine()
        } else if pendingSpace && !line.isEmpty {
            line.append(0x20)
        }
        pendingSpace = false
        pendingNewlines = 0
    }

    private mutating func count(_ scalars: Int, _ inLink: Bool) {
        totalScalars += scalars
        if inLink { linkScalars += scalars }
    }

    /// Makes room for a line of `count` bytes (the whole of a text read at once), which
    /// growing by doubling would have held twice over.
    mutating func reserve(_ count: Int) { line.reserveCapacity(count) }

    /// Ends the current line (`<br>`, or a single newline in text).
    mutating func breakLine() {
        if !line.isEmpty {
            lines.append(String(decoding: line, as: UTF8.self))
            line.removeAll(keepingCapacity: true)
        }
        pendingSpace = false
        pendingNewlines = 0
    }

    /// Ends the current block (a block element's edge, or a blank line in text).
    mutating func breakBlock() {
        breakLine()
        if !lines.isEmpty {
            var block = RawBlock(lines: lines, linkScalars: linkScalars, totalScalars: totalScalars)
            // A section named by an id is a chapter when the id is its first block's anchor.
            var s = section
            while s != 0 {
                if let anchor = sections[s - 1].anchor {
                    sections[s - 1].isChapter = BlockBuilder.isAnchor(anchor, of: lines[0])
                    sections[s - 1].anchor = nil
                }
                s = sections[s - 1].parent
            }
            block.container = container
            block.section = section
            block.role = role
            block.group = group
            blocks.append(block)
            // Not keeping the capacity: the block holds this buffer, and a new one as large
            // as the longest block's so far, for each block, held the documents in flight
            // at many times their size.
            lines = []
        }
        linkScalars = 0
        totalScalars = 0
    }

    /// Whether `id` is the anchor a documentation generator makes of the heading `text`: its
    /// letters and digits in lower case, other runs as `-`, without the section number before
    /// it (`9.2.1. Comments¶` → `comments`); a repeated id's `-N` is allowed.
    static func isAnchor(_ id: [UInt8], of text: String) -> Bool {
        var slug: [UInt8] = []
        var started = false
        var gap = false
        for byte in text.utf8 {
            let lower = byte &- 0x41 < 26 ? byte | 0x20 : byte
            let alphanumeric = lower &- 0x61 < 26 || lower &- 0x30 < 10
            // The section number: digits, dots and spaces before the first letter.
            if !started && (lower &- 0x30 < 10 || lower == 0x2E || lower == 0x20) { continue }
            started = true
            if alphanumeric {
                if gap && !slug.isEmpty { slug.append(0x2D) }
                slug.append(lower)
                gap = false
            } else {
                gap = true
            }
        }
        let wanted = id.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
        if wanted == slug { return true }
        guard let dash = wanted.lastIndex(of: 0x2D), dash + 1 < wanted.count,
              wanted[(dash + 1)...].allSatisfy({ $0 &- 0x30 < 10 }) else { return false }
        return Array(wanted[..<dash]) == slug
    }

    /// Ends the last block and returns all blocks.
    mutating func finish() -> [RawBlock] {
        breakBlock()
        return blocks
    }

    private func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Unicode.Scalar? {
        var value = UInt32(bytes[start])
        let length = end - start
        switch length {
        case 2: value &= 0x1F
        case 3: value &= 0x0F
        default: value &= 0x07
        }
        var j = start + 1
        while j < end {
            value = (value << 6) | UInt32(bytes[j] & 0x3F)
            j += 1
        }
        return Unicode.Scalar(value)
    }

    /// Characters that take no room and must not split or join words visibly:
    /// U+00AD SOFT HYPHEN, U+200B ZERO WIDTH SPACE, U+200C/U+200D ZERO WIDTH (NON-)JOINER,
    /// U+2060 WORD JOINER, U+FEFF ZERO WIDTH NO-BREAK SPACE (a stray byte-order mark).
    /// Unicode's `White_Space` scalars above ASCII, without a property lookup per scalar
    /// of text (a test checks the list against the property over all scalars).
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    static func isInvisible(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: return true
        default: return false
        }
    }
}
