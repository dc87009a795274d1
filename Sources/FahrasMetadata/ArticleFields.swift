import FahrasExtract

extension ArticleMetadata {
    /// The metadata of a JSON Lines record's fields, and a reason for each field that is
    /// not usable (the record keeps the rest): a `date` that is no day, a `url` that is no
    /// absolute URL, a field that is not a string.
    package static func of(_ record: JSONLinesRecord) -> (ArticleMetadata, problems: [String]) {
        var metadata = ArticleMetadata()
        var problems = record.badFields.map { "'\($0)' is not a string; indexed without it" }
        if let date = record.fields["date"] {
            if let day = DateReader.standard.iso(date) {
                metadata.date = day
                metadata.dateSource = .meta
            } else {
                problems.append("'date' \"\(date)\" is not a day (write 2017-03-04); indexed without it")
            }
        }
        if let url = record.fields["url"] {
            if let host = MetadataReader.host(url), url.hasPrefix("http") {
                metadata.url = url
                metadata.site = host
            } else {
                problems.append("'url' \"\(url)\" is not an absolute http(s) URL; indexed without it")
            }
        }
        if let site = record.fields["site"], !site.isEmpty { metadata.site = site }
        if let author = record.fields["author"], !author.isEmpty { metadata.authors = [author] }
        if let language = record.fields["lang"], !language.isEmpty { metadata.language = language }
        return (metadata, problems)
    }
}
