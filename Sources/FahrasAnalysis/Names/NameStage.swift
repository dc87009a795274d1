import Foundation

/// The last stage of the analyzer: name keys and entity tokens on top of the word tokens.
///
/// For every word that is plausibly a name, it adds tokens that let other spellings of the
/// name find it; for every gazetteer alias, a token naming the entity:
///
/// | token | what it says | example for `Deir Ezzur` |
/// |---|---|---|
/// | `~KEY\|CANONICAL` | a Latin name word, filed under its fold key | `~DVyr\|dayr`, `~DVr\|zur` |
/// | `#SKELETON\|SPELLING` | the same word by consonants only, for Arabic script | `#Dr\|dayr` |
/// | `%SKELETON\|SPELLING` | an Arabic word by consonants only | `%Dr\|زور` (for `دير الزور`) |
/// | `@ID` | an entity of the gazetteer | `@deir-ez-zor`, `@syria` |
///
/// A word is a name when it is capitalised and not a common English word (`Homs`, not
/// `Homes` or `Is`), when it is a capitalised less common word next to a name (`Khan
/// Shaykhun`), a particle next to a name (`bin Laden`), or Arabic script. Upper-case
/// acronyms are never folded. The article before a name is skipped: its position also
/// carries the name's tokens, so `Der Zor` and `Dayr az-Zawr` are the same phrase.
/// Two adjacent name words are also indexed glued (`Abu Kamal` as `bukamal`), so glued
/// and separate spellings meet (`Albukamal`).
///
/// All these tokens are variants: they do not count in passage lengths.
package struct NameStage: Sendable {
    package let rules: TransliterationRules
    package let arabic: ArabicScript
    package let common: CommonWords
    package let gazetteer: Gazetteer
    /// The gazetteer's aliases, analysed the first time a text or query needs them (a
    /// search that names no entity does not pay for it at start-up). Copies of the stage
    /// share it.
    private let builtMatcher = BuiltOnce<EntityMatcher>()
    var matcher: EntityMatcher { builtMatcher.value { EntityMatcher(gazetteer: gazetteer, stage: self) } }

    /// Builds now, for this stage and its copies, what it otherwise builds on first use: an
    /// indexing run does it while its workers extract the first files.
    package func build() { _ = matcher }
    var matcherIsBuilt: Bool { builtMatcher.isBuilt }

    /// Spellings folded so far (a cache: it changes no answer).
    let spellings = SpellingCache()

    /// The spelling of a canonical form, folded once for every search and analysis that
    /// shares this stage (a search folds each spelling the dictionary files under a key).
    package func spelling(canonical: String) -> NameSpelling {
        spellings.spelling(canonical: canonical, rules: rules)
    }

    /// ``TransliterationRules/alternateSpellings(of:)``, made once a canonical form.
    package func alternateSpellings(of canonical: String) -> [String] {
        spellings.alternateSpellings(of: canonical, rules: rules)
    }
    /// Names the stage's data (rules, tables, word list, gazetteer).
    package let signature: UInt64
    /// The longest article, in UTF-8 bytes: a longer word is not looked up in the list.
    private let longestArticle: Int

    /// Capitalised common words at least this far down the frequency list count as names
    /// next to a name (`Khan`, `Laden`); more frequent ones (`The`, `Army`) never do.
    package static let commonRankForNames = 1000

    package init(rules: TransliterationRules = .standard, arabic: ArabicScript = .standard,
                common: CommonWords = .standard, gazetteer: Gazetteer = .bundled) {
        self.rules = rules
        self.arabic = arabic
        self.common = common
        self.gazetteer = gazetteer
        longestArticle = rules.articles.map(\.utf8.count).max() ?? 0
        signature = fingerprint([rules.signature, arabic.signature, common.signature, gazetteer.signature]
            .flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } })
    }

    /// How words are judged: text needs capitals to call a word a name; a query (or an
    /// alias of the gazetteer) does not.
    enum Mode { case text, query }

    /// Appends the name and entity tokens of analysed text to its word tokens, `tokens`
    /// (in place: a list of them to append cost a copy and a release of each).
    package func appendTokens(to tokens: inout [Token], text: String) {
        appendTokens(to: &tokens, words: words(tokens, text: text, mode: .text))
    }

    private func appendTokens(to out: inout [Token], words: [NameWord]) {
        for i in words.indices where words[i].isName {  // (enumerated() copied every word)
            let word = words[i]
            // The name's position, and the article's before it, if one stands there.
            let afterArticle = i > 0 && words[i - 1].isArticle && words[i - 1].position == word.position - 1
            func emit(_ term: String, end: Int) {
                out.append(Token(term: term, start: word.start, end: end, position: word.position, isVariant: true, kind: .name))
                if afterArticle {
                    out.append(Token(term: term, start: word.start, end: end, position: word.position - 1, isVariant: true, kind: .name))
                }
            }
            NameStage.forEachTerm(of: word.role) { emit($0, end: word.end) }
            // Two Arabic words written as one (ديرالزور) are also the glued pair (دير_زور).
            if case .arabic(let written, _) = word.role, let pair = arabic.compound(ArabicScript.bare(written)) {
                let spelling = spellings.spelling(canonical: arabic.latin(pair), rules: rules)
                emit(NameTerms.arabicSkeleton(spelling.skeleton, spelling: pair), end: word.end)
            }
            if let next = nextName(after: i, in: words), let glued = glue(word.role, words[next].role) {
                NameStage.forEachTerm(of: glued) { emit($0, end: words[next].end) }
            }
        }
        for match in matcher.matches(in: words) {
            for entity in match.entities {
                for id in gazetteer.lineage(of: entity) {
                    out.append(Token(term: NameTerms.entity(id), start: words[match.first].start, end: words[match.last].end,
                                     position: words[match.first].position, isVariant: true, kind: .entity))
                }
            }
        }
    }

    /// Calls `body` with the index terms of one name word, in order (without a list of them
    /// per word).
    @inline(__always)
    static func forEachTerm(of role: NameWord.Role, _ body: (String) -> Void) {
        switch role {
        case .latin(let spelling):
            body(NameTerms.name(spelling))
            body(NameTerms.skeleton(spelling.skeleton, spelling: spelling.canonical))
        case .arabic(let word, let spelling):
            body(NameTerms.arabicSkeleton(spelling.skeleton, spelling: word))
        default:
            break
        }
    }

    /// The index of the name right after word `i` (across an article), if any.
    func nextName(after i: Int, in words: [NameWord]) -> Int? {
        var j = i + 1
        if j < words.count, words[j].isArticle { j += 1 }
        guard j < words.count, words[j].isName, words[j].position <= words[i].position + (j - i) else { return nil }
        return j
    }

    /// Two adjacent name words as one glued word of the same script.
    func glue(_ a: NameWord.Role, _ b: NameWord.Role) -> NameWord.Role? {
        switch (a, b) {
        case (.latin(let x), .latin(let y)):
            return .latin(spellings.spelling(canonical: x.canonical + y.canonical, rules: rules))
        case (.arabic(let marked, let first), .arabic(let other, _)):
            // Short function words stand beside each other everywhere (`له أمس`): only a
            // particle (`أبو`, `عبد`) or two words of three letters or more make a glued name.
            // The pair is spelled without articles, as one word written glued (`ديرالزور`).
            let x = ArabicScript.bare(marked), y = ArabicScript.bare(other)
            guard (x.unicodeScalars.count >= 3 && y.unicodeScalars.count >= 3)
                || rules.particles.values.contains(first.canonical) else { return nil }
            let word = x + String(ArabicScript.glueMark) + y
            return .arabic(word: word, spelling: spellings.spelling(canonical: arabic.latin(word), rules: rules))
        default:
            return nil
        }
    }

    // MARK: Words

    /// The words of analysed text, each with its role.
    func words(_ tokens: [Token], text: String, mode: Mode) -> [NameWord] {
        var text = text
        return text.withUTF8 { bytes in words(tokens, bytes: bytes, mode: mode) }
    }

    private func words(_ tokens: [Token], bytes: UnsafeBufferPointer<UInt8>, mode: Mode) -> [NameWord] {
        var words: [NameWord] = []
        words.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            guard !token.isVariant, token.kind == .word else { i += 1; continue }
            let whole = token.start >= 0 && token.end <= bytes.count && token.start <= token.end
                ? NameStage.surface(UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), term: token.term) : token.term
            // Most written words are one token: no group to gather.
            if i + 1 == tokens.count || tokens[i + 1].start != token.start || tokens[i + 1].end != token.end {
                // A word written as indexed, in ASCII (most words of running text): one ASCII
                // test rather than one of the term and one of the way it is written.
                let role = whole == token.term && token.term.isASCII
                    ? asciiRole(of: token.term, surface: whole, mode: mode) : role(of: token.term, surface: whole, mode: mode)
                words.append(NameWord(term: token.term, surface: whole, position: token.position,
                                      start: token.start, end: token.end, role: role))
                i += 1
                continue
            }
            // The parts of one written word (al-Tanf → al, tanf) share its offsets.
            var group = [token]
            var j = i + 1
            while j < tokens.count, tokens[j].start == token.start, tokens[j].end == token.end {
                if !tokens[j].isVariant, tokens[j].kind == .word { group.append(tokens[j]) }
                j += 1
            }
            var pieces = [whole]
            if group.count > 1 {
                let split = whole.split { CharacterTable.standard.role(of: $0.unicodeScalars.first!.value) == .hyphen }.map(String.init)
                pieces = split.count == group.count ? split : Array(repeating: whole, count: group.count)
            }
            for (part, surface) in zip(group, pieces) {
                words.append(NameWord(term: part.term, surface: surface, position: part.position,
                                      start: part.start, end: part.end, role: role(of: part.term, surface: surface, mode: mode)))
            }
            i = j
        }
        resolveNeighbours(&words, mode: mode)
        return words
    }

    /// The text of `bytes`: `term` itself when it has these bytes (a word written as it is
    /// indexed, most words of running text), without decoding them again.
    private static func surface(_ bytes: UnsafeBufferPointer<UInt8>, term: String) -> String {
        var term = term
        let same = term.withUTF8 { own in
            own.count == bytes.count && (own.isEmpty || memcmp(own.baseAddress!, bytes.baseAddress!, own.count) == 0)
        }
        return same ? term : String(decoding: bytes, as: UTF8.self)
    }

    /// A word's role judged alone; `.plain` for the undecided, settled by neighbours.
    private func role(of term: String, surface: String, mode: Mode) -> NameWord.Role {
        if term.isASCII, surface.isASCII {
            return asciiRole(of: term, surface: surface, mode: mode)
        }
        if ArabicScript.isArabic(term) {
            let word = arabic.nameForm(term, surface: surface)
            let latin = arabic.latin(word)
            return latin.isEmpty ? .plain : .arabic(word: word, spelling: spellings.spelling(canonical: latin, rules: rules))
        }
        if rules.isArticle(term) { return .article }
        // In text, a word that is not capitalised is plain whatever follows (most words of
        // running text, Chinese ones included): out before any further work.
        let capitalised = surface.unicodeScalars.first?.properties.isUppercase ?? false
        if mode == .text && !capitalised { return .plain }
        guard term.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }) else { return .plain }
        if rules.isNameWord(term) {
            return mode == .text ? .plain : .latin(spellings.spelling(word: term, rules: rules))
        }
        guard term.unicodeScalars.count >= 2 else { return .plain }
        if capitalised && NameWord.isAcronym(surface) { return .acronym }
        if common.contains(term) { return .plain }
        return .latin(spellings.spelling(word: term, rules: rules))
    }

    /// ``role(of:surface:mode:)`` for ASCII words, with the same answers: bytes stand for
    /// the Unicode properties, and in text mode a word in lower case is plain before any
    /// lookup but the article list (most words of running text end there).
    private func asciiRole(of term: String, surface: String, mode: Mode) -> NameWord.Role {
        if term.utf8.count <= longestArticle && rules.isArticle(term) { return .article }
        let capitalised = surface.utf8.first.map { $0 &- 0x41 < 26 } ?? false
        if mode == .text && !capitalised { return .plain }
        guard term.withUTF8Bytes({ $0.allSatisfy { $0 | 0x20 &- 0x61 < 26 } }) else { return .plain }
        if mode == .query { return queryRole(of: term, surface: surface, capitalised: capitalised) }
        if rules.isNameWord(term) { return .plain }
        guard term.utf8.count >= 2 else { return .plain }
        if capitalised && NameWord.isAcronym(surface) { return .acronym }
        if common.contains(term) { return .plain }
        return .latin(spellings.spelling(word: term, rules: rules))
    }

    /// ``asciiRole(of:surface:mode:)`` in a query, where a particle is a name word: the same
    /// answers, in an order that asks one list, not two, of a word of two letters or more
    /// on neither (most query words), a name either way.
    private func queryRole(of term: String, surface: String, capitalised: Bool) -> NameWord.Role {
        func name() -> NameWord.Role { .latin(spellings.spelling(word: term, rules: rules)) }
        guard term.utf8.count >= 2 else { return rules.isNameWord(term) ? name() : .plain }
        if capitalised && NameWord.isAcronym(surface) { return rules.isNameWord(term) ? name() : .acronym }
        if !common.contains(term) { return name() }
        return rules.isNameWord(term) ? name() : .plain
    }

    /// Settles words that are names only beside a name: particles (`bin`, `Abu`) and
    /// capitalised less common words (`Khan`, `Laden`); then articles, which are articles
    /// only before a name.
    private func resolveNeighbours(_ words: inout [NameWord], mode: Mode) {
        // The words' kinds, read once into a compact list: the loops below test them, not
        // the words (whose roles carry spellings).
        enum Kind: UInt8 { case plain, article, name, other }
        // A word alone has no neighbour: an article alone is a plain word (most query
        // words end here, before the lists below are made).
        if words.count == 1 {
            if words[0].isArticle { words[0].role = .plain }
            return
        }
        // Made by `map`, specialised here: `[Kind](repeating:count:)` asked the runtime for
        // the list's type on every call (a local type's storage is not prespecialised).
        var names = 0
        var kinds = words.map { word -> Kind in
            switch word.role {
            case .plain: return .plain
            case .article: return .article
            case .latin, .arabic: names += 1; return .name
            case .acronym: return .other
            }
        }
        // No name alone: none beside one either, and no article stands before one.
        if names == 0 {
            for i in words.indices where kinds[i] == .article { words[i].role = .plain }
            return
        }
        let alone = kinds
        func nameBeside(_ i: Int) -> Bool {
            var before = i - 1
            if before >= 0, alone[before] == .article { before -= 1 }
            var after = i + 1
            if after < alone.count, alone[after] == .article { after += 1 }
            return (before >= 0 && alone[before] == .name) || (after < alone.count && alone[after] == .name)
        }
        if mode == .text {
            for i in words.indices where alone[i] == .plain && nameBeside(i) {
                let term = words[i].term
                if rules.isNameWord(term) {
                    words[i].role = .latin(spellings.spelling(word: term, rules: rules))
                    kinds[i] = .name
                } else if NameStage.startsUppercase(words[i].surface), let rank = common.rank(of: term),
                          rank >= NameStage.commonRankForNames,
                          term.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }) {
                    words[i].role = .latin(spellings.spelling(word: term, rules: rules))
                    kinds[i] = .name
                }
            }
        }
        for i in words.indices where kinds[i] == .article {
            if !(i + 1 < words.count && kinds[i + 1] == .name) { words[i].role = .plain }
        }
    }

    /// `word.first?.isUppercase ?? false`, by a byte test when the first character is one
    /// ASCII byte (the next byte is ASCII too, or there is none): making the first
    /// `Character` costs a grapheme break check, and its case test a case mapping.
    static func firstCharacterIsUppercase(_ word: String) -> Bool {
        var utf8 = word.utf8.makeIterator()
        if let first = utf8.next(), first < 0x80, (utf8.next() ?? 0) < 0x80 { return first &- 0x41 < 26 }
        return word.first?.isUppercase ?? false
    }

    /// Whether the first letter of `word` is upper case (a byte test for ASCII).
    static func startsUppercase(_ word: String) -> Bool {
        if let first = word.utf8.first, first < 0x80 { return first &- 0x41 < 26 }
        return word.unicodeScalars.first?.properties.isUppercase ?? false
    }

    // MARK: Queries

    /// The folded form of a query word or phrase: its words as slots (names fold, other
    /// words match exactly), and the same with two adjacent names glued, or `nil` when
    /// it holds no name.
    package func pattern(for tokens: [Token], text: String) -> NamePattern? {
        let words = self.words(tokens, text: text, mode: .query)
        return pattern(of: words, latinWords: NameStage.latinWords(of: words))
    }

    /// A query word or phrase read for names: its words' roles, and what decides whether its
    /// Latin names fold when typed in lower case (``TermLookups/writesAsName(_:)``).
    package struct QueryWords {
        fileprivate let words: [NameWord]
        /// The Latin name words (empty: nothing folds by Latin letters).
        package let latinWords: [NamePattern.LatinWord]
        /// Whether a name word is in Arabic script (the phrase's names then fold whatever the
        /// case of its Latin words).
        package let hasArabicName: Bool
    }

    /// The words of a query word or phrase, with their roles.
    package func queryWords(for tokens: [Token], text: String) -> QueryWords {
        let words = self.words(tokens, text: text, mode: .query)
        return QueryWords(words: words, latinWords: NameStage.latinWords(of: words),
                          hasArabicName: words.contains { if case .arabic = $0.role { true } else { false } })
    }

    private static func latinWords(of words: [NameWord]) -> [NamePattern.LatinWord] {
        words.compactMap { word in
            guard case .latin(let spelling) = word.role else { return nil }
            return .init(term: word.term, nameTerm: NameTerms.name(spelling), capitalised: firstCharacterIsUppercase(word.surface))
        }
    }

    /// The folded form of a query word or phrase (``pattern(for:text:)``) and the other names
    /// the gazetteer gives what it names; with `foldingLatin` false, no folded form (for Latin
    /// names the index does not write as names, whose forms are all Latin; ignored when a name
    /// is in Arabic script).
    package func queryForms(of words: QueryWords, foldingLatin: Bool) -> (pattern: NamePattern?, aliases: NamePattern?) {
        (foldingLatin || words.hasArabicName ? pattern(of: words.words, latinWords: words.latinWords) : nil, aliasPattern(of: words.words))
    }

    private func pattern(of all: [NameWord], latinWords: [NamePattern.LatinWord]) -> NamePattern? {
        let words = all.filter { !$0.isArticle }
        guard words.contains(where: \.isName) else { return nil }
        func slot(_ role: NameWord.Role, term: String) -> NameSlot {
            switch role {
            case .latin(let spelling): return .latin(spelling.canonical, longEnd: NameStage.endsInDoubledVowel(term))
            case .arabic(let word, _): return .arabic(word)
            default: return .exact(term)
            }
        }
        let base = words.map { slot($0.role, term: $0.term) }
        var alternatives = [base]
        for i in words.indices.dropLast() {
            if let glued = glue(words[i].role, words[i + 1].role) {
                var merged = base
                merged.replaceSubrange(i...(i + 1), with: [slot(glued, term: "")])
                alternatives.append(merged)
            }
        }
        return NamePattern(alternatives: alternatives, latinWords: latinWords)
    }

    /// The other names of what `words` name as a whole, when it is an entity of the
    /// gazetteer (`Aleppo` → *Halab*, *Alep*, `حلب`), or `nil`. Each alias matches as
    /// written (its Arabic words also behind proclitics), not folded: the aliases are the
    /// spellings the list vouches for, and folding each again would reach other names
    /// (*al-Mawsil* folds with *Mosel*). Upper-case aliases (`US`) are left out: they match
    /// only in upper case, which a term does not record.
    private func aliasPattern(of words: [NameWord]) -> NamePattern? {
        var alternatives: [[NameSlot]] = []
        for id in entities(named: words) {
            for alias in gazetteer.entity(id)?.aliases ?? [] where NameWord.acronymLetters(of: alias) == nil {
                let slots = Analyzer.wordChain.analyze(alias).filter { !$0.isVariant }.map { token -> NameSlot in
                    ArabicScript.isArabic(token.term) ? .arabicWord(arabic.nameForm(token.term, surface: token.term)) : .exact(token.term)
                }
                if !slots.isEmpty && !alternatives.contains(slots) { alternatives.append(slots) }
                // Two Arabic words are also written as one (ديرالزور), indexed as the glued pair.
                if slots.count == 2, case .arabicWord(let x) = slots[0], case .arabicWord(let y) = slots[1] {
                    let glued = [NameSlot.arabicWord(ArabicScript.bare(x) + String(ArabicScript.glueMark) + ArabicScript.bare(y))]
                    if !alternatives.contains(glued) { alternatives.append(glued) }
                }
            }
        }
        return alternatives.isEmpty ? nil : NamePattern(alternatives: alternatives)
    }

    /// Whether a folded word ends in the same vowel twice (`daraa`).
    static func endsInDoubledVowel(_ word: String) -> Bool {
        let last = word.utf8.suffix(2)
        return last.count == 2 && last.first == last.last && "aeiou".utf8.contains(last.first!)
    }

    /// How a query word takes part in a run of name words typed without quotes.
    package enum QueryWordKind: Sendable {
        /// A name (`Kamal`, `Qusayr`, `حلب`).
        case name
        /// An article or a particle (`al`, `Abu`): part of a name, no name alone.
        case connector
        /// Anything else: it ends a run.
        case other
    }

    /// The kind of a query word (``QueryWordKind``), from its analysed tokens.
    package func kind(ofQueryWord tokens: [Token], text: String) -> QueryWordKind {
        let plain = tokens.filter { !$0.isVariant }
        if plain.count == 1, rules.isConnector(plain[0].term) { return .connector }
        let words = self.words(tokens, text: text, mode: .query)
        guard !words.isEmpty, words.contains(where: \.isName), words.allSatisfy({ $0.isName || $0.isArticle }) else { return .other }
        return .name
    }

    /// The entities that `text` names as a whole (an alias, or any spelling of one).
    package func entities(named tokens: [Token], text: String) -> [String] {
        entities(named: self.words(tokens, text: text, mode: .query))
    }

    private func entities(named words: [NameWord]) -> [String] {
        guard let first = words.firstIndex(where: { !$0.isArticle }), let last = words.lastIndex(where: { !$0.isArticle }) else {
            return []
        }
        // An alias that names the whole starts at its first word: most words start none.
        let matcher = self.matcher
        guard matcher.mayStartAlias(at: first, in: words) else { return [] }
        let span = matcher.matches(in: words).filter {
            words[$0.first].position == words[first].position && words[$0.last].position == words[last].position
        }
        return span.flatMap(\.entities)
    }
}

