import Foundation
import Testing
import FahrasAnalysis
import FahrasIndex
import FahrasIndexer

@Suite("Indexer: memory budget and progress")
struct MemoryBudgetTests {
    /// Twenty articles of seed sentences, written into a fresh corpus.
    func corpus() -> Corpus {
        var random = SplitMix(state: 7)
        let corpus = Corpus()
        for i in 0..<20 {
            let text = (0..<8).map { _ in seedSentences.randomElement(using: &random)! }.joined(separator: " ")
            corpus.write("a\(i).txt", text + "\n")
        }
        return corpus
    }

    @Test func aSmallBudgetWritesSeveralSegmentsThatSearchAsOne() throws {
        let corpus = corpus()
        var indexer = Indexer()
        indexer.batchSize = 4
        let plain = try indexer.update(paths: [corpus.folder], directory: corpus.reference)
        #expect(plain.segmentsWritten == 1)

        var options = IndexingOptions()
        options.memoryBudget = 1  // every batch reaches it
        options.mergePolicy = MergePolicy(mergeFactor: 1_000, floorPassages: 1, maximumDeletedShare: 1)
        let budgeted = try indexer.update(paths: [corpus.folder], directory: corpus.index, options: options)
        #expect(budgeted.segmentsWritten == 5)
        #expect(budgeted.manifest?.segments.count == 5)
        #expect(budgeted.passages == plain.passages)
        #expect(try answers(index: corpus.index) == answers(index: corpus.reference))
        let report = IndexChecker.check(IndexDirectory(path: corpus.index)) { _ in Analyzer.standard.signature }
        #expect(report.problems.isEmpty, "\(report.problems)")
    }

    /// A document past the streaming threshold is analysed passage by passage as the builder
    /// takes it: the segment is the same, byte for byte, as one built from it held whole
    /// (HTML and text files, and JSON Lines records with a title on their first passage).
    @Test func streamedDocumentsWriteTheSameSegment() throws {
        let corpus = corpus()
        corpus.write("page.html", "<html><head><title>Shelling near Deir Ezzor</title></head><body><article><h1>Shelling near Deir Ezzor</h1>"
            + (0..<30).map { "<p>\(seedSentences[$0 % seedSentences.count])</p>" }.joined() + "</article></body></html>")
        corpus.write("export.jsonl", (0..<6).map { #"{"id": "r\#($0)", "title": "Record \#($0) of Raqqa", "text": "\#(seedSentences[$0]) \#(seedSentences[$0 + 1])"}"# }
            .joined(separator: "\n") + "\n")
        _ = try Indexer().update(paths: [corpus.folder], directory: corpus.reference)
        var pipeline = DocumentPipeline()
        pipeline.streamingThreshold = 16
        _ = try Indexer(pipeline: pipeline).update(paths: [corpus.folder], directory: corpus.index)
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.reference).filter { $0.hasSuffix(".fsg") }
        #expect(names.count == 1)
        for name in names {
            let whole = try Data(contentsOf: URL(fileURLWithPath: corpus.reference + "/" + name))
            let streamed = try Data(contentsOf: URL(fileURLWithPath: corpus.index + "/" + name))
            #expect(whole == streamed, "\(name): \(whole.count) and \(streamed.count) bytes")
        }
        #expect(try answers(index: corpus.index) == answers(index: corpus.reference))
    }

    /// The budget caps merges too: a merge holds ``SegmentMerger/heldBytesPerPassage`` a
    /// passage it writes, so a budget of a few bytes merges nothing; without one, the same
    /// policy merges the segments.
    @Test func theBudgetCapsMerges() throws {
        let corpus = corpus()
        var indexer = Indexer()
        indexer.batchSize = 4
        var options = IndexingOptions()
        options.memoryBudget = 1
        options.mergePolicy = MergePolicy(mergeFactor: 2, floorPassages: 1)
        let budgeted = try indexer.update(paths: [corpus.folder], directory: corpus.index, options: options)
        #expect(budgeted.segmentsWritten == 5 && budgeted.merges == 0 && budgeted.manifest?.segments.count == 5)
        corpus.write("late.txt", seedSentences[0] + "\n")
        options.memoryBudget = nil
        let free = try indexer.update(paths: [corpus.folder], directory: corpus.index, options: options)
        #expect(free.merges > 0 && (free.manifest?.segments.count ?? 0) < 6, "\(free.merges) merges")
        _ = try indexer.update(paths: [corpus.folder], directory: corpus.reference)
        #expect(try answers(index: corpus.index) == answers(index: corpus.reference))
    }

    @Test func noBudgetMeansOneSegment() throws {
        let corpus = corpus()
        var indexer = Indexer()
        indexer.batchSize = 4
        var options = IndexingOptions()
        options.memoryBudget = 1 << 30
        let summary = try indexer.update(paths: [corpus.folder], directory: corpus.index, options: options)
        #expect(summary.segmentsWritten == 1)
        #expect(summary.manifest?.segments.count == 1)
    }

    @Test func progressCountsEveryFileAndByteOnce() throws {
        let corpus = corpus()
        var indexer = Indexer()
        indexer.batchSize = 6
        let seen = Reports()
        var options = IndexingOptions()
        options.progress = { seen.add($0) }
        _ = try indexer.update(paths: [corpus.folder], directory: corpus.index, options: options)
        let reports = seen.all
        let bytes = try corpus.names.reduce(UInt64(0)) { total, name in
            total + UInt64((try FileManager.default.attributesOfItem(atPath: corpus.folder + "/" + name)[.size] as? Int) ?? 0)
        }
        #expect(reports.map(\.filesDone) == [6, 12, 18, 20])
        #expect(reports.allSatisfy { $0.filesTotal == 20 && $0.bytesTotal == bytes })
        #expect(reports.last?.bytesDone == bytes)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.bytesDone < $1.bytesDone && $0.seconds <= $1.seconds })
        #expect((reports.last?.secondsLeft ?? 0) == 0)
    }

    @Test func rateAndTimeLeftFollowTheBytesRead() {
        let progress = IndexingProgress(filesDone: 10, filesTotal: 40, bytesDone: 25_000_000, bytesTotal: 100_000_000, seconds: 2)
        #expect(progress.bytesPerSecond == 12_500_000)
        #expect(progress.secondsLeft == 6)
        #expect(IndexingProgress(filesDone: 0, filesTotal: 4, bytesDone: 0, bytesTotal: 10, seconds: 0).secondsLeft == nil)
    }
}

/// Progress reports collected from the indexer's callback.
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [IndexingProgress] = []
    func add(_ report: IndexingProgress) { lock.lock(); reports.append(report); lock.unlock() }
    var all: [IndexingProgress] { lock.lock(); defer { lock.unlock() }; return reports }
}
