import Testing
import FahrasAnalysis
import FahrasIndex
@testable import FahrasSearch

@Suite("Search: folded names, actor: and written forms")
struct NameSearchTests {
    @Test func anExactMatchOutranksAFoldedOne() throws {
        // Same shape, same length: only the spelling differs.
        let index = try makeIndex(["Fighting was reported near Dayr al-Zawr today.",
                                   "Fighting was reported near Deir Ezzor today.",
                                   "Fighting was reported near Der Zor today."])
        let hits = try index.searcher.search("\"Deir Ezzor\"", limit: 10).hits
        #expect(hits.map(\.passage).first == 1, "the spelling asked for comes first")
        #expect(Set(hits.map(\.passage)) == [0, 1, 2], "every spelling is found")
        #expect(hits[0].score > hits[1].score)
        // Each query ranks its own spelling first.
        #expect(try index.searcher.search("\"Der Zor\"", limit: 1).hits.first?.passage == 2)
        #expect(try index.searcher.search("\"Dayr al-Zawr\"", limit: 1).hits.first?.passage == 0)
    }

    @Test func foldingAddsRecallWithoutReorderingExactMatches() throws {
        let texts = ["Homs Homs and more Homs shelling", "Homs shelling", "a long passage about shelling in Homs with many other words",
                     "Hims shelling"]
        let plain = try makeIndex(texts, analyzer: .wordChain)
        let folded = try makeIndex(texts)
        let exactOrder = try plain.searcher.search("Homs", limit: 10).hits.map(\.passage)
        let foldedOrder = try folded.searcher.search("Homs", limit: 10).hits.map(\.passage)
        #expect(exactOrder == [0, 1, 2])
        #expect(foldedOrder == exactOrder + [3])
    }

    @Test func aNameFindsTheOtherNamesTheEntityListGivesIt() throws {
        let index = try makeIndex(["Shelling in حلب overnight.", "Shelling in Aleppo overnight.", "Shelling in Halab overnight.",
                                   "News from ليبيا today.", "Talks in US and Washington."])
        #expect(Set(try index.searcher.search("Aleppo", limit: 10).hits.map(\.passage)) == [0, 1, 2])
        #expect(Set(try index.searcher.search("حلب", limit: 10).hits.map(\.passage)) == [0, 1, 2])
        #expect(try index.searcher.search("Aleppo", limit: 10).hits.first?.passage == 1, "the spelling asked for first")
        // Upper-case aliases are not expanded (they match only in upper case).
        #expect(Set(try index.searcher.search("America", limit: 10).hits.map(\.passage)) == [4])
    }

    @Test func arabicProcliticsNeedEvidenceInTheIndex() throws {
        let index = try makeIndex(["قصف على حلب", "قصف في حلب اليوم", "معارك بحلب", "وصلت الفرقة الرابعة", "ورقة بيضاء"])
        #expect(Set(try index.searcher.search("Aleppo", limit: 10).hits.map(\.passage)) == [0, 1, 2])
        #expect(try index.searcher.search("Raqqa", limit: 10).hits.isEmpty, "فرقة and ورقة are ordinary words, not f/w + Raqqa")
    }

    @Test func anArabicPlaceNameKeepsItsArticleStatus() throws {
        // حمص and حلب are never written with the article, الرقة and الموصل always: the other
        // form is another word (chickpeas, milking, Barqa in Libya, "rooted").
        let index = try makeIndex(["قصف على حمص", "وصلت القوات إلى بحمص", "طبق من الحمص", "وصفة كالحمص والفول",
                                   "معارك في الرقة", "عاد إلى والرقة", "عاد إلى بالرقة", "إقليم برقة في ليبيا",
                                   "قصف على حلب", "موسم الحلب", "معارك في الموصل", "رأي مؤصل"])
        #expect(Set(try index.searcher.search("Homs", limit: 20).hits.map(\.passage)) == [0, 1])
        #expect(Set(try index.searcher.search("حمص", limit: 20).hits.map(\.passage)) == [0, 1])
        #expect(Set(try index.searcher.search("Raqqa", limit: 20).hits.map(\.passage)) == [4, 5, 6])
        #expect(Set(try index.searcher.search("الرقة", limit: 20).hits.map(\.passage)) == [4, 5, 6])
        #expect(Set(try index.searcher.search("Aleppo", limit: 20).hits.map(\.passage)) == [8])
        #expect(Set(try index.searcher.search("Mosul", limit: 20).hits.map(\.passage)) == [10])
    }

