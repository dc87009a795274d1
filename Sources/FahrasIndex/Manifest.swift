import Foundation

/// The commit point of an index: which segment files are live and the statistics BM25
/// needs, replaced atomically on every commit (`manifest.json`, as Tantivy's `meta.json`).
///
/// Readers open the manifest first and only the segments it names; files that a crashed
/// writer left behind are never read.
public struct Manifest: Codable, Equatable, Sendable {
    /// One live segment.
    public struct Segment: Codable, Equatable, Sendable {
        /// File name inside the index directory.
        public var file: String
        /// File size in bytes, checked on open.
        public var bytes: UInt64
        /// CRC-32 of the whole file, as its footer records.
        public var crc32: UInt32
        public var documents: Int
        public var passages: Int
        public var terms: Int
        public var totalLength: UInt64
    }

    /// Always `"fahras-index"`.
    public var format: String
    /// The manifest format version (see docs/index-format.md).
    public var version: Int
    /// Incremented by every commit; segment file names carry the generation they were born in.
    public var generation: Int
    /// The analyzer configuration the terms were produced with.
    public var analyzer: String
    /// When the commit was made (ISO 8601).
    public var committed: String
    public var segments: [Segment]

    public static let formatName = "fahras-index"
    public static let currentVersion = 1
    public static let fileName = "manifest.json"

    public var passages: Int { segments.reduce(0) { $0 + $1.passages } }
    public var documents: Int { segments.reduce(0) { $0 + $1.documents } }
    public var totalLength: UInt64 { segments.reduce(0) { $0 + $1.totalLength } }

    func encoded(file: String) throws(IndexError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            return Array(try encoder.encode(self)) + [0x0A]
        } catch {
            throw .io(path: file, operation: "encode", message: String(describing: error))
        }
    }

    static func decode(_ bytes: [UInt8], file: String) throws(IndexError) -> Manifest {
        struct Probe: Decodable { var format: String?; var version: Int? }
        guard let probe = try? JSONDecoder().decode(Probe.self, from: Data(bytes)), probe.format == formatName else {
            throw .corrupt(file: file, reason: "not a Fahras manifest")
        }
        guard probe.version == currentVersion else {
            throw .unsupportedVersion(file: file, found: probe.version ?? 0, supported: currentVersion)
        }
        do {
            return try JSONDecoder().decode(Manifest.self, from: Data(bytes))
        } catch {
            throw .corrupt(file: file, reason: "manifest does not parse: \(error)")
        }
    }
}
