#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over the POSIX calls the index needs; every failure becomes an
/// ``IndexError/io(path:operation:message:)`` naming the file and the C error.
package enum FileIO {
    package static func errorMessage(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    /// Writes `bytes` to `path` (created or truncated) and flushes them to the disk.
    package static func writeDurably(_ bytes: [UInt8], to path: String) throws(IndexError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: path, operation: "create", message: errorMessage()) }
        var failure: IndexError?
        bytes.withUnsafeBytes { buffer in
            do throws(IndexError) { try writeAll(buffer, to: fd, path: path) } catch { failure = error }
        }
        if failure == nil && fsync(fd) != 0 {
            failure = .io(path: path, operation: "flush (fsync)", message: errorMessage())
        }
        if close(fd) != 0 && failure == nil {
            failure = .io(path: path, operation: "close", message: errorMessage())
        }
        if let failure {
            unlink(path)
            throw failure
        }
    }

    /// Writes all of `bytes` to `fd` (the file `path`), through short and interrupted writes.
    package static func writeAll(_ bytes: UnsafeRawBufferPointer, to fd: Int32, path: String) throws(IndexError) {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "write", message: errorMessage())
            }
            offset += written
        }
    }

    /// Flushes a directory entry change (a rename) to the disk.
    package static func syncDirectory(_ path: String) throws(IndexError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, operation: "open directory", message: errorMessage()) }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL {
            throw .io(path: path, operation: "flush (fsync) directory", message: errorMessage())
        }
    }

    /// Atomically replaces `destination` with `source`.
    package static func rename(_ source: String, to destination: String) throws(IndexError) {
        #if canImport(Glibc)
        let result = Glibc.rename(source, destination)
        #else
        let result = Darwin.rename(source, destination)
        #endif
        if result != 0 {
            throw .io(path: destination, operation: "rename \(source) to", message: errorMessage())
        }
    }

    /// Creates `path` and its parents if missing.
    static func createDirectory(_ path: String) throws(IndexError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .io(path: prefix, operation: "create directory", message: errorMessage())
            }
            prefix += "/"
        }
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .io(path: path, operation: "use as index directory", message: "it is not a directory")
        }
    }

    /// Opens `path` for reading if it is a regular file (never blocking on a FIFO or a
    /// device), with its size; `nil` if it does not exist.
    package static func openRegularFile(_ path: String) throws(IndexError) -> (fd: Int32, size: Int)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .io(path: path, operation: "open", message: errorMessage())
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let message = errorMessage()
            close(fd)
            throw .io(path: path, operation: "stat", message: message)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .corrupt(file: path, reason: "it is not a regular file")
        }
        return (fd, Int(info.st_size))
    }

    /// Reads a whole (small) regular file, or `nil` if it does not exist: at most the size it
    /// had when opened, and when `expectedSize` is given, nothing unless it has that size.
    package static func readFile(_ path: String, expectedSize: UInt64? = nil) throws(IndexError) -> [UInt8]? {
        guard let (fd, size) = try openRegularFile(path) else { return nil }
        defer { close(fd) }
        if let expectedSize, UInt64(size) != expectedSize {
            throw .corrupt(file: path, reason: "its size \(size) differs from the \(expectedSize) bytes the manifest records")
        }
        var result: [UInt8] = []
        result.reserveCapacity(size)
        var chunk = [UInt8](repeating: 0, count: 65536)
        while result.count < size {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, size - result.count)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", message: errorMessage())
            }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }

    /// The names in a directory (empty if it does not exist).
    static func listDirectory(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func remove(_ path: String) {
        unlink(path)
    }
}

/// A read-only memory map of a whole file: opening costs nothing until pages are read.
final class MappedFile: @unchecked Sendable {
    let path: String
    let bytes: UnsafeRawBufferPointer

    init(path: String) throws(IndexError) {
        self.path = path
        guard let (fd, size) = try FileIO.openRegularFile(path) else { throw .missingFile(file: path) }
        defer { close(fd) }
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw .io(path: path, operation: "map", message: FileIO.errorMessage())
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
        TruncationGuard.register(bytes, path: path)
    }

    deinit {
        guard let base = bytes.baseAddress else { return }
        TruncationGuard.unregister(bytes)
        munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
    }
}
