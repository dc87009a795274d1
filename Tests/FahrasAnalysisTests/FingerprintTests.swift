import Testing
import FahrasAnalysis

@Suite("Analysis: near-duplicate fingerprints")
struct FingerprintTests {
    let analyzer = Analyzer.wordChain
    func print(_ text: String) -> UInt64 { Fingerprint.of(analyzer.analyze(text)) }

    let story = "Kurdish-led forces said on Tuesday they had captured the last district of the city held by the militants, "
        + "after four months of street fighting and air strikes by the US-led coalition that left much of it in ruins."

    @Test func aRepublishedPassageIsACopy() {
        #expect(print(story) == print(story.uppercased()), "case does not matter")
        #expect(Fingerprint.areCopies(print(story), print(story + " (Reuters)")), "a credit line added")
        #expect(Fingerprint.areCopies(print(story), print("Beirut: " + story)), "a dateline added")
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
}
