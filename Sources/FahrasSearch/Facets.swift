import Foundation
import FahrasAnalysis
import FahrasIndex

/// How often one value of a field comes up among the matches.
package struct FacetValue: Sendable, Equatable {
    package var value: String
    /// Matching passages with this value, and the documents they are in.
    package var passages: Int
    package var documents: Int
}

/// The counts of one field over every matching passage.
package struct Facet: Sendable, Equatable {
    package var field: String
    /// Most passages first (ties by value); `year` and `month` in time order.
    package var values: [FacetValue]
}

/// Counts over all the matches of a query, not just the hits shown: which actors are named
/// in them, in which outlets, when.
package enum Facets {
    /// The fields a facet can count. `actor`: the gazetteer entities the matching passages
    /// name; `year`, `month`: of the article's date; the others are ``Schema`` fields.
    package static let fields = ["actor", "site", "year", "month", "lang", "author", "date_source"]

    /// The facets of `fields` over `matches` (global passage numbers, in index order).
    static func count(_ fields: [String], over matches: [TopPassageCollector.Entry], in reader: IndexReader,
                      entities: EntityTermCache) throws(IndexError) -> [Facet] {
        guard !fields.isEmpty else { return [] }
        var tallies = [String: Tally](uniqueKeysWithValues: fields.map { ($0, Tally()) })
        let documentFields = fields.filter { $0 != "actor" }
        var start = 0
        for (s, segment) in reader.segments.enumerated() {
            let base = reader.passageBase[s]
            var end = start
            while end < matches.count && matches[end].passage < base + segment.passageCount { end += 1 }
            let local = matches[start..<end].map { $0.passage - base }
            start = end
            guard !local.isEmpty else { continue }
            if fields.contains("actor") {
                try countEntities(try entities.terms(of: segment), in: segment, passages: local, into: &tallies["actor"]!)
            }
            if !documentFields.isEmpty { countDocuments(documentFields, in: segment, passages: local, into: &tallies) }
        }
        return fields.map { field in
            let chronological = field == "year" || field == "month"
            let values = tallies[field]!.counts.map { FacetValue(value: $0.key, passages: $0.value.passages, documents: $0.value.documents) }
                .sorted { chronological ? $0.value < $1.value : ($0.passages, $1.value) > ($1.passages, $0.value) }
            return Facet(field: field, values: values)
        }
    }

    /// Passage and document counts by value.
    struct Tally {
        var counts: [String: (passages: Int, documents: Int)] = [:]

        mutating func add(_ value: String, passages: Int, documents: Int) {
            counts[value, default: (0, 0)].passages += passages
            counts[value]!.documents += documents
        }
    }

    /// How one document field is counted in one segment: by a number of the segment's own
    /// (a keyword's ordinal, a year, a month), named once the walk is done.
    private struct FieldCounter {
        let key: (Int) -> Int?
        let name: (Int) -> String
        /// Counts by key: keyword ordinals in an array (a key is an index), dates in a dictionary.
        var byOrdinal: [(passages: Int, documents: Int)] = []
        var counts: [Int: (passages: Int, documents: Int)] = [:]
        var current: Int?

        init(_ field: String, columns: FieldColumns) {
            switch field {
            case "year", "month":
                let days = columns.dates("date")
                key = { d in days(d).map { let c = Schema.civil($0); return field == "year" ? c.year : c.year * 12 + c.month - 1 } }
                name = { k in field == "year" ? String(k) : String(k / 12) + "-" + (k % 12 < 9 ? "0" : "") + String(k % 12 + 1) }
            default:
                let column = field == "lang" ? "language" : field
                let values = columns.values(column)
                key = columns.ordinals(column)
                name = { values[$0] }
                byOrdinal = Array(repeating: (0, 0), count: values.count)
            }
        }

        mutating func add(_ key: Int, entered: Bool) {
            if !byOrdinal.isEmpty {
                byOrdinal[key].passages += 1
                if entered { byOrdinal[key].documents += 1 }
            } else {
                counts[key, default: (0, 0)].passages += 1
                if entered { counts[key]!.documents += 1 }
            }
        }

        /// Every key counted, with its counts.
        var all: [(key: Int, passages: Int, documents: Int)] {
            byOrdinal.enumerated().filter { $0.element.passages > 0 }.map { ($0.offset, $0.element.passages, $0.element.documents) }
                + counts.map { ($0.key, $0.value.passages, $0.value.documents) }
        }
    }

    /// The document fields' values of the matching passages (`passages` in increasing order),
    /// in one walk: a document is found once, and counted when the walk enters it.
    private static func countDocuments(_ fields: [String], in segment: SegmentReader, passages: [Int], into tallies: inout [String: Tally]) {
        var counters = fields.map { FieldCounter($0, columns: segment.fields) }
        var document = 0
        var end = -1
        for passage in passages {
            let entered = passage >= end
            if entered {
                document = segment.documentNumber(ofPassage: passage, from: document)
                end = segment.passages(ofDocument: document).upperBound
            }
            for f in counters.indices {
                if entered { counters[f].current = counters[f].key(document) }
                if let key = counters[f].current { counters[f].add(key, entered: entered) }
            }
        }
        for (f, counter) in counters.enumerated() {
            for c in counter.all { tallies[fields[f]]!.add(counter.name(c.key), passages: c.passages, documents: c.documents) }
        }
    }

    /// The entities named in the matching passages: each entity's postings against the
    /// matches, a merge of two sorted lists (or, for a list much longer than the matches,
    /// a jump to each match through the list's skip data).
    private static func countEntities(_ entities: [(id: String, info: SegmentReader.TermInfo)], in segment: SegmentReader,
                                      passages: [Int], into tally: inout Tally) throws(IndexError) {
        for (id, info) in entities {
            var cursor = try segment.postings(info)
            var document = 0
            var end = -1
            var counted = (passages: 0, documents: 0)
            func count(_ p: Int) {
                counted.passages += 1
                if p >= end {
                    document = segment.documentNumber(ofPassage: p, from: document)
                    end = segment.passages(ofDocument: document).upperBound
                    counted.documents += 1
                }
            }
            if info.documentFrequency > passages.count * 8 {
                for p in passages where cursor.passage <= p {
                    guard cursor.advance(to: p) else { break }
                    if cursor.passage == p { count(p) }
                }
            } else {
                // Each posting is looked for among the matches by galloping from the last one.
                var j = 0
                while cursor.next() {
                    let p = cursor.passage
                    j = Facets.firstIndex(in: passages, notBelow: p, from: j)
                    if j == passages.count { break }
                    if passages[j] == p { count(p) }
                }
            }
            if cursor.isCorrupt { throw .corrupt(file: segment.path, reason: "a postings list is malformed") }
            if counted.passages > 0 { tally.add(id, passages: counted.passages, documents: counted.documents) }
        }
    }
}

