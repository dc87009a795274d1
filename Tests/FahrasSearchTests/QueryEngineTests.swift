import Testing
import FahrasAnalysis
import FahrasIndex
@testable import FahrasSearch

@Suite("Search: query syntax")
struct QuerySyntaxTests {
    let parser = QueryParser(analyzer: .wordChain)

    func node(_ word: String) -> Query.Node { .clause(.term(word)) }

    @Test func wordsAreOptionalAndModifiersRequireOrExclude() throws {
        let query = try parser.parse("convoy +tanf -raqqa NOT homs")
        #expect(query.root.should == [node("convoy")])
        #expect(query.root.must == [node("tanf")])
        #expect(query.root.mustNot == [node("raqqa"), node("homs")])
    }

    @Test func andBindsTighterThanOrAndParenthesesGroup() throws {
        let query = try parser.parse("a AND b OR c")
        #expect(query.root.should == [.group(Query.Group(must: [node("a"), node("b")])), node("c")])
        let grouped = try parser.parse("(a OR b) AND -c")
        #expect(grouped.root.should == [.group(Query.Group(must: [.group(Query.Group(should: [node("a"), node("b")]))],
                                                            mustNot: [node("c")]))])
        // Lower-case operators are words.
        #expect(try parser.parse("a and b").root.should == [node("a"), node("and"), node("b")])
    }

    @Test func filtersRestrictAndScoreNothing() throws {
        let query = try parser.parse("convoy doc:syria title:\"Deir Ezzor\" -doc:old")
        #expect(query.root.should == [node("convoy")])
        #expect(query.root.must == [.filter(.document("syria")), .filter(.title(["deir", "ezzor"]))])
        #expect(query.root.mustNot == [.filter(.document("old"))])
    }

    @Test func wordsAfterACarriageReturnAndNewLineAreWhole() throws {
        // "\r\n" is one character and two bytes: words are cut at character places.
        let query = try parser.parse("alpha\r\nbeta \"gamma delta\"")
        #expect(query.root.should == [node("alpha"), node("beta"), .clause(.phrase(["gamma", "delta"]))])
    }

    @Test func asciiQueriesTokenizeFromBytesAsFromCharacters() throws {
        // A trailing "\r" (white space) sends a query through the character tokenizer; the
        // byte tokenizer must give the same query, and the same errors at the same columns.
        let queries = ["convoy +tanf -raqqa NOT homs", "a AND b OR c", "(a OR b) AND -c", "a - b + c", "+ a",
                       "convoy DOC:syria title:\"Deir Ezzor\" -doc:old", "x:y", "\"gamma delta\" (e)",
                       "us-backed T-4 al-Tanf", "a\tb\u{0B}c\u{0C}d"]
        for text in queries {
            #expect(try parser.parse(text).root == parser.parse(text + "\r").root, "\(text)")
        }
        for text in ["(a OR b", "a) b", "a AND", "a doc: b", "a \"b c", "-a NOT b", "actor:x"] {
            var errors: [String] = []
            for form in [text, text + "\r"] {
                do { _ = try parser.parse(form); errors.append("none") } catch { errors.append(error.description) }
            }
            #expect(errors[0] == errors[1] && errors[0] != "none", "\(text)")
        }
    }

    @Test func malformedQueriesSayWhereAndWhat() {
        #expect(throws: SearchError.unbalancedParenthesis(column: 1)) { try parser.parse("(a OR b") }
        #expect(throws: SearchError.unexpectedParenthesis(column: 2)) { try parser.parse("a) b") }
        #expect(throws: SearchError.missingOperand(operator: "AND", column: 3)) { try parser.parse("a AND") }
        #expect(throws: SearchError.missingOperand(operator: "OR", column: 1)) { try parser.parse("OR a") }
        #expect(throws: SearchError.missingOperand(operator: "NOT", column: 3)) { try parser.parse("a NOT") }
        #expect(throws: SearchError.missingOperand(operator: "AND", column: 3)) { try parser.parse("a AND OR b") }
        #expect(throws: SearchError.emptyFilter(field: "doc:", column: 3)) { try parser.parse("a doc: b") }
        #expect(throws: SearchError.onlyExclusions) { try parser.parse("-a NOT b") }
        #expect(throws: SearchError.unbalancedQuote(column: 3)) { try parser.parse("a \"b c") }
        for error: SearchError in [.unbalancedParenthesis(column: 4), .missingOperand(operator: "AND", column: 2), .onlyExclusions] {
            #expect(error.description.contains("column") || error.description.contains("add something"))
        }
    }
}

