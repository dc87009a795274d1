import Foundation
import Testing
@testable import FahrasIndex

/// A fresh temporary directory, removed when the test ends.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "fahras-test-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// A passage whose terms are its space-separated words.
func passage(_ ordinal: Int, _ text: String, start: Int = 0) -> PassageInput {
    let words = text.split(separator: " ").map(String.init)
    return PassageInput(ordinal: ordinal, range: start..<(start + text.utf8.count), text: text[...],
                        terms: words.enumerated().map { ($0.element, $0.offset) }, length: words.count,
                        fingerprint: UInt64(truncatingIfNeeded: text.hashValue) | 1)
}

func sampleBuilder() -> SegmentBuilder {
    let builder = SegmentBuilder()
    builder.add(DocumentInput(path: "a.txt", title: "First", size: 10, modified: 1_000, contentHash: 7,
                              passages: [passage(0, "deir ezzor deir"), passage(1, "tanf camp", start: 17)]))
    builder.add(DocumentInput(path: "dir/b.html", title: "Ḩimş", size: 20, modified: 2_000, contentHash: 8,
                              passages: [passage(0, "camp near tanf camp")]))
    return builder
}

@Suite("Index: segment files round-trip")
struct SegmentRoundTripTests {
    @Test func writesAndReadsEverything() throws {
        let dir = TemporaryDirectory()
        let manifest = try IndexDirectory(path: dir.path).commitRebuild(sampleBuilder(), analyzer: "test")
        #expect(manifest.generation == 1)
        #expect(manifest.statistics.passages == 3)
        #expect(manifest.statistics.documents == 2)
        let reader = try IndexDirectory(path: dir.path).open(analyzer: "test")
        #expect(reader.passageCount == 3)
        #expect(reader.averageLength == Double(3 + 2 + 4) / 3)
        let segment = reader.segments[0]
        #expect(try segment.documents.map(\.path) == ["a.txt", "dir/b.html"])
        #expect(try segment.documents[1].title == "Ḩimş")
        #expect(try segment.document(1).modified == 2_000)
        #expect(try segment.documents[0].contentHash == 7)
        #expect(try segment.document(0).length == 5)
        #expect(try segment.passage(1) == SegmentReader.PassageRecord(document: 0, ordinal: 1, range: 17..<26, length: 2))
        #expect(try segment.passageText(2) == "camp near tanf camp")
        #expect(try segment.passage(2).length == 4)
        #expect(segment.norm(2) == LengthNorm.code(4))
        #expect(segment.termCount == 5)
        #expect(try (0..<segment.termCount).map { try segment.term(at: $0) } == ["camp", "deir", "ezzor", "near", "tanf"])
    }

