import Foundation
import Testing

@Suite("CLI: bad input is named, the rest indexed, nothing half-written")
struct BadInputTests {
    @Test func badFilesAreSkippedWithWarnings() throws {
        let corpus = Scratch()
        corpus.write("good.txt", "Fighters entered al-Mayadeen on Sunday after heavy clashes, the monitor said.\n")
        corpus.write("empty.txt", "")
        corpus.write("binary.txt", Array("PNG".utf8) + [0, 0, 1, 2, 3])
        corpus.write("latin1.txt", Array("Caf".utf8) + [0xE9] + Array(" in the old town of Homs, where residents gathered.".utf8))
        corpus.write("chrome.html", "<html><body><nav>Home News</nav><p>Scroll Up</p></body></html>")
        corpus.write("notes.md", "not indexed: wrong extension")
        corpus.write(".hidden.txt", "hidden files are skipped entirely, said nobody at all today.")
        // One line of several megabytes with a rare word at its end.
        let line = String(repeating: "The convoy moved along the desert road. ", count: 80_000) + "Zenobia."
        corpus.write("huge-line.txt", line)
        let index = corpus.path + "/Index"
        let outcome = try CLI.run(["index", corpus.path, corpus.path + "/missing.txt", "--index", index])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        for name in ["empty.txt: file is empty", "binary.txt: binary file", "latin1.txt: not valid UTF-8 (bad byte at offset 3)",
                     "chrome.html: no article text", "missing.txt: no such file or directory"] {
            #expect(outcome.stderr.contains(name), "missing warning: \(name)")
        }
        #expect(!outcome.stderr.contains("hidden"))
        #expect(outcome.stdout.hasPrefix("Indexed 2 files"))
        #expect(outcome.stdout.contains("5 skipped"))
        #expect(outcome.stdout.contains("1 ignored for their extension"))
        #expect((try CLI.searchJSON("Mayadeen", index: index))["total"] as? Int == 1)
        #expect((try CLI.searchJSON("Zenobia", index: index))["total"] as? Int == 1)
    }

    @Test func thousandsOfFilesInNestedFolders() throws {
        let corpus = Scratch()
        for i in 0..<2_000 {
            corpus.write("part\(i % 10)/sub\(i % 7)/article-\(i).txt", "Report number \(i) from the eastern desert: unit\(i) advanced at dawn.\n")
        }
        let index = corpus.path + "/Index"
        let outcome = try CLI.run(["index", corpus.path, "--index", index])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("Indexed 2000 files: 2000 passages"))
        // Progress is for terminals: through a pipe, standard error stays empty.
        #expect(!outcome.stderr.contains("indexing:"), "\(outcome.stderr)")
        #expect((try CLI.searchJSON("unit1234", index: index))["total"] as? Int == 1)
        #expect((try CLI.searchJSON("desert", index: index, limit: 5))["total"] as? Int == 2_000)

