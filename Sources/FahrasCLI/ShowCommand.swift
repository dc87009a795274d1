import ArgumentParser
import Fahras
import FahrasJSON

/// `fahras show DOC[#PASSAGE] [--index DIR] [--format text|json]`
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a document as indexed: its title, fields (date, site, URL…) and passages.",
        discussion: """
            DOC is the document as results name it (a path, or a JSON Lines id); DOC#N shows \
            its passage N only. JSON: {"doc", "title", "source", "fields": {NAME: VALUE}, \
            "passage_count", "passages": [{"passage", "text"}]}.
            """)

    @Argument(help: ArgumentHelp("The document, and optionally #PASSAGE.", valueName: "DOC[#PASSAGE]"))
    var document: String

    @OptionGroup var location: IndexLocation

    @Option(help: "Output format: text or json.")
    var format: SearchCommand.Format = .text

    func run() throws {
        let index = try location.open()
        var path = document
        var passage: Int?
        // DOC#N: the last '#' followed by digits names a passage (a path may hold '#' too).
        if let hash = document.lastIndex(of: "#"), let n = Int(document[document.index(after: hash)...]) {
            path = String(document[..<hash])
            passage = n
        }
        let shown: Document
        do { shown = try index.document(path, passage: passage) } catch { throw UserFacingError(error) }
        Output.standardOutput(format == .json ? JSONShapes.document(shown) + "\n" : ShowCommand.text(shown))
    }

    static func text(_ shown: Document) -> String {
        var out = "\(shown.id)  \(shown.title)\n"
        for (name, value) in shown.fields { out += "  \(name): \(value)\n" }
        out += "  source: \(shown.source)\n  passages: \(shown.passageCount)\n"
        for (passage, text) in shown.passages { out += "\n#\(passage)  \(text)\n" }
        return out
    }
}
