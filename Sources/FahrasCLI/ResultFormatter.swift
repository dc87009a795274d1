import Fahras
import FahrasJSON

/// Renders search results as text for people or JSON for programs.
enum ResultFormatter {
    /// `rank. score  doc#passage  title`, the article's date, site and URL, the snippet with
    /// matches highlighted (bold red on a colour terminal, `**…**` otherwise), its copies;
    /// then the facets as compact tables.
    static func text(_ results: SearchResults, color: Bool) -> String {
        var out = ""
        if results.hits.isEmpty {
            out = "No passage matches \(JSONWriter.quoted(results.query)).\n"
        }
        for (rank, hit) in results.hits.enumerated() {
            let title = color ? "\u{1B}[1m\(Output.visible(hit.title))\u{1B}[0m" : Output.visible(hit.title)
            out += "\(rank + 1). \(fixed(hit.score))  \(Output.visible(hit.document))#\(hit.passage)  \(title)\n"
            let article = [hit.date, hit.site, hit.url].compactMap { $0 }.map(Output.visible)
            if !article.isEmpty { out += "   " + article.joined(separator: " · ") + "\n" }
            out += "   " + marked(hit.snippet, hit.snippetHighlights, color: color) + "\n"
            if !hit.copies.isEmpty {
                let listed = hit.copies.prefix(5).map { copy in
                    "\(Output.visible(copy.document))#\(copy.passage)" + ([copy.date, copy.site].compactMap { $0 }.map { " (\($0))" }.joined())
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
        var out = "\(facet.field.rawValue): \(facet.values.count) value\(facet.values.count == 1 ? "" : "s") (passages, documents)\n"
        let width = facet.values.prefix(20).map(\.value.count).max() ?? 0
        for value in facet.values.prefix(20) {
            out += "  " + value.value + String(repeating: " ", count: width - value.value.count)
                + "  \(value.passages)  \(value.documents)\n"
        }
        if facet.values.count > 20 { out += "  … \(facet.values.count - 20) more (--format json lists all)\n" }
        return out
    }

    private static func marked(_ text: String, _ ranges: [Range<String.Index>], color: Bool) -> String {
        var out = ""
        var cursor = text.startIndex
        let (open, close) = color ? ("\u{1B}[1;31m", "\u{1B}[0m") : ("**", "**")
        for range in ranges where range.lowerBound >= cursor {
            out += Output.visible(String(text[cursor..<range.lowerBound])) + open + Output.visible(String(text[range])) + close
            cursor = range.upperBound
        }
        return out + Output.visible(String(text[cursor...]))
    }

    private static func fixed(_ value: Double) -> String {
        String(format3: value)
    }
}
