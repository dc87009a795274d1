import Foundation
import Testing

/// `fahras extract`: what indexing would take from files, without an index.
@Suite("CLI end to end: extract")
struct ExtractEndToEndTests {
    @Test func showsMetadataPassagesAndDroppedChromeAsJSONLines() throws {
        let scratch = Scratch()
        scratch.write("page.html", """
            <html lang="ar"><head><title>تقدم الجيش في دير الزور | الموقع</title>
            <link rel="canonical" href="https://www.example.org/2017/03/04/deir/"></head>
            <body><p>شارك</p><p>١٢ آذار ٢٠١٥</p>
            <p>قالت مصادر محلية إن القوات تقدمت نحو مدينة دير الزور خلال الليل وسط اشتباكات عنيفة.</p></body></html>
            """)
        scratch.write("notes.txt", "A plain note about the convoy that reached al-Tanf on Tuesday, officials said.\n")
        let outcome = try CLI.run(["extract", scratch.path + "/page.html", scratch.path + "/notes.txt", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.count == 2, "one object per document, in the order given")
        let page = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(page["date"] as? String == "2017-03-04" && page["date_source"] as? String == "url")
        #expect(page["language"] as? String == "ar" && page["site"] as? String == "example.org")
        #expect(page["title"] as? String == "تقدم الجيش في دير الزور")
        #expect((page["passages"] as? [String])?.count == 1)
        let dropped = try #require(page["dropped"] as? [[String: String]])
        #expect(dropped.map { $0["text"] ?? "" } == ["شارك", "١٢ آذار ٢٠١٥"])
        #expect(dropped.allSatisfy { !($0["reason"] ?? "").isEmpty })
        let note = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        #expect(note["date"] is NSNull && (note["passages"] as? [String])?.count == 1)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/Index"), "no index is touched")
    }

    @Test func captionsAreDroppedUnlessKept() throws {
        let scratch = Scratch()
        scratch.write("page.html", """
            <html><body><article><p>Government forces entered the eastern districts of the city on Tuesday, residents said.</p>
            <figure><figcaption>Smoke rises over the eastern districts of the city on Tuesday. REUTERS/Omar Sanadiki</figcaption></figure>
            </article></body></html>
            """)
        func passages(_ options: [String]) throws -> [String] {
            let outcome = try CLI.run(["extract", scratch.path + "/page.html", "--format", "json"] + options)
            let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
            return object?["passages"] as? [String] ?? []
        }
        #expect(try passages([]).count == 1)
        #expect(try passages(["--keep", "captions"]).last?.hasPrefix("Smoke rises") == true)
        // The index remembers the choice; --keep none drops captions again, rebuilding.
        let index = scratch.path + "/Index"
        scratch.write("pages/page.html", try String(contentsOfFile: scratch.path + "/page.html", encoding: .utf8))
        #expect(try CLI.run(["index", scratch.path + "/pages", "--index", index, "--keep", "captions"]).status == 0)
        #expect(try CLI.searchJSON("Sanadiki", index: index).hits.count == 1)
        scratch.write("pages/later.html", "<html><body><article><p>Aid convoys reached the eastern districts on Wednesday, officials said.</p>"
                      + "<figure><figcaption>A convoy at dawn. Photo by Layla Haddad</figcaption></figure></article></body></html>")
        #expect(try CLI.run(["index", "--index", index]).status == 0)
        #expect(try CLI.searchJSON("Haddad", index: index).hits.count == 1, "a later update keeps captions too")
        let dropping = try CLI.run(["index", "--index", index, "--keep", "none"])
        #expect(dropping.status == 0 && dropping.stderr.contains("figure captions are now dropped"))
        #expect(try CLI.searchJSON("Sanadiki OR Haddad", index: index).hits.isEmpty)
        #expect(try CLI.run(["extract", scratch.path + "/page.html", "--keep", "photos"]).status != 0, "an unknown kind is refused")
    }

    @Test func jsonLinesFieldsAreShownAndABadValueNamedWithItsLine() throws {
        let scratch = Scratch()
        scratch.write("export.jsonl", """
            {"id": "a", "title": "T", "text": "Convoys reached al-Tanf on Tuesday, officials said.", "date": "2017-03-04", "site": "SANA"}
            {"id": "b", "text": "Convoys reached Palmyra on Wednesday, officials said.", "date": "yesterday"}

            """)
        let outcome = try CLI.run(["extract", scratch.path + "/export.jsonl", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let records = outcome.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(records.map { $0["path"] as? String } == ["a", "b"])
        #expect(records[0]["date"] as? String == "2017-03-04" && records[0]["site"] as? String == "SANA")
        #expect(records[1]["date"] is NSNull)
        #expect(outcome.stderr.contains("export.jsonl:2: 'date' \"yesterday\" is not a day"), "\(outcome.stderr)")
    }

    @Test func aFileThatCannotBeReadIsNamedAndTheRestShown() throws {
        let scratch = Scratch()
        scratch.write("ok.txt", "A plain note about the convoy that reached al-Tanf on Tuesday, officials said.\n")
        let outcome = try CLI.run(["extract", scratch.path + "/missing.html", scratch.path + "/ok.txt"])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("missing.html"), "\(outcome.stderr)")
        #expect(outcome.stdout.contains("al-Tanf"))
    }
}
