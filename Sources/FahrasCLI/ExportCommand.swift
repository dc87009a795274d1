import ArgumentParser
import Fahras
import Foundation

/// `fahras export --opensearch DIR [--index DIR] [--name NAME] [PATH...]`
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an index's passages for OpenSearch: an index template and _bulk files.",
        discussion: """
            --opensearch DIR writes, into a new or empty folder DIR, mapping.json (an index \
            template: PUT _index_template/NAME) and bulk-0001.ndjson… (POST _bulk), one \
            document per passage with its article's fields (doc, passage, title, text, date, \
            site, url, language…) and the terms Fahras indexes for it in `tokens` (words, folded \
            name keys, @entity tags, one position a space-separated entry) and the words alone in \
            `words`. `fahras search --emit opensearch QUERY` prints the matching query. With \
            PATHs, the files are indexed into a temporary index first, which is then removed. \
            See docs/scale-out.md.
            """)

    @Option(help: ArgumentHelp("The folder to write (new, or empty).", valueName: "DIR"))
    var opensearch: String

    @Option(help: ArgumentHelp("The OpenSearch index the bulk actions name (the template covers NAME*).", valueName: "NAME"))
    var name = "fahras"

    @Argument(help: ArgumentHelp("Files or folders to export straight from (default: the index).", valueName: "PATH"))
    var paths: [String] = []

    @OptionGroup var location: IndexLocation

    func run() throws {
        let summary: OpenSearchExportSummary
        if paths.isEmpty {
            let index = try location.open()
            do { summary = try index.exportForOpenSearch(to: opensearch, indexName: name) } catch { throw UserFacingError(error) }
        } else {
            summary = try exportFromSources()
        }
        Output.standardError("exported \(summary.passages) passages of \(summary.documents) documents to \(opensearch): "
            + "mapping.json and \(summary.bulkFiles) bulk file\(summary.bulkFiles == 1 ? "" : "s") (\(summary.bytes) bytes)\n")
    }

    /// Indexes `paths` into a folder of its own beside DIR, exports it, and removes it.
    private func exportFromSources() throws -> OpenSearchExportSummary {
        let destination = URL(fileURLWithPath: opensearch).standardizedFileURL
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(destination.lastPathComponent).index-\(ProcessInfo.processInfo.processIdentifier)").path
        guard !FileManager.default.fileExists(atPath: temporary) else {
            throw UserFacingError(message: "'\(temporary)' is in the way of the temporary index; remove it")
        }
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        do {
            let indexed = try IndexWriter(at: temporary).update(paths: paths)
            for (path, reason) in indexed.skipped { Output.standardError("fahras: warning: \(path): \(reason)\n") }
            return try SearchIndex(at: temporary).exportForOpenSearch(to: opensearch, indexName: name)
        } catch {
            throw UserFacingError(error)
        }
    }
}
