import Foundation
import Testing
import FahrasAnalysis
import FahrasIndex
@testable import FahrasIndexer
import FahrasSearch

/// A FIFO (or device) where a file was must be a warning or an error at once: opening one
/// for reading blocks until a writer comes, with the index's lock held.
@Suite("Indexer: FIFOs never hang a run or a search")
struct FIFOTests {
    @Test func aFIFOToReadIsSkippedWithAWarning() throws {
        let corpus = Corpus()
        let path = corpus.folder + "/pipe.txt"
        #expect(mkfifo(path, 0o644) == 0)
        let file = SourceFile(path: path, displayPath: "pipe.txt", source: path, format: .text)
        guard case .skipped(let warning) = DocumentPipeline().process(file) else {
            Issue.record("a FIFO was read")
            return
        }
        #expect(warning.reason == "not a regular file (a FIFO, device or socket)")
    }

    @Test func aSourceReplacedByAFIFOIsAnErrorForExternalTexts() throws {
        let corpus = Corpus()
        corpus.write("a.txt", "Shelling resumed near Dayr al-Zawr on Sunday, residents of the villages said.\n")
        let index = corpus.index
        var options = IndexingOptions()
        options.externalText = true
        _ = try Indexer().update(paths: [corpus.folder + "/a.txt"], directory: index, options: options)
        let reader = try IndexDirectory(path: index).open(analyzer: Analyzer.standard.signature)
        let document = try #require(try reader.liveDocuments().first?.document)
        try FileManager.default.removeItem(atPath: corpus.folder + "/a.txt")
        #expect(mkfifo(corpus.folder + "/a.txt", 0o644) == 0)
        #expect(throws: SourceTextError.unreadable(path: document.source, reason: "it is not a regular file")) {
            try SourceText().text(of: document)
        }
    }
}

@Suite("Indexer: a file is read to the size limit, not past it")
struct GrowingFileTests {
    /// A file that reports one size and holds more (it grew after the open; /proc's files
    /// report 0 bytes and hold a page) is read only to the limit, then passed over.
    @Test func readingStopsAtTheLimit() {
        var pipeline = DocumentPipeline()
        pipeline.maximumFileSize = 100
        let file = SourceFile(path: "/proc/self/status", displayPath: "status", source: "/proc/self/status", format: .text)
        guard case .skipped(let warning) = pipeline.process(file) else {
            Issue.record("read past the limit")
            return
        }
        #expect(warning.reason == "grew past 100 bytes while it was read")
    }
}
