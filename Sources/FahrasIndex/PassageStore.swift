import CZlib
import Foundation

/// One stored passage: where it lies in its document's text, its exact length in word
/// positions, and its text.
struct StoredPassage {
    var range: Range<Int>
    var length: Int
    var text: UnsafeRawBufferPointer
}

/// Writes the store section: passage entries packed into zlib blocks of about 4 KiB.
struct PassageStoreWriter {
    private var entries = ByteWriter()
    private var data: [UInt8] = []
    private var raw: [UInt8] = []
    private var blockFirst = 0
    private(set) var passages = 0
    private var blockCount = 0
    /// zlib level (1 fastest … 9 smallest).
    private let level: Int32 = 6

    mutating func add(range: Range<Int>, length: Int, text: UnsafeRawBufferPointer) {
        if raw.isEmpty { blockFirst = passages }
        raw.appendVarint(UInt32(range.lowerBound))
        raw.appendVarint(UInt32(range.upperBound))
        raw.appendVarint(UInt32(length))
        raw.appendVarint(UInt32(text.count))
        raw.append(contentsOf: text)
        passages += 1
        if raw.count >= SegmentFormat.storeBlockTarget { closeBlock() }
    }

    private mutating func closeBlock() {
        guard !raw.isEmpty else { return }
        var size = compressBound(UInt(raw.count))
        let start = data.count
        data.append(contentsOf: repeatElement(0, count: Int(size)))
        let status = data.withUnsafeMutableBufferPointer { out in
            raw.withUnsafeBufferPointer { input in
                compress2(out.baseAddress! + start, &size, input.baseAddress!, UInt(input.count), level)
            }
        }
        precondition(status == Z_OK, "zlib compress2 failed (\(status))")
        data.removeLast(data.count - start - Int(size))
        entries.u32(UInt32(blockFirst))
        entries.u32(UInt32(start))
        entries.u32(UInt32(size))
        entries.u32(UInt32(raw.count))
        raw.removeAll(keepingCapacity: true)
        blockCount += 1
    }

    /// Uncompressed bytes waiting in the open block plus compressed bytes so far.
    var heldBytes: Int { data.count + raw.count + entries.bytes.count }

    mutating func write(to out: inout ByteWriter) {
        closeBlock()
        out.u32(UInt32(blockCount))
        out.u32(UInt32(passages))
        out.append(entries.bytes)
        out.append(data)
    }
}

/// The store blocks a segment inflated last, kept for the next reads: the hits of one
/// search, their records and texts, and the searches of other threads meanwhile touch the
/// same few blocks, and inflating one costs more than scoring a query. Least recently used
/// blocks go first; Tantivy's doc store keeps a cache of the same kind.
final class StoreBlockCache: @unchecked Sendable {
    /// Inflated bytes kept a segment (256 blocks of the usual 4 KiB).
    static let byteLimit = 1 << 20

    private let lock = NSLock()
    private var blocks: [StoreBlock] = []
    private var lastUse: [UInt64] = []
    private var clock: UInt64 = 0
    private var bytes = 0

    /// The kept block holding passage `number`, if any.
    func block(holding number: Int) -> StoreBlock? {
        lock.lock()
        defer { lock.unlock() }
        for (i, block) in blocks.enumerated() where number >= block.firstPassage && number < block.firstPassage + block.entries.count {
            clock += 1
            lastUse[i] = clock
            return block
        }
        return nil
    }

    /// Keeps `block`, dropping the least recently used ones to stay within ``byteLimit``
    /// (the newest block is kept whatever its size).
    func keep(_ block: StoreBlock) {
        lock.lock()
        defer { lock.unlock() }
        guard !blocks.contains(where: { $0.index == block.index }) else { return }
        while !blocks.isEmpty, bytes + block.bytes.count > StoreBlockCache.byteLimit {
            let oldest = lastUse.indices.min { lastUse[$0] < lastUse[$1] }!
            bytes -= blocks[oldest].bytes.count
            blocks.swapAt(oldest, blocks.count - 1)
            lastUse.swapAt(oldest, lastUse.count - 1)
            blocks.removeLast()
            lastUse.removeLast()
        }
        clock += 1
        blocks.append(block)
        lastUse.append(clock)
        bytes += block.bytes.count
    }
}

