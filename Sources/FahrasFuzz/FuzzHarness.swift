import Fahras
import FahrasIndexer
import Foundation

/// The inputs the fuzz targets (`scripts/fuzz`) feed to Fahras, one kind each.
package enum FuzzTarget: String, CaseIterable, Sendable {
    /// A page, through the whole extract → segment → analyze pipeline: HTML when the first
    /// byte is even, plain text when it is odd.
    case extract
    /// A JSON Lines file, through the same pipeline.
    case jsonLines = "json-lines"
    /// A page of UTF-8 parsed by Fahras's HTML parser and by libxml2: their events must be
    /// the same (a difference stops the fuzzer like a crash).
    case htmlParser = "html-parser"
    /// A query, parsed and run with facets on a small index.
    case query
    /// An index file with its checksums made valid, so the bytes reach the parsers behind
    /// them: a segment when the first byte is even, a manifest when it is odd. Opened,
    /// searched and checked.
    case index
}

/// What an input came to. The fuzzers look for crashes and hangs only; the corpus tests
/// (`FahrasFuzzTests`) also check that a refusal is one line saying why.
package enum FuzzOutcome: Equatable, Sendable {
    case accepted
    case refused(String)
}

/// Runs one fuzz target's inputs in a scratch folder of its own (under `TMPDIR`), which
/// holds a small index built from three articles at start-up.
package final class FuzzHarness {
    package let target: FuzzTarget
    /// The scratch folder; ``removeWorkspace()`` deletes it.
    package let workspace: String
    let pipeline = DocumentPipeline()
    /// An index of ``FuzzArticles``, for the query target and as the base of crafted indexes.
    let template: SearchIndex
    let templatePath: String
    /// Where crafted index files are written.
    let crafted: String

    package init(target: FuzzTarget) throws {
        self.target = target
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var pattern = Array((base + "/fahras-fuzz-XXXXXX").utf8CString)
        guard let made = mkdtemp(&pattern) else { throw FahrasError(.fileSystem, "cannot make a scratch folder in \(base)") }
        workspace = String(cString: made)
        templatePath = workspace + "/template"
        crafted = workspace + "/crafted"
        let corpus = workspace + "/corpus"
        try FileManager.default.createDirectory(atPath: corpus, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: crafted, withIntermediateDirectories: true)
        for (name, text) in FuzzArticles.files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: corpus + "/" + name))
        }
        _ = try IndexWriter(at: templatePath).update(paths: [corpus])
        template = try SearchIndex(at: templatePath)
    }

    /// Deletes the scratch folder.
    package func removeWorkspace() {
        try? FileManager.default.removeItem(atPath: workspace)
    }

    /// Runs one input.
    package func run(_ input: UnsafeRawBufferPointer) -> FuzzOutcome {
        switch target {
        case .extract:
            guard let first = input.first else { return .refused("empty input") }
            return pipelineOutcome(UnsafeRawBufferPointer(rebasing: input.dropFirst()), name: first & 1 == 0 ? "page.html" : "page.txt")
        case .jsonLines:
            return pipelineOutcome(input, name: "records.jsonl")
        case .htmlParser:
            return parsersOutcome(input)
        case .query:
            return queryOutcome(String(decoding: input, as: UTF8.self))
        case .index:
            guard let first = input.first else { return .refused("empty input") }
            let bytes = Array(input.dropFirst())
            return first & 1 == 0 ? segmentOutcome(bytes) : manifestOutcome(bytes)
        }
    }
}

extension FuzzHarness {
    /// Inputs to start from: the template index's own articles, queries and files, in this
    /// target's input form.
    package func seeds() throws -> [[UInt8]] {
        switch target {
        case .extract:
            return FuzzArticles.files.filter { !$0.name.hasSuffix(".jsonl") }.map { [$0.name.hasSuffix(".html") ? 0 : 1] + Array($0.text.utf8) }
        case .jsonLines:
            return FuzzArticles.files.filter { $0.name.hasSuffix(".jsonl") }.map { Array($0.text.utf8) }
        case .htmlParser:
            return FuzzArticles.files.filter { $0.name.hasSuffix(".html") }.map { Array($0.text.utf8) }
        case .query:
            return FuzzArticles.queries.map { Array($0.utf8) }
        case .index:
            let names = try FileManager.default.contentsOfDirectory(atPath: templatePath).sorted()
            return try names.compactMap { name -> [UInt8]? in
                let kind: UInt8? = name.hasSuffix(".fsg") ? 0 : name == "manifest.json" ? 1 : nil
                return try kind.map { [$0] + Array(try Data(contentsOf: URL(fileURLWithPath: templatePath + "/" + name))) }
            }
        }
    }
}
