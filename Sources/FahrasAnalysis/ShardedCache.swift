import Foundation

/// Answers of a costly pure function of a string, kept for the threads that share one
/// analyzer: name spellings (``SpellingCache``), Unicode folding of non-ASCII words
/// (``UnicodeFoldingFilter``).
///
/// Running text repeats its words, so most calls find their answer. Keys are spread over
/// shards, each with its own lock, so that threads looking up different words seldom wait
/// for one another; the answer is worked out outside any lock. A shard forgets its entries
/// when it reaches its share of the limit, so memory stays bounded whatever the corpus.
/// A cache changes no answer, only how often it is computed.
final class ShardedCache<Value>: @unchecked Sendable {
    private static var shardCount: Int { 16 }

    private final class Shard: @unchecked Sendable {
        let lock = NSLock()
        var values: [String: Value] = [:]
    }

    private let shards = (0..<ShardedCache.shardCount).map { _ in Shard() }
    private let limitPerShard: Int

    /// A cache of at most about `limit` entries.
    init(limit: Int) {
        limitPerShard = max(1, limit / ShardedCache.shardCount)
    }

    /// The value kept for `key`, or `compute(key)`, kept for next time.
    func value(for key: String, _ compute: (String) -> Value) -> Value {
        let shard = self.shard(key)
        shard.lock.lock()
        let known = shard.values[key]
        shard.lock.unlock()
        if let known { return known }
        let value = compute(key)
        shard.lock.lock()
        if shard.values.count >= limitPerShard { shard.values.removeAll() }
        shard.values[key] = value
        shard.lock.unlock()
        return value
    }

    /// The shard of `key`, from its length and end bytes (cheap; spreads words well).
    private func shard(_ key: String) -> Shard {
        let utf8 = key.utf8
        let mix = utf8.count &* 31 &+ Int(utf8.first ?? 0) &* 7 &+ Int(utf8.last ?? 0)
        return shards[mix & (ShardedCache.shardCount - 1)]
    }
}
