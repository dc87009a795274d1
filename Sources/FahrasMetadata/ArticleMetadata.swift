internal import Foundation
import FahrasExtract

extension PageSignals {
    func meta(_ keys: [String]) -> String? {
        for key in keys {
            if let value = metas.first(where: { $0.key == key })?.content.trimmingCharacters(in: .whitespacesAndNewlines),
               !value.isEmpty {
                return value
            }
        }
        return nil
    }
}

/// The article around the text: when it was published and by whom, where it can be cited.
package struct ArticleMetadata: Equatable, Sendable {
    /// Where a publication date was read, most trusted first.
    package enum DateSource: String, Sendable, Equatable {
        /// JSON-LD `datePublished` of a `NewsArticle`, `Article`…
        case jsonld
        /// A `<meta>` tag (`article:published_time`, `dc.date`, `itemprop=datePublished`…).
        case meta
        /// A `<time datetime>` element.
        case time
        /// The page's URL (`/2017/03/04/`).
        case url
        /// A date written near the top of the text (`12 آذار 2015`, `March 4, 2017`).
        case text
    }

    /// The headline: `og:title`, else the first `<h1>`, else `<title>` without its site tail.
    package var headline: String?
    /// Publication day, ISO 8601 (`2017-03-04`).
    package var date: String?
    package var dateSource: DateSource?
    /// Last modification day, ISO 8601, kept apart from the publication date.
    package var modified: String?
    /// Canonical URL (`link rel=canonical`, `og:url`, JSON-LD `url`).
    package var url: String?
    /// The outlet: `og:site_name`, else the URL's host without `www.`.
    package var site: String?
    package var authors: [String] = []
    /// Language tag (`ar`, `en-GB`) as the page gives it, else `ar` or `und-Latn` from the
    /// script of the text.
    package var language: String?

    package init(headline: String? = nil, date: String? = nil, dateSource: DateSource? = nil, modified: String? = nil,
                url: String? = nil, site: String? = nil, authors: [String] = [], language: String? = nil) {
        self.headline = headline
        self.date = date
        self.dateSource = dateSource
        self.modified = modified
        self.url = url
        self.site = site
        self.authors = authors
        self.language = language
    }
}

