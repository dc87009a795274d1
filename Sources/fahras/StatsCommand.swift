import ArgumentParser
import FahrasIndex
import FahrasAnalysis

/// `fahras stats [--index DIR]`
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Describe the index: documents, passages, terms, segments, size, article fields and sources.")

    @OptionGroup var location: IndexLocation

    func run() throws {
        let (reader, _) = try location.open()
        let manifest = reader.manifest
        let bytes = manifest.segments.reduce(UInt64(0)) { $0 + $1.bytes }
        var out = """
            index:            \(location.index)
            format:           \(manifest.format) v\(manifest.version), segment format v\(SegmentFormat.version)
            generation:       \(manifest.generation) (committed \(manifest.committed))
            analyzer:         \(manifest.analyzer.signature)
            passage texts:    \(manifest.keepsTextsExternal ? "external (read again from the source files)" : "stored in the index")
            documents:        \(reader.documentCount)
            passages:         \(reader.passageCount)
            terms:            \(reader.termCount)
            positions:        \(manifest.statistics.totalLength)
            average passage:  \(String(format3: reader.averageLength)) words
            size:             \(bytes) bytes in \(manifest.segments.count) segment\(manifest.segments.count == 1 ? "" : "s")

            """
        for segment in manifest.segments {
            let deleted = segment.deleted.isEmpty ? "" : " (\(segment.deleted.count) deleted)"
            out += "  \(segment.file): \(segment.documents) documents\(deleted), \(segment.passages) passages, \(segment.terms) terms, \(segment.bytes) bytes\n"
        }
        out += "articles (documents with each field, of \(reader.documentCount)):\n"
        for summary in reader.fieldSummaries() {
            var line = "  " + summary.field.name + ":" + String(repeating: " ", count: max(1, 14 - summary.field.name.count))
                + "\(summary.documents)"
            if let range = summary.range { line += " (\(Schema.isoDate(range.lowerBound)) to \(Schema.isoDate(range.upperBound)))" }
            if !summary.values.isEmpty {
                let top = summary.values.prefix(3).map { "\($0.value) \($0.documents)" }.joined(separator: ", ")
                line += "; \(summary.values.count) value\(summary.values.count == 1 ? "" : "s")" + (top.isEmpty ? "" : ": " + top)
                    + (summary.values.count > 3 ? ", …" : "")
            }
            out += line + "\n"
        }
        if !manifest.sources.isEmpty { out += "sources:          " + manifest.sources.joined(separator: ", ") + "\n" }
        Output.standardOutput(out)
    }
}
