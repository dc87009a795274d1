import ArgumentParser
import Fahras
import FahrasJSON

/// `fahras extract PATH... [--format text|json]`
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Show what indexing would take from files: metadata, passages and the chrome dropped.",
        discussion: """
            Touches no index. For each document, in the order given (folders walked as by \
            `fahras index`): the title (the headline), the publication date and where it was \
            read (jsonld, meta, time, url or text), the modified date, canonical URL, site, \
            authors, language, the passages, and the blocks dropped as site chrome with the \
            rule that dropped each. JSON is one object per line: \
            {"path", "title", "date", "date_source", "modified", "url", "site", "author", \
            "language", "passages": [...], "dropped": [{"text", "reason"}], "skipped"}; a page \
            that indexing would pass over (all chrome) is shown with "skipped" saying why. \
            Files that cannot be read are named on standard error; the exit status is then 1.
            """)

    @Argument(help: "Files or folders (HTML, .txt, .jsonl).")
    var paths: [String]

    @Option(help: "Output format: text or json.")
    var format: SearchCommand.Format = .text

    @Option(help: ArgumentHelp("Keep what is dropped as chrome by default: captions (of figures); none keeps nothing more.", valueName: "captions|none"))
    var keep: [KeptText] = []

    /// Files read at once (their articles are held until shown).
    /// Text kept on request (`--keep`).
    enum KeptText: String, ExpressibleByArgument, CaseIterable {
        case captions, none
    }

    func run() throws {
        var failed = false
        let unlisted = ArticleExtractor(keepCaptions: keep.contains(.captions)).extract(paths) { outcome in
            switch outcome {
            case .success(let articles):
                for article in articles {
                    for warning in article.warnings { Output.warning(warning) }
                    Output.standardOutput(format == .json ? ExtractCommand.json(article) : ExtractCommand.text(article))
                }
            case .failure(let problem):
                Output.warning(problem.description)
                failed = true
            }
        }
        for problem in unlisted { Output.warning(problem.description) }
        if failed || !unlisted.isEmpty { throw ExitCode(1) }
    }

    static func json(_ article: ArticleExtractor.Article) -> String {
        let m = article.hasMetadata ? article : nil
        func field(_ value: String?) -> String { value.map(JSONWriter.quoted) ?? "null" }
        let author = m.flatMap { $0.authors.isEmpty ? nil : $0.authors.joined(separator: ", ") }
        let passages = article.passages.map(JSONWriter.quoted).joined(separator: ", ")
        let dropped = article.dropped.map { "{\"text\": \(JSONWriter.quoted($0.text)), \"reason\": \(JSONWriter.quoted($0.reason))}" }
            .joined(separator: ", ")
        return "{\"path\": \(JSONWriter.quoted(article.path)), \"title\": \(JSONWriter.quoted(article.title)), "
            + "\"date\": \(field(m?.date)), \"date_source\": \(field(m?.dateSource)), "
            + "\"modified\": \(field(m?.modified)), \"url\": \(field(m?.url)), \"site\": \(field(m?.site)), "
            + "\"author\": \(field(author)), \"language\": \(field(m?.language)), "
            + "\"passages\": [\(passages)], \"dropped\": [\(dropped)], \"skipped\": \(field(article.skipped))}\n"
    }

    static func text(_ article: ArticleExtractor.Article) -> String {
        var out = "== \(article.path)\ntitle: \(article.title)\n"
        if article.hasMetadata {
            let m = article
            let rows: [(String, String?)] = [
                ("date", m.date.map { "\($0) (\(m.dateSource ?? ""))" }), ("modified", m.modified), ("url", m.url),
                ("site", m.site), ("author", m.authors.isEmpty ? nil : m.authors.joined(separator: ", ")), ("language", m.language),
            ]
            for (name, value) in rows { out += "\(name): \(value ?? "-")\n" }
        }
        for (i, passage) in article.passages.enumerated() { out += "[\(i)] \(passage)\n" }
        for block in article.dropped { out += "dropped (\(block.reason)): \(block.text)\n" }
        if let skipped = article.skipped { out += "not indexed: \(skipped)\n" }
        return out + "\n"
    }
}
