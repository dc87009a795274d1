import FahrasIndex

/// The field operators of the query language and how their values are read.
///
/// - `date:2017`, `date:2017-03`, `date:2017-03-04`: that year, month or day;
///   `date:2017-03-01..2017-06-30` (either end may be left open), `date:>=2018-01`,
///   `date:>2018`, `date:<=…`, `date:<…`: ranges; a month or year as an end stands for its
///   first day as a lower bound and its last as an upper bound.
/// - `site:sana.sy`: the outlet's name (`og:site_name`), or the host of its URL or a
///   host under it (`site:bbc.co.uk` finds `news.bbc.co.uk`), without case.
/// - `lang:ar`: the language's primary subtag.
/// - `author:NAME`: the author field contains NAME, without case.
package enum FieldFilters {
    /// Query operator → schema field, for the keyword fields.
    package static let keywordOperators: [String: String] = ["site:": "site", "lang:": "language", "author:": "author"]
    /// Every field operator that filters.
    package static let operators = ["doc:", "title:", "date:"] + keywordOperators.keys.sorted()

    /// The filter `field` (an operator, with its colon) with `value` makes.
    package static func filter(_ field: String, _ value: String) throws(SearchError) -> Query.Filter {
        if field == "date:" { return .date(field: "date", days: try days(value, field: field)) }
        guard let name = keywordOperators[field] else { throw .badFilterValue(field: field, value: value, reason: "unknown field") }
        return .keyword(field: name, value: value.lowercased())
    }

    /// The days a `date:` value (or a `--since`/`--until` bound) stands for.
    package static func days(_ value: String, field: String = "date:") throws(SearchError) -> ClosedRange<Int32> {
        func fail() -> SearchError {
            .badFilterValue(field: field, value: value, reason: "not a date; write 2017, 2017-03, 2017-03-04, "
                + "2017-03-01..2017-06-30, >=2018-01 or <2016")
        }
        let open: ClosedRange<Int32> = Int32.min + 1...Int32.max
        for op in [">=", "<=", ">", "<"] where value.hasPrefix(op) {
            guard let span = span(String(value.dropFirst(op.count))) else { throw fail() }
            switch op {
            case ">=": return span.lowerBound...open.upperBound
            case ">": return span.upperBound + 1...open.upperBound
            case "<=": return open.lowerBound...span.upperBound
            default: return open.lowerBound...span.lowerBound - 1
            }
        }
        if let dots = value.range(of: "..") {
            let from = value[..<dots.lowerBound], to = value[dots.upperBound...]
            let low = from.isEmpty ? open.lowerBound : span(String(from))?.lowerBound
            let high = to.isEmpty ? open.upperBound : span(String(to))?.upperBound
            guard let low, let high, low <= high, !(from.isEmpty && to.isEmpty) else { throw fail() }
            return low...high
        }
        guard let span = span(value) else { throw fail() }
        return span
    }

    /// The days of a year, a month or a day written in ISO form.
    static func span(_ text: String) -> ClosedRange<Int32>? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard (1...3).contains(parts.count), !parts.contains(nil), text.split(separator: "-")[0].count == 4 else { return nil }
        let year = parts[0]!
        switch parts.count {
        case 1:
            return Schema.day(year: year, month: 1, day: 1)...Schema.day(year: year, month: 12, day: 31)
        case 2:
            guard (1...12).contains(parts[1]!) else { return nil }
            let first = Schema.day(year: year, month: parts[1]!, day: 1)
            let next = parts[1]! == 12 ? Schema.day(year: year + 1, month: 1, day: 1) : Schema.day(year: year, month: parts[1]! + 1, day: 1)
            return first...(next - 1)
        default:
            let day = Schema.day(year: year, month: parts[1]!, day: parts[2]!)
            guard (1...12).contains(parts[1]!), (1...31).contains(parts[2]!), Schema.civil(day).month == parts[1]! else { return nil }
            return day...day
        }
    }

    /// Whether keyword field `field`'s value `stored` (and, for `site`, the document's host)
    /// matches the asked `value` (lower case).
    static func matches(field: String, stored: String, asked value: String) -> Bool {
        let stored = stored.lowercased()
        switch field {
        case "author": return stored.contains(value)
        case "host": return stored == value || stored.hasSuffix("." + value)
        default: return stored == value
        }
    }
}
