import Foundation
import Testing
import FahrasAnalysis
import FahrasIndex
import FahrasIndexer
import FahrasSearch

@Suite("Indexer: passage texts read again from the sources (--text external)")
struct ExternalTextTests {
    /// Text articles, an HTML page and a JSON Lines export of seed sentences.
    func corpus() -> Corpus {
        var random = SplitMix(state: 11)
        let corpus = Corpus()
        func sentences(_ n: Int) -> String { (0..<n).map { _ in seedSentences.randomElement(using: &random)! }.joined(separator: " ") }
        for i in 0..<12 { corpus.write("a\(i).txt", sentences(6) + "\n\n" + sentences(4) + "\n") }
        corpus.write("page.html", "<html><head><title>Page</title></head><body><nav>Home | About</nav><p>"
            + sentences(5) + "</p><p>A quokka was seen near Dayr al-Zawr &amp; Palmyra on Tuesday, residents of the town said.</p></body></html>")
        var lines = ""
        for i in 0..<30 {
            let text = sentences(3).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            lines += "{\"id\": \"r\(i)\", \"title\": \"Record \(i)\", \"text\": \"A wombat \(i). \(text)\"}\n"
        }
        corpus.write("export.jsonl", lines)
        return corpus
    }

    func searcher(_ index: String, readingSources: Bool = true) throws -> Searcher {
        var searcher = Searcher(reader: try IndexDirectory(path: index).open(analyzer: Analyzer.standard.signature), analyzer: .standard)
        if readingSources {
            let source = SourceText()
            searcher.sourceText = { document throws(SearchError) in
                do { return try source.text(of: document) } catch { throw .sourceText(reason: String(describing: error)) }
            }
        }
        return searcher
    }

    func shown(_ searcher: Searcher, _ query: String) throws -> [String] {
        try searcher.search(query, limit: 50).hits.map { "\($0.document)#\($0.ordinal) \($0.range) \($0.highlights) \($0.text)" }
    }

    func index(_ corpus: Corpus, into directory: String, external: Bool?) throws -> IndexingSummary {
        var options = IndexingOptions()
        options.externalText = external
        return try Indexer().update(paths: [corpus.folder], directory: directory, options: options)
    }

    @Test func hitsShowTheTextsAStoredIndexShows() throws {
        let corpus = corpus()
        _ = try index(corpus, into: corpus.reference, external: false)
        let summary = try index(corpus, into: corpus.index, external: true)
        #expect(summary.manifest?.keepsTextsExternal == true)
        let stored = try searcher(corpus.reference)
        let external = try searcher(corpus.index)
        var shownHits = 0
        for query in fixedQueries + ["wombat", "quokka", "Dayr al-Zawr"] {
            let expected = try shown(stored, query)
            #expect(try shown(external, query) == expected, "\(query)")
            shownHits += expected.count
        }
        #expect(shownHits > 100)
        // The HTML page and the JSON Lines records are among what was shown.
        #expect(try shown(external, "quokka").contains { $0.contains("page.html#") && $0.contains("Dayr al-Zawr & Palmyra") })
        #expect(try shown(external, "wombat").count == 30)
        let size = { (dir: String) in try IndexDirectory(path: dir).open().segments.reduce(UInt64(0)) { $0 + $1.fileSize } }
        #expect(try size(corpus.index) < size(corpus.reference))
        let report = IndexChecker.check(IndexDirectory(path: corpus.index)) { _ in Analyzer.standard.signature }
        #expect(report.problems.isEmpty, "\(report.problems)")
    }

    @Test func aChangedSourceIsAnErrorNotOtherText() throws {
        let corpus = corpus()
        _ = try index(corpus, into: corpus.index, external: true)
        let query = "wombat"
        let before = try shown(try searcher(corpus.index), query)
        #expect(!before.isEmpty)

        // Touched, same bytes: still shown, the same.
        corpus.setTime("export.jsonl", seconds: 1_700_000_000)
        #expect(try shown(try searcher(corpus.index), query) == before)

        // Records moved down by a line: the offsets no longer hold them.
        let export = corpus.read("export.jsonl")
        corpus.write("export.jsonl", "{\"id\": \"new\", \"text\": \"x\"}\n" + export)
        #expect {
            try shown(try searcher(corpus.index), query)
        } throws: { error in
            guard case .sourceText(let reason) = error as? SearchError else { return false }
            return reason.contains("export.jsonl") && reason.contains("fahras index")
        }

