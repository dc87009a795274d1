import Testing
@testable import FahrasExtract

@Suite("Extract: site chrome is not article text")
struct BoilerplateTests {
    let filter = BoilerplateFilter.standard

    /// Chrome lines seen in the seed corpus, and kinds of chrome the rules must catch.
    @Test(arguments: [
        "Scroll Up",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Back to top button",
        "Facebook Twitter Youtube",
        "Top World stories",
        "Top Stories",
        "Latest developmentsMiddle EastOthersRecovery servicesWorld News",
        "15 February 2019 - Friday - 10 Jumada al-Thani 1440 | 14/02/2019 (26) 13/02/2019 (20) 12/02/2019 (1) 11/02/2019 (1) 10/02/2019 (2) Total: 147,805 content Facebook Twitter Youtube",
        "Video also available on BitChute:",
        "30 June 2017 14:33",
        "Islamic Invitation Turkey",
        // not in the seeds: the same classes elsewhere
        "Share this article on WhatsApp",
        "HomeNewsPoliticsEconomySports Live",
        "12:45 | 13.02.2019 | 1,204 views | 35 comments | print | © 2019",
        // A hashtag spares only itself: the menu seams before it still count.
        "HomeNewsPoliticsEconomy #SportsLive",
    ])
    func chrome(_ line: String) {
        #expect(filter.isChrome(RawBlock(lines: [line])))
    }

    @Test(arguments: [
        "A number of sources affiliated to terrorists wrote on their Facebook pages that military movements have intensified at Syria’s border with Jordan.",
        "US Ground Troops Launch Joint Assault with Terrorists in Syria",
        "ISIS in trouble as Syrian Army reaches southern Deir Ezzor countryside",
        "The operation was also supported by the US fighter jets.",
        "Some 50,000 pro-government troops are stationed across the entire eastern Homs battlefield.",
        "Leave a reply was all the ministry said when asked about the convoy that crossed the border at dawn on Tuesday and the losses.",
        // A tweet's sentence ends in a hashtag, glued by convention, not a menu's seams.
        "Senate Leader, Ahmad Lawan raises a motion and moves that all legislative activities be suspended.#TodayInSenatePlenary",
        "Officials thanked residents for their patience during the repairs @GovernorOfficeNews #StayHomeStaySafe",
    ])
    func articleText(_ line: String) {
        #expect(!filter.isChrome(RawBlock(lines: [line])))
    }

    @Test func linkListsAreChrome() {
        let menu = RawBlock(lines: ["Syria Iraq Lebanon Yemen Palestine Iran Turkey Russia and the world today."], linkScalars: 60)
        #expect(filter.isChrome(menu))
        let sentence = RawBlock(lines: ["The ministry published the full statement on its website on Tuesday evening."], linkScalars: 7)
        #expect(!filter.isChrome(sentence))
    }

    @Test func chromeLinesAreRemovedFromMultiLineBlocks() {
        let blocks = [RawBlock(lines: ["Top World stories", "Top Stories"]),
                      RawBlock(lines: ["The army advanced on Monday, the agency said.", "Leave a Reply"])]
        let (kept, dropped) = filter.articleBlocks(blocks)
        #expect(kept == ["The army advanced on Monday, the agency said."])
        #expect(dropped == 1)
    }

    @Test func phraseListIsReadFromText() {
        let custom = BoilerplateFilter(phraseList: "# comment\n\nSupport our journalism # trailing comment\n")
        #expect(custom.phrases == [["support", "our", "journalism"]])
        #expect(custom.isChrome(RawBlock(lines: ["Support our journalism today with a monthly donation, please."])))
    }

