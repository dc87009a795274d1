import FahrasAnalysis

/// One way a name or entity is written in the indexed text, and how often.
package struct WrittenForm: Sendable, Equatable {
    /// The text as written (white space collapsed), e.g. `Deir Ezzur`.
    package var text: String
    /// Occurrences over the whole index.
    package var occurrences: Int
    /// Passages that hold it.
    package var passages: Int
}

extension Searcher {
    /// Every written form that `query` matches, over all matching passages, most frequent
    /// first: the text under each highlight, counted.
    ///
    /// Reads and re-analyses every matching passage; meant for the discovery commands
    /// (`variants`, `entities`), not for ranking.
    package func writtenForms(of query: Query) throws(SearchError) -> [WrittenForm] {
        let results = try search(query, limit: max(1, reader.passageCount), fetchText: true)
        var occurrences: [String: Int] = [:]
        var passages: [String: Int] = [:]
        for hit in results.hits {
            let bytes = Array(hit.text.utf8)
            var seen = Set<String>()
            for range in hit.highlights where range.upperBound <= bytes.count {
                let written = String(decoding: bytes[range], as: UTF8.self)
                    .split(whereSeparator: \.isWhitespace).joined(separator: " ")
                occurrences[written, default: 0] += 1
                if seen.insert(written).inserted { passages[written, default: 0] += 1 }
            }
        }
        return occurrences.map { WrittenForm(text: $0.key, occurrences: $0.value, passages: passages[$0.key] ?? 0) }
            .sorted { $0.occurrences != $1.occurrences ? $0.occurrences > $1.occurrences : $0.text < $1.text }
    }

    /// The written forms of every spelling that folds with `name` (the exact spelling
    /// included).
    package func variants(of name: String) throws(SearchError) -> [WrittenForm] {
        if name.allSatisfy(\.isWhitespace) { throw .emptyQuery }
        if analyzer.names == nil { throw .namesOff(feature: "spellings of names to list") }
        guard var pattern = analyzer.namePattern(name) else { throw .notAName(name) }
        // Asked for as a name, in whatever case: its spellings are listed even where the
        // index writes it as a common word (``Searcher/withoutCommonWords(_:lookups:)``).
        pattern.latinWords = []
        return try writtenForms(of: Query(text: name, clauses: [.names(pattern)]))
    }
}
