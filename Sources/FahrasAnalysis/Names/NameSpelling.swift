/// One spelling of a name word, folded for comparison with other spellings.
///
/// - `canonical`: the spelling after ``TransliterationRules`` (`Deir` → `dayr`,
///   `Shaddadi` → `SaddadI`-like symbols for digraphs);
/// - `key`: consonant classes with one `V` per vowel run, doubled letters once. Spellings
///   that may fold share it (`Hims`, `Homs` → `HVms`), and the index files each name
///   occurrence under it, so the candidates of a query are one range of the dictionary;
/// - `skeleton`: the consonant classes alone, without `w` and `y`: what Arabic script,
///   which leaves short vowels unwritten, can be compared on (`حمص` → `Hms`).
///
/// Two spellings with the same key fold together only when ``folds(with:)`` agrees
/// letter by letter, so `Gaza` and `Giza` (a ≠ i) or `Fatah` and `Fattah` (a short name
/// doubles alike) stay apart.
package struct NameSpelling: Hashable, Sendable {
    package static func == (a: NameSpelling, b: NameSpelling) -> Bool { a.canonical == b.canonical }
    package func hash(into hasher: inout Hasher) { hasher.combine(canonical) }

    package let canonical: String
    package let key: String
    package let skeleton: String

    /// One letter of a canonical spelling, as the comparison sees it.
    enum Unit: Equatable, Sendable {
        case consonant(letter: Character, doubled: Bool)
        case vowels([Character])
    }

    let units: [Unit]

    /// The spelling of a folded Latin word.
    package init(word: String, rules: TransliterationRules = .standard) {
        self.init(canonical: rules.canonical(word), rules: rules)
    }

    /// The spelling of an already canonical form (two canonical words glued together).
    package init(canonical: String, rules: TransliterationRules = .standard) {
        self.canonical = canonical
        units = NameSpelling.units(of: canonical, rules: rules)
        var key = ""
        var skeleton = ""
        for unit in units {
            switch unit {
            case .consonant(let letter, _):
                let symbol = rules.symbol(of: letter)
                key.append(symbol)
                if letter != "w" && letter != "y" { skeleton.append(symbol) }
            case .vowels:
                key.append("V")
            }
        }
        self.key = key
        self.skeleton = skeleton
    }

    /// Whether this spelling and `other` are the same name written two ways: the same
    /// key, each consonant folding with its counterpart, doubled alike in short names, and
    /// each vowel run folding with its counterpart. In a long enough name the first vowel
    /// may differ outright, if the other vowels then agree exactly (Homs/Hims, but not
    /// Mashal/Michel).
    ///
    /// - Parameter inLongerName: the word is one of several of a name, so doubling is free.
    package func folds(with other: NameSpelling, inLongerName: Bool = false, rules: TransliterationRules = .standard) -> Bool {
        guard key == other.key, units.count == other.units.count else { return false }
        let consonants = units.reduce(0) { count, unit in
            if case .consonant = unit { return count + 1 } else { return count }
        }
        let strictDoubling = !inLongerName && consonants <= rules.doublingLimit
        if compare(other, strictDoubling: strictDoubling, freeFirstVowel: false, rules: rules) { return true }
        return consonants >= rules.freeFirstVowelFrom
            && compare(other, strictDoubling: strictDoubling, freeFirstVowel: true, rules: rules)
    }

    private func compare(_ other: NameSpelling, strictDoubling: Bool, freeFirstVowel: Bool,
                         rules: TransliterationRules) -> Bool {
        var firstVowel = true
        for (mine, theirs) in zip(units, other.units) {
            switch (mine, theirs) {
            case (.consonant(let a, let doubledA), .consonant(let b, let doubledB)):
                guard rules.foldTogether(a, b) else { return false }
                if strictDoubling && doubledA != doubledB { return false }
            case (.vowels(let a), .vowels(let b)):
                defer { firstVowel = false }
                if freeFirstVowel && firstVowel { continue }
                guard NameSpelling.vowelsFold(a, b, exactly: freeFirstVowel, rules: rules) else { return false }
            default:
                return false
            }
        }
        return true
    }

    /// Vowel runs fold when some quality of one folds with some quality of the other
    /// (`exactly`: is the same quality).
    static func vowelsFold(_ a: [Character], _ b: [Character], exactly: Bool = false, rules: TransliterationRules) -> Bool {
        for x in a {
            guard let qx = rules.vowelQuality[x] else { continue }
            for y in b {
                guard let qy = rules.vowelQuality[y] else { continue }
                if qx == qy || (!exactly && rules.qualitiesFold(qx, qy)) { return true }
            }
        }
        return false
    }

    /// Splits a canonical spelling into consonants (a doubled letter once, marked) and runs
    /// of vowels. `y` is a consonant at the start, before a vowel or after one (`Dubay`);
    /// between consonants or at the end of a word after a consonant it reads as `i`.
    static func units(of canonical: String, rules: TransliterationRules) -> [Unit] {
        let letters = Array(canonical)
        var units: [Unit] = []
        var i = 0
        while i < letters.count {
            let letter = letters[i]
            let isVowel: Bool
            if letter == "y" {
                let before = i > 0 ? letters[i - 1] : nil
                let after = i + 1 < letters.count ? letters[i + 1] : nil
                let consonantal = before == nil || (after.map(rules.isVowel) ?? false) || (before.map(rules.isVowel) ?? false)
                    || after == "y"
                isVowel = !consonantal
            } else {
                isVowel = rules.isVowel(letter)
            }
            if isVowel {
                if case .vowels(var run) = units.last {
                    run.append(letter)
                    units[units.count - 1] = .vowels(run)
                } else {
                    units.append(.vowels([letter]))
                }
            } else if case .consonant(let previous, _) = units.last, rules.symbol(of: previous) == rules.symbol(of: letter) {
                units[units.count - 1] = .consonant(letter: previous, doubled: true)
            } else {
                units.append(.consonant(letter: letter, doubled: false))
            }
            i += 1
        }
        return units
    }
}
