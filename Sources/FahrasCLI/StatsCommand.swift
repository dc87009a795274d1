import ArgumentParser
import Fahras

/// `fahras stats [--index DIR]`
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Describe the index: documents, passages, terms, segments, size, article fields and sources.")

    @OptionGroup var location: IndexLocation

    func run() throws {
        let stats = try location.open().statistics
        let bytes = stats.segments.reduce(UInt64(0)) { $0 + $1.bytes }
        var out = """
            index:            \(location.index)
            format:           \(stats.format) v\(stats.formatVersion), segment format v\(stats.segmentFormatVersion)
            generation:       \(stats.generation) (committed \(stats.committed))
            analyzer:         \(stats.analyzer)
            passage texts:    \(stats.textsExternal ? "external (read again from the source files)" : "stored in the index")
            documents:        \(stats.documents)
            passages:         \(stats.passages)
            terms:            \(stats.terms)\(stats.segments.count > 1 ? " (counted per segment and added up)" : "")
            positions:        \(stats.positions)
            average passage:  \(String(format3: stats.averagePassageLength)) words
            size:             \(bytes) bytes in \(stats.segments.count) segment\(stats.segments.count == 1 ? "" : "s")

            """
        for segment in stats.segments {
            let deleted = segment.deletedDocuments == 0 ? "" : " (\(segment.deletedDocuments) deleted)"
            out += "  \(segment.file): \(plural(segment.documents, "document"))\(deleted), \(plural(segment.passages, "passage")), "
                + "\(plural(segment.terms, "term")), \(plural(Int(segment.bytes), "byte"))\n"
        }
        out += "articles (documents with each field, of \(stats.documents)):\n"
        for field in stats.fields {
            var line = "  " + field.name + ":" + String(repeating: " ", count: max(1, 14 - field.name.count)) + "\(field.documents)"
            if let first = field.firstDate, let last = field.lastDate { line += " (\(first) to \(last))" }
            if !field.values.isEmpty {
                let top = field.values.prefix(3).map { "\($0.value) \($0.documents)" }.joined(separator: ", ")
                line += "; \(field.values.count) value\(field.values.count == 1 ? "" : "s")" + (top.isEmpty ? "" : ": " + top)
                    + (field.values.count > 3 ? ", …" : "")
            }
            out += line + "\n"
        }
        if !stats.sources.isEmpty { out += "sources:          " + stats.sources.joined(separator: ", ") + "\n" }
        Output.standardOutput(out)
    }

    private func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}