    @Test func aLatinNameTheListLacksFindsItsArabicWithOrWithoutArticle() throws {
        // Latin spellings drop al-: letter folding ignores the article. The list's form
        // decides for its names (القصير, never قصير "short").
        let index = try makeIndex(["قصف على القصير", "رجل قصير القامة", "قصف على زملكا", "وصلت القوات إلى الزملكا"])
        #expect(Set(try index.searcher.search("Qusayr", limit: 10).hits.map(\.passage)) == [0])
        #expect(Set(try index.searcher.search("Zamalka", limit: 10).hits.map(\.passage)) == [2, 3])
    }

    @Test func anAlefCarryingTanweenIsNoLetterOfTheName() throws {
        // درعاً (a shield, accusative) is درع with the tanween's alef, not Daraa.
        let index = try makeIndex(["قصف على درعا", "حمل درعاً واقياً", "حمل درعًا واقيا", "اشتباكات في ريف درعا اليوم"])
        #expect(Set(try index.searcher.search("Daraa", limit: 10).hits.map(\.passage)) == [0, 3])
        #expect(Set(try index.searcher.search("actor:Daraa", limit: 10).hits.map(\.passage)) == [0, 3])
    }

    @Test func shortArabicWordsSideBySideAreNoGluedName() throws {
        let index = try makeIndex(["قال له أمس إن القصف مستمر", "معارك في دير الزور"])
        #expect(try index.searcher.search("Homs", limit: 10).hits.isEmpty, "له أمس is not glued into one name")
        #expect(Set(try index.searcher.search("Deirezzor", limit: 10).hits.map(\.passage)) == [1], "دير الزور is")
    }

    @Test func exactOperatorAndNoFoldMatchAsWritten() throws {
        let index = try makeIndex(["Shelling in Homs today.", "Shelling in Hims today.", "Shelling in حمص today."])
        #expect(Set(try index.searcher.search("Homs", limit: 10).hits.map(\.passage)) == [0, 1, 2])
        #expect(Set(try index.searcher.search("=Homs", limit: 10).hits.map(\.passage)) == [0])
        #expect(Set(try index.searcher.search("=\"Shelling in Hims\"", limit: 10).hits.map(\.passage)) == [1])
        var plain = index.searcher
        plain.foldNames = false
        #expect(Set(try plain.search("Homs", limit: 10).hits.map(\.passage)) == [0])
        #expect(throws: SearchError.emptyFilter(field: "=", column: 1)) { try index.searcher.search("=\"\"", limit: 10) }
    }

    @Test func unquotedNameWordsAreOneName() throws {
        let index = try makeIndex(["Clashes in Albukamal overnight.", "Abu Bakr spoke on Monday.", "Kamal Ahmed spoke on Monday.",
                                   "Fighting near al-Qusayr today.", "Fighting near al-Hasakah and al-Mayadin and al-Tanf today."])
        let kamal = try index.searcher.search("Abu Kamal", limit: 10).hits.map(\.passage)
        #expect(kamal.first == 0, "the run finds the glued spelling, and ranks it first")
        #expect(!kamal.contains(1), "the particle alone carries no weight")
        let qusayr = try index.searcher.search("Al Qusayr", limit: 10).hits.map(\.passage)
        #expect(qusayr == [3], "the article alone finds no other al- place")
        // Lower-case words of a technical query are not taken for one name.
        let parsed = try QueryParser(analyzer: .standard).parse("kmalloc gfp")
        #expect(parsed.root.should.count == 2)
    }

    /// A word is typed as a name when its first letter past any article is a capital or
    /// Arabic: both sides, in ASCII (read on its bytes) and beyond.
    @Test(arguments: [("Raqqa", true), ("al-Raqqa", true), ("raqqa", false), ("al-raqqa", false), ("kmalloc", false),
                      ("x86_64", false), ("42", false), ("Éva", true), ("éva", false), ("الرقة", true), ("ISIS", true), ("al-", false)])
    func typedAsAName(_ word: String, typed: Bool) {
        #expect(QueryParser(analyzer: .standard).typedAsName(word) == typed, "\(word)")
    }

