import Foundation
import Testing
import FahrasAnalysis
import FahrasIndex
@testable import FahrasSearch

/// An index on disk and a searcher over it; the directory lives as long as this value.
struct TestIndex {
    let directory: TemporaryDirectory
    let reader: IndexReader
    let analyzer: Analyzer
    var searcher: Searcher { Searcher(reader: reader, analyzer: analyzer) }
}

/// An index of one document per text, each text one passage, built with `analyzer`
/// (the standard one, or the word chain alone where names would blur the arithmetic).
func makeIndex(_ texts: [String], analyzer: Analyzer = .standard) throws -> TestIndex {
    let dir = TemporaryDirectory()
    let builder = SegmentBuilder()
    for (i, text) in texts.enumerated() {
        let tokens = analyzer.analyze(text)
        let passage = PassageInput(ordinal: 0, range: 0..<text.utf8.count, text: text[...],
                                   terms: tokens.map { ($0.term, $0.position) } + analyzer.titleTerms("Doc \(i)").map { ($0, 0) },
                                   length: tokens.filter { !$0.isVariant }.count, fingerprint: Fingerprint.of(tokens, in: text))
        builder.add(DocumentInput(path: "doc\(i).txt", title: "Doc \(i)", size: 0, modified: 0, contentHash: 0, passages: [passage]))
    }
    try IndexDirectory(path: dir.path).commitRebuild(builder, analyzer: analyzer.signature)
    return TestIndex(directory: dir, reader: try IndexDirectory(path: dir.path).open(analyzer: analyzer.signature), analyzer: analyzer)
}

final class TemporaryDirectory: Sendable {
    let path = NSTemporaryDirectory() + "fahras-search-test-" + UUID().uuidString
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("Search: BM25 against hand-computed scores")
struct BM25Tests {
    // Corpus: N = 3 passages, lengths 3, 2, 4, avgdl = 3.
    //   p0 "deir ezzor deir"   p1 "tanf camp"   p2 "camp near tanf camp"
    let corpus = ["Deir Ezzor deir", "Tanf camp", "camp near Tanf camp"]

    /// The corpus indexed with the word chain only: no folded name clauses in the sums.
    func makeIndex(_ texts: [String]) throws -> TestIndex {
        try FahrasSearchTests.makeIndex(texts, analyzer: .wordChain)
    }

    /// A query's dictionary entries are looked up once and kept: the first few in a list,
    /// the rest in a table; either way, the entries the reader gives, absent terms included.
    @Test func termLookupsKeepTheReadersEntries() throws {
        let texts = ["alpha beta gamma delta", "epsilon zeta eta theta alpha", "iota kappa lambda mu", "nu xi omicron pi alpha"]
        let index = try makeIndex(texts)
        let lookups = TermLookups(reader: index.reader)
        let terms = texts.flatMap { Analyzer.wordChain.words($0).map(\.term) } + ["absent", "nowhere"]
        #expect(Set(terms).count > 12, "more terms than the list holds")
        for term in terms + terms.reversed() {
            #expect(try lookups.entries(of: term) == index.reader.lookup(term), "\(term)")
        }
        #expect(try lookups.entries(of: "alpha").compactMap { $0?.documentFrequency } == [3])
        #expect(try lookups.entries(of: "absent").allSatisfy { $0 == nil })
    }

    @Test func singleTerm() throws {
        let index = try makeIndex(corpus)
        let results = try index.searcher.search("camp", limit: 10)
        // idf(camp) = ln(1 + (3 - 2 + 0.5)/(2 + 0.5)) = ln 1.6 = 0.470003629
        // p2: tf 2, dl 4: 0.470003629 · 2.2 · 2 / (2 + 1.2 · (0.25 + 0.75 · 4/3)) = 0.590861705
        // p1: tf 1, dl 2: 0.470003629 · 2.2 · 1 / (1 + 1.2 · (0.25 + 0.75 · 2/3)) = 0.544214729
        #expect(results.total == 2)
        #expect(results.hits.map(\.passage) == [2, 1])
        #expect(abs(results.hits[0].score - 0.590861705) < 1e-8)
        #expect(abs(results.hits[1].score - 0.544214729) < 1e-8)
    }

    @Test func phraseScoresWithSummedIdf() throws {
        let index = try makeIndex(corpus)
        let results = try index.searcher.search("\"tanf camp\"", limit: 10)
        // idf = 2 · ln 1.6; p1: tf 1, dl 2 → 0.940007258 · 2.2 / 1.9 = 1.088429457
        //                   p2: tf 1, dl 4 → 0.940007258 · 2.2 / 2.5 = 0.827206387
        #expect(results.hits.map(\.passage) == [1, 2])
        #expect(abs(results.hits[0].score - 1.088429457) < 1e-8)
        #expect(abs(results.hits[1].score - 0.827206387) < 1e-8)
        // Order matters: "camp tanf" occurs nowhere.
        #expect(try index.searcher.search("\"camp tanf\"", limit: 10).total == 0)
    }

