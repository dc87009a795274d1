import Foundation
import Testing

/// The article model through the executable: fields, filters, sort, facets and copies on a
/// generated archive whose dates, outlets and copies are known (``NewsCorpus``); every
/// expected figure is counted from the records, not from the index.
@Suite("CLI end to end: articles, filters, facets and copies", .serialized)
final class ArticlesEndToEndTests {
    let scratch = Scratch()
    let corpus = NewsCorpus(seed: 2026_12_05)
    var index: String { scratch.path + "/Index" }

    init() throws {
        scratch.write("archive/export.jsonl", corpus.jsonLines)
        let built = try CLI.run(["index", scratch.path + "/archive", "--index", index])
        guard built.status == 0 else { throw CLI.CLIFailure(outcome: built) }
    }

    /// Every hit of a query (no collapsing), as (id, passage).
    func hits(_ query: String, _ options: [String] = []) throws -> [(id: String, passage: Int, date: String?)] {
        let answer = try CLI.searchJSON(query, index: index, limit: 10_000, options: options)
        return answer.hits.map { ($0["doc"] as! String, $0["passage"] as! Int, $0["date"] as? String) }
    }

    func expected(_ word: String, where keep: (NewsCorpus.Story) -> Bool = { _ in true }) -> Set<String> {
        Set(corpus.passages.filter { NewsCorpus.holds($0.text, word) && keep($0.story) }.map { "\($0.story.id)#\($0.ordinal)" })
    }

    func keys(_ hits: [(id: String, passage: Int, date: String?)]) -> Set<String> { Set(hits.map { "\($0.id)#\($0.passage)" }) }

    @Test func hitsNameTheArticle() throws {
        let answer = try CLI.searchJSON("bakery", index: index, limit: 1)
        let hit = try #require(answer.hits.first)
        let story = try #require(corpus.stories.first { $0.id == hit["doc"] as? String })
        #expect(hit["date"] as? String == story.date)
        #expect(hit["site"] as? String == story.site)
        #expect((hit["url"] as? String)?.hasPrefix("https://\(story.site)/") == true)
    }

    @Test func dateAndSiteFiltersKeepExactlyTheirPassages() throws {
        let all = expected("offensive")
        #expect(!all.isEmpty)
        #expect(keys(try hits("offensive")) == all)
        let cases: [(String, (NewsCorpus.Story) -> Bool)] = [
            ("date:2016", { $0.date.hasPrefix("2016") }),
            ("date:2017-03", { $0.date.hasPrefix("2017-03") }),
            ("date:2015-06-01..2016-06-30", { $0.date >= "2015-06-01" && $0.date <= "2016-06-30" }),
            ("date:>=2018-01", { $0.date >= "2018-01-01" }),
            ("date:<2016", { $0.date < "2016-01-01" }),
            ("site:sana.sy", { $0.site == "sana.sy" }),
            ("-site:sana.sy", { $0.site != "sana.sy" }),
            ("author:sinjab", { $0.author == "Lina Sinjab" }),
            ("lang:en site:syriadirect.org date:2017..2018", { $0.site == "syriadirect.org" && $0.date >= "2017" }),
        ]
        for (filter, keep) in cases {
            let found = keys(try hits("offensive " + filter))
            #expect(found == expected("offensive", where: keep), "\(filter)")
            #expect(found.isSubset(of: all), "a filter only ever removes passages: \(filter)")
        }
        let since = keys(try hits("offensive", ["--since", "2017-02", "--until", "2017-12-31"]))
        #expect(since == expected("offensive") { $0.date >= "2017-02-01" && $0.date <= "2017-12-31" })
        let until = keys(try hits("offensive", ["--until", "2016"]))
        #expect(until == expected("offensive") { $0.date < "2017" }, "a year as an upper bound is its last day")
        let bad = try CLI.run(["search", "offensive", "--since", "2017-13", "--index", index])
        #expect(bad.status == 1 && bad.stderr.contains("--since 2017-13: not a date"), "\(bad.stderr)")
    }

