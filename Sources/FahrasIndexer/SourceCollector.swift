#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
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
        // Whether a file may have been reached twice: through a link, or under two PATHs.
        // Otherwise every path is a real folder's path and a name of it, each its own.
        var mayRepeat = false
        var pathsWithFiles = 0
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
            let before = files.count
            if info.st_mode & S_IFMT == S_IFDIR {
                let linked = walk(path, real: SourceCollector.realPath(path), into: &files, warnings: &warnings,
                                  ignored: &ignored, cwd: workingDirectory)
                mayRepeat = mayRepeat || linked
            } else if info.st_mode & S_IFMT == S_IFREG {
                add(path, to: &files, cwd: workingDirectory)
            } else {
                warnings.append(IndexingWarning(path: argument, reason: "not a regular file or folder"))
            }
            if files.count > before { pathsWithFiles += 1 }
        }
        if mayRepeat || pathsWithFiles > 1 {
            var seen = Set<String>(minimumCapacity: files.count)
            files.removeAll { !seen.insert($0.source).inserted }  // (the first stays)
        }
        return (files, warnings, ignored)
    }

    /// Walks the folder `path` (real path `real`) and adds what it holds, in name order
    /// depth first, as if one thread had walked it. The folders of each depth are listed on
    /// every core: nearly all of a walk is the system's work of a `stat` a file, which runs
    /// in parallel, and a run that changes nothing is mostly this walk. Returns whether a
    /// file found may also be reached by another path (``Listing/mayRepeat``).
    private func walk(_ path: String, real: String?, into files: inout [SourceFile], warnings: inout [IndexingWarning],
                      ignored: inout Ignored, cwd: String?) -> Bool {
        var listings: [Listing] = []
        var level = [Listing.Folder(path: path, real: real)]
        while !level.isEmpty {
            let slots = UnsafeMutableBufferPointer<Listing>.allocate(capacity: level.count)
            nonisolated(unsafe) let output = slots  // each iteration initializes its own slot
            let folders = level
            DispatchQueue.concurrentPerform(iterations: folders.count) { i in
                (output.baseAddress! + i).initialize(to: list(folders[i], root: real, cwd: cwd))
            }
            let first = listings.count + level.count
            level = []
            for i in slots.indices {
                var listing = slots.moveElement(from: i)
                listing.firstSubfolder = first + level.count
                level += listing.subfolders
                listing.subfolders = []
                listings.append(listing)
            }
            slots.deallocate()
        }
        files.reserveCapacity(files.count + listings.reduce(0) { $0 + $1.entries.count })
        assemble(listings, at: 0, into: &files, warnings: &warnings, ignored: &ignored, cwd: cwd)
        return listings.contains { $0.mayRepeat }
    }

    /// Adds what listing `at` holds, its subfolders' in their places.
    private func assemble(_ listings: [Listing], at index: Int, into files: inout [SourceFile], warnings: inout [IndexingWarning],
                          ignored: inout Ignored, cwd: String?) {
        var subfolder = listings[index].firstSubfolder
        for entry in listings[index].entries {
            switch entry {
            case .file(let path, let real, let status, let format):
                add(path, real: real, status: status, format: format, to: &files, cwd: cwd)
            case .warning(let warning): warnings.append(warning)
            case .ignored(let path): ignored.add(path)
            case .folder:
                assemble(listings, at: subfolder, into: &files, warnings: &warnings, ignored: &ignored, cwd: cwd)
                subfolder += 1
            }
        }
    }

    /// One folder's entries in name order, its subfolders to be listed in turn.
    private struct Listing {
        struct Folder { var path: String; var real: String? }
        enum Entry {
            case file(path: String, real: String?, status: SourceFile.Status, format: SourceFormat)
            case warning(IndexingWarning)
            case ignored(String)
            /// The next of ``subfolders``, in order.
            case folder
        }
        var entries: [Entry] = []
        var subfolders: [Folder] = []
        /// Whether an entry's real path was asked of the system (a link followed): then
        /// another path may reach the same file.
        var mayRepeat = false
        /// Where the listing of the first subfolder is, once the walk has placed it.
        var firstSubfolder = 0
    }

    /// Lists `folder`. `root` is the real path of the folder the walk began at (links out
    /// of it may be refused); the real path of an entry that is no link is `real/name`,
    /// without asking the system for each file.
    private func list(_ folder: Listing.Folder, root: String?, cwd: String?) -> Listing {
        var listing = Listing()
        guard let dir = opendir(folder.path) else {
            listing.entries.append(.warning(IndexingWarning(path: folder.path, reason: "cannot read folder: " + SourceCollector.errnoMessage())))
            return listing
        }
        // Open while its entries are looked at: fstatat names them relative to it, where a
        // stat of the whole path made the kernel walk every folder of it again, file by file.
        defer { closedir(dir) }
        for name in names(in: dir, folder: folder.path, listing: &listing, cwd: cwd) {
            let path = SourceCollector.path(name, in: folder.path)
            var info = stat()
            guard fstatat(dirfd(dir), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                listing.entries.append(.warning(IndexingWarning(path: path, reason: SourceCollector.errnoMessage())))
                continue
            }
            var kind = info.st_mode & S_IFMT
            let isLink = kind == S_IFLNK
            var realChild = isLink ? nil : folder.real.map { SourceCollector.path(name, in: $0) }
            if isLink {
                // Follow links to files, never to folders.
                guard stat(path, &info) == 0 else {
                    let reason = errno == ELOOP ? "a loop of symbolic links" : errno == ENOENT
                        ? "broken symbolic link (what it points to does not exist)" : "symbolic link: " + SourceCollector.errnoMessage()
                    listing.entries.append(.warning(IndexingWarning(path: path, reason: reason)))
                    continue
                }
                kind = info.st_mode & S_IFMT
                if kind == S_IFDIR { continue }
                realChild = SourceCollector.realPath(path)
                if !followsLinksOutside, let root, let target = realChild, !target.hasPrefix(root == "/" ? "/" : root + "/") {
                    listing.entries.append(.warning(IndexingWarning(path: SourceCollector.display(path, cwd: cwd),
                                                    reason: "a link to \(target), outside \(root); not followed (--no-follow-outside)")))
                    continue
                }
            }
            if kind == S_IFDIR {
                let realFolder = realChild ?? SourceCollector.realPath(path)
                if let realFolder, excluded.contains(realFolder) { continue }
                listing.entries.append(.folder)
                listing.subfolders.append(Listing.Folder(path: path, real: realFolder))
            } else {
                // (The name's extension is the path's: the format is known here.)
                let fileExtension = SourceFormat.fileExtension(of: name)
                let indexed = SourceCollector.indexedExtensions.contains(fileExtension)
                if indexed && kind == S_IFREG {
                    listing.entries.append(.file(path: path, real: realChild, status: SourceFile.Status(info),
                                                 format: SourceFormat(fileExtension: fileExtension)))
                    listing.mayRepeat = listing.mayRepeat || realChild == nil || isLink
                } else if indexed {
                    listing.entries.append(.warning(IndexingWarning(path: SourceCollector.display(path, cwd: cwd),
                                                                    reason: "not a regular file (a FIFO, device or socket)")))
                } else if kind == S_IFREG {
                    listing.entries.append(.ignored(SourceCollector.display(path, cwd: cwd)))
                }
            }
        }
        return listing
    }

    /// The names in `dir` that are not hidden, in byte order; a name that is not UTF-8 is
    /// named in a warning instead.
    private func names(in dir: OpaquePointer, folder: String, listing: inout Listing, cwd: String?) -> [String] {
        var names: [String] = []
        var ascii = true
        while let entry = readdir(dir) {
            // Hidden names (and `.`, `..`) are passed over before any string is made.
            if entry.pointee.d_name.0 == CChar(UInt8(ascii: ".")) { continue }
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(validatingCString: $0)
                }
            }
            guard let name else {
                let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
                // Decoded with U+FFFD in place of the bad bytes, the name would name no file.
                let shown = SourceCollector.display(folder + "/" + String(decoding: bytes, as: UTF8.self), cwd: cwd)
                listing.entries.append(.warning(IndexingWarning(path: shown, reason: "the name holds bytes that are not UTF-8 (shown as \u{FFFD}); "
                    + SourceCollector.renameAdvice)))
                continue
            }
            ascii = ascii && name.utf8.allSatisfy { $0 < 0x80 }
            names.append(name)
        }
        // Byte order. For ASCII names it is String's own order, whose comparison runs in
        // place; comparing the UTF-8 views element by element took most of a listing.
        if ascii { names.sort() } else { names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
        return names
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

    private func add(_ path: String, real: String? = nil, status: SourceFile.Status? = nil, format: SourceFormat? = nil,
                     to files: inout [SourceFile], cwd: String?) {
        let key = real ?? SourceCollector.realPath(path) ?? (path.hasPrefix("/") ? path : (cwd ?? "") + "/" + path)
        files.append(SourceFile(path: path, displayPath: SourceCollector.display(path, cwd: cwd), source: key,
                                format: format ?? SourceFormat(fileName: path), status: status))
    }

    /// Whether a file found in a folder is indexed for its extension (``indexedExtensions``).
    static func hasIndexedExtension(_ name: String) -> Bool {
        indexedExtensions.contains(SourceFormat.fileExtension(of: name))
    }

    /// The path of `name` in `folder`, its bytes copied once (`folder + "/" + name` made
    /// two strings, twice a file of a walk).
    static func path(_ name: String, in folder: String) -> String {
        var (folder, name) = (folder, name)
        return folder.withUTF8 { head in
            name.withUTF8 { tail in
                let kept = head.count == 1 && head[0] == UInt8(ascii: "/") ? 0 : head.count
                return String(unsafeUninitializedCapacity: kept + 1 + tail.count) { out in
                    var next = UnsafeMutableBufferPointer(rebasing: out[..<kept]).initialize(from: head.prefix(kept)).1
                    out[next] = UInt8(ascii: "/")
                    next += 1
                    next = UnsafeMutableBufferPointer(rebasing: out[next...]).initialize(from: tail).1 + next
                    return next
                }
            }
        }
    }

    static func trimmed(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        while p.hasPrefix("./") && p.count > 2 { p.removeFirst(2) }
        return p
    }

    static func display(_ path: String, cwd: String?) -> String {
        // (Compared in place: `cwd + "/"` made a string a file.)
        guard let cwd, path.utf8.count > cwd.utf8.count + 1, path.utf8.starts(with: cwd.utf8),
              path.utf8[path.utf8.index(path.utf8.startIndex, offsetBy: cwd.utf8.count)] == 0x2F else { return path }
        return String(path.dropFirst(cwd.count + 1))
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