/// One word of a folded query.
package enum NameSlot: Hashable, Sendable {
    /// A word matched as written (a common word, a number, an acronym).
    case exact(String)
    /// A Latin name word, by canonical spelling: any spelling that folds with it.
    /// `longEnd`: the word as typed ends in a doubled vowel (*Daraa*, *Sanaa*), which the
    /// canonical spelling writes once but Arabic writes with two letters (`درعا`, `صنعاء`).
    case latin(String, longEnd: Bool = false)
    /// An Arabic-script word (without article): any spelling in either script.
    case arabic(String)
    /// An Arabic-script word (without article) as written, also behind proclitics.
    case arabicWord(String)

    package var isName: Bool {
        if case .exact = self { return false } else { return true }
    }
    /// A Latin name word (folded from the query's words: the entity list's aliases have none).
    package var isLatin: Bool {
        if case .latin = self { return true } else { return false }
    }

    /// An Arabic-script name word of the query (not an alias).
    package var isArabic: Bool {
        if case .arabic = self { return true } else { return false }
    }
}

/// A query word or phrase folded for names: alternative slot sequences, any of which may
/// match (the words as given, or two adjacent names glued).
package struct NamePattern: Hashable, Sendable {
    package var alternatives: [[NameSlot]]
    /// The query's own terms as written: when they do not occur in the index, the folded
    /// spellings are the name itself and weigh as much as an exact match would.
    package var written: [String]
    /// Typed as a name (capitalised or in Arabic script): it ranks passages that name it
    /// first.
    package var typed: Bool
    /// The entity list gives the name in Arabic script: its Latin words then look for no
    /// Arabic spelling by letters (the list's forms are the curated ones, and letters reach
    /// ordinary words that sound alike: Hama, هاما).
    package var arabicFromList: Bool
    /// The Latin name words of the query, for the evidence of whether the index writes them
    /// as names (``Searcher/withoutCommonWords(_:lookups:)``).
    package var latinWords: [LatinWord]

    /// Whether a phrase's Latin name words fold only where the index writes them as names:
    /// none given a capital, and no Arabic name beside them (Arabic script has no lower case).
    package static func foldsOnEvidence(_ latinWords: [LatinWord], arabicName: Bool) -> Bool {
        !latinWords.isEmpty && !latinWords.contains(where: \.capitalised) && !arabicName
    }

    /// A Latin word of the query: its term, the term it makes where written as a name, and
    /// whether the query gives it a capital.
    package struct LatinWord: Hashable, Sendable {
        package var term: String
        package var nameTerm: String
        package var capitalised: Bool
    }

    package init(alternatives: [[NameSlot]], written: [String] = [], typed: Bool = false, arabicFromList: Bool = false,
                 latinWords: [LatinWord] = []) {
        self.alternatives = alternatives
        self.written = written
        self.typed = typed
        self.arabicFromList = arabicFromList
        self.latinWords = latinWords
    }
}