    @Test func postingsCarryPassagesFrequenciesAndPositions() throws {
        let dir = TemporaryDirectory()
        try IndexDirectory(path: dir.path).commitRebuild(sampleBuilder(), analyzer: "test")
        let segment = try IndexDirectory(path: dir.path).open().segments[0]
        let camp = try #require(try segment.lookup("camp"))
        #expect(camp.documentFrequency == 2)
        var cursor = try segment.postings(camp)
        var seen: [(Int, Int, [Int32])] = []
        var positions: [Int32] = []
        while cursor.next() {
            cursor.positions(into: &positions)
            seen.append((cursor.passage, cursor.frequency, positions))
        }
        #expect(seen.map(\.0) == [1, 2])
        #expect(seen.map(\.1) == [1, 2])
        #expect(seen.map(\.2) == [[1], [0, 3]])
        #expect(!cursor.isCorrupt)
        #expect(try segment.lookup("absent") == nil)
        #expect(try segment.lookup("") == nil)
        var skipping = try segment.postings(try #require(try segment.lookup("tanf")))
        let advanced = skipping.advance(to: 2)
        #expect(advanced)
        #expect(skipping.passage == 2)
    }

    /// The lookup searches a block in place through shared prefixes: it must find every term
    /// the block walk rebuilds, and nothing for keys between, before, after or around them.
    @Test func lookupFindsEveryTermAndNothingElse() throws {
        let stems = ["", "a", "ab", "abc", "abd", "abcd", "b", "ba", "bab", "deir", "deirezzor", "z", "zz", "é", "éa"]
        var words: [String] = []
        for stem in stems {
            for tail in ["", "a", "b", "ba", "bb", "c", "zz", "1", "2"] where !(stem + tail).isEmpty { words.append(stem + tail) }
        }
        words = Array(Set(words)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let builder = SegmentBuilder()
        // Each word in its own number of passages, so that a wrong entry shows in its frequency.
        let passages = (0..<40).map { p in passage(p, words.enumerated().filter { $0.offset % 40 >= p }.map(\.element).joined(separator: " ")) }
        builder.add(DocumentInput(path: "t.txt", title: "", size: 1, modified: 1, contentHash: 1, passages: passages))
        let dir = TemporaryDirectory()
        try FileIO.writeDurably(builder.build().bytes, to: dir.file("s.fsg"))
        let segment = try SegmentReader(path: dir.file("s.fsg"))
        var walked: [String: SegmentReader.TermInfo] = [:]
        try segment.forEachTerm { (term, info) throws(IndexError) in walked[String(decoding: term, as: UTF8.self)] = info }
        #expect(walked.count == words.count)
        #expect(segment.termCount > 3 * SegmentFormat.termBlockSize)
        for word in words { #expect(try segment.lookup(word) == walked[word], "\(word)") }
        var absent: Set<String> = ["", "0", "aa0", "ab0", "b0", "zzzzzz", "ÿ", "\u{1}"]
        for word in words { absent.formUnion([word + "0", word + "\u{0}", String(word.dropLast()) + "0", word + "é"]) }
        for key in absent { #expect(try segment.lookup(key) == walked[key], "\(key)") }
    }

    @Test func rebuildReplacesThePreviousCommitAndItsFiles() throws {
        let dir = TemporaryDirectory()
        let index = IndexDirectory(path: dir.path)
        try index.commitRebuild(sampleBuilder(), analyzer: "test")
        let smaller = SegmentBuilder()
        smaller.add(DocumentInput(path: "c.txt", title: "C", size: 1, modified: 0, contentHash: 0, passages: [passage(0, "only")]))
        // A leftover of a crashed commit is cleaned up by the next one.
        #expect(FileManager.default.createFile(atPath: dir.file("seg-000009.fsg.tmp"), contents: Data([1, 2, 3])))
        #expect(FileManager.default.createFile(atPath: dir.file("README.md"), contents: Data("keep me".utf8)))
        let manifest = try index.commitRebuild(smaller, analyzer: "test")
        #expect(manifest.generation == 2)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        // New files are numbered above any on disk, so a leftover is never mistaken for them.
        #expect(files == ["README.md", "manifest.json", "seg-000010.fsg"])
        #expect(try index.open().passageCount == 1)
    }

    @Test func missingIndexIsNotFound() {
        let dir = TemporaryDirectory()
        #expect(throws: IndexError.notFound(directory: dir.path)) { try IndexDirectory(path: dir.path).open() }
    }

    @Test func analyzerMismatchIsRefused() throws {
        let dir = TemporaryDirectory()
        try IndexDirectory(path: dir.path).commitRebuild(sampleBuilder(), analyzer: "old-1")
        #expect(throws: IndexError.analyzerMismatch(directory: dir.path, found: "old-1", expected: "new-2")) {
            try IndexDirectory(path: dir.path).open(analyzer: "new-2")
        }
    }
}

@Suite("Index: damaged files are detected, never read")
struct CorruptionTests {
    func committed() throws -> (TemporaryDirectory, String) {
        let dir = TemporaryDirectory()
        try IndexDirectory(path: dir.path).commitRebuild(sampleBuilder(), analyzer: "test")
        return (dir, dir.file("seg-000001.fsg"))
    }

    func expectCorrupt(_ dir: TemporaryDirectory, _ file: String) {
        #expect {
            _ = try IndexDirectory(path: dir.path).open()
        } throws: { error in
            guard case .corrupt(let named, _)? = error as? IndexError else { return false }
            return named == file
        }
    }

    @Test func everyFlippedByteIsDetected() throws {
        let (dir, file) = try committed()
        let original = try Data(contentsOf: URL(fileURLWithPath: file))
        // Every byte of a small segment, flipped one at a time.
        for offset in stride(from: 0, to: original.count, by: 1) {
            var damaged = original
            damaged[offset] ^= 0x40
            try damaged.write(to: URL(fileURLWithPath: file))
            #expect(throws: IndexError.self, "flip at \(offset)") { try IndexDirectory(path: dir.path).open() }
        }
        try original.write(to: URL(fileURLWithPath: file))
        #expect(try IndexDirectory(path: dir.path).open().passageCount == 3)
    }

    @Test func truncatedFileIsDetected() throws {
        let (dir, file) = try committed()
        let original = try Data(contentsOf: URL(fileURLWithPath: file))
        for length in [0, 10, original.count / 2, original.count - 1] {
            try original.prefix(length).write(to: URL(fileURLWithPath: file))
            expectCorrupt(dir, file)
        }
    }

    @Test func deletedSegmentIsDetected() throws {
        let (dir, file) = try committed()
        try FileManager.default.removeItem(atPath: file)
        #expect(throws: IndexError.missingFile(file: file)) { try IndexDirectory(path: dir.path).open() }
    }

    @Test func damagedManifestIsDetected() throws {
        let (dir, _) = try committed()
        let manifest = dir.file("manifest.json")
        try Data("{\"format\": \"fahras-index\", \"version\": 1, \"segm".utf8).write(to: URL(fileURLWithPath: manifest))
        expectCorrupt(dir, manifest)
        try Data("{\"format\": \"fahras-index\", \"version\": 99}".utf8).write(to: URL(fileURLWithPath: manifest))
        #expect(throws: IndexError.unsupportedVersion(file: manifest, found: 99, supported: Manifest.currentVersion)) {
            try IndexDirectory(path: dir.path).open()
        }
    }

    @Test func messagesNameTheFileAndTheRemedy() {
        let message = IndexError.corrupt(file: "Index/seg-000001.fsg", reason: "checksum mismatch").description
        #expect(message.contains("Index/seg-000001.fsg"))
        #expect(message.contains("fahras index"))
    }

    /// The builder's term order (by first byte, then each byte's terms on any core) is the
    /// order of the terms' UTF-8 bytes.
    @Test func termOrderIsByteOrder() {
        var random = SystemRandomNumberGenerator()
        let letters = Array("abyz~#@|ازé中\u{0}".unicodeScalars)
        var terms = Set<String>(["", "a", "ab", "abcdefgh", "abcdefghi", "abcdefgh\u{0}", "~dVyr|dayr", "#dr|زور"])
        while terms.count < 3_000 {
            var term = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 1...12, using: &random) { term.append(letters.randomElement(using: &random)!) }
            terms.insert(String(term))
        }
        let list = Array(terms)
        let expected = list.indices.sorted { list[$0].utf8.lexicographicallyPrecedes(list[$1].utf8) }
        #expect(SegmentBuilder.byteOrder(of: list) == expected)
    }

