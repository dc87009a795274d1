/// The typed fields a document carries besides its passages, and how each is kept.
///
/// Text fields (the body's passages, the title) are analysed into terms; the fields here
/// are kept as columns of the segment's `fields` section, one value per document, so that a
/// filter or a facet reads one column and never decodes a document record (as Tantivy's fast
/// fields, Xapian's value slots). A field is named once here; the writer, the reader, the
/// merger and the query parser all go through this list.
package enum FieldKind: UInt8, Sendable {
    /// A day: days since 1970-01-01, `Int32.min` when absent.
    case date = 1
    /// A short string compared whole (an outlet, a language); a dictionary of the segment's
    /// values and an ordinal per document.
    case keyword = 2
    /// A string shown, never filtered on (a URL).
    case stored = 3
}

/// One field of the ``Schema``.
package struct FieldSpec: Sendable, Equatable {
    package var name: String
    package var kind: FieldKind
}

/// A field's value in one document.
package enum FieldValue: Sendable, Equatable, Hashable {
    case date(Int32)
    case text(String)

    package var day: Int32? { if case .date(let d) = self { return d } else { return nil } }
    package var text: String? { if case .text(let s) = self { return s } else { return nil } }
}

/// The document fields every segment keeps, in the order they are written.
package enum Schema {
    package static let fields: [FieldSpec] = [
        FieldSpec(name: "date", kind: .date),
        FieldSpec(name: "modified", kind: .date),
        FieldSpec(name: "date_source", kind: .keyword),
        FieldSpec(name: "site", kind: .keyword),
        FieldSpec(name: "host", kind: .keyword),
        FieldSpec(name: "language", kind: .keyword),
        FieldSpec(name: "author", kind: .keyword),
        FieldSpec(name: "url", kind: .stored),
    ]

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    package static func day(year: Int, month: Int, day: Int) -> Int32 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int32(era * 146_097 + doe - 719_468)
    }

    /// The year, month and day of `days` since 1970-01-01 (the inverse of ``day(year:month:day:)``).
    package static func civil(_ days: Int32) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `YYYY-MM-DD` of a day.
    package static func isoDate(_ days: Int32) -> String {
        let (y, m, d) = civil(days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(y)-\(two(m))-\(two(d))"
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` of an instant, in UTC (as `ISO8601DateFormatter` writes it,
    /// without the cost of making one: every commit stamps its manifest).
    package static func isoTimestamp(secondsSince1970 seconds: Int64) -> String {
        let (days, time) = (seconds / 86_400 - (seconds % 86_400 < 0 ? 1 : 0), (seconds % 86_400 + 86_400) % 86_400)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return isoDate(Int32(days)) + "T" + two(time / 3600) + ":" + two(time / 60 % 60) + ":" + two(time % 60) + "Z"
    }

    /// The day of an ISO date `YYYY-MM-DD` (a longer timestamp's first ten characters), or `nil`.
    package static func day(iso text: String) -> Int32? {
        let parts = text.prefix(10).split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts[0].count == 4, (1...12).contains(m), (1...31).contains(d) else { return nil }
        return day(year: y, month: m, day: d)
    }
}
