import ArgumentParser
import Fahras
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
struct FahrasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fahras",
        abstract: "Full-text search for news archives: index HTML and text files, rank passages with BM25.",
        discussion: """
            Typical use:
              fahras index seeds            # build Index/ from the files under seeds/
              fahras search "al-Tanf"       # ranked passages, matched words highlighted
            """,
        version: "0.1.0",
        subcommands: [IndexCommand.self, SearchCommand.self, ShowCommand.self, ExtractCommand.self, ExportCommand.self, SourcesCommand.self,
                      RemoveCommand.self, VariantsCommand.self, EntitiesCommand.self, StatsCommand.self, CheckCommand.self,
                      OptimizeCommand.self, ServeCommand.self])

    /// What the commands that analyse text with the standard analyzer do with it, by their
    /// names: they start building it on another core while their arguments are parsed.
    static let analysing: [String: Preparation.Use] = {
        let uses: [(any ParsableCommand.Type, Preparation.Use)] = [
            (IndexCommand.self, .indexing), (SearchCommand.self, .searching), (ServeCommand.self, .searching),
            (VariantsCommand.self, .searching),
        ]
        return Dictionary(uniqueKeysWithValues: uses.compactMap { command, use in command.configuration.commandName.map { ($0, use) } })
    }()

    /// Runs the command line; maps every error to exit status 1 with one line of text.
    static func main() {
        // Parsing the arguments takes milliseconds (the parser reflects on every option's
        // type), as does building the analyzer: the two overlap. The first argument names
        // the command; a wrong guess (`fahras index --help`) costs only the other core's time.
        if CommandLine.arguments.count > 1, let use = analysing[CommandLine.arguments[1]] {
            Preparation.beginStandardAnalyzer(for: use)
        }
        // A file-size limit (ulimit -f) must fail a write with a message, not kill the process.
        signal(SIGXFSZ, SIG_IGN)
        SearchIndex.reportFilesCutShort()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as UserFacingError {
            Output.error(IndexLocation.advising(error.message))
            Glibc.exit(1)
        } catch let error as FahrasError {
            Output.error(IndexLocation.advising(error.message))
            Glibc.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)  // --help, --version
            }
            // One style for every error: the parser's "Error: " becomes "fahras: error: ".
            var message = fullMessage(for: error)
            if message.hasPrefix("Error: ") { message = "fahras: error: " + message.dropFirst("Error: ".count) }
            Output.standardError(message + "\n")
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

    /// The `--index` given, once parsed: advice in messages names it.
    nonisolated(unsafe) static var given: String?

    func validate() throws {
        IndexLocation.given = index
    }

    /// `message` with the commands it advises (`fahras index --rebuild`, `fahras check`)
    /// run on the index in use, when that is not the default `Index`.
    static func advising(_ message: String) -> String {
        guard let index = given, index != "Index" else { return message }
        let option = " --index " + (index.contains(" ") ? "'\(index)'" : index)
        return message.replacingOccurrences(of: "`fahras index --rebuild", with: "`fahras index --rebuild" + option)
            .replacingOccurrences(of: "`fahras check`", with: "`fahras check" + option + "`")
    }

    /// The last commit, opened for searching; every failure is a user error.
    func open() throws -> SearchIndex {
        do { return try SearchIndex(at: index) } catch { throw UserFacingError(error) }
    }
}
