import ArgumentParser
import FahrasAnalysis
import FahrasIndex
import FahrasIndexer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `fahras`: index news archives and search them by keyword with BM25.
///
/// The command is a thin layer over the pipeline modules; every user-facing failure is a
/// one-line message on standard error and exit status 1, never a crash trace.
@main
struct Fahras: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fahras",
        abstract: "Full-text search for news archives: index HTML and text files, rank passages with BM25.",
        discussion: """
            Typical use:
              fahras index seeds            # build Index/ from the files under seeds/
              fahras search "al-Tanf"       # ranked passages, matched words highlighted
            """,
        version: "0.1.0",
        subcommands: [IndexCommand.self, SearchCommand.self, VariantsCommand.self, EntitiesCommand.self, StatsCommand.self])

    /// Runs the command line; maps every error to exit status 1 with one line of text.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as UserFacingError {
            Output.error(error.message)
            Glibc.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)  // --help, --version
            }
            Output.standardError(fullMessage(for: error) + "\n")
            Glibc.exit(1)
        }
    }
}

/// An error whose message is meant for the user as it is.
struct UserFacingError: Error {
    var message: String

    init(_ error: some CustomStringConvertible) {
        message = error.description
    }

    init(message: String) {
        self.message = message
    }
}

/// Shared `--index DIR` option.
struct IndexLocation: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The index directory.", valueName: "DIR"))
    var index: String = "Index"

    /// Opens the committed index with the analyzer it was built with (this build's, with
    /// the entity list kept beside the index); every failure is a user error.
    func open() throws -> (reader: IndexReader, analyzer: Analyzer) {
        do {
            let analyzer = try EntityListFile.analyzer(forIndexAt: index)
            return (try IndexDirectory(path: index).open(analyzer: analyzer.signature), analyzer)
        } catch let error as AnalysisError {
            throw UserFacingError(error)
        } catch let error as IndexError {
            throw UserFacingError(error)
        }
    }
}
