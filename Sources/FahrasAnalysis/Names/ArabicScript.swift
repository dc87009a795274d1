/// Arabic-script names, compared with Latin spellings through `Data/arabic.tsv`.
///
/// Arabic writes consonants and long vowels, not short vowels; every word that begins with a
/// vowel writes a seat for it (alef, ayn or hamza), and a word that ends in a vowel writes a
/// letter for it (alef, ta marbuta, ya, waw). So an Arabic word and a Latin spelling are one
/// name when (``folds(_:with:)``):
/// - their consonants agree one by one (at least two of them: one consonant is no evidence,
///   `على` is not *Ali*): each Latin letter is one the Arabic letter may be written as
///   (`arabic.tsv`: ز is *z*, never *d*);
/// - every long vowel and seat the Arabic writes has a vowel of a fitting quality in the
///   Latin at the same place;
/// - a Latin vowel at the start or the end of the word has a letter in the Arabic there
///   (`عراق` is not *Raqqa*: an ayn the Latin lacks, and a final vowel the Arabic lacks).
///
/// Words are compared without the article and the proclitics before it (`والرقة`, `بالرقة`,
/// `للرقة` → `رقه`), and a query also finds a word behind one or two one-letter proclitics
/// (`وحلب`, `بحلب`: ``withoutProclitics(_:)``). Whether the article was there is kept
/// (``nameForm(_:surface:)``): an Arabic place name is either always written with it
/// (`الرقة`, `الموصل`) or never (`حلب`, `حمص`), so the other form is another word
/// (`الحمص` the chickpeas, `برقة` Barqa in Libya). A Latin spelling, which may drop *al-*,
/// folds with both.
package struct ArabicScript: Sendable {
    /// Each letter's own Latin letter (`'` a seat, `-` nothing).
    private var letters: [Unicode.Scalar: Character] = [:]
    /// The Latin letters each consonant may be written as.
    private var writtenAs: [Unicode.Scalar: [Character]] = [:]
    /// Name particles (`أبو`, `أم`, `عبد`), folded, with the canonical Latin spelling of
    /// transliteration.tsv they are (`bu`, `umm`, `abd`).
    private var particles: [String: String] = [:]
    /// The particles also written glued to the name (`أبوظبي`, `عبدالله`), longest first.
    private var gluedParticles: [(form: [Unicode.Scalar], canonical: String)] = []
    private let rules: TransliterationRules
    /// Ordinary Arabic words (folded, without article), which no Latin name folds with:
    /// the list as given, folded the first time a search asks (indexing never does, and a
    /// search of an index without Arabic does not pay for folding 5,800 words).
    private let commonWords: String
    private let common = BuiltOnce<Set<String>>()
    /// Names the table's and the word list's contents, for the analyzer signature.
    package let signature: UInt64

    /// The table and word list bundled with Fahras.
    package static let standard: ArabicScript = {
        do {
            return try ArabicScript(tsv: String(decoding: PackageResources.arabic_tsv, as: UTF8.self),
                                    commonWords: String(decoding: PackageResources.common_words_ar_txt, as: UTF8.self))
        } catch {
            fatalError("the bundled Data/arabic.tsv is invalid: \(error)")  // a build defect
        }
    }()

    /// Parses a table in the `arabic.tsv` format and a list of common words, one a line.
    package init(tsv: String, commonWords: String = "", rules: TransliterationRules = .standard,
                file: String = "arabic.tsv") throws(AnalysisError) {
        self.rules = rules
        self.commonWords = commonWords
        signature = fingerprint(Array(tsv.utf8) + [0] + Array(commonWords.utf8))
        for line in DataLines(text: tsv) {
            if line.fields[0] == "particle" {
                guard line.fields.count >= 3, !line.fields[1].isEmpty, !line.fields[2].isEmpty,
                      line.fields.count < 4 || ["", "glued"].contains(line.fields[3]) else {
                    throw .badTable(file: file, line: line.number, reason: "expected 'particle<TAB>Arabic<TAB>canonical Latin[<TAB>glued]'")
                }
                let form = Analyzer.wordChain.words(line.fields[1]).map(\.term).joined()
                particles[form] = line.fields[2]
                if line.fields.count >= 4 && line.fields[3] == "glued" { gluedParticles.append((Array(form.unicodeScalars), line.fields[2])) }
                continue
            }
            let latin = line.fields.count >= 2 ? line.fields[1].split(separator: " ") : []
            guard line.fields[0].unicodeScalars.count == 1, !latin.isEmpty, latin.allSatisfy({ $0.count == 1 }) else {
                throw .badTable(file: file, line: line.number, reason: "expected 'letter<TAB>Latin letters separated by spaces'")
            }
            let scalar = line.fields[0].unicodeScalars.first!
            letters[scalar] = Character(String(latin[0]))
            writtenAs[scalar] = latin.map { Character(String($0)) }
        }
        gluedParticles.sort { $0.form.count > $1.form.count }
    }

    /// Whether `word` (folded, article removed) is an ordinary Arabic word of the list.
    package func isCommon(_ word: String) -> Bool {
        common.value {
            var words = Set<String>()
            for line in commonWords.split(separator: "\n") where !line.hasPrefix("#") {
                for token in Analyzer.wordChain.analyze(String(line)) where !token.isVariant {
                    words.insert(withoutArticle(token.term))
                }
            }
            return words
        }.contains(ArabicScript.bare(word))
    }

    /// Whether `word` is written in Arabic script.
    package static func isArabic(_ word: String) -> Bool {
        word.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) || (0x0750...0x077F).contains($0.value) }
    }

    private static let alef: Unicode.Scalar = "\u{0627}", lam: Unicode.Scalar = "\u{0644}"
    private static let waw: Unicode.Scalar = "\u{0648}", fa: Unicode.Scalar = "\u{0641}"
    private static let ba: Unicode.Scalar = "\u{0628}", kaf: Unicode.Scalar = "\u{0643}"
    private static let ha: Unicode.Scalar = "\u{0647}"

    /// The word without the article and the proclitics joined to it (Lucene's light
    /// stemmer's list: `ال`, `وال`, `بال`, `كال`, `فال`, `لل`, also `وبال`, `ولل`), when at
    /// least two letters remain.
    package func withoutArticle(_ word: String) -> String {
        let s = Array(word.unicodeScalars)
        var i = 0
        if s.count > 2, s[0] == ArabicScript.waw || s[0] == ArabicScript.fa { i = 1 }
        if s.count > i + 1, s[i] == ArabicScript.ba || s[i] == ArabicScript.kaf,
           s.count > i + 2, s[i + 1] == ArabicScript.alef, s[i + 2] == ArabicScript.lam {
            i += 1
        }
        let rest: Int
        if s.count > i + 1, s[i] == ArabicScript.alef, s[i + 1] == ArabicScript.lam {
            rest = i + 2
        } else if s.count > i + 1, s[i] == ArabicScript.lam, s[i + 1] == ArabicScript.lam {
            rest = i + 2  // لل: ل + ال, the alef not written
        } else {
            return word
        }
        guard s.count - rest >= 2 else { return word }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s[rest...])
        return String(view)
    }

    /// Marks an Arabic name word whose article was removed (`الرقة` → `+رقه`).
    package static let definiteMark: Unicode.Scalar = "+"
    private static let fathatan: Unicode.Scalar = "\u{064B}"

    /// The form under which a word of text (folded `term`, written `surface`) is compared
    /// as a name: without its article and proclitics, marked (``definiteMark``) when it had
    /// the article; an alef that carries tanween (`درعاً`, the accusative of *shield*, `درعًا`)
    /// is the ending of an indefinite noun, not a letter of the word, so it goes too.
    package func nameForm(_ term: String, surface: String) -> String {
        var word = term
        if word.unicodeScalars.last == ArabicScript.alef, surface.unicodeScalars.suffix(2).contains(ArabicScript.fathatan) {
            word.unicodeScalars.removeLast()
        }
        return definiteForm(word)
    }

    /// ``withoutArticle(_:)``, marked when it removed one.
    func definiteForm(_ word: String) -> String {
        let stripped = withoutArticle(word)
        guard stripped.unicodeScalars.count != word.unicodeScalars.count else { return word }
        var marked = String.UnicodeScalarView([ArabicScript.definiteMark])
        marked.append(contentsOf: stripped.unicodeScalars)
        return String(marked)
    }

    /// Whether a name form carries the ``definiteMark``.
    package static func isDefinite(_ word: String) -> Bool { word.unicodeScalars.first == definiteMark }

    /// A name form without its ``definiteMark``.
    package static func bare(_ word: String) -> String {
        isDefinite(word) ? String(word.unicodeScalars.dropFirst()) : word
    }

    /// Joins two Arabic words indexed glued (`دير_زور`): a glued pair has no proclitics.
    package static let glueMark: Character = "_"

    /// Two words written without the space before the second's article (`ديرالزور`), as the
    /// glued pair (`دير_زور`): an `ال` after at least three letters and before at least three
    /// (`أعمالهم`, `استقلالية` are single words).
    package func compound(_ word: String) -> String? {
        let s = Array(word.unicodeScalars)
        guard s.count >= 8 else { return nil }
        for i in 3...(s.count - 5) where s[i] == ArabicScript.alef && s[i + 1] == ArabicScript.lam {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: s[..<i])
            view.append(contentsOf: String(ArabicScript.glueMark).unicodeScalars)
            view.append(contentsOf: s[(i + 2)...])
            return String(view)
        }
        return nil
    }

    /// The readings of a word behind one or two one-letter proclitics (و ف ب ل ك), longest
    /// first, each with at least three letters left: `وبحلب` → `بحلب`, `حلب`.
    package func withoutProclitics(_ word: String) -> [String] {
        if word.contains(ArabicScript.glueMark) || ArabicScript.isDefinite(word) { return [] }
        let s = Array(word.unicodeScalars)
        var out: [String] = []
        var i = 0
        while i < 2, s.count - (i + 1) >= 3,
              [ArabicScript.waw, ArabicScript.fa, ArabicScript.ba, ArabicScript.lam, ArabicScript.kaf].contains(s[i]) {
            i += 1
            var view = String.UnicodeScalarView()
            view.append(contentsOf: s[i...])
            out.append(definiteForm(String(view)))
        }
        return out
    }

    /// What the comparison sees of one Arabic letter.
    enum Letter: Equatable {
        /// Its own Latin letter, and every letter it may be written as.
        case consonant(Character, writtenAs: [Character])
        /// A long vowel (`a`, `u`, `i`).
        case vowel(Character)
        /// و or ي before a vowel: the Latin writes `w` or `y` (or the vowel) there.
        case glide(Character)
        /// Alef at the start, ayn, hamza: the Latin writes some vowel there.
        case seat
        /// ه at the end: ta marbuta (written ه once folded) or h.
        case tail
    }

    /// The letters of an Arabic word (article already removed).
    func spell(_ word: String) -> [Letter] {
        let word = ArabicScript.bare(word)
        if let canonical = particles[word] { return ArabicScript.letters(ofCanonical: canonical) }
        var scalars = Array(word.unicodeScalars)
        var out: [Letter] = []
        // A particle glued to the name (أبوظبي) is spelled as the particle.
        if let glued = gluedParticles.first(where: { scalars.count - $0.form.count >= 2 && scalars.starts(with: $0.form) }) {
            out = ArabicScript.letters(ofCanonical: glued.canonical)
            scalars.removeFirst(glued.form.count)
        }
        for (i, scalar) in scalars.enumerated() {
            guard let mapped = letters[scalar] else { continue }
            let last = i == scalars.count - 1
            switch mapped {
            case "-": continue
            case "'": out.append(.seat)
            case "a": out.append(out.isEmpty ? .seat : .vowel("a"))
            case "w", "y":
                let next = last ? nil : letters[scalars[i + 1]]
                let consonantal = out.isEmpty || next == "a" || next == "'"
                    || (last && out.last.map { if case .consonant = $0 { return false } else { return true } } == true)
                out.append(consonantal ? .glide(mapped) : .vowel(mapped == "w" ? "u" : "i"))
            default:
                out.append(scalar == ArabicScript.ha && last && out.count >= 2
                    ? .tail : .consonant(mapped, writtenAs: writtenAs[scalar] ?? [mapped]))
            }
        }
        return out
    }

    /// A particle's canonical Latin spelling as letters: its consonants and vowels.
    private static func letters(ofCanonical canonical: String) -> [Letter] {
        canonical.map { "aeiou".contains($0) ? .vowel($0) : .consonant($0, writtenAs: [$0]) }
    }

    /// The Latin letters of an Arabic word (article already removed), in the alphabet of
    /// the canonical spellings: `زور` → `zur`, `ميادين` → `myadin`; seats and a final ه
    /// are `a`. Its consonants are the word's skeleton.
    package func latin(_ word: String) -> String {
        var out = ""
        for letter in spell(word) {
            switch letter {
            case .consonant(let c, _), .vowel(let c), .glide(let c): out.append(c)
            case .seat, .tail: out.append("a")
            }
        }
        return rules.particles[out] ?? out
    }

    /// Whether an Arabic word (article removed) and a Latin spelling are the same name.
    ///
    /// - Parameter longEnd: the Latin as typed ends in a doubled vowel, which its canonical
    ///   spelling writes once (*Sanaa* → `sana`): the Arabic then writes two letters after
    ///   its last consonant (`درعا`, not `دارة`).
    package func folds(_ arabicWord: String, with spelling: NameSpelling, longEnd: Bool = false) -> Bool {
        // A particle is one letter or two: it is its Latin spelling, exactly.
        if let canonical = particles[arabicWord] { return canonical == spelling.canonical }
        let word = spell(arabicWord)
        if longEnd && ArabicScript.endingLetters(word) < 2 { return false }
        if align(word, spelling, tailIsVowel: true, longEnd: longEnd) { return true }
        return word.last == .tail && align(word, spelling, tailIsVowel: false, longEnd: longEnd)
    }

    /// Whether a word of Arabic text (article removed) is the Latin name `spelling`, as
    /// written or behind its proclitics (``readings(of:attested:)``). An ordinary Arabic
    /// word never is (``isCommon(_:)``): the entity list bridges the names that are also words.
    package func textFolds(_ arabicWord: String, with spelling: NameSpelling, longEnd: Bool = false,
                          attested: (String) -> Bool) -> Bool {
        // Particles are function words too (أم "or"), but in a name they are its part.
        if particles[arabicWord] != nil { return folds(arabicWord, with: spelling) }
        if ArabicScript.isDefinite(arabicWord) {
            let word = ArabicScript.bare(arabicWord)
            return !isCommon(word) && folds(word, with: spelling, longEnd: longEnd)
        }
        guard !isCommon(arabicWord) else { return false }
        return folds(arabicWord, with: spelling, longEnd: longEnd)
            || readings(of: arabicWord, attested: attested).contains { !isCommon($0) && folds($0, with: spelling, longEnd: longEnd) }
    }

    /// How many letters a word writes after its last consonant.
    static func endingLetters(_ letters: [Letter]) -> Int {
        var count = 0
        for letter in letters.reversed() {
            if case .consonant = letter { break }
            count += 1
        }
        return count
    }

    /// Whether two Arabic name forms (``nameForm(_:surface:)``) are one name, as written or
    /// behind the proclitics of the second (``readings(of:attested:)``): with the article both
    /// or neither.
    package func same(_ asked: String, _ other: String, attested: (String) -> Bool) -> Bool {
        asked == other || readings(of: other, attested: attested).contains(asked)
    }

    /// The readings of a word of text behind its proclitics that the evidence allows: none
    /// of an ordinary word and none past one (`ورقة` is not `و` + `رقة`, `وفرقة` is `و` +
    /// `فرقة` only), and only those that `attested` accepts; the index's answer is whether
    /// the word stands alone at least as often as with the proclitic (`حلب` against `بحلب`,
    /// but not `حمه` against `لحمه`).
    package func readings(of word: String, attested: (String) -> Bool) -> [String] {
        if isCommon(word) { return [] }
        var out: [String] = []
        for reading in withoutProclitics(word) {
            if attested(reading) { out.append(reading) }
            if isCommon(reading) { break }
        }
        return out
    }

    /// The skeletons under which the index files the words a Latin spelling may fold with:
    /// its own, behind a one-letter proclitic, and without a final h (a ta marbuta).
    package func candidateSkeletons(of spelling: NameSpelling) -> [String] {
        let base = spelling.skeleton
        var out = [base]
        if base.last == rules.symbol(of: "h") { out.append(String(base.dropLast())) }
        for proclitic in ["b", "l", "f", "k"] {
            out.append(String(rules.symbol(of: Character(proclitic))) + base)
        }
        return out
    }

    private func align(_ word: [Letter], _ spelling: NameSpelling, tailIsVowel: Bool, longEnd: Bool) -> Bool {
        // The Arabic as consonants and the gaps between them.
        var consonants: [[Character]] = []
        var gaps: [[Letter]] = [[]]
        for letter in word {
            switch letter {
            case .consonant(_, let written): consonants.append(written); gaps.append([])
            case .tail where !tailIsVowel: consonants.append(["h"]); gaps.append([])
            default: gaps[gaps.count - 1].append(letter)
            }
        }
        let latin = ArabicScript.latinParts(spelling)
        guard consonants.count >= 2, consonants.count == latin.consonants.count else { return false }
        for (written, b) in zip(consonants, latin.consonants) where !written.contains(b) { return false }
        for (g, (written, gap)) in zip(gaps, latin.gaps).enumerated() {
            let vowels = gap.filter { $0 != "W" && $0 != "Y" }
            let edge = g == 0 || g == gaps.count - 1
            if edge && !vowels.isEmpty && written.isEmpty { return false }
            let last = g == gaps.count - 1
            guard gap.count + (last && longEnd ? 1 : 0) >= ArabicScript.lettersNeeded(written) else { return false }
            for letter in written where !fits(letter, in: gap, vowels: vowels) { return false }
        }
        return true
    }

    /// How many Latin letters a gap of the Arabic needs at least: one for each long vowel,
    /// seat and tail, but a seat or a tail beside a long vowel shares its letter (`درعا`
    /// *Daraa*, `حماة` *Hama*, `داعش` *Daesh*), so that `رقعة` is not *Raqqa*.
    static func lettersNeeded(_ written: [Letter]) -> Int {
        var needed = 0
        var i = 0
        while i < written.count {
            needed += 1
            if i + 1 < written.count, isLong(written[i]) != isLong(written[i + 1]),
               isSeat(written[i]) || isSeat(written[i + 1]) {
                i += 2
            } else {
                i += 1
            }
        }
        return needed
    }

    private static func isLong(_ letter: Letter) -> Bool {
        if case .vowel = letter { return true } else { return false }
    }

    private static func isSeat(_ letter: Letter) -> Bool { letter == .seat || letter == .tail }

    /// Whether the Latin gap `gap` (its `vowels`, `w` and `y`) writes what `letter` needs.
    private func fits(_ letter: Letter, in gap: [Character], vowels: [Character]) -> Bool {
        switch letter {
        case .seat, .tail: return !vowels.isEmpty
        case .glide(let g):
            return gap.contains(g == "w" ? "W" : "Y") || NameSpelling.vowelsFold([g == "w" ? "u" : "i"], vowels, rules: rules)
        case .vowel(let v):
            let latin = gap.map { $0 == "W" ? "u" : $0 == "Y" ? "i" : $0 }
            return NameSpelling.vowelsFold([v], latin, rules: rules)
        case .consonant: return false
        }
    }

    /// A Latin spelling's consonants (not `w` or `y`) and the letters between them, a
    /// consonantal `w` or `y` as `W` or `Y`.
    private static func latinParts(_ spelling: NameSpelling) -> (consonants: [Character], gaps: [[Character]]) {
        var consonants: [Character] = []
        var gaps: [[Character]] = [[]]
        for unit in spelling.units {
            switch unit {
            case .vowels(let run): gaps[gaps.count - 1].append(contentsOf: run)
            case .consonant(let letter, _) where letter == "w" || letter == "y":
                gaps[gaps.count - 1].append(letter == "w" ? "W" : "Y")
            case .consonant(let letter, _): consonants.append(letter); gaps.append([])
            }
        }
        return (consonants, gaps)
    }
}