    @Test func crcMatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    /// XXH64 (seed 0) against the values of the xxHash library (libxxhash 0.8.1's `XXH64`),
    /// at lengths that take each path: the tail bytes, 4- and 8-byte words, the 32-byte lanes.
    @Test func contentHashIsXXH64() {
        let vectors: [(bytes: [UInt8], hash: UInt64)] = [
            ([], 0xEF46_DB37_51D8_E999),
            (Array("a".utf8), 0xD24E_C4F1_A98C_6E5B),
            (Array("abc".utf8), 0x44BC_2CF5_AD77_0999),
            (Array("Deir ez-Zor".utf8), 0x0ECB_281F_15B5_8346),
            ((0..<31).map { UInt8($0) }, 0xC346_D2B5_9B4D_8EE1),
            ((0..<32).map { UInt8($0) }, 0xCBF5_9C51_16FF_32B4),
            ((0..<33).map { UInt8($0) }, 0x0C53_5D1A_CAFB_8EAD),
            ((0..<100).map { UInt8($0) }, 0x6AC1_E580_3216_6597),
            (Array("دير الزور — Deir ez-Zor, Dayr al-Zawr".utf8), 0x2072_1884_E79E_FFCB),
        ]
        for vector in vectors {
            #expect(vector.bytes.withUnsafeBytes { ContentHash.xxh64($0) } == vector.hash, "\(vector.bytes.count) bytes")
        }
    }
}

