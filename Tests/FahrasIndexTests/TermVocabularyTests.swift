import Testing
@testable import FahrasIndex

@Suite("Index: a document's term vocabulary")
struct TermVocabularyTests {
    @Test func givesEachDistinctTermOneIdInOrderOfArrival() {
        let vocabulary = TermVocabulary()
        // Far past the table's first size (it grows), with terms that share prefixes and lengths.
        let words = (0..<5_000).map { "term\($0 % 2_000)" }
        let ids = words.map { vocabulary.id(of: $0) }
        #expect(vocabulary.terms.count == 2_000)
        for (word, id) in zip(words, ids) { #expect(vocabulary.terms[Int(id)] == word) }
        #expect(ids.prefix(2_000).map(Int.init) == Array(0..<2_000))
        #expect(Array(ids[2_000..<4_000]) == Array(ids.prefix(2_000)))
    }

    @Test func comparesTermsByTheirBytes() {
        let vocabulary = TermVocabulary()
        // Canonically equivalent as Swift Strings (é composed, and e + combining acute) but
        // different bytes: the index keeps terms as bytes, so they are two terms.
        let composed = vocabulary.id(of: "caf\u{E9}")
        let decomposed = vocabulary.id(of: "cafe\u{301}")
        #expect(composed != decomposed)
        #expect(vocabulary.id(of: "دير") == vocabulary.id(of: "دير"))
        #expect(vocabulary.id(of: "") == vocabulary.id(of: ""))
        #expect(vocabulary.terms.count == 4)
    }

    @Test func handsTheBuilderEachTermsHash() {
        let vocabulary = TermVocabulary()
        for word in ["deir", "ezzor", "a-much-longer-term-than-sixteen-bytes"] { _ = vocabulary.id(of: word) }
        vocabulary.seal()
        #expect(vocabulary.hashes.count == vocabulary.terms.count)
        for (term, hash) in zip(vocabulary.terms, vocabulary.hashes) {
            var bytes = term
            #expect(bytes.withUTF8 { TermTable.hash($0) } == hash)
        }
    }
}