    /// The byte paths for ASCII text give the answers of the character paths: the same
    /// texts with one non-ASCII character appended (which takes the character path) agree.
    @Test(arguments: [
        "Leave a Reply", "leave A REPLY now", "  Share this article on WhatsApp", "Top-Stories",
        "The army advanced on Monday.", "McCain and YouTube", "developmentsMiddle EastOthers",
        "(26) 14/02/2019", "al-Thani Total:", "x", "", "day.#TodayInSenatePlenary @NGRSenate lowerCase#TagHere",
        "  two  spaces ", "Ḥimṣ and Dayr al-Zawr’s edge", "دير الزور wordsGlued HereToo", "Žižkov Öffnungszeiten",
    ])
    func asciiPathsAgreeWithCharacterPaths(_ text: String) {
        let marked = text + " \u{2022}"  // a bullet: no letter, no digit, not a word
        #expect(BoilerplateFilter.words(of: Substring(text)) == BoilerplateFilter.words(of: Substring(marked)))
        #expect(filter.startsWithPhrase(text) == filter.startsWithPhrase(marked))
        #expect(BoilerplateFilter.leastWordCount(of: text) <= BoilerplateFilter.words(of: Substring(text)).count)
        #expect(BoilerplateFilter.leastWordCount(of: marked) <= BoilerplateFilter.words(of: Substring(marked)).count)
        let tokens = text.split(separator: " ")
        let counts = BoilerplateFilter.tokenCounts(text)
        #expect(counts?.tokens == tokens.count)
        #expect(counts?.words == tokens.filter { BoilerplateFilter.isWord($0) }.count)
        #expect(counts?.gluedEdges == tokens.reduce(0) { $0 + BoilerplateFilter.gluedEdges($1) })
        let markedTokens = marked.split(separator: " ")
        #expect(BoilerplateFilter.tokenCounts(marked)?.tokens == markedTokens.count)
        #expect(BoilerplateFilter.tokenCounts(marked)?.words == markedTokens.filter { BoilerplateFilter.isWord($0) }.count)
        // A space that carries a combining mark is not a separator: counted by characters.
        #expect(BoilerplateFilter.tokenCounts(text + " \u{301}x") == nil)
        for token in tokens {
            let general = Substring(String(token) + "\u{2022}")
            #expect(BoilerplateFilter.gluedEdges(token) == BoilerplateFilter.gluedEdges(general))
            var letters = 0, others = 0
            for c in token { if c.isLetter { letters += 1 } else { others += 1 } }
            #expect(BoilerplateFilter.isWord(token) == (letters >= 2 && letters > others))
            // The bullet is one more non-letter character.
            #expect(BoilerplateFilter.isWord(general) == (letters >= 2 && letters > others + 1))
        }
    }

    /// Tokens of ASCII and single-scalar characters are judged by scalar as by character,
    /// for every such scalar; other tokens are left to the character path.
    @Test func singleScalarCharactersFollowTheCharacterRules() {
        func rules(_ token: String) -> (isWord: Bool, edges: Int)? {
            var token = token
            return token.withUTF8 { SingleScalarCharacters.rules(of: $0) }
        }
        for block in SingleScalarCharacters.blocks {
            for value in block {
                guard let scalar = Unicode.Scalar(value) else { continue }
                for token in [String(scalar), "ab" + String(scalar) + "Cd", "xyz" + String(scalar) + "Q", String(scalar) + String(scalar) + "w"] {
                    let expected = BoilerplateFilter.characterRules(of: Substring(token))
                    let fast = rules(token)
                    #expect(fast?.isWord == expected.isWord && fast?.edges == expected.edges, "U+\(String(value, radix: 16))")
                }
            }
        }
        #expect(rules("caf\u{E9}\u{301}") == nil)  // a combining mark joins the letter before it
        #expect(rules("\u{1F600}smile") == nil)
        #expect(rules("Ḥimṣ") == nil)
        #expect(rules("“Quoted”")! == (true, 0))
        #expect(rules("developmentsMiddle¶")! == (true, 1))
    }

