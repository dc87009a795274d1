/// Name spellings already folded, shared by the threads that analyse with one name stage.
///
/// Folding a word (``TransliterationRules/canonical(_:)``, then units, key and skeleton)
/// costs far more than a dictionary lookup, and running text repeats its names: a corpus
/// of 121,000 passages holds a few tens of thousands of distinct capitalised words.
final class SpellingCache: Sendable {
    /// Entries kept of each kind before the cache starts over.
    static let limit = 100_000

    private let byWord = ShardedCache<NameSpelling>(limit: SpellingCache.limit)
    private let byCanonical = ShardedCache<NameSpelling>(limit: SpellingCache.limit)
    private let alternates = ShardedCache<[String]>(limit: SpellingCache.limit)

    /// `NameSpelling(word: word, rules: rules)`, folded once.
    func spelling(word: String, rules: TransliterationRules) -> NameSpelling {
        byWord.value(for: word) { NameSpelling(word: $0, rules: rules) }
    }

    /// `NameSpelling(canonical: canonical, rules: rules)`, folded once.
    func spelling(canonical: String, rules: TransliterationRules) -> NameSpelling {
        byCanonical.value(for: canonical) { NameSpelling(canonical: $0, rules: rules) }
    }

    /// `rules.alternateSpellings(of: canonical)`, made once.
    func alternateSpellings(of canonical: String, rules: TransliterationRules) -> [String] {
        alternates.value(for: canonical) { rules.alternateSpellings(of: $0) }
    }
}
