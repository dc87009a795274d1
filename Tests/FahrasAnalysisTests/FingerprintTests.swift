import Testing
@testable import FahrasAnalysis

@Suite("Analysis: near-duplicate fingerprints")
struct FingerprintTests {
    let analyzer = Analyzer.wordChain
    func print(_ text: String) -> UInt64 { Fingerprint.of(analyzer.analyze(text), in: text) }

    let story = "Kurdish-led forces said on Tuesday they had captured the last district of the city held by the militants, "
        + "after four months of street fighting and air strikes by the US-led coalition that left much of it in ruins."

    /// A wire paragraph of about a hundred words, as agencies write them.
    let wire = "Kurdish-led forces said on Tuesday they had captured the last district of the city held by the militants, "
        + "after four months of street fighting and air strikes by the US-led coalition that left much of it in ruins. "
        + "Commanders said teams were still clearing mines and booby traps from the old quarter and the stadium, where "
        + "the last fighters had held out with their families, and that civilians should not return until engineers "
        + "declared each neighbourhood safe. Aid agencies said tens of thousands of people who fled the fighting were "
        + "living in camps to the north with little water, and that the rebuilding of hospitals, schools and bridges "
        + "would take years and money that nobody had yet promised."

    /// Copies are passages whose words are the same but for a word or two (SimHash's Hamming
    /// distance tracks the angle between the passages' word-pair counts, about 64/π times
    /// it): the threshold of 6 bits is about 97 % cosine similarity.
    @Test func aRepublishedPassageIsACopy() {
        #expect(print(story) == print(story.uppercased()), "case does not matter")
        #expect(print(wire) == print(wire.uppercased()), "in long words too (eight letters at a time)")
        #expect(print(story) != print(story.replacingOccurrences(of: "forces", with: "forcés")), "other bytes do count")
        #expect(print(story) == print(story.replacingOccurrences(of: ",", with: " ;")), "nor punctuation")
        #expect(Fingerprint.areCopies(print(wire), print(wire + " (Reuters)")), "a credit line added")
        #expect(Fingerprint.areCopies(print(wire), print(wire.replacingOccurrences(of: "Tuesday", with: "Wednesday"))), "a word changed")
        #expect(Fingerprint.areCopies(print(wire), print("BEIRUT (Reuters) - " + wire)), "a dateline added")
    }

    @Test func differentPassagesAreNotCopies() {
        let other = "Aid agencies warned that thousands of families displaced by the fighting were living in tents "
            + "without heating as temperatures fell below freezing across the north of the country this week."
        #expect(!Fingerprint.areCopies(print(story), print(other)))
        // The same opening, another story: half the word pairs differ.
        let sameStart = "Kurdish-led forces said on Tuesday they had captured the last district of the city held by the militants, "
            + "while aid agencies warned that thousands of families were living in tents without heating or water."
        #expect(!Fingerprint.areCopies(print(story), print(sameStart)))
    }

    @Test func aShortPassageHasNoFingerprint() {
        #expect(print("Raqqa, Syria (Reuters)") == 0)
        #expect(!Fingerprint.areCopies(0, 0), "no fingerprint is a copy of nothing")
    }

    /// The eight-bits-at-a-time count equals counting bit by bit, past the byte counters' limit.
    @Test func majorityCountsEveryBit() {
        var state: UInt64 = 42
        for count in [1, 2, 3, 254, 255, 256, 600] {
            let values = (0..<count).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return state ^ (state >> 29)
            }
            var naive: UInt64 = 0
            for bit in 0..<64 where values.filter({ ($0 >> UInt64(bit)) & 1 == 1 }).count * 2 > count { naive |= 1 << UInt64(bit) }
            #expect(Fingerprint.majority(values) == naive, "\(count) values")
        }
    }

    /// The index finds exactly what comparing with every fingerprint finds.
    @Test func copyIndexFindsWhatAComparisonWithEachFinds() {
        var state: UInt64 = 7
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (state ^ (state >> 31)) | 1
        }
        var index = CopyIndex()
        var prints: [UInt64] = []
        for _ in 0..<300 {
            let base = next()
            // Near ones: 0 to 5 bits flipped.
            for flips in 0...5 {
                var print = base
                for _ in 0..<flips { print ^= 1 << (next() % 64) }
                prints.append(print)
                index.add(print)
            }
        }
        for probe in prints.prefix(200) + (0..<50).map({ _ in next() }) {
            let expected = prints.indices.filter { Fingerprint.areCopies(prints[$0], probe) }
            #expect(index.copies(of: probe) == expected)
        }
    }
}
