import Foundation
import Testing
@testable import FahrasIndexer

@Suite("Indexer: which files a run reads, by their real paths")
struct SourceCollectorTests {
    /// A folder reached through a link, a link to a file beside it, a link to a folder, a
    /// nested folder: each file once, under the real path the system gives it.
    @Test func filesAreKnownByTheirRealPaths() throws {
        let corpus = Corpus()
        let manager = FileManager.default
        corpus.write("a.html", "<p>Deir ez-Zor</p>")
        corpus.write("sub/b.txt", "Abu Kamal")
        corpus.write("notes.md", "ignored for its extension")
        try manager.createSymbolicLink(atPath: corpus.folder + "/link-to-a.html", withDestinationPath: corpus.folder + "/a.html")
        try manager.createSymbolicLink(atPath: corpus.folder + "/sub-link", withDestinationPath: corpus.folder + "/sub")
        try manager.createSymbolicLink(atPath: corpus.root + "/via", withDestinationPath: corpus.folder)

        let (files, warnings, ignored) = SourceCollector().collect([corpus.root + "/via"])
        #expect(warnings.isEmpty && ignored == 1)
        // The link to a.html is the same file: read once. The folder link is not followed.
        #expect(files.map(\.path) == [corpus.root + "/via/a.html", corpus.root + "/via/sub/b.txt"])
        for file in files {
            let real = try #require(realpath(file.path, nil))
            defer { free(real) }
            #expect(file.source == String(cString: real))
            #expect(!file.source.contains("/via/"))
        }
    }
}