@Suite("Index: v3 postings blocks, norms and lazy checksums")
struct SegmentFormatV3Tests {
    /// One document whose passages hold "common" in every third passage (several blocks).
    func builder(passages: Int = 1000) -> SegmentBuilder {
        let builder = SegmentBuilder()
        var list: [PassageInput] = []
        for p in 0..<passages {
            let words = (0..<(1 + p % 70)).map { i in i % 7 == 0 && p % 3 == 0 ? "common" : "w\(p % 11)" }
            list.append(passage(p, words.joined(separator: " "), start: p * 1000))
        }
        builder.add(DocumentInput(path: "big.txt", title: "Big", size: 1, modified: 2, contentHash: 3, passages: list))
        return builder
    }

    /// Full blocks are encoded as passages arrive; building keeps them, so a builder built
    /// twice (or built, then given more documents) writes what a fresh one would.
    @Test func buildingTwiceOrAfterMoreDocumentsIsConsistent() {
        let once = builder()
        let first = once.build().bytes
        let again = once.build().bytes == first  // (a Bool: a failure does not print two files)
        #expect(again, "building twice changed the file")
        let more = builder(passages: 400)
        _ = more.build()
        let extra = (0..<600).map { p in passage(p, "common w\(p % 5) common", start: p * 10) }
        more.add(DocumentInput(path: "more.txt", title: "More", size: 1, modified: 2, contentHash: 3, passages: extra))
        let fresh = builder(passages: 400)
        fresh.add(DocumentInput(path: "more.txt", title: "More", size: 1, modified: 2, contentHash: 3, passages: extra))
        let same = more.build().bytes == fresh.build().bytes
        #expect(same, "a builder built, then given more documents, wrote another file than a fresh one")
    }

    /// Written to a file a section at a time (through a buffer smaller than some sections
    /// and larger than others), a segment has the bytes, size and checksum of the one laid
    /// out in memory, with chunks small enough that sections and flushes fall inside them.
    @Test func aSegmentWrittenAsItGoesIsTheSegmentInMemory() throws {
        let dir = TemporaryDirectory()
        let built = builder(passages: 3000)
        for shift: UInt32 in [8, SegmentFormat.defaultChunkShift] {
            let memory = built.build(chunkShift: shift)
            let sink = try FileSink(creating: dir.file("s-\(shift).fsg"), bufferSize: 1000)
            var into = sink
            let summary = try built.build(into: &into, chunkShift: shift)
            try sink.close()
            let bytes = try #require(try FileIO.readFile(dir.file("s-\(shift).fsg")))
            let same = bytes == memory.bytes
            #expect(same, "chunk shift \(shift)")
            #expect(summary.size == memory.bytes.count && summary.crc32 == memory.crc32)
            #expect(summary.documents == memory.documents && summary.passages == memory.passages && summary.terms == memory.terms)
            #expect(memory.bytes.count > 100_000, "many buffers and chunks long")
        }
        // A sink that fails names its file, and leaves nothing behind once discarded.
        let taken = try FileSink(creating: dir.file("taken.fsg"))
        #expect(throws: IndexError.self) { _ = try FileSink(creating: dir.file("taken.fsg")) }
        taken.discard()
        #expect(!FileManager.default.fileExists(atPath: dir.file("taken.fsg")))
    }

