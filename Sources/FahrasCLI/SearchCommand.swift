import ArgumentParser
import Dispatch
import Fahras
import FahrasJSON

/// `fahras search QUERY [--index DIR] [--limit N] [--format text|json] [--stdin]`
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Rank passages for a query with BM25.",
        discussion: """
            A query is words, "quoted phrases" and actor:NAME, combined with OR and scored by \
            sum; +word must match, -word (or NOT word) must not, a AND b needs both, parentheses \
            group. Filters restrict the articles searched and never add a passage: \
            date:2017, date:2017-03, date:2017-03-01..2017-06-30, date:>=2018-01, site:sana.sy \
            (outlet name or URL host), lang:ar, author:NAME, title:WORDS, doc:TEXT (path \
            contains TEXT); -site:X excludes. A query of filters alone lists their passages \
            newest first. Hits name the article (date, site, URL); a passage republished \
            elsewhere is one hit listing its copies, led by the earliest (--no-collapse shows \
            each), and a passage whose text stands on five or more articles of one site is that \
            site's template (a teaser, a bio, a comment under every story) and is left out \
            (--keep-templates shows it). --facet counts over every match, not just the hits shown. A hyphenated word (al-Tanf, US-backed) is the phrase of its parts. A name \
            also finds its other spellings (Deir Ezzor finds Dayr al-Zawr and دير الزور), \
            ranked below the spelling asked for; a word typed in lower case folds only where the \
            index writes it capitalised, as a name, in at least half its passages. actor:NAME (or --actor NAME) finds every \
            passage naming the gazetteer entity NAME is an alias of: actor:Daesh finds ISIS, \
            ISIL and Islamic State; actor:"Abu Kamal" finds Albukamal. A name of the entity list \
            also finds the entity's other names (Aleppo finds Halab and حلب), and a name typed with \
            a capital ranks every passage naming it above those that do not. =word or \
            ="a phrase" matches as written only; --no-fold turns folding off for the whole query. \
            With --stdin, one query per line is read and answered in the benchmark line \
            protocol: one line "DOC#PASSAGE SCORE" per hit (with --hit-id document, "DOC SCORE"), \
            "@time MICROSECONDS", an empty line; passages that cannot enter the top --limit are \
            skipped rather than counted, and copies are not collapsed. With --facet, a line \
            "@facet FIELD VALUES" per field follows the hits.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    // Every word not taken by an option is the query's: `fahras search ISIS Daesh` and
    // `fahras search -Daesh Raqqa` need no quotes (an option of the command still is one).
    @Argument(parsing: .allUnrecognized, help: "The query, in one argument or several (omit with --stdin).")
    var words: [String] = []

    /// The query the words make, if any.
    var query: String? { words.isEmpty ? nil : words.joined(separator: " ") }

    @Option(help: ArgumentHelp("Also find passages naming this entity, under any alias or spelling (repeatable).",
                               valueName: "NAME"))
    var actor: [String] = []

    @OptionGroup var location: IndexLocation

    @Option(help: "How many passages to show.")
    var limit: Int = 20

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Flag(help: "Answer one query per line of standard input (benchmark protocol).")
    var stdin = false

    @Option(help: ArgumentHelp("Only passages of articles published on or after DATE (2017, 2017-03 or 2017-03-04).", valueName: "DATE"))
    var since: String?

    @Option(help: ArgumentHelp("Only passages of articles published on or before DATE (2017, 2017-03 or 2017-03-04).", valueName: "DATE"))
    var until: String?

    // Unconditional: `-date` is the value, not an option.
    @Option(parsing: .unconditional, help: "Order: score, date (oldest first) or -date (newest first). Default: score, or -date for a query of filters only.")
    var sort: SearchOptions.Sort?

    @Option(help: ArgumentHelp("Count over every match: \(SearchOptions.FacetField.allCases.map(\.rawValue).joined(separator: ", ")) (comma-separated).", valueName: "FIELDS"))
    var facet: String?

    @Flag(name: .customLong("no-collapse"), help: "Show every copy of a near-duplicate passage as a hit of its own.")
    var noCollapse = false

    @Flag(name: .customLong("keep-templates"), help: "Show passages whose text stands on five or more articles of one site.")
    var keepTemplates = false

    @Flag(name: .customLong("no-fold"), help: "Match every word as written: no other spellings, no aliases (as =word does for one word).")
    var noFold = false

    enum HitID: String, ExpressibleByArgument, CaseIterable {
        case passage, document
    }

    @Option(help: "With --stdin, how a hit is named: passage (DOC#ORDINAL) or document (DOC, e.g. the id of a JSON Lines record).")
    var hitId: HitID = .passage

    @Option(help: ArgumentHelp("Stop a search that takes longer than SECONDS (default: no limit).", valueName: "SECONDS"))
    var timeLimit: Double?

    enum Emit: String, ExpressibleByArgument, CaseIterable {
        case opensearch
    }

    @Option(help: ArgumentHelp("Print the query for another engine instead of searching: opensearch (the query DSL over `fahras export --opensearch`; see docs/scale-out.md).",
                               valueName: "ENGINE"))
    var emit: Emit?

    @Flag(help: "With --emit opensearch: a name's spellings are every term under its fold keys (prefix clauses), not the checked spellings this index holds.")
    var foldKeys = false

    /// The fields of `--facet`.
    var facetFields: [SearchOptions.FacetField] {
        (facet.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []).compactMap(SearchOptions.FacetField.init)
    }

    func validate() throws {
        if let option = words.first(where: { $0.hasPrefix("--") }) {
            throw ValidationError("unknown option '\(option)' (a query word cannot begin with --)")
        }
        for field in facet.map({ $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }) ?? []
        where SearchOptions.FacetField(rawValue: field) == nil {
            throw ValidationError("--facet: unknown field '\(field)'; choose from \(SearchOptions.FacetField.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard limit > 0 else { throw ValidationError("--limit must be a positive number, got \(limit)") }
        _ = try TimeLimit.duration(timeLimit)
        if stdin && (query != nil || !actor.isEmpty) { throw ValidationError("give either a QUERY or --stdin, not both") }
        if foldKeys && emit == nil { throw ValidationError("--fold-keys names spellings for --emit opensearch; give it with --emit") }
        if emit != nil {
            for (given, option) in [(facet != nil, "--facet"), (timeLimit != nil, "--time-limit")] where given {
                throw ValidationError("--emit prints a query and runs none: \(option) has no part in it")
            }
        }
        if !stdin && query == nil && actor.isEmpty {
            throw ValidationError("missing QUERY; for example: fahras search \"al-Tanf\" or fahras search --actor ISIS")
        }
    }

    func run() throws {
        let index = try location.open()
        if stdin {
            try emit == nil ? serveStandardInput(index) : emitForStandardInput(index)
            return
        }
        var options = SearchOptions(limit: limit, sort: sort, facets: facetFields)
        options.collapse = !noCollapse
        options.keepTemplates = keepTemplates
        options.foldNames = !noFold
        options.since = since
        options.until = until
        options.actors = actor
        options.timeLimit = try TimeLimit.duration(timeLimit)
        if emit == .opensearch {
            do { Output.standardOutput(try index.openSearchQuery(query ?? "", options: options, foldKeys: foldKeys) + "\n") } catch { throw UserFacingError(error) }
            return
        }
        let results: SearchResults
        do {
            results = try index.search(query ?? "", options: options)
        } catch where error.reason == .badOption && (error.message.hasPrefix("since ") || error.message.hasPrefix("until ")) {
            throw UserFacingError(message: "--" + error.message)  // the options are flags here
        } catch {
            throw UserFacingError(error)
        }
        switch format {
        case .text: Output.standardOutput(ResultFormatter.text(results, color: Output.colorEnabled))
        case .json: Output.standardOutput(JSONShapes.results(results) + "\n")
        }
    }

    /// One protocol answer: a line per hit, or why the query failed. The lines are built
    /// as bytes: appending to a String cost a twentieth of a short query.
    private static func answerQuery(_ line: String, index: SearchIndex, options: SearchOptions, hitId: HitID) -> Result<[UInt8], FahrasError> {
        Result { () throws(FahrasError) -> [UInt8] in
            // Facets need the whole search; ids and scores alone do not.
            var results: SearchResults?
            let ranked: [RankedPassage]
            if options.facets.isEmpty {
                ranked = try index.rank(line, options: options)
            } else {
                let all = try index.search(line, options: options)
                ranked = all.hits.map { RankedPassage(document: $0.document, passage: $0.passage, score: $0.score) }
                results = all
            }
            var answer = AnswerBytes()
            answer.bytes.reserveCapacity(ranked.count * 40)
            for hit in ranked {
                answer.write(Output.visible(hit.document))  // a newline in an id would split the line
                if hitId == .passage {
                    answer.bytes.append(UInt8(ascii: "#"))
                    answer.write(String(hit.passage))
                }
                answer.bytes.append(UInt8(ascii: " "))
                hit.score.write(to: &answer)  // as `String(hit.score)` prints it
                answer.bytes.append(UInt8(ascii: "\n"))
            }
            for facet in results?.facets ?? [] {
                answer.write("@facet \(facet.field.rawValue) \(facet.values.count)\n")
            }
            return answer.bytes
        }
    }

    /// A protocol answer's bytes, as a stream numbers print themselves to: the standard
    /// library hands a number's digits to `_writeASCII` from a buffer on the stack, where
    /// `String(score)` allocates (a score's 17 digits pass a small string's 15 bytes) and runs
    /// string code the rest of a query does not.
    private struct AnswerBytes: TextOutputStream {
        var bytes: [UInt8] = []

        /// Appends `text` through its contiguous bytes: a String's UTF-8 view goes through the
        /// generic sequence path, some 400 instructions each.
        @inline(__always)
        mutating func write(_ text: String) {
            if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
                bytes.append(contentsOf: text.utf8)
            }
        }

        mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: buffer) }
    }

    /// Whether a protocol line holds only white space (answered with no hits); a visible
    /// ASCII character settles it without Unicode lookups.
    private static func isBlank(_ line: String) -> Bool {
        if line.utf8.contains(where: { $0 > 0x20 && $0 < 0x7F }) { return false }
        return line.allSatisfy(\.isWhitespace)
    }

    /// Whether a query's error ends a `--stdin` stream (the index is gone or damaged) rather
    /// than that query alone.
    private static func stopsTheStream(_ error: FahrasError) -> Bool {
        [.indexDamaged, .fileSystem, .indexNotFound].contains(error.reason)
    }

    /// `--emit` with `--stdin`: the query of each line of standard input, on one line (an
    /// empty line for a blank one, and for one that fails, whose error goes to standard error).
    private func emitForStandardInput(_ index: SearchIndex) throws {
        var options = SearchOptions(limit: limit)
        options.foldNames = !noFold
        options.sort = sort
        while let line = readLine(strippingNewline: true) {
            var answer = ""
            if !Self.isBlank(line) {
                do {
                    answer = try index.openSearchQuery(line, options: options, foldKeys: foldKeys, compact: true)
                } catch where Self.stopsTheStream(error) {
                    throw UserFacingError(error)
                } catch {
                    Output.error("query '\(line)': \(error)")
                }
            }
            Output.standardOutput(answer + "\n")
        }
    }

    /// The `peers.py --cmd` line protocol: no texts, no collapsing, top-k may skip.
    private func serveStandardInput(_ index: SearchIndex) throws {
        var options = SearchOptions(limit: limit, facets: facetFields)
        options.collapse = false
        options.fetchText = false
        options.exactTotal = !options.facets.isEmpty
        options.foldNames = !noFold
        options.timeLimit = try TimeLimit.duration(timeLimit)
        let hitId = self.hitId
        while let line = readLine(strippingNewline: true) {
            let started = DispatchTime.now()
            var answer: [UInt8] = []
            if !Self.isBlank(line) {
                switch Self.answerQuery(line, index: index, options: options, hitId: hitId) {
                case .success(let hits):
                    answer = hits
                case .failure(let error) where Self.stopsTheStream(error):
                    throw UserFacingError(error)
                case .failure(let error):
                    Output.error("query '\(line)': \(error)")
                }
            }
            let micros = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1000
            answer.append(contentsOf: "@time \(String(format3: micros))\n\n".utf8)
            Output.standardOutput(bytes: answer)
        }
    }
}

extension SearchOptions.Sort: ExpressibleByArgument {}

/// `--time-limit SECONDS`, for `search` and `serve`.
enum TimeLimit {
    /// A day: past it a limit is no limit, and the count of nanoseconds stays far from overflow.
    static let longest = 86_400.0

    /// `seconds` as a duration (`nil`: none); a value that is not a positive number of
    /// seconds up to a day is refused.
    static func duration(_ seconds: Double?) throws(ValidationError) -> Duration? {
        guard let seconds else { return nil }
        guard seconds.isFinite, seconds > 0, seconds <= longest else {
            throw ValidationError("--time-limit must be a number of seconds above 0 and at most \(Int(longest)), got \(seconds)")
        }
        return .nanoseconds(Int64(seconds * 1e9))
    }
}