    @Test func aTitleFilterRemovesPassagesAndScoresNothing() throws {
        // The title alone would list every passage of the story; with a word, only those naming it.
        let story = try #require(corpus.stories.first { $0.paragraphs.contains { NewsCorpus.holds($0, "offensive") } })
        let titled = try hits("title:\"Story \(story.id)\" offensive")
        #expect(keys(titled) == expected("offensive") { $0.id == story.id })
        #expect(try hits("title:\"Story \(story.id)\"").count == story.paragraphs.count)
    }

    @Test func aQueryOfFiltersListsNewestFirstAndSortOrdersByDate() throws {
        let listed = try hits("site:enabbaladi.net date:2016")
        let stories = corpus.stories.filter { $0.site == "enabbaladi.net" && $0.date.hasPrefix("2016") }
        #expect(listed.count == stories.reduce(0) { $0 + $1.paragraphs.count })
        let dates = listed.map { $0.date ?? "" }
        #expect(dates == dates.sorted(by: >), "newest first")
        let oldest = try hits("offensive", ["--sort", "date"]).map { $0.date ?? "" }
        #expect(oldest == oldest.sorted() && oldest.count == expected("offensive").count)
        let newest = try hits("offensive", ["--sort", "-date"]).map { $0.date ?? "" }
        #expect(newest == oldest.reversed())
    }

    @Test func facetsCountEveryMatchNotJustTheHitsShown() throws {
        let answer = try CLI.searchJSON("offensive", index: index, limit: 1, options: ["--facet", "actor,site,year,month,lang,author"])
        let facets = try #require(answer["facets"] as? [String: [[String: Any]]])
        let matching = corpus.passages.filter { NewsCorpus.holds($0.text, "offensive") }
        func counts(_ field: String) -> [String: [Int]] {
            Dictionary(uniqueKeysWithValues: (facets[field] ?? []).map { ($0["value"] as! String, [$0["passages"] as! Int, $0["documents"] as! Int]) })
        }
        func tally(_ value: (NewsCorpus.Story, String) -> [String]) -> [String: [Int]] {
            var passages: [String: Int] = [:]
            var documents: [String: Set<String>] = [:]
            for (story, _, text) in matching {
                for v in value(story, text) {
                    passages[v, default: 0] += 1
                    documents[v, default: []].insert(story.id)
                }
            }
            return passages.mapValues { [$0] }.merging(documents.mapValues { [$0.count] }) { $0 + $1 }
        }
        #expect(counts("site") == tally { story, _ in [story.site] })
        #expect(counts("year") == tally { story, _ in [String(story.date.prefix(4))] })
        #expect(counts("month") == tally { story, _ in [String(story.date.prefix(7))] })
        #expect(counts("lang") == tally { _, _ in ["en"] })
        #expect(counts("author") == tally { story, _ in [story.author] })
        let actors = counts("actor")
        let named = tally { _, text in NewsCorpus.actors.filter { $0.value.contains { NewsCorpus.holds(text, $0) } }.map(\.key) }
        #expect(named.count == NewsCorpus.actors.count, "every actor of the corpus is named beside 'offensive': \(named.keys)")
        for (id, expectedCount) in named {
            #expect(actors[id] == expectedCount, "\(id)")
        }
        // Time facets are in time order.
        let months = (facets["month"] ?? []).map { $0["value"] as! String }
        #expect(months == months.sorted())
    }

