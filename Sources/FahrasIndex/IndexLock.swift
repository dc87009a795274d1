#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The index's writer lock: one process at a time may change an index.
///
/// `write.lock` in the index directory is locked with `flock`, which the kernel releases
/// when the holder exits, however it exits: a writer killed by SIGKILL or a power cut leaves
/// no stale lock behind, only the file, which the next writer locks again. The file holds
/// the holder's process id, for the message another writer shows.
package final class IndexLock {
    /// The lock file's name inside the index directory.
    package static let fileName = "write.lock"

    private var descriptor: Int32
    private let directory: String
    private let path: String
    /// Whether taking the lock created the index directory: then a run that commits nothing
    /// leaves no folder behind holding only the lock file.
    private let createdDirectory: Bool
    /// Whether taking the lock created the lock file: a run that leaves no index behind
    /// removes it again, even from a folder that was there before.
    private let createdLockFile: Bool

    /// Takes the lock of the index at `directory` (created if missing), or throws
    /// ``IndexError/locked(directory:holder:)`` at once if another process holds it.
    package init(directory: String) throws(IndexError) {
        var info = stat()
        createdDirectory = stat(directory, &info) != 0
        try FileIO.createDirectory(directory)
        self.directory = directory
        let path = directory.hasSuffix("/") ? directory + IndexLock.fileName : directory + "/" + IndexLock.fileName
        self.path = path
        createdLockFile = lstat(path, &info) != 0
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "open lock file", message: FileIO.errorMessage()) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            var holder = [UInt8](repeating: 0, count: 32)
            let count = holder.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
            close(fd)
            guard code == EWOULDBLOCK else {
                throw .io(path: path, operation: "lock", message: FileIO.errorMessage(code))
            }
            let pid = String(decoding: holder.prefix(max(0, count)), as: UTF8.self).filter(\.isNumber)
            throw .locked(directory: directory, holder: pid.isEmpty ? "another process" : "process \(pid)")
        }
        let pid = Array(String(getpid()).utf8) + [0x0A]
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        descriptor = fd
    }

    /// Releases the lock (also done when the value goes away or the process ends).
    package func release() {
        guard descriptor >= 0 else { return }
        // Still holding the lock: a lock file this run created in a folder that holds no
        // index (a failed first run) goes away, and so does a folder it created and left
        // empty. Another writer could only have failed to lock.
        let left = FileIO.listDirectory(directory)
        if createdLockFile && !left.contains(Manifest.fileName) {
            unlink(path)
            if createdDirectory && left == [IndexLock.fileName] { rmdir(directory) }
        }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