    /// Texts of ASCII and single-scalar characters split into the words the character
    /// split gives, for every such scalar (`İ` lower-cases to two scalars, one character);
    /// other texts are left to the character split.
    @Test func byteWordsAgreeWithTheCharacterSplit() {
        func byCharacters(_ text: String) -> [Substring] {
            BoilerplateFilter.foldingArabic(text.lowercased()).split { !$0.isLetter && !$0.isNumber && $0 != "©" }
        }
        for block in SingleScalarCharacters.blocks {
            for value in block {
                guard let scalar = Unicode.Scalar(value) else { continue }
                for text in [String(scalar), "Ab" + String(scalar) + "Cd ef", "x " + String(scalar) + String(scalar) + " 12", String(scalar) + "Word¶"] {
                    #expect(BoilerplateFilter.byteWords(of: Substring(text)) == byCharacters(text), "U+\(String(value, radix: 16))")
                }
            }
        }
        #expect(BoilerplateFilter.byteWords(of: "Overview¶") == ["overview"])
        #expect(BoilerplateFilter.byteWords(of: "Don’t miss: ÉTÉ") == ["don", "t", "miss", "été"])
        #expect(BoilerplateFilter.byteWords(of: "cafe\u{301} society") == nil)  // a mark joins the letter before it
        #expect(BoilerplateFilter.byteWords(of: "اقرأ أيضا") == nil)
        // A limit gives the first words, by either path.
        for text in ["Leave a Reply to this ¶", "Don’t miss: ÉTÉ 2024", "اقرأ أيضا: المزيد من الأخبار", "one", ""] {
            for limit in 0...6 {
                #expect(BoilerplateFilter.words(of: Substring(text), limit: limit) == Array(byCharacters(text).prefix(limit)))
            }
        }
    }

    /// The first word read from the bytes is the first word of the character split, or
    /// says rightly that it holds a character outside ASCII, or leaves the answer open.
    @Test(arguments: [
        "Leave a Reply", "¶ Share this", "“Quoted” words here", "关于 Linux 内核", "Linux内核 docs", "© 2024 agency",
        "—Top stories", "cafe\u{301} society", "\u{301}mark first", "Ünder the hood", "¶¶ 12 points", "", "  ", "Ｆｕｌｌ width",
        "x\u{FF10}y", "\u{600}1 prepend", "Крым news", "Der Zor’s edge",
    ])
    func firstWordFromBytesAgreesWithTheSplit(_ text: String) {
        let first = BoilerplateFilter.words(of: Substring(text)).first
        switch BoilerplateFilter.firstWord(of: text) {
        case .ascii(let word): #expect(first == word)
        case .notASCII: #expect(first.map { !$0.utf8.allSatisfy { $0 < 0x80 } } ?? false)
        case .unknown: break
        }
    }

    /// The sentence end read from the last bytes is the one read by characters, including
    /// where a mark or a prepended sign makes one character of several scalars.
    @Test(arguments: [
        "The army entered.", "Was it?", "He said \"go!\"", "(see above.)", "[1]", "It ends here", "", ".", "\"\"", "'.'",
        "quoted “so.”", "Dayr al-Zawr…", "结束。", "هل؟", "dot and mark .\u{301}", "prepend \u{600}.", "x\u{600}.)",
        "ends in é.", "ends in \u{301}", "line\r\n", "a ).", "Kata'ib)",
    ])
    func sentenceEndFromBytesAgreesWithCharacters(_ text: String) {
        #expect(BoilerplateFilter.endsSentence(text) == BoilerplateFilter.endsSentenceByCharacters(text))
    }

    @Test func firstWordFromBytesDecidesCommonCases() {
        #expect(BoilerplateFilter.firstWord(of: "¶ Share this") == .ascii("share"))
        #expect(BoilerplateFilter.firstWord(of: "关于 Linux") == .notASCII)
        #expect(BoilerplateFilter.firstWord(of: "cafe\u{301}") == .unknown)
        #expect(!filter.startsWithPhrase("关于 Linux 内核的文档"))
        #expect(filter.startsWithPhrase("¶ Leave a Reply"))
    }

    @Test func longTextsMatchNoPhraseEarly() {
        let long = "Leave a reply to this article on the page of the agency where the statement was posted by staff"
        #expect(BoilerplateFilter.leastWordCount(of: long) == 19)
        #expect(!filter.startsWithPhrase(long))
        #expect(filter.startsWithPhrase("Leave a Reply"))
    }

    @Test func phrasesSetAfterInitAreMatched() {
        var custom = BoilerplateFilter(phraseList: "")
        custom.phrases = [["read", "more"]]
        #expect(custom.startsWithPhrase("Read more"))
        #expect(!custom.startsWithPhrase("关于 我们"))
        // A phrase that opens with a word outside ASCII is looked for in such texts too.
        custom.phrases = [["read", "more"], ["关于", "我们"]]
        #expect(custom.startsWithPhrase("关于 我们"))
        #expect(BoilerplateFilter(phraseList: "关于 我们\n").startsWithPhrase("关于 我们"))
    }
}