@Suite("Search: boolean queries and filters")
struct BooleanSearchTests {
    let corpus = ["tanf convoy attack", "tanf camp", "raqqa convoy", "raqqa camp attack", "homs market"]

    func documents(_ query: String, _ index: TestIndex) throws -> Set<String> {
        Set(try index.searcher.search(query, limit: 20).hits.map(\.document))
    }

    @Test func requiredExcludedAndGroupedMembers() throws {
        let index = try makeIndex(corpus, analyzer: .wordChain)
        #expect(try documents("+convoy tanf", index) == ["doc0.txt", "doc2.txt"])
        #expect(try documents("convoy -raqqa", index) == ["doc0.txt"])
        #expect(try documents("camp AND attack", index) == ["doc3.txt"])
        #expect(try documents("(tanf OR raqqa) AND attack", index) == ["doc0.txt", "doc3.txt"])
        #expect(try documents("camp NOT (raqqa OR homs)", index) == ["doc1.txt"])
        #expect(try documents("+nowhere convoy", index).isEmpty)
        // An optional member adds its score where the required one matches.
        let scored = try index.searcher.search("+convoy tanf", limit: 5)
        #expect(scored.hits.first?.document == "doc0.txt" && scored.total == 2)
    }

    @Test func documentAndTitleFilters() throws {
        let index = try makeIndex(corpus, analyzer: .wordChain)
        #expect(try documents("camp doc:doc3", index) == ["doc3.txt"])
        #expect(try documents("camp -doc:doc3", index) == ["doc1.txt"])
        #expect(try documents("convoy title:\"Doc 2\"", index) == ["doc2.txt"])
        // A filter alone lists its documents' passages.
        #expect(try documents("doc:doc4", index) == ["doc4.txt"])
    }
}

@Suite("Search: MaxScore with block-max bounds finds the exhaustive top k")
struct PruningTests {
    /// A corpus big enough for many postings blocks per common term, with repeated
    /// texts for ties and lengths spread over many norm codes.
    func corpus(seed: UInt64) -> [String] {
        var state = seed
        func random(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
                     "kilo", "lima", "mike", "november", "oscar", "papa"]
        var texts: [String] = []
        for _ in 0..<1500 {
            let length = 1 + random(60)
            // Skewed: low word numbers are far more common.
            texts.append((0..<length).map { _ in words[min(random(16), random(16))] }.joined(separator: " "))
        }
        for i in stride(from: 0, to: 1500, by: 50) { texts[i] = texts[0] }  // exact ties
        // A rare word beside the common ones: its one postings block spans the corpus,
        // while a common word's blocks are short windows.
        for i in stride(from: 7, to: 1500, by: 97) { texts[i] += " zulu alpha" }
        return texts
    }