    /// The sections of a segment file, from its footer: documents, norms, store, terms,
    /// postings, fields, chunks.
    static func sections(_ bytes: [UInt8]) -> [Range<Int>] {
        bytes.withUnsafeBytes { raw in
            (0..<7).map { k in
                let at = bytes.count - SegmentFormat.footerSize + 16 * k
                let start = Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
                let length = Int(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self)))
                return start..<(start + length)
            }
        }
    }

    /// The file laid out as Fahras wrote it before its postings were streamed: the
    /// dictionary before the postings, the chunk checksums and footer made again.
    static func dictionaryFirst(_ bytes: [UInt8], chunkShift: UInt32) -> [UInt8] {
        let s = sections(bytes)
        var out = Array(bytes[0..<SegmentFormat.headerSize])
        var placed: [(UInt64, UInt64)] = []
        // In file order: documents, norms, store, terms, postings, fields.
        for k in 0..<6 {
            placed.append((UInt64(out.count), UInt64(s[k].count)))
            out.append(contentsOf: bytes[s[k]])
        }
        var chunks = ChunkChecksums(shift: chunkShift)
        out.withUnsafeBytes { chunks.add($0) }
        let totalLength = bytes.withUnsafeBytes { raw in
            UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: bytes.count - SegmentFormat.footerSize + 7 * 16, as: UInt64.self))
        }
        return out + SegmentWriter.footer(checksums: chunks.finish(), sections: placed, at: out.count, totalLength: totalLength,
                                          chunkShift: chunkShift).bytes
    }

    /// A builder of 1,500 passages of 20 terms of their own and a common one: 30,001 terms,
    /// 15 runs of encoding, more than are encoded ahead of the writing.
    func manyTerms() -> SegmentBuilder {
        let builder = SegmentBuilder()
        let list = (0..<1500).map { p in passage(p, (0..<20).map { "t\(p)x\($0) common" }.joined(separator: " "), start: p * 1000) }
        builder.add(DocumentInput(path: "many.txt", title: "Many", size: 1, modified: 2, contentHash: 3, passages: list))
        return builder
    }

    /// The postings come before the dictionary, whose entries say where each list lies; a
    /// file with the dictionary first (as earlier versions wrote it) reads the same.
    @Test func postingsPrecedeTheDictionaryAndTheEarlierLayoutReadsTheSame() throws {
        let dir = TemporaryDirectory()
        let file = manyTerms().build(chunkShift: 8)
        let s = SegmentFormatV3Tests.sections(file.bytes)
        #expect(s[4].upperBound == s[3].lowerBound, "postings, then the dictionary")
        let earlier = SegmentFormatV3Tests.dictionaryFirst(file.bytes, chunkShift: 8)
        #expect(SegmentFormatV3Tests.sections(earlier)[3].upperBound == SegmentFormatV3Tests.sections(earlier)[4].lowerBound)
        try FileIO.writeDurably(file.bytes, to: dir.file("now.fsg"))
        try FileIO.writeDurably(earlier, to: dir.file("earlier.fsg"))
        let now = try SegmentReader(path: dir.file("now.fsg"), verifyWhole: true)
        let then = try SegmentReader(path: dir.file("earlier.fsg"), verifyWhole: true)
        #expect(now.termCount == then.termCount && now.termCount > 30_000)
        for term in ["common", "t0x0", "t17x3", "t1499x19", "t1500x0", "absent"] {
            let a = try now.lookup(term), b = try then.lookup(term)
            #expect((a == nil) == (b == nil), "\(term)")
            guard let a, let b else { continue }
            var x = try now.postings(a), y = try then.postings(b)
            var same = true
            while true {
                let (movedX, movedY) = (x.next(), y.next())
                if movedX != movedY || (movedX && (x.passage != y.passage || x.frequency != y.frequency)) { same = false }
                if !movedX || !movedY { break }
            }
            #expect(same, "\(term)")
        }
    }

    /// A sink that fails while the postings stream in (or before, or after) ends the build
    /// with the sink's error, and every encoding thread is done when it returns.
    @Test func aSinkThatFailsStopsTheStreamedPostings() throws {
        struct Failing: SegmentSink {
            var left: Int
            mutating func write(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
                left -= bytes.count
                if left < 0 { throw .corrupt(file: "sink", reason: "full") }
            }
        }
        let built = manyTerms()
        let file = built.build()
        let s = SegmentFormatV3Tests.sections(file.bytes)
        for limit in [10, s[2].lowerBound + 5, s[4].lowerBound + 1, (s[4].lowerBound + s[4].upperBound) / 2, s[3].lowerBound + 3] {
            var sink = Failing(left: limit)
            #expect(throws: IndexError.self, "failing after \(limit) bytes") { _ = try built.build(into: &sink) }
        }
        var enough = Failing(left: file.bytes.count)
        #expect(try built.build(into: &enough).size == file.bytes.count)
    }

    @Test func blocksSkipAndBoundScoresAndPositionsSurviveSkips() throws {
        let dir = TemporaryDirectory()
        try FileIO.writeDurably(builder().build().bytes, to: dir.file("s.fsg"))
        let segment = try SegmentReader(path: dir.file("s.fsg"))
        let info = try #require(try segment.lookup("common"))
        #expect(info.documentFrequency == 334)
        // Every passage, frequency and position, walking one by one.
        var cursor = try segment.postings(info)
        var expected: [Int] = []
        var positions: [Int32] = []
        while cursor.next() {
            expected.append(cursor.passage)
            cursor.positions(into: &positions)
            let length = 1 + cursor.passage % 70
            #expect(positions == stride(from: 0, to: length, by: 7).map { Int32($0) })
            #expect(cursor.frequency == positions.count)
        }
        #expect(!cursor.isCorrupt && expected == Array(stride(from: 0, to: 1000, by: 3)))
        // Advancing across blocks lands on the same passages, and positions stay right.
        for target in [0, 1, 127 * 3 + 1, 500, 998, 999] {
            var skipping = try segment.postings(info)
            let found = skipping.advance(to: target)
            let next = expected.first { $0 >= target }
            #expect(found == (next != nil) && (next == nil || skipping.passage == next!), "target \(target)")
            if let next {
                skipping.positions(into: &positions)
                #expect(positions.count == (1 + next % 70 + 6) / 7)
            }
        }
        // Each block's pairs bound every passage of the block.
        var bounded = try segment.postings(info)
        while bounded.next() {
            let passage = bounded.passage
            let frequency = bounded.frequency
            let norm = segment.norm(passage)
            let best = bounded.blockMax { tf, n in tf >= frequency && n <= norm ? 1 : 0 }
            #expect(best == 1, "passage \(passage)")
        }
        #expect(try segment.passage(69).length == 70 && segment.norm(69) == LengthNorm.code(70) && LengthNorm.code(70) != 70)
        #expect(LengthNorm.lengths[Int(LengthNorm.code(70))] <= 70 && LengthNorm.code(23) == 23)
    }

    @Test func chunksAreVerifiedWhenFirstRead() throws {
        let dir = TemporaryDirectory()
        let file = builder().build(chunkShift: 8)
        // Damage one byte of the store's first block (passage 0's text), far from the
        // dictionary and postings.
        var bytes = file.bytes
        func load<T: FixedWidthInteger>(_ offset: Int, as type: T.Type) -> Int {
            bytes.withUnsafeBytes { Int(T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self))) }
        }
        let footer = bytes.count - SegmentFormat.footerSize
        let (storeOffset, storeLength) = (load(footer + 2 * 16, as: UInt64.self), load(footer + 2 * 16 + 8, as: UInt64.self))
        // The counts end the section, the block table is before them; both are checked at open.
        let blockCount = load(storeOffset + storeLength - 8, as: UInt32.self)
        let firstBlockLength = load(storeOffset + storeLength - 8 - SegmentFormat.storeEntrySize * blockCount + 8, as: UInt32.self)
        let damaged = storeOffset + 300
        // Past the header's 256-byte chunk, verified at open, and inside the first block.
        try #require(damaged >= 256 && 300 < firstBlockLength)
        bytes[damaged] ^= 0x10
        try FileIO.writeDurably(bytes, to: dir.file("s.fsg"))
        // Opened whole, the damage is found at once.
        #expect(throws: IndexError.self) { try SegmentReader(path: dir.file("s.fsg"), verifyWhole: true) }
        // Opened lazily, what does not touch the damaged chunk works...
        let segment = try SegmentReader(path: dir.file("s.fsg"), verifyWhole: false)
        var cursor = try segment.postings(try #require(try segment.lookup("common")))
        let moved = cursor.next()
        #expect(moved)
        // ...and the first read of it fails, naming the file.
        #expect(performing: { _ = try segment.passageText(0) }, throws: { error in
            guard case .corrupt(let named, let reason)? = error as? IndexError else { return false }
            return named == dir.file("s.fsg") && reason.contains("checksum mismatch")
        })
        #expect(throws: IndexError.self) { try segment.verifyAll() }
    }

    /// The fingerprints that end the fields section are most of it, and only a search that
    /// collapses copies reads them: a segment opened lazily leaves them to their first read.
    @Test func fingerprintsAreVerifiedWhenFirstRead() throws {
        let dir = TemporaryDirectory()
        var bytes = builder().build(chunkShift: 8).bytes
        func load(_ offset: Int) -> Int {
            bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) }
        }
        let footer = bytes.count - SegmentFormat.footerSize
        let fieldsEnd = load(footer + 5 * 16) + load(footer + 5 * 16 + 8)
        let passages = 1000
        // The last passage's fingerprint, in a chunk after the one the columns end in.
        let damaged = fieldsEnd - 1
        try #require(damaged >> 8 > (fieldsEnd - passages * 8 - 1) >> 8)
        bytes[damaged] ^= 0x01
        try FileIO.writeDurably(bytes, to: dir.file("s.fsg"))
        #expect(throws: IndexError.self) { try SegmentReader(path: dir.file("s.fsg"), verifyWhole: true) }
        let segment = try SegmentReader(path: dir.file("s.fsg"), verifyWhole: false)
        #expect(segment.passageCount == passages)
        #expect(try segment.document(0).path == "big.txt", "records and fields read as before")
        _ = try segment.fingerprint(0)  // its chunk is sound
        for read in [{ _ = try segment.fingerprints() }, { _ = try segment.fingerprint(passages - 1) }] {
            #expect(performing: read, throws: { error in
                guard case .corrupt(let named, let reason)? = error as? IndexError else { return false }
                return named == dir.file("s.fsg") && reason.contains("checksum mismatch")
            })
        }
    }
}