        // A budget of 1 MB (the builder's buffers and tables, counted as allocated) is reached
        // several times by these small files: segments are written at the budget, merged as
        // the policy asks, and every document is found. With no room at all the run is
        // refused before anything is read.
        let budgeted = try CLI.run(["index", corpus.path, "--index", index, "--rebuild", "--memory-budget", "1"])
        #expect(budgeted.status == 0)
        #expect(budgeted.stdout.hasPrefix("Indexed 2000 files: 2000 passages") && budgeted.stdout.contains("written at the memory budget"),
                "\(budgeted.stdout)")
        #expect((try CLI.searchJSON("unit1234", index: index))["total"] as? Int == 1)
        #expect((try CLI.searchJSON("desert", index: index, limit: 5))["total"] as? Int == 2_000)
        let refused = try CLI.run(["index", corpus.path, "--index", index, "--memory-budget", "0"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--memory-budget must be from 1 to"), "\(refused.stderr)")
    }

    @Test func failedRunLeavesThePreviousIndexIntact() throws {
        let corpus = Scratch()
        corpus.write("a.txt", "The army advanced towards Palmyra on Monday, the agency reported.\n")
        let index = corpus.path + "/Index"
        #expect(try CLI.run(["index", corpus.path, "--index", index]).status == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: index).sorted()
        let manifest = try Data(contentsOf: URL(fileURLWithPath: index + "/manifest.json"))

        let empty = Scratch()
        empty.write("empty.txt", "")
        let failed = try CLI.run(["index", empty.path, corpus.path + "/nope", "--index", index])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("nothing to index"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: index).sorted() == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: index + "/manifest.json")) == manifest)
        #expect((try CLI.searchJSON("Palmyra", index: index))["total"] as? Int == 1)
    }

    @Test func damagedIndexIsReportedNotCrashed() throws {
        let corpus = Scratch()
        corpus.write("a.txt", "The army advanced towards Palmyra on Monday, the agency reported.\n")
        let index = corpus.path + "/Index"
        #expect(try CLI.run(["index", corpus.path, "--index", index]).status == 0)
        let segment = index + "/seg-000001.fsg"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: segment))
        let outcome = try CLI.run(["search", "Palmyra", "--index", index])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("seg-000001.fsg") && outcome.stderr.contains("damaged"))
    }
}

@Suite("CLI: options at the ends of their ranges")
struct OptionRangeTests {
    /// A limit past the passages is all of them, however large (it crashed at Int.max and
    /// aborted allocating at 10^15); a memory budget that would overflow in bytes is refused.
    @Test func hugeLimitsAnswerAndHugeBudgetsAreRefused() throws {
        let scratch = Scratch()
        let index = try CLI.seedsIndex(in: scratch, named: "Index")
        let all = try CLI.searchJSON("Deir", index: index, limit: 1000)
        for limit in ["9223372036854775807", "1000000000000000"] {
            for collapse in [[], ["--no-collapse"]] {
                let run = try CLI.run(["search", "Deir", "--index", index, "--limit", limit, "--format", "json"] + collapse)
                #expect(run.status == 0, "\(limit) \(collapse): \(run.stderr)")
                let body = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
                #expect(body?["total"] as? Int == all["total"] as? Int)
            }
            let stdin = try CLI.run(["search", "--stdin", "--index", index, "--limit", limit], input: "Deir\n")
            #expect(stdin.status == 0 && stdin.stdout.contains("@time"), "\(stdin.stderr)")
        }
        let budget = try CLI.run(["index", CLI.seeds, "--index", index, "--memory-budget", "8796093022208"])
        #expect(budget.status != 0 && budget.stderr.contains("--memory-budget must be from 1 to 1048576"), "\(budget.stderr)")
    }

    /// `--time-limit` takes a positive number of seconds up to a day; a search past it stops
    /// with one line saying so, and a limit it stays within changes nothing.
    @Test func aTimeLimitIsCheckedAndKept() throws {
        let scratch = Scratch()
        let index = try CLI.seedsIndex(in: scratch, named: "Index")
        for bad in ["0", "-1", "nan", "inf", "86401"] {
            for command in [["search", "Deir", "--index", index], ["serve", "--index", index]] {
                let run = try CLI.run(command + ["--time-limit=" + bad])
                #expect(run.status != 0 && run.stderr.contains("--time-limit must be a number of seconds above 0"), "\(bad): \(run.stderr)")
            }
        }
        let stopped = try CLI.run(["search", "Deir", "--index", index, "--time-limit", "0.000000001"])
        #expect(stopped.status == 1 && stopped.stderr.contains("took longer than its limit"), "\(stopped.stderr)")
        let kept = try CLI.searchJSON("Deir", index: index, limit: 1000, options: ["--time-limit", "600"])
        let free = try CLI.searchJSON("Deir", index: index, limit: 1000)
        #expect(kept["total"] as? Int == free["total"] as? Int)
        #expect((kept["hits"] as? [[String: Any]])?.count == (free["hits"] as? [[String: Any]])?.count)
    }
}

