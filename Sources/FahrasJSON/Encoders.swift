@_exported import FahrasJSONCore
import Fahras

/// The JSON documents of `fahras … --format json` and of the HTTP API (one shape for both):
/// keys in a fixed order, unknown values as null, offsets in Unicode scalars.
package enum JSONShapes {
    /// `{"query", "total", "hits": [{"doc", "passage", "score", "title", "date", "site", "url",
    /// "text", "snippet", "highlights", "copies": [{"doc", "passage", "date", "site"}]}]`, then
    /// `"facets": {FIELD: [{"value", "passages", "documents"}]}` when facets were asked for and
    /// `"spellings": [...]` when spellings were; highlight offsets count Unicode scalars in
    /// `text`, end excluded.
    package static func results(_ results: SearchResults, extra: [(key: String, json: String)] = []) -> String {
        var out = "{\"query\": \(JSONWriter.quoted(results.query)), \"total\": \(results.total), \"hits\": ["
        for (i, hit) in results.hits.enumerated() {
            if i > 0 { out += ", " }
            let highlights = scalarOffsets(hit.highlights, in: hit.text).map { "[\($0.lowerBound), \($0.upperBound)]" }
            let copies = hit.copies.map { copy in
                "{\"doc\": \(JSONWriter.quoted(copy.document)), \"passage\": \(copy.passage), "
                    + "\"date\": \(optional(copy.date)), \"site\": \(optional(copy.site))}"
            }
            out += "{\"doc\": \(JSONWriter.quoted(hit.document)), \"passage\": \(hit.passage), "
                + "\"score\": \(JSONWriter.number(hit.score)), \"title\": \(JSONWriter.quoted(hit.title)), "
                + "\"date\": \(optional(hit.date)), \"site\": \(optional(hit.site)), \"url\": \(optional(hit.url)), "
                + "\"text\": \(JSONWriter.quoted(hit.text)), \"snippet\": \(JSONWriter.quoted(hit.snippet)), "
                + "\"highlights\": [\(highlights.joined(separator: ", "))], \"copies\": [\(copies.joined(separator: ", "))]}"
        }
        out += "]"
        if !results.facets.isEmpty {
            let facets = results.facets.map { facet in
                JSONWriter.quoted(facet.field.rawValue) + ": [" + facet.values.map {
                    "{\"value\": \(JSONWriter.quoted($0.value)), \"passages\": \($0.passages), \"documents\": \($0.documents)}"
                }.joined(separator: ", ") + "]"
            }
            out += ", \"facets\": {" + facets.joined(separator: ", ") + "}"
        }
        for (key, json) in extra { out += ", \(JSONWriter.quoted(key)): \(json)" }
        return out + "}"
    }

    /// `{"doc", "title", "source", "fields": {NAME: VALUE}, "passage_count", "passages": [{"passage", "text"}]}`
    package static func document(_ document: Document) -> String {
        let fields = document.fields.map { "\(JSONWriter.quoted($0.name)): \(JSONWriter.quoted($0.value))" }.joined(separator: ", ")
        let passages = document.passages.map { "{\"passage\": \($0.passage), \"text\": \(JSONWriter.quoted($0.text))}" }
            .joined(separator: ", ")
        return "{\"doc\": \(JSONWriter.quoted(document.id)), \"title\": \(JSONWriter.quoted(document.title)), "
            + "\"source\": \(JSONWriter.quoted(document.source)), \"fields\": {\(fields)}, "
            + "\"passage_count\": \(document.passageCount), \"passages\": [\(passages)]}"
    }

    /// `{"spelling", "occurrences", "passages"}`
    package static func spelling(_ form: Spelling) -> String {
        "{\"spelling\": \(JSONWriter.quoted(form.text)), \"occurrences\": \(form.occurrences), \"passages\": \(form.passages)}"
    }

    /// `[{"spelling", …}, …]`
    package static func spellings(_ forms: [Spelling]) -> String {
        "[" + forms.map(spelling).joined(separator: ", ") + "]"
    }

    /// `{"name", "spellings": [...]}`
    package static func variants(_ forms: [Spelling], of name: String) -> String {
        "{\"name\": \(JSONWriter.quoted(name)), \"spellings\": \(spellings(forms))}"
    }

    /// `{"entities": [{"id", "type", "parent", "passages", "spellings"}]}`
    package static func entities(_ rows: [EntitySummary]) -> String {
        let items = rows.map { row in
            "{\"id\": \(JSONWriter.quoted(row.id)), \"type\": \(JSONWriter.quoted(row.type)), "
                + "\"parent\": \(optional(row.parent)), \"passages\": \(row.passages), "
                + "\"spellings\": \(spellings(row.spellings))}"
        }
        return "{\"entities\": [\(items.joined(separator: ", "))]}"
    }

    /// `{"generation", "committed", "analyzer", "documents", "passages", "terms", "segments",
    /// "fields": [{"name", "documents", "first", "last", "values": [{"value", "documents"}]}]}`
    /// (no paths: the API does not tell where the index or its sources are).
    package static func statistics(_ stats: IndexStatistics) -> String {
        let fields = stats.fields.map { field in
            "{\"name\": \(JSONWriter.quoted(field.name)), \"documents\": \(field.documents), "
                + "\"first\": \(optional(field.firstDate)), \"last\": \(optional(field.lastDate)), \"values\": ["
                + field.values.prefix(100).map { "{\"value\": \(JSONWriter.quoted($0.value)), \"documents\": \($0.documents)}" }
                    .joined(separator: ", ") + "]}"
        }
        return "{\"generation\": \(stats.generation), \"committed\": \(JSONWriter.quoted(stats.committed)), "
            + "\"analyzer\": \(JSONWriter.quoted(stats.analyzer)), \"documents\": \(stats.documents), "
            + "\"passages\": \(stats.passages), \"terms\": \(stats.terms), \"segments\": \(stats.segments.count), "
            + "\"fields\": [\(fields.joined(separator: ", "))]}"
    }

    /// `{"error": {"reason", "message"}}`
    package static func error(_ error: FahrasError) -> String {
        "{\"error\": {\"reason\": \(JSONWriter.quoted(error.reason.rawValue)), \"message\": \(JSONWriter.quoted(error.message))}}"
    }

    package static func optional(_ value: String?) -> String { value.map(JSONWriter.quoted) ?? "null" }

    /// Index ranges of `text` as Unicode scalar offsets.
    package static func scalarOffsets(_ ranges: [Range<String.Index>], in text: String) -> [Range<Int>] {
        let scalars = text.unicodeScalars
        return ranges.map { range in
            let start = scalars.distance(from: scalars.startIndex, to: range.lowerBound)
            return start..<(start + scalars.distance(from: range.lowerBound, to: range.upperBound))
        }
    }
}
