import Fahras
import Foundation
import Testing

/// A folder of small news pages, written for these tests, and an index of it.
struct Archive {
    let folder: String
    let index: String

    /// Three articles: two spellings of one town in Latin script and one in Arabic.
    init() throws {
        let root = NSTemporaryDirectory() + "fahras-library-" + UUID().uuidString
        folder = root + "/pages"
        index = root + "/Index"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Archive.page(title: "Shelling resumes near Deir Ezzor", site: "Example News", date: "2017-03-04",
                         paragraphs: ["Government aircraft struck villages east of Deir Ezzor on Saturday, residents said, after a week of relative calm in the province.",
                                      "Aid groups asked for safe passage for families leaving the countryside towards the north."])
            .write(toFile: folder + "/a.html", atomically: true, encoding: .utf8)
        try Archive.page(title: "Convoy reaches Dayr al-Zawr", site: "Other Outlet", date: "2018-06-01",
                         paragraphs: ["A convoy of twenty trucks reached Dayr al-Zawr on Friday carrying flour, medicine and fuel for the winter months.",
                                      "Drivers said the road from the west had been cleared of mines during the previous week."])
            .write(toFile: folder + "/b.html", atomically: true, encoding: .utf8)
        try Archive.page(title: "قافلة تصل إلى دير الزور", site: "Arabic Outlet", date: "2018-07-01", lang: "ar",
                         paragraphs: ["وصلت قافلة مساعدات إلى مدينة دير الزور صباح اليوم تحمل الطحين والدواء والوقود للعائلات في المدينة."])
            .write(toFile: folder + "/c.html", atomically: true, encoding: .utf8)
        _ = try IndexWriter(at: index).update(paths: [folder])
    }

    static func page(title: String, site: String, date: String, lang: String = "en", paragraphs: [String]) -> String {
        """
        <!doctype html><html lang="\(lang)"><head><title>\(title) | \(site)</title>
        <meta property="og:site_name" content="\(site)"><meta property="article:published_time" content="\(date)T10:00:00Z"></head>
        <body><article><h1>\(title)</h1>\(paragraphs.map { "<p>\($0)</p>" }.joined())</article></body></html>
        """
    }

    func remove() { try? FileManager.default.removeItem(atPath: (index as NSString).deletingLastPathComponent) }
}

@Suite("Library façade: open, search, read, update")
struct LibraryTests {
    @Test func searchFindsEverySpellingWithTheArticleAround() throws {
        let archive = try Archive()
        defer { archive.remove() }
        let index = try SearchIndex(at: archive.index)
        var options = SearchOptions(limit: 10, facets: [.site, .year])
        let results = try index.search("Deir Ezzor", options: options)
        let documents = Set(results.hits.map { ($0.document as NSString).lastPathComponent })
        #expect(documents == ["a.html", "b.html", "c.html"], "every spelling, both scripts")
        let matched = results.hits.flatMap { hit in hit.highlights.map { String(hit.text[$0]) } }
        #expect(Set(matched).isSuperset(of: ["Deir Ezzor", "Dayr al-Zawr", "دير الزور"]), "\(matched)")
        let latin = try #require(results.hits.first { $0.document.hasSuffix("a.html") })
        #expect(latin.title == "Shelling resumes near Deir Ezzor" && latin.site == "Example News" && latin.date == "2017-03-04")
        #expect(results.facets.map(\.field) == [.site, .year])
        #expect(results.facets[1].values.map(\.value) == ["2017", "2018"])
        #expect(results.spellings.map(\.text).contains("Dayr al-Zawr"))
        // Filters never add: the 2018 articles only.
        options.since = "2018"
        let since = try index.search("Deir Ezzor", options: options)
        #expect(Set(since.hits.map { ($0.document as NSString).lastPathComponent }) == ["b.html", "c.html"])
    }

