import ArgumentParser
import Dispatch
import FahrasIndex
import FahrasSearch
import FahrasAnalysis

/// `fahras search QUERY [--index DIR] [--limit N] [--format text|json] [--stdin]`
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Rank passages for a query with BM25.",
        discussion: """
            A query is words and "quoted phrases", combined with OR and scored by sum.
            A hyphenated word (al-Tanf, US-backed) is the phrase of its parts.
            With --stdin, one query per line is read and answered in the benchmark line
            protocol: one line "DOC#PASSAGE SCORE" per hit, "@time MICROSECONDS", an empty line.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "The query (omit with --stdin).")
    var query: String?

    @OptionGroup var location: IndexLocation

    @Option(help: "How many passages to show.")
    var limit: Int = 20

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Flag(help: "Answer one query per line of standard input (benchmark protocol).")
    var stdin = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be a positive number, got \(limit)") }
        if stdin && query != nil { throw ValidationError("give either a QUERY or --stdin, not both") }
        if !stdin && query == nil { throw ValidationError("missing QUERY; for example: fahras search \"al-Tanf\"") }
    }

    func run() throws {
        let reader = try location.open()
        let searcher = Searcher(reader: reader)
        if stdin {
            try serveStandardInput(searcher)
            return
        }
        let results: SearchResults
        do {
            results = try searcher.search(query ?? "", limit: limit)
        } catch {
            throw UserFacingError(error)
        }
        switch format {
        case .text: Output.standardOutput(ResultFormatter.text(results, color: Output.colorEnabled))
        case .json: Output.standardOutput(ResultFormatter.json(results))
        }
    }

    /// One protocol answer: a line per hit, or why the query failed.
    private func answerQuery(_ line: String, searcher: Searcher) -> Result<String, SearchError> {
        Result { () throws(SearchError) -> String in
            let results = try searcher.search(line, limit: limit, fetchText: false)
            return results.hits.map { "\($0.document)#\($0.ordinal) \($0.score)\n" }.joined()
        }
    }

    /// The `peers.py --cmd` line protocol.
    private func serveStandardInput(_ searcher: Searcher) throws {
        while let line = readLine(strippingNewline: true) {
            let started = DispatchTime.now()
            var answer = ""
            if !line.allSatisfy(\.isWhitespace) {
                switch answerQuery(line, searcher: searcher) {
                case .success(let hits):
                    answer = hits
                case .failure(.index(let error)):
                    throw UserFacingError(error)
                case .failure(let error):
                    Output.error("query '\(line)': \(error)")
                }
            }
            let micros = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1000
            Output.standardOutput(answer + "@time \(String(format3: micros))\n\n")
        }
    }
}
