import Testing
import FahrasAnalysis
import FahrasIndex
@testable import FahrasSearch

/// Queries built to exhaust the parser or the searcher: they must answer or fail with a
/// clear error, never crash.
@Suite("Search: hostile queries")
struct HostileQueryTests {
    let parser = QueryParser(analyzer: .standard)

    @Test(arguments: [
        String(repeating: "(", count: 10_000) + "x" + String(repeating: ")", count: 10_000),
        String(repeating: "-", count: 15_400) + "x",
        String(repeating: "+", count: 15_400) + "x",
        String(repeating: "NOT ", count: 15_400) + "x",
        String(repeating: "(+", count: 5_000) + "x",
    ])
    func nestingPastTheLimitIsAnError(_ query: String) {
        #expect(throws: SearchError.self) { try parser.parse(query) }
        do { _ = try parser.parse(query) } catch {
            guard case .tooDeep(_, let limit) = error else { Issue.record("\(error)"); return }
            #expect(limit == QueryParser.maximumDepth)
        }
    }

    @Test func nestingUpToTheLimitParses() throws {
        let depth = QueryParser.maximumDepth - 1
        let parser = QueryParser(analyzer: .wordChain)
        let nested = try parser.parse(String(repeating: "(", count: depth) + "shelling" + String(repeating: ")", count: depth))
        #expect(nested.clauses == [.term("shelling")])
        // NOT NOT cancels: an even run of minuses is a must.
        let minuses = try parser.parse(String(repeating: "-", count: depth - 1) + "shelling aid")
        #expect(minuses.root.must.count == 1 && minuses.root.should.count == 1)
    }

    @Test func twentyThousandDistinctWordsAreTwentyThousandClauses() throws {
        let words = (0..<20_000).map { "w\($0)x" }
        let query = try QueryParser(analyzer: .wordChain).parse(words.joined(separator: " ") + " " + words[0] + " " + words[1])
        #expect(query.root.should.count == 20_000, "a word given twice is one clause")
        #expect(query.clauses.count == 20_000)
        let grouped = try QueryParser(analyzer: .wordChain).parse(words.prefix(5_000).map { "(\($0))" }.joined(separator: " "))
        #expect(grouped.clauses.count == 5_000)
    }

    @Test func aPhraseOfOneNameRepeatedResolvesAsTheNameOnce() throws {
        let index = try makeIndex(["Shelling near Deir Ezzor and Dayr al-Zawr overnight.", "Deir Deir Deir Deir Deir repeated."])
        let once = try index.searcher.variants(of: "Deir")
        let repeated = "\"" + Array(repeating: "Deir", count: 300).joined(separator: " ") + "\""
        let hits = try index.searcher.search(repeated, limit: 10).hits
        #expect(hits.isEmpty, "no passage holds the word 300 times in a row")
        let five = try index.searcher.search("\"" + Array(repeating: "Deir", count: 5).joined(separator: " ") + "\"", limit: 10).hits
        #expect(five.map(\.passage) == [1])
        #expect(!once.isEmpty)
    }
}

/// Random strings over the query syntax's own characters: each parses or fails with a
/// `SearchError` whose message is one line, never a crash; the analyzers run on the words.
@Suite("Search: any query parses or fails with one line")
struct QueryParserPropertyTests {
    @Test(arguments: [Analyzer.standard, Analyzer.wordChain])
    func randomQueriesParseOrFailCleanly(_ analyzer: Analyzer) {
        let parser = QueryParser(analyzer: analyzer)
        let pieces = ["(", ")", "\"", "+", "-", "NOT ", "AND ", "OR ", " ", "=", "actor:", "date:", "site:", "title:", "doc:",
                      "lang:", "Deir", "ezzor", "al-", "دير", "الزور", "ISIS", "2017", "-03", "..", ">=", "*", "^2", "\\", "\u{0}",
                      "\u{1B}", "é", "x"]
        // A linear congruential sequence: the same queries every run.
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % bound
        }
        for _ in 0..<3_000 {
            let query = (0...next(24)).map { _ in pieces[next(pieces.count)] }.joined()
            do {
                _ = try parser.parse(query)
            } catch {
                #expect(!error.description.isEmpty && !error.description.contains("\n"), "\(query.debugDescription): \(error)")
            }
        }
    }
}

@Suite("Search: syntax Fahras does not take is named")
struct UnsupportedSyntaxTests {
    /// `Dam*`, `ISIS^2`, `Raqqa~1` found nothing and said nothing; they are errors that say
    /// what is not supported. A question mark, a lone `*`, `C++` and quoted or `=` text are
    /// searched as before.
    @Test func wildcardsBoostsAndFuzzyAreErrors() throws {
        let parser = QueryParser(analyzer: .standard)
        for (query, feature) in [("Dam*", "wildcards are"), ("ISIS^2", "boosts are"), ("Raqqa~1", "fuzzy matching is"), ("Deir Ezz*", "wildcards are")] {
            #expect(throws: SearchError.self) { try parser.parse(query) }
            do { _ = try parser.parse(query) } catch {
                guard case .unsupported(_, let found, _) = error else { Issue.record("\(error)"); continue }
                #expect(found == feature, "\(query)")
            }
        }
        for query in ["who attacked Raqqa?", "C++ compiler", "\"Dam*\"", "=Dam*", "x^ y", "f*ck"] {
            #expect(throws: Never.self) { try parser.parse(query) }
        }
    }
}
