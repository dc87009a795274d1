import Foundation
import FahrasAnalysis
import FahrasIndex

/// A user's entity list (gazetteer file), read whole and checked before use.
///
/// `fahras index --entities FILE` indexes with the bundled list plus FILE and keeps a copy
/// in the index as a companion file that the manifest names (`entities-NUMBER.tsv`); later
/// runs and searches read that copy, checked against the manifest's CRC.
public struct EntityListFile: Sendable {
    /// The companion role in the manifest.
    public static let role = "entities"

    /// Where the list was read from, for messages.
    public var path: String
    public var text: String

    /// Reads and checks the list at `path`.
    public init(path: String) throws(AnalysisError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableEntityList(file: path, reason: (error as NSError).localizedDescription)
        }
        try self.init(bytes: Array(data), path: path)
    }

    /// Checks the list in `bytes`, read from `path`.
    public init(bytes: [UInt8], path: String) throws(AnalysisError) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadableEntityList(file: path, reason: "it is not UTF-8 text")
        }
        self.path = path
        self.text = text
        _ = try gazetteer()
    }

    /// The list the commit `manifest` of `directory` was built with, if any.
    public static func list(of manifest: Manifest?, in directory: IndexDirectory) throws -> EntityListFile? {
        guard let companion = manifest?.companion(role) else { return nil }
        let (path, bytes) = try directory.read(companion)
        return try EntityListFile(bytes: bytes, path: path)
    }

    /// The bundled gazetteer with this list added.
    public func gazetteer() throws(AnalysisError) -> Gazetteer {
        var gazetteer = Gazetteer.bundled
        try gazetteer.add(tsv: text, file: path)
        return gazetteer
    }

    /// The standard analyzer with `list` added to the bundled gazetteer.
    public static func analyzer(with list: EntityListFile?) throws(AnalysisError) -> Analyzer {
        guard let list else { return .standard }
        return Analyzer.standard(entities: try list.gazetteer())
    }

    /// The analyzer to search the commit `manifest` of `directory` with.
    public static func analyzer(for manifest: Manifest, in directory: IndexDirectory) throws -> Analyzer {
        if manifest.analyzer.signature == Analyzer.wordChain.signature { return .wordChain }
        return try analyzer(with: try list(of: manifest, in: directory))
    }
}
