import Testing
@testable import FahrasAnalysis

/// The terms the word chain makes of `text`, variants included, in order (the name stage
/// on top of it is tested in NameTests).
func terms(_ text: String) -> [String] {
    Analyzer.wordChain.analyze(text).map(\.term)
}

/// The terms at word positions, variants left out (what a query phrase is made of).
func words(_ text: String) -> [String] {
    Analyzer.wordChain.analyze(text).filter { !$0.isVariant }.map(\.term)
}

@Suite("Analyze: the standard chain on news text")
struct AnalyzerTests {
    /// One rule a row: input, the terms it must produce (variants included).
    @Test(arguments: [
        // Unicode: NFKC, case, diacritics
        ("Ḥimṣ", ["hims"]),
        ("Ḩimş", ["hims"]),
        ("HIMS", ["hims"]),
        ("Deïr", ["deir"]),
        ("ＵＳ", ["us"]),                        // full-width forms (NFKC)
        ("ﬁghters", ["fighters"]),               // ligature (NFKC)
        ("Istanbul İstanbul ıstanbul", ["istanbul", "istanbul", "istanbul"]),
        ("Łódź Øresund Straße", ["lodz", "oresund", "strasse"]),
        // apostrophes, ayn and hamza marks
        ("Syria’s", ["syria"]),
        ("Syria's", ["syria"]),
        ("Kata'ib Kata’ib Kataib", ["kataib", "kataib", "kataib"]),
        ("Dar‘ā Darʿa Dar`a Darʾa", ["dara", "dara", "dara", "dara"]),
        ("ʿAmuda `Amuda", ["amuda", "amuda"]),
        ("forces’ advance", ["forces", "advance"]),
        ("‘quoted’", ["quoted"]),
        // spaces
        ("Deir\u{00A0}Ezzor", ["deir", "ezzor"]),
        ("Deir\u{202F}Ezzor", ["deir", "ezzor"]),
        // hyphens: parts plus the joined form
        ("al-Tanf", ["al", "tanf", "altanf"]),
        ("US-backed", ["us", "backed", "usbacked"]),
        ("SAA-led", ["saa", "led", "saaled"]),
        ("Damascus‐Baghdad", ["damascus", "baghdad", "damascusbaghdad"]),
        ("end- and -start", ["end", "and", "start"]),  // a hyphen at a word's edge joins nothing
        // letters and digits
        ("T-4", ["t", "4", "t4"]),
        ("T4", ["t4"]),                    // written together: one word, as identifiers are
        ("IVTV16 x86_64", ["ivtv16", "x86", "64"]),
        ("5th 1st 22nd 3rd 1990s", ["5th", "1st", "22nd", "3rd", "1990s"]),
        ("313", ["313"]),
        ("between1000", ["between1000"]),
        // numbers
        ("147,805", ["147805"]),
        ("50,000 troops", ["50000", "troops"]),
        ("3.5 percent", ["3.5", "percent"]),
        ("١٤٤٠", ["1440"]),                      // Arabic-Indic digits
        ("red, blue", ["red", "blue"]),           // a comma between words separates
        // acronyms with dots
        ("U.S. forces", ["us", "forces"]),
        ("the U.N.", ["the", "un"]),
        ("end.Next", ["end", "next"]),
        // Arabic script keeps its letters, loses tashkeel and tatweel
        ("دِيرُ الزُّور", ["دير", "الزور"]),
        ("حـمـص", ["حمص"]),
        // invisible characters inside a word
        ("Deir\u{200B}ez\u{00AD}Zor", ["deirezzor"]),
    ] as [(String, [String])])
    func rule(_ input: String, _ expected: [String]) {
        #expect(terms(input) == expected)
    }

