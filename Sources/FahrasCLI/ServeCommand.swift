import ArgumentParser
import Dispatch
import Fahras
import FahrasServer
import Hummingbird

/// `fahras serve [--index DIR] [--host 127.0.0.1] [--port 8700]`
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web page and the JSON API over the index (read-only).",
        discussion: """
            Open http://HOST:PORT/ in a browser: a search box that takes the full query syntax, \
            hits with their date, site and matched words, facets that narrow the search when \
            clicked, and the whole article behind each hit. The JSON API is under /api/ \
            (search, documents/ID, variants, entities, stats) and described by \
            /api/openapi.json. A new commit of the index (`fahras index` run elsewhere) is \
            served without a restart. Listens on loopback unless --host says otherwise.
            """)

    @OptionGroup var location: IndexLocation

    @Option(help: "The address to listen on (0.0.0.0: every interface).")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8700

    @Option(help: ArgumentHelp("Answer a search that takes longer than SECONDS with 503 and stop it.", valueName: "SECONDS"))
    var timeLimit = Double(FahrasServer.defaultTimeLimit.components.seconds)

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be from 1 to 65535, got \(port)") }
        _ = try TimeLimit.duration(timeLimit)
    }

    func run() throws {
        let opened = try location.open()  // a missing or damaged index is reported before listening
        let app = FahrasServer.application(index: location.index, opened: opened, host: host, port: port,
                                           timeLimit: try TimeLimit.duration(timeLimit)!)
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do { try await FahrasServer.run(app) } catch { failure.error = error }
            done.signal()
        }
        Output.standardError("fahras: serving \(location.index) on http://\(host):\(port)/ (Ctrl-C stops)\n")
        done.wait()
        if let error = failure.error { throw UserFacingError(message: "serve: \(error)") }
    }
}

/// The server's error, handed from its task to the waiting command.
private final class FailureBox: @unchecked Sendable {
    var error: (any Error)?
}
