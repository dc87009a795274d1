/// The folding rules of `Data/transliteration.tsv`: how a Latin spelling of an Arabic name
/// becomes a canonical spelling, and which letters fold together.
///
/// The rules are data so that a reader can check and extend them without reading Swift;
/// each line of the file carries its reason as a comment. ``NameSpelling`` applies them.
///
/// A class, so that passing the rules around (once per name word folded) costs one
/// reference, not a copy of a dozen tables; the tables are filled by the initializer and
/// never change after it, which makes sharing them between threads safe.
package final class TransliterationRules: @unchecked Sendable {
    /// Words that are only the article (`al`, `el`, `ad`, `ez`…).
    package private(set) var articles: Set<String> = []
    /// Name words with fixed spellings (`abou` → `bu`).
    package private(set) var particles: [String: String] = [:]
    private(set) var wholeWords: [String: String] = [:]
    private(set) var prefixes: [(from: String, to: String, minimumRest: Int)] = []
    private(set) var suffixes: [(from: String, to: String)] = []
    private(set) var anywhere: [(from: String, to: String)] = []
    /// Letters a query name is also looked up with (`j` read as `y`).
    private(set) var alternates: [(from: String, to: String, minimumConsonants: Int)] = []
    /// Consonant class symbol of each letter (`q`, `k`, `g` → `K`).
    private(set) var consonantClass: [Character: Character] = [:]
    /// Pairs of letters of one class that never fold together (`j`, `q`).
    private(set) var apart: Set<String> = []
    /// Quality of each vowel letter (`e` → `E`).
    private(set) var vowelQuality: [Character: Character] = [:]
    /// Pairs of qualities that fold together (`E`+`A`), both orders.
    private(set) var qualityFolds: Set<String> = []
    /// Names with at most this many consonants must double letters alike.
    package private(set) var doublingLimit = 2
    /// Names with at least this many consonants fold their first vowel with any other.
    package private(set) var freeFirstVowelFrom = Int.max
    /// Names the rules' contents, for the analyzer signature.
    package let signature: UInt64

    /// The rules bundled with Fahras.
    package static let standard: TransliterationRules = {
        do {
            return try TransliterationRules(tsv: String(decoding: PackageResources.transliteration_tsv, as: UTF8.self))
        } catch {
            fatalError("the bundled Data/transliteration.tsv is invalid: \(error)")  // a build defect
        }
    }()

    /// Parses rules in the `transliteration.tsv` format.
    package init(tsv: String, file: String = "transliteration.tsv") throws(AnalysisError) {
        signature = fingerprint(tsv.utf8)
        func value(_ field: String) -> String { field == "-" ? "" : field }
        for line in DataLines(text: tsv) {
            let f = line.fields
            func need(_ count: Int) throws(AnalysisError) {
                guard f.count >= count, !f[1].isEmpty else {
                    throw .badTable(file: file, line: line.number, reason: "'\(f[0])' needs \(count - 1) value(s) after it")
                }
            }
            switch f[0] {
            case "article":
                try need(2)
                articles.insert(f[1])
            case "particle":
                try need(3)
                particles[f[1]] = value(f[2])
            case "whole":
                try need(3)
                wholeWords[f[1]] = value(f[2])
            case "prefix":
                try need(4)
                guard let minimum = Int(f[3]) else {
                    throw .badTable(file: file, line: line.number, reason: "the shortest rest '\(f[3])' is not a number")
                }
                prefixes.append((f[1], value(f[2]), minimum))
            case "suffix":
                try need(3)
                suffixes.append((f[1], value(f[2])))
            case "any":
                try need(3)
                anywhere.append((f[1], value(f[2])))
            case "alternate":
                try need(3)
                let minimum = f.count > 3 && !f[3].isEmpty ? Int(f[3]) : 0
                guard let minimum else {
                    throw .badTable(file: file, line: line.number, reason: "the fewest consonants '\(f[3])' is not a number")
                }
                alternates.append((f[1], value(f[2]), minimum))
            case "consonant":
                try need(3)
                guard f[1].count == 1, let symbol = f[1].first else {
                    throw .badTable(file: file, line: line.number, reason: "a class symbol is one character, not '\(f[1])'")
                }
                for letter in f[2].split(separator: " ") where letter.count == 1 {
                    consonantClass[letter.first!] = symbol
                }
            case "apart":
                try need(3)
                apart.insert(f[1] + f[2])
                apart.insert(f[2] + f[1])
            case "vowel":
                try need(3)
                guard f[1].count == 1, f[2].count == 1 else {
                    throw .badTable(file: file, line: line.number, reason: "a vowel row is one letter and one quality")
                }
                vowelQuality[f[1].first!] = f[2].first!
            case "fold":
                try need(3)
                qualityFolds.insert(f[1] + f[2])
                qualityFolds.insert(f[2] + f[1])
            case "doubling":
                try need(2)
                guard let limit = Int(f[1]) else {
                    throw .badTable(file: file, line: line.number, reason: "the doubling limit '\(f[1])' is not a number")
                }
                doublingLimit = limit
            case "first-vowel":
                try need(2)
                guard let limit = Int(f[1]) else {
                    throw .badTable(file: file, line: line.number, reason: "the consonant count '\(f[1])' is not a number")
                }
                freeFirstVowelFrom = limit
            default:
                throw .badTable(file: file, line: line.number, reason: "unknown rule kind '\(f[0])'")
            }
        }
        nameWords = Set(particles.keys).union(wholeWords.keys)
        articleKeys = articles.compactMap(TransliterationRules.packed)
    }

    /// The particles and whole-word entries, in one set (one lookup per word).
    private var nameWords: Set<String> = []
    /// The articles of up to 7 bytes, packed (``packed(_:)``).
    private var articleKeys: [UInt64] = []

    /// The UTF-8 bytes of a word of 1 to 7 bytes as one number, the first in the low byte and
    /// the count in the high one (so that `a` and `a\0` differ), or `nil` for other lengths.
    static func packed(_ word: String) -> UInt64? {
        word.withUTF8Bytes { bytes -> UInt64? in
            guard bytes.count > 0 && bytes.count <= 7 else { return nil }
            var key = UInt64(bytes.count) << 56
            for k in 0..<bytes.count { key |= UInt64(bytes[k]) << (8 * UInt64(k)) }
            return key
        }
    }

    /// Whether `word` is an article: ``articles``' answer, for short words by comparing one
    /// number with each short article's (the list has about twenty) rather than hashing the
    /// word.
    /// Whether `word` joins a name without being one: an article or a particle (`al`, `abu`).
    package func isConnector(_ word: String) -> Bool {
        isArticle(word) || particles[word] != nil
    }

    package func isArticle(_ word: String) -> Bool {
        guard let key = TransliterationRules.packed(word) else { return articles.contains(word) }
        for article in articleKeys where article == key { return true }
        return false
    }

    /// The canonical spelling of a folded word (lower case, no diacritics, no apostrophes):
    /// particle and whole-word table, then the first matching beginnings, the first
    /// matching ending, then letters anywhere.
    package func canonical(_ word: String) -> String {
        if let fixed = particles[word] ?? wholeWords[word] { return fixed }
        var spelling = word
        // A glued article (a rule that leaves nothing) stands only before a consonant, as
        // the Arabic article does: Albukamal is al-Bukamal, Aleppo is not al-Eppo.
        for rule in prefixes where spelling.hasPrefix(rule.from)
            && spelling.utf8.count - rule.from.utf8.count >= rule.minimumRest
            && !(rule.to.isEmpty && spelling.dropFirst(rule.from.count).first.map(isVowel) == true) {
            spelling = rule.to + spelling.dropFirst(rule.from.count)
        }
        if let fixed = particles[spelling] ?? wholeWords[spelling] { return fixed }
        for rule in suffixes where spelling.hasSuffix(rule.from) && spelling.count > rule.from.count {
            spelling = spelling.dropLast(rule.from.count) + rule.to
            break
        }
        for rule in anywhere where TransliterationRules.contains(spelling, rule.from) {
            spelling = spelling.replacing(rule.from, with: rule.to)
        }
        return spelling
    }

    /// Whether `text` holds `part`, compared as UTF-8 bytes (the rules' letters are whole
    /// scalars, so a byte match is a letter match); cheaper than the generic searches.
    static func contains(_ text: String, _ part: String) -> Bool {
        var text = text
        var part = part
        return text.withUTF8 { t in
            part.withUTF8 { p in
                guard p.count > 0 else { return true }
                guard t.count >= p.count else { return false }
                var i = 0
                while i <= t.count - p.count {
                    if t[i] == p[0] {
                        var j = 1
                        while j < p.count, t[i + j] == p[j] { j += 1 }
                        if j == p.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// The other canonical spellings a query name is looked up with: each `alternate` rule
    /// applied, and, in a name long enough for a free first vowel, that vowel left out or
    /// put in (`hmaymim` ↔ `humaymim`).
    package func alternateSpellings(of canonical: String) -> [String] {
        var out: [String] = []
        let spelling = NameSpelling(canonical: canonical, rules: self)
        let consonants = spelling.units.filter { if case .consonant = $0 { return true } else { return false } }.count
        for rule in alternates where spelling.skeleton.count >= rule.minimumConsonants
            && TransliterationRules.contains(canonical, rule.from) {
            // A rule for long names (a vowel, not a letter) changes its first place only: one
            // look-up more, not one for each place and each combination.
            if rule.minimumConsonants > 0, let first = canonical.range(of: rule.from) {
                out.append(self.canonical(canonical.replacingCharacters(in: first, with: rule.to)))
            } else {
                out.append(self.canonical(canonical.replacing(rule.from, with: rule.to)))
            }
        }
        if consonants >= freeFirstVowelFrom, spelling.units.count >= 3 {
            let letters = Array(canonical)
            if case .consonant = spelling.units[0], case .vowels(let run) = spelling.units[1],
               case .consonant(let next, _) = spelling.units[2], next != "y", next != "w" {
                out.append(String(letters[0]) + String(letters[(1 + run.count)...]))
            } else if case .consonant = spelling.units[0], case .consonant = spelling.units[1], letters.count > 1 {
                out.append(String(letters[0]) + "a" + String(letters[1...]))
            }
        }
        var seen: Set<String> = [canonical]
        return out.filter { seen.insert($0).inserted }
    }

    /// Whether `word` is a name word of the tables (a particle or a whole-word entry such as
    /// `deir` or `bait`): a name beside a name even when it is also an English word.
    package func isNameWord(_ word: String) -> Bool {
        nameWords.contains(word)
    }


    func isVowel(_ letter: Character) -> Bool { vowelQuality[letter] != nil && letter != "y" }

    func symbol(of consonant: Character) -> Character { consonantClass[consonant] ?? consonant }

    func foldTogether(_ a: Character, _ b: Character) -> Bool {
        a == b || (symbol(of: a) == symbol(of: b) && !apart.contains(String([a, b])))
    }

    func qualitiesFold(_ a: Character, _ b: Character) -> Bool {
        a == b || qualityFolds.contains(String([a, b]))
    }
}