    @Test func positionsCountWordsAndVariantsShareTheFirstPosition() {
        let tokens = Analyzer.wordChain.analyze("near al-Tanf camp")
        #expect(tokens.map(\.description) == [
            "near@0[0..<4]", "al@1[5..<12]", "tanf@2[5..<12]", "altanf@1*[5..<12]", "camp@3[13..<17]",
        ])
    }

    @Test func offsetsPointAtTheSourceBytes() {
        let text = "In Ḩimş and Dar‘ā, U.S. troops"
        let bytes = Array(text.utf8)
        let spans = Analyzer.wordChain.analyze(text).map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
        #expect(spans == ["In", "Ḩimş", "and", "Dar‘ā", "U.S", "troops"])
    }

    @Test func overlongTokensAreDropped() {
        let blob = String(repeating: "A", count: 500)
        #expect(terms("before \(blob) after") == ["before", "after"])
        let tokens = Analyzer.wordChain.analyze("before \(blob) after")
        #expect(tokens.map(\.position) == [0, 2])  // the dropped word keeps its position empty
    }

    /// A filter says it is a term filter exactly when it is one (the analyzer groups term
    /// filters into one pass by this, not by a cast), and a filter without settings is named
    /// by its type, as `String(describing:)` names it (the analyzer signature stored in every
    /// index depends on it).
    @Test func filtersSayWhatTheyAreAndAreNamedByTheirType() {
        for filter in Analyzer.standard.filters {
            #expect((filter.asTermFilter != nil) == (filter is any TermFilter), "\(type(of: filter))")
        }
        #expect(Analyzer.standard.filters.contains { $0.asTermFilter != nil } && Analyzer.standard.filters.contains { $0.asTermFilter == nil })
        #expect(ApostropheFilter().signature == String(describing: ApostropheFilter.self))
        #expect(AcronymFilter().signature == "AcronymFilter")
    }

    /// The chain runs its term filters token by token in one pass; that must give what
    /// running each filter over the whole list gives, drops and empty terms included.
    @Test func oneTermPassEqualsFilterByFilter() {
        let text = "Syria’s U.S.-backed forces took 147,805 ٣١٣ Ḥimṣ ＵＳ al-Tanf T-4 x86 Kata'ib "
            + String(repeating: "z", count: 300) + " ' - ‘Dar‘ā’ U.N. 3.5 ﻻ co-op-erative دِيرُ الزور"
        let chain = Analyzer.wordChain
        var expected = chain.tokenizer.tokenize(text)
        for filter in chain.filters { expected = filter.filter(expected) }
        expected.removeAll { $0.term.isEmpty }
        #expect(chain.words(text) == expected)
        #expect(expected.count > 20)
    }

    /// Plain terms (lower-case ASCII letters and digits) pass the term filters by only while
    /// every filter keeps them: a table that gives a letter or a digit a role, or a length
    /// limit, still applies to them.
    @Test func plainTermsPassByOnlyWhereEveryFilterKeepsThem() throws {
        let table = try CharacterTable(tsv: "U+0071\tapostrophe\tq\tLATIN SMALL LETTER Q\nU+0037\tdigit-group\t7\tDIGIT SEVEN\nU+002D\thyphen\t-\tHYPHEN-MINUS\n")
        #expect(ApostropheFilter(characters: table).plainTermLimit == 0)
        #expect(NumberFilter(characters: table).plainTermLimit == 0)
        #expect(ApostropheFilter().plainTermLimit == .max && NumberFilter().plainTermLimit == .max)
        let chain = Analyzer(tokenizer: Tokenizer(), filters: [
            LengthFilter(maximumBytes: 4), UnicodeFoldingFilter(characters: table), ApostropheFilter(characters: table),
            NumberFilter(characters: table), WordDelimiterFilter(characters: table)])
        let text = "iraq abcde abcd 1777 plain Q x-y"
        var expected = chain.tokenizer.tokenize(text)
        for filter in chain.filters { expected = filter.filter(expected) }
        expected.removeAll { $0.term.isEmpty }
        #expect(chain.words(text) == expected)
        #expect(chain.words(text).map(\.term) == ["ira", "abcd", "1", "x", "y", "xy"])
        // With the standard tables, only the length limit stops a plain term.
        let standard = Analyzer(tokenizer: Tokenizer(), filters: [LengthFilter(maximumBytes: 4)] + Analyzer.wordChain.filters.dropFirst())
        #expect(standard.words("iraq abcde 1777").map(\.term) == ["iraq", "1777"])
    }

    @Test func queryAndIndexAgreeOnFoldedForms() {
        #expect(words("Ḩimş") == words("Hims"))
        #expect(words("Kata’ib Hezbollah") == words("Kataib hezbollah"))
    }
}

@Suite("Analyze: each stage alone")
struct StageTests {
    @Test func tokenizerKeepsRawText() {
        let raw = Tokenizer().tokenize("Syria’s al-Tanf (T-4), 147,805; U.S.")
        #expect(raw.map(\.term) == ["Syria’s", "al-Tanf", "T-4", "147,805", "U.S"])
        #expect(raw.map(\.position) == [0, 1, 2, 3, 4])
    }

