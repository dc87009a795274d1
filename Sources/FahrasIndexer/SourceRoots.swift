#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folders and files an index is built from, as the manifest remembers them: absolute
/// paths with links resolved, none inside another.
enum SourceRoots {
    /// The real path of `path` when it exists, else its absolute form (a source that is gone
    /// is still named as it was).
    static func resolve(_ path: String) -> String {
        if let real = SourceCollector.realPath(path) { return real }
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        if trimmed.hasPrefix("/") { return trimmed }
        return (SourceCollector.currentDirectory() ?? "") + "/" + trimmed
    }

    static func exists(_ root: String) -> Bool {
        var info = stat()
        return stat(root, &info) == 0
    }

    /// Whether the file `source` is `root` or lies under it.
    static func isUnder(_ source: String, root: String) -> Bool {
        source == root || (source.hasPrefix(root) && (root.hasSuffix("/") || source.utf8.dropFirst(root.utf8.count).first == UInt8(ascii: "/")))
    }

    static func isUnder(_ source: String, anyOf roots: [String]) -> Bool {
        roots.contains { isUnder(source, root: $0) }
    }

    /// `roots` with `root` added: a root under another is not kept apart, and roots under
    /// the new one are folded into it.
    static func adding(_ root: String, to roots: [String]) -> [String] {
        if isUnder(root, anyOf: roots) { return roots }
        return roots.filter { !isUnder($0, root: root) } + [root]
    }
}