    @Test func republishedCopiesCollapseUnderTheEarliest() throws {
        let copy = try #require(corpus.stories.first { $0.original != nil })
        let original = try #require(corpus.stories.first { $0.id == copy.original })
        // The copies of the original's first paragraph: every story that republishes it, and itself.
        let holders = corpus.stories.filter { $0.paragraphs.contains(original.paragraphs[0]) }
        #expect(holders.count >= 2, "the corpus republishes this story")
        let phrase = original.paragraphs[0]
        let collapsed = try CLI.searchJSON("\"\(phrase.split(separator: " ").prefix(8).joined(separator: " "))\"", index: index,
                                           limit: 50, collapse: true)
        let group = try #require(collapsed.hits.first { hit in holders.contains { $0.id == hit["doc"] as? String } })
        let earliest = holders.min { ($0.date, $0.id) < ($1.date, $1.id) }!
        #expect(group["doc"] as? String == earliest.id, "the earliest copy leads")
        let copies = (group["copies"] as? [[String: Any]] ?? []).map { $0["doc"] as! String }
        #expect(Set(copies) == Set(holders.map(\.id)).subtracting([earliest.id]))
        #expect(!collapsed.hits.contains { hit in hit["doc"] as? String != earliest.id && copies.contains(hit["doc"] as! String) && hit["passage"] as? Int == 0 },
                "no copy is a hit of its own")
        // Every copy is still reachable.
        let all = try hits("\"\(phrase.split(separator: " ").prefix(8).joined(separator: " "))\"")
        #expect(Set(holders.map(\.id)).isSubset(of: Set(all.map(\.id))))
    }

    @Test func statsCountTheArticleFields() throws {
        let stats = try CLI.run(["stats", "--index", index])
        let dates = corpus.stories.map(\.date).sorted()
        #expect(stats.stdout.contains("date:          \(corpus.stories.count) (\(dates.first!) to \(dates.last!))"), "\(stats.stdout)")
        #expect(stats.stdout.contains("site:          \(corpus.stories.count); \(Set(corpus.stories.map(\.site)).count) values"))
        #expect(stats.stdout.contains("sources:") && stats.stdout.contains("/archive"))
    }

    @Test func showPrintsTheArticleAsIndexed() throws {
        let story = corpus.stories[3]
        let whole = try CLI.run(["show", story.id, "--index", index, "--format", "json"])
        #expect(whole.status == 0, "\(whole.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as? [String: Any])
        let fields = object["fields"] as? [String: String] ?? [:]
        #expect(fields["date"] == story.date && fields["site"] == story.site && fields["author"] == story.author)
        #expect((object["passages"] as? [[String: Any]])?.map { $0["text"] as! String } == story.paragraphs)
        let one = try CLI.run(["show", "\(story.id)#1", "--index", index])
        #expect(one.status == 0 && one.stdout.contains(story.paragraphs[1]) && !one.stdout.contains(story.paragraphs[0]))
        let missing = try CLI.run(["show", "nope", "--index", index])
        #expect(missing.status == 1 && missing.stderr.contains("no document"))
    }
}

@Suite("CLI end to end: the index remembers its sources")
struct SourcesEndToEndTests {
    @Test func addingAFolderKeepsTheOthersAndRemoveForgetsOne() throws {
        let scratch = Scratch()
        scratch.write("a/one.txt", "The army advanced towards Palmyra on Monday, the agency reported.\n")
        scratch.write("a/two.txt", "Aid convoys waited at the crossing for a second day without permission.\n")
        scratch.write("b/three.txt", "Engineers cleared rubble from the bridge so that trucks could cross again.\n")
        let index = scratch.path + "/Index"
        #expect(try CLI.run(["index", scratch.path + "/a", "--index", index]).status == 0)
        let added = try CLI.run(["index", scratch.path + "/b", "--index", index])
        #expect(added.status == 0 && added.stdout.contains("1 added") && added.stdout.contains("0 deleted"), "\(added.stdout)")
        let listed = try CLI.run(["sources", "--index", index])
        #expect(listed.stdout.contains("/a  2 documents") && listed.stdout.contains("/b  1 document"), "\(listed.stdout)")

        // With no PATH every source is scanned again: a vanished file goes, a new one comes.
        try FileManager.default.removeItem(atPath: scratch.path + "/a/two.txt")
        scratch.write("b/four.txt", "Markets reopened slowly as traders brought goods from the coast.\n")
        let rescan = try CLI.run(["index", "--index", index])
        #expect(rescan.status == 0 && rescan.stdout.contains("1 added") && rescan.stdout.contains("1 deleted"), "\(rescan.stdout)")

        let inside = try CLI.run(["remove", scratch.path + "/b/three.txt", "--index", index])
        #expect(inside.status == 1 && inside.stderr.contains("lies inside the source"))
        let removed = try CLI.run(["remove", scratch.path + "/b", "--index", index])
        #expect(removed.status == 0 && removed.stdout.contains("Removed 2 files"), "\(removed.stdout)\(removed.stderr)")
        #expect((try CLI.searchJSON("bridge", index: index))["total"] as? Int == 0)
        #expect((try CLI.searchJSON("Palmyra", index: index))["total"] as? Int == 1)
        #expect(!(try CLI.run(["sources", "--index", index])).stdout.contains("/b"))
    }