/// How name and entity tokens are spelled in the term dictionary.
package enum NameTerms {
    /// Prefix of name terms filed by fold key.
    package static let namePrefix = "~"
    /// Prefix of name terms filed by consonant skeleton.
    package static let skeletonPrefix = "#"
    /// Prefix of Arabic-script name terms filed by consonant skeleton.
    package static let arabicSkeletonPrefix = "%"
    /// Prefix of entity terms.
    package static let entityPrefix = "@"
    /// Separates the key from the spelling.
    package static let separator = "|"
    private static let separatorByte = separator.utf8.first!

    /// Whether `term` is one the name stage makes (a name, skeleton or entity term), by its
    /// first character: words never start with these.
    package static func isNameTerm(_ term: String) -> Bool {
        guard let first = term.utf8.first else { return false }
        return first == UInt8(ascii: "~") || first == UInt8(ascii: "#") || first == UInt8(ascii: "%") || first == UInt8(ascii: "@")
    }

    package static func name(_ spelling: NameSpelling) -> String {
        // One string grown in place: each `+` made a string of its own.
        var term = namePrefix
        term.reserveCapacity(namePrefix.utf8.count + spelling.key.utf8.count + separator.utf8.count + spelling.canonical.utf8.count)
        term += spelling.key
        term += separator
        term += spelling.canonical
        return term
    }

    package static func skeleton(_ skeleton: String, spelling: String) -> String {
        skeletonPrefix + skeleton + separator + spelling
    }

    /// An Arabic-script word by consonant skeleton, apart from the Latin ones: a Latin name
    /// looks for Arabic spellings (behind proclitics too) only where there are some.
    package static func arabicSkeleton(_ skeleton: String, spelling: String) -> String {
        arabicSkeletonPrefix + skeleton + separator + spelling
    }

    package static func entity(_ id: String) -> String { entityPrefix + id }

    /// The spelling part of a name or skeleton term.
    package static func spelling(of term: String) -> String? {
        // Found among the UTF-8 bytes: the separator is one ASCII byte, and walking
        // characters costs a grapheme break check each.
        let bytes = term.utf8
        guard let bar = bytes.firstIndex(of: separatorByte) else { return nil }
        return String(term[bytes.index(after: bar)...])
    }
}
