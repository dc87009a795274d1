import Dispatch
#if os(Linux)
import Glibc

/// Tells when something changed under folders and files, through Linux's inotify: a watch on
/// every folder under each folder given, taken as ``SourceCollector`` walks them (hidden and
/// excluded folders left out, links to folders not followed), and one on the folder of each
/// file given. It tells that something changed, not what: the next update finds that out by
/// comparing, so a missed detail (the kernel's queue overflowing) costs nothing but a scan.
///
/// Changes that count: a file of an indexed extension written and closed, moved in or out,
/// deleted, or given new times; a folder made, moved or deleted (a new folder is watched at
/// once). A file still being written (created, not yet closed) does not count yet.
package final class FolderWatcher: @unchecked Sendable {
    /// The inotify instance.
    private let inotify: Int32
    /// A pipe ``stop()`` writes to, so that a wait returns.
    private let wake: (read: Int32, write: Int32)
    /// The folders watched for what they hold, by watch.
    private var folders: [Int32: String] = [:]
    /// The folders watched for files named alone, by watch: the names that count there.
    private var named: [Int32: Set<String>] = [:]
    /// The folders given, to watch again after the kernel's queue overflowed.
    private let roots: [String]
    /// Folders never watched (the index's own), as given: resolved when a folder is met,
    /// since the index may be made inside a folder watched after the watch began.
    private let excluded: [String]

    /// What ended a ``wait(until:)``.
    package enum Outcome: Equatable, Sendable { case changed, stopped, timedOut }

    /// Watches `paths` (folders and files; each must exist), leaving out the folders
    /// `excluding` (the index directory when it lies inside a folder watched).
    package init(paths: [String], excluding: [String] = []) throws(IndexerError) {
        var roots: [String] = [], files: [String] = []
        for path in paths.map(SourceCollector.trimmed) {
            var info = stat()
            guard stat(path, &info) == 0 else { throw .watch(path: path, reason: SourceCollector.errnoMessage()) }
            if info.st_mode & S_IFMT == S_IFDIR { roots.append(path) } else { files.append(path) }
        }
        inotify = inotify_init1(Int32(IN_CLOEXEC))
        guard inotify >= 0 else { throw .watch(path: paths.first ?? "", reason: "inotify: " + SourceCollector.errnoMessage()) }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            close(inotify)
            throw .watch(path: paths.first ?? "", reason: "a pipe: " + SourceCollector.errnoMessage())
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        wake = (ends[0], ends[1])
        excluded = excluding
        self.roots = roots
        // (A failure from here on closes the descriptors in deinit.)
        for root in roots { try watchTree(root, isRoot: true) }
        for file in files { try watchFile(file) }
    }

    deinit {
        close(inotify)
        close(wake.read)
        close(wake.write)
    }

    /// Folders and files watched.
    package var watchCount: Int { folders.count + named.count }

    /// Makes the wait under way, and every later one, return ``Outcome/stopped`` (from any
    /// thread): it writes a byte to ``stopDescriptor``.
    package func stop() {
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
    }

    /// The pipe end ``stop()`` writes to (a signal handler may write to it directly).
    package var stopDescriptor: Int32 { wake.write }

    /// Waits until something changed, ``stop()`` was called, or `deadline` (`nil`: none)
    /// passed. Changes that came since the last wait count at once.
    package func wait(until deadline: DispatchTime? = nil) -> Outcome {
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let now = DispatchTime.now().uptimeNanoseconds
                let left = deadline.uptimeNanoseconds > now ? deadline.uptimeNanoseconds - now : 0
                timeout = Int32(min((left + 999_999) / 1_000_000, UInt64(Int32.max)))
            }
            var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0)]
            let ready = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, 2, timeout) }
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { return .timedOut }
            if fds[1].revents != 0 { return .stopped }
            if readEvents() { return .changed }
        }
    }

    // MARK: Watches

    private static let folderEvents = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ATTRIB
        | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    /// Watches `folder` and every folder under it that the walk would enter. The folders
    /// left out are resolved now (the index may have been made since the watch began); a
    /// subfolder's real path is its parent's and its name, as in the walk.
    private func watchTree(_ folder: String, isRoot: Bool = false) throws(IndexerError) {
        // (A folder whose real path cannot be had is tried as it is: its watch says why not.)
        try watchTree(folder, real: SourceCollector.realPath(folder) ?? folder, isRoot: isRoot,
                      excluding: Set(excluded.compactMap(SourceCollector.realPath)))
    }

    private func watchTree(_ folder: String, real: String, isRoot: Bool, excluding: Set<String>) throws(IndexerError) {
        if excluding.contains(real) { return }
        let watch = inotify_add_watch(inotify, folder, FolderWatcher.folderEvents | (isRoot ? 0 : UInt32(IN_DONT_FOLLOW)))
        guard watch >= 0 else {
            // A folder gone or unreadable since it was listed is the walk's to report.
            if !isRoot && (errno == ENOENT || errno == EACCES || errno == ENOTDIR) { return }
            throw .watch(path: folder, reason: FolderWatcher.watchError())
        }
        folders[watch] = folder
        guard let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        var subfolders: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard !name.hasPrefix(".") else { continue }
            var kind = entry.pointee.d_type
            if kind == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard fstatat(dirfd(dir), name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                kind = info.st_mode & S_IFMT == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
            }
            if kind == UInt8(DT_DIR) { subfolders.append(name) }
        }
        for name in subfolders {
            try watchTree(SourceCollector.path(name, in: folder), real: SourceCollector.path(name, in: real), isRoot: false,
                          excluding: excluding)
        }
    }

    /// Watches the folder of the file `path`, for that name.
    private func watchFile(_ path: String) throws(IndexerError) {
        let slash = path.utf8.lastIndex(of: 0x2F)
        let folder = slash.map { $0 == path.utf8.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let watch = inotify_add_watch(inotify, folder, UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE
            | IN_ATTRIB | IN_ONLYDIR))
        guard watch >= 0 else { throw .watch(path: path, reason: FolderWatcher.watchError()) }
        named[watch, default: []].insert(name)
    }

    private static func watchError() -> String {
        errno == ENOSPC
            ? "the system's limit of inotify watches is reached (one a folder); raise it, e.g. `sysctl fs.inotify.max_user_watches=524288`"
            : "cannot watch it: " + SourceCollector.errnoMessage()
    }

    // MARK: Events

    /// Reads the events waiting; whether one of them counts. New folders are watched.
    private func readEvents() -> Bool {
        var counts = false
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let got = read(inotify, buffer, size)
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return counts }
            var offset = 0
            while offset + 16 <= got {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameBytes = UnsafeRawBufferPointer(start: buffer + offset + 16, count: Int(event.len))
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                if counted(watch: event.wd, mask: event.mask, name: name) { counts = true }
                offset += 16 + Int(event.len)
            }
            // A short read took every event there was; a full one may have left some.
            if got < size - 4096 { return counts }
            var waiting = pollfd(fd: inotify, events: Int16(POLLIN), revents: 0)
            if poll(&waiting, 1, 0) <= 0 { return counts }
        }
    }

    /// Whether one event counts as a change; a new folder is watched, a gone one forgotten.
    private func counted(watch: Int32, mask: UInt32, name: String) -> Bool {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            // Events were lost, new folders among them perhaps: watch the trees again (a
            // folder watched already keeps its watch).
            for root in roots { try? watchTree(root, isRoot: true) }
            return true
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            folders[watch] = nil
            named[watch] = nil
            return false
        }
        if let names = named[watch] { return names.contains(name) }
        guard let folder = folders[watch] else { return false }
        if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 { return true }
        guard !name.hasPrefix(".") else { return false }
        let path = SourceCollector.path(name, in: folder)
        if mask & UInt32(IN_ISDIR) != 0 {
            if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 { try? watchTree(path) }
            return true
        }
        guard SourceCollector.hasIndexedExtension(name) else { return false }
        if mask & UInt32(IN_CREATE) != 0 {
            // A file made is still being written (its close counts); a link is whole.
            var info = stat()
            return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
        }
        return true
    }
}
#else
/// Watching needs Linux's inotify; elsewhere a watcher cannot be made.
package final class FolderWatcher: Sendable {
    package enum Outcome: Equatable, Sendable { case changed, stopped, timedOut }
    package init(paths: [String], excluding: [String] = []) throws(IndexerError) {
        throw .watch(path: paths.first ?? "", reason: "watching for changes needs Linux (inotify)")
    }
    package var watchCount: Int { 0 }
    package var stopDescriptor: Int32 { -1 }
    package func stop() {}
    package func wait(until deadline: DispatchTime? = nil) -> Outcome { .stopped }
}
#endif
