import Fahras
import Foundation
import Testing

/// A folder for a records file and an index, removed when the test ends.
private struct Scratch {
    let root = NSTemporaryDirectory() + "fahras-records-" + UUID().uuidString
    var file: String { root + "/feed.jsonl" }
    var index: String { root + "/Index" }

    init() throws { try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true) }
    func remove() { try? FileManager.default.removeItem(atPath: root) }
    func lines() throws -> [String] { try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init) }
    func documents(_ query: String) throws -> Set<String> {
        Set(try SearchIndex(at: index).search(query, options: SearchOptions(limit: 50)).hits.map(\.document))
    }
}

private let shelling = Record(id: "enab-101", title: "Shelling resumes near Deir Ezzor",
                              text: "Government aircraft struck villages east of Deir Ezzor on Saturday, residents said.",
                              date: "2017-03-04", url: "https://example.org/101", site: "Example News")
private let convoy = Record(id: "enab-102", title: "Convoy reaches the city",
                            text: "A convoy of twenty trucks reached Dayr al-Zawr on Friday carrying flour and medicine.")

@Suite("Library: indexing records given in memory")
struct RecordsTests {
    @Test func recordsAreWrittenToTheirFileAndSearchable() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let writer = IndexWriter(at: scratch.index)
        let summary = try writer.update(records: [shelling, convoy], in: scratch.file)
        #expect(summary.added == ["enab-101", "enab-102"] && summary.replaced.isEmpty && summary.index.committed)
        #expect(try scratch.documents("Deir Ezzor") == ["enab-101", "enab-102"], "both spellings")
        let hit = try #require(try SearchIndex(at: scratch.index).search("aircraft").hits.first)
        #expect(hit.title == "Shelling resumes near Deir Ezzor" && hit.date == "2017-03-04" && hit.site == "Example News")
        #expect(try scratch.lines().count == 2)
        // The file is the source: a rebuild finds the records again.
        _ = try writer.update(paths: [], options: IndexWriter.Options(rebuild: true))
        #expect(try scratch.documents("Deir Ezzor") == ["enab-101", "enab-102"])
    }

    @Test func replacesInPlaceRemovesAndKeepsOtherLinesByteForByte() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // A line written by hand, with a member Fahras does not read, and a blank line.
        let handWritten = #"{"id": "hand-1", "text": "Residents of Raqqa fled south across the river.", "source_feed": "rss"}"#
        try (handWritten + "\n\n").write(toFile: scratch.file, atomically: true, encoding: .utf8)
        let writer = IndexWriter(at: scratch.index)
        _ = try writer.update(records: [shelling, convoy], in: scratch.file)
        var changed = shelling
        changed.text = "Artillery hit the airport district of Deir Ezzor overnight."
        let summary = try writer.update(records: [changed, Record(id: "enab-103", text: "Aid reached Manbij by road.")],
                                        removing: ["enab-102", "no-such-id"], in: scratch.file)
        #expect(summary.replaced == ["enab-101"] && summary.added == ["enab-103"])
        #expect(summary.removed == ["enab-102"] && summary.notFound == ["no-such-id"])
        let lines = try scratch.lines()
        #expect(lines.first == handWritten)
        #expect(lines.count == 3 && lines[1].contains("Artillery") && lines[2].contains("enab-103"), "\(lines)")
        #expect(try scratch.documents("aircraft").isEmpty, "the old text is gone from the index")
        #expect(try scratch.documents("artillery") == ["enab-101"])
        #expect(try scratch.documents("convoy").isEmpty)
        #expect(try scratch.documents("Raqqa") == ["hand-1"])
    }

    @Test func unusableRecordsOrFilesWriteNothing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let writer = IndexWriter(at: scratch.index)
        func expectBadInput(_ records: [Record], removing: [String] = [], in file: String, saying words: String) {
            do {
                _ = try writer.update(records: records, removing: removing, in: file)
                Issue.record("no error for: \(words)")
            } catch {
                #expect(error.reason == .badInput && error.message.contains(words), "\(error.message)")
            }
        }
        expectBadInput([Record(id: "", text: "x")], in: scratch.file, saying: "empty id")
        expectBadInput([shelling, shelling], in: scratch.file, saying: "given twice")
        expectBadInput([shelling], removing: ["enab-101"], in: scratch.file, saying: "both given and to be removed")
        expectBadInput([shelling], in: scratch.root + "/feed.json", saying: ".jsonl or .ndjson")
        #expect(!FileManager.default.fileExists(atPath: scratch.file), "no file was created")
        // A bad line already in the file: named with its line number, the file left as it was.
        let before = #"{"id": "a", "text": "Fighting near Tabqa."}"# + "\n" + #"{"id": "b", "text": }"# + "\n"
        try before.write(toFile: scratch.file, atomically: true, encoding: .utf8)
        expectBadInput([convoy], in: scratch.file, saying: "feed.jsonl:2:")
        #expect(try String(contentsOfFile: scratch.file, encoding: .utf8) == before)
        #expect(!FileManager.default.fileExists(atPath: scratch.index + "/manifest.json"), "no index was built")
    }

    @Test func writersInParallelKeepEachOthersRecords() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        // The file alone (the index lock would turn parallel runs away): each writer adds its
        // records while the others rewrite the file.
        let file = scratch.file
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for k in 0..<10 {
                        _ = try? IndexWriter(at: scratch.index).update(
                            records: [Record(id: "w\(writer)-\(k)", text: "Report \(k) from writer \(writer) about Homs.")], in: file)
                    }
                }
            }
            try await group.waitForAll()
        }
        let ids = Set(try scratch.lines().compactMap { line in
            (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        })
        #expect(ids.count == 40)
        _ = try IndexWriter(at: scratch.index).update(paths: [file])
        #expect(try SearchIndex(at: scratch.index).search("Homs", options: SearchOptions(limit: 100)).total == 40)
    }
}

@Suite("Library: removing the last records of a file")
struct EmptiedRecordsTests {
    @Test func theirDocumentsLeaveTheIndex() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let writer = IndexWriter(at: scratch.index)
        _ = try writer.update(records: [shelling, convoy], in: scratch.file)
        let summary = try writer.update(records: [], removing: ["enab-101", "enab-102"], in: scratch.file)
        #expect(summary.removed == ["enab-101", "enab-102"] && summary.index.documents == 0)
        #expect(try scratch.documents("Deir Ezzor").isEmpty)
        #expect(try scratch.lines().isEmpty && FileManager.default.fileExists(atPath: scratch.file))
        // And the file takes records again.
        _ = try writer.update(records: [convoy], in: scratch.file)
        #expect(try scratch.documents("Deir Ezzor") == ["enab-102"])
    }

    @Test func inAFolderSourceToo() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let other = scratch.root + "/other.jsonl"
        try (#"{"id": "keep-1", "text": "Residents of Raqqa fled south across the river."}"# + "\n")
            .write(toFile: other, atomically: true, encoding: .utf8)
        try (#"{"id": "enab-101", "text": "Shelling resumed near Deir Ezzor."}"# + "\n")
            .write(toFile: scratch.file, atomically: true, encoding: .utf8)
        let writer = IndexWriter(at: scratch.index)
        _ = try writer.update(paths: [scratch.root])  // the folder is the source; the file is not one by itself
        #expect(try scratch.documents("Deir Ezzor") == ["enab-101"])
        _ = try writer.update(records: [], removing: ["enab-101"], in: scratch.file)
        #expect(try scratch.documents("Deir Ezzor").isEmpty)
        #expect(try scratch.documents("Raqqa") == ["keep-1"])
    }
}