    @Test func aPassageNamingTheNameRanksAboveOnesThatDoNot() throws {
        let index = try makeIndex(["The airbase and the other airbase were hit.",
                                   "Planes left the Humeimim airbase in western Syria on a long mission over the desert and the coast.",
                                   "The airbase was quiet."])
        // The spelling asked for is not in the index: the folded forms are the name.
        for query in ["Hmeimim airbase", "Humeimim airbase", "airbase Hmeimim", "\"Hmeimim\" airbase"] {
            #expect(try index.searcher.search(query, limit: 10).hits.first?.passage == 1, "\(query)")
        }
        // A name typed in lower case keeps plain BM25 order.
        #expect(try index.searcher.search("humeimim airbase", limit: 10).hits.count == 3)
    }

    @Test func theListsArabicFormsReplaceLetterFoldingForItsNames() throws {
        let index = try makeIndex(["قصف على حماة", "هذا أمر هاما جدا", "قصف على زملكا", "وصلت القوات إلى زملكا"])
        #expect(Set(try index.searcher.search("Hama", limit: 10).hits.map(\.passage)) == [0], "حماة from the list, not هاما by letters")
        #expect(Set(try index.searcher.search("Zamalka", limit: 10).hits.map(\.passage)) == [2, 3], "a name the list lacks folds by letters")
    }

    @Test func europeanExonymsComeFromTheList() throws {
        let index = try makeIndex(["Talks in Cairo today.", "Gespräche in Kairo heute.", "Pourparlers au Caire.", "محادثات في القاهرة", "Talks in Cara."])
        for query in ["Cairo", "Kairo", "\"Le Caire\"", "القاهرة"] {
            #expect(Set(try index.searcher.search(query, limit: 10).hits.map(\.passage)).isSuperset(of: [0, 1, 3]), "\(query)")
            #expect(!(try index.searcher.search(query, limit: 10).hits.map(\.passage)).contains(4), "\(query) is not Cara")
        }
    }

    @Test func compoundsAndShortNames() throws {
        let index = try makeIndex(["قصف على ديرالزور", "قصف على دير الزور", "Shelling in Raqqa.", "Fattah spoke.", "Fatah spoke."])
        #expect(Set(try index.searcher.search("\"Deir ez-Zor\"", limit: 10).hits.map(\.passage)) == [0, 1])
        #expect(Set(try index.searcher.search("Raqa", limit: 10).hits.map(\.passage)) == [2], "AFP's Raqa, an alias in the list")
        #expect(Set(try index.searcher.search("Fatah", limit: 10).hits.map(\.passage)) == [4], "Fatah is not Fattah")
    }

    @Test func arabicNamesWithParticlesFindTheirLatinSpellings() throws {
        let index = try makeIndex(["Ships reached Umm Qasr port.", "Talks opened in Abu Dhabi today.", "Talks in Qasr al-Hosn."])
        #expect(Set(try index.searcher.search("\"ام قصر\"", limit: 10).hits.map(\.passage)) == [0])
        #expect(Set(try index.searcher.search("أبوظبي", limit: 10).hits.map(\.passage)) == [1])
    }

    @Test func highlightsShowTheSpellingInTheText() throws {
        let index = try makeIndex(["Troops entered Dayr al-Zawr on Monday."])
        let hit = try #require(try index.searcher.search("\"Deir ez-Zor\"", limit: 1).hits.first)
        let bytes = Array(hit.text.utf8)
        #expect(hit.highlights.map { String(decoding: bytes[$0], as: UTF8.self) } == ["Dayr al-Zawr"])
    }

    @Test func gluedAndSeparateSpellingsMeet() throws {
        let index = try makeIndex(["Clashes in Albukamal overnight.", "Clashes in al-Bu Kamal overnight.", "Clashes in Abu Dhabi overnight."])
        #expect(Set(try index.searcher.search("\"Abu Kamal\"", limit: 10).hits.map(\.passage)) == [0, 1])
        #expect(Set(try index.searcher.search("Albukamal", limit: 10).hits.map(\.passage)) == [0, 1])
    }

