import Foundation
import Testing

/// Whether Python's tantivy is importable (`scripts/setup --tantivy`; `.ci/run` installs it).
enum Tantivy {
    static let available: Bool = (try? CLI.run(["-c", "python3 -c 'import tantivy'"], shell: true).status) == 0
}

/// `fahras export --opensearch` and `fahras search --emit opensearch` through the executable,
/// on the seeds and a generated archive with dates, outlets and authors (``NewsCorpus``).
@Suite("CLI end to end: OpenSearch export and queries", .serialized)
final class OpenSearchEndToEndTests {
    let scratch = Scratch()
    let corpus = NewsCorpus(seed: 2026_12_06)
    var index: String { scratch.path + "/Index" }
    var export: String { scratch.path + "/opensearch" }
    var sources: [String] { [CLI.seeds, scratch.path + "/archive"] }

    init() throws {
        scratch.write("archive/export.jsonl", corpus.jsonLines)
        for arguments in [["index"] + sources + ["--index", index], ["export", "--opensearch", export, "--index", index]] {
            let run = try CLI.run(arguments)
            guard run.status == 0 else { throw CLI.CLIFailure(outcome: run) }
        }
    }

    /// The seeds' spelling groups, actors, filters and operators.
    static let queries = [
        "\"Deir Ezzur\"", "\"Deir Ezzor\"", "\"Der Ezzor\"", "\"Dayr al-Zawr\"", "\"Deir al-Zour\"", "\"Deir ez-Zor\"",
        "Deir Ezzor", "Dayr al-Zawr", "دير الزور", "Sokhna", "Al-Sukhna", "Sukhnah", "\"al-Bu Kamal\"", "Albukamal",
        "\"Abu Kamal\"", "Abu Kamal", "Abou Kemal", "Mayadin", "Al-Mayadeen", "Shadadi", "al-Shaddadi", "Hamimah",
        "al-Hamimeh", "Badiyeh", "Badia", "Humeimim", "Hmeimim", "Khmeimim", "al-Tanf", "At-Tanf", "Tanf",
        "actor:ISIS", "actor:Daesh", "actor:\"Islamic State\"", "actor:\"Deir ez-Zor\"", "actor:Hezbollah", "actor:SDF",
        "actor:\"Abu Kamal\"", "actor:Russia",
        "offensive date:2016", "offensive date:2017-03", "offensive date:2015-06-01..2016-06-30", "offensive date:>=2018-01",
        "offensive date:<2016", "offensive site:sana.sy", "offensive -site:sana.sy", "offensive author:sinjab",
        "offensive lang:en site:syriadirect.org date:2017..2018", "actor:Daesh date:2017", "date:2016-05",
        "ISIS -Raqqa", "+ISIS +Tanf", "\"US forces\" OR Daesh", "title:Daesh ISIS", "=Tanf", "doc:000_ ISIS",
        "(Hezbollah OR SDF) AND offensive",
    ]

    @Test(.enabled(if: Tantivy.available, "needs Python's tantivy (scripts/setup --tantivy; .ci/run installs it)"))
    func emittedQueriesFindTheSamePassagesInTantivy() throws {
        scratch.write("queries.txt", Self.queries.joined(separator: "\n") + "\n")
        let script = CLI.packageRoot.appendingPathComponent("scripts/opensearch-check").path
        let run = try CLI.run(["-c", "python3 \"$0\" --fahras \"$1\" --index \"$2\" --export \"$3\" --queries \"$4\"",
                               script, CLI.binary.path, index, export, scratch.path + "/queries.txt"], shell: true)
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("\(Self.queries.count) of \(Self.queries.count) queries return the same passages"), "\(run.stdout)")
        // Not vacuous: the queries find passages, every spelling and actor query some.
        var counts: [String: Int] = [:]
        for line in run.stdout.split(separator: "\n") where line.hasPrefix("same ") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            counts[fields[5...].joined(separator: " ")] = Int(fields[2])
        }
        #expect(counts.count == Self.queries.count)
        for query in Self.queries.prefix(39) { #expect((counts[query] ?? 0) > 0, "\(query) finds passages") }
        #expect(counts.values.reduce(0, +) > 1000)
    }

    @Test func exportFromSourcesIsTheExportOfTheirIndex() throws {
        let direct = scratch.path + "/direct"
        let run = try CLI.run(["export", "--opensearch", direct] + sources)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("exported "), "\(run.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: export).sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: direct).sorted() == names)
        for name in names {
            #expect(FileManager.default.contentsEqual(atPath: export + "/" + name, andPath: direct + "/" + name), "\(name)")
        }
        // The temporary index is gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test func mistakesAreOneLineAndChangeNothing() throws {
        let before = try FileManager.default.contentsOfDirectory(atPath: export).sorted()
        let again = try CLI.run(["export", "--opensearch", export, "--index", index])
        #expect(again.status == 1 && again.stderr.contains("already holds files"), "\(again.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: export).sorted() == before)
        let name = try CLI.run(["export", "--opensearch", scratch.path + "/x", "--index", index, "--name", "Fahras"])
        #expect(name.status == 1 && name.stderr.contains("not an OpenSearch index name"), "\(name.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/x"))
        for options in [["--time-limit", "2"], ["--facet", "site"]] {
            let run = try CLI.run(["search", "--emit", "opensearch", "--index", index, "ISIS"] + options)
            #expect(run.status == 1 && run.stderr.contains("--emit prints a query"), "\(run.stderr)")
        }
        let keys = try CLI.run(["search", "--fold-keys", "--index", index, "ISIS"])
        #expect(keys.status == 1 && keys.stderr.contains("give it with --emit"), "\(keys.stderr)")
        // With --stdin, a line a query: a blank or failing one is an empty line, its error on standard error.
        let lines = try CLI.run(["search", "--emit", "opensearch", "--stdin", "--fold-keys", "--index", index],
                                input: "Deir Ezzor\n\n\"open\nactor:SDF\n")
        let answers = lines.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(answers.count == 5 && answers[1].isEmpty && answers[2].isEmpty && answers[4].isEmpty, "\(lines.stdout)")
        #expect(answers[0].contains(#""prefix":{"tokens":{"value":"~DVYr|"}}"#) && answers[3].contains("@sdf"), "\(lines.stdout)")
        #expect(lines.stderr.contains("query '\"open'"), "\(lines.stderr)")
        let emitted = try CLI.run(["search", "--emit", "opensearch", "--index", index, "--limit", "7", "--sort", "date", "ISIS"])
        let body = try JSONSerialization.jsonObject(with: Data(emitted.stdout.utf8)) as? [String: Any]
        #expect(body?["size"] as? Int == 7)
        #expect((body?["sort"] as? [Any])?.count == 2)
    }
}
