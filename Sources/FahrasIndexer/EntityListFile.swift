import Foundation
import FahrasAnalysis
import FahrasIndex

/// A user's entity list (gazetteer file), read whole and checked before use.
///
/// `fahras index --entities FILE` indexes with the bundled list plus FILE and keeps a copy
/// in the index as a companion file that the manifest names (`entities-NUMBER.tsv`); later
/// runs and searches read that copy, checked against the manifest's CRC.
package struct EntityListFile: Sendable {
    /// The companion role in the manifest.
    package static let role = "entities"

    /// Where the list was read from, for messages.
    package let path: String
    package let text: String
    /// The bundled gazetteer with the list added (or the list alone), parsed once when the
    /// list is read: checking it and building the analyzer both need it.
    private let parsed: Gazetteer

    /// The line that makes a list replace the bundled one instead of adding to it (a
    /// comment to the list's parser; kept in the index's copy of the list).
    package static let replacesBundledLine = "#! fahras: this list replaces the bundled entity list"

    /// Whether the list replaces the bundled one (`--no-bundled-entities`).
    package var replacesBundled: Bool { EntityListFile.replacesBundled(text) }

    private static func replacesBundled(_ text: String) -> Bool {
        text.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == replacesBundledLine }
    }

    /// This list made to replace the bundled one (or an empty list that does).
    package static func replacingBundled(_ list: EntityListFile?) throws(AnalysisError) -> EntityListFile {
        let text = list?.text ?? ""
        if let list, list.replacesBundled { return list }
        let bytes = Array((replacesBundledLine + "\n" + text).utf8)
        return try EntityListFile(bytes: bytes, path: list?.path ?? "--no-bundled-entities")
    }

    /// Reads and checks the list at `path`.
    /// The largest list read: a gazetteer of a million aliases is a few tens of megabytes.
    package static let maximumBytes = 64 << 20

    /// Reads and checks the list at `path`: a regular file (a device such as /dev/zero or a
    /// FIFO would be read without end, or block) of at most ``maximumBytes``.
    package init(path: String) throws(AnalysisError) {
        func failure(_ reason: String) -> AnalysisError { .unreadableEntityList(file: path, reason: reason) }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw failure(SourceCollector.errnoMessage()) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw failure(SourceCollector.errnoMessage()) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw failure("it is not a regular file") }
        guard Int(info.st_size) <= EntityListFile.maximumBytes else {
            throw failure("it is larger than \(EntityListFile.maximumBytes >> 20) MB")
        }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + done, $0.count - done) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure(count == 0 ? "it shrank while it was read" : SourceCollector.errnoMessage()) }
            done += count
        }
        try self.init(bytes: bytes, path: path)
    }

    /// Checks the list in `bytes`, read from `path`.
    package init(bytes: [UInt8], path: String) throws(AnalysisError) {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadableEntityList(file: path, reason: "it is not UTF-8 text")
        }
        self.path = path
        self.text = text
        parsed = try EntityListFile.gazetteer(text: text, path: path)
    }

    /// The list the commit `manifest` of `directory` was built with, if any.
    package static func list(of manifest: Manifest?, in directory: IndexDirectory) throws -> EntityListFile? {
        guard let companion = manifest?.companion(role) else { return nil }
        let (path, bytes) = try directory.read(companion)
        return try EntityListFile(bytes: bytes, path: path)
    }

    /// The bundled gazetteer with this list added, or this list alone when it replaces it.
    package func gazetteer() -> Gazetteer { parsed }

    private static func gazetteer(text: String, path: String) throws(AnalysisError) -> Gazetteer {
        var gazetteer = replacesBundled(text) ? Gazetteer() : Gazetteer.bundled
        try gazetteer.add(tsv: text, file: path)
        return gazetteer
    }

    /// The standard analyzer with `list` added to the bundled gazetteer.
    package static func analyzer(with list: EntityListFile?) throws(AnalysisError) -> Analyzer {
        guard let list else { return .standard }
        return Analyzer.standard(entities: list.gazetteer())
    }

    /// The analyzer to search the commit `manifest` of `directory` with.
    package static func analyzer(for manifest: Manifest, in directory: IndexDirectory) throws -> Analyzer {
        if manifest.analyzer.signature == Analyzer.wordChain.signature { return .wordChain }
        return try analyzer(with: try list(of: manifest, in: directory))
    }
}
