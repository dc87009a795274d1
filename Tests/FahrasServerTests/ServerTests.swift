import Fahras
@testable import FahrasServer
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
import NIOCore
import Testing

/// An index of pages written for these tests, one of them hostile: its headline and text
/// hold markup that a browser would run if the page did not escape it.
struct ServedArchive {
    let folder: String
    let index: String

    init() throws {
        let root = NSTemporaryDirectory() + "fahras-server-" + UUID().uuidString
        folder = root + "/pages"
        index = root + "/Index"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try ServedArchive.page(title: "Offensive near Deir Ezzor", site: "Example News", date: "2017-03-04",
                               text: "Government aircraft struck villages east of Deir Ezzor on Saturday, residents said, after a week of calm.")
            .write(toFile: folder + "/a.html", atomically: true, encoding: .utf8)
        try ServedArchive.page(title: "Convoy reaches Dayr al-Zawr", site: "Other Outlet", date: "2018-06-01",
                               text: "A convoy of twenty trucks reached Dayr al-Zawr on Friday carrying flour, medicine and fuel.")
            .write(toFile: folder + "/b.html", atomically: true, encoding: .utf8)
        try ServedArchive.page(title: "&lt;script&gt;alert('title')&lt;/script&gt; hostile headline", site: "Bad \"Site\"", date: "2018-07-01",
                               text: "The hostile page quotes &lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(2)&gt; inside its text about the convoy.")
            .write(toFile: folder + "/c.html", atomically: true, encoding: .utf8)
        _ = try IndexWriter(at: index).update(paths: [folder])
    }

    static func page(title: String, site: String, date: String, text: String) -> String {
        """
        <!doctype html><html lang="en"><head><title>\(title)</title>
        <meta property="og:site_name" content="\(site.replacingOccurrences(of: "\"", with: "&quot;"))">
        <meta property="article:published_time" content="\(date)T10:00:00Z"></head>
        <body><article><h1>\(title)</h1><p>\(text)</p></article></body></html>
        """
    }

    func remove() { try? FileManager.default.removeItem(atPath: (index as NSString).deletingLastPathComponent) }

    /// Stopping the server by cancelling its task logs an error about the closed channel.
    static let quiet: Logger = {
        var logger = Logger(label: "fahras-server-tests")
        logger.logLevel = .critical
        return logger
    }()

    /// Runs `test` against a live server over this index on a free loopback port, reloading
    /// on every request, and stops it afterwards.
    func test(timeLimit: Duration = FahrasServer.defaultTimeLimit, _ test: @Sendable @escaping (Client) async throws -> Void) async throws {
        let port = PortBox()
        let app = Application(router: FahrasServer.router(index: index, checkInterval: 0, timeLimit: timeLimit),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in port.set(channel.localAddress?.port ?? 0) },
                              logger: ServedArchive.quiet)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await FahrasServer.run(app) }  // as `fahras serve` runs it: on the event loops
            let bound = try await port.wait()
            defer { group.cancelAll() }
            try await test(Client(base: "http://127.0.0.1:\(bound)"))
        }
    }
}

/// The port the server bound, handed from its start-up callback to the test.
final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port: Int?

    func set(_ value: Int) { lock.withLock { port = value } }

    func wait() async throws -> Int {
        for _ in 0..<500 {
            if let port = lock.withLock({ port }) { return port }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        throw CancellationError()
    }
}

/// An answer as the tests read it.
struct TestResponse {
    var status: HTTPResponse.Status
    var headers: [String: String]
    var body: String

    subscript(header name: String) -> String? { headers[name.lowercased()] }
}

/// Requests to the live server over HTTP (URLSession).
struct Client: Sendable {
    var base: String

    @discardableResult
    func execute<Return>(uri: String, method: HTTPRequest.Method, _ check: (TestResponse) async throws -> Return) async throws -> Return {
        var request = URLRequest(url: try #require(URL(string: base + uri)))
        request.httpMethod = method.rawValue
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields { headers[String(describing: name).lowercased()] = String(describing: value) }
        return try await check(TestResponse(status: .init(code: http.statusCode), headers: headers, body: String(decoding: data, as: UTF8.self)))
    }
}

func json(_ response: TestResponse) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
}

