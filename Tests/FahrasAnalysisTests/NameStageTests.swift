import Testing
@testable import FahrasAnalysis

/// The name and entity tokens the standard analyzer adds to `text`.
func nameTokens(_ text: String, analyzer: Analyzer = .standard) -> [Token] {
    analyzer.analyze(text).filter { $0.kind != .word }
}

/// The entity ids tagged in `text`.
func entities(_ text: String, analyzer: Analyzer = .standard) -> [String] {
    nameTokens(text, analyzer: analyzer).filter { $0.kind == .entity }.map { String($0.term.dropFirst()) }
}

@Suite("Analyze: which words are names")
struct NameStageTests {
    /// A search folds each spelling the dictionary files under a key through the stage's
    /// cache: the same answers as folding it afresh, the second time too.
    @Test func cachedSpellingsAreTheSpellingsFoldedAfresh() throws {
        let stage = try #require(Analyzer.standard.names)
        for canonical in ["dayrzor", "albukamal", "hmymym", "raqqa", "x", ""] {
            for _ in 0..<2 {
                #expect(stage.spelling(canonical: canonical) == NameSpelling(canonical: canonical, rules: stage.rules))
                #expect(stage.alternateSpellings(of: canonical) == stage.rules.alternateSpellings(of: canonical))
            }
        }
    }

    /// What a query word is, whatever order the lists are asked in: a word of two letters
    /// or more on no list is a name, a particle always is, a common word or a lone letter is
    /// not, and an acronym typed in capitals is not (nor folded).
    @Test func queryWordsAreNamesByTheLists() throws {
        let stage = try #require(Analyzer.standard.names)
        func latin(_ text: String) -> [String] {
            stage.queryWords(for: Analyzer.standard.words(text), text: text).latinWords.map(\.term)
        }
        #expect(latin("kmalloc") == ["kmalloc"], "on no list")
        #expect(latin("Homs") == ["homs"])
        #expect(latin("bin") == ["bin"] && latin("ibn") == ["ibn"], "particles, common word or not")
        #expect(CommonWords.standard.contains("bin") && !CommonWords.standard.contains("ibn"))
        #expect(latin("army").isEmpty && latin("Army").isEmpty, "common words")
        #expect(latin("x").isEmpty, "one letter")
        #expect(latin("SAA").isEmpty && latin("US").isEmpty, "acronyms typed in capitals")
        #expect(latin("saa") == ["saa"], "the same letters in lower case")
        #expect(latin("homs army kmalloc") == ["homs", "kmalloc"])
    }

    /// Whether a query word is typed capitalised: a byte test for ASCII, the first
    /// character's case otherwise, with the same answers as the character's.
    @Test func aWordIsCapitalisedAsItsFirstCharacter() throws {
        let stage = try #require(Analyzer.standard.names)
        for word in ["Homs", "homs", "H", "h", "", "1st", "É", "Émile", "émile", "E\u{301}mile", "e\u{301}", "ǅemal",
                     "ßa", "Ωmega", "ωmega", "حمص", "A\u{308}", "Z", "[x", "@a"] {
            #expect(NameStage.firstCharacterIsUppercase(word) == (word.first?.isUppercase ?? false), "\(word)")
        }
        let words = stage.queryWords(for: Analyzer.standard.words("Homs émile Émile idlib"), text: "Homs émile Émile idlib")
        #expect(words.latinWords.map(\.capitalised) == [true, false, true, false])
    }

    @Test func capitalisedUncommonWordsAreNames() {
        #expect(nameTokens("Shelling hit Homs again.").contains { $0.term.hasPrefix("~") && $0.term.hasSuffix("|homs") })
        #expect(nameTokens("The army hit homes again.").isEmpty, "lower case is not a name")
        #expect(nameTokens("Homes were hit.").filter { $0.kind == .name }.isEmpty, "a common word starting a sentence")
        #expect(nameTokens("Is it a serious threat?").isEmpty)
        #expect(nameTokens("Let us go.").isEmpty)
    }

    @Test func acronymsAreNeverFoldedButTagged() {
        let tokens = nameTokens("US troops and SAA units")
        #expect(!tokens.contains { $0.kind == .name }, "upper-case acronyms get no fold keys")
        #expect(entities("US troops and SAA units").contains("us-forces"))
        #expect(entities("US troops and SAA units").contains("syrian-army"))
    }

    @Test func theCommonWordListIsReadLineByLine() {
        let list = CommonWords(text: "# a comment\nthe\n  and \r\nof\tnote # remark\nthe\n\n# x\nzebra")
        #expect(list.rank(of: "the") == 0 && list.rank(of: "and") == 1 && list.rank(of: "of") == 2)
        #expect(list.rank(of: "zebra") == 3, "a repeated word keeps its first rank")
        #expect(!list.contains("") && !list.contains("#") && !list.contains("note") && !list.contains("x"))
        #expect(CommonWords.standard.rank(of: "the") == 0 && CommonWords.standard.contains("army"))
    }

    @Test func particlesAndLessCommonWordsBesideANameAreNames() {
        let terms = nameTokens("Osama bin Laden").map(\.term)
        #expect(terms.contains { $0.hasSuffix("|bin") }, "bin beside a name")
        #expect(terms.contains { $0.hasSuffix("|ladan") || $0.hasSuffix("|laden") }, "Laden is a common word, but beside a name")
        #expect(!nameTokens("put it in the bin").contains { $0.kind == .name }, "a particle alone is not a name")
    }

    @Test func anArticleLendsItsPositionToTheName() {
        // Dayr az-Zawr and Der Zor are the same two-word phrase of names.
        let tokens = nameTokens("Dayr az-Zawr")
        let zor = tokens.filter { $0.term.hasPrefix("~") && $0.term.hasSuffix("|zor") }.map(\.position).sorted()
        #expect(zor == [1, 2])
        let plain = nameTokens("Der Zor").filter { $0.term.hasSuffix("|zor") && $0.term.hasPrefix("~") }.map(\.position)
        #expect(plain == [1])
    }

