import Fahras
import FahrasJSON
import Foundation
import Hummingbird

/// `fahras serve`: the JSON API and the web page over one index, read-only.
///
/// Every route reads the commit ``IndexHolder`` holds, which follows new commits. No
/// request value is ever used as a file path: documents are looked up among the index's
/// own records by id.
package enum FahrasServer {
    /// The time a search may take before it is stopped and answered with 503, unless
    /// `fahras serve --time-limit` says otherwise.
    package static let defaultTimeLimit = Duration.seconds(5)

    /// Routes of the API and the page for the index at `index`; a search runs at most `timeLimit`.
    package static func router(index: String, opened: SearchIndex? = nil, checkInterval: Double = 0.5,
                               timeLimit: Duration = defaultTimeLimit) -> Router<BasicRequestContext> {
        let holder = IndexHolder(path: index, opened: opened, checkInterval: checkInterval)
        let router = Router()
        router.add(middleware: SecurityHeaders())
        router.get("/api/search") { request, _ in apiSearch(request, holder, timeLimit: timeLimit) }
        router.get("/api/documents/**") { request, _ in apiDocument(request, holder) }
        router.get("/api/variants") { request, _ in apiVariants(request, holder) }
        router.get("/api/entities") { request, _ in apiEntities(request, holder) }
        router.get("/api/stats") { _, _ in respond { () throws(FahrasError) in JSONShapes.statistics(try holder.current().statistics) } }
        router.get("/api/openapi.json") { _, _ in json(.ok, OpenAPI.document) }
        router.get("/") { request, _ in Pages.search(FormFields(query: request.uri.query), holder, timeLimit: timeLimit) }
        router.get("/article") { request, _ in Pages.article(FormFields(query: request.uri.query), holder) }
        router.get("/style.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: Pages.styleSheet)))
        }
        return router
    }

    /// The server on `host:port`, answering on every core (SwiftNIO's event loops, one a core).
    package static func application(index: String, opened: SearchIndex? = nil, host: String, port: Int,
                                    timeLimit: Duration = defaultTimeLimit) -> some ApplicationProtocol {
        Application(router: router(index: index, opened: opened, timeLimit: timeLimit),
                    configuration: .init(address: .hostname(host, port: port), serverName: "fahras"))
    }

    /// Runs `app` until it stops, its request handlers on NIO's event loops (see
    /// ``EventLoopExecutor``).
    package static func run(_ app: some ApplicationProtocol) async throws {
        if #available(macOS 15, *) {
            try await withTaskExecutorPreference(EventLoopExecutor.shared) { try await app.runService() }
        } else {
            try await app.runService()
        }
    }

    static func apiSearch(_ request: Request, _ holder: IndexHolder, timeLimit: Duration) -> Response {
        respond { () throws(FahrasError) in
            let search = try SearchRequest(FormFields(query: request.uri.query), timeLimit: timeLimit)
            guard !search.isEmpty else { throw FahrasError(.badQuery, "missing q: give a query, for example q=al-Tanf") }
            let results = try holder.current().search(search.query, options: search.options)
            return JSONShapes.results(results, extra: [("offset", "\(search.options.offset)"), ("limit", "\(search.options.limit)"),
                                                       ("spellings", JSONShapes.spellings(results.spellings))])
        }
    }

    static func apiDocument(_ request: Request, _ holder: IndexHolder) -> Response {
        respond { () throws(FahrasError) in
            let prefix = "/api/documents/"
            let raw = request.uri.path.dropFirst(prefix.count)
            guard let id = String(raw).removingPercentEncoding, !id.isEmpty else {
                throw FahrasError(.documentNotFound, "give a document id after \(prefix), percent-encoded")
            }
            let fields = FormFields(query: request.uri.query)
            var passage: Int?
            if let text = fields["passage"] {
                guard let number = Int(text), number >= 0 else { throw FahrasError(.badOption, "passage must be a whole number") }
                passage = number
            }
            return JSONShapes.document(try holder.current().document(id, passage: passage))
        }
    }

    static func apiVariants(_ request: Request, _ holder: IndexHolder) -> Response {
        respond { () throws(FahrasError) in
            guard let name = FormFields(query: request.uri.query)["name"], !name.isEmpty else {
                throw FahrasError(.badQuery, "missing name: for example name=Deir+Ezzor")
            }
            guard name.utf8.count <= 200 else { throw FahrasError(.badOption, "name is longer than 200 bytes") }
            return JSONShapes.variants(try holder.current().variants(of: name), of: name)
        }
    }

    static func apiEntities(_ request: Request, _ holder: IndexHolder) -> Response {
        respond { () throws(FahrasError) in
            let all = FormFields(query: request.uri.query)["all"] == "true"
            return JSONShapes.entities(try holder.current().entities(includingUnmentioned: all))
        }
    }

    /// The JSON `body` makes, or the error it throws as `{"error": …}` with its status.
    static func respond(_ body: () throws(FahrasError) -> String) -> Response {
        do { return json(.ok, try body()) } catch { return json(status(of: error), JSONShapes.error(error)) }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    /// The HTTP status for a failure: the caller's mistake (4xx) or the server's state (5xx).
    static func status(of error: FahrasError) -> HTTPResponse.Status {
        switch error.reason {
        case .badQuery, .badOption, .badInput: .badRequest
        case .documentNotFound: .notFound
        case .indexNotFound, .indexLocked, .timedOut: .serviceUnavailable
        case .sourceUnreadable: .badGateway
        case .indexDamaged, .fileSystem: .internalServerError
        }
    }
}

/// Headers for every answer: no script may run (the page has none), nothing is framed or
/// sniffed as another type.
struct SecurityHeaders<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPFields.Element.Name("Referrer-Policy")!] = "no-referrer"
        return response
    }
}
