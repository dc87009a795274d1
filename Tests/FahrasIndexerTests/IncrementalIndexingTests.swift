import Foundation
import Testing
import FahrasAnalysis
import FahrasIndex
import FahrasIndexer
import FahrasSearch

/// A small deterministic random generator (SplitMix64), so a failure replays exactly.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A folder of article files that a test changes step by step.
final class Corpus {
    let root = NSTemporaryDirectory() + "fahras-indexer-test-" + UUID().uuidString
    var folder: String { root + "/articles" }
    var index: String { root + "/Index" }
    var reference: String { root + "/Reference" }

    init() { try? FileManager.default.createDirectory(atPath: root + "/articles/sub", withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ name: String, _ text: String) {
        #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(text.utf8)))
    }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""
    }

    /// Sets a file's modification time (seconds since 1970, with nanoseconds).
    func setTime(_ name: String, seconds: Int, nanoseconds: Int = 0) {
        var times = [timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds)]
        _ = utimensat(AT_FDCWD, folder + "/" + name, &times, 0)
    }

    /// The files of the corpus, relative names.
    var names: [String] {
        let top = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let sub = ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/sub")) ?? []).map { "sub/" + $0 }
        return (top + sub).filter { $0.hasSuffix(".txt") || $0.hasSuffix(".html") }.sorted()
    }
}

/// Sentences of the bundled seeds, to write articles with real names and spellings in.
let seedSentences: [String] = {
    let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("seeds").path
    var sentences: [String] = []
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: seeds)) ?? []).sorted() {
        let text = (try? String(contentsOfFile: seeds + "/" + name, encoding: .utf8)) ?? ""
        for sentence in text.components(separatedBy: .newlines).flatMap({ $0.components(separatedBy: ". ") })
        where sentence.count > 20 && sentence.count < 400 {
            sentences.append(sentence.trimmingCharacters(in: .whitespacesAndNewlines) + ".")
        }
    }
    return sentences
}()

/// Every hit of every query, as a full rebuild and an updated index must both give them;
/// with collapsing, each hit's copies, and the facets of every field.
struct Answer: Equatable, CustomStringConvertible {
    var total: Int
    var hits: [(document: String, ordinal: Int, score: Double)]
    var copies: [[String]] = []
    var facets: [Facet] = []
    var fields: [String] = []

    static func == (a: Answer, b: Answer) -> Bool {
        a.total == b.total && a.hits.count == b.hits.count && zip(a.hits, b.hits).allSatisfy {
            $0.document == $1.document && $0.ordinal == $1.ordinal && abs($0.score - $1.score) <= 1e-9
        } && a.copies == b.copies && a.facets == b.facets && a.fields == b.fields
    }

    var description: String {
        "total \(total): " + hits.prefix(5).map { "\($0.document)#\($0.ordinal) \($0.score)" }.joined(separator: ", ")
            + " copies \(copies.prefix(3)) facets \(facets.map { "\($0.field): \($0.values.prefix(3).map { "\($0.value) \($0.passages)/\($0.documents)" })" })"
    }
}

let fixedQueries = [
    "army", "Palmyra", "desert", "\"Deir Ezzor\"", "Dayr al-Zawr", "actor:ISIS", "actor:\"Abu Kamal\"",
    "US forces", "\"Syrian Arab Army\"", "Homs", "al-Tanf", "Hezbollah militia", "T4", "oil fields",
]

func answers(index: String) throws -> [Answer] {
    let reader = try IndexDirectory(path: index).open(analyzer: Analyzer.standard.signature)
    let searcher = Searcher(reader: reader, analyzer: .standard)
    return try fixedQueries.map { query in
        let results = try searcher.search(query, limit: 100_000, fetchText: false)
        var answer = Answer(total: results.total, hits: results.hits.map { ($0.document, $0.ordinal, $0.score) })
        var options = SearchOptions(limit: 20, facets: Facets.fields, collapse: true)
        options.fetchText = false
        let collapsed = try searcher.search(try QueryParser(analyzer: .standard).parse(query), options: options)
        answer.copies = collapsed.hits.map { ["\($0.document)#\($0.ordinal)"] + $0.copies.map { "\($0.document)#\($0.ordinal) \($0.date ?? "-")" } }
        answer.facets = collapsed.facets
        // The fields of every hit's document, as `show` gives them.
        answer.fields = try collapsed.hits.map { hit in
            try searcher.show(hit.document, passage: hit.ordinal).fields.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        }
        return answer
    }
}

