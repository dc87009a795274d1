import Testing
import FahrasAnalysis
import FahrasIndex
@testable import FahrasSearch

@Suite("Search: the copy table finds what comparing with every passage finds")
struct CopyTableTests {
    /// Well-spread 64-bit values, the same on every run: value `n` of a sequence.
    static func mixed(_ n: Int) -> UInt64 {
        var z = UInt64(n + 1) &* 0xD6E8_FEB8_6659_FD93
        z ^= z >> 32
        z &*= 0xD6E8_FEB8_6659_FD93
        return z ^ (z >> 32)
    }

    /// `print` with `count` distinct bits flipped, chosen from sequence values after `seed`.
    static func flipped(_ print: UInt64, _ count: Int, seed: Int) -> UInt64 {
        var bits = Set<UInt64>()
        var n = seed
        while bits.count < count {
            bits.insert(mixed(n) % 64)
            n += 1
        }
        return bits.reduce(print) { $0 ^ (1 << $1) }
    }

    /// An index of one passage a fingerprint.
    static func index(of prints: [UInt64]) throws -> (TestIndex, IndexReader) {
        let dir = TemporaryDirectory()
        let builder = SegmentBuilder()
        for (i, print) in prints.enumerated() {
            let text = "passage \(i)"
            let passage = PassageInput(ordinal: 0, range: 0..<text.utf8.count, text: text[...], terms: [("passage", 0)],
                                       length: 1, fingerprint: print)
            builder.add(DocumentInput(path: "doc\(i).txt", title: "", size: 0, modified: 0, contentHash: 0, passages: [passage]))
        }
        let analyzer = Analyzer.wordChain
        try IndexDirectory(path: dir.path).commitRebuild(builder, analyzer: analyzer.signature)
        let reader = try IndexDirectory(path: dir.path).open(analyzer: analyzer.signature)
        return (TestIndex(directory: dir, reader: reader, analyzer: analyzer), reader)
    }

    /// Every distance from 0 to 9 bits around 300 random fingerprints, among 3,000 others:
    /// copies (up to ``Fingerprint/maximumDistance`` bits) must all be found, the rest never.
    @Test func theTableAgreesWithTheDirectComparison() throws {
        var prints: [UInt64] = (0..<3000).map(CopyTableTests.mixed)
        let probes = (3000..<3300).map(CopyTableTests.mixed)
        for (n, probe) in probes.enumerated() { prints.append(CopyTableTests.flipped(probe, n % 10, seed: 10_000 + 20 * n)) }
        prints.append(0)  // no fingerprint: never a copy
        let (held, reader) = try CopyTableTests.index(of: prints)
        _ = held
        let table = CopyTable(reader: reader)
        // The pigeonhole the table rests on: two copies are within one bit in some quarter.
        #expect(Fingerprint.maximumDistance < 2 * CopyTable.quarters)
        // More lookups than ``CopyTable/directLookups``: the table is built and used.
        #expect(probes.count > CopyTable.directLookups)
        let found = try table.copies(of: probes + [0])
        for (n, probe) in probes.enumerated() {
            let expected = prints.indices.filter { Fingerprint.areCopies(prints[$0], probe) }
            #expect(found[n] == expected, "probe \(n)")
            // The planted passage, n % 10 bits away, is found exactly when it is a copy.
            #expect(found[n].contains(3000 + n) == (n % 10 <= Fingerprint.maximumDistance), "probe \(n)")
        }
        #expect(found[probes.count] == [])
        // The same answers again, now from the built table for a batch under the threshold.
        #expect(try table.copies(of: Array(probes.prefix(5))) == Array(found.prefix(5)))
    }
}