@Suite("HTTP API and web page")
struct ServerTests {
    @Test func searchAnswersTheCLIShapeWithSpellings() async throws {
        let archive = try ServedArchive()
        defer { archive.remove() }
        try await archive.test { client in
            try await client.execute(uri: "/api/search?q=Deir+Ezzor&facet=site,year&limit=5", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response[header: "Content-Type"] == "application/json; charset=utf-8")
                let body = try json(response)
                #expect(Set(body.keys) == ["query", "total", "hits", "facets", "offset", "limit", "spellings"])
                let hits = try #require(body["hits"] as? [[String: Any]])
                #expect(hits.count == 4, "two articles, headline and paragraph each")
                #expect(Set(hits[0].keys) == ["doc", "passage", "score", "title", "date", "site", "url", "text", "snippet", "highlights", "copies"])
                let spellings = (body["spellings"] as? [[String: Any]])?.compactMap { $0["spelling"] as? String } ?? []
                #expect(Set(spellings) == ["Deir Ezzor", "Dayr al-Zawr"])
                let facets = try #require(body["facets"] as? [String: Any])
                #expect((facets["year"] as? [[String: Any]])?.compactMap { $0["value"] as? String } == ["2017", "2018"])
            }
            // Paging: offset 1 is the second hit of the same query.
            let first = try await client.execute(uri: "/api/search?q=Deir+Ezzor&limit=2", method: .get) { try json($0)["hits"] as? [[String: Any]] }
            let second = try await client.execute(uri: "/api/search?q=Deir+Ezzor&limit=1&offset=1", method: .get) { try json($0)["hits"] as? [[String: Any]] }
            #expect(second?.first?["text"] as? String == first?[1]["text"] as? String)
            // '+' in a form is a space, %2B a plus sign: +convoy must match.
            try await client.execute(uri: "/api/search?q=%2Bconvoy+-hostile", method: .get) { response in
                let hits = try json(response)["hits"] as? [[String: Any]] ?? []
                #expect(!hits.isEmpty && hits.allSatisfy { ($0["doc"] as? String)?.hasSuffix("b.html") == true })
            }
        }
    }

    @Test func badRequestsGetAJSONErrorAndAStatus() async throws {
        let archive = try ServedArchive()
        defer { archive.remove() }
        try await archive.test { client in
            let cases: [(uri: String, status: HTTPResponse.Status, reason: String)] = [
                ("/api/search?q=%28convoy", .badRequest, "badQuery"),
                ("/api/search", .badRequest, "badQuery"),
                ("/api/search?q=convoy&limit=1000", .badRequest, "badOption"),
                ("/api/search?q=convoy&limit=ten", .badRequest, "badOption"),
                ("/api/search?q=convoy&offset=-1", .badRequest, "badOption"),
                ("/api/search?q=convoy&facet=colour", .badRequest, "badOption"),
                ("/api/search?q=convoy&sort=random", .badRequest, "badOption"),
                ("/api/search?q=convoy&since=2017-13", .badRequest, "badOption"),
                ("/api/search?q=" + String(repeating: "convoy+", count: 400), .badRequest, "badOption"),
                // Nesting that would overflow a worker thread's stack is refused by the parser.
                ("/api/search?q=" + String(repeating: "%28", count: 1_000) + "convoy", .badRequest, "badQuery"),
                ("/api/search?q=" + String(repeating: "-", count: 1_900) + "convoy", .badRequest, "badQuery"),
                ("/api/documents/no-such-document", .notFound, "documentNotFound"),
                ("/api/documents/..%2F..%2Fetc%2Fpasswd", .notFound, "documentNotFound"),
                ("/api/variants", .badRequest, "badQuery"),
            ]
            for item in cases {
                try await client.execute(uri: item.uri, method: .get) { response in
                    #expect(response.status == item.status, "\(item.uri)")
                    let error = try json(response)["error"] as? [String: Any]
                    #expect(error?["reason"] as? String == item.reason, "\(item.uri)")
                    #expect((error?["message"] as? String)?.isEmpty == false)
                }
            }
            try await client.execute(uri: "/api/search?q=convoy", method: .post) { response in
                #expect(response.status == .notFound || response.status == .methodNotAllowed, "read-only: no POST route")
            }
        }
    }

    /// A search past the server's time limit is stopped: 503 and a JSON error for the API,
    /// the page with the message; a request cannot raise the limit.
    @Test func aSearchPastTheTimeLimitIsStoppedWith503() async throws {
        let archive = try ServedArchive()
        defer { archive.remove() }
        try await archive.test(timeLimit: .nanoseconds(1)) { client in
            try await client.execute(uri: "/api/search?q=convoy&timeLimit=60&time_limit=60", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let error = try #require(try json(response)["error"] as? [String: Any])
                #expect(error["reason"] as? String == "timedOut")
                #expect((error["message"] as? String)?.contains("took longer than its limit") == true)
            }
            try await client.execute(uri: "/?q=convoy", method: .get) { response in
                #expect(response.status == .serviceUnavailable && response.body.contains("took longer than its limit"))
            }
            // Requests that search nothing are not limited.
            try await client.execute(uri: "/api/stats", method: .get) { response in #expect(response.status == .ok) }
        }
        try await archive.test { client in
            try await client.execute(uri: "/api/search?q=convoy", method: .get) { response in
                let total = try json(response)["total"] as? Int
                #expect(response.status == .ok && (total ?? 0) > 0)
            }
        }
    }

    @Test func documentsVariantsEntitiesStatsAndOpenAPI() async throws {
        let archive = try ServedArchive()
        defer { archive.remove() }
        let id = try #require(try SearchIndex(at: archive.index).search("convoy twenty").hits.first?.document)
        let encoded = try #require(id.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        try await archive.test { client in
            try await client.execute(uri: "/api/documents/" + encoded, method: .get) { response in
                let body = try json(response)
                #expect(response.status == .ok && body["doc"] as? String == id && body["title"] as? String == "Convoy reaches Dayr al-Zawr")
                #expect((body["fields"] as? [String: String])?["site"] == "Other Outlet")
            }
            try await client.execute(uri: "/api/documents/\(encoded)?passage=1", method: .get) { response in
                try #expect((json(response)["passages"] as? [[String: Any]])?.count == 1)
            }
            try await client.execute(uri: "/api/variants?name=Deir+Ezzor", method: .get) { response in
                let spellings = (try json(response)["spellings"] as? [[String: Any]])?.compactMap { $0["spelling"] as? String }
                #expect(Set(spellings ?? []) == ["Deir Ezzor", "Dayr al-Zawr"])
            }
            try await client.execute(uri: "/api/entities", method: .get) { response in
                let ids = (try json(response)["entities"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
                #expect(ids.contains("deir-ez-zor"))
            }
            try await client.execute(uri: "/api/stats", method: .get) { response in
                let body = try json(response)
                #expect(body["documents"] as? Int == 3 && body["generation"] as? Int == 1)
                #expect(!response.body.contains(archive.folder), "no paths of the server's disk")
            }
            try await client.execute(uri: "/api/openapi.json", method: .get) { response in
                let paths = try #require(json(response)["paths"] as? [String: Any])
                #expect(Set(paths.keys) == ["/api/search", "/api/documents/{id}", "/api/variants", "/api/entities", "/api/stats", "/api/openapi.json"])
                // The error reasons it lists are the library's, every one.
                let schemas = try #require((json(response)["components"] as? [String: Any])?["schemas"] as? [String: Any])
                let error = (((schemas["Error"] as? [String: Any])?["properties"] as? [String: Any])?["error"] as? [String: Any])
                let reasons = ((error?["properties"] as? [String: Any])?["reason"] as? [String: Any])?["enum"] as? [String]
                #expect(reasons == FahrasError.Reason.allCases.map(\.rawValue))
            }
        }
    }

    @Test func thePageEscapesEveryArticleText() async throws {
        let archive = try ServedArchive()
        defer { archive.remove() }
        try await archive.test { client in
            try await client.execute(uri: "/?q=hostile&facet=site", method: .get) { response in
                let page = response.body
                #expect(response.status == .ok && response[header: "Content-Type"] == "text/html; charset=utf-8")
                #expect(!page.contains("<script") && !page.contains("<img"), "markup from the article never becomes markup")
                #expect(page.contains("&lt;script&gt;alert(") && page.contains("&lt;img src=x onerror=alert(2)&gt;"))
                #expect(page.contains("Bad &quot;Site&quot;"), "attribute-breaking quotes are escaped")
                #expect(response[header: "Content-Security-Policy"]?.contains("default-src 'none'") == true)
            }
            // A query that is itself markup is shown as text too.
            try await client.execute(uri: "/?q=%22%3E%3Cscript%3Ealert(3)%3C/script%3E", method: .get) { response in
                let page = response.body
                #expect(!page.contains("<script") && page.contains("&quot;&gt;&lt;script&gt;"))
            }
            let id = try #require(try SearchIndex(at: archive.index).search("hostile").hits.first?.document)
            let query = "id=" + (id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") + "&passage=1&q=hostile"
            try await client.execute(uri: "/article?" + query, method: .get) { response in
                let page = response.body
                #expect(response.status == .ok && !page.contains("<script") && page.contains("class=\"marked\""))
            }
            try await client.execute(uri: "/article?id=nothing", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func thePageHighlightsFacetsAndPages() async throws {
        let archive = try ServedArchive()
        defer { archive.remove() }
        try await archive.test { client in
            try await client.execute(uri: "/?q=Dayr+al-Zawr&limit=3", method: .get) { response in
                let page = response.body
                #expect(page.contains("<mark>Deir Ezzor</mark>") || page.contains("<mark>Dayr al-Zawr</mark>"))
                #expect(page.contains("Also matched: <span dir=\"auto\">Deir Ezzor</span>"))
                #expect(page.contains("rel=\"next\""), "four hits, three a page")
                #expect(page.contains("href=\"/?q=Dayr%20al-Zawr%20date%3A2017\""), "a year facet narrows the query")
            }
            // Every facet link narrows: following it never shows more passages.
            let page = try await client.execute(uri: "/?q=convoy", method: .get) { $0.body }
            let links = page.components(separatedBy: "<aside").last?.components(separatedBy: "href=\"").dropFirst()
                .compactMap { $0.components(separatedBy: "\"").first?.replacingOccurrences(of: "&amp;", with: "&") } ?? []
            #expect(links.contains { $0.contains("%28convoy%29%20AND%20actor%3A") }, "an actor groups the query: \(links)")
            let total = { (page: String) in Int(page.components(separatedBy: "<p class=\"count\">").last?.split(separator: " ").first ?? "") }
            for link in links {
                let narrowed = try await client.execute(uri: link, method: .get) { $0.body }
                #expect(try #require(total(narrowed)) <= total(page)!, "\(link)")
            }
            try await client.execute(uri: "/?q=Dayr+al-Zawr+date%3A2017", method: .get) { response in
                let page = response.body
                #expect(page.contains("2 passages match") && !page.contains("Convoy"))
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok && response.body.contains("Query syntax"))
            }
        }
    }

    @Test func aNewCommitIsServedWithoutARestart() async throws {
        let archive = try ServedArchive()
        defer { archive.remove() }
        try await archive.test { client in
            try await client.execute(uri: "/api/search?q=suspension", method: .get) { response in
                try #expect(response.status == .badRequest || (json(response)["total"] as? Int) == 0)
            }
            try ServedArchive.page(title: "Bridge reopened", site: "Example News", date: "2019-01-01",
                                   text: "Engineers reopened the suspension bridge to trucks and cars after two years of repairs.")
                .write(toFile: archive.folder + "/d.html", atomically: true, encoding: .utf8)
            _ = try IndexWriter(at: archive.index).update(paths: [])
            try await client.execute(uri: "/api/search?q=suspension", method: .get) { response in
                let hits = try json(response)["hits"] as? [[String: Any]] ?? []
                #expect(response.status == .ok && hits.count == 1 && (hits.first?["doc"] as? String)?.hasSuffix("d.html") == true)
            }
            try await client.execute(uri: "/api/stats", method: .get) { response in
                try #expect(json(response)["generation"] as? Int == 2)
            }
        }
    }
}