    @Test func arabicQueriesFindLatinSpellings() throws {
        let index = try makeIndex(["Shelling in Deir Ezzor.", "Shelling in Homs.", "Shelling in Hama."])
        #expect(try index.searcher.search("\"دير الزور\"", limit: 10).hits.map(\.passage) == [0])
        #expect(try index.searcher.search("حمص", limit: 10).hits.map(\.passage) == [1])
    }

    @Test func actorFindsEveryAliasAndNothingElse() throws {
        let index = try makeIndex(["ISIS attacked the town.", "Daesh fighters withdrew.", "Remnants of the Islamic State regrouped.",
                                   "Is it a serious threat?", "Islamic Invitation Turkey", "Let us go to the market.",
                                   "US forces moved in.", "ISIL and Deash positions were hit."])
        let searcher = index.searcher
        for name in ["ISIS", "Daesh", "\"Islamic State\"", "isis", "Deash"] {
            #expect(Set(try searcher.search("actor:" + name, limit: 10).hits.map(\.passage)) == [0, 1, 2, 7], "actor:\(name)")
        }
        #expect(try searcher.search("actor:US", limit: 10).hits.map(\.passage) == [6])
        #expect(throws: SearchError.unknownEntity("Nobody")) { try searcher.search("actor:Nobody", limit: 10) }
    }

    @Test func actorQueriesParseQuotedAndBareNames() throws {
        let parser = QueryParser()
        #expect(try parser.parse("actor:\"Abu Kamal\" convoy").clauses.first == .entity("abu-kamal"))
        #expect(try parser.parse("ACTOR:Albuakmal").clauses == [.entity("abu-kamal")])
        #expect(throws: SearchError.unbalancedQuote(column: 7)) { try parser.parse("actor:\"Abu Kamal") }
    }

