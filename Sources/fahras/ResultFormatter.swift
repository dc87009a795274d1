import FahrasSearch

/// Renders search results as text for people or JSON for programs.
enum ResultFormatter {
    /// `rank. score  doc#passage  title`, then the snippet with matches highlighted (bold
    /// red on a colour terminal, `**…**` otherwise).
    static func text(_ results: SearchResults, color: Bool) -> String {
        var out = ""
        if results.hits.isEmpty {
            return "No passage matches \(JSONWriter.quoted(results.query.text)).\n"
        }
        for (rank, hit) in results.hits.enumerated() {
            let title = color ? "\u{1B}[1m\(hit.title)\u{1B}[0m" : hit.title
            out += "\(rank + 1). \(fixed(hit.score))  \(hit.document)#\(hit.ordinal)  \(title)\n"
            out += "   " + marked(hit.snippet.text, hit.snippet.highlights, color: color) + "\n\n"
        }
        let shown = results.hits.count
        out += "\(results.total) passage\(results.total == 1 ? "" : "s") match"
            + (results.total == 1 ? "es" : "") + (shown < results.total ? "; showing the best \(shown)" : "") + ".\n"
        return out
    }

    /// `{"query": …, "total": …, "hits": [{"doc", "passage", "score", "title", "text",
    /// "snippet", "highlights"}]}`; highlight offsets count Unicode scalars (code points)
    /// in `text`, end excluded.
    static func json(_ results: SearchResults) -> String {
        var out = "{\"query\": \(JSONWriter.quoted(results.query.text)), \"total\": \(results.total), \"hits\": ["
        for (i, hit) in results.hits.enumerated() {
            if i > 0 { out += ", " }
            let highlights = scalarRanges(hit.highlights, in: hit.text).map { "[\($0.lowerBound), \($0.upperBound)]" }
            out += "{\"doc\": \(JSONWriter.quoted(hit.document)), \"passage\": \(hit.ordinal), "
                + "\"score\": \(JSONWriter.number(hit.score)), \"title\": \(JSONWriter.quoted(hit.title)), "
                + "\"text\": \(JSONWriter.quoted(hit.text)), \"snippet\": \(JSONWriter.quoted(hit.snippet.text)), "
                + "\"highlights\": [\(highlights.joined(separator: ", "))]}"
        }
        return out + "]}\n"
    }

    /// UTF-8 byte ranges converted to Unicode scalar offsets. Ranges start and end on
    /// character boundaries, so each byte offset maps to the scalar starting there.
    static func scalarRanges(_ ranges: [Range<Int>], in text: String) -> [Range<Int>] {
        var scalarAt: [Int] = []
        scalarAt.reserveCapacity(text.utf8.count + 1)
        var scalars = 0
        for byte in text.utf8 {
            scalarAt.append(scalars)
            if byte & 0xC0 != 0x80 { scalars += 1 }
        }
        scalarAt.append(scalars)
        return ranges.map { scalarAt[$0.lowerBound]..<scalarAt[$0.upperBound] }
    }

    private static func marked(_ text: String, _ ranges: [Range<Int>], color: Bool) -> String {
        let bytes = Array(text.utf8)
        var out = ""
        var cursor = 0
        let (open, close) = color ? ("\u{1B}[1;31m", "\u{1B}[0m") : ("**", "**")
        for range in ranges where range.lowerBound >= cursor && range.upperBound <= bytes.count {
            out += String(decoding: bytes[cursor..<range.lowerBound], as: UTF8.self)
            out += open + String(decoding: bytes[range], as: UTF8.self) + close
            cursor = range.upperBound
        }
        return out + String(decoding: bytes[cursor...], as: UTF8.self)
    }

    private static func fixed(_ value: Double) -> String {
        String(format3: value)
    }
}
