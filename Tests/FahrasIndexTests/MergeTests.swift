import Foundation
import Testing
@testable import FahrasIndex

/// Documents with repeated, shared and unique terms, positions and several passages.
/// Their fields differ, so that a merge must rebuild the keyword dictionaries.
let mergeDocuments: [DocumentInput] = [
    DocumentInput(path: "a.txt", title: "A", size: 10, modified: 1_000, contentHash: 1,
                  passages: [passage(0, "deir ezzor deir"), passage(1, "tanf camp", start: 17)],
                  fields: ["date": .date(17_000), "site": .text("z.example"), "url": .text("https://z.example/a")]),
    DocumentInput(path: "b.txt", title: "B", size: 20, modified: 2_000, contentHash: 2,
                  passages: [passage(0, "camp near tanf camp"), passage(1, "only in b", start: 21)]),
    DocumentInput(path: "c.txt", title: "C", size: 30, modified: 3_000, contentHash: 3,
                  passages: [passage(0, "deir camp palmyra")],
                  fields: ["date": .date(16_000), "site": .text("a.example"), "language": .text("ar"), "author": .text("X")]),
    DocumentInput(path: "d.txt", title: "D", size: 40, modified: 4_000, contentHash: 4,
                  passages: [passage(0, "palmyra palmyra tadmur"), passage(1, "camp", start: 23), passage(2, "z", start: 28)]),
]


/// Writes a segment file and opens it.
func opened(_ segment: SegmentFile, in dir: TemporaryDirectory, as name: String) throws -> SegmentReader {
    try Data(segment.bytes).write(to: URL(fileURLWithPath: dir.file(name)))
    return try SegmentReader(path: dir.file(name))
}

@Suite("Index: merging segments")
struct MergeTests {
    @Test func mergingEqualsBuildingTheSameDocuments() throws {
        let dir = TemporaryDirectory()
        let first = try opened(built(Array(mergeDocuments[0..<2])), in: dir, as: "1.fsg")
        let second = try opened(built(Array(mergeDocuments[2...])), in: dir, as: "2.fsg")
        let merged = try SegmentMerger.merge([SegmentMerger.Input(segment: first), SegmentMerger.Input(segment: second)])
        #expect(merged.bytes == built(mergeDocuments).bytes)
    }

