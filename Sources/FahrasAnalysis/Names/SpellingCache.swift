import Foundation

/// Name spellings already folded, shared by the threads that analyse with one name stage.
///
/// Folding a word (``TransliterationRules/canonical(_:)``, then units, key and skeleton)
/// costs far more than a dictionary lookup, and running text repeats its names: a corpus
/// of 121,000 passages holds a few tens of thousands of distinct capitalised words. The
/// cache forgets a shard's entries when the shard reaches its share of ``limit``, so memory
/// stays bounded whatever the corpus. Words are spread over shards, each with its own lock,
/// so that threads looking up different words seldom wait for one another.
final class SpellingCache: @unchecked Sendable {
    /// Entries kept before the cache starts over.
    static let limit = 100_000
    private static let shardCount = 16

    private final class Shard: @unchecked Sendable {
        let lock = NSLock()
        var byWord: [String: NameSpelling] = [:]
        var byCanonical: [String: NameSpelling] = [:]
    }

    private let shards = (0..<SpellingCache.shardCount).map { _ in Shard() }

    /// `NameSpelling(word: word, rules: rules)`, folded once.
    func spelling(word: String, rules: TransliterationRules) -> NameSpelling {
        let shard = self.shard(word)
        if let known = lookup(word, in: shard, \.byWord) { return known }
        let spelling = NameSpelling(word: word, rules: rules)
        store(spelling, for: word, in: shard, \.byWord)
        return spelling
    }

    /// `NameSpelling(canonical: canonical, rules: rules)`, folded once.
    func spelling(canonical: String, rules: TransliterationRules) -> NameSpelling {
        let shard = self.shard(canonical)
        if let known = lookup(canonical, in: shard, \.byCanonical) { return known }
        let spelling = NameSpelling(canonical: canonical, rules: rules)
        store(spelling, for: canonical, in: shard, \.byCanonical)
        return spelling
    }

    /// The shard of `key`, from its length and end bytes (cheap; spreads words well).
    private func shard(_ key: String) -> Shard {
        let utf8 = key.utf8
        let mix = utf8.count &* 31 &+ Int(utf8.first ?? 0) &* 7 &+ Int(utf8.last ?? 0)
        return shards[mix & (SpellingCache.shardCount - 1)]
    }

    private func lookup(_ key: String, in shard: Shard, _ table: KeyPath<Shard, [String: NameSpelling]>) -> NameSpelling? {
        shard.lock.lock()
        defer { shard.lock.unlock() }
        return shard[keyPath: table][key]
    }

    private func store(_ spelling: NameSpelling, for key: String, in shard: Shard,
                       _ table: ReferenceWritableKeyPath<Shard, [String: NameSpelling]>) {
        shard.lock.lock()
        defer { shard.lock.unlock() }
        if shard[keyPath: table].count >= SpellingCache.limit / SpellingCache.shardCount { shard[keyPath: table].removeAll() }
        shard[keyPath: table][key] = spelling
    }
}