    @Test func disjunctionSumsClauses() throws {
        let index = try makeIndex(corpus)
        let results = try index.searcher.search("deir camp", limit: 10)
        // p0: idf(deir) = ln(1 + 2.5/1.5) = 0.980829253; tf 2, dl 3 → · 2.2 · 2 / (2 + 1.2) = 1.348640223
        #expect(results.total == 3)
        #expect(results.hits.map(\.passage) == [0, 2, 1])
        #expect(abs(results.hits[0].score - 1.348640223) < 1e-8)
    }

    @Test func idfFormulaIsLucenes() {
        let bm25 = BM25()
        #expect(abs(bm25.idf(documentFrequency: 1, passageCount: 10) - log(1 + 9.5 / 1.5)) < 1e-12)
        #expect(bm25.idf(documentFrequency: 10, passageCount: 10) > 0)  // never negative
    }
}

@Suite("Search: ranking, phrases, highlights")
struct SearcherTests {
    @Test func hyphenatedQueryWordIsAPhraseOfItsParts() throws {
        // Word level: with names folded, `al-Tanf` also finds `Tanf` (see NameSearchTests).
        let index = try makeIndex(["convoy at al-Tanf today", "convoy at al Tanf today", "Tanf and al elsewhere"],
                                  analyzer: .wordChain)
        let searcher = index.searcher
        #expect(Set(try searcher.search("al-Tanf", limit: 10).hits.map(\.passage)) == [0, 1])
        #expect(try searcher.search("Tanf", limit: 10).total == 3)
    }

    @Test func joinedFormFindsHyphenatedText() throws {
        let index = try makeIndex(["the T-4 airbase", "the T4 airbase", "the tiyas airbase",
                                   "convoy at al-Tanf", "convoy at al Tanf", "the AlTanf base"], analyzer: .wordChain)
        let searcher = index.searcher
        #expect(Set(try searcher.search("T4", limit: 10).hits.map(\.passage)) == [0, 1])
        #expect(Set(try searcher.search("T-4", limit: 10).hits.map(\.passage)) == [0, 1])
        // A glued spelling is one term: only the joined variant of `al-Tanf` can match it.
        #expect(Set(try searcher.search("AlTanf", limit: 10).hits.map(\.passage)) == [3, 5])
        // A hyphenated query word finds its parts apart and written together.
        #expect(Set(try searcher.search("al-Tanf", limit: 10).hits.map(\.passage)) == [3, 4, 5])
        // Letters and digits written together are one term: `T4` does not match a lone `4`.
        let digits = try makeIndex(["the T4 airbase", "sector 4 of the base", "the T-4 airbase"], analyzer: .wordChain)
        #expect(Set(try digits.searcher.search("4", limit: 10).hits.map(\.passage)) == [1, 2])
        // Both alternatives of `T-4` match passage 2; it scores as the better one, not both.
        let both = try digits.searcher.search("T-4", limit: 10).hits
        let phrase = try digits.searcher.search("\"t 4\"", limit: 10).hits
        let glued = try digits.searcher.search("t4", limit: 10).hits
        #expect(Set(both.map(\.passage)) == [0, 2])
        let score2 = both.first { $0.passage == 2 }?.score
        #expect(score2 == max(phrase.first { $0.passage == 2 }?.score ?? 0, glued.first { $0.passage == 2 }?.score ?? 0))
    }

    @Test func equalScoresKeepPassageOrder() throws {
        let index = try makeIndex(Array(repeating: "same words here", count: 5))
        let hits = try index.searcher.search("words", limit: 3).hits
        #expect(hits.map(\.passage) == [0, 1, 2])
    }

    @Test func highlightsCoverTheWordAsWritten() throws {
        let text = "Clashes near Ḩimş and al-Tanf, where the T-4 base is."
        let index = try makeIndex([text])
        let hit = try #require(try index.searcher.search("hims tanf \"t 4\"", limit: 1).hits.first)
        let bytes = Array(hit.text.utf8)
        #expect(hit.highlights.map { String(decoding: bytes[$0], as: UTF8.self) } == ["Ḩimş", "al-Tanf", "T-4"])
        #expect(hit.text == text)
        #expect(hit.document == "doc0.txt")
    }