    @Test func prunedResultsEqualExhaustiveResults() throws {
        let index = try makeIndex(corpus(seed: 7), analyzer: .wordChain)
        let searcher = index.searcher
        let queries = ["alpha", "papa", "alpha bravo", "oscar papa", "alpha papa november", "\"alpha bravo\"",
                       "\"mike november\" alpha", "charlie \"delta echo\" papa", "kilo lima mike november oscar",
                       "alpha zulu", "zulu papa oscar", "\"zulu alpha\" bravo", "zulu"]
        for query in queries {
            for limit in [1, 3, 10, 50] {
                let exact = try searcher.search(query, limit: limit, countAll: true)
                let pruned = try searcher.search(query, limit: limit, countAll: false)
                #expect(pruned.hits.map(\.passage) == exact.hits.map(\.passage), "\(query) top \(limit)")
                #expect(zip(pruned.hits, exact.hits).allSatisfy { abs($0.score - $1.score) < 1e-12 }, "\(query)")
                #expect(pruned.total <= exact.total)
            }
        }
        // Pruning does skip work on a common term.
        let skipped = try searcher.search("alpha", limit: 3, countAll: false)
        let all = try searcher.search("alpha", limit: 3, countAll: true)
        #expect(skipped.total < all.total)
    }

    /// A phrase is found in every passage where its words stand side by side, with as many
    /// occurrences, whichever word is the rarest (the one the others follow: first, last or
    /// between) and whether or not the rarest has a passage in a block of the others.
    @Test func phrasesAreFoundWhicheverWordIsRarest() throws {
        let texts = corpus(seed: 5)
        let index = try makeIndex(texts, analyzer: .wordChain)
        let words = texts.map { $0.split(separator: " ").map(String.init) }
        let phrases = [["alpha", "oscar"], ["oscar", "alpha"], ["alpha", "bravo"], ["alpha", "alpha"], ["zulu", "alpha"],
                       ["bravo", "oscar", "alpha"], ["oscar", "alpha", "bravo"], ["alpha", "bravo", "oscar"]]
        for phrase in phrases {
            var expected: [Int: Int] = [:]
            for (passage, text) in words.enumerated() where text.count >= phrase.count {
                let count = (0...(text.count - phrase.count)).filter { Array(text[$0..<($0 + phrase.count)]) == phrase }.count
                if count > 0 { expected[passage] = count }
            }
            #expect(expected.count >= 3, "\(phrase) is found in \(expected.count) passages")
            let found = try index.searcher.search("\"" + phrase.joined(separator: " ") + "\"", limit: texts.count, countAll: true)
            #expect(Set(found.hits.map(\.passage)) == Set(expected.keys), "\(phrase)")
            #expect(found.total == expected.count, "\(phrase)")
            // More occurrences, in passages of one length, score higher.
            for a in found.hits {
                for b in found.hits where words[a.passage].count == words[b.passage].count
                    && expected[a.passage]! > expected[b.passage]! {
                    #expect(a.score > b.score, "\(phrase): passage \(a.passage) against \(b.passage)")
                }
            }
        }
    }

    /// With names on, a word is its exact term or its folded spellings (a group of two
    /// optional clauses): the group's clauses are bounded and skipped one by one, and the top
    /// k is still the exhaustive one.
    @Test func aWordAndItsSpellingsArePrunedClauseByClause() throws {
        // Capitalised words are names in text: their spellings are filed under fold keys.
        // Three spellings of one name, one to three times a passage: a slot read as one
        // term of summed frequencies, bounded block by block.
        let spellings = ["Zor", "Zour", "Zur"]
        let texts = corpus(seed: 11).enumerated().map { i, text in
            text.split(separator: " ").enumerated().map { k, word in (i + k) % 3 == 0 ? word.capitalized : String(word) }
                .joined(separator: " ") + (i % 4 == 0 ? "" : " " + (0...(i % 3)).map { spellings[($0 + i) % 3] }.joined(separator: " hotel "))
        }
        let index = try makeIndex(texts, analyzer: .standard)
        let searcher = index.searcher
        let parsed = try QueryParser(analyzer: .standard).parse("kilo")
        guard case .group(let word)? = parsed.root.should.first else { Issue.record("a word is a group: \(parsed.root)"); return }
        #expect(word.should.contains { if case .clause(.names) = $0 { true } else { false } }, "the word has folded spellings")
        for query in ["alpha", "kilo", "alpha bravo", "kilo \"lima mike\"", "Papa oscar", "zulu alpha", "zor", "zour alpha", "zur hotel"] {
            for limit in [1, 10] {
                let exact = try searcher.search(query, limit: limit, countAll: true)
                let pruned = try searcher.search(query, limit: limit, countAll: false)
                #expect(pruned.hits.map(\.passage) == exact.hits.map(\.passage), "\(query) top \(limit)")
                #expect(zip(pruned.hits, exact.hits).allSatisfy { abs($0.score - $1.score) < 1e-9 }, "\(query)")
            }
        }
        // The top-k loop gets the word's clauses themselves: a nested sum has no block bounds
        // and was walked passage by passage.
        let tree = try #require(try searcher.scorerTree(parsed, segment: 0) as? SumScorer)
        #expect(tree.scorers.count == 2 && tree.scorers.contains { $0 is TermScorer } && !tree.scorers.contains { $0 is SumScorer })
        let name = try #require(try searcher.scorerTree(QueryParser(analyzer: .standard).parse("zor"), segment: 0) as? SumScorer)
        #expect(name.scorers.contains { $0 is SpellingsScorer }, "the spellings are one slot of several terms")
    }