    @Test func variantsListWrittenFormsWithCounts() throws {
        let index = try makeIndex(["Deir Ezzur, Deir Ezzur and Der Ezzor.", "Dayr al-Zawr today.", "Deir Hafer is elsewhere."])
        let forms = try index.searcher.variants(of: "Deir ez-Zor")
        #expect(forms == [WrittenForm(text: "Deir Ezzur", occurrences: 2, passages: 1),
                          WrittenForm(text: "Dayr al-Zawr", occurrences: 1, passages: 1),
                          WrittenForm(text: "Der Ezzor", occurrences: 1, passages: 1)])
        #expect(throws: SearchError.notAName("homes")) { try index.searcher.variants(of: "homes") }
    }

    // A word typed in lower case is a name only where the index writes it as one.
    @Test func aLowerCaseWordTheIndexWritesInLowerCaseIsNotFolded() throws {
        let index = try makeIndex(["the old talbiseh stood here", "three talbiseh of stone", "talbiseh and barns",
                                   "Talbiseh was rebuilt", "Tallbisa was shelled"])
        // `talbiseh` is capitalised in one passage of the four holding it: a common word here.
        #expect(Set(try index.searcher.search("talbiseh", limit: 10).hits.map(\.passage)) == [0, 1, 2, 3])
        #expect(Set(try index.searcher.search("\"old talbiseh\"", limit: 10).hits.map(\.passage)) == [0])
        // Typed as a name, it folds all the same; and `variants` lists its spellings in any case.
        #expect(Set(try index.searcher.search("Talbiseh", limit: 10).hits.map(\.passage)) == [0, 1, 2, 3, 4])
        #expect(try index.searcher.variants(of: "talbiseh").map(\.text).contains("Tallbisa"))
    }

    @Test func aLowerCaseNameTheIndexCapitalisesIsFolded() throws {
        let index = try makeIndex(["Talbiseh was shelled", "Tallbisa was shelled", "talks on Talbiseh today", "the talbiseh.gov site"])
        // Capitalised in two passages of the three holding it.
        #expect(Set(try index.searcher.search("talbiseh", limit: 10).hits.map(\.passage)) == [0, 1, 2, 3])
        #expect(Set(try index.searcher.search("\"on talbiseh\"", limit: 10).hits.map(\.passage)) == [2])
        // A spelling the index lacks has no evidence against it: it folds.
        #expect(Set(try index.searcher.search("talbisa", limit: 10).hits.map(\.passage)) == [0, 1, 2])
    }

    @Test func aCommonWordKeepsTheAliasesOfTheEntityList() throws {
        let index = try makeIndex(["sarmada soap is sold here", "sarmada pepper", "sarmada pine", "fresh sarmada",
                                   "Sarmada was shelled", "قصف على سرمدا", "Sarmadah was shelled"])
        // `sarmada` is mostly lower case here: the spelling `Sarmadah` goes, the list's Arabic alias stays.
        #expect(Set(try index.searcher.search("sarmada", limit: 10).hits.map(\.passage)) == [0, 1, 2, 3, 4, 5])
        #expect(Set(try index.searcher.search("Sarmada", limit: 10).hits.map(\.passage)) == [0, 1, 2, 3, 4, 5, 6])
    }

    /// The parse asks the index, as `SearchIndex` has it do: a word typed in lower case that
    /// the index does not write as a name gets no folded clause, one that it does gets it, the
    /// entity list's aliases stay, a word typed as a name is not asked about, and every answer
    /// is the one the searcher gives judging the folded clauses itself.
    @Test func theParseAsksTheIndexWhetherALowerCaseWordIsAName() throws {
        let common = try makeIndex(["the old talbiseh stood here", "three talbiseh of stone", "talbiseh and barns",
                                    "Talbiseh was rebuilt", "Tallbisa was shelled"])
        let named = try makeIndex(["Talbiseh was shelled", "Tallbisa was shelled", "talks on Talbiseh today", "the talbiseh.gov site"])
        let aliased = try makeIndex(["sarmada soap is sold here", "sarmada pepper", "sarmada pine", "fresh sarmada",
                                     "Sarmada was shelled", "قصف على سرمدا", "Sarmadah was shelled"])
        func parsed(_ text: String, in index: TestIndex) throws -> (Query, TermLookups) {
            let lookups = TermLookups(reader: index.reader)
            var parser = QueryParser(analyzer: index.analyzer)
            parser.ask(lookups)
            return (try parser.parse(text), lookups)
        }
        func folded(_ query: Query) -> [NamePattern] { query.clauses.compactMap { if case .names(let p) = $0 { p } else { nil } } }
        func latin(_ pattern: NamePattern) -> Bool { pattern.alternatives.contains { $0.contains(where: \.isLatin) } }

        #expect(folded(try parsed("talbiseh", in: common).0).isEmpty)
        #expect(folded(try parsed("\"old talbiseh\"", in: common).0).isEmpty)
        #expect(folded(try parsed("talbiseh", in: named).0).contains(where: latin))
        #expect(folded(try parsed("talbisa", in: named).0).contains(where: latin), "absent from the index: it folds")
        let aliases = folded(try parsed("sarmada", in: aliased).0)
        #expect(aliases.count == 1 && !aliases.contains(where: latin))

        var refusing = QueryParser(analyzer: common.analyzer)
        refusing.writesAsName = { _ throws(SearchError) in throw .emptyQuery }
        #expect(folded(try refusing.parse("Talbiseh")).contains(where: latin), "typed as a name: not asked")
        #expect(folded(try refusing.parse("stone")).isEmpty, "a common word has no Latin name to ask about")
        #expect(throws: SearchError.emptyQuery) { try refusing.parse("talbiseh") }

        for (index, queries) in [(common, ["talbiseh", "\"old talbiseh\"", "Talbiseh", "talbiseh stone", "tallbisa"]),
                                 (named, ["talbiseh", "\"on talbiseh\"", "talbisa", "talks"]),
                                 (aliased, ["sarmada", "Sarmada", "sarmada pepper", "sarmadah"])] {
            for text in queries {
                let (query, lookups) = try parsed(text, in: index)
                let asked = try index.searcher.search(query, limit: 10, lookups: lookups).hits.map { "\($0.passage) \($0.score)" }
                let judged = try index.searcher.search(text, limit: 10).hits.map { "\($0.passage) \($0.score)" }
                #expect(asked == judged, "\(text)")
            }
        }
    }
}
