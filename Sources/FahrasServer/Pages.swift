import Fahras
import Foundation
import Hummingbird

/// The web page: HTML made on the server, so that searching, paging, facets and articles all
/// work without JavaScript. Every text that comes from an article or a request goes through
/// ``HTML/escape(_:)``.
enum Pages {
    /// Facets the page lists beside the hits.
    static let facetFields: [SearchOptions.FacetField] = [.actor, .site, .year, .month]

    static func search(_ fields: FormFields, _ holder: IndexHolder, timeLimit: Duration) -> Response {
        let form = SearchForm(fields)
        var body = form.html
        var status = HTTPResponse.Status.ok
        do {
            let request = try SearchRequest(fields, facets: facetFields, timeLimit: timeLimit)
            if !request.isEmpty {
                let results = try holder.current().search(request.query, options: request.options)
                body += ResultsView(request: request, results: results).html
            } else {
                body += Pages.help(open: true)
            }
        } catch {
            status = FahrasServer.status(of: error)
            body += "<p class=\"error\" role=\"alert\">\(HTML.escape(error.message))</p>" + Pages.help(open: error.reason == .badQuery)
        }
        let title = form.query.isEmpty ? "Fahras" : form.query + " · Fahras"
        return html(status, page(title: title, body: body))
    }

    static func article(_ fields: FormFields, _ holder: IndexHolder) -> Response {
        let form = SearchForm(fields)
        do throws(FahrasError) {
            guard let id = fields["id"], !id.isEmpty else { throw FahrasError(.documentNotFound, "no article named: open one from the hits") }
            let marked = fields["passage"].flatMap { Int($0) }
            let document = try holder.current().document(id)
            return html(.ok, page(title: document.title + " · Fahras", body: form.html + ArticleView(document: document, marked: marked, back: form).html))
        } catch {
            let body = form.html + "<p class=\"error\" role=\"alert\">\(HTML.escape(error.message))</p>"
            return html(FahrasServer.status(of: error), page(title: "Not found · Fahras", body: body))
        }
    }

    static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title><link rel="stylesheet" href="/style.css"></head>
        <body><header><a class="brand" href="/">Fahras <span lang="ar">فهرس</span></a></header><main>\(body)</main></body></html>