    @Test func snippetIsCutAroundTheFirstMatch() {
        let text = String(repeating: "filler words go here ", count: 30) + "the Tanf crossing" + String(repeating: " and more words", count: 30)
        let start = text.utf8.count - String(repeating: " and more words", count: 30).utf8.count - "Tanf crossing".utf8.count
        let snippet = Snippet(text: text, highlights: [start..<(start + 4)], maximumLength: 120)
        #expect(snippet.text.hasPrefix("…") && snippet.text.hasSuffix("…"))
        let bytes = Array(snippet.text.utf8)
        #expect(snippet.highlights.map { String(decoding: bytes[$0], as: UTF8.self) } == ["Tanf"])
        #expect(snippet.text.utf8.count <= 120 + 6)
    }

    @Test func collectorKeepsTheBest() {
        var collector = TopPassageCollector(capacity: 3)
        for (passage, score) in [(0, 1.0), (1, 5.0), (2, 3.0), (3, 5.0), (4, 0.5), (5, 4.0)] {
            collector.collect(passage: passage, score: score)
        }
        #expect(collector.results().map(\.passage) == [1, 3, 5])
    }

    /// Any capacity, many ties, either tie order: the kept entries are the first `capacity`
    /// of a sort of all of them (the heap's sift is checked against a plain sort).
    @Test func collectorEqualsASortOfEverything() {
        var state: UInt64 = 5
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for capacity in [1, 2, 7, 10, 33] {
            for reversed in [false, true] {
                let before: @Sendable (Int, Int) -> Bool = { a, b in a < b }
                let after: @Sendable (Int, Int) -> Bool = { a, b in a > b }
                let precedes = reversed ? after : before
                var entries: [TopPassageCollector.Entry] = []
                for passage in 0..<500 { entries.append(TopPassageCollector.Entry(passage: passage, score: Double(next(40)) / 4)) }
                for i in entries.indices.reversed() { entries.swapAt(i, next(i + 1)) }  // in any order
                var collector = TopPassageCollector(capacity: capacity, precedes: precedes)
                for entry in entries { collector.collect(passage: entry.passage, score: entry.score) }
                let sorted = entries.sorted { $0.score != $1.score ? $0.score > $1.score : precedes($0.passage, $1.passage) }
                #expect(collector.results() == Array(sorted.prefix(capacity)), "capacity \(capacity), reversed \(reversed)")
            }
        }
    }
}

@Suite("Search: query parsing")
struct QueryParserTests {
    let parser = QueryParser(analyzer: .wordChain)

    @Test func wordsAndPhrases() throws {
        let query = try parser.parse("Deir Ezzur \"US forces\" al-Tanf deir")
        #expect(query.clauses == [.term("deir"), .term("ezzur"), .phrase(["us", "forces"]),
                                  .compound(parts: ["al", "tanf"], joined: "altanf")])
        // Words of a quoted phrase are not one written word: no joined form.
        #expect(try parser.parse("\"US forces\"").clauses == [.phrase(["us", "forces"])])
    }

    @Test func malformedQueriesAreErrors() {
        #expect(throws: SearchError.emptyQuery) { try parser.parse("   ") }
        #expect(throws: SearchError.unbalancedQuote(column: 8)) { try parser.parse("troops \"US forces") }
        #expect(throws: SearchError.noSearchableTerms(query: "!!! ---")) { try parser.parse("!!! ---") }
    }
}

@Suite("Search: highlighter patterns")
struct HighlighterPatternTests {
    private func marked(_ patterns: [[[String]]], in text: String) -> [String] {
        let bytes = Array(text.utf8)
        return Highlighter(analyzer: .wordChain).highlights(of: patterns, in: text)
            .map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func wordsPhrasesAndManySpellingsOfAWord() {
        let text = "Convoys left Manbij at dawn; the convoy reached Deir Ezzor by night."
        #expect(marked([[["convoy", "convoys"]]], in: text) == ["Convoys", "convoy"])
        // A phrase covers its words; one whose next word is elsewhere marks nothing.
        #expect(marked([[["deir"], ["ezzor"]]], in: text) == ["Deir Ezzor"])
        #expect(marked([[["left"], ["dawn"]]], in: text).isEmpty)
        // More spellings than are compared one by one (the slot becomes a set).
        let many = (0..<20).map { "spelling\($0)" } + ["manbij"]
        #expect(marked([[many]], in: text) == ["Manbij"])
        #expect(marked([[many, ["at"]]], in: text) == ["Manbij at"])
        #expect(marked([[["nowhere"]], [["night"]]], in: text) == ["night"])
    }
}
