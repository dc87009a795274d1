import Foundation

/// An index directory on disk and its commit protocol.
///
/// A commit writes the new segment to a temporary file, flushes it, renames it into place,
/// then writes the new manifest the same way and flushes the directory; only then are the
/// files of the previous commit removed. A crash at any moment leaves either the old
/// manifest with its segments or the new one with its segments: never a mix, never a
/// half-written file that a reader would open.
public struct IndexDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    private func file(_ name: String) -> String {
        path.hasSuffix("/") ? path + name : path + "/" + name
    }

    /// The current manifest, or `nil` when the directory holds no index.
    public func readManifest() throws(IndexError) -> Manifest? {
        let manifestPath = file(Manifest.fileName)
        guard let bytes = try FileIO.readFile(manifestPath) else { return nil }
        return try Manifest.decode(bytes, file: manifestPath)
    }

    /// Replaces the whole index with the segment in `builder` (a full rebuild).
    ///
    /// - Parameter companions: files to place beside the index (the user's entity list),
    ///   written durably before the manifest that depends on them.
    @discardableResult
    public func commitRebuild(_ builder: SegmentBuilder, analyzer: String,
                              companions: [String: [UInt8]] = [:]) throws(IndexError) -> Manifest {
        try FileIO.createDirectory(path)
        // A damaged manifest must not stop a rebuild: the rebuild is how the user repairs it.
        let previous = try? readManifest()
        let generation = max(previous?.generation ?? 0, highestGenerationOnDisk()) + 1
        let bytes = builder.serialize()
        let name = IndexDirectory.segmentName(generation)
        let temporary = file(name + ".tmp")
        try FileIO.writeDurably(bytes, to: temporary)
        try FileIO.rename(temporary, to: file(name))
        let footerCRC = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - 12, as: UInt32.self)) }
        let manifest = Manifest(
            format: Manifest.formatName, version: Manifest.currentVersion, generation: generation,
            analyzer: analyzer, committed: ISO8601DateFormatter().string(from: Date()),
            segments: [Manifest.Segment(
                file: name, bytes: UInt64(bytes.count), crc32: footerCRC,
                documents: builder.documentCount, passages: builder.passageCount,
                terms: builder.termCount, totalLength: builder.totalLength)])
        for (companion, contents) in companions.sorted(by: { $0.key < $1.key }) {
            let companionTemporary = file(companion + ".tmp")
            try FileIO.writeDurably(contents, to: companionTemporary)
            try FileIO.rename(companionTemporary, to: file(companion))
        }
        let manifestTemporary = file(Manifest.fileName + ".tmp")
        try FileIO.writeDurably(try manifest.encoded(file: manifestTemporary), to: manifestTemporary)
        try FileIO.rename(manifestTemporary, to: file(Manifest.fileName))
        try FileIO.syncDirectory(path)
        removeUnreferencedFiles(keeping: Set(manifest.segments.map(\.file)))
        return manifest
    }

    /// Opens the committed index for reading.
    ///
    /// - Parameter analyzer: the analyzer signature the caller will query with; a different
    ///   one recorded in the manifest is an error, since terms would not match.
    public func open(analyzer: String? = nil) throws(IndexError) -> IndexReader {
        guard let manifest = try readManifest() else { throw .notFound(directory: path) }
        if let analyzer, manifest.analyzer != analyzer {
            throw .analyzerMismatch(directory: path, found: manifest.analyzer, expected: analyzer)
        }
        var segments: [SegmentReader] = []
        for segment in manifest.segments {
            let segmentPath = file(segment.file)
            let reader = try SegmentReader(path: segmentPath)
            guard reader.fileSize == segment.bytes, reader.footerCRC == segment.crc32 else {
                throw .corrupt(file: segmentPath, reason: "size or checksum differs from what \(Manifest.fileName) records")
            }
            segments.append(reader)
        }
        return IndexReader(directory: path, manifest: manifest, segments: segments)
    }

    static func segmentName(_ generation: Int) -> String {
        let digits = String(generation)
        return "seg-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + "." + SegmentFormat.fileExtension
    }

    private static func isSegmentFile(_ name: String) -> Bool {
        name.hasPrefix("seg-") && name.hasSuffix("." + SegmentFormat.fileExtension)
    }

    private func highestGenerationOnDisk() -> Int {
        FileIO.listDirectory(path).filter(IndexDirectory.isSegmentFile).compactMap { name in
            Int(name.dropFirst(4).dropLast(SegmentFormat.fileExtension.count + 1))
        }.max() ?? 0
    }

    /// Removes segment files no manifest names and temporary files of interrupted commits.
    /// Other files (a README someone put there) are left alone.
    private func removeUnreferencedFiles(keeping live: Set<String>) {
        for name in FileIO.listDirectory(path) {
            let isStale = (IndexDirectory.isSegmentFile(name) && !live.contains(name))
                || (name.hasSuffix(".tmp") && (name.hasPrefix("seg-") || name.hasPrefix(Manifest.fileName)))
            if isStale { FileIO.remove(file(name)) }
        }
    }
}