/// One inflated store block, with the offsets of its passages.
final class StoreBlock: @unchecked Sendable {
    let index: Int
    let firstPassage: Int
    let bytes: [UInt8]
    /// For each passage of the block: range, length, and text offset/length in `bytes`.
    let entries: [(range: Range<Int>, length: Int, text: Range<Int>)]

    init(index: Int, firstPassage: Int, bytes: [UInt8], count: Int, file: String) throws(IndexError) {
        self.index = index
        self.firstPassage = firstPassage
        self.bytes = bytes
        var out: [(range: Range<Int>, length: Int, text: Range<Int>)] = []
        out.reserveCapacity(count)
        let result = bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
          Result { () throws(IndexError) in
            var reader = ByteReader(raw, range: 0..<raw.count, file: file)
            for _ in 0..<count {
                let start = Int(clamping: try reader.varint("passage start"))
                let end = Int(clamping: try reader.varint("passage end"))
                let length = Int(clamping: try reader.varint("passage length"))
                let textLength = Int(clamping: try reader.varint("passage text length"))
                guard start <= end, textLength <= reader.end - reader.offset else {
                    throw .corrupt(file: file, reason: "store block \(index) holds a malformed passage")
                }
                out.append((start..<end, length, reader.offset..<(reader.offset + textLength)))
                reader.offset += textLength
            }
            guard reader.offset == reader.end else {
                throw .corrupt(file: file, reason: "store block \(index) holds more bytes than its passages")
            }
          }
        }
        try result.get()
        entries = out
    }

    /// Deflate's largest ratio of output to input (zlib's technical details: 1032:1).
    static let maximumExpansion = 1032

    /// Inflates `stored` bytes (a zlib stream) into `rawLength` bytes.
    ///
    /// The deflate data is inflated raw, in one call: zlib's `uncompress` would also sum
    /// the output with Adler-32, which the segment's CRC-32 of the stored bytes makes
    /// redundant, and copy it into a 32 KiB window it allocates for a call that never
    /// comes; a search inflates a block for each hit it shows.
    static func inflate(_ stored: UnsafeRawBufferPointer, rawLength: Int, file: String, block: Int) throws(IndexError) -> [UInt8] {
        // The 2-byte header: deflate, no preset dictionary, a valid check (RFC 1950).
        guard stored.count > 2, stored[0] & 0x0F == 8, stored[1] & 0x20 == 0,
              (Int(stored[0]) << 8 | Int(stored[1])) % 31 == 0 else {
            throw .corrupt(file: file, reason: "store block \(block) is not a zlib stream")
        }
        var out = [UInt8](repeating: 0, count: rawLength)
        var stream = z_stream()
        var status = inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .corrupt(file: file, reason: "store block \(block): zlib cannot start (status \(status))") }
        defer { inflateEnd(&stream) }
        let produced = out.withUnsafeMutableBufferPointer { buffer -> Int in
            stream.next_in = UnsafeMutablePointer(mutating: stored.baseAddress!.assumingMemoryBound(to: UInt8.self) + 2)
            stream.avail_in = UInt32(stored.count - 2)
            stream.next_out = buffer.baseAddress
            stream.avail_out = UInt32(rawLength)
            status = CZlib.inflate(&stream, Z_FINISH)
            return rawLength - Int(stream.avail_out)
        }
        guard status == Z_STREAM_END, produced == rawLength else {
            throw .corrupt(file: file, reason: "store block \(block) does not inflate (zlib status \(status))")
        }
        return out
    }
}