@Suite("Index: store blocks read as far as the passage needed")
struct PartialStoreBlockTests {
    /// Passages read one at a time, in any order (each block inflated only as far as the
    /// passage, then further for a later one), are those a whole-block scan reads.
    @Test func passagesReadAloneAreThoseOfWholeBlocks() throws {
        let dir = TemporaryDirectory()
        let builder = SegmentBuilder()
        let texts = (0..<1500).map { p in (0..<(1 + p % 40)).map { "w\(($0 * 7 + p) % 97)" }.joined(separator: " ") }
        builder.add(DocumentInput(path: "a.txt", title: "A", size: 1, modified: 2, contentHash: 3,
                                  passages: texts.enumerated().map { passage($0.offset, $0.element, start: $0.offset * 500) }))
        try FileIO.writeDurably(builder.build().bytes, to: dir.file("s.fsg"))
        var whole: [(range: Range<Int>, length: Int, text: String)] = []
        try SegmentReader(path: dir.file("s.fsg")).forEachPassage { _, stored in
            whole.append((stored.range, stored.length, String(decoding: stored.text, as: UTF8.self)))
        }
        #expect(whole.map(\.text) == texts)
        // Forwards, backwards and scattered, each order on a fresh reader (an empty cache), with
        // the default cache and with one of two blocks (evicting on nearly every read).
        let orders = [Array(0..<texts.count), Array((0..<texts.count).reversed()),
                      (0..<texts.count).map { ($0 * 7919) % texts.count }]
        for (order, cacheBytes) in orders.flatMap({ order in [(order, StoreBlockCache.byteLimit), (order, 2 * SegmentFormat.storeBlockTarget)] }) {
            let segment = try SegmentReader(path: dir.file("s.fsg"), storeCacheBytes: cacheBytes)
            for number in order {
                let record = try segment.passage(number)
                #expect(try segment.passageText(number) == whole[number].text, "passage \(number)")
                #expect(record.range == whole[number].range && record.length == whole[number].length, "passage \(number)")
            }
            // A scan after single reads still sees every passage of every block.
            var count = 0
            try segment.forEachPassage { number, stored in
                if String(decoding: stored.text, as: UTF8.self) == texts[number] { count += 1 }
            }
            #expect(count == texts.count)
        }
    }
}
