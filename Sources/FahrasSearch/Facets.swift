import FahrasAnalysis
import FahrasIndex

/// How often one value of a field comes up among the matches.
public struct FacetValue: Sendable, Equatable {
    public var value: String
    /// Matching passages with this value, and the documents they are in.
    public var passages: Int
    public var documents: Int
}

/// The counts of one field over every matching passage.
public struct Facet: Sendable, Equatable {
    public var field: String
    /// Most passages first (ties by value); `year` and `month` in time order.
    public var values: [FacetValue]
}

/// Counts over all the matches of a query, not just the hits shown: which actors are named
/// in them, in which outlets, when.
public enum Facets {
    /// The fields a facet can count. `actor`: the gazetteer entities the matching passages
    /// name; `year`, `month`: of the article's date; the others are ``Schema`` fields.
    public static let fields = ["actor", "site", "year", "month", "lang", "author", "date_source"]

    /// The facets of `fields` over `matches` (global passage numbers, in index order).
    static func count(_ fields: [String], over matches: [TopPassageCollector.Entry], in reader: IndexReader) throws(IndexError) -> [Facet] {
        guard !fields.isEmpty else { return [] }
        var tallies = [String: Tally](uniqueKeysWithValues: fields.map { ($0, Tally()) })
        var start = 0
        for (s, segment) in reader.segments.enumerated() {
            let base = reader.passageBase[s]
            var end = start
            while end < matches.count && matches[end].passage < base + segment.passageCount { end += 1 }
            let local = matches[start..<end].map { $0.passage - base }
            start = end
            guard !local.isEmpty else { continue }
            for field in fields {
                if field == "actor" {
                    try countEntities(in: segment, passages: local, into: &tallies[field]!)
                } else {
                    countDocuments(field, in: segment, passages: local, into: &tallies[field]!)
                }
            }
        }
        return fields.map { field in
            let chronological = field == "year" || field == "month"
            let values = tallies[field]!.counts.map { FacetValue(value: $0.key, passages: $0.value.passages, documents: $0.value.documents) }
                .sorted { chronological ? $0.value < $1.value : ($0.passages, $1.value) > ($1.passages, $0.value) }
            return Facet(field: field, values: values)
        }
    }

    /// Passage and document counts by value; a document is counted once per value.
    struct Tally {
        var counts: [String: (passages: Int, documents: Int)] = [:]
        /// The last (segment reader, document) counted for each value.
        var lastDocument: [String: (ObjectIdentifier, Int)] = [:]

        mutating func add(_ value: String, document: Int, segment: SegmentReader) {
            let key = (ObjectIdentifier(segment), document)
            counts[value, default: (0, 0)].passages += 1
            if let last = lastDocument[value], last == key { return }
            lastDocument[value] = key
            counts[value]!.documents += 1
        }
    }

    /// A document field's value of each matching passage (`passages` in increasing order).
    private static func countDocuments(_ field: String, in segment: SegmentReader, passages: [Int], into tally: inout Tally) {
        let columns = segment.fields
        let value: (Int) -> String?
        switch field {
        case "year", "month":
            let days = columns.dates("date")
            value = { d in days(d).map { field == "year" ? String(Schema.civil($0).year) : String(Schema.isoDate($0).prefix(7)) } }
        default:
            let name = field == "lang" ? "language" : field
            let values = columns.values(name)
            let ordinals = columns.ordinals(name)
            value = { d in ordinals(d).map { values[$0] } }
        }
        var document = 0
        var end = -1
        var current: String?
        for passage in passages {
            if passage >= end {
                document = segment.documentNumber(ofPassage: passage)
                end = segment.passages(ofDocument: document).upperBound
                current = value(document)
            }
            if let current { tally.add(current, document: document, segment: segment) }
        }
    }

    /// The entities named in the matching passages: each entity's postings against the matches.
    private static func countEntities(in segment: SegmentReader, passages: [Int], into tally: inout Tally) throws(IndexError) {
        var matched = [UInt64](repeating: 0, count: (segment.passageCount + 63) / 64)
        for p in passages { matched[p >> 6] |= 1 << UInt64(p & 63) }
        for (term, info) in try segment.terms(withPrefix: NameTerms.entityPrefix) {
            let id = String(term.dropFirst(NameTerms.entityPrefix.count))
            var cursor = try segment.postings(info)
            while cursor.next() {
                let p = cursor.passage
                if matched[p >> 6] & (1 << UInt64(p & 63)) != 0 {
                    tally.add(id, document: segment.documentNumber(ofPassage: p), segment: segment)
                }
            }
            if cursor.isCorrupt { throw .corrupt(file: segment.path, reason: "a postings list is malformed") }
        }
    }
}
