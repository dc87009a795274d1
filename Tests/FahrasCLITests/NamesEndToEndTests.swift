import Foundation
import Testing

/// Name folding, entities and the discovery commands through the executable, on seeds/.
@Suite("CLI end to end: names and entities", .serialized)
struct NamesEndToEndTests {
    var index: String { SeedsEndToEndTests.index.path + "/Index" }

    /// Every passage text a query returns, white space collapsed.
    func texts(_ query: String) throws -> [String] {
        try CLI.searchJSON(query, index: index, limit: 200).hits.compactMap { ($0["text"] as? String).map(Self.collapsed) }
    }

    /// Runs of white space (no-break spaces included) as one space, as extraction does.
    static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The seed paragraphs that match `pattern`, read straight from the files.
    static func seedParagraphs(matching pattern: String) throws -> Set<String> {
        let regex = try NSRegularExpression(pattern: pattern)
        var out = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: CLI.seeds) {
            let text = try String(contentsOfFile: CLI.seeds + "/" + name, encoding: .utf8)
            for paragraph in text.components(separatedBy: "\n\n") {
                let line = collapsed(paragraph)
                if regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil { out.insert(line) }
            }
        }
        return out
    }

    func matches(_ text: String, _ pattern: String) -> Bool {
        (try? NSRegularExpression(pattern: pattern))?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    @Test(arguments: [
        // Each spelling group of the seeds, found in full from any one spelling by folding.
        (["\"Deir Ezzur\"", "\"Deir Ezzor\"", "\"Der Ezzor\"", "\"Dayr al-Zawr\"", "\"Deir al-Zour\"", "\"Deir ez-Zor\""],
         #"Deir Ezzur|Deir Ezzor|Der Ezzor|Dayr al-Zawr|Deir al-Zour"#),
        (["Sokhna", "Al-Sukhna", "Sukhnah"], #"Sokhna|Sukhna"#),
        (["\"al-Bu Kamal\"", "Albukamal", "\"Abu Kamal\""], #"al-Bu Kamal|Albukamal"#),
        (["Mayadin", "Al-Mayadeen"], #"Mayadeen"#),
        (["Shadadi", "al-Shaddadi"], #"Shaddadi"#),
        (["Hamimah", "al-Hamimeh"], #"Hamimah|Hamimeh"#),
        (["Badiyeh", "Badia"], #"Badiyeh|Badia"#),
    ])
    func spellingGroupFoundFromAnySpelling(_ queries: [String], _ pattern: String) throws {
        let expected = try Self.seedParagraphs(matching: pattern)
        #expect(!expected.isEmpty)
        for query in queries {
            let found = Set(try texts(query).filter { matches($0, pattern) })
            #expect(found == expected, "\(query): missing \(expected.subtracting(found)), extra \(found.subtracting(expected))")
        }
    }

    @Test(arguments: [
        // Each spelling group of the seeds, with spellings the seeds lack (Deir ez-Zor, Hmeimim,
        // Abou Kemal): every passage naming the place ranks above every passage that does not.
        (["Deir Ezzur", "Deir Ezzor", "Der Ezzor", "Dayr al-Zawr", "Deir al-Zour", "Deir ez-Zor"],
         #"Deir Ezzur|Deir Ezzor|Der Ezzor|Dayr al-Zawr|Deir al-Zour"#),
        (["Abu Kamal", "al-Bu Kamal", "Albukamal", "Abou Kemal"], #"al-Bu Kamal|Albukamal|Albuakmal"#),
        (["Humeimim", "Hmeimim", "Khmeimim"], #"Humeimim"#),
        (["al-Tanf", "Tanf", "At-Tanf"], #"[Tt]anf"#),
    ])
    func aPlaceRanksAboveWhatDoesNotNameIt(_ spellings: [String], _ pattern: String) throws {
        for spelling in spellings {
            for query in [spelling, "\"\(spelling)\"", spelling + " airbase", "\"\(spelling)\" forces"] {
                let named = try CLI.searchJSON(query, index: index, limit: 200).hits.map {
                    matches(Self.collapsed($0["text"] as? String ?? ""), pattern)
                }
                #expect(named.contains(true), "\(query) finds the place")
                // Once a passage does not name the place, none after it does.
                if let first = named.firstIndex(of: false) {
                    #expect(!named[first...].contains(true), "\(query): a passage naming the place ranks below one that does not")
                }
            }
        }
        // Unquoted, the words of a name find its glued spelling.
        let glued = try texts("Abu Kamal").filter { $0.contains("Albukamal") }
        #expect(!glued.isEmpty)
    }

    @Test func noBundledEntitiesReplacesTheList() throws {
        let scratch = Scratch()
        scratch.write("yemen.tsv", "aden\tplace\t-\tAden | عدن\n")
        let other = scratch.path + "/Index"
        let built = try CLI.run(["index", "seeds", "--index", other, "--entities", scratch.path + "/yemen.tsv", "--no-bundled-entities"],
                                in: CLI.packageRoot.path)
        #expect(built.status == 0, "\(built.stderr)")
        let unknown = try CLI.run(["search", "actor:ISIS", "--index", other])
        #expect(unknown.status == 1 && unknown.stderr.contains("no entity in the gazetteer is called 'ISIS'"), "\(unknown.stderr)")
        // Folding does not depend on the list: spellings still meet.
        #expect(try texts2("\"Deir Ezzor\"", other).contains { $0.contains("Dayr al-Zawr") })
        // The choice is kept: a later run without the options keeps the replaced list.
        #expect(try CLI.run(["index", "seeds", "--index", other], in: CLI.packageRoot.path).status == 0)
        #expect(try CLI.run(["search", "actor:ISIS", "--index", other]).status == 1)
        let entities = try CLI.run(["entities", "--all", "--index", other])
        #expect(entities.stdout.contains("aden") && !entities.stdout.contains("islamic-state"), "\(entities.stdout)")
    }

    func texts2(_ query: String, _ index: String) throws -> [String] {
        try CLI.searchJSON(query, index: index, limit: 200).hits.compactMap { ($0["text"] as? String).map(Self.collapsed) }
    }

    @Test(arguments: [
        (["ISIS", "ISIL", "Daesh", "Deash", "\"Islamic State\""], #"ISIS|ISIL|Daesh|Deash|Islamic State"#),
        (["\"Abu Kamal\"", "Albuakmal", "Albukamal"], #"al-Bu Kamal|Albukamal|Albuakmal"#),
        (["SAA", "\"Syrian Arab Army\"", "\"Syrian Army\""],
         #"SAA|Syrian Arab Army|Syrian [Aa]rmy|Syrian government troops|Syrian soldiers|Republican Guards|5th Legion"#),
        (["\"US forces\"", "\"American forces\"", "\"US troops\"", "\"US Army\""],
         #"US [Ff]orces|American forces|US troops|US Army|US Ground Troops|US ground forces|US military|American military forces|American occupation forces"#),
        (["Palmyra", "Tadmur"], #"Palmyra"#),
        (["Tiyas", "T-4"], #"Tiyas|T-4"#),
        (["Hezbollah"], #"Hezbollah"#),
        (["PMU", "\"Popular Mobilization Units\""], #"Popular Mobilization Units|Kata’ib al-Imam Ali|Harakat Al-Nujaba"#),
        (["\"Liwa al-Quds\""], #"Liwa Al-Quds"#),
        (["\"Maqawir al-Thowra\""], #"Maqawir al-Thowra"#),
        (["SDF"], #"SDF|Syrian Democratic Forces"#),
        (["NDF"], #"NDF|National Defense Forces"#),
    ])
    func actorFindsEveryAliasAndNothingElse(_ names: [String], _ pattern: String) throws {
        let expected = try Self.seedParagraphs(matching: pattern)
        #expect(!expected.isEmpty)
        for name in names {
            let found = Set(try texts("actor:" + name))
            #expect(found == expected, "actor:\(name): missing \(expected.subtracting(found)), extra \(found.subtracting(expected))")
        }
    }

    @Test func actorISISIgnoresTheVerbAndIslamicInvitation() throws {
        let found = try texts("actor:ISIS")
        #expect(found.allSatisfy { matches($0, #"ISIS|ISIL|Daesh|Deash|Islamic State"#) })
        // The seeds' one "Is it" passage counts only through its ISIS mention.
        let corpus = Scratch()
        corpus.write("a.txt", "Is it a serious threat? Nobody in the village could say.\n\nIslamic Invitation Turkey hosted a meeting on Friday.\n\nISIS fighters withdrew from the village on Friday.\n")
        let other = corpus.path + "/Index"
        #expect(try CLI.run(["index", corpus.path, "--index", other]).status == 0)
        let hits = try CLI.searchJSON("actor:ISIS", index: other).hits.compactMap { $0["text"] as? String }
        #expect(hits == ["ISIS fighters withdrew from the village on Friday."])
    }

    @Test func actorUSNeverMatchesThePronoun() throws {
        for text in try texts("actor:US") {
            #expect(matches(text, #"\bUS\b|U\.S\.|\bUSA\b|America|United States|Washington"#), "\(text)")
        }
        let corpus = Scratch()
        corpus.write("a.txt", "Let us know what happened to us in the village last week, residents said.\n\nThe US envoy arrived in the capital on Sunday evening.\n")
        let other = corpus.path + "/Index"
        #expect(try CLI.run(["index", corpus.path, "--index", other]).status == 0)
        let hits = try CLI.searchJSON("actor:US", index: other).hits.compactMap { $0["text"] as? String }
        #expect(hits == ["The US envoy arrived in the capital on Sunday evening."])
        let option = try CLI.run(["search", "--actor", "US", "--index", other, "--format", "json"])
        #expect(option.status == 0 && option.stdout.contains("\"total\": 1"))
    }

    @Test func homsIsNotHomesNorHama() throws {
        let corpus = Scratch()
        corpus.write("a.txt", "Shelling destroyed several homes in the old quarter overnight.\n\nShelling hit Homs in the old quarter overnight.\n\nShelling hit Hama in the old quarter overnight.\n\nShelling hit Hims in the old quarter overnight.\n")
        let other = corpus.path + "/Index"
        #expect(try CLI.run(["index", corpus.path, "--index", other]).status == 0)
        func found(_ query: String) throws -> [String] {
            try CLI.searchJSON(query, index: other).hits.compactMap { $0["text"] as? String }
        }
        #expect(try found("Homs") == ["Shelling hit Homs in the old quarter overnight.", "Shelling hit Hims in the old quarter overnight."])
        #expect(try found("homes") == ["Shelling destroyed several homes in the old quarter overnight."])
        // On the seeds too: no Homs hit without Homs.
        #expect(try texts("Homs").allSatisfy { $0.contains("Homs") })
    }

    @Test func variantsListsTheSpellingsWithCounts() throws {
        let outcome = try CLI.run(["variants", "Deir ez-Zor", "--index", index, "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let spellings = (object?["spellings"] as? [[String: Any]] ?? []).compactMap { $0["spelling"] as? String }
        #expect(Set(spellings) == ["Deir Ezzur", "Deir Ezzor", "Der Ezzor", "Dayr al-Zawr", "Deir al-Zour"])
        let text = try CLI.run(["variants", "Deir ez-Zor", "--index", index])
        #expect(text.stdout.contains("Deir Ezzur") && text.stdout.contains("occurrences"))
        let common = try CLI.run(["variants", "homes", "--index", index])
        #expect(common.status == 1 && common.stderr.contains("is not a name"))
    }

    @Test func entitiesListsFoundEntitiesWithSpellings() throws {
        let outcome = try CLI.run(["entities", "--index", index, "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let entities = object?["entities"] as? [[String: Any]] ?? []
        let isis = try #require(entities.first { $0["id"] as? String == "islamic-state" })
        let spellings = Set((isis["spellings"] as? [[String: Any]] ?? []).compactMap { $0["spelling"] as? String })
        #expect(spellings.isSuperset(of: ["ISIS", "ISIL", "Daesh", "Deash"]))
        #expect(isis["passages"] as? Int == (try texts("actor:ISIS")).count)
        #expect(!entities.contains { $0["id"] as? String == "al-qaeda" && ($0["passages"] as? Int ?? 0) == 0 })
        let all = try CLI.run(["entities", "--all", "--index", index])
        #expect(all.stdout.contains("kataib-imam-ali") && all.stdout.contains("baghdad"))
    }

    @Test func userEntityListIsKeptBesideTheIndex() throws {
        let scratch = Scratch()
        scratch.write("mine.tsv", "# my list\ntasnim\tactor\t-\tTasnim | Tasnim News Agency\n")
        let other = scratch.path + "/Index"
        let built = try CLI.run(["index", "seeds", "--index", other, "--entities", scratch.path + "/mine.tsv"], in: CLI.packageRoot.path)
        #expect(built.status == 0, "\(built.stderr)")
        let kept = try FileManager.default.contentsOfDirectory(atPath: other).filter { $0.hasPrefix("entities-") }
        #expect(kept.count == 1)
        let hits = try CLI.searchJSON("actor:Tasnim", index: other).hits.compactMap { $0["text"] as? String }
        #expect(hits.count == 1 && hits[0].contains("TEHRAN (Tasnim)"))
        // A rebuild without --entities keeps using the list kept in the index.
        #expect(try CLI.run(["index", "seeds", "--index", other, "--rebuild"], in: CLI.packageRoot.path).status == 0)
        #expect(try CLI.searchJSON("actor:Tasnim", index: other)["total"] as? Int == 1)
        // Another list changes the analyzer: the next run rebuilds, and says why.
        scratch.write("mine.tsv", "tasnim\tactor\t-\tTasnim | Tasnim agency\n")
        let changed = try CLI.run(["index", "seeds", "--index", other, "--entities", scratch.path + "/mine.tsv"], in: CLI.packageRoot.path)
        #expect(changed.status == 0 && changed.stderr.contains("rebuilding the whole index: the entity list"), "\(changed.stderr)")
        // Editing the kept copy behind fahras's back is damage, and the search names the file.
        let copy = try #require(try FileManager.default.contentsOfDirectory(atPath: other).first { $0.hasPrefix("entities-") })
        scratch.write("Index/" + copy, "tasnim\tactor\t-\tTasnim | Tasnim news\n")
        let stale = try CLI.run(["search", "actor:Tasnim", "--index", other])
        #expect(stale.status == 1 && stale.stderr.contains(copy) && stale.stderr.contains("damaged"), "\(stale.stderr)")
    }

    @Test func badEntityListIsNamedAndTheIndexKept() throws {
        let scratch = Scratch()
        let other = scratch.path + "/Index"
        #expect(try CLI.run(["index", "seeds", "--index", other], in: CLI.packageRoot.path).status == 0)
        scratch.write("bad.tsv", "ok\tactor\t-\tOk\nbroken\tgroup\t-\tBroken\n")
        let outcome = try CLI.run(["index", "seeds", "--index", other, "--entities", scratch.path + "/bad.tsv"], in: CLI.packageRoot.path)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("bad.tsv:2: unknown type 'group'"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: other + "/entities.tsv"))
        #expect(try CLI.searchJSON("Tanf", index: other)["total"] as? Int == 14)
        let missing = try CLI.run(["index", "seeds", "--index", other, "--entities", scratch.path + "/none.tsv"], in: CLI.packageRoot.path)
        #expect(missing.status == 1 && missing.stderr.contains("cannot read the entity list"))
    }
}
