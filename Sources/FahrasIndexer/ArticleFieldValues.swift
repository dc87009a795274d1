import FahrasIndex
import FahrasMetadata

extension ArticleMetadata {
    /// The metadata as the index's ``Schema`` fields: days for dates, a language's primary
    /// subtag in lower case (`en-GB` is `en`), authors joined by ", ".
    var fieldValues: [String: FieldValue] {
        var out: [String: FieldValue] = [:]
        func text(_ name: String, _ value: String?) {
            if let value, !value.isEmpty { out[name] = .text(value) }
        }
        if let day = date.flatMap(Schema.day(iso:)) { out["date"] = .date(day) }
        if let day = modified.flatMap(Schema.day(iso:)) { out["modified"] = .date(day) }
        text("date_source", dateSource?.rawValue)
        text("site", site)
        text("host", url.flatMap(MetadataReader.host))
        text("language", language.map { String($0.split(separator: "-").first ?? "").lowercased() })
        text("author", authors.isEmpty ? nil : authors.joined(separator: ", "))
        text("url", url)
        return out
    }
}
