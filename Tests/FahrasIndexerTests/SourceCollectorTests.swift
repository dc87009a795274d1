import Foundation
import Testing
@testable import FahrasIndexer
import FahrasIndex

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
        #expect(warnings.isEmpty && ignored.count == 1 && ignored.first == [corpus.root + "/via/notes.md"])
        // The link to a.html is the same file: read once. The folder link is not followed.
        #expect(files.map(\.path) == [corpus.root + "/via/a.html", corpus.root + "/via/sub/b.txt"])
        for file in files {
            let real = try #require(realpath(file.path, nil))
            defer { free(real) }
            #expect(file.source == String(cString: real))
            #expect(!file.source.contains("/via/"))
        }
    }

    /// Folders are listed on several threads; what they hold comes out as one thread walking
    /// depth first in byte order would give it: files, passed-over names and warnings.
    @Test func aTreeComesOutDepthFirstInNameOrder() throws {
        let corpus = Corpus()
        for name in ["b/z.html", "b/a/deep/x.txt", "b/a/y.html", "a.txt", "a-b/m.html", "c.md", ".hidden/h.html",
                     "b/a/deep/q.md", "b/.h.html", "d1/d2/d3/d4/e.html", "d1/f.htm", "B/upper.txt"] {
            try FileManager.default.createDirectory(atPath: corpus.folder + "/" + (name as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            corpus.write(name, "Deir ez-Zor")
        }
        #expect(mkfifo(corpus.folder + "/b/a/pipe.txt", 0o600) == 0)
        let (files, warnings, ignored) = SourceCollector().collect([corpus.folder])
        #expect(files.map { String($0.path.dropFirst(corpus.folder.count + 1)) }
            == ["B/upper.txt", "a-b/m.html", "a.txt", "b/a/deep/x.txt", "b/a/y.html", "b/z.html", "d1/d2/d3/d4/e.html", "d1/f.htm"])
        #expect(ignored.count == 2 && ignored.first == [corpus.folder + "/b/a/deep/q.md", corpus.folder + "/c.md"])
        #expect(warnings.map(\.path) == [corpus.folder + "/b/a/pipe.txt"])
        let real = try #require(realpath(corpus.folder, nil))
        defer { free(real) }
        for file in files {
            #expect(file.source == String(cString: real) + file.path.dropFirst(corpus.folder.count))
            #expect(file.status?.size == 11)
        }
    }

    /// Byte order holds for names beyond ASCII too, where String's own order (by canonical
    /// equivalence) would put a decomposed `é` (e + U+0301) after `f`, and take it for a
    /// precomposed one; extensions are matched without regard to ASCII case only.
    @Test func namesBeyondASCIIComeOutInByteOrder() throws {
        let corpus = Corpus()
        for name in ["f.html", "\u{E9}.html", "e\u{301}.html", "Z.HTM", "a.TxT", "b.\u{FF28}\u{FF34}\u{FF2D}\u{FF2C}"] {
            corpus.write(name, "Deir ez-Zor")
        }
        let (files, warnings, ignored) = SourceCollector().collect([corpus.folder])
        #expect(warnings.isEmpty)
        #expect(files.map { Array($0.path.dropFirst(corpus.folder.count + 1).utf8) }
            == ["Z.HTM", "a.TxT", "e\u{301}.html", "f.html", "\u{E9}.html"].map { Array($0.utf8) })
        #expect(files.map(\.format) == [.html, .text, .html, .html, .html])
        #expect(ignored.count == 1, "a full-width extension is not html")
    }

    /// A file under two PATHs, or reached through a link first, is read once, where it was
    /// first reached.
    @Test func aFileReachedTwiceIsReadOnceWhereFirstReached() throws {
        let corpus = Corpus()
        corpus.write("a.html", "Deir ez-Zor")
        corpus.write("sub/b.txt", "Abu Kamal")
        try FileManager.default.createSymbolicLink(atPath: corpus.folder + "/0-link.txt", withDestinationPath: corpus.folder + "/sub/b.txt")
        func relative(_ files: [SourceFile]) -> [String] { files.map { String($0.path.dropFirst(corpus.folder.count + 1)) } }
        #expect(relative(SourceCollector().collect([corpus.folder]).files) == ["0-link.txt", "a.html"])
        #expect(relative(SourceCollector().collect([corpus.folder + "/sub", corpus.folder]).files) == ["sub/b.txt", "a.html"])
        #expect(relative(SourceCollector().collect([corpus.folder + "/a.html", corpus.folder + "/sub", corpus.folder + "/a.html"]).files)
            == ["a.html", "sub/b.txt"])
    }
}

