import Foundation
import Testing
import FahrasAnalysis
@testable import FahrasExport
import FahrasIndex
import FahrasIndexer
import FahrasJSONCore
import FahrasSearch

/// A folder of articles and an index of them, removed when the value goes away.
final class ExportFixture {
    let root = NSTemporaryDirectory() + "fahras-export-test-" + UUID().uuidString
    var articles: String { root + "/articles" }
    var index: String { root + "/Index" }

    /// The seeds, an Arabic article, and a JSON Lines export with dates, outlets and authors.
    init() throws {
        try FileManager.default.createDirectory(atPath: articles, withIntermediateDirectories: true)
        let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("seeds").path
        for name in try FileManager.default.contentsOfDirectory(atPath: seeds) {
            try FileManager.default.copyItem(atPath: seeds + "/" + name, toPath: articles + "/" + name)
        }
        write("arabic.txt", "اشتباكات في دير الزور\n\nقال مقاتلون في دير الزور إن تنظيم داعش هاجم مواقع قرب الرقة والبوكمال يوم الثلاثاء.\n")
        write("records.jsonl", """
            {"id": "r1", "title": "Convoy reaches Dayr al-Zawr", "text": "An aid convoy reached Dayr al-Zawr on Monday after ISIS withdrew from the road.", "date": "2017-09-10", "site": "SANA", "url": "https://www.sana.sy/en/1", "author": "Staff Writer", "lang": "en"}
            {"id": "r2", "title": "Fighting near al-Tanf", "text": "Daesh fighters attacked positions near al-Tanf, the US-backed group said in a statement.", "date": "2018-01-02", "site": "Enab Baladi", "url": "https://english.enabbaladi.net/2", "lang": "en"}
            {"id": "r3", "title": "بيان", "text": "هاجم تنظيم داعش مواقع في دير الزور.", "date": "2016-05-01", "site": "Enab Baladi", "url": "https://www.enabbaladi.net/3", "lang": "ar"}
            {"id": "r4", "title": "Late news", "text": "The last record of the export names a quagga."}
            {"id": "r5", "title": "Two rivers", "text": "Barges on the Mosel carried wine while fighters still held Mosul in the north."}

            """)
        _ = try Indexer().update(paths: [articles], directory: index, options: IndexingOptions())
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ name: String, _ text: String) {
        precondition(FileManager.default.createFile(atPath: articles + "/" + name, contents: Data(text.utf8)), "cannot write \(name)")
    }

    func searcher() throws -> Searcher {
        Searcher(reader: try IndexDirectory(path: index).open(analyzer: Analyzer.standard.signature), analyzer: .standard)
    }

    /// The passage documents of an export's bulk files, in order, with their action lines.
    static func bulkDocuments(in folder: String) throws -> [(action: [String: Any], source: [String: Any])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("bulk-") }.sorted()
        var out: [(action: [String: Any], source: [String: Any])] = []
        for name in names {
            let lines = try String(contentsOfFile: folder + "/" + name, encoding: .utf8).split(separator: "\n")
            #expect(lines.count % 2 == 0, "\(name): an action line and a source line a passage")
            for k in stride(from: 0, to: lines.count, by: 2) {
                let action = try JSONSerialization.jsonObject(with: Data(lines[k].utf8)) as! [String: Any]
                let source = try JSONSerialization.jsonObject(with: Data(lines[k + 1].utf8)) as! [String: Any]
                out.append((action, source))
            }
        }
        return out
    }
}