@Suite("Indexer: incremental updates equal full rebuilds")
struct IncrementalIndexingTests {
    /// Merges often, so that a few hundred steps go through many merges and purges.
    let eagerMerges = MergePolicy(mergeFactor: 3, floorPassages: 8, maximumDeletedShare: 0.3)

    func article(_ random: inout SplitMix) -> String {
        let paragraphs = Int.random(in: 1...6, using: &random)
        return (0..<paragraphs).map { _ in
            (0..<Int.random(in: 1...5, using: &random)).map { _ in seedSentences.randomElement(using: &random)! }
                .joined(separator: " ")
        }.joined(separator: "\n\n") + "\n"
    }

    /// A web page of an outlet, with a date, a site and a language for fields and facets.
    func page(_ random: inout SplitMix, text: String? = nil) -> String {
        let site = ["sana.sy", "enabbaladi.net", "syriadirect.org"].randomElement(using: &random)!
        let date = "201\(Int.random(in: 5...8, using: &random))-0\(Int.random(in: 1...9, using: &random))-1\(Int.random(in: 0...9, using: &random))"
        let body = (text ?? article(&random)).components(separatedBy: "\n\n").map { "<p>\($0)</p>" }.joined()
        return "<html lang=\"\(Bool.random(using: &random) ? "en" : "en-GB")\"><head><title>Story</title>"
            + "<meta property=\"article:published_time\" content=\"\(date)T10:00:00Z\"><meta property=\"og:site_name\" content=\"\(site)\">"
            + "</head><body><article>\(body)</article></body></html>\n"
    }

    /// The article text of a page (its paragraphs), or a text file's text.
    func text(of content: String) -> String {
        guard content.hasPrefix("<html") else { return content }
        return content.components(separatedBy: "<p>").dropFirst().map { $0.components(separatedBy: "</p>")[0] }.joined(separator: "\n\n")
    }

    @Test func randomStepsMatchAFullRebuildAfterEveryBatch() throws {
        #expect(seedSentences.count > 50)
        var random = SplitMix(state: 20261121)
        let corpus = Corpus()
        var serial = 0
        func newName(_ ext: String = "txt") -> String {
            serial += 1
            return (Bool.random(using: &random) ? "sub/" : "") + "a\(serial).\(ext)"
        }
        func write(_ name: String? = nil) {
            if Bool.random(using: &random) {
                corpus.write(name.map { $0.hasSuffix(".txt") ? String($0.dropLast(4)) + ".html" : $0 } ?? newName("html"), page(&random))
                if let name, name.hasSuffix(".txt") { try? FileManager.default.removeItem(atPath: corpus.folder + "/" + name) }
            } else {
                corpus.write(name ?? newName(), article(&random))
            }
        }
        for _ in 0..<12 { write() }
        let indexer = Indexer()
        var options = IndexingOptions(mergePolicy: eagerMerges)
        _ = try indexer.update(paths: [corpus.folder], directory: corpus.index, options: options)

        var steps = 0
        var counts: [String: Int] = [:]
        var mostSegments = 0
        var sawCopies = false
        var sawFacets = false
        for batch in 0..<30 {
            for _ in 0..<Int.random(in: 5...15, using: &random) {
                let names = corpus.names
                let kind = names.count < 5 ? "add"
                    : ["add", "modify", "delete", "rename", "touch", "append", "copy"].randomElement(using: &random)!
                switch kind {
                case "add":
                    write()
                case "modify":
                    write(names.randomElement(using: &random)!)
                case "copy":
                    // Republished elsewhere: the same text on another outlet's page, another day.
                    corpus.write(newName("html"), page(&random, text: text(of: corpus.read(names.randomElement(using: &random)!))))
                case "append":
                    let name = names.randomElement(using: &random)!
                    corpus.write(name, name.hasSuffix(".html") ? page(&random, text: text(of: corpus.read(name)) + "\n\n" + article(&random))
                                                               : corpus.read(name) + "\n" + article(&random))
                case "delete":
                    try FileManager.default.removeItem(atPath: corpus.folder + "/" + names.randomElement(using: &random)!)
                case "rename":
                    let name = names.randomElement(using: &random)!
                    try FileManager.default.moveItem(atPath: corpus.folder + "/" + name,
                                                     toPath: corpus.folder + "/" + newName(name.hasSuffix(".html") ? "html" : "txt"))
                default:
                    let name = names.randomElement(using: &random)!
                    corpus.setTime(name, seconds: 1_800_000_000 + steps, nanoseconds: 12_345)
                }
                counts[kind, default: 0] += 1
                steps += 1
            }
            options.rebuild = false
            if batch % 7 == 6 {
                _ = try indexer.optimize(directory: corpus.index)
            }
            let summary = try indexer.update(paths: [corpus.folder], directory: corpus.index, options: options)
            #expect(summary.rebuildReason == nil)
            try? FileManager.default.removeItem(atPath: corpus.reference)
            _ = try indexer.update(paths: [corpus.folder], directory: corpus.reference, options: IndexingOptions(rebuild: true))

            let updated = try answers(index: corpus.index)
            let rebuilt = try answers(index: corpus.reference)
            for (query, (a, b)) in zip(fixedQueries, zip(updated, rebuilt)) {
                #expect(a == b, "batch \(batch), query \(query): updated \(a) vs rebuilt \(b)")
            }
            #expect(updated.contains { $0.total > 0 })
            sawCopies = sawCopies || updated.contains { $0.copies.contains { $0.count > 1 } }
            sawFacets = sawFacets || updated.contains { $0.facets.contains { $0.field == "site" && !$0.values.isEmpty } }
            let manifest = try #require(try IndexDirectory(path: corpus.index).readManifest())
            let reference = try #require(try IndexDirectory(path: corpus.reference).readManifest())
            #expect(manifest.statistics == reference.statistics, "batch \(batch)")
            mostSegments = max(mostSegments, manifest.segments.count)
            let report = IndexChecker.check(IndexDirectory(path: corpus.index)) { _ in Analyzer.standard.signature }
            #expect(report.problems.isEmpty, "batch \(batch): \(report.problems)")
        }
        #expect(steps >= 300)
        #expect(counts.count == 7, "every kind of step ran: \(counts)")
        #expect(sawCopies && sawFacets, "copies and facets were compared, not only empty lists")
        // Logarithmic: with 3 per level and about 100 files, a handful of levels.
        #expect(mostSegments <= 3 * 5, "at most \(mostSegments) segments")
    }

