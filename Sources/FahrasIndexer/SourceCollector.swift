#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FahrasExtract

/// A file to index.
package struct SourceFile: Sendable, Equatable {
    /// The path to open.
    package var path: String
    /// The path shown in results: relative to the working directory when inside it.
    package var displayPath: String
    /// The absolute path with links resolved: the file's identity in the index.
    package var source: String
    package var format: SourceFormat
    /// Its size and times as the folder walk read them (`nil`: not read yet).
    package var status: Status?

    /// A file's size in bytes, and modification and status-change times in nanoseconds.
    package struct Status: Sendable, Equatable {
        package var size: UInt64
        package var modified: UInt64
        package var changed: UInt64

        init(_ info: stat) {
            size = UInt64(max(0, info.st_size))
            modified = info.modifiedNanoseconds
            changed = info.changedNanoseconds
        }
    }

    package init(path: String, displayPath: String, source: String, format: SourceFormat, status: Status? = nil) {
        self.path = path
        self.displayPath = displayPath
        self.source = source
        self.format = format
        self.status = status
    }
}

/// Turns the PATH arguments of `fahras index` into the list of files to index.
///
/// Files named explicitly are taken whatever their extension (`.html`/`.htm`/`.xhtml` as
/// HTML, the rest as text). Folders are walked recursively in name order; there only
/// `.html`, `.htm`, `.xhtml` and `.txt` files count, hidden files and folders are skipped,
/// and symbolic links to folders are not followed (no loops). A file reached twice is
/// indexed once. Names must be UTF-8: one that is not is named in a warning and skipped.
package struct SourceCollector: Sendable {
    /// Extensions indexed when found inside a folder.
    package static let indexedExtensions: Set<String> = ["html", "htm", "xhtml", "txt", "jsonl", "ndjson"]

    /// Folders never walked into (the index's own directory), as real paths.
    private var excluded: Set<String> = []
    /// Whether a link inside a folder to a file outside it is followed (a scraped tree may
    /// hold links to `/etc/passwd`); when not, it is named in a warning.
    package var followsLinksOutside = true

    /// - Parameter excluding: folders to skip when met inside a named folder (the index
    ///   directory, when it lies inside the corpus).
    package init(excluding folders: [String] = []) {
        excluded = Set(folders.compactMap(SourceCollector.realPath))
    }

    /// What was found: files in a stable order, warnings for paths that could not be used,
    /// and the number of files ignored for their extension.
    package func collect(_ paths: [String]) -> (files: [SourceFile], warnings: [IndexingWarning], ignored: Ignored) {
        var files: [SourceFile] = []
        var warnings: [IndexingWarning] = []
        var ignored = Ignored()
        var seen = Set<String>()
        let workingDirectory = SourceCollector.currentDirectory()
        for argument in paths {
            let path = SourceCollector.trimmed(argument)
            var info = stat()
            guard stat(path, &info) == 0 else {
                let notUTF8 = errno == ENOENT && argument.contains("\u{FFFD}")
                warnings.append(IndexingWarning(path: argument, reason: SourceCollector.errnoMessage()
                    + (notUTF8 ? " (the name as given holds bytes that are not UTF-8, shown as \u{FFFD}; " + SourceCollector.renameAdvice + ")" : "")))
                continue
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                let real = SourceCollector.realPath(path)
                walk(path, real: real, root: real, into: &files, warnings: &warnings, ignored: &ignored,
                     seen: &seen, cwd: workingDirectory)
            } else if info.st_mode & S_IFMT == S_IFREG {
                add(path, to: &files, seen: &seen, cwd: workingDirectory)
            } else {
                warnings.append(IndexingWarning(path: argument, reason: "not a regular file or folder"))
            }
        }
        return (files, warnings, ignored)
    }

    /// Walks `folder`, whose real path (links resolved) is `real`: the real path of an entry
    /// that is no link is then `real/name`, without asking the system for each file.
    /// `root` is the real path of the folder the walk began at (links out of it may be refused).
    private func walk(_ folder: String, real: String?, root: String?, into files: inout [SourceFile], warnings: inout [IndexingWarning],
                      ignored: inout Ignored, seen: inout Set<String>, cwd: String?) {
        guard let dir = opendir(folder) else {
            warnings.append(IndexingWarning(path: folder, reason: "cannot read folder: " + SourceCollector.errnoMessage()))
            return
        }
        // Open while its entries are looked at: fstatat names them relative to it, where a
        // stat of the whole path made the kernel walk every folder of it again, file by file.
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                // Decoded with U+FFFD in place of the bad bytes, the name would name no file.
                let shown = SourceCollector.display(folder + "/" + String(decoding: bytes, as: UTF8.self), cwd: cwd)
                warnings.append(IndexingWarning(path: shown, reason: "the name holds bytes that are not UTF-8 (shown as \u{FFFD}); "
                    + SourceCollector.renameAdvice))
                continue
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            let path = folder == "/" ? "/" + name : folder + "/" + name
            var info = stat()
            guard fstatat(dirfd(dir), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                warnings.append(IndexingWarning(path: path, reason: SourceCollector.errnoMessage()))
                continue
            }
            var kind = info.st_mode & S_IFMT
            var realChild = kind == S_IFLNK ? nil : real.map { $0 == "/" ? "/" + name : $0 + "/" + name }
            if kind == S_IFLNK {
                // Follow links to files, never to folders.
                guard stat(path, &info) == 0 else {
                    let reason = errno == ELOOP ? "a loop of symbolic links" : errno == ENOENT
                        ? "broken symbolic link (what it points to does not exist)" : "symbolic link: " + SourceCollector.errnoMessage()
                    warnings.append(IndexingWarning(path: path, reason: reason))
                    continue
                }
                kind = info.st_mode & S_IFMT
                if kind == S_IFDIR { continue }
                realChild = SourceCollector.realPath(path)
                if !followsLinksOutside, let root, let target = realChild, !target.hasPrefix(root == "/" ? "/" : root + "/") {
                    warnings.append(IndexingWarning(path: SourceCollector.display(path, cwd: cwd),
                                                    reason: "a link to \(target), outside \(root); not followed (--no-follow-outside)"))
                    continue
                }
            }
            if kind == S_IFDIR {
                let realFolder = realChild ?? SourceCollector.realPath(path)
                if let realFolder, excluded.contains(realFolder) { continue }
                walk(path, real: realFolder, root: root, into: &files, warnings: &warnings, ignored: &ignored, seen: &seen, cwd: cwd)
            } else {
                // The part after the last dot (utf8: Foundation's `contains` of a string went
                // through a CFString search, and `split` made an array a file).
                let dot = name.utf8.lastIndex(of: 0x2E)
                let indexed = dot.map { SourceCollector.indexedExtensions.contains(name[name.index(after: $0)...].lowercased()) } ?? false
                if indexed && kind == S_IFREG {
                    add(path, real: realChild, status: SourceFile.Status(info), to: &files, seen: &seen, cwd: cwd)
                } else if indexed {
                    warnings.append(IndexingWarning(path: SourceCollector.display(path, cwd: cwd), reason: "not a regular file (a FIFO, device or socket)"))
                } else if kind == S_IFREG {
                    ignored.add(SourceCollector.display(path, cwd: cwd))
                }
            }
        }
    }

    /// Files under the folders walked that were passed over for their extension: how many,
    /// and the first few, to name in a notice.
    package struct Ignored: Sendable, Equatable {
        package var count = 0
        package var first: [String] = []

        mutating func add(_ path: String) {
            count += 1
            if first.count < 3 { first.append(path) }
        }
    }

    private func add(_ path: String, real: String? = nil, status: SourceFile.Status? = nil, to files: inout [SourceFile],
                     seen: inout Set<String>, cwd: String?) {
        let key = real ?? SourceCollector.realPath(path) ?? (path.hasPrefix("/") ? path : (cwd ?? "") + "/" + path)
        guard seen.insert(key).inserted else { return }
        files.append(SourceFile(path: path, displayPath: SourceCollector.display(path, cwd: cwd), source: key,
                                format: SourceFormat(fileName: path), status: status))
    }

    static func trimmed(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        while p.hasPrefix("./") && p.count > 2 { p.removeFirst(2) }
        return p
    }

    static func display(_ path: String, cwd: String?) -> String {
        if let cwd, path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
        return path
    }

    static func currentDirectory() -> String? {
        guard let raw = getcwd(nil, 0) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }

    static func realPath(_ path: String) -> String? {
        guard let raw = realpath(path, nil) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// What to do with a file whose name is not UTF-8.
    static let renameAdvice = "Fahras reads file names as UTF-8: rename the file (e.g. `convmv -f latin1 -t utf8`) to index it"

    static func errnoMessage() -> String {
        String(cString: strerror(errno)).lowercased()
    }
}

extension stat {
    /// The modification time in nanoseconds since 1970, as documents record it.
    var modifiedNanoseconds: UInt64 { stat.nanoseconds(st_mtim) }

    /// The status-change time (contents, permissions, links) in nanoseconds since 1970.
    var changedNanoseconds: UInt64 { stat.nanoseconds(st_ctim) }

    private static func nanoseconds(_ time: timespec) -> UInt64 {
        UInt64(max(0, time.tv_sec)) * 1_000_000_000 + UInt64(max(0, time.tv_nsec))
    }
}
