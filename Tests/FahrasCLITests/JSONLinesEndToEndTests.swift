import Foundation
import Testing

@Suite("CLI: JSON Lines exports and the benchmark protocol")
struct JSONLinesEndToEndTests {
    let records = [
        #"{"id": 0, "title": "Convoy", "text": "A convoy left al-Tanf at dawn."}"#,
        #"{"id": 1, "text": "Fighting near Deir Ezzor and the convoy route."}"#,
        #"{"id": "x2", "text": "Markets in Homs reopened."}"#,
    ]

    @Test func recordsAreDocumentsAnsweredByIdAndUpdatedAsOneFile() throws {
        let scratch = Scratch()
        scratch.write("export.jsonl", records.joined(separator: "\n") + "\n")
        let index = scratch.path + "/Index"
        let built = try CLI.run(["index", "export.jsonl", "--index", index, "--names", "off", "--whole-records"], in: scratch.path)
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stdout.contains("3 passages"), "\(built.stdout)")
        // The protocol: one line per hit, @time, an empty line; ids are the records'.
        let answer = try CLI.run(["search", "--index", index, "--stdin", "--limit", "10", "--hit-id", "document"],
                                 input: "convoy\n\"deir ezzor\"\nnothing-here\n")
        #expect(answer.status == 0, "\(answer.stderr)")
        let blocks = answer.stdout.components(separatedBy: "\n\n").dropLast()
        #expect(blocks.count == 3)
        func ids(_ block: Substring) -> [String] {
            block.split(separator: "\n").filter { !$0.hasPrefix("@time ") }.map { String($0.split(separator: " ")[0]) }
        }
        #expect(Set(ids(Substring(blocks[0]))) == ["0", "1"])
        #expect(ids(Substring(blocks[1])) == ["1"])
        #expect(ids(Substring(blocks[2])).isEmpty && blocks[2].contains("@time "))
        // The names-off choice is kept: a later run folds nothing and rebuilds nothing.
        scratch.write("export.jsonl", ([records[0], #"{"id": 1, "text": "Quiet day."}"#]).joined(separator: "\n"))
        let updated = try CLI.run(["index", "export.jsonl", "--index", index], in: scratch.path)
        #expect(updated.status == 0 && !updated.stderr.contains("rebuilding"), "\(updated.stderr)")
        let after = try CLI.run(["search", "--index", index, "--stdin", "--hit-id", "document"], input: "convoy\nhoms\n")
        let afterBlocks = after.stdout.components(separatedBy: "\n\n")
        #expect(ids(Substring(afterBlocks[0])) == ["0"] && ids(Substring(afterBlocks[1])).isEmpty, "\(after.stdout)")
        let check = try CLI.run(["check", "--index", index])
        #expect(check.status == 0, "\(check.stdout)")
    }

    /// Two exports that both number their records: the same id names two stories, which
    /// results tell apart by file, and `show` asks which one is meant.
    @Test func theSameIdInTwoFilesIsShownWithItsFile() throws {
        let scratch = Scratch()
        scratch.write("exports/a.jsonl", #"{"id": "x1", "text": "A convoy left al-Tanf at dawn."}"# + "\n"
            + #"{"id": "x2", "text": "Another convoy reached Homs."}"# + "\n")
        let index = scratch.path + "/Index"
        let first = try CLI.run(["index", "exports", "--index", index], in: scratch.path)
        #expect(first.status == 0 && !first.stderr.contains("also used"), "\(first.stderr)")
        scratch.write("exports/b.jsonl", #"{"id": "x1", "text": "The convoy was stopped near Palmyra."}"# + "\n")
        let second = try CLI.run(["index", "exports", "--index", index], in: scratch.path)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("the id x1 is also used in") && second.stderr.contains("a.jsonl:x1, b.jsonl:x1"), "\(second.stderr)")
        let hits = (try CLI.searchJSON("convoy", index: index)["hits"] as? [[String: Any]] ?? []).compactMap { $0["doc"] as? String }
        #expect(Set(hits) == ["a.jsonl:x1", "b.jsonl:x1", "x2"], "\(hits)")
        let ambiguous = try CLI.run(["show", "x1", "--index", index])
        #expect(ambiguous.status == 1 && ambiguous.stderr.contains("give it with its file") && ambiguous.stderr.contains("b.jsonl:x1"),
                "\(ambiguous.stderr)")
        let shown = try CLI.run(["show", "b.jsonl:x1", "--index", index])
        #expect(shown.status == 0 && shown.stdout.contains("Palmyra") && !shown.stdout.contains("al-Tanf"), "\(shown.stdout)\(shown.stderr)")
        #expect(try CLI.run(["show", "exports/a.jsonl:x1", "--index", index]).stdout.contains("al-Tanf"))
        #expect(try CLI.run(["show", "x2", "--index", index]).status == 0, "an id of one file is given as it is")
    }

    @Test func wholeRecordsIsRememberedAndItsChangeRebuilds() throws {
        let scratch = Scratch()
        let record = #"{"id": "a", "text": "A convoy reached the town at dawn, officials said.\n\nShelling resumed near the river at noon."}"#
        scratch.write("export.jsonl", record + "\n")
        let index = scratch.path + "/Index"
        #expect(try CLI.run(["index", "export.jsonl", "--index", index, "--whole-records"], in: scratch.path).stdout.contains("1 passages"))
        scratch.write("export.jsonl", record + "\n" + record.replacingOccurrences(of: "\"a\"", with: "\"b\"") + "\n")
        let updated = try CLI.run(["index", "--index", index], in: scratch.path)
        #expect(updated.stdout.contains("2 passages") && !updated.stderr.contains("rebuilding"), "each record still one passage: \(updated.stdout)")
        let cut = try CLI.run(["index", "--index", index, "--no-whole-records"], in: scratch.path)
        #expect(cut.stderr.contains("JSON Lines records are now cut into passages") && cut.stdout.contains("4 passages"), "\(cut.stdout) \(cut.stderr)")
    }

    @Test func aBadLineIsNamedAndTheFileSkipped() throws {
        let scratch = Scratch()
        scratch.write("bad.jsonl", records[0] + "\n{\"id\": 5, \"text\": \"unclosed\n")
        scratch.write("good.txt", "A convoy of trucks.")
        let outcome = try CLI.run(["index", ".", "--index", scratch.path + "/Index"], in: scratch.path)
        #expect(outcome.status == 0)
        #expect(outcome.stderr.contains("bad.jsonl") && outcome.stderr.contains("line 2"), "\(outcome.stderr)")
    }
}