    /// A slot of several spellings, and a phrase, bound their scores window by window: every
    /// passage of a window scores at most the window's bound.
    @Test(arguments: ["zor", "\"bravo zor\"", "\"alpha bravo\""])
    func spellingsAndPhrasesBoundTheirScoresBlockByBlock(_ query: String) throws {
        let spellings = ["Zor", "Zour", "Zur"]
        let texts = (0..<2000).map { i in
            (i % 5 == 0 ? "bravo alpha " : "alpha bravo ") + (0...(i % 4)).map { spellings[($0 * 7 + i) % 3] }.joined(separator: " ")
                + String(repeating: " kilo", count: i % 9) + (i % 3 == 0 ? " alpha bravo" : "")
        }
        let index = try makeIndex(texts, analyzer: .standard)
        let tree = try #require(try index.searcher.scorerTree(QueryParser(analyzer: .standard).parse(query), segment: 0))
        let scorers = ((tree as? SumScorer)?.scorers ?? [tree]).flatMap { ($0 as? BestOfScorer)?.scorers ?? [$0] }
            .filter { $0 is SpellingsScorer || $0 is PhraseScorer }
        #expect(!scorers.isEmpty, "\(query): \(scorers)")
        for scorer in scorers {
            var passage = scorer.advance(to: 0)
            var windows = 0, checked = 0
            while passage != Int.max {
                let end = scorer.shallowAdvance(to: passage)
                let bound = scorer.blockMax()
                windows += 1
                while passage <= end && passage != Int.max {
                    #expect(scorer.score() <= bound * (1 + 1e-9), "\(query), passage \(passage): \(scorer.score()) over \(bound)")
                    checked += 1
                    passage = scorer.next()
                }
            }
            #expect(windows > 5 && checked > 300, "\(query): \(windows) windows, \(checked) passages")
        }
    }

    @Test func onlyGroupsOfOptionalMembersAreFlattened() {
        let a = Query.Node.clause(.term("a")), b = Query.Node.clause(.term("b")), c = Query.Node.clause(.term("c"))
        let nested = Query.Node.group(Query.Group(should: [a, .group(Query.Group(should: [b]))]))
        #expect(ScorerBuilder.flattened([nested, c]) == [a, b, c])
        let required = Query.Node.group(Query.Group(should: [b], must: [c]))
        let excluding = Query.Node.group(Query.Group(should: [a], mustNot: [b]))
        let filtered = Query.Node.group(Query.Group(should: [a], must: [.filter(.keyword(field: "site", value: "x"))]))
        #expect(ScorerBuilder.flattened([required, excluding, filtered, a]) == [required, excluding, filtered, a])
    }
}
