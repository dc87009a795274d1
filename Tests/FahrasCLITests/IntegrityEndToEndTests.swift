import Foundation
import Testing

/// Copies a folder (an index, a corpus) to a new place.
func copyFolder(_ source: String, to destination: String) throws {
    try? FileManager.default.removeItem(atPath: destination)
    try FileManager.default.copyItem(atPath: source, toPath: destination)
}

/// The answers to a fixed query set through `fahras search --stdin`, without the timings:
/// what "the same index" means for the crash and concurrency tests.
func stdinAnswers(index: String) throws -> String {
    let queries = ["Palmyra", "army", "\"Deir Ezzor\"", "actor:ISIS", "desert convoy", "Homs"]
    let outcome = try CLI.run(["search", "--stdin", "--index", index, "--limit", "1000"], input: queries.joined(separator: "\n") + "\n")
    guard outcome.status == 0 else { throw CLI.CLIFailure(outcome: outcome) }
    return outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("@time") }
        .joined(separator: "\n")
}

/// Articles made of the seeds' paragraphs, so that indexing takes a moment and names occur.
func writeArticles(_ scratch: Scratch, count: Int, seed: Int, into folder: String = "corpus") throws {
    var paragraphs: [String] = []
    for name in try FileManager.default.contentsOfDirectory(atPath: CLI.seeds).sorted() {
        let text = try String(contentsOfFile: CLI.seeds + "/" + name, encoding: .utf8)
        paragraphs += text.components(separatedBy: "\n\n").filter { $0.count > 40 }
    }
    for i in 0..<count {
        let chosen = (0..<12).map { paragraphs[(i * 7 + $0 * 13 + seed) % paragraphs.count] }
        scratch.write("\(folder)/article-\(i).txt", chosen.joined(separator: "\n\n") + "\n")
    }
}

@Suite("CLI: damaged, full or busy indexes fail clearly and lose nothing")
struct IntegrityEndToEndTests {
    /// An index of seeds with a user entity list, so that every kind of index file exists.
    func builtIndex(_ scratch: Scratch) throws -> String {
        scratch.write("mine.tsv", "tasnim\tactor\t-\tTasnim | Tasnim News Agency\n")
        let index = scratch.path + "/Index"
        let outcome = try CLI.run(["index", "seeds", "--index", index, "--entities", scratch.path + "/mine.tsv"], in: CLI.packageRoot.path)
        guard outcome.status == 0 else { throw CLI.CLIFailure(outcome: outcome) }
        return index
    }

    @Test func checkPassesOnASoundIndex() throws {
        let scratch = Scratch()
        let index = try builtIndex(scratch)
        let outcome = try CLI.run(["check", "--index", index])
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")
        #expect(outcome.stdout.hasPrefix("OK: 1 segment, 5 documents (5 live), 62 passages"))
    }