/// Reads ``ArticleMetadata`` from a page's signals and text.
package struct MetadataReader: Sendable {
    let dates: DateReader

    package init(dates: DateReader = .standard) {
        self.dates = dates
    }

    /// Types of JSON-LD objects that describe the article.
    static let articleTypes: Set<String> = [
        "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting", "backgroundnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "webpage", "liveblogposting",
    ]

    /// - Parameter blocks: the article blocks; `pageBlocks`, the first blocks of the page in
    ///   order, chrome too (date lines are chrome by the filter's rules), where a date line
    ///   is looked for; `page`, the page's bytes, where the outlet's zone is looked for when
    ///   nothing else gives the day of a publication time stamped in UTC.
    package func read(_ signals: PageSignals, blocks: [String], pageBlocks: [String],
                     page: UnsafeRawBufferPointer? = nil) -> ArticleMetadata {
        var metadata = ArticleMetadata()
        let objects = signals.jsonLD.flatMap(MetadataReader.jsonValues)
        let article = jsonLDArticle(objects)
        // A relative URL cannot be cited: the next signal is asked.
        metadata.url = [signals.canonical, signals.meta(["og:url"]), article?["url"] as? String]
            .compactMap { $0?.trimmingCharacters(in: .whitespaces) }
            .first { ($0.hasPrefix("http://") || $0.hasPrefix("https://")) && MetadataReader.host($0) != nil }
        metadata.site = signals.meta(["og:site_name", "application-name"])
            ?? (article.flatMap { ($0["publisher"] as? [String: Any])?["name"] as? String })
            ?? metadata.url.flatMap(MetadataReader.host)
        metadata.authors = authors(signals, article)
        metadata.headline = headline(signals, article)
        metadata.language = (signals.language ?? signals.meta(["content-language", "og:locale", "language"]))
            .map { $0.replacingOccurrences(of: "_", with: "-") } ?? MetadataReader.scriptLanguage(blocks)
        (metadata.date, metadata.dateSource) = publication(signals, article, objects: objects, blocks: pageBlocks, url: metadata.url,
                                                           page: page)
        metadata.modified = (article?["dateModified"] as? String).flatMap(dates.iso)
            ?? signals.meta(["article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified"])
                .flatMap(dates.iso)
        return metadata
    }

    /// The publication date and where it came from, in order of trust.
    private func publication(_ signals: PageSignals, _ article: [String: Any]?, objects: [Any], blocks: [String], url: String?,
                             page: UnsafeRawBufferPointer?) -> (String?, ArticleMetadata.DateSource?) {
        let (day, source) = structuredPublication(signals, article, blocks: blocks, url: url)
        guard let day, let raw = source.raw, dates.isUTCInstant(raw) else { return (day, source.kind) }
        // An instant in UTC names the outlet's day only up to its zone. The publication time
        // written elsewhere on the page in the outlet's own zone (with its offset, or as a
        // local time) decides; failing that, the day printed on the page, when the two are a
        // day apart; failing that, the instant read in the zone the page writes its times in.
        for local in localPublicationTimes(signals, objects: objects) {
            if let other = dates.iso(local), other == day || DateReader.adjacent(other, day) { return (other, source.kind) }
        }
        if let printed = dates.inText(signals.dateLines.joined(separator: "\n")) ?? dates.inText(blocks.joined(separator: "\n")),
           DateReader.adjacent(printed, day) {
            return (printed, source.kind)
        }
        if let page, let offset = PageZone.prevailingOffset(in: page), let local = dates.day(ofUTCInstant: raw, offset: offset) {
            return (local, source.kind)
        }
        return (day, source.kind)
    }

    /// Publication times the page writes in a zone of its own: every JSON-LD `datePublished`,
    /// published `<meta>` and `<time datetime>` with a time of day that is not in UTC.
    private func localPublicationTimes(_ signals: PageSignals, objects: [Any]) -> [String] {
        var found: [String] = []
        func search(_ value: Any) {
            if let array = value as? [Any] { array.forEach(search) }
            guard let object = value as? [String: Any] else { return }
            if let published = object["datePublished"] as? String { found.append(published) }
            object.values.forEach(search)
        }
        objects.forEach(search)
        found += signals.metas.filter { $0.key.contains("publish") }.map(\.content) + signals.times
        return found.filter { value in
            let text = value.trimmingCharacters(in: .whitespaces)
            return text.utf8.count > 10 && (text.contains("T") || text.contains(" ")) && !dates.isUTCInstant(text)
                && text.contains(":")
        }
    }

    /// The publication day from the page's structured signals, then its URL and text, with
    /// where it was read and the value as written.
    private func structuredPublication(_ signals: PageSignals, _ article: [String: Any]?, blocks: [String], url: String?)
        -> (String?, (kind: ArticleMetadata.DateSource?, raw: String?)) {
        if let raw = article?["datePublished"] as? String ?? article?["dateCreated"] as? String, let value = dates.iso(raw) {
            return (value, (.jsonld, raw))
        }
        let keys = ["article:published_time", "og:published_time", "article:published", "datepublished", "pubdate",
                    "publishdate", "publish-date", "publication_date", "dc.date.issued", "dc.date", "dcterms.created",
                    "dcterms.date", "date", "sailthru.date", "parsely-pub-date", "article.published", "cxenseparse:recs:publishtime",
                    "originalpublicationdate", "dc.date.created"]
        for key in keys {
            if let raw = signals.metas.first(where: { $0.key == key })?.content, let value = dates.iso(raw) { return (value, (.meta, raw)) }
        }
        for raw in signals.times { if let value = dates.iso(raw) { return (value, (.time, raw)) } }
        if let url, let value = dates.inURL(url) { return (value, (.url, nil)) }
        // Elements marked as the date line first (``PageSignals/dateLines``), then the page's first blocks.
        if let value = dates.inText(signals.dateLines.joined(separator: "\n")) ?? dates.inText(blocks.joined(separator: "\n")) {
            return (value, (.text, nil))
        }
        return (nil, (nil, nil))
    }

    /// The JSON values of a JSON-LD script. A script that does not parse whole (two objects
    /// side by side, a stray comma or brace after one) gives each complete top-level object
    /// or array it holds, as lenient readers of structured data do.
    static func jsonValues(_ script: String) -> [Any] {
        if let data = script.data(using: .utf8),
           let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) {
            return [value]
        }
        var values: [Any] = []
        let bytes = Array(script.utf8)
        var depth = 0
        var start = -1
        var inString = false
        var escaped = false
        for (i, byte) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 0 { start = i }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { continue }
                depth -= 1
                if depth == 0, start >= 0,
                   let value = try? JSONSerialization.jsonObject(with: Data(bytes[start...i]), options: []) {
                    values.append(value)
                }
            default: break
            }
        }
        return values
    }

    /// The first JSON-LD object of an article type, searched through arrays and `@graph`.
    private func jsonLDArticle(_ objects: [Any]) -> [String: Any]? {
        func search(_ value: Any) -> [String: Any]? {
            if let array = value as? [Any] {
                for item in array { if let found = search(item) { return found } }
            } else if let object = value as? [String: Any] {
                let types = (object["@type"] as? String).map { [$0] } ?? (object["@type"] as? [String] ?? [])
                if types.contains(where: { MetadataReader.articleTypes.contains($0.lowercased()) }),
                   object["datePublished"] != nil || object["headline"] != nil {
                    return object
                }
                if let graph = object["@graph"] { return search(graph) }
            }
            return nil
        }
        for value in objects { if let found = search(value) { return found } }
        return nil
    }

    private func authors(_ signals: PageSignals, _ article: [String: Any]?) -> [String] {
        var names: [String] = []
        func add(_ value: Any?) {
            if let name = value as? String { names.append(name) }
            if let object = value as? [String: Any] { add(object["name"]) }
            if let array = value as? [Any] { array.forEach(add) }
        }
        add(article?["author"])
        if names.isEmpty, let meta = signals.meta(["author", "article:author", "dc.creator", "byl", "sailthru.author"]) {
            names.append(meta.hasPrefix("By ") ? String(meta.dropFirst(3)) : meta)
        }
        var seen = Set<String>()
        return names.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && !$0.hasPrefix("http") && seen.insert($0).inserted }
    }

    private func headline(_ signals: PageSignals, _ article: [String: Any]?) -> String? {
        // Asked in order, each only if the ones before gave nothing.
        let candidates: [() -> String?] = [{ signals.meta(["og:title", "twitter:title"]) }, { article?["headline"] as? String },
                                           { signals.heading }, { signals.title.map(MetadataReader.withoutSiteTail) }]
        for candidate in candidates {
            if let value = candidate()?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty { return value }
        }
        return nil
    }

    /// A `<title>` without its trailing " | Site" or " - Site" (the last separator, when
    /// what follows is short).
    static func withoutSiteTail(_ title: String) -> String {
        for separator in [" | ", " - ", " – ", " — ", " :: ", " « "] {
            if let range = title.range(of: separator, options: .backwards),
               title[range.upperBound...].split(separator: " ").count <= 5, title[..<range.lowerBound].count >= 10 {
                return String(title[..<range.lowerBound])
            }
        }
        return title
    }

    /// The host of a URL, without `www.`.
    package static func host(_ url: String) -> String? {
        guard let host = URLComponents(string: url)?.host?.lowercased(), !host.isEmpty else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }

    /// `ar` when most letters of the text are Arabic, `und-Latn` (language unknown, Latin
    /// script) when most are Latin: the script is the evidence, not the language.
    static func scriptLanguage(_ blocks: [String]) -> String? {
        var arabic = 0
        var latin = 0
        for scalar in blocks.prefix(20).joined().unicodeScalars where scalar.properties.isAlphabetic {
            if (0x0600...0x06FF).contains(scalar.value) || (0x0750...0x077F).contains(scalar.value) { arabic += 1 } else if scalar.value < 0x250 { latin += 1 }
        }
        if arabic == 0 && latin == 0 { return nil }
        return arabic > latin ? "ar" : "und-Latn"
    }
}