@Suite("CLI: a query as a user types it")
struct QueryArgumentTests {
    /// Words given unquoted are one query, and a query that begins with `-` is a query, not
    /// an option (it printed the help page, or "missing QUERY"); a mistyped option is still
    /// named as one.
    @Test func unquotedWordsAndLeadingMinusesAreTheQuery() throws {
        let scratch = Scratch()
        let index = try CLI.seedsIndex(in: scratch, named: "Index")
        func total(_ arguments: [String]) throws -> Int? {
            let run = try CLI.run(["search"] + arguments + ["--index", index, "--format", "json", "--no-collapse", "--limit", "100"])
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            return (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["total"] as? Int
        }
        #expect(try total(["ISIS", "Daesh"]) == total(["ISIS Daesh"]))
        #expect(try total(["-Daesh", "Raqqa"]) == total(["-Daesh Raqqa"]))
        #expect(try total(["Raqqa", "-Daesh"]) == total(["Raqqa -Daesh"]))
        #expect(try total(["-Daesh Raqqa"]) ?? 0 > 0)
        let typo = try CLI.run(["search", "Deir", "--limt", "3", "--index", index])
        #expect(typo.status != 0 && typo.stderr.contains("unknown option '--limt'"), "\(typo.stderr)")
        let variants = try CLI.run(["variants", "Deir", "ez-Zor", "--index", index])
        let quoted = try CLI.run(["variants", "Deir ez-Zor", "--index", index])
        #expect(variants.status == 0 && variants.stdout == quoted.stdout && variants.stdout.contains("Deir Ezzor"))
    }
}

@Suite("CLI: advice that is right")
struct AdviceTests {
    /// A run that finds nothing to index says why (the warnings were said to be "above",
    /// with nothing above), and an unknown actor points to --entities, not to a file the
    /// index does not read.
    @Test func nothingToIndexSaysWhyAndUnknownActorsSayHowToAddOne() throws {
        let scratch = Scratch()
        scratch.write("empty/a.txt", "")
        let missing = try CLI.run(["index", scratch.path + "/none", "--index", scratch.path + "/Index"])
        #expect(missing.status == 1 && missing.stderr.contains("none: no such file or directory"), "\(missing.stderr)")
        // The failed first run leaves no folder holding only write.lock; a folder the user
        // made is left as it was.
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/Index"))
        try FileManager.default.createDirectory(atPath: scratch.path + "/Mine", withIntermediateDirectories: true)
        #expect(try CLI.run(["index", scratch.path + "/none", "--index", scratch.path + "/Mine"]).status == 1)
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/Mine"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/Mine").isEmpty, "no write.lock left in it")
        #expect(try CLI.run(["optimize", "--index", scratch.path + "/Mine"]).status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/Mine").isEmpty, "nor by optimize")
        let empty = try CLI.run(["index", scratch.path + "/empty", "--index", scratch.path + "/Index"])
        #expect(empty.stderr.contains("a.txt: file is empty") && !empty.stderr.contains("above"), "\(empty.stderr)")
        let index = try CLI.seedsIndex(in: scratch, named: "Seeds")
        let actor = try CLI.run(["search", "actor:Nobody", "--index", index])
        #expect(actor.status == 1 && actor.stderr.contains("fahras index --entities FILE") && !actor.stderr.contains("Index/entities.tsv"))
        scratch.write("one/a.txt", "Shelling near Deir Ezzor resumed on Sunday, residents of the villages said.\n")
        #expect(try CLI.run(["index", scratch.path + "/one", "--index", scratch.path + "/One"]).status == 0)
        let zero = try CLI.run(["index", scratch.path + "/one", "--index", scratch.path + "/Zero", "--entities", "/dev/zero"])
        #expect(zero.status == 1 && zero.stderr.contains("/dev/zero: it is not a regular file"), "\(zero.stderr)")
        let stats = try CLI.run(["stats", "--index", scratch.path + "/One"])
        #expect(stats.stdout.contains(": 1 document, 1 passage, "), "\(stats.stdout)")
    }
}