        """
    }

    static func help(open: Bool) -> String {
        """
        <details class="help"\(open ? " open" : "")><summary>Query syntax</summary><dl>
        <dt><code>Deir Ezzor</code></dt><dd>every spelling of a name, in either script (Dayr al-Zawr, دير الزور)</dd>
        <dt><code>"Islamic State"</code></dt><dd>a phrase</dd>
        <dt><code>actor:Daesh</code></dt><dd>every passage naming the entity, under any alias</dd>
        <dt><code>+must -never</code>, <code>a AND b</code>, <code>(a OR b)</code></dt><dd>must, must not, groups</dd>
        <dt><code>date:2017-03</code>, <code>date:2017-01-01..2017-06-30</code></dt><dd>publication date</dd>
        <dt><code>site:sana.sy</code>, <code>lang:ar</code>, <code>author:NAME</code>, <code>title:WORDS</code></dt><dd>article fields</dd>
        <dt><code>=word</code></dt><dd>this spelling only</dd></dl></details>
        """
    }

    static let styleSheet = String(decoding: PackageResources.style_css, as: UTF8.self)
}

/// The search box, the date range and the hidden state a link must keep.
struct SearchForm {
    var query: String
    var since: String
    var until: String

    init(_ fields: FormFields) {
        query = fields["q"] ?? ""
        since = fields["since"] ?? ""
        until = fields["until"] ?? ""
    }

    var html: String {
        """
        <form class="search" action="/" method="get" role="search">
        <input type="search" name="q" value="\(HTML.escape(query))" placeholder="Search: a name in any spelling, a phrase, actor:Daesh" aria-label="Query" dir="auto" autofocus>
        <label>from <input type="text" name="since" value="\(HTML.escape(since))" placeholder="YYYY-MM-DD" size="10"></label>
        <label>to <input type="text" name="until" value="\(HTML.escape(until))" placeholder="YYYY-MM-DD" size="10"></label>
        <button type="submit">Search</button></form>
        """
    }

    /// A link to the search page with `query` (and this form's dates), from `offset`.
    func link(query: String, offset: Int = 0) -> String {
        var items = [("q", query)]
        if !since.isEmpty { items.append(("since", since)) }
        if !until.isEmpty { items.append(("until", until)) }
        if offset > 0 { items.append(("offset", String(offset))) }
        return "/?" + HTML.formEncoded(items)
    }
}

/// Hits, spellings, facets and paging for one search.
struct ResultsView {
    var request: SearchRequest
    var results: SearchResults

    var html: String {
        let form = SearchForm(query: request.query, since: request.options.since ?? "", until: request.options.until ?? "")
        var out = "<div class=\"results\"><section class=\"hits\" aria-label=\"Hits\">"
        out += "<p class=\"count\">\(results.total) passage\(results.total == 1 ? "" : "s") match</p>"
        out += spellings
        if results.hits.isEmpty { out += "<p class=\"none\">No passage matches.</p>" }
        out += "<ol class=\"hits\" start=\"\(request.options.offset + 1)\">"
        for hit in results.hits { out += item(hit, form: form) }
        out += "</ol>" + paging(form) + "</section>"
        out += "<aside class=\"facets\" aria-label=\"Narrow\">" + results.facets.map { facet($0, form: form) }.joined() + "</aside></div>"
        return out
    }

    /// "Also matched": the spellings the query found that differ from what was typed.
    var spellings: String {
        let typed = request.query.lowercased()
        let others = results.spellings.filter { !typed.contains($0.text.lowercased()) }.prefix(12)
        guard !others.isEmpty else { return "" }
        return "<p class=\"spellings\">Also matched: " + others.map { "<span dir=\"auto\">\(HTML.escape($0.text))</span>" }.joined(separator: ", ") + "</p>"
    }

    func item(_ hit: Hit, form: SearchForm) -> String {
        let article = "/article?" + HTML.formEncoded([("id", hit.document), ("passage", String(hit.passage)), ("q", request.query)]) + "#p\(hit.passage)"
        var out = "<li class=\"hit\"><h2 dir=\"auto\"><a href=\"\(HTML.escape(article))\">\(HTML.escape(hit.title.isEmpty ? hit.document : hit.title))</a></h2>"
        let about = [hit.date, hit.site].compactMap { $0 }.map(HTML.escape)
            + [hit.url.map { "<a class=\"url\" href=\"\(HTML.escape(HTML.safeURL($0)))\" rel=\"noreferrer\">\(HTML.escape($0))</a>" }].compactMap { $0 }
        if !about.isEmpty { out += "<p class=\"about\">" + about.joined(separator: " · ") + "</p>" }
        out += "<p class=\"snippet\" dir=\"auto\">\(HTML.marked(hit.snippet, hit.snippetHighlights))</p>"
        if !hit.copies.isEmpty {
            out += "<p class=\"copies\">also in \(hit.copies.count) cop\(hit.copies.count == 1 ? "y" : "ies"): "
                + hit.copies.prefix(5).map { copy in
                    let about = [copy.site, copy.date].compactMap { $0 }.joined(separator: " ")
                    return HTML.escape(about.isEmpty ? copy.document : about)
                }.joined(separator: ", ")
                + "</p>"
        }
        return out + "</li>"
    }

    /// A facet's values as links that add its filter to the query.
    func facet(_ facet: Facet, form: SearchForm) -> String {
        guard !facet.values.isEmpty else { return "" }
        let names: [SearchOptions.FacetField: String] = [.actor: "Actors", .site: "Sites", .year: "Years", .month: "Months"]
        var out = "<section class=\"facet\"><h3>\(names[facet.field] ?? facet.field.rawValue)</h3><ul>"
        let values = facet.field == .year || facet.field == .month ? Array(facet.values.suffix(24)) : Array(facet.values.prefix(15))
        for value in values {
            let narrowed = narrowing(request.query, facet.field, value.value)
            out += "<li><a href=\"\(HTML.escape(form.link(query: narrowed)))\" dir=\"auto\">\(HTML.escape(value.value))</a> <span class=\"n\">\(value.passages)</span></li>"
        }
        return out + "</ul></section>"
    }

    /// `query` kept to the passages with `value` in `field`. A field is a filter added to
    /// the query; an actor is a scoring clause, so the query is grouped and both required
    /// (`+actor:X` beside it would make the query's own words optional and add passages).
    func narrowing(_ query: String, _ field: SearchOptions.FacetField, _ value: String) -> String {
        let quoted = "\"" + value.replacingOccurrences(of: "\"", with: "") + "\""
        let filter: String
        switch field {
        case .actor: return query.isEmpty ? "actor:" + quoted : "(" + query + ") AND actor:" + quoted
        case .year, .month: filter = "date:" + value
        case .site: filter = "site:" + quoted
        case .lang: filter = "lang:" + value
        case .author: filter = "author:" + quoted
        case .dateSource: return query
        }
        return query.isEmpty ? filter : query + " " + filter
    }

    func paging(_ form: SearchForm) -> String {
        let offset = request.options.offset, limit = request.options.limit
        var links: [String] = []
        if offset > 0 { links.append("<a rel=\"prev\" href=\"\(HTML.escape(form.link(query: request.query, offset: max(0, offset - limit))))\">← previous</a>") }
        if offset + results.hits.count < results.total && offset + limit <= SearchRequest.maximumOffset {
            links.append("<a rel=\"next\" href=\"\(HTML.escape(form.link(query: request.query, offset: offset + limit)))\">next →</a>")
        }
        return links.isEmpty ? "" : "<nav class=\"paging\">" + links.joined(separator: " ") + "</nav>"
    }
}

extension SearchForm {
    init(query: String, since: String, until: String) {
        self.query = query
        self.since = since
        self.until = until
    }
}

/// A whole article, the passage a hit opened marked.
struct ArticleView {
    var document: Document
    var marked: Int?
    var back: SearchForm

    var html: String {
        var out = "<article class=\"document\"><h1 dir=\"auto\">\(HTML.escape(document.title.isEmpty ? document.id : document.title))</h1><dl class=\"fields\">"
        for (name, value) in document.fields {
            let shown = name == "url" ? "<a href=\"\(HTML.escape(HTML.safeURL(value)))\" rel=\"noreferrer\">\(HTML.escape(value))</a>" : HTML.escape(value)
            out += "<dt>\(HTML.escape(name))</dt><dd dir=\"auto\">\(shown)</dd>"
        }
        out += "<dt>id</dt><dd>\(HTML.escape(document.id))</dd></dl>"
        if !back.query.isEmpty { out += "<p><a href=\"\(HTML.escape(back.link(query: back.query)))\">← back to the hits</a></p>" }
        for (passage, text) in document.passages {
            let isMarked = passage == marked
            out += "<p id=\"p\(passage)\" dir=\"auto\"\(isMarked ? " class=\"marked\"" : "")>\(isMarked ? "<mark>" + HTML.escape(text) + "</mark>" : HTML.escape(text))</p>"
        }
        return out + "</article>"
    }
}

/// Escaping and encoding for the page.
enum HTML {
    /// `text` safe as element content and as a quoted attribute value.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// `text` escaped, with the `ranges` of it in `<mark>`.
    static func marked(_ text: String, _ ranges: [Range<String.Index>]) -> String {
        var out = ""
        var cursor = text.startIndex
        for range in ranges where range.lowerBound >= cursor {
            out += escape(String(text[cursor..<range.lowerBound])) + "<mark>" + escape(String(text[range])) + "</mark>"
            cursor = range.upperBound
        }
        return out + escape(String(text[cursor...]))
    }

    /// An article's URL as a link target only when it is http(s); anything else
    /// (`javascript:`, `data:`) becomes an inert fragment.
    static func safeURL(_ url: String) -> String {
        let lower = url.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") ? url : "#"
    }

    /// `name=value&…` as a form encodes it.
    static func formEncoded(_ items: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return items.map { name, value in
            name + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
    }
}
