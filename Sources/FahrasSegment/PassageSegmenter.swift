/// The segment stage: extracted text in, passages with offsets out.
///
/// Paragraphs are separated by blank lines (the extract stage writes exactly `"\n\n"`
/// between blocks). A paragraph longer than ``maximumLength`` bytes is cut into windows at
/// sentence boundaries, each as long as fits; a single sentence longer than that is cut at
/// the last space that fits, and text without spaces at a character boundary. The work is
/// linear in the text, so a 50 MB one-line file costs what its size says.
package struct PassageSegmenter: Sendable {
    /// Longest passage in UTF-8 bytes (about 200 words of English).
    package var maximumLength: Int

    package init(maximumLength: Int = 1_200) {
        precondition(maximumLength >= 16, "a passage must be able to hold a few words")
        self.maximumLength = maximumLength
    }

    /// Cuts `text` into passages, numbered from 0 in reading order.
    package func passages(of text: String) -> [Passage] {
        var text = text
        let windows = text.withUTF8 { bytes in
            var passages: [Range<Int>] = []
            var start = 0
            let n = bytes.count
            while start < n {
                var end = start
                while end < n && !(bytes[end] == 0x0A && end + 1 < n && bytes[end + 1] == 0x0A) { end += 1 }
                appendParagraph(bytes, trimmed(bytes, start..<end), to: &passages)
                start = end
                while start < n && bytes[start] == 0x0A { start += 1 }
            }
            return passages
        }
        // Windows end on character boundaries; native strings index UTF-8 offsets in O(1).
        let utf8 = text.utf8
        return windows.enumerated().map { ordinal, window in
            let start = utf8.index(utf8.startIndex, offsetBy: window.lowerBound)
            let end = utf8.index(start, offsetBy: window.count)
            return Passage(ordinal: ordinal, range: window, text: text[start..<end])
        }
    }

    private func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && isSpace(bytes[lower]) { lower += 1 }
        while upper > lower && isSpace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    private func appendParagraph(_ bytes: UnsafeBufferPointer<UInt8>, _ paragraph: Range<Int>, to passages: inout [Range<Int>]) {
        guard !paragraph.isEmpty else { return }
        var start = paragraph.lowerBound
        let ends = paragraph.count > maximumLength ? sentenceEnds(bytes, paragraph) : []
        var nextEnd = 0
        while start < paragraph.upperBound {
            var cut: Int
            if paragraph.upperBound - start <= maximumLength {
                cut = paragraph.upperBound
            } else {
                let limit = start + maximumLength
                while nextEnd < ends.count && ends[nextEnd] <= start { nextEnd += 1 }
                var best: Int?
                while nextEnd < ends.count && ends[nextEnd] <= limit {
                    best = ends[nextEnd]
                    nextEnd += 1
                }
                cut = best ?? lastSpace(bytes, after: start, before: limit) ?? characterBoundary(bytes, atOrBefore: limit, after: start)
            }
            let window = trimmed(bytes, start..<cut)
            if !window.isEmpty { passages.append(window) }
            start = cut
        }
    }

    /// Offsets just after each sentence end of the paragraph: `.`, `!`, `?` or `…`, then
    /// optional closing quotes or brackets, then a space before a character that is not a
    /// lower-case ASCII letter (so `e.g. this` and `3.5` do not end sentences).
    private func sentenceEnds(_ bytes: UnsafeBufferPointer<UInt8>, _ paragraph: Range<Int>) -> [Int] {
        var ends: [Int] = []
        var i = paragraph.lowerBound
        let upper = paragraph.upperBound
        while i < upper {
            let b = bytes[i]
            var j: Int
            if b == 0x2E || b == 0x21 || b == 0x3F {
                j = i + 1
            } else if b == 0xE2, i + 2 < upper, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA6 {  // …
                j = i + 3
            } else {
                i += 1
                continue
            }
            // closing quotes and brackets: " ' ) ] and ” ’ (E2 80 9D / 99)
            while j < upper {
                if bytes[j] == 0x22 || bytes[j] == 0x27 || bytes[j] == 0x29 || bytes[j] == 0x5D {
                    j += 1
                } else if bytes[j] == 0xE2, j + 2 < upper, bytes[j + 1] == 0x80, bytes[j + 2] == 0x9D || bytes[j + 2] == 0x99 {
                    j += 3
                } else {
                    break
                }
            }
            if j < upper, bytes[j] == 0x20, j + 1 < upper, !(bytes[j + 1] >= 0x61 && bytes[j + 1] <= 0x7A) {
                ends.append(j)
            }
            i = j
        }
        return ends
    }

    private func lastSpace(_ bytes: UnsafeBufferPointer<UInt8>, after start: Int, before limit: Int) -> Int? {
        var i = limit
        while i > start + 1 {
            if bytes[i] == 0x20 { return i }
            i -= 1
        }
        return nil
    }

    /// `limit`, moved back onto the first byte of a UTF-8 sequence (never to `start`).
    private func characterBoundary(_ bytes: UnsafeBufferPointer<UInt8>, atOrBefore limit: Int, after start: Int) -> Int {
        var i = limit
        while i > start + 1 && bytes[i] & 0xC0 == 0x80 { i -= 1 }
        return i
    }
}