@Suite("CLI: control characters from the archive never reach the terminal")
struct ControlCharacterTests {
    /// A JSON Lines id with a newline and ESC, a title with an OSC sequence, a text with a
    /// clear-screen: shown as \u{…}, on one line, in text output and the --stdin protocol.
    @Test func idsTitlesAndTextsAreShownEscaped() throws {
        let scratch = Scratch()
        scratch.write("feed/x.jsonl", #"{"id": "evil\nid\u001b[31m", "title": "T\u001b]0;pwned\u0007", "text": "Shelling near Deir Ezzor resumed on Sunday, residents said \u001b[2J today."}"# + "\n")
        let index = scratch.path + "/Index"
        #expect(try CLI.run(["index", scratch.path + "/feed", "--index", index]).status == 0)
        let text = try CLI.run(["search", "Deir", "--index", index])
        #expect(!text.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(text.stdout)")
        #expect(text.stdout.contains(#"evil\u{A}id\u{1B}[31m#0"#) && text.stdout.contains(#"\u{1B}[2J today"#))
        let stdin = try CLI.run(["search", "--stdin", "--index", index], input: "Deir\n")
        let lines = stdin.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix(#"evil\u{A}id\u{1B}[31m#0 "#) == true && lines.count == 4, "\(lines)")
    }
}

@Suite("CLI: help and errors in one style")
struct HelpStyleTests {
    /// Help paragraphs are re-flowed by the terminal's width, not cut where the source
    /// broke its lines (which left lines of one or two words at 80 columns); an argument
    /// error reads "fahras: error:" like every other error.
    @Test func helpIsReflowedAndErrorsShareTheirPrefix() throws {
        for command in ["index", "search", "extract", "serve", "entities", "check"] {
            let help = try CLI.run([command, "--help"], environment: ["COLUMNS": "80"])
            let overview = help.stdout.components(separatedBy: "USAGE:").first ?? ""
            let lines = overview.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (i, line) in lines.enumerated().dropLast() where !line.isEmpty && !line.hasPrefix(" ") && !lines[i + 1].isEmpty {
                #expect(line.count > 50, "\(command): a ragged line '\(line)'")
            }
        }
        let unknown = try CLI.run(["index", "--bogus"])
        #expect(unknown.status != 0 && unknown.stderr.hasPrefix("fahras: error: Unknown option '--bogus'"), "\(unknown.stderr)")
    }
}

@Suite("CLI: advice names the index in use")
struct IndexAdviceTests {
    /// The rebuild and check advice of a damaged index carries --index DIR when DIR is not
    /// the default (following it as printed repaired Index/, not the damaged index).
    @Test func damagedIndexAdviceCarriesTheIndexOption() throws {
        let scratch = Scratch()
        let index = try CLI.seedsIndex(in: scratch, named: "Other")
        let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: index).first { $0.hasSuffix(".fsg") })
        let handle = try #require(FileHandle(forWritingAtPath: index + "/" + segment))
        handle.seekToEndOfFile()
        handle.write(Data("x".utf8))
        handle.closeFile()
        let search = try CLI.run(["search", "Deir", "--index", index])
        #expect(search.status == 1 && search.stderr.contains("`fahras index --rebuild --index \(index)`"), "\(search.stderr)")
        let check = try CLI.run(["check", "--index", index])
        #expect(check.stdout.contains("--rebuild --index \(index)") && check.stderr.contains("--rebuild --index \(index) PATH…"))
        let update = try CLI.run(["index", CLI.seeds, "--index", index])
        #expect(update.stderr.contains("`fahras check --index \(index)`"), "\(update.stderr)")
    }
}

