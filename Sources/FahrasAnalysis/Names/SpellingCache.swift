import Foundation

/// Name spellings already folded, shared by the threads that analyse with one name stage.
///
/// Folding a word (``TransliterationRules/canonical(_:)``, then units, key and skeleton)
/// costs far more than a dictionary lookup, and running text repeats its names: a corpus
/// of 121,000 passages holds a few tens of thousands of distinct capitalised words. The
/// cache forgets everything when it reaches ``limit`` entries, so memory stays bounded
/// whatever the corpus.
final class SpellingCache: @unchecked Sendable {
    /// Entries kept before the cache starts over.
    static let limit = 100_000

    private let lock = NSLock()
    private var byWord: [String: NameSpelling] = [:]
    private var byCanonical: [String: NameSpelling] = [:]

    /// `NameSpelling(word: word, rules: rules)`, folded once.
    func spelling(word: String, rules: TransliterationRules) -> NameSpelling {
        if let known = lookup(word, in: \.byWord) { return known }
        let spelling = NameSpelling(word: word, rules: rules)
        store(spelling, for: word, in: \.byWord)
        return spelling
    }

    /// `NameSpelling(canonical: canonical, rules: rules)`, folded once.
    func spelling(canonical: String, rules: TransliterationRules) -> NameSpelling {
        if let known = lookup(canonical, in: \.byCanonical) { return known }
        let spelling = NameSpelling(canonical: canonical, rules: rules)
        store(spelling, for: canonical, in: \.byCanonical)
        return spelling
    }

    private func lookup(_ key: String, in table: KeyPath<SpellingCache, [String: NameSpelling]>) -> NameSpelling? {
        lock.lock()
        defer { lock.unlock() }
        return self[keyPath: table][key]
    }

    private func store(_ spelling: NameSpelling, for key: String,
                       in table: ReferenceWritableKeyPath<SpellingCache, [String: NameSpelling]>) {
        lock.lock()
        defer { lock.unlock() }
        if self[keyPath: table].count >= SpellingCache.limit { self[keyPath: table].removeAll() }
        self[keyPath: table][key] = spelling
    }
}