@Suite("Indexer: links out of the corpus, names that are not UTF-8")
struct SourceCollectorEdgeTests {
    /// A scraped tree with a link to a file outside it: followed by default, named and passed
    /// over with followsLinksOutside off; a link to a file inside is followed either way.
    @Test func linksOutsideTheFolderCanBeRefused() throws {
        let corpus = Corpus()
        let manager = FileManager.default
        corpus.write("a.html", "<p>Deir ez-Zor</p>")
        corpus.write("sub/b.txt", "Abu Kamal")
        try "root:x:0:0".write(toFile: corpus.root + "/passwd.txt", atomically: true, encoding: .utf8)
        try manager.createSymbolicLink(atPath: corpus.folder + "/secret.txt", withDestinationPath: corpus.root + "/passwd.txt")
        try manager.createSymbolicLink(atPath: corpus.folder + "/sub/inside.txt", withDestinationPath: corpus.folder + "/a.html")
        try manager.createSymbolicLink(atPath: corpus.folder + "/sub/up.txt", withDestinationPath: "../sub/b.txt")

        let followed = SourceCollector().collect([corpus.folder])
        #expect(followed.files.contains { $0.source.hasSuffix("/passwd.txt") } && followed.warnings.isEmpty)

        var careful = SourceCollector()
        careful.followsLinksOutside = false
        let (files, warnings, _) = careful.collect([corpus.folder])
        #expect(!files.contains { $0.source.hasSuffix("/passwd.txt") })
        #expect(Set(files.map { ($0.source as NSString).lastPathComponent }) == ["a.html", "b.txt"], "links inside are followed")
        #expect(warnings.count == 1 && warnings[0].path.hasSuffix("secret.txt") && warnings[0].reason.contains("outside"), "\(warnings)")
        // A file named explicitly is taken whatever it links to.
        #expect(careful.collect([corpus.folder + "/secret.txt"]).files.count == 1)
    }

    /// A loop of links is called a loop, a link to nothing broken.
    @Test func linkLoopsAndBrokenLinksAreToldApart() throws {
        let corpus = Corpus()
        let manager = FileManager.default
        corpus.write("a.txt", "Abu Kamal")
        try manager.createSymbolicLink(atPath: corpus.folder + "/one.txt", withDestinationPath: "two.txt")
        try manager.createSymbolicLink(atPath: corpus.folder + "/two.txt", withDestinationPath: "one.txt")
        try manager.createSymbolicLink(atPath: corpus.folder + "/gone.txt", withDestinationPath: "nothing-here.txt")
        let reasons = Dictionary(uniqueKeysWithValues: SourceCollector().collect([corpus.folder]).warnings.map {
            (($0.path as NSString).lastPathComponent, $0.reason)
        })
        #expect(reasons["one.txt"] == "a loop of symbolic links" && reasons["two.txt"] == "a loop of symbolic links")
        #expect(reasons["gone.txt"]?.hasPrefix("broken symbolic link") == true, "\(reasons)")
    }

    /// A name with a byte that is not UTF-8 is named as such, not as "no such file".
    @Test func namesThatAreNotUTF8AreNamed() throws {
        let corpus = Corpus()
        corpus.write("good.txt", "Abu Kamal")
        var bytes = Array((corpus.folder + "/bad").utf8) + [0xFF] + Array(".txt".utf8) + [0]
        let descriptor = bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
        }
        #expect(descriptor >= 0)
        close(descriptor)
        let (files, warnings, _) = SourceCollector().collect([corpus.folder])
        #expect(files.map { ($0.path as NSString).lastPathComponent } == ["good.txt"])
        #expect(warnings.count == 1 && warnings[0].reason.contains("not UTF-8") && warnings[0].reason.contains("rename"), "\(warnings)")
        let given = SourceCollector().collect([corpus.folder + "/bad\u{FFFD}.txt"])
        #expect(given.warnings.count == 1 && given.warnings[0].reason.contains("not UTF-8"), "\(given.warnings)")
        #expect(SourceCollector().collect([corpus.folder + "/missing.txt"]).warnings[0].reason.contains("UTF-8") == false)
    }
}

@Suite("Indexer: a file is read whole, or passed over with the reason")
struct FileReadingTests {
    @Test func aFileIsReadWholeAndHashed() throws {
        let corpus = Corpus()
        let text = String(repeating: "Fighters entered Deir ez-Zor on Monday, residents said.\n\n", count: 2_000)
        corpus.write("a.txt", text)
        let file = SourceFile(path: corpus.folder + "/a.txt", displayPath: "a.txt", source: corpus.folder + "/a.txt", format: .text)
        guard case .indexed(let output) = DocumentPipeline().process(file) else {
            Issue.record("a.txt was not indexed")
            return
        }
        let expected = Array(text.utf8).withUnsafeBytes { ContentHash.xxh64($0) }
        #expect(output.documents[0].size == UInt64(text.utf8.count) && output.documents[0].contentHash == expected)
    }

    @Test func unreadablePathsSayWhy() {
        let corpus = Corpus()
        func reason(_ name: String) -> String? {
            let path = corpus.folder + "/" + name
            guard case .skipped(let warning) = DocumentPipeline().process(
                SourceFile(path: path, displayPath: name, source: path, format: .text)) else { return nil }
            return warning.reason
        }
        #expect(reason("missing.txt") == "no such file or directory")
        #expect(reason("sub") == "cannot read: is a directory")
    }
}