    @Test func everyDamageToEveryFileIsNamedByCheckSearchAndIndex() throws {
        let scratch = Scratch()
        let pristine = try builtIndex(scratch)
        let files = try FileManager.default.contentsOfDirectory(atPath: pristine).filter { $0 != "write.lock" }.sorted()
        #expect(files.count == 3 && files.contains("manifest.json"), "\(files)")
        enum Damage: CaseIterable { case flipFirst, flipMiddle, flipLast, truncate, delete }
        for name in files {
            for damage in Damage.allCases {
                let index = scratch.path + "/Damaged"
                try copyFolder(pristine, to: index)
                let path = index + "/" + name
                var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                switch damage {
                case .flipFirst: bytes[0] ^= 0x01
                case .flipMiddle: bytes[bytes.count / 2] ^= 0x20
                case .flipLast: bytes[bytes.count - 2] ^= 0x04
                case .truncate: bytes.removeLast(bytes.count / 2)
                case .delete: break
                }
                if damage == .delete {
                    try FileManager.default.removeItem(atPath: path)
                } else {
                    try Data(bytes).write(to: URL(fileURLWithPath: path))
                }
                let check = try CLI.run(["check", "--index", index])
                #expect(check.status == 1 && check.stdout.contains(name) && check.stdout.contains("problem:"),
                        "check, \(name), \(damage): \(check.stdout)\(check.stderr)")
                let search = try CLI.run(["search", "Palmyra", "--index", index])
                #expect(search.status == 1 && search.stderr.contains(name) && search.stdout.isEmpty,
                        "search, \(name), \(damage): \(search.stderr)")
                let update = try CLI.run(["index", "seeds", "--index", index], in: CLI.packageRoot.path)
                if name == "manifest.json" && damage == .delete {
                    // No commit to protect: the run builds anew from the sources, and says why.
                    #expect(update.status == 0 && update.stderr.contains("manifest.json' is missing"), "\(update.stderr)")
                } else {
                    #expect(update.status == 1 && update.stderr.contains(name) && update.stderr.contains("--rebuild"),
                            "index, \(name), \(damage): \(update.stderr)")
                }
            }
        }
        // --rebuild repairs, and keeps nothing of the damaged files.
        let index = scratch.path + "/Damaged"
        let repaired = try CLI.run(["index", "seeds", "--index", index, "--rebuild"], in: CLI.packageRoot.path)
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(try CLI.run(["check", "--index", index]).status == 0)
    }

    @Test func aFullDiskLeavesThePreviousCommitIntact() throws {
        let scratch = Scratch()
        try writeArticles(scratch, count: 4, seed: 1)
        let index = scratch.path + "/Index"
        #expect(try CLI.run(["index", scratch.path + "/corpus", "--index", index]).status == 0)
        let manifest = try Data(contentsOf: URL(fileURLWithPath: index + "/manifest.json"))
        let files = try FileManager.default.contentsOfDirectory(atPath: index).sorted()
        let before = try stdinAnswers(index: index)
        // A big new article cannot be written under a 256 KB file size limit.
        try writeArticles(scratch, count: 60, seed: 5, into: "more")
        let big = try (0..<60).map { try String(contentsOfFile: scratch.path + "/more/article-\($0).txt", encoding: .utf8) }.joined()
        scratch.write("corpus/big.txt", big)
        let limited = try CLI.run(["-c", "ulimit -f 256 && exec \"$0\" index \"$1\" --index \"$2\"",
                                   CLI.binary.path, scratch.path + "/corpus", index], shell: true)
        #expect(limited.status == 1 && limited.stderr.contains("File too large") && limited.stderr.contains("is as it was"),
                "\(limited.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: index + "/manifest.json")) == manifest)
        #expect(try FileManager.default.contentsOfDirectory(atPath: index).sorted() == files)
        #expect(try stdinAnswers(index: index) == before)
        #expect(try CLI.run(["check", "--index", index]).status == 0)
        // With room again, the next run completes the update.
        let next = try CLI.run(["index", scratch.path + "/corpus", "--index", index])
        #expect(next.status == 0 && next.stdout.contains("1 added"), "\(next.stdout)\(next.stderr)")
    }

    @Test func killedRunsLeaveTheOldOrTheNewCommitAndTheNextRunFinishes() throws {
        let scratch = Scratch()
        try writeArticles(scratch, count: 40, seed: 0)
        let corpus = scratch.path + "/corpus"
        let index = scratch.path + "/Index"
        #expect(try CLI.run(["index", corpus, "--index", index]).status == 0)
        let before = try stdinAnswers(index: index)
        try copyFolder(index, to: scratch.path + "/Saved")
        // The change: 10 files rewritten, 5 deleted, 10 added.
        try writeArticles(scratch, count: 10, seed: 3)
        for i in 35..<40 { try FileManager.default.removeItem(atPath: corpus + "/article-\(i).txt") }
        for i in 0..<10 { scratch.write("corpus/new-\(i).txt", "New article \(i) about Palmyra and the desert convoy near Homs.\n") }
        let reference = scratch.path + "/Reference"
        let started = Date()
        #expect(try CLI.run(["index", corpus, "--index", reference]).status == 0)
        let after = try stdinAnswers(index: reference)
        #expect(before != after)
        let duration = Date().timeIntervalSince(started)

        for attempt in 0..<8 {
            try copyFolder(scratch.path + "/Saved", to: index)
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["index", corpus, "--index", index]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: duration * Double(attempt) / 7 * 1.2)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let check = try CLI.run(["check", "--index", index])
            #expect(check.status == 0, "attempt \(attempt): \(check.stdout)\(check.stderr)")
            let answers = try stdinAnswers(index: index)
            #expect(answers == before || answers == after, "attempt \(attempt): a mixed state")
            let next = try CLI.run(["index", corpus, "--index", index])
            #expect(next.status == 0, "\(next.stderr)")
            #expect(try stdinAnswers(index: index) == after)
        }
    }

    @Test func searchesDuringIndexingSeeOneWholeCommit() throws {
        let scratch = Scratch()
        try writeArticles(scratch, count: 30, seed: 0)
        let corpus = scratch.path + "/corpus"
        let index = scratch.path + "/Index"
        #expect(try CLI.run(["index", corpus, "--index", index]).status == 0)
        let first = try stdinAnswers(index: index)
        try writeArticles(scratch, count: 30, seed: 9)
        let reference = scratch.path + "/Reference"
        #expect(try CLI.run(["index", corpus, "--index", reference]).status == 0)
        let second = try stdinAnswers(index: reference)

        // Flip the corpus between the two states while searches run.
        let writer = Thread {
            for round in 0..<4 {
                try? writeArticles(scratch, count: 30, seed: round % 2 == 0 ? 0 : 9)
                _ = try? CLI.run(["index", corpus, "--index", index])
            }
        }
        writer.start()
        var seen = 0
        while !writer.isFinished || seen < 5 {
            let answers = try stdinAnswers(index: index)
            #expect(answers == first || answers == second, "a search saw a mix of two commits")
            seen += 1
            if seen > 400 { break }
        }
        #expect(seen >= 5)
    }
}

/// A segment cut short by another program while `fahras search --stdin` has it mapped: the
/// next read faults (SIGBUS), which must end the run with a line naming the file.
@Suite("CLI: an index file cut short during a search")
struct CutShortTests {
    @Test func aTruncatedSegmentIsNamedNotACrash() throws {
        let scratch = Scratch()
        let index = try CLI.seedsIndex(in: scratch)
        let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: index).first { $0.hasSuffix(".fsg") })
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["search", "--stdin", "--index", index]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data("Deir\n".utf8))
        var answered = Data()
        while !String(decoding: answered, as: UTF8.self).contains("@time") {
            let more = output.fileHandleForReading.availableData
            guard !more.isEmpty else { break }
            answered += more
        }
        #expect(String(decoding: answered, as: UTF8.self).contains("@time"), "the first query is answered")
        #expect(truncate(index + "/" + segment, 0) == 0)
        input.fileHandleForWriting.write(Data("Raqqa Deir\n".utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationReason == .exit && process.terminationStatus == 1, "\(process.terminationReason) \(message)")
        #expect(message.hasPrefix("fahras: error: ") && message.contains(segment) && message.contains("cut short"), "\(message)")
        #expect(message.split(separator: "\n").count == 1)
    }
}
