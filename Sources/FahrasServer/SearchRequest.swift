import Fahras

/// A search as the API and the page take it from a URL, with every value bounded: the query
/// text, the page size and offset, facets, sort, dates and actors.
struct SearchRequest: Sendable {
    static let maximumQueryBytes = 2_000
    static let maximumLimit = 100
    static let maximumOffset = 1_000
    static let maximumActors = 10

    var query: String
    var options: SearchOptions

    /// Reads `q`, `limit`, `offset`, `sort`, `facet` (comma-separated, repeatable), `since`,
    /// `until`, `actor` (repeatable), `collapse`, `templates` and `fold` (`true`/`false`);
    /// the search may take `timeLimit`, which no request value changes.
    init(_ fields: FormFields, defaultLimit: Int = 10, facets: [SearchOptions.FacetField] = [],
         timeLimit: Duration? = FahrasServer.defaultTimeLimit) throws(FahrasError) {
        query = fields["q"] ?? ""
        guard query.utf8.count <= SearchRequest.maximumQueryBytes else {
            throw FahrasError(.badOption, "the query is longer than \(SearchRequest.maximumQueryBytes) bytes")
        }
        options = SearchOptions(limit: try SearchRequest.number(fields["limit"], "limit", default: defaultLimit, in: 1...SearchRequest.maximumLimit))
        options.offset = try SearchRequest.number(fields["offset"], "offset", default: 0, in: 0...SearchRequest.maximumOffset)
        if let sort = fields["sort"], !sort.isEmpty {
            guard let parsed = SearchOptions.Sort(rawValue: sort) else {
                throw FahrasError(.badOption, "sort must be score, date or -date, not '\(sort)'")
            }
            options.sort = parsed
        }
        options.facets = facets
        for name in fields.all("facet").flatMap({ $0.split(separator: ",") }) {
            guard let field = SearchOptions.FacetField(rawValue: String(name)) else {
                let known = SearchOptions.FacetField.allCases.map(\.rawValue).joined(separator: ", ")
                throw FahrasError(.badOption, "unknown facet '\(name)'; choose from \(known)")
            }
            if !options.facets.contains(field) { options.facets.append(field) }
        }
        options.since = try SearchRequest.day(fields["since"], "since")
        options.until = try SearchRequest.day(fields["until"], "until")
        options.actors = fields.all("actor").filter { !$0.isEmpty }
        guard options.actors.count <= SearchRequest.maximumActors else {
            throw FahrasError(.badOption, "at most \(SearchRequest.maximumActors) actor values")
        }
        options.collapse = try SearchRequest.flag(fields["collapse"], "collapse", default: true)
        options.keepTemplates = try SearchRequest.flag(fields["templates"], "templates", default: false)
        options.foldNames = try SearchRequest.flag(fields["fold"], "fold", default: true)
        options.timeLimit = timeLimit
    }

    /// Whether there is anything to search for (a blank page shows the search box only).
    var isEmpty: Bool { query.allSatisfy(\.isWhitespace) && options.actors.isEmpty && options.since == nil && options.until == nil }

    private static func number(_ text: String?, _ name: String, default value: Int, in range: ClosedRange<Int>) throws(FahrasError) -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw FahrasError(.badOption, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text.prefix(40))'")
        }
        return number
    }

    private static func flag(_ text: String?, _ name: String, default value: Bool) throws(FahrasError) -> Bool {
        switch text {
        case nil, "": return value
        case "true", "1", "on": return true
        case "false", "0", "off": return false
        case let other?: throw FahrasError(.badOption, "\(name) must be true or false, not '\(other.prefix(40))'")
        }
    }

    /// A date bound as typed; the search checks it (YYYY, YYYY-MM or YYYY-MM-DD).
    private static func day(_ text: String?, _ name: String) throws(FahrasError) -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard text.utf8.count <= 10 else { throw FahrasError(.badOption, "\(name) must be YYYY, YYYY-MM or YYYY-MM-DD") }
        return text
    }
}