@Suite("Export: OpenSearch bulk files and mapping")
struct OpenSearchExportTests {
    /// Every passage's `tokens`, read back as OpenSearch's analyzer reads them (entries at
    /// spaces are positions, terms at the separator are stacked), holds exactly the terms and
    /// positions of the index's postings for that passage, title terms aside.
    @Test func tokensAreThePostingsOfEachPassage() throws {
        let fixture = try ExportFixture()
        let searcher = try fixture.searcher()
        let out = fixture.root + "/out"
        let summary = try OpenSearchExport(searcher: searcher).write(to: out)
        let documents = try ExportFixture.bulkDocuments(in: out)
        #expect(summary.passages == documents.count && summary.passages == searcher.reader.passageCount)

        var exported: [String: Set<String>] = [:]
        for (action, source) in documents {
            let key = "\(source["doc"] as! String)#\(source["passage"] as! Int)"
            #expect((action["index"] as? [String: Any])?["_id"] as? String == key)
            var terms = Set<String>()
            for (position, entry) in (source["tokens"] as! String).split(separator: " ").enumerated() {
                for term in entry.split(separator: Character(OpenSearchMapping.stackSeparator)) { terms.insert("\(term)@\(position)") }
            }
            exported[key] = terms
            let words = (source["words"] as! String).split(separator: " ")
            #expect(words.count == (source["tokens"] as! String).split(separator: " ").count, "one word a position: \(key)")
        }

        var indexed: [String: Set<String>] = [:]
        for segment in searcher.reader.segments {
            let records = try segment.documents
            for (term, info) in try segment.terms(withPrefix: "") where !term.hasPrefix(Analyzer.titlePrefix) {
                var cursor = try segment.postings(info)
                var positions: [Int32] = []
                while cursor.next() {
                    let document = records[segment.documentNumber(ofPassage: cursor.passage)]
                    let key = "\(document.path)#\(cursor.passage - document.firstPassage)"
                    cursor.positions(into: &positions)
                    for position in positions { indexed[key, default: []].insert("\(term)@\(position)") }
                }
            }
        }
        #expect(indexed.count > 60)
        #expect(exported == indexed)
        // Stacks hold names, entities and Arabic keys, not only words.
        let all = exported.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        for prefix in [NameTerms.namePrefix, NameTerms.skeletonPrefix, NameTerms.arabicSkeletonPrefix, NameTerms.entityPrefix] {
            #expect(all.contains { $0.hasPrefix(prefix) }, "\(prefix)")
        }
    }