    @Test func unchangedFilesAreNotReadAndTouchedOnesNotAnalysed() throws {
        let corpus = Corpus()
        var random = SplitMix(state: 7)
        for i in 0..<6 { corpus.write("f\(i).txt", article(&random)) }
        let indexer = Indexer()
        let first = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        #expect(first.fresh && first.added == 6)
        let generation = try #require(try IndexDirectory(path: corpus.index).readManifest()).generation

        let again = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        #expect(!again.committed && again.unchanged == 6 && again.added + again.updated + again.deleted == 0)
        #expect(try IndexDirectory(path: corpus.index).readManifest()?.generation == generation)

        corpus.setTime("f1.txt", seconds: 1_700_000_000)
        corpus.setTime("f2.txt", seconds: 1_700_000_100)
        let touched = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        #expect(touched.touched == 2 && touched.updated == 0 && touched.committed)
        // The new times are recorded: the next run reads nothing.
        let after = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        #expect(!after.committed && after.touched == 0 && after.unchanged == 6)
        // …and survive a merge.
        _ = try indexer.optimize(directory: corpus.index)
        let merged = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        #expect(!merged.committed && merged.unchanged == 6)

        corpus.write("f3.txt", "A new text about Palmyra.\n")
        try FileManager.default.removeItem(atPath: corpus.folder + "/f4.txt")
        corpus.write("f9.txt", "Tadmur was shelled.\n")
        let changed = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        #expect((changed.added, changed.updated, changed.deleted, changed.unchanged) == (1, 1, 1, 4))
    }

