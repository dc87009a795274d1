import FahrasMetadata
import ArgumentParser
import FahrasJSON
import FahrasExtract
import FahrasIndexer

/// `fahras extract PATH... [--format text|json]`
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Show what indexing would take from files: metadata, passages and the chrome dropped.",
        discussion: """
            Touches no index. For each document, in the order given (folders walked as by
            `fahras index`): the title (the headline), the publication date and where it was
            read (jsonld, meta, time, url or text), the modified date, canonical URL, site,
            authors, language, the passages, and the blocks dropped as site chrome with the
            rule that dropped each. JSON is one object per line:
            {"path", "title", "date", "date_source", "modified", "url", "site", "author",
            "language", "passages": [...], "dropped": [{"text", "reason"}], "skipped"}; a page
            that indexing would pass over (all chrome) is shown with "skipped" saying why.
            Files that cannot be read are named on standard error; the exit status is then 1.
            """)

    @Argument(help: "Files or folders (HTML, .txt, .jsonl).")
    var paths: [String]

    @Option(help: "Output format: text or json.")
    var format: SearchCommand.Format = .text

    @Option(help: ArgumentHelp("Keep what is dropped as chrome by default: captions (of figures); none keeps nothing more.", valueName: "captions|none"))
    var keep: [KeptText] = []

    /// Files read at once (their articles are held until shown).
    static let filesAtOnce = 64

    /// Text kept on request (`--keep`).
    enum KeptText: String, ExpressibleByArgument, CaseIterable {
        case captions, none
    }

    func run() throws {
        let (files, warnings, _) = SourceCollector().collect(paths)
        for warning in warnings { Output.warning(warning.description) }
        var pipeline = DocumentPipeline()
        pipeline.extractor.boilerplate.keepsCaptions = keep.contains(.captions)
        var failed = !warnings.isEmpty
        // Files are read on every core, a few at a time, and shown in the order given.
        var start = 0
        while start < files.count {
            let chunk = Array(files[start..<min(start + ExtractCommand.filesAtOnce, files.count)])
            start += chunk.count
            for outcome in pipeline.articles(of: chunk) {
                switch outcome {
                case .success(let articles):
                    for article in articles {
                        for warning in article.warnings { Output.warning(warning) }
                        Output.standardOutput(format == .json ? ExtractCommand.json(article) : ExtractCommand.text(article))
                    }
                case .failure(let warning):
                    Output.warning(warning.description)
                    failed = true
                }
            }
        }
        if failed { throw ExitCode(1) }
    }

    static func json(_ article: DocumentPipeline.Article) -> String {
        let m = article.metadata
        func field(_ value: String?) -> String { value.map(JSONWriter.quoted) ?? "null" }
        let author = m.flatMap { $0.authors.isEmpty ? nil : $0.authors.joined(separator: ", ") }
        let passages = article.passages.map(JSONWriter.quoted).joined(separator: ", ")
        let dropped = article.dropped.map { "{\"text\": \(JSONWriter.quoted($0.text)), \"reason\": \(JSONWriter.quoted($0.reason))}" }
            .joined(separator: ", ")
        return "{\"path\": \(JSONWriter.quoted(article.path)), \"title\": \(JSONWriter.quoted(article.title)), "
            + "\"date\": \(field(m?.date)), \"date_source\": \(field(m?.dateSource?.rawValue)), "
            + "\"modified\": \(field(m?.modified)), \"url\": \(field(m?.url)), \"site\": \(field(m?.site)), "
            + "\"author\": \(field(author)), \"language\": \(field(m?.language)), "
            + "\"passages\": [\(passages)], \"dropped\": [\(dropped)], \"skipped\": \(field(article.skipped))}\n"
    }

    static func text(_ article: DocumentPipeline.Article) -> String {
        var out = "== \(article.path)\ntitle: \(article.title)\n"
        if let m = article.metadata {
            let rows: [(String, String?)] = [
                ("date", m.date.map { "\($0) (\(m.dateSource?.rawValue ?? ""))" }), ("modified", m.modified), ("url", m.url),
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
