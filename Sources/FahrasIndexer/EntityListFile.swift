import Foundation
import FahrasAnalysis

/// A user's entity list (gazetteer file), read whole and checked before use.
///
/// `fahras index --entities FILE` indexes with the bundled list plus FILE and keeps a copy
/// beside the index as `entities.tsv`; later runs and searches read that copy. Editing it
/// changes the analyzer signature, so a search refuses the old index until it is rebuilt.
public struct EntityListFile: Sendable {
    /// The name of the copy beside the index.
    public static let name = "entities.tsv"

    /// Where the list was read from, for messages.
    public var path: String
    public var text: String

    /// Reads and checks the list at `path`.
    public init(path: String) throws(AnalysisError) {
        self.path = path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableEntityList(file: path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableEntityList(file: path, reason: "it is not UTF-8 text")
        }
        self.text = text
        _ = try gazetteer()
    }

    /// The list kept beside the index at `directory`, if there is one.
    public static func beside(index directory: String) throws(AnalysisError) -> EntityListFile? {
        let path = (directory as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try EntityListFile(path: path)
    }

    /// The bundled gazetteer with this list added.
    public func gazetteer() throws(AnalysisError) -> Gazetteer {
        var gazetteer = Gazetteer.bundled
        try gazetteer.add(tsv: text, file: path)
        return gazetteer
    }

    /// The analyzer for the index at `directory`: the standard one with the bundled list
    /// and the list beside the index.
    public static func analyzer(forIndexAt directory: String) throws(AnalysisError) -> Analyzer {
        guard let list = try beside(index: directory) else { return .standard }
        return Analyzer.standard(entities: try list.gazetteer())
    }
}