extension Facets {
    /// The first index at or after `start` whose value is at least `target` (`values`
    /// ascending): exponential steps, then a bisection.
    static func firstIndex(in values: [Int], notBelow target: Int, from start: Int) -> Int {
        var low = start
        var step = 1
        var high = start
        while high < values.count && values[high] < target {
            low = high + 1
            high += step
            step *= 2
        }
        high = min(high, values.count)
        while low < high {
            let mid = (low + high) / 2
            if values[mid] < target { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

/// The entity terms of each segment (`@id` and its postings entry), looked up once per
/// searcher: a faceted query would otherwise scan that part of every dictionary again.
final class EntityTermCache: @unchecked Sendable {
    private let lock = NSLock()
    private var known: [ObjectIdentifier: [(id: String, info: SegmentReader.TermInfo)]] = [:]

    func terms(of segment: SegmentReader) throws(IndexError) -> [(id: String, info: SegmentReader.TermInfo)] {
        lock.lock()
        let cached = known[ObjectIdentifier(segment)]
        lock.unlock()
        if let cached { return cached }
        let found = try segment.terms(withPrefix: NameTerms.entityPrefix).map { (String($0.term.dropFirst(NameTerms.entityPrefix.count)), $0.info) }
        lock.lock()
        known[ObjectIdentifier(segment)] = found
        lock.unlock()
        return found
    }
}