    @Test func unicodeFoldingAlone() {
        let filter = UnicodeFoldingFilter()
        #expect(filter.transform("Ḥamāh") == "hamah")
        #expect(filter.transform("ABC") == "abc")
        #expect(filter.transform("already") == "already")
        #expect(filter.transform("مُحَمَّد") == "محمد")
    }

    @Test func inertScalarsFoldAsTheFullNormalisationDoes() {
        // The shortcut for ASCII with inert scalars gives, scalar for scalar, what the four
        // steps give, for every inert scalar alone and between letters.
        let filter = UnicodeFoldingFilter()
        var inert = 0
        for block in UnicodeFoldingFilter.inertBlocks {
            for value in block {
                guard let scalar = Unicode.Scalar(value), filter.isInert(scalar) else { continue }
                inert += 1
                for term in [String(scalar), "Ab" + String(scalar), String(scalar) + "Cd9", "x" + String(scalar) + "Y"] {
                    let fast = filter.transform(term).map { Array($0.unicodeScalars) }
                    let full = Array(filter.normalized(term).unicodeScalars)
                    #expect(fast == full, "U+\(String(value, radix: 16)) in \(term)")
                }
            }
        }
        #expect(inert > 20_000)
        for quoteOrWord in ["\u{B6}", "\u{2019}", "\u{201C}", "\u{2014}", "\u{3002}", "\u{7684}"] {
            #expect(filter.isInert(quoteOrWord.unicodeScalars.first!))
        }
        // Letters with marks or case, compatibility forms, digits, ignorables are not inert.
        for other in ["\u{E9}", "\u{C9}", "\u{FF21}", "\u{663}", "\u{200B}", "\u{2026}", "\u{AD}", "\u{B2}"] {
            #expect(!filter.isInert(other.unicodeScalars.first!))
        }
    }

    @Test func inertBitsAgreeWithTheProperties() throws {
        // The bits worked out for punctuation, and the CJK shortcut, give isInert's answer
        // for every scalar of the Basic Multilingual Plane above ASCII, with the bundled
        // table and with one that folds a quote and drops an ideograph.
        let tables = [CharacterTable.standard, try CharacterTable(tsv: "U+201C\tfold\t“\tLEFT DOUBLE QUOTATION MARK\t\"\nU+4E00\tignorable\t一\tCJK IDEOGRAPH\n")]
        for table in tables {
            let filter = UnicodeFoldingFilter(characters: table)
            for value in UInt32(0x80)...0xFFFF {
                guard let scalar = Unicode.Scalar(value) else { continue }
                if filter.isInertQuickly(scalar) != filter.isInert(scalar) {
                    Issue.record("U+\(String(value, radix: 16)): the bits and isInert differ")
                }
            }
        }
        #expect(!UnicodeFoldingFilter(characters: tables[1]).isInertQuickly("\u{201C}"))
        #expect(UnicodeFoldingFilter().isInertQuickly("\u{201C}"))
        #expect(!UnicodeFoldingFilter(characters: tables[1]).isInertQuickly("\u{4E00}"))
        #expect(UnicodeFoldingFilter().isInertQuickly("\u{4E00}"))
    }

    @Test func tokenizerLetterBlocksHoldOnlyLetters() {
        // The blocks the tokenizer calls letters without reading their properties: every
        // scalar in them is an other letter, and none has a role in the character table.
        for block in Tokenizer.letterBlocks {
            for value in block {
                let scalar = Unicode.Scalar(value)!
                #expect(scalar.properties.generalCategory == .otherLetter, "U+\(String(value, radix: 16))")
                #expect(CharacterTable.standard.role(of: value) == nil)
            }
        }
    }

    @Test func tokenizerReadsASCIIByItsProperties() {
        // The ASCII path tests ranges of bytes: every byte gets the kind its properties
        // give, as the path for other scalars would judge it, joiners apart.
        let tokenizer = Tokenizer()
        let joiners: [UInt8: Tokenizer.Kind] = [0x27: .apostrophe, 0x60: .apostrophe, 0x2D: .hyphen,
                                                 0x2C: .digitGroup, 0x2E: .decimalPoint]
        for byte in UInt8(0)..<0x80 {
            let properties = Unicode.Scalar(byte).properties
            let expected: Tokenizer.Kind = joiners[byte]
                ?? (properties.generalCategory == .decimalNumber ? .digit : properties.isAlphabetic ? .letter : .separator)
            let (kind, length) = [byte].withUnsafeBufferPointer { tokenizer.classify($0, 0) }
            #expect(kind == expected && length == 1, "byte \(byte)")
        }
    }

