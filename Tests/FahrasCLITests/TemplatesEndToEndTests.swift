import Foundation
import Testing

/// A site's template text (the same teaser under every story) is learned from the archive
/// itself, at search time, so an updated index answers as a fresh build of the same files.
@Suite("CLI end to end: a site's template text", .serialized)
final class TemplatesEndToEndTests {
    let scratch = Scratch()
    var archive: String { scratch.path + "/archive" }
    let teaser = "Read our special report on the reconstruction of the old city markets and the families returning home."
    let mention = "Traders reopened the old city markets on Monday for the first time since the fighting ended last year."

    func page(site: String, headline: String, paragraphs: [String]) -> String {
        """
        <html><head><meta property="og:site_name" content="\(site)"><title>\(headline)</title></head>
        <body><article><h1>\(headline)</h1>\(paragraphs.map { "<p>\($0)</p>" }.joined())</article></body></html>
        """
    }

    init() {
        let topics = ["water supply", "school buildings", "power station", "bread prices", "bus routes", "hospital wing"]
        for (n, topic) in topics.enumerated() {
            scratch.write("archive/daily-\(n).html", page(site: "Daily Example", headline: "Council report number \(n)", paragraphs: [
                "The council said on Tuesday that work on the \(topic) in district \(n) would be finished before the winter.", teaser]))
        }
        scratch.write("archive/other.html", page(site: "Other Outlet", headline: "Markets reopen", paragraphs: [mention]))
    }

    /// The hits of `markets` in an index, as doc#passage with their copies.
    func answer(_ index: String, _ options: [String] = []) throws -> [String] {
        try CLI.searchJSON("markets", index: index, limit: 20, collapse: true, options: options).hits.map { hit in
            let copies = (hit["copies"] as? [[String: Any]] ?? []).map { "\($0["doc"]!)#\($0["passage"]!)" }
            return "\(hit["doc"]!)#\(hit["passage"]!) [\(copies.joined(separator: " "))]"
        }
    }

    func build(_ index: String) throws {
        let built = try CLI.run(["index", archive, "--index", index])
        guard built.status == 0 else { throw CLI.CLIFailure(outcome: built) }
    }

    @Test func aTeaserOnFivePagesOfOneSiteIsTemplateAndAnUpdateAgreesWithAFreshBuild() throws {
        let index = scratch.path + "/Index"
        try build(index)
        let hits = try answer(index)
        #expect(!hits.isEmpty && hits.allSatisfy { $0.contains("/other.html#") }, "only the real mention: \(hits)")
        let kept = try answer(index, ["--keep-templates"])
        #expect(kept.filter { $0.contains("daily-") }.count == 1, "--keep-templates shows the teaser too")
        #expect(kept.contains { $0.contains("/daily-0.html#2 [") && $0.split(separator: " ").count == 6 }, "one hit and its five copies")

        // Two pages go: four are no template; then they come back.
        let removed = [0, 1].map { scratch.path + "/archive/daily-\($0).html" }
        let saved = try removed.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        for path in removed { try FileManager.default.removeItem(atPath: path) }
        try build(index)
        try build(scratch.path + "/Fresh1")
        #expect(try answer(index).contains { $0.contains("/daily-2.html#2 [") }, "four pages of one site are no template")
        #expect(try answer(index) == answer(scratch.path + "/Fresh1"))
        for (path, bytes) in zip(removed, saved) { #expect(FileManager.default.createFile(atPath: path, contents: bytes)) }
        try build(index)
        try build(scratch.path + "/Fresh2")
        #expect(try answer(index) == hits)
        #expect(try answer(index) == answer(scratch.path + "/Fresh2"))
        #expect(try answer(index, ["--keep-templates"]) == answer(scratch.path + "/Fresh2", ["--keep-templates"]))
    }

    @Test func copiesAcrossSitesAreNoTemplate() throws {
        // The same paragraph republished by five outlets is news, not a template.
        for n in 0..<5 {
            scratch.write("syndicated/s\(n).html", page(site: "Outlet \(n)", headline: "Wire story \(n)", paragraphs: [mention]))
        }
        let index = scratch.path + "/Syndicated"
        let built = try CLI.run(["index", scratch.path + "/syndicated", "--index", index])
        guard built.status == 0 else { throw CLI.CLIFailure(outcome: built) }
        let hits = try answer(index)
        #expect(hits.contains { $0.contains("/s0.html#1 [") && $0.split(separator: " ").count == 5 }, "one hit and its four copies: \(hits)")
    }
}
