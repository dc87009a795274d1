import FahrasAnalysis

/// Finds where a query matched inside a passage's text, for highlighting and snippets.
///
/// The passage is analyzed again with the index's analyzer, so every highlight covers the
/// word as written in the source (`al-Tanf`, `Ḩimş`), whatever spelling the query used.
package struct Highlighter: Sendable {
    private let shared: SharedAnalyzer
    package var analyzer: Analyzer { _read { yield shared.analyzer } }

    package init(analyzer: Analyzer = .standard) {
        self.init(shared: SharedAnalyzer(analyzer))
    }

    /// A highlighter with an analyzer others hold too (a searcher's, for each answer).
    package init(shared: SharedAnalyzer) {
        self.shared = shared
    }

    /// UTF-8 byte ranges of `text` where any of `patterns` matches, sorted and merged.
    /// A pattern is a sequence of slots at consecutive positions, each slot a set of terms.
    package func highlights(of patterns: [[[String]]], in text: String) -> [Range<Int>] {
        // The name stage only adds name and entity terms: a query of words alone has no use
        // for them, and they are the costlier part of the analysis.
        let needsNames = patterns.contains { $0.contains { $0.contains(where: NameTerms.isNameTerm) } }
        let tokens = needsNames ? analyzer.analyze(text) : analyzer.words(text)
        // Tokens by position, for the words after a phrase's first: a query of single words
        // (most of them) needs none.
        var byPosition: [Int: [Token]] = [:]
        if patterns.contains(where: { $0.count > 1 }) {
            for token in tokens { byPosition[token.position, default: []].append(token) }
        }
        var ranges: [Range<Int>] = []
        for pattern in patterns {
            guard !pattern.isEmpty else { continue }
            let slots = pattern.map(TermSlot.init)
            for token in tokens where slots[0].contains(token.term) {
                var lower = token.start
                var upper = token.end
                var matched = true
                for (offset, slot) in slots.enumerated().dropFirst() {
                    guard let next = byPosition[token.position + offset]?.first(where: { slot.contains($0.term) }) else {
                        matched = false
                        break
                    }
                    lower = min(lower, next.start)
                    upper = max(upper, next.end)
                }
                if matched { ranges.append(lower..<upper) }
            }
        }
        return Highlighter.merged(ranges)
    }

    /// The terms one word of a pattern may be: a few are compared one by one, which costs
    /// less than hashing every token of the passage for a set.
    private struct TermSlot {
        let terms: [String]
        let set: Set<String>?

        init(_ terms: [String]) {
            self.terms = terms
            set = terms.count > 8 ? Set(terms) : nil
        }

        func contains(_ term: String) -> Bool { set?.contains(term) ?? terms.contains(term) }
    }

    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, range.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                out.append(range)
            }
        }
        return out
    }
}

/// A short excerpt of a passage around its first match.
package struct Snippet: Sendable, Equatable {
    /// The excerpt, with `…` where the passage was cut.
    package var text: String
    /// UTF-8 byte ranges of `text` to highlight.
    package var highlights: [Range<Int>]

    /// Cuts an excerpt of about `maximumLength` bytes from `text`, starting a little before
    /// the first highlight and cut at spaces.
    package init(text: String, highlights: [Range<Int>], maximumLength: Int = 240) {
        let bytes = Array(text.utf8)
        guard bytes.count > maximumLength else {
            self.text = text
            self.highlights = highlights
            return
        }
        var start = max(0, (highlights.first?.lowerBound ?? 0) - maximumLength / 4)
        if start > 0 {
            while start < bytes.count && bytes[start] != 0x20 { start += 1 }
            start = min(start + 1, bytes.count)
            if let first = highlights.first, start > first.lowerBound { start = first.lowerBound }
        }
        var end = min(bytes.count, start + maximumLength)
        if end < bytes.count {
            var cut = end
            while cut > start && bytes[cut] != 0x20 { cut -= 1 }
            if cut > start { end = cut }
            while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }  // never inside a character
        }
        let prefix = start > 0 ? "…" : ""
        let suffix = end < bytes.count ? "…" : ""
        let shift = prefix.utf8.count - start
        self.text = prefix + String(decoding: bytes[start..<end], as: UTF8.self) + suffix
        self.highlights = highlights.compactMap { range in
            let lower = max(range.lowerBound, start)
            let upper = min(range.upperBound, end)
            return lower < upper ? (lower + shift)..<(upper + shift) : nil
        }
    }
}
