import Testing
@testable import FahrasAnalysis

@Suite("Analyze: the shared cache of costly answers")
struct ShardedCacheTests {
    /// Counts the calls of the function the cache stands in front of.
    final class Calls: @unchecked Sendable { var count = 0 }

    @Test func aKeyIsComputedOnceAndItsAnswerKept() {
        let cache = ShardedCache<String>(limit: 1_000)
        let calls = Calls()
        let fold: (String) -> String = { calls.count += 1; return $0.uppercased() }
        #expect(cache.value(for: "homs", fold) == "HOMS")
        #expect(cache.value(for: "homs", fold) == "HOMS")
        #expect(cache.value(for: "idlib", fold) == "IDLIB")
        #expect(calls.count == 2)
    }

    @Test func aFullShardStartsOverAndStillAnswersRight() {
        // 16 shards of one entry each: the same shard (same length and end bytes) holds
        // `aXa` for one key at a time.
        let cache = ShardedCache<Int>(limit: 16)
        let calls = Calls()
        let length: (String) -> Int = { calls.count += 1; return $0.utf8.count }
        for word in ["aba", "aca", "ada"] { #expect(cache.value(for: word, length) == 3) }
        #expect(cache.value(for: "aba", length) == 3)
        #expect(calls.count == 4, "the first key was forgotten when the shard filled, and computed again")
        #expect(cache.value(for: "aba", length) == 3)
        #expect(calls.count == 4, "kept again after it was computed")
    }

    @Test func foldingThroughTheCacheAnswersAsWithout() {
        let filter = UnicodeFoldingFilter()
        for word in ["Ḥimṣ", "Ḩimş", "ＵＳ", "Łódź", "دِيرُ", "Ḥimṣ"] {
            #expect(filter.transform(word) == filter.normalized(word))
        }
    }
}
