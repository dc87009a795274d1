import ArgumentParser
import FahrasSearch

/// `fahras show DOC[#PASSAGE] [--index DIR] [--format text|json]`
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a document as indexed: its title, fields (date, site, URL…) and passages.",
        discussion: """
            DOC is the document as results name it (a path, or a JSON Lines id); DOC#N shows
            its passage N only. JSON: {"doc", "title", "source", "fields": {NAME: VALUE},
            "passage_count", "passages": [{"passage", "text"}]}.
            """)

    @Argument(help: ArgumentHelp("The document, and optionally #PASSAGE.", valueName: "DOC[#PASSAGE]"))
    var document: String

    @OptionGroup var location: IndexLocation

    @Option(help: "Output format: text or json.")
    var format: SearchCommand.Format = .text

    func run() throws {
        let searcher = try location.searcher()
        var path = document
        var passage: Int?
        // DOC#N: the last '#' followed by digits names a passage (a path may hold '#' too).
        if let hash = document.lastIndex(of: "#"), let n = Int(document[document.index(after: hash)...]) {
            path = String(document[..<hash])
            passage = n
        }
        let shown: ShownDocument
        do { shown = try searcher.show(path, passage: passage) } catch { throw UserFacingError(error) }
        Output.standardOutput(format == .json ? ShowCommand.json(shown) : ShowCommand.text(shown))
    }

    static func text(_ shown: ShownDocument) -> String {
        var out = "\(shown.path)  \(shown.title)\n"
        for (name, value) in shown.fields { out += "  \(name): \(value)\n" }
        out += "  source: \(shown.source)\n  passages: \(shown.passageCount)\n"
        for (ordinal, text) in shown.passages { out += "\n#\(ordinal)  \(text)\n" }
        return out
    }

    static func json(_ shown: ShownDocument) -> String {
        let fields = shown.fields.map { "\(JSONWriter.quoted($0.name)): \(JSONWriter.quoted($0.value))" }.joined(separator: ", ")
        let passages = shown.passages.map { "{\"passage\": \($0.ordinal), \"text\": \(JSONWriter.quoted($0.text))}" }
            .joined(separator: ", ")
        return "{\"doc\": \(JSONWriter.quoted(shown.path)), \"title\": \(JSONWriter.quoted(shown.title)), "
            + "\"source\": \(JSONWriter.quoted(shown.source)), \"fields\": {\(fields)}, "
            + "\"passage_count\": \(shown.passageCount), \"passages\": [\(passages)]}\n"
    }
}