    /// A merge hands the store to the file a block at a time, as the blocks close: the
    /// merged passage texts are never held whole (a merge of a large archive held them all).
    @Test func theStoreGoesToTheFileABlockAtATime() throws {
        struct Writes: SegmentSink {
            var bytes: [UInt8] = []
            var writes: [Range<Int>] = []
            mutating func write(_ bytes: UnsafeRawBufferPointer) {
                writes.append(self.bytes.count..<(self.bytes.count + bytes.count))
                self.bytes.append(contentsOf: bytes)
            }
        }
        let dir = TemporaryDirectory()
        var random = Seeded(11)
        // Words from a large vocabulary, so that the blocks compress little.
        let documents = (0..<40).map { d in
            DocumentInput(path: "\(d).txt", title: "T\(d)", size: 1, modified: 1, contentHash: UInt64(d),
                          passages: (0..<50).map { p in
                              passage(p, (0..<30).map { _ in "w\(random.next(below: 50_000))" }.joined(separator: " "), start: p * 400)
                          })
        }
        let inputs = try [documents[..<20], documents[20...]].enumerated().map { k, part in
            SegmentMerger.Input(segment: try opened(built(Array(part)), in: dir, as: "\(k).fsg"))
        }
        var sink = Writes()
        _ = try SegmentMerger.merge(inputs, into: &sink)
        #expect(sink.bytes == built(documents).bytes)
        try Data(sink.bytes).write(to: URL(fileURLWithPath: dir.file("m.fsg")))
        let store = try SegmentReader(path: dir.file("m.fsg")).storeData
        #expect(store.count > 8 * SegmentFormat.storeBlockTarget, "the store spans many blocks: \(store.count) bytes")
        let storeWrites = sink.writes.filter { store.contains($0.lowerBound) }
        #expect(storeWrites.count > 8 && storeWrites.allSatisfy { $0.count <= 2 * SegmentFormat.storeBlockTarget },
                "\(storeWrites.count) writes, the largest \(storeWrites.map(\.count).max() ?? 0) bytes")
    }

    /// Reading every passage (a merge, a check) keeps none of the inflated blocks, which
    /// searches keep: a merge of eight segments held their caches' 64 MB to the end.
    @Test func aScanOfEveryPassageKeepsNoBlocks() throws {
        let dir = TemporaryDirectory()
        let segment = try opened(built(mergeDocuments), in: dir, as: "s.fsg")
        var passages = 0
        try segment.forEachPassage { _, _ in passages += 1 }
        #expect(passages == 8 && segment.storeBytesKept == 0)
        _ = try segment.passageText(0)
        #expect(segment.storeBytesKept > 0)
    }

    @Test func deletedDocumentsAndTheirTermsArePurged() throws {
        let dir = TemporaryDirectory()
        let all = try opened(built(mergeDocuments), in: dir, as: "all.fsg")
        // b.txt holds the only "only", "in" and "b"; after the merge they are gone.
        let merged = try SegmentMerger.merge([SegmentMerger.Input(segment: all, deleted: [1, 3])])
        #expect(merged.bytes == built([mergeDocuments[0], mergeDocuments[2]]).bytes)
        let reader = try opened(merged, in: dir, as: "merged.fsg")
        #expect(try reader.lookup("only") == nil)
        #expect(try reader.lookup("camp")?.documentFrequency == 2)
    }

    @Test func laterFileTimesAreFoldedIn() throws {
        let dir = TemporaryDirectory()
        let all = try opened(built(mergeDocuments), in: dir, as: "all.fsg")
        let merged = try opened(SegmentMerger.merge([SegmentMerger.Input(segment: all, retimed: [2: 99_000])]), in: dir, as: "m.fsg")
        #expect(try merged.documents.map(\.modified) == [1_000, 2_000, 99_000, 4_000])
    }

    @Test func policyMergesFullLevelsAndPurgesDeletions() {
        let policy = MergePolicy(mergeFactor: 4, floorPassages: 100, maximumDeletedShare: 0.25)
        func segment(_ passages: Int, deleted: Int = 0) -> Manifest.Segment {
            Manifest.Segment(file: "x", bytes: 0, crc32: 0, documents: passages, passages: passages, terms: 0,
                             totalLength: 0, livePassages: passages - deleted)
        }
        #expect(policy.level(livePassages: 100) == 0 && policy.level(livePassages: 101) == 1 && policy.level(livePassages: 400) == 1)
        #expect(policy.nextMerge([segment(5000), segment(10), segment(20), segment(30)]) == nil)
        #expect(policy.nextMerge([segment(5000), segment(10), segment(20), segment(30), segment(40)]) == [1, 2, 3, 4])
        #expect(policy.nextMerge([segment(5000, deleted: 1300), segment(10)]) == [0])
        #expect(policy.nextMerge([segment(5000, deleted: 1000), segment(10)]) == nil)
    }

    /// A level whose merge would write more than the cap keeps its segments; under the cap
    /// it merges, and a segment rewritten alone to purge deletions is never held back.
    @Test func mergesStayWithinTheCap() {
        func segment(_ passages: Int, deleted: Int = 0) -> Manifest.Segment {
            Manifest.Segment(file: "x", bytes: 0, crc32: 0, documents: passages, passages: passages, terms: 0,
                             totalLength: 0, livePassages: passages - deleted)
        }
        let level1 = [segment(300), segment(300), segment(300), segment(300)]
        let policy = MergePolicy(mergeFactor: 4, floorPassages: 100, maximumDeletedShare: 0.25)
        #expect(policy.nextMerge(level1) == [0, 1, 2, 3])
        let capped = policy.within(memoryBudget: 1_199 * SegmentMerger.heldBytesPerPassage)
        #expect(capped.maximumMergedPassages == 1_199)
        #expect(capped.nextMerge(level1) == nil)
        #expect(policy.within(memoryBudget: 1_200 * SegmentMerger.heldBytesPerPassage).nextMerge(level1) == [0, 1, 2, 3])
        // The smaller level under it still merges.
        #expect(capped.nextMerge(level1 + [segment(10), segment(20), segment(30), segment(40)]) == [4, 5, 6, 7])
        #expect(capped.nextMerge([segment(5000, deleted: 1300)]) == [0])
    }

    @Test func segmentCountStaysLogarithmic() throws {
        // Appending 200 one-document segments through the policy, as 200 small updates
        // would, keeps the count within mergeFactor per level.
        let dir = TemporaryDirectory()
        let index = IndexDirectory(path: dir.path)
        let policy = MergePolicy(mergeFactor: 3, floorPassages: 2)
        var reader: IndexReader?
        var most = 0
        for i in 0..<200 {
            let transaction = try index.beginTransaction(after: reader?.manifest)
            var draft = CommitDraft(reader)
            try draft.append(builder([DocumentInput(path: "f\(i).txt", title: "", size: 0, modified: 0, contentHash: 0,
                                                  passages: [passage(0, "word\(i % 7) common")])]), in: transaction)
            try draft.applyMerges(policy, in: transaction)
            try transaction.commit(Manifest(generation: i + 1, scanned: 0, analyzer: .init(signature: "t", parts: [:]),
                                            files: [], segments: draft.entries))
            reader = try index.open()
            most = max(most, draft.entries.count)
        }
        let levels = policy.level(livePassages: 200) + 1
        #expect(most <= 2 * levels + 1, "\(most) segments for \(levels) levels")
        #expect(reader?.passageCount == 200)
        #expect(try reader?.documentFrequency("common") == 200)
        let report = IndexChecker.check(index) { _ in "t" }
        #expect(report.problems.isEmpty && report.documents == 200)
    }
}
