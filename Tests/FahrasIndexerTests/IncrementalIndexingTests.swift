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
        FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(text.utf8))
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
        return (top + sub).filter { $0.hasSuffix(".txt") }.sorted()
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

/// Every hit of every query, as a full rebuild and an updated index must both give them.
struct Answer: Equatable, CustomStringConvertible {
    var total: Int
    var hits: [(document: String, ordinal: Int, score: Double)]

    static func == (a: Answer, b: Answer) -> Bool {
        a.total == b.total && a.hits.count == b.hits.count && zip(a.hits, b.hits).allSatisfy {
            $0.document == $1.document && $0.ordinal == $1.ordinal && abs($0.score - $1.score) <= 1e-9
        }
    }

    var description: String { "total \(total): " + hits.prefix(5).map { "\($0.document)#\($0.ordinal) \($0.score)" }.joined(separator: ", ") }
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
        return Answer(total: results.total, hits: results.hits.map { ($0.document, $0.ordinal, $0.score) })
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

    @Test func randomStepsMatchAFullRebuildAfterEveryBatch() throws {
        #expect(seedSentences.count > 50)
        var random = SplitMix(state: 20261121)
        let corpus = Corpus()
        var serial = 0
        func newName() -> String {
            serial += 1
            return (Bool.random(using: &random) ? "sub/" : "") + "a\(serial).txt"
        }
        for _ in 0..<12 { corpus.write(newName(), article(&random)) }
        let indexer = Indexer()
        var options = IndexingOptions(mergePolicy: eagerMerges)
        _ = try indexer.update(paths: [corpus.folder], directory: corpus.index, options: options)

        var steps = 0
        var counts: [String: Int] = [:]
        var mostSegments = 0
        for batch in 0..<30 {
            for _ in 0..<Int.random(in: 5...15, using: &random) {
                let names = corpus.names
                let kind = names.count < 5 ? "add" : ["add", "modify", "delete", "rename", "touch", "append"].randomElement(using: &random)!
                switch kind {
                case "add":
                    corpus.write(newName(), article(&random))
                case "modify":
                    corpus.write(names.randomElement(using: &random)!, article(&random))
                case "append":
                    let name = names.randomElement(using: &random)!
                    corpus.write(name, corpus.read(name) + "\n" + article(&random))
                case "delete":
                    try FileManager.default.removeItem(atPath: corpus.folder + "/" + names.randomElement(using: &random)!)
                case "rename":
                    try FileManager.default.moveItem(atPath: corpus.folder + "/" + names.randomElement(using: &random)!,
                                                     toPath: corpus.folder + "/" + newName())
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
            let manifest = try #require(try IndexDirectory(path: corpus.index).readManifest())
            let reference = try #require(try IndexDirectory(path: corpus.reference).readManifest())
            #expect(manifest.statistics == reference.statistics, "batch \(batch)")
            mostSegments = max(mostSegments, manifest.segments.count)
            let report = IndexChecker.check(IndexDirectory(path: corpus.index)) { _ in Analyzer.standard.signature }
            #expect(report.problems.isEmpty, "batch \(batch): \(report.problems)")
        }
        #expect(steps >= 300)
        #expect(counts.count == 6, "every kind of step ran: \(counts)")
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
        FileManager.default.createFile(atPath: list, contents: Data("tasnim\tactor\t-\tLiwa Tasnim\n".utf8))
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
