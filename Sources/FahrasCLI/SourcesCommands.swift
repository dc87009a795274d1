import ArgumentParser
import Fahras

/// `fahras sources [--index DIR]`
struct SourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "List the folders and files the index is built from.",
        discussion: "`fahras index` with no PATH scans them again; `fahras index PATH` adds one; `fahras remove PATH` removes one.")

    @OptionGroup var location: IndexLocation

    func run() throws {
        let sources: [IndexWriter.Source]
        do { sources = try IndexWriter(at: location.index).sources() } catch { throw UserFacingError(error) }
        var out = ""
        for source in sources {
            out += "\(source.path)  \(source.documents) document\(source.documents == 1 ? "" : "s")"
                + (source.exists ? "" : "  (gone: `fahras remove` forgets it)") + "\n"
        }
        Output.standardOutput(out.isEmpty ? "The index remembers no source.\n" : out)
    }
}

/// `fahras remove PATH... [--index DIR]`
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove sources from the index: their documents are deleted and they are not scanned again.",
        discussion: "PATH is a source `fahras sources` lists, or a folder holding sources. Runs as one atomic commit.")

    @Argument(help: ArgumentHelp("Sources to remove.", valueName: "PATH"))
    var paths: [String]

    @OptionGroup var location: IndexLocation

    func run() throws {
        let summary: IndexWriter.Summary
        do { summary = try IndexWriter(at: location.index).remove(sources: paths) } catch { throw UserFacingError(error) }
        Output.standardOutput("Removed \(summary.deleted) file\(summary.deleted == 1 ? "" : "s"); "
            + "\(summary.documents) files, \(summary.passages) passages left in \(summary.segments) segment\(summary.segments == 1 ? "" : "s") "
            + "in \(String(format3: summary.seconds)) s -> \(location.index)\n")
    }
}