    /// A JSON Lines file's records are one source's documents: kept, replaced or deleted
    /// together, between files of one record and of several.
    @Test func aFileOfRecordsIsReplacedAndDeletedWhole() throws {
        let corpus = Corpus()
        func records(_ ids: [String], _ text: String) -> String {
            ids.map { #"{"id": "\#($0)", "text": "\#(text) (record \#($0))."}"# }.joined(separator: "\n") + "\n"
        }
        corpus.write("a.jsonl", records(["a1", "a2", "a3"], "Shelling near Deir Ezzor"))
        corpus.write("b.txt", "Residents of Raqqa fled south.\n")
        corpus.write("c.jsonl", records(["c1", "c2"], "A convoy reached Palmyra"))
        corpus.write("sub/d.jsonl", records(["d1"], "Aid arrived in Idlib"))
        let indexer = Indexer()
        _ = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        func live() throws -> [String] {
            try IndexDirectory(path: corpus.index).open().liveDocuments().map(\.document.path).sorted()
        }
        let built = try live()
        #expect(built == ["a1", "a2", "a3", "b.txt", "c1", "c2", "d1"].map(path).sorted(), "\(built)")

        corpus.write("a.jsonl", records(["a1", "a4"], "Shelling stopped near Deir Ezzor"))
        try FileManager.default.removeItem(atPath: corpus.folder + "/c.jsonl")
        let changed = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        #expect((changed.updated, changed.deleted, changed.unchanged) == (1, 1, 2), "\(changed)")
        #expect(try live() == ["a1", "a4", "b.txt", "d1"].map(path).sorted(), "every old record of a.jsonl and c.jsonl is gone")
        let again = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        #expect(!again.committed && again.unchanged == 3)

        func path(_ id: String) -> String {
            id.hasSuffix(".txt") ? corpus.folder + "/" + id : id
        }
    }

    @Test func aChangeWithinTheRecordedTimeIsCaughtWhenTheTimeWasRacy() throws {
        let corpus = Corpus()
        corpus.write("a.txt", "The army reached Palmyra.\n")
        corpus.write("b.txt", "The convoy left Homs.\n")
        // a.txt's time lies after the run starts (as when a file is written during the
        // run, or within the clock's resolution of it): its size and time prove nothing.
        corpus.setTime("a.txt", seconds: 4_000_000_000)
        let indexer = Indexer()
        _ = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        corpus.write("a.txt", "The army reached Tadmur.\n")  // same size
        corpus.setTime("a.txt", seconds: 4_000_000_000)
        let summary = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        #expect(summary.updated == 1 && summary.unchanged == 1)
        let reader = try IndexDirectory(path: corpus.index).open()
        let hits = try Searcher(reader: reader, analyzer: .standard).search("Tadmur", limit: 5, fetchText: false)
        #expect(hits.total == 1)
    }

    @Test func anAnalyzerChangeRebuildsInsteadOfMixing() throws {
        let corpus = Corpus()
        corpus.write("a.txt", "Fighters of Liwa Tasnim entered the town.\n")
        let list = corpus.root + "/mine.tsv"
        #expect(FileManager.default.createFile(atPath: list, contents: Data("tasnim\tactor\t-\tLiwa Tasnim\n".utf8)))
        let indexer = Indexer()
        _ = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        let changed = try indexer.update(paths: [corpus.folder], directory: corpus.index,
                                         options: IndexingOptions(entities: try EntityListFile(path: list)))
        #expect(changed.rebuildReason?.contains("entity list") == true && changed.committed)
        let manifest = try #require(try IndexDirectory(path: corpus.index).readManifest())
        #expect(manifest.segments.count == 1 && manifest.companion(EntityListFile.role) != nil)
        // The kept list stays in use without --entities, and nothing is rebuilt.
        let again = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        #expect(again.rebuildReason == nil && !again.committed)
    }

    /// Segments of an older format (version 4 recorded another content hash) are not mixed
    /// with new ones: the run says why and rebuilds, and the rebuilt index answers.
    @Test func anOlderSegmentFormatIsRebuilt() throws {
        let corpus = Corpus()
        corpus.write("a.txt", "Fighters entered Deir ez-Zor on Monday.\n")
        let indexer = Indexer()
        _ = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        let manifest = try #require(try IndexDirectory(path: corpus.index).readManifest())
        let segment = corpus.index + "/" + manifest.segments[0].file
        var bytes = try #require(FileManager.default.contents(atPath: segment))
        bytes.replaceSubrange(8..<12, with: [4, 0, 0, 0])  // the header's version word
        try bytes.write(to: URL(fileURLWithPath: segment))
        let summary = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        #expect(summary.rebuildReason?.contains("format version 4") == true && summary.committed)
        let reader = try IndexDirectory(path: corpus.index).open()
        let hits = try Searcher(reader: reader, analyzer: .standard).search("Dayr al-Zawr", limit: 5, fetchText: false)
        #expect(hits.total == 1)
    }

    @Test func anotherWriterIsTurnedAwayAndSearchesKeepWorking() throws {
        let corpus = Corpus()
        corpus.write("a.txt", "The army reached Palmyra.\n")
        let indexer = Indexer()
        _ = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        let held = try IndexLock(directory: corpus.index)
        corpus.write("b.txt", "Another text about Palmyra.\n")
        #expect {
            _ = try indexer.update(paths: [corpus.folder], directory: corpus.index)
        } throws: { error in
            guard case .index(.locked(_, let holder))? = error as? IndexerError else { return false }
            return holder == "process \(getpid())"
        }
        #expect(try answers(index: corpus.index)[1].total == 1)
        held.release()
        #expect(try indexer.update(paths: [corpus.folder], directory: corpus.index).added == 1)
    }
}
