import Foundation
import Testing
import FahrasIndex
import FahrasIndexer

@Suite("Indexer: files that cannot be indexed are remembered, not read on every run")
struct SkippedFilesTests {
    private let article = "Shelling resumed near Deir Ezzor on Saturday, residents said, after a week of calm in the province."

    private func skippedSources(_ corpus: Corpus) throws -> [String] {
        (try IndexDirectory(path: corpus.index).readManifest()?.skipped ?? []).map { ($0.source as NSString).lastPathComponent }
    }

    @Test func anUnchangedSkippedFileIsNamedAgainWithoutACommit() throws {
        let corpus = Corpus()
        corpus.write("a.txt", article)
        corpus.write("empty.txt", "")
        corpus.setTime("empty.txt", seconds: 1_600_000_000)
        let first = try Indexer().update(paths: [corpus.folder], directory: corpus.index)
        #expect(first.warnings.map { ($0.path as NSString).lastPathComponent } == ["empty.txt"])
        #expect(try skippedSources(corpus) == ["empty.txt"])
        let second = try Indexer().update(paths: [], directory: corpus.index)
        #expect(!second.committed, "nothing changed: nothing written")
        #expect(second.warnings.map(\.reason) == first.warnings.map(\.reason), "the same warning, from the manifest")
        #expect(second.unchanged == 1 && second.added == 0)
    }

    @Test func aChangedSkippedFileIsReadAgain() throws {
        let corpus = Corpus()
        corpus.write("a.txt", article)
        corpus.write("b.txt", "")
        corpus.setTime("b.txt", seconds: 1_600_000_000)
        _ = try Indexer().update(paths: [corpus.folder], directory: corpus.index)
        corpus.write("b.txt", "A convoy reached Dayr al-Zawr on Friday carrying flour and medicine for the winter.")
        let run = try Indexer().update(paths: [], directory: corpus.index)
        #expect(run.added == 1 && run.warnings.isEmpty)
        #expect(try skippedSources(corpus).isEmpty)
    }

    /// A file given the same size and modification time back (as a restore from a backup
    /// does) still has a new status-change time: it is read again.
    @Test func theStatusChangeTimeCountsToo() throws {
        let corpus = Corpus()
        corpus.write("a.txt", article)
        let blank = String(repeating: " ", count: 40)
        let text = "Aid reached Manbij by road on Monday."
        corpus.write("c.txt", blank)
        corpus.setTime("c.txt", seconds: 1_600_000_000)
        _ = try Indexer().update(paths: [corpus.folder], directory: corpus.index)
        #expect(try skippedSources(corpus) == ["c.txt"])
        corpus.write("c.txt", text + String(repeating: " ", count: blank.utf8.count - text.utf8.count))
        corpus.setTime("c.txt", seconds: 1_600_000_000)
        let run = try Indexer().update(paths: [], directory: corpus.index)
        #expect(run.added == 1, "read again: \(run.warnings)")
    }

    @Test func aRemovedSourceForgetsItsSkippedFilesAndARebuildReadsThemAgain() throws {
        let corpus = Corpus()
        corpus.write("a.txt", article)
        let other = corpus.root + "/other"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: other + "/empty.txt", contents: Data()))
        _ = try Indexer().update(paths: [corpus.folder, other], directory: corpus.index)
        #expect(try skippedSources(corpus) == ["empty.txt"])
        let rebuilt = try Indexer().update(paths: [], directory: corpus.index, options: IndexingOptions(rebuild: true))
        #expect(rebuilt.warnings.count == 1 && rebuilt.committed)
        #expect(try skippedSources(corpus) == ["empty.txt"])
        _ = try Indexer().remove(paths: [other], directory: corpus.index)
        #expect(try skippedSources(corpus).isEmpty)
        #expect(try IndexDirectory(path: corpus.index).readManifest()?.statistics.documents == 1)
    }
}
