import ArgumentParser
import FahrasIndexer

/// `fahras index [PATH ...] [--index DIR]`
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build the index from HTML and text files.",
        discussion: """
            PATHs are files or folders (searched recursively for .html, .htm, .xhtml and .txt).
            Names are indexed under every spelling key, and the entities of the gazetteer (the
            bundled list, Index/entities.tsv, or --entities FILE) are tagged.
            Files that cannot be indexed (empty, binary, not UTF-8, unreadable) are named in a
            warning and skipped; the rest are indexed. The index is replaced atomically: a
            failed or interrupted run leaves the previous index as it was.
            """)

    @Argument(help: ArgumentHelp("Files or folders to index.", valueName: "PATH"))
    var paths: [String] = ["seeds"]

    @OptionGroup var location: IndexLocation

    @Option(help: ArgumentHelp(
        "An entity list to add to the bundled one (kept beside the index as entities.tsv for later runs and searches).",
        valueName: "FILE"))
    var entities: String?

    func run() throws {
        var list: EntityListFile?
        if let entities {
            do { list = try EntityListFile(path: entities) } catch { throw UserFacingError(error) }
        }
        let showProgress = Output.errorIsTerminal
        let summary: IndexingSummary
        do {
            summary = try Indexer().rebuild(paths: paths, directory: location.index, entities: list) { done, total in
                if showProgress && total >= 200 {
                    Output.standardError("\rindexing: \(done)/\(total) files")
                }
            }
        } catch {
            if showProgress { Output.standardError("\r\u{1B}[K") }
            throw UserFacingError(error)
        }
        if showProgress { Output.standardError("\r\u{1B}[K") }
        for warning in summary.warnings { Output.warning(warning.description) }
        var line = "Indexed \(summary.files) file\(summary.files == 1 ? "" : "s"): \(summary.passages) passages, "
            + "\(summary.terms) terms in \(String(format3: summary.seconds)) s -> \(location.index)"
        var notes: [String] = []
        if !summary.warnings.isEmpty { notes.append("\(summary.warnings.count) skipped (see warnings)") }
        if summary.ignored > 0 { notes.append("\(summary.ignored) ignored for their extension") }
        if summary.boilerplateBlocks > 0 { notes.append("\(summary.boilerplateBlocks) chrome blocks dropped") }
        if !notes.isEmpty { line += " (" + notes.joined(separator: ", ") + ")" }
        Output.standardOutput(line + "\n")
    }
}
