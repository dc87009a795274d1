#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a segment's bytes go as ``SegmentWriter`` lays them out, section by section: to
/// memory (tests), or to a new file as they come (``FileSink``), so that a segment being
/// written is never held twice, in its sections and in a copy of the whole file.
package protocol SegmentSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws(IndexError)
}

extension SegmentSink {
    mutating func write(_ bytes: [UInt8]) throws(IndexError) {
        try bytes.withUnsafeBufferPointer { (bytes) throws(IndexError) in try write(UnsafeRawBufferPointer(bytes)) }
    }
}

/// The bytes, in memory.
struct MemorySink: SegmentSink {
    var bytes: [UInt8] = []
    mutating func write(_ bytes: UnsafeRawBufferPointer) { self.bytes.append(contentsOf: bytes) }
}

/// A new file, written through a buffer (1 MiB); ``close()`` makes it durable.
package final class FileSink: SegmentSink {
    package let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private let bufferSize: Int

    /// Creates `path` (which must not exist).
    package init(creating path: String, bufferSize: Int = 1 << 20) throws(IndexError) {
        self.path = path
        self.bufferSize = bufferSize
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: path, operation: "create", message: FileIO.errorMessage()) }
        buffer.reserveCapacity(bufferSize)
    }

    deinit { if descriptor >= 0 { _ = systemClose(descriptor) } }

    package func write(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
        if buffer.count + bytes.count <= bufferSize {
            buffer.append(contentsOf: bytes)
            return
        }
        try flush()
        if bytes.count >= bufferSize {
            try FileIO.writeAll(bytes, to: descriptor, path: path)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    private func flush() throws(IndexError) {
        var failure: IndexError?
        buffer.withUnsafeBytes { raw in
            do throws(IndexError) { try FileIO.writeAll(raw, to: descriptor, path: path) } catch { failure = error }
        }
        if let failure { throw failure }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered, flushes the file to the disk and closes it.
    package func close() throws(IndexError) {
        try flush()
        if fsync(descriptor) != 0 { throw .io(path: path, operation: "flush (fsync)", message: FileIO.errorMessage()) }
        let result = systemClose(descriptor)
        descriptor = -1
        if result != 0 { throw .io(path: path, operation: "close", message: FileIO.errorMessage()) }
    }

    /// Closes the file, if open, and removes it (after a failure).
    package func discard() {
        if descriptor >= 0 { _ = systemClose(descriptor) }
        descriptor = -1
        unlink(path)
    }
}

// The C call by another name: inside FileSink, `close` is its own method.
private func systemClose(_ descriptor: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(descriptor)
    #else
    Darwin.close(descriptor)
    #endif
}

/// The CRC-32 of each chunk of 2^shift bytes of a file, computed as the bytes pass.
struct ChunkChecksums {
    let size: Int
    private(set) var checksums: [UInt32] = []
    private var current: UInt32 = 0
    private var filled = 0

    init(shift: UInt32) { size = 1 << Int(shift) }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let take = min(size - filled, bytes.count - offset)
            current = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + take]), continuing: current)
            filled += take
            offset += take
            if filled == size {
                checksums.append(current)
                current = 0
                filled = 0
            }
        }
    }

    /// The checksums, the last (short) chunk's included.
    mutating func finish() -> [UInt32] {
        if filled > 0 {
            checksums.append(current)
            current = 0
            filled = 0
        }
        return checksums
    }
}
