import Foundation
import Testing
@testable import FahrasIndexer

@Suite("Indexer: files processed on worker threads")
struct FileWorkTests {
    /// Twelve small articles, each naming its number, and their files in order.
    func corpus() -> (Corpus, [(SourceFile, UInt64?)]) {
        let corpus = Corpus()
        for i in 0..<12 { corpus.write(String(format: "a%02d.txt", i), "Article \(i) reports shelling near Homs.\n") }
        let files = corpus.names.map { name -> (SourceFile, UInt64?) in
            let path = corpus.folder + "/" + name
            return (SourceFile(path: path, displayPath: name, source: path, format: .text), nil)
        }
        return (corpus, files)
    }

    /// What an outcome says, for comparing: the documents' paths and passage texts.
    func summary(_ outcome: DocumentPipeline.Outcome) -> [String] {
        guard case .indexed(let output) = outcome else { return ["not indexed"] }
        return output.documents.flatMap { [$0.path] + $0.passages.map { String($0.text) } }
    }

    @Test func outcomesComeInFileOrderAsIfEachFileWereProcessedAlone() {
        let (corpus, files) = corpus()
        let pipeline = DocumentPipeline()
        let work = FileWork(files, pipeline: pipeline, workers: 3, ahead: 2)
        defer { work.stop() }
        for i in files.indices {
            #expect(summary(work.outcome(of: i)) == summary(pipeline.process(files[i].0)))
        }
        withExtendedLifetime(corpus) {}
    }

    @Test(.timeLimit(.minutes(1)))
    func stoppingBeforeTheLastFileReturnsOnceTheWorkersAreDone() {
        let (corpus, files) = corpus()
        // A window of 2: the workers wait for the caller after two files ahead.
        let work = FileWork(files, pipeline: DocumentPipeline(), workers: 2, ahead: 2)
        #expect(summary(work.outcome(of: 0)) != ["not indexed"])
        work.stop()
        work.stop()  // (a second stop finds nothing to wait for)
        withExtendedLifetime(corpus) {}
    }
}