    @Test func aGoneSourceKeepsItsDocumentsAndSaysSo() throws {
        let scratch = Scratch()
        scratch.write("a/one.txt", "The army advanced towards Palmyra on Monday, the agency reported.\n")
        scratch.write("b/two.txt", "Engineers cleared rubble from the bridge so that trucks could cross again.\n")
        let index = scratch.path + "/Index"
        #expect(try CLI.run(["index", scratch.path + "/a", scratch.path + "/b", "--index", index]).status == 0)
        try FileManager.default.removeItem(atPath: scratch.path + "/b")
        let rescan = try CLI.run(["index", "--index", index])
        #expect(rescan.status == 0 && rescan.stderr.contains("is gone; its documents are kept"), "\(rescan.stderr)")
        #expect((try CLI.searchJSON("bridge", index: index))["total"] as? Int == 1)
        let none = try CLI.run(["index", "--index", scratch.path + "/Other"])
        #expect(none.status == 1 && none.stderr.contains("remembers no source"))
    }

    /// An index of the previous format did not record its sources: with no PATH the run says
    /// so and writes nothing; with PATHs it is rebuilt from them, saying so.
    @Test func anOlderIndexIsRebuiltFromThePathsGiven() throws {
        let scratch = Scratch()
        scratch.write("a/one.txt", "The army advanced towards Palmyra on Monday, the agency reported.\n")
        let index = scratch.path + "/Index"
        #expect(try CLI.run(["index", scratch.path + "/a", "--index", index]).status == 0)
        let manifest = index + "/manifest.json"
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        try text.replacingOccurrences(of: "\"version\" : 3", with: "\"version\" : 2").write(toFile: manifest, atomically: true, encoding: .utf8)
        let bare = try CLI.run(["index", "--index", index])
        #expect(bare.status == 1 && bare.stderr.contains("did not record its sources"), "\(bare.stderr)")
        let rebuilt = try CLI.run(["index", scratch.path + "/a", "--index", index])
        #expect(rebuilt.status == 0 && rebuilt.stderr.contains("rebuilt from the PATHs given alone"), "\(rebuilt.stderr)")
        #expect(try CLI.run(["sources", "--index", index]).stdout.contains("/a  1 document"))
    }

    @Test func aJSONLinesIdUsedTwiceKeepsTheLastRecordAndNamesBothLines() throws {
        let scratch = Scratch()
        scratch.write("export.jsonl", """
            {"id": "a", "text": "The first version said the convoy was stopped at the crossing."}
            {"id": "b", "text": "Engineers cleared rubble from the bridge so that trucks could cross again."}
            {"id": "a", "text": "The corrected version said the convoy was allowed through at noon."}
            """)
        let index = scratch.path + "/Index"
        let built = try CLI.run(["index", scratch.path + "/export.jsonl", "--index", index])
        #expect(built.status == 0)
        #expect(built.stderr.contains("line 3: the id a was already used on line 1"), "\(built.stderr)")
        #expect(!built.stderr.contains("skipped"), "the file is indexed, not skipped")
        #expect((try CLI.searchJSON("corrected", index: index))["total"] as? Int == 1)
        #expect((try CLI.searchJSON("stopped", index: index))["total"] as? Int == 0)
    }
}
