import FahrasSearch

/// Renders search results as text for people or JSON for programs.
enum ResultFormatter {
    /// `rank. score  doc#passage  title`, the article's date, site and URL, the snippet with
    /// matches highlighted (bold red on a colour terminal, `**…**` otherwise), its copies;
    /// then the facets as compact tables.
    static func text(_ results: SearchResults, color: Bool) -> String {
        var out = ""
        if results.hits.isEmpty {
            out = "No passage matches \(JSONWriter.quoted(results.query.text)).\n"
        }
        for (rank, hit) in results.hits.enumerated() {
            let title = color ? "\u{1B}[1m\(hit.title)\u{1B}[0m" : hit.title
            out += "\(rank + 1). \(fixed(hit.score))  \(hit.document)#\(hit.ordinal)  \(title)\n"
            let article = [hit.date, hit.site, hit.url].compactMap { $0 }
            if !article.isEmpty { out += "   " + article.joined(separator: " · ") + "\n" }
            out += "   " + marked(hit.snippet.text, hit.snippet.highlights, color: color) + "\n"
            if !hit.copies.isEmpty {
                let listed = hit.copies.prefix(5).map { copy in
                    "\(copy.document)#\(copy.ordinal)" + ([copy.date, copy.site].compactMap { $0 }.map { " (\($0))" }.joined())
                }
                out += "   also in \(hit.copies.count) cop\(hit.copies.count == 1 ? "y" : "ies"): " + listed.joined(separator: ", ")
                    + (hit.copies.count > 5 ? ", …" : "") + "\n"
            }
            out += "\n"
        }
        let shown = results.hits.count
        if shown > 0 {
            out += "\(results.total) passage\(results.total == 1 ? "" : "s") match"
                + (results.total == 1 ? "es" : "") + (shown < results.total ? "; showing the \(ResultFormatter.order[results.sort]!) \(shown)" : "") + ".\n"
        }
        for facet in results.facets { out += "\n" + table(facet) }
        return out
    }

    private static let order: [SearchOptions.Sort: String] = [.score: "best", .date: "oldest", .newest: "newest"]

    /// A facet as lines `value  passages  documents`, the 20 most frequent (or first in time).
    private static func table(_ facet: Facet) -> String {
        var out = "\(facet.field): \(facet.values.count) value\(facet.values.count == 1 ? "" : "s") (passages, documents)\n"
        let width = facet.values.prefix(20).map(\.value.count).max() ?? 0
        for value in facet.values.prefix(20) {
            out += "  " + value.value + String(repeating: " ", count: width - value.value.count)
                + "  \(value.passages)  \(value.documents)\n"
        }
        if facet.values.count > 20 { out += "  … \(facet.values.count - 20) more (--format json lists all)\n" }
        return out
    }

    /// `{"query": …, "total": …, "hits": [{"doc", "passage", "score", "title", "date", "site",
    /// "url", "text", "snippet", "highlights", "copies": [{"doc", "passage", "date", "site"}]}],
    /// "facets": {FIELD: [{"value", "passages", "documents"}]}}`; highlight offsets count
    /// Unicode scalars (code points) in `text`, end excluded; unknown values are null.
    static func json(_ results: SearchResults) -> String {
        var out = "{\"query\": \(JSONWriter.quoted(results.query.text)), \"total\": \(results.total), \"hits\": ["
        for (i, hit) in results.hits.enumerated() {
            if i > 0 { out += ", " }
            let highlights = scalarRanges(hit.highlights, in: hit.text).map { "[\($0.lowerBound), \($0.upperBound)]" }
            let copies = hit.copies.map { copy in
                "{\"doc\": \(JSONWriter.quoted(copy.document)), \"passage\": \(copy.ordinal), "
                    + "\"date\": \(optional(copy.date)), \"site\": \(optional(copy.site))}"
            }
            out += "{\"doc\": \(JSONWriter.quoted(hit.document)), \"passage\": \(hit.ordinal), "
                + "\"score\": \(JSONWriter.number(hit.score)), \"title\": \(JSONWriter.quoted(hit.title)), "
                + "\"date\": \(optional(hit.date)), \"site\": \(optional(hit.site)), \"url\": \(optional(hit.url)), "
                + "\"text\": \(JSONWriter.quoted(hit.text)), \"snippet\": \(JSONWriter.quoted(hit.snippet.text)), "
                + "\"highlights\": [\(highlights.joined(separator: ", "))], \"copies\": [\(copies.joined(separator: ", "))]}"
        }
        out += "]"
        if !results.facets.isEmpty {
            let facets = results.facets.map { facet in
                JSONWriter.quoted(facet.field) + ": [" + facet.values.map {
                    "{\"value\": \(JSONWriter.quoted($0.value)), \"passages\": \($0.passages), \"documents\": \($0.documents)}"
                }.joined(separator: ", ") + "]"
            }
            out += ", \"facets\": {" + facets.joined(separator: ", ") + "}"
        }
        return out + "}\n"
    }

    private static func optional(_ value: String?) -> String { value.map(JSONWriter.quoted) ?? "null" }

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