@Suite("CLI: nothing in a folder is passed over silently")
struct SilentSkipTests {
    /// Files passed over for their extension are named (the first three), with how to index
    /// one; a FIFO with an indexed extension is a warning, not silence.
    @Test func ignoredFilesAndFIFOsAreNamed() throws {
        let scratch = Scratch()
        scratch.write("feed/a.txt", "Shelling near Deir Ezzor resumed on Sunday, residents of the villages said.\n")
        scratch.write("feed/notes.md", "notes")
        scratch.write("feed/scan.pdf", "pdf")
        #expect(mkfifo(scratch.path + "/feed/pipe.txt", 0o644) == 0)
        let run = try CLI.run(["index", scratch.path + "/feed", "--index", scratch.path + "/Index"])
        #expect(run.status == 0 && run.stdout.contains("2 ignored for their extension"), "\(run.stdout)")
        #expect(run.stderr.contains("2 files in the folders passed over for their extension (") && run.stderr.contains("notes.md")
            && run.stderr.contains("scan.pdf") && run.stderr.contains("fahras index FILE"), "\(run.stderr)")
        #expect(run.stderr.contains("pipe.txt: not a regular file (a FIFO, device or socket)"), "\(run.stderr)")
    }
}

@Suite("CLI: a rebuild says its real reason")
struct RebuildReasonTests {
    /// Switching --names off and on again named five changed data files and another fahras
    /// version, none of which had changed.
    @Test func switchingNameFoldingSaysSo() throws {
        let scratch = Scratch()
        let index = try CLI.seedsIndex(in: scratch)
        let off = try CLI.run(["index", "--names", "off", "--index", index])
        #expect(off.stderr.contains("rebuilding the whole index: name folding is now off (--names off)") && !off.stderr.contains("version"),
                "\(off.stderr)")
        let on = try CLI.run(["index", "--names", "on", "--index", index])
        #expect(on.stderr.contains("rebuilding the whole index: name folding is now on (--names on)") && !on.stderr.contains(".tsv"),
                "\(on.stderr)")
    }
}

@Suite("CLI: a JSON Lines record without text is named")
struct EmptyRecordTests {
    /// A record whose text is empty or blank was dropped without a word.
    @Test func recordsWithoutTextAreNamedWithTheirLine() throws {
        let scratch = Scratch()
        scratch.write("feed/x.jsonl", """
            {"id": "a", "text": "Shelling near Deir Ezzor resumed on Sunday, residents of the villages said."}
            {"id": "b", "text": ""}
            {"id": "c", "title": "Convoy reaches Dayr al-Zawr", "text": "   "}

            """)
        let run = try CLI.run(["index", scratch.path + "/feed", "--index", scratch.path + "/Index"])
        #expect(run.status == 0 && run.stdout.contains("1 passages"), "\(run.stdout)")
        #expect(run.stderr.contains("x.jsonl: line 2: record 'b' has no text; nothing of it is indexed"), "\(run.stderr)")
        #expect(run.stderr.contains("x.jsonl: line 3: record 'c' has no text; nothing of it is indexed"), "\(run.stderr)")
    }
}

@Suite("CLI: links out of a scraped tree")
struct FollowOutsideTests {
    @Test func noFollowOutsideLeavesLinkedFilesOut() throws {
        let scratch = Scratch()
        scratch.write("tree/a.txt", "Shelling near Deir Ezzor overnight, residents of the town said on Monday.")
        scratch.write("secret.txt", "The quokka password file of the machine, outside the scraped tree.")
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/tree/link.txt", withDestinationPath: scratch.path + "/secret.txt")
        let careful = try CLI.run(["index", "tree", "--index", "Careful", "--no-follow-outside"], in: scratch.path)
        #expect(careful.status == 0 && careful.stderr.contains("link.txt") && careful.stderr.contains("not followed"), "\(careful.stderr)")
        #expect(try CLI.run(["search", "quokka", "--index", scratch.path + "/Careful"]).stdout.contains("No passage"))
        let plain = try CLI.run(["index", "tree", "--index", "Plain"], in: scratch.path)
        #expect(plain.status == 0 && !plain.stderr.contains("not followed"))
        #expect(try CLI.run(["search", "quokka", "--index", scratch.path + "/Plain"]).stdout.contains("quokka"))
    }
}