    @Test func adjacentNamesAreAlsoGlued() {
        #expect(nameTokens("al-Bu Kamal").contains { $0.term.hasSuffix("|bukamal") })
        #expect(nameTokens("Albukamal").contains { $0.term.hasSuffix("|bukamal") })
    }

    @Test func arabicWordsAreFiledBySkeleton() {
        let terms = nameTokens("دير الزور").map(\.term)
        #expect(terms.contains("%Dr|دير"))
        #expect(terms.contains("%Dr|+زور"), "the article is remembered")
        #expect(terms.contains("%DrDr|دير_زور"), "the glued pair is spelled without it")
        #expect(entities("دير الزور") == ["deir-ez-zor"])
    }

    @Test func nameTokensAreVariantsAndKeepOffsets() {
        let text = "near Deir Ezzur today"
        for token in nameTokens(text) {
            #expect(token.isVariant)
            let bytes = Array(text.utf8)
            let written = String(decoding: bytes[token.start..<token.end], as: UTF8.self)
            #expect(["Deir", "Ezzur", "Deir Ezzur"].contains(written))
        }
    }
}

@Suite("Analyze: the gazetteer")
struct GazetteerTests {
    @Test func multiWordAliasesAreOneTokenOverTheirSpan() throws {
        let text = "fighters of the Islamic State retreated"
        let token = try #require(nameTokens(text).first { $0.term == "@islamic-state" })
        let bytes = Array(text.utf8)
        #expect(String(decoding: bytes[token.start..<token.end], as: UTF8.self) == "Islamic State")
        let words = Analyzer.standard.words(text)
        #expect(token.position == words.first { $0.term == "islamic" }?.position)
    }

    @Test func aliasesMatchAnySpellingThatFolds() {
        #expect(entities("clashes in Dayr az-Zawr").contains("deir-ez-zor"))
        #expect(entities("the road to Der Zor").contains("deir-ez-zor"))
        #expect(entities("fighters of Liwa Al-Quds").contains("liwa-al-quds"))
    }

    @Test func acronymsMatchCaseSensitively() {
        #expect(entities("US forces advanced") == ["us-forces", "united-states"])
        #expect(entities("let us forces") .isEmpty)
        #expect(entities("Is it a serious threat?").isEmpty)
        #expect(entities("IS fighters").contains("islamic-state"))
        #expect(entities("the U.S. said").contains("united-states"))
    }

    @Test func nearAliasesDoNotMatch() {
        #expect(!entities("Islamic Invitation Turkey").contains("islamic-state"))
        #expect(!entities("Islamic scholars met").contains("islamic-state"))
    }

    @Test func parentsAreTaggedToo() {
        #expect(entities("Republican Guards moved") == ["republican-guard", "syrian-army"])
    }

    @Test func userListAddsEntitiesAndAliases() throws {
        var gazetteer = Gazetteer.bundled
        try gazetteer.add(tsv: "# mine\ntasnim\tactor\t-\tTasnim | Tasnim News Agency\nislamic-state\tactor\t-\tDawla\n", file: "mine.tsv")
        let analyzer = Analyzer.standard(entities: gazetteer)
        #expect(entities("a Tasnim report", analyzer: analyzer) == ["tasnim"])
        #expect(entities("the Dawla fighters", analyzer: analyzer) == ["islamic-state"])
        #expect(entities("the Dawla fighters").isEmpty, "the bundled list alone does not know it")
        #expect(analyzer.signature != Analyzer.standard.signature, "another list is another analyzer")
    }

    @Test func badListsNameFileLineAndReason() {
        var gazetteer = Gazetteer.bundled
        #expect(throws: AnalysisError.badEntityList(file: "mine.tsv", line: 2, reason: "unknown type 'group' (use actor or place)")) {
            try gazetteer.add(tsv: "ok\tactor\t-\tOk\nbad\tgroup\t-\tBad\n", file: "mine.tsv")
        }
        #expect(throws: AnalysisError.badEntityList(file: "mine.tsv", line: 1,
                                                    reason: "expected 4 tab-separated columns (id, type, parent, aliases), found 2")) {
            try gazetteer.add(tsv: "lonely\tactor\n", file: "mine.tsv")
        }
        #expect(throws: AnalysisError.badEntityList(file: "mine.tsv", line: 0,
                                                    reason: "'orphan' names the parent 'nowhere', which no list defines")) {
            try gazetteer.add(tsv: "orphan\tactor\tnowhere\tOrphan\n", file: "mine.tsv")
        }
        #expect(gazetteer.entity("ok") == nil, "a failed list adds nothing")
    }

    /// The byte path for ASCII words answers as the scalar rules do.
    @Test(arguments: ["U.S.", "ISIL's", "SAA", "US", "Us", "A", "A.B", "NATO-led", "YPG's", "UNs", "U.N.s", "x", "", "McCain", "B52"])
    func asciiAcronymLettersAgreeWithScalarRules(_ surface: String) {
        var letters = Array(surface.unicodeScalars)
        if letters.count > 2, letters.last == "s", !letters[letters.count - 2].properties.isAlphabetic {
            letters.removeLast(2)
        }
        letters.removeAll { !$0.properties.isAlphabetic }
        let expected = letters.count >= 2 && letters.allSatisfy({ $0.properties.isUppercase })
            ? String(String.UnicodeScalarView(letters)) : nil
        #expect(NameWord.acronymLetters(of: surface) == expected)
        #expect(NameWord.isAcronym(surface) == (expected != nil))
    }
}
