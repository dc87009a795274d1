import Foundation
import Synchronization

/// Checks a segment file's chunks against their CRC-32s, each the first time a read
/// touches it, so opening an index costs nothing like reading it whole while every byte a
/// search uses is still verified (once per process).
final class ChunkVerifier: @unchecked Sendable {
    private let bytes: UnsafeRawBufferPointer
    private let path: String
    private let shift: Int
    /// Bytes covered by chunks (everything before the chunks section).
    private let covered: Int
    private let table: Int
    /// A bit per chunk, set once it is verified: read without the lock (a chunk read by
    /// every query is checked with one load), set under it.
    private let verified: UnsafeMutablePointer<Atomic<UInt64>>
    private let words: Int
    private let lock = NSLock()

    init(bytes: UnsafeRawBufferPointer, path: String, shift: Int, covered: Int, table: Int) {
        self.bytes = bytes
        self.path = path
        self.shift = shift
        self.covered = covered
        self.table = table
        let chunks = (covered + (1 << shift) - 1) >> shift
        words = (chunks + 63) / 64
        verified = .allocate(capacity: max(words, 1))
        for i in 0..<words { (verified + i).initialize(to: Atomic(0)) }
    }

    deinit {
        verified.deinitialize(count: words)
        verified.deallocate()
    }

    @inline(__always)
    private func isVerified(_ chunk: Int) -> Bool {
        verified[chunk >> 6].load(ordering: .acquiring) & (1 << UInt64(chunk & 63)) != 0
    }

    /// Verifies every chunk `range` touches that has not been verified yet.
    @inline(__always)
    func verify(_ range: Range<Int>) throws(IndexError) {
        // Most reads lie in one chunk already verified: one load, no call.
        let first = range.lowerBound >> shift
        if range.upperBound <= covered, first == (range.upperBound &- 1) >> shift, !range.isEmpty, isVerified(first) { return }
        try verifyChunks(range)
    }

    private func verifyChunks(_ range: Range<Int>) throws(IndexError) {
        guard !range.isEmpty else { return }
        let first = range.lowerBound >> shift
        let last = (min(range.upperBound, covered) - 1) >> shift
        guard first <= last else { return }
        lock.lock()
        defer { lock.unlock() }
        for chunk in first...last where !isVerified(chunk) {
            let start = chunk << shift
            let end = min(start + (1 << shift), covered)
            let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: table + chunk * 4, as: UInt32.self))
            let actual = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            guard stored == actual else {
                throw .corrupt(file: path, reason: "checksum mismatch in bytes \(start)..<\(end) (stored \(stored), computed \(actual))")
            }
            verified[chunk >> 6].bitwiseOr(1 << UInt64(chunk & 63), ordering: .releasing)
        }
    }

    /// Verifies the whole file.
    func verifyAll() throws(IndexError) { try verify(0..<covered) }
}
