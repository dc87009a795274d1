import Foundation
import FahrasAnalysis
import FahrasIndex

/// Why an indexing run stopped without committing. The previous index, if any, is intact.
package enum IndexerError: Error, CustomStringConvertible, Sendable {
    /// None of the given paths held a file that could be indexed.
    case nothingToIndex(paths: [String], warnings: [IndexingWarning])
    /// `fahras index` was given no PATH, and the index remembers no source to scan again
    /// (`unreadable`: it has a manifest this fahras cannot use, so its sources are unknown).
    case noSources(index: String, unreadable: Bool)
    /// `fahras remove PATH`: PATH is not a source of the index, nor holds one; `inside` is
    /// the source it lies in, if any.
    case notASource(path: String, inside: String?)
    /// The entity list to index with is unreadable or malformed.
    case entities(AnalysisError)
    /// The index could not be written.
    case index(IndexError)
    /// The existing index is damaged; only an explicit rebuild may replace it.
    case damaged(IndexError)
    /// Records given to be written into a records file (``RecordsFile``), or that file, are
    /// unusable (`line`: the file's line at fault); nothing was written.
    case records(path: String, line: Int?, reason: String)
    /// A path to watch for changes (`fahras index --watch`) cannot be watched.
    case watch(path: String, reason: String)

    package var description: String {
        switch self {
        case .nothingToIndex(let paths, let warnings):
            let named = paths.map { "'\($0)'" }.joined(separator: ", ")
            // The warnings are told here: the run ends with this error, not with a summary.
            let listed = warnings.prefix(3).map { "\($0.path): \($0.reason)" }.joined(separator: "; ")
                + (warnings.count > 3 ? "; and \(warnings.count - 3) more" : "")
            let reason = warnings.isEmpty ? "no .html, .htm, .xhtml, .txt, .jsonl or .ndjson files found" : listed
            return "nothing to index in \(named) (\(reason)); the existing index, if any, was left as it was"
        case .noSources(let index, let unreadable):
            return "no PATH given, and the index in '\(index)' "
                + (unreadable ? "was built by another version of fahras, which did not record its sources"
                              : "remembers no source to scan again")
                + "; give the folders or files to index, e.g. `fahras index seeds/`"
        case .notASource(let path, let inside?):
            return "'\(path)' lies inside the source '\(inside)': remove '\(inside)' (`fahras remove`), "
                + "or delete the file and run `fahras index`; nothing was changed"
        case .notASource(let path, nil):
            return "'\(path)' is not a source of the index and holds none; `fahras sources` lists them; nothing was changed"
        case .entities(let error):
            return error.description + "; the existing index, if any, was left as it was"
        case .index(let error):
            return error.description + "; the previous index, if any, is as it was"
        case .records(let path, let line?, let reason):
            return "\(path):\(line): \(reason)"
        case .records(let path, nil, let reason):
            return "\(path): \(reason); nothing was written"
        case .watch(let path, let reason):
            return "cannot watch '\(path)' for changes: \(reason)"
        case .damaged(let error):
            return error.description.replacingOccurrences(of: "rebuild the index with `fahras index --rebuild`", with: "nothing was changed; run `fahras check` for details, and `fahras index --rebuild PATH…` to rebuild it")
        }
    }
}

/// A file that was passed over, and why. Indexing goes on with the other files.
package struct IndexingWarning: Error, Sendable, CustomStringConvertible, Equatable {
    /// The path as the user named it (or as found under a named folder).
    package var path: String
    package var reason: String

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    package var description: String { "\(path): \(reason); skipped" }
}