    @Test func pagingReturnsTheNextHits() throws {
        let archive = try Archive()
        defer { archive.remove() }
        let index = try SearchIndex(at: archive.index)
        let all = try index.search("Deir Ezzor", options: SearchOptions(limit: 3)).hits.map(\.document)
        let second = try index.search("Deir Ezzor", options: SearchOptions(limit: 1, offset: 1)).hits.map(\.document)
        #expect(all.count == 3 && second == [all[1]])
        #expect(try index.search("Deir Ezzor", options: SearchOptions(limit: 2, offset: 50)).hits.isEmpty)
    }

    @Test func rankGivesTheHitsOfSearchAsIdsAndScores() throws {
        let archive = try Archive()
        defer { archive.remove() }
        let index = try SearchIndex(at: archive.index)
        var options = SearchOptions(limit: 10)
        options.collapse = false
        for query in ["Deir Ezzor", "convoy OR aircraft", "\"safe passage\"", "site:\"Other Outlet\"", "nothing-like-this"] {
            let hits = try index.search(query, options: options).hits
            let ranked = try index.rank(query, options: options)
            #expect(ranked == hits.map { RankedPassage(document: $0.document, passage: $0.passage, score: $0.score) }, "\(query)")
        }
        #expect(try index.rank("Deir Ezzor", options: options).count == 6, "each article's headline and first paragraph")
        options.offset = 1
        #expect(try index.rank("Deir Ezzor", options: options) == Array(try index.search("Deir Ezzor", options: options).hits
            .map { RankedPassage(document: $0.document, passage: $0.passage, score: $0.score) }))
        // What rank does not do is refused, not ignored.
        func reason(_ options: SearchOptions) -> FahrasError.Reason? {
            do { _ = try index.rank("Deir", options: options) } catch { return error.reason }
            return nil
        }
        #expect(reason(SearchOptions()) == .badOption, "collapsing is on by default")
        var facets = options
        facets.facets = [.site]
        #expect(reason(facets) == .badOption)
        var newest = options
        newest.sort = .newest
        #expect(reason(newest) == .badOption)
        #expect(reason(SearchOptions(limit: 0)) == .badOption)
    }

    @Test func errorsCarryAReasonToSwitchOn() throws {
        let archive = try Archive()
        defer { archive.remove() }
        func reason(_ body: () throws(FahrasError) -> Void) -> FahrasError.Reason? {
            do { try body() } catch { return error.reason }
            return nil
        }
        #expect(reason { () throws(FahrasError) in _ = try SearchIndex(at: archive.index + "-missing") } == .indexNotFound)
        let index = try SearchIndex(at: archive.index)
        #expect(reason { () throws(FahrasError) in _ = try index.search("(Deir") } == .badQuery)
        #expect(reason { () throws(FahrasError) in _ = try index.search("Deir", options: SearchOptions(limit: 0)) } == .badOption)
        #expect(reason { () throws(FahrasError) in _ = try index.search("Deir", options: SearchOptions(offset: -1)) } == .badOption)
        var badDate = SearchOptions()
        badDate.until = "2017-13"
        #expect(reason { () throws(FahrasError) in _ = try index.search("Deir", options: badDate) } == .badOption)
        #expect(reason { () throws(FahrasError) in _ = try index.document("no-such-document") } == .documentNotFound)
        #expect(reason { () throws(FahrasError) in _ = try IndexWriter(at: archive.index).update(paths: [archive.folder + "/none"]) } == .badInput)
    }

    @Test func documentsVariantsEntitiesAndStatistics() throws {
        let archive = try Archive()
        defer { archive.remove() }
        let index = try SearchIndex(at: archive.index)
        let hit = try #require(try index.search("convoy trucks").hits.first)
        let document = try index.document(hit.document)
        #expect(document.title == "Convoy reaches Dayr al-Zawr" && document.passageCount == document.passages.count)
        #expect(document.fields.contains { $0 == ("site", "Other Outlet") })
        let one = try index.document(hit.document, passage: hit.passage)
        #expect(one.passages.count == 1 && one.passages[0].text == hit.text)
        let spellings = try index.variants(of: "Deir Ezzor").map(\.text)
        #expect(Set(spellings).isSuperset(of: ["Deir Ezzor", "Dayr al-Zawr", "دير الزور"]), "\(spellings)")
        let entities = try index.entities()
        let town = try #require(entities.first { $0.id == "deir-ez-zor" })
        var every = SearchOptions(limit: 100)
        every.collapse = false
        // Each article names the town in its headline and its first paragraph.
        #expect(town.passages == 6 && town.type == "place")
        #expect(try index.search("actor:deir-ez-zor", options: every).total == town.passages)
        let stats = index.statistics
        #expect(stats.documents == 3 && stats.passages == index.statistics.segments.reduce(0) { $0 + $1.passages })
        #expect(stats.fields.first { $0.name == "date" }?.firstDate == "2017-03-04")
    }

    @Test func anOpenIndexSeesANewCommitOnlyWhenReopened() throws {
        let archive = try Archive()
        defer { archive.remove() }
        let before = try SearchIndex(at: archive.index)
        #expect(!before.hasNewerCommit)
        try Archive.page(title: "Bridge reopened in Deir Ezzor", site: "Example News", date: "2019-01-01",
                         paragraphs: ["Engineers reopened the suspension bridge in Deir Ezzor to trucks and cars after two years of repairs."])
            .write(toFile: archive.folder + "/d.html", atomically: true, encoding: .utf8)
        let summary = try IndexWriter(at: archive.index).update(paths: [])
        #expect(summary.added == 1 && summary.unchanged == 3 && summary.committed)
        #expect(before.hasNewerCommit)
        #expect(try before.search("suspension bridge").hits.isEmpty, "the open commit is unchanged")
        let after = try before.reopened()
        #expect(after.generation == before.generation + 1)
        #expect(try after.search("suspension bridge").hits.first?.document.hasSuffix("d.html") == true)
        #expect(!after.hasNewerCommit)
    }
}

