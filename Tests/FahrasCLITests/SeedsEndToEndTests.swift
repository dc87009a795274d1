import Foundation
import Testing

/// `fahras index seeds` then searches, through the real executable. The suite builds the
/// seeds index once and shares it.
@Suite("CLI end to end on seeds/", .serialized)
struct SeedsEndToEndTests {
    static let index: Scratch = {
        let scratch = Scratch()
        let outcome = try? CLI.run(["index", "seeds", "--index", scratch.path + "/Index"], in: CLI.packageRoot.path)
        precondition(outcome?.status == 0, "indexing the seeds failed: \(outcome?.stderr ?? "no outcome")")
        return scratch
    }()
    var indexPath: String { Self.index.path + "/Index" }

    /// The paragraphs of the seed files that mention `word`, read straight from the files.
    static func seedParagraphs(mentioning word: String) throws -> Int {
        var count = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: CLI.seeds) {
            let text = try String(contentsOfFile: CLI.seeds + "/" + name, encoding: .utf8)
            count += text.components(separatedBy: "\n\n").filter { $0.lowercased().contains(word) }.count
        }
        return count
    }

    @Test func indexSummaryNamesTheWork() throws {
        let scratch = Scratch()
        let outcome = try CLI.run(["index", "seeds", "--index", scratch.path + "/ix"], in: CLI.packageRoot.path)
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("Indexed 5 files: "))
        #expect(outcome.stdout.contains("passages") && outcome.stdout.contains("terms"))
        #expect(outcome.stderr.isEmpty)
    }

    @Test func tanfFindsEveryPassageWithFullText() throws {
        let expected = try Self.seedParagraphs(mentioning: "tanf")
        #expect(expected == 14)
        let answer = try CLI.searchJSON("Tanf", index: indexPath)
        #expect(answer["query"] as? String == "Tanf")
        #expect(answer["total"] as? Int == 14)
        let hits = answer.hits
        #expect(hits.count == 14)
        var keys = Set<String>()
        for hit in hits {
            let text = try #require(hit["text"] as? String)
            let doc = try #require(hit["doc"] as? String)
            let passage = try #require(hit["passage"] as? Int)
            keys.insert("\(doc)#\(passage)")
            #expect(doc.hasPrefix("seeds/") && doc.hasSuffix(".txt"))
            #expect(text.lowercased().contains("tanf"))
            #expect(!(hit["title"] as? String ?? "").isEmpty)
            #expect((hit["snippet"] as? String ?? "").lowercased().contains("tanf"))
            // Highlights are code-point offsets into text, covering the word as written.
            let scalars = Array(text.unicodeScalars)
            for pair in hit["highlights"] as? [[Int]] ?? [] {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[pair[0]..<pair[1]])
                #expect(["al-Tanf", "Al-Tanf"].contains(String(view)))
            }
            #expect((hit["highlights"] as? [[Int]])?.isEmpty == false)
        }
        #expect(keys.count == 14)
        // Every hit is a whole paragraph of its source file: the exact original wording.
        for hit in hits {
            let doc = hit["doc"] as! String
            let source = try String(contentsOfFile: CLI.packageRoot.path + "/" + doc, encoding: .utf8)
            #expect(source.contains(hit["text"] as! String))
        }
    }

    @Test(arguments: ["Facebook", "Reply", "Scroll", "Youtube", "BitChute", "Jumada", "Twitter", "Stories", "email", "147,805"])
    func siteChromeIsNotIndexed(_ word: String) throws {
        for hit in try CLI.searchJSON(word, index: indexPath).hits {
            let text = hit["text"] as? String ?? ""
            // Only article sentences may match: long, ending like a sentence.
            #expect(text.split(separator: " ").count >= 12, "chrome indexed: \(text)")
            #expect(text.hasSuffix("."), "chrome indexed: \(text)")
        }
    }

    @Test func facebookSentenceStays() throws {
        let hits = try CLI.searchJSON("Facebook", index: indexPath).hits
        #expect(hits.count == 1)
        #expect((hits.first?["text"] as? String)?.hasPrefix("A number of sources affiliated to terrorists wrote on their Facebook pages") == true)
    }

    @Test func phraseAndRankedTextOutput() throws {
        let outcome = try CLI.run(["search", "\"US forces\"", "--index", indexPath, "--limit", "3"], environment: ["NO_COLOR": "1"])
        #expect(outcome.status == 0)
        #expect(!outcome.stdout.contains("\u{1B}["))  // no ANSI when piped or with NO_COLOR
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("1. ") == true)
        #expect(lines.first?.contains("seeds/") == true && lines.first?.contains("#") == true)
        #expect(outcome.stdout.contains("**US forces**"))
        #expect(outcome.stdout.contains("showing the best 3"))
    }

    @Test func statsDescribesTheIndex() throws {
        let outcome = try CLI.run(["stats", "--index", indexPath])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("documents:        5"))
        #expect(outcome.stdout.contains("format:           fahras-index v3"))
    }

    @Test func anIndexWithoutTextsShowsTheSameHitsAndStopsWhenASourceChanged() throws {
        let scratch = Scratch()
        let copy = scratch.path + "/seeds"
        try FileManager.default.copyItem(atPath: CLI.seeds, toPath: copy)
        let built = try CLI.run(["index", "seeds", "--index", "ix", "--text", "external"], in: scratch.path)
        #expect(built.status == 0, "\(built.stderr)")
        let stats = try CLI.run(["stats", "--index", "ix"], in: scratch.path)
        #expect(stats.stdout.contains("passage texts:    external"))
        for query in ["Tanf", "\"Deir Ezzur\"", "actor:ISIS"] {
            let stored = try CLI.run(["search", query, "--index", indexPath, "--limit", "50"], in: CLI.packageRoot.path)
            let external = try CLI.run(["search", query, "--index", "ix", "--limit", "50"], in: scratch.path)
            #expect(external.status == 0 && !external.stdout.isEmpty)
            #expect(external.stdout == stored.stdout, "\(query)")
        }
        // The discovery commands read the texts again too, and show each one the same.
        for command in [["entities"], ["variants", "Deir Ezzor"], ["show", "seeds/" + (try FileManager.default.contentsOfDirectory(atPath: copy).sorted()[1])]] {
            let stored = try CLI.run(command + ["--index", indexPath], in: CLI.packageRoot.path)
            let external = try CLI.run(command + ["--index", "ix"], in: scratch.path)
            // The source line names each index's own copy of the file.
            func shown(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix("  source:") } }
            #expect(external.status == 0 && shown(external.stdout) == shown(stored.stdout), "\(command): \(external.stderr)")
        }
        let name = try FileManager.default.contentsOfDirectory(atPath: copy).sorted()[0]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: copy + "/" + name))
        try handle.seekToEnd()
        handle.write(Data("\nA new paragraph about Tanf.\n".utf8))
        try handle.close()
        let stale = try CLI.run(["search", "Tanf", "--index", "ix", "--limit", "50"], in: scratch.path)
        #expect(stale.status == 1)
        #expect(stale.stdout.isEmpty)
        #expect(stale.stderr.contains(name) && stale.stderr.contains("changed since it was indexed"))
        #expect(stale.stderr.contains("fahras index") && stale.stderr.split(separator: "\n").count == 1)
        #expect(try CLI.run(["index", "seeds", "--index", "ix"], in: scratch.path).status == 0)
        #expect(try CLI.run(["search", "Tanf", "--index", "ix"], in: scratch.path).status == 0)
    }

    @Test func standardInputProtocolAnswersEachLine() throws {
        let outcome = try CLI.run(["search", "--stdin", "--index", indexPath, "--limit", "2"], input: "Tanf\n\"Deir Ezzur\"\n\n")
        #expect(outcome.status == 0)
        let answers = outcome.stdout.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(answers.count == 3)
        let first = answers[0].split(separator: "\n")
        #expect(first.count == 3)  // two hits and @time
        #expect(first[0].hasPrefix("seeds/") && first[2].hasPrefix("@time "))
        #expect(answers[2].hasPrefix("@time "))  // an empty query has no hits
    }

    /// A hit line is `document#passage score`, the score printed as Swift prints a Double
    /// (the shortest digits that read back as the same number) and equal to the JSON's.
    @Test func standardInputProtocolPrintsScoresAsTheJSONDoes() throws {
        let outcome = try CLI.run(["search", "--stdin", "--index", indexPath, "--limit", "5", "--hit-id", "passage"],
                                  input: "Tanf\n")
        let json = try CLI.run(["search", "Tanf", "--index", indexPath, "--limit", "50", "--format", "json"])
        #expect(outcome.status == 0 && json.status == 0)
        // The JSON's scores as written (Foundation's parser may round a digit off).
        var scores: [String: String] = [:]
        let hit = try NSRegularExpression(pattern: #"\{"doc": "([^"]+)", "passage": ([0-9]+), "score": ([^,]+),"#)
        let text = json.stdout as NSString
        for match in hit.matches(in: json.stdout, range: NSRange(location: 0, length: text.length)) {
            let part = { (i: Int) in text.substring(with: match.range(at: i)) }
            scores[part(1) + "#" + part(2)] = part(3)
        }
        let lines = outcome.stdout.split(separator: "\n").filter { !$0.hasPrefix("@time") }
        #expect(lines.count == 5 && scores.count >= 5)
        for line in lines {
            let parts = line.split(separator: " ").map(String.init)
            #expect(parts.count == 2, "\(line)")
            let score = try #require(Double(parts[1]), "\(line)")
            #expect(String(score) == parts[1], "\(line)")
            #expect(scores[parts[0]] == parts[1], "\(line)")
        }
    }

    @Test func userErrorsExitOneWithOneLine() throws {
        let scratch = Scratch()
        let cases: [[String]] = [
            ["search", "Tanf", "--index", scratch.path + "/none"],
            ["search", "\"open phrase", "--index", indexPath],
            ["search", "!!!", "--index", indexPath],
            ["search", "Tanf", "--limit", "0", "--index", indexPath],
            ["search", "--no-such-option"],
            ["stats", "--index", scratch.path + "/none"],
            ["frobnicate"],
        ]
        for arguments in cases {
            let outcome = try CLI.run(arguments)
            #expect(outcome.status == 1, "\(arguments)")
            #expect(!outcome.stderr.isEmpty && !outcome.stderr.contains("Fatal error"), "\(arguments)")
            #expect(outcome.stdout.isEmpty, "\(arguments)")
        }
        let missing = try CLI.run(["search", "Tanf", "--index", scratch.path + "/none"])
        #expect(missing.stderr.contains("fahras index"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
    }
}