    @Test func fieldsComeFromTheSchema() throws {
        let fixture = try ExportFixture()
        let out = fixture.root + "/out"
        _ = try OpenSearchExport(searcher: try fixture.searcher()).write(to: out)
        let documents = try ExportFixture.bulkDocuments(in: out)
        let r1 = try #require(documents.first { $0.source["doc"] as? String == "r1" }?.source)
        #expect(r1["date"] as? String == "2017-09-10")
        #expect(r1["site"] as? String == "SANA")
        #expect(r1["host"] as? String == "sana.sy")
        #expect(r1["author"] as? String == "Staff Writer")
        #expect(r1["language"] as? String == "en")
        #expect(r1["url"] as? String == "https://www.sana.sy/en/1")
        #expect(r1["title_tokens"] as? String == "convoy reaches dayr al zawr")
        #expect((r1["content_hash"] as? String)?.count == 16 && (r1["fingerprint"] as? String)?.count == 16)
        // A field without a value is left out, not written as null.
        let r2 = try #require(documents.first { $0.source["doc"] as? String == "r2" }?.source)
        #expect(r2["author"] == nil)
        // Every field written is one the mapping declares (its dynamic mapping is strict).
        let mapping = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/mapping.json"))) as! [String: Any]
        let properties = ((mapping["template"] as! [String: Any])["mappings"] as! [String: Any])["properties"] as! [String: Any]
        for (_, source) in documents { #expect(Set(source.keys).isSubset(of: Set(properties.keys)), "\(source.keys)") }
        for field in Schema.fields { #expect(properties[field.name] != nil, "\(field.name)") }
    }

    @Test func stacksKeepPositions() throws {
        let tokens = [
            Token(term: "al", start: 0, end: 2, position: 0), Token(term: "tanf", start: 3, end: 7, position: 1),
            Token(term: "altanf", start: 0, end: 7, position: 0, isVariant: true),
            Token(term: "@al-tanf", start: 0, end: 7, position: 1, isVariant: true, kind: .entity),
            Token(term: "said", start: 8, end: 12, position: 3),
        ]
        let layout = try OpenSearchExport.layout(tokens, document: "d", passage: 0)
        let s = OpenSearchMapping.stackSeparator
        #expect(layout.tokens == "al\(s)altanf tanf\(s)@al-tanf \(s) said")
        #expect(layout.words == "al tanf \(s) said")
        #expect(try OpenSearchExport.layout([], document: "d", passage: 0) == ("", ""))
    }

    @Test func aTermOpenSearchWouldSplitIsAnError() {
        for term in ["two words", "a\u{1}b", "tab\there", "nbsp\u{A0}x"] {
            #expect(throws: ExportError.self) {
                _ = try OpenSearchExport.layout([Token(term: term, start: 0, end: 1, position: 0)], document: "d", passage: 3)
            }
        }
        #expect((try? OpenSearchExport.layout([Token(term: "~DVYr|dayr", start: 0, end: 1, position: 0)], document: "d", passage: 0)) != nil)
    }

    @Test func aLongIDIsHashed() {
        #expect(OpenSearchExport.documentID("a/b.txt", passage: 2) == "a/b.txt#2")
        let long = String(repeating: "x", count: 600)
        let id = OpenSearchExport.documentID(long, passage: 7)
        #expect(id.hasPrefix("xxh64:") && id.hasSuffix("#7") && id.utf8.count < 512)
        #expect(id != OpenSearchExport.documentID(long + "y", passage: 7))
    }

    /// The destination holds a whole export or nothing, and nothing of the user's is replaced.
    @Test func destinationIsNewOrEmptyAndWhole() throws {
        let fixture = try ExportFixture()
        let searcher = try fixture.searcher()
        var export = OpenSearchExport(searcher: searcher)
        export.bulkBytes = 4096  // several files
        let out = fixture.root + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        let summary = try export.write(to: out)  // an empty folder is taken
        #expect(summary.bulkFiles > 3)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == (1...summary.bulkFiles).map { String(format: "bulk-%04d.ndjson", $0) } + ["mapping.json"])
        #expect(try ExportFixture.bulkDocuments(in: out).count == summary.passages)

        #expect(throws: ExportError.self) { _ = try export.write(to: out) }  // not empty
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == files)
        #expect(FileManager.default.createFile(atPath: fixture.root + "/file", contents: Data("mine".utf8)))
        #expect(throws: ExportError.self) { _ = try export.write(to: fixture.root + "/file") }
        #expect(try String(contentsOfFile: fixture.root + "/file", encoding: .utf8) == "mine")
        // No staging folder is left behind, after a success or a refusal.
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.root).filter { $0.contains(".export-") }.isEmpty)
    }

    /// A failure half-way (a term in the last document that OpenSearch would split, made by
    /// an analyzer of the test's) leaves no destination and no staging folder.
    @Test func aFailedExportLeavesNothing() throws {
        struct Splitting: TokenFilter {
            func filter(_ tokens: [Token]) -> [Token] {
                tokens.map { var token = $0; if token.term == "quagga" { token.term = "qua gga" }; return token }
            }
        }
        let fixture = try ExportFixture()
        var searcher = try fixture.searcher()
        searcher.analyzer = Analyzer(tokenizer: Tokenizer(), filters: Analyzer.wordChain.filters + [Splitting()])
        var export = OpenSearchExport(searcher: searcher)
        export.bulkBytes = 4096
        let out = fixture.root + "/out"
        #expect(OpenSearchExport.stagingPath(for: out + "/") == fixture.root + "/.out.export-\(getpid())")
        #expect(throws: ExportError.self) { _ = try export.write(to: out) }
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.root).sorted() == ["Index", "articles"])
        // Without the splitting filter the same export succeeds, in several files.
        searcher.analyzer = .standard
        export.searcher = searcher
        #expect(try export.write(to: out).bulkFiles > 3)
    }
}
