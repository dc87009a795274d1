import Testing
@testable import FahrasSearch

@Suite("Search: clause weights")
struct ClauseWeightsTests {
    static func resolved(_ term: String) -> Searcher.ResolvedClause {
        Searcher.ResolvedClause(alternatives: [[[term]]], weight: 1)
    }

    /// Up to 16 clauses are compared in turn, past that found through a table: at every size
    /// each clause added is found with its own weight, a clause added twice keeps its first,
    /// and one never added is not found.
    @Test func everyClauseIsFoundWithItsWeightAtEverySize() {
        for count in [0, 1, 2, 15, 16, 17, 18, 40] {
            var weights = ClauseWeights()
            for i in 0..<count {
                weights.add(.term("w\(i)"), resolved: Self.resolved("w\(i)"), weight: Double(i))
                weights.add(.term("w\(i)"), resolved: Self.resolved("other"), weight: -1)
            }
            #expect(weights.entries.count == count)
            for i in 0..<count {
                let found = weights[.term("w\(i)")]
                #expect(found?.weight == Double(i) && found?.resolved.alternatives == [[["w\(i)"]]], "\(count): w\(i)")
            }
            #expect(weights[.term("absent")] == nil, "\(count)")
            #expect(weights[.phrase(["w0"])] == nil, "\(count)")
        }
    }

    @Test func offsetsGoToTheClausesPicked() {
        var weights = ClauseWeights()
        for i in 0..<20 { weights.add(.term("w\(i)"), resolved: Self.resolved("w\(i)"), weight: 1) }
        weights.setOffset(7, where: { $0 == .term("w3") || $0 == .term("w18") })
        for i in 0..<20 { #expect(weights[.term("w\(i)")]?.resolved.offset == (i == 3 || i == 18 ? 7 : 0), "w\(i)") }
    }
}