        // A text file changed in place, same size.
        let hit = try searcher(corpus.index).search("army -wombat", limit: 1, fetchText: false).hits[0].document
        let name = String(hit.split(separator: "/").last!)
        let text = corpus.read(name)
        corpus.write(name, String(text.reversed()))
        #expect(throws: SearchError.self) { try searcher(corpus.index).search("army -wombat", limit: 1) }

        // After `fahras index`, everything shows again.
        _ = try index(corpus, into: corpus.index, external: nil)
        #expect(try shown(try searcher(corpus.index), query).count > 0)
        #expect(try searcher(corpus.index).search("army", limit: 5).hits.count > 0)
    }

    @Test func switchingWhereTextsAreKeptRebuildsAndIsRemembered() throws {
        let corpus = corpus()
        let first = try index(corpus, into: corpus.index, external: nil)
        #expect(first.manifest?.keepsTextsExternal == false)
        let switched = try index(corpus, into: corpus.index, external: true)
        #expect(switched.rebuildReason?.contains("--text external") == true)
        #expect(switched.fresh)
        corpus.write("new.txt", seedSentences[3] + "\n")
        let kept = try index(corpus, into: corpus.index, external: nil)
        #expect(kept.rebuildReason == nil)
        #expect(kept.added == 1)
        #expect(kept.manifest?.keepsTextsExternal == true)
        #expect(try IndexDirectory(path: corpus.index).open().segments.allSatisfy(\.textIsExternal))
        let back = try index(corpus, into: corpus.index, external: false)
        #expect(back.rebuildReason?.contains("--text stored") == true)
        #expect(try IndexDirectory(path: corpus.index).open().segments.allSatisfy { !$0.textIsExternal })
    }

    @Test func withoutAWayToReadSourcesTheSearchSaysSo() throws {
        let corpus = corpus()
        _ = try index(corpus, into: corpus.index, external: true)
        let searcher = try searcher(corpus.index, readingSources: false)
        #expect(try searcher.search("army", limit: 3, fetchText: false).hits.count == 3)
        #expect {
            try searcher.search("army", limit: 3)
        } throws: { error in
            guard case .textNotStored = error as? SearchError else { return false }
            return (error as! SearchError).description.contains("--text stored")
        }
    }

    /// Texts are read again as the index was built: with the captions it kept; and not at all
    /// by a build whose extraction rules differ, since the passage offsets would point into
    /// other text.
    @Test func sourcesAreReadWithTheExtractionTheIndexRecords() throws {
        let corpus = corpus()
        corpus.write("figure.html", "<html><body><p>The convoy reached Deir Ezzor on Monday, officials said today.</p>"
            + "<figure><img src=x.jpg><figcaption>A kangaroo crossing the bridge at dawn</figcaption></figure></body></html>")
        var options = IndexingOptions()
        options.externalText = true
        options.keepCaptions = true
        _ = try Indexer().update(paths: [corpus.folder], directory: corpus.index, options: options)
        let reader = try IndexDirectory(path: corpus.index).open(analyzer: Analyzer.standard.signature)
        let document = try #require(try reader.liveDocuments().first { $0.document.source.hasSuffix("figure.html") }).document
        #expect(try SourceText(for: reader.manifest).text(of: document).contains("kangaroo"))
        #expect(try !SourceText().text(of: document).contains("kangaroo"), "the default drops captions")

        var other = reader.manifest
        other.analyzer.parts["extraction"] = "extract-1-0123456789abcdef+captions"
        #expect(throws: SourceTextError.extractionChanged(built: "extract-1-0123456789abcdef+captions",
                                                          now: reader.manifest.analyzer.parts["extraction"]!)) {
            try SourceText(for: other).text(of: document)
        }
        other.externalText = nil
        #expect(try SourceText(for: other).text(of: document).contains("kangaroo"), "an index that stores texts never reads them")
    }
}
