import Fahras
import FahrasExtract
import FahrasIndex
import FahrasIndexer
import Foundation

extension FuzzHarness {
    /// A page or JSON Lines file through the indexing pipeline and through `fahras extract`'s.
    func pipelineOutcome(_ input: UnsafeRawBufferPointer, name: String) -> FuzzOutcome {
        let path = workspace + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(input)) else { return .refused("cannot write \(path)") }
        let file = SourceFile(path: path, displayPath: name, source: path, format: SourceFormat(fileName: name))
        _ = pipeline.articles(of: file)
        switch pipeline.process(file) {
        case .indexed, .unchanged: return .accepted
        case .skipped(let warning): return .refused(warning.description)
        }
    }

    /// A page parsed by both HTML parsers; their events differing is a failure the fuzzer
    /// stops on.
    func parsersOutcome(_ input: UnsafeRawBufferPointer) -> FuzzOutcome {
        let bytes = input.assumingMemoryBound(to: UInt8.self)
        guard HTMLEventLog.isComparable(bytes) else { return .refused("not UTF-8 without NUL: libxml2 reads such a page") }
        guard !HTMLEventLog.hasLongNonASCIIName(bytes) else { return .refused("a long non-ASCII name after & or <?: libxml2 may drop part of it") }
        let (native, libxml2) = HTMLEventLog.both(bytes)
        if native != libxml2 { fatalError("the HTML parsers differ \(HTMLEventLog.divergence(native, libxml2))") }
        return .accepted
    }

    /// A query with every facet, then as a name to list the spellings of.
    func queryOutcome(_ query: String) -> FuzzOutcome {
        let options = SearchOptions(limit: 5, facets: SearchOptions.FacetField.allCases)
        var asActor = options
        asActor.actors = query.count < 40 ? [query] : []
        do {
            _ = try template.search(query, options: options)
            _ = try? template.search(query, options: asActor)
            _ = try? template.variants(of: query)
            return .accepted
        } catch {
            return .refused(error.message)
        }
    }

    /// A segment file, its checksums recomputed, as the only segment of an index.
    func segmentOutcome(_ bytes: [UInt8]) -> FuzzOutcome {
        let name = "seg-000001." + SegmentFormat.fileExtension
        let sealed = SegmentSeal.resealed(bytes)
        do {
            try write(sealed, to: crafted + "/" + name)
            let segment = try SegmentReader(path: crafted + "/" + name, verifyWhole: true)
            let entry = Manifest.Segment(file: name, bytes: segment.fileSize, crc32: segment.footerCRC,
                                         documents: segment.documentCount, passages: segment.passageCount,
                                         terms: segment.termCount, totalLength: segment.totalLength)
            let manifest = try templateManifest().successor(segments: [entry])
            try write(try manifest.encoded(file: Manifest.fileName), to: crafted + "/" + Manifest.fileName)
        } catch {
            return .refused(String(describing: error))
        }
        return searchedAndChecked(crafted)
    }

    /// A manifest, its checksum recomputed, over the segments of the template index.
    func manifestOutcome(_ bytes: [UInt8]) -> FuzzOutcome {
        do {
            let folder = workspace + "/manifest-target"
            if !FileManager.default.fileExists(atPath: folder) {
                try FileManager.default.copyItem(atPath: templatePath, toPath: folder)
            }
            try write(Manifest.resealed(bytes), to: folder + "/" + Manifest.fileName)
            return searchedAndChecked(folder)
        } catch {
            return .refused(String(describing: error))
        }
    }

    /// Opens the index at `path`, searches it, shows a hit's document and checks it.
    private func searchedAndChecked(_ path: String) -> FuzzOutcome {
        let report = IntegrityReport(checking: path)
        do {
            let index = try SearchIndex(at: path)
            _ = index.statistics
            _ = try index.entities(includingUnmentioned: true)
            for query in FuzzArticles.queries {
                let results = try index.search(query, options: SearchOptions(limit: 3, facets: SearchOptions.FacetField.allCases))
                if let hit = results.hits.first { _ = try index.document(hit.document, passage: hit.passage) }
            }
        } catch {
            return .refused(error.message)
        }
        return report.isSound ? .accepted : .refused(report.problems[0])
    }

    private func templateManifest() throws -> Manifest {
        guard let manifest = try IndexDirectory(path: templatePath).readManifest() else {
            throw FahrasError(.indexNotFound, "the template index has no manifest")
        }
        return manifest
    }

    private func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

/// Recomputes a segment's checksums the way ``SegmentWriter`` writes them, wherever its footer
/// says they are, so that mutated bytes pass the CRCs and reach the parsers.
enum SegmentSeal {
    static func resealed(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        let size = bytes.count
        guard size >= SegmentFormat.headerSize + SegmentFormat.footerSize else { return bytes }
        let footer = size - SegmentFormat.footerSize
        func u64(_ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }
        let chunksOffset = u64(footer + 6 * 16)
        let shift = u64(footer + 7 * 16 + 8) & 0xFFFF_FFFF
        guard chunksOffset <= UInt64(footer), (8...30).contains(shift) else { return bytes }
        let covered = Int(chunksOffset)
        let chunkSize = 1 << Int(shift)
        let chunkCount = (covered + chunkSize - 1) / chunkSize
        guard covered + 4 * chunkCount <= size - 12 else { return bytes }
        func put(_ value: UInt32, at: Int) { for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) } }
        for chunk in 0..<chunkCount {
            let range = (chunk * chunkSize)..<min((chunk + 1) * chunkSize, covered)
            put(bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[range])) }, at: covered + 4 * chunk)
        }
        put(bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[covered..<(size - 12)])) }, at: size - 12)
        return bytes
    }
}