/// An index built with `--names off` holds plain words: what needs names says so, instead of
/// calling ISIS an unknown entity or Deir a common English word.
@Suite("Library façade: an index without names")
struct NamesOffTests {
    @Test func whatNeedsNamesSaysTheIndexHasNone() throws {
        let archive = try Archive()
        defer { archive.remove() }
        let withNames = try SearchIndex(at: archive.index)
        var actors = SearchOptions()
        actors.actors = ["Deir Ezzor"]
        #expect(try Set(withNames.search("convoy", options: actors).hits.map(\.document)).count == 3, "with names, --actor finds the entity")
        #expect(try !withNames.variants(of: "Deir Ezzor").isEmpty, "with names, the spellings are listed")
        #expect(try withNames.entities().contains { $0.id == "deir-ez-zor" })

        var options = IndexWriter.Options(rebuild: true)
        options.nameFolding = false
        _ = try IndexWriter(at: archive.index).update(paths: [archive.folder], options: options)
        let plain = try SearchIndex(at: archive.index)
        let plainHits = try plain.search("Deir").hits
        #expect(!plainHits.isEmpty && plainHits.allSatisfy { $0.document.hasSuffix("a.html") }, "plain words only")
        let attempts: [(String, () throws -> Void)] = [
            ("actor:", { _ = try plain.search("actor:ISIS") }),
            ("--actor", { _ = try plain.search("convoy", options: actors) }),
            ("variants", { _ = try plain.variants(of: "Deir") }),
            ("entities", { _ = try plain.entities() }),
        ]
        for (what, attempt) in attempts {
            do {
                try attempt()
                Issue.record("\(what) did not fail on an index without names")
            } catch let error as FahrasError {
                #expect(error.reason == .badQuery, "\(what)")
                #expect(error.message.contains("--names off") && error.message.contains("--names on"), "\(what): \(error.message)")
            }
        }
    }

    /// Messages are one line whatever the query holds.
    @Test func errorMessagesAreOneLine() throws {
        let archive = try Archive()
        defer { archive.remove() }
        let index = try SearchIndex(at: archive.index)
        #expect {
            try index.search("!!\n\u{1B}??")
        } throws: { error in
            let message = (error as! FahrasError).message
            return !message.contains("\n") && !message.contains("\u{1B}") && message.contains("\\u{A}")
        }
    }
}