    @Test func characterTableRolesOutsideASCIIAreFound() throws {
        let table = try CharacterTable(tsv: "U+2019\tapostrophe\nU+10FFFD\tignorable\n")
        #expect(table.role(of: 0x2019) == .apostrophe)
        #expect(table.role(of: 0x10FFFD) == .ignorable)
        #expect(table.role(of: 0x2018) == nil)
        #expect(table.role(of: 0x10FFFC) == nil)
    }

    @Test func apostropheFilterAlone() {
        let filter = ApostropheFilter()
        #expect(filter.transform("syria’s") == "syria")
        #expect(filter.transform("sa'ad") == "saad")   // 's' inside a name, not a possessive
        #expect(filter.transform("a's") == "as")        // too short for a possessive
        #expect(filter.transform("plain") == "plain")
    }

    @Test func wordDelimiterAlone() {
        let filter = WordDelimiterFilter()
        #expect(filter.split("al-tanf") == ["al", "tanf"])
        #expect(filter.split("f16s") == ["f16s"])
        #expect(filter.split("mp3") == ["mp3"])
        #expect(filter.split("f-16s") == ["f", "16s"])
        #expect(filter.split("word") == ["word"])
    }

    @Test func wordDelimiterSplitsASCIIBytesAsItSplitsScalars() throws {
        let underscore = try CharacterTable(tsv: "U+005F\thyphen\t_\tLOW LINE\n")
        for filter in [WordDelimiterFilter(), WordDelimiterFilter(characters: underscore)] {
            for term in ["al-tanf", "-x-", "a--b", "kmalloc_array", "us-backed-forces", "_", "t-4", "abc"] {
                #expect(filter.split(term) == filter.splitByScalars(term), "\(term)")
            }
        }
        #expect(WordDelimiterFilter(characters: underscore).split("kmalloc_array") == ["kmalloc", "array"])
    }

    @Test func numberAndAcronymFiltersAlone() {
        #expect(NumberFilter().transform("1,000,000") == "1000000")
        #expect(AcronymFilter().transform("u.s") == "us")
        #expect(AcronymFilter().transform("3.5") == "3.5")
    }

    @Test func characterTableRejectsMalformedLines() {
        #expect(throws: AnalysisError.badTable(line: 2, reason: "unknown role 'joiner'")) {
            try CharacterTable(tsv: "# header\nU+0027\tjoiner\t'\tAPOSTROPHE\n")
        }
        #expect(throws: AnalysisError.self) { try CharacterTable(tsv: "0027\tapostrophe\n") }
        #expect(throws: AnalysisError.self) { try CharacterTable(tsv: "U+0131\tfold\tı\tDOTLESS I\n") }
        let table = try? CharacterTable(tsv: "U+002D\thyphen\t-\tHYPHEN-MINUS\n")
        #expect(table?.role(of: 0x2D) == .hyphen)
        #expect(table?.role(of: 0x27) == nil)
    }

    @Test func bundledTableIsComplete() {
        let table = CharacterTable.standard
        for apostrophe: UInt32 in [0x27, 0x60, 0x2BE, 0x2BF, 0x2018, 0x2019] {
            #expect(table.role(of: apostrophe) == .apostrophe)
        }
        #expect(table.foldTarget(of: 0x131) == "i")
    }
}

/// The signature an index records names every input that changes its terms: the data files,
/// and the filter chain (which filters, in which order, with which settings).
@Suite("Analyze: the signature covers the filter chain")
struct AnalyzerSignatureTests {
    @Test func changingTheChainChangesTheSignature() {
        let standard = Analyzer.standard
        #expect(Analyzer.standard(entities: .bundled).signature == standard.signature, "the same chain, the same signature")
        var dropped = standard
        dropped.filters.removeLast()
        var reordered = standard
        reordered.filters.swapAt(2, 3)
        var shorter = standard
        shorter.filters[0] = LengthFilter(maximumBytes: 64)
        for changed in [dropped, reordered, shorter] {
            #expect(changed.signature != standard.signature)
            #expect(changed.configuration["filters"] != standard.configuration["filters"])
            #expect(changed.configuration.filter { $0.key != "filters" } == standard.configuration.filter { $0.key != "filters" })
        }
        var plain = Analyzer.wordChain
        #expect(plain.configuration["filters"] == standard.configuration["filters"])
        plain.filters.removeLast()
        #expect(plain.signature != Analyzer.wordChain.signature, "without names too")
        #expect(Analyzer.describe(configurationPart: "filters").contains("filter chain"))
    }
}
