import CZlib
import Foundation

/// One stored passage: where it lies in its document's text, its exact length in word
/// positions, and its text.
struct StoredPassage {
    var range: Range<Int>
    var length: Int
    var text: UnsafeRawBufferPointer
}

/// Writes the store section: passage entries packed into zlib blocks of about 4 KiB, then
/// the blocks' table and counts. The table follows the blocks so that a writer can hand
/// each block to the file as it closes (a merge holds one block, not the store).
struct PassageStoreWriter {
    private var entries = ByteWriter()
    /// Closed blocks not yet taken by ``takeBlocks()``.
    private var data: [UInt8] = []
    /// Block bytes taken so far: where `data` begins in the section.
    private var taken = 0
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

    /// Compresses the open block, if any, into `data`.
    mutating func closeBlock() {
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
        entries.u32(UInt32(taken + start))
        entries.u32(UInt32(size))
        entries.u32(UInt32(raw.count))
        raw.removeAll(keepingCapacity: true)
        blockCount += 1
    }

    /// The room its buffers have: the open block's uncompressed bytes, the compressed blocks
    /// and their entries.
    var heldBytes: Int { data.capacity + raw.capacity + entries.bytes.capacity }

    /// Whether closed blocks wait for ``takeBlocks()``.
    var hasClosedBlocks: Bool { !data.isEmpty }

    /// The blocks closed since the last call, in order, which the writer lets go.
    mutating func takeBlocks() -> [UInt8] {
        defer {
            taken += data.count
            data = []
        }
        return data
    }

    /// The section's rest (the last blocks, their table and its counts), in order; the
    /// writer is empty afterwards, so that the section is not held twice while it is written.
    mutating func takeRest() -> [[UInt8]] {
        closeBlock()
        var counts = ByteWriter()
        counts.u32(UInt32(blockCount))
        counts.u32(UInt32(passages))
        defer { entries = ByteWriter() }
        return [takeBlocks(), entries.bytes, counts.bytes]
    }
}

/// The store blocks a segment inflated, kept for the next reads: the hits of one search,
/// their records and texts, and the searches of other threads meanwhile touch the same
/// blocks, and inflating one costs more than scoring a query. Blocks not used since the
/// clock hand last passed them go first (CLOCK, an approximation of least recently used
/// that evicts in constant time); Tantivy's doc store keeps a cache of the same kind.
final class StoreBlockCache: @unchecked Sendable {
    /// Inflated bytes kept a segment by default (2,048 blocks of the usual 4 KiB).
    static let byteLimit = 8 << 20

    private let byteLimit: Int
    private let lock = NSLock()
    private var blocks: [StoreBlock] = []
    /// Whether each block was used since the hand last passed it.
    private var used: [Bool] = []
    private var hand = 0
    /// The slot in `blocks` of each kept block, by its index in the store.
    private var slots: [Int: Int] = [:]
    private var bytes = 0

    init(byteLimit: Int = StoreBlockCache.byteLimit) {
        self.byteLimit = byteLimit
    }

    /// Inflated bytes kept.
    var keptBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return bytes
    }

    /// Block `index`, if kept and holding passage `number` (`whole`: only a block read whole).
    func block(_ index: Int, holding number: Int, whole: Bool) -> StoreBlock? {
        lock.lock()
        defer { lock.unlock() }
        guard let slot = slots[index] else { return nil }
        let block = blocks[slot]
        // Both bounds: a crafted store's blocks need not be in passage order.
        guard number >= block.firstPassage && number - block.firstPassage < block.entries.count
            && (block.isWhole || !whole) else { return nil }
        used[slot] = true
        return block
    }

    /// Keeps `block`, dropping blocks to stay within ``byteLimit`` (the newest block is
    /// kept whatever its size).
    func keep(_ block: StoreBlock) {
        lock.lock()
        defer { lock.unlock() }
        // A block read further (or whole) takes the place of the same block read less far.
        if let kept = slots[block.index] {
            guard block.entries.count > blocks[kept].entries.count || (block.isWhole && !blocks[kept].isWhole) else { return }
            remove(at: kept)
        }
        while !blocks.isEmpty, bytes + block.bytes.count > byteLimit {
            if hand >= blocks.count { hand = 0 }
            if used[hand] {
                used[hand] = false
                hand += 1
            } else {
                remove(at: hand)
            }
        }
        slots[block.index] = blocks.count
        blocks.append(block)
        used.append(false)
        bytes += block.bytes.count
    }

    /// Forgets the block in slot `slot` (the last slot takes its place). The lock is held.
    private func remove(at slot: Int) {
        bytes -= blocks[slot].bytes.count
        slots[blocks[slot].index] = nil
        let last = blocks.count - 1
        if slot != last { slots[blocks[last].index] = slot }
        blocks.swapAt(slot, last)
        used.swapAt(slot, last)
        blocks.removeLast()
        used.removeLast()
    }
}

/// One store block inflated, whole or as far as a passage a search needed, with the offsets
/// of its passages.
final class StoreBlock: @unchecked Sendable {
    typealias Entry = (range: Range<Int>, length: Int, text: Range<Int>)

    let index: Int
    let firstPassage: Int
    /// The inflated bytes (of the whole block; only the first ones are set when not whole).
    let bytes: [UInt8]
    /// For each passage decoded: range, length, and text offset/length in `bytes`.
    let entries: [Entry]
    /// Whether every passage of the block is decoded (and the block checked to its end).
    let isWhole: Bool

    private init(index: Int, firstPassage: Int, bytes: [UInt8], entries: [Entry], isWhole: Bool) {
        self.index = index
        self.firstPassage = firstPassage
        self.bytes = bytes
        self.entries = entries
        self.isWhole = isWhole
    }

    /// Deflate's largest ratio of output to input (zlib's technical details: 1032:1).
    static let maximumExpansion = 1032
    /// Bytes inflated at a time when only the passages up to one are wanted.
    static let step = 512

    /// Block `index` (passages `firstPassage ..< firstPassage + count`) from its `stored`
    /// bytes, a zlib stream of `rawLength` bytes, inflated as far as passage `wanted`
    /// (block-relative) is whole, or to its end when `wanted` is nil.
    ///
    /// A hit needs one passage of its block: on average half the block is inflated for it.
    /// The deflate data is inflated raw: zlib's `uncompress` would also sum the output with
    /// Adler-32, which the segment's CRC-32 of the stored bytes makes redundant.
    static func read(_ stored: UnsafeRawBufferPointer, rawLength: Int, index: Int, firstPassage: Int, count: Int,
                     through wanted: Int?, file: String) throws(IndexError) -> StoreBlock {
        func corrupt(_ reason: String) -> IndexError { .corrupt(file: file, reason: "store block \(index) \(reason)") }
        // The 2-byte header: deflate, no preset dictionary, a valid check (RFC 1950).
        guard stored.count > 2, stored[0] & 0x0F == 8, stored[1] & 0x20 == 0,
              (Int(stored[0]) << 8 | Int(stored[1])) % 31 == 0 else { throw corrupt("is not a zlib stream") }
        var out = [UInt8](repeating: 0, count: rawLength)
        var stream = z_stream()
        var status = inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw corrupt(": zlib cannot start (status \(status))") }
        defer { inflateEnd(&stream) }
        var entries: [Entry] = []
        var parsed = 0  // bytes of `out` taken by whole entries
        var produced = 0
        let result = out.withUnsafeMutableBufferPointer { buffer in
          Result { () throws(IndexError) in
            stream.next_in = UnsafeMutablePointer(mutating: stored.baseAddress!.assumingMemoryBound(to: UInt8.self) + 2)
            stream.avail_in = UInt32(stored.count - 2)
            stream.next_out = buffer.baseAddress
            while true {
                let chunk = wanted == nil ? rawLength - produced : min(step, rawLength - produced)
                stream.avail_out = UInt32(chunk)
                status = CZlib.inflate(&stream, wanted == nil ? Z_FINISH : Z_NO_FLUSH)
                produced += chunk - Int(stream.avail_out)
                guard status == Z_OK || status == Z_STREAM_END else { throw corrupt("does not inflate (zlib status \(status))") }
                let raw = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<produced])
                while entries.count < count, let (entry, next) = try StoreBlock.entry(in: raw, at: parsed, corrupt: corrupt) {
                    entries.append(entry)
                    parsed = next
                }
                if let wanted, entries.count > wanted { return }
                if status == Z_STREAM_END || produced == rawLength { return }
            }
          }
        }
        try result.get()
        let ended = status == Z_STREAM_END && produced == rawLength
        // Read to its end (asked for, or the passage wanted never came): the block must hold
        // exactly its passages.
        if wanted.map({ entries.count <= $0 }) ?? true {
            guard ended else { throw corrupt("does not inflate (zlib status \(status))") }
            guard entries.count == count else { throw corrupt("holds a malformed passage") }
            guard parsed == rawLength else { throw corrupt("holds more bytes than its passages") }
        }
        return StoreBlock(index: index, firstPassage: firstPassage, bytes: out, entries: entries,
                          isWhole: ended && entries.count == count && parsed == rawLength)
    }

    /// The passage entry at `offset` of the bytes inflated so far, and where the next one
    /// starts; `nil` when they end before it does.
    private static func entry(in raw: UnsafeRawBufferPointer, at offset: Int,
                              corrupt: (String) -> IndexError) throws(IndexError) -> (Entry, Int)? {
        var at = offset
        /// The varint at `at`, `nil` if the bytes end first.
        func varint() throws(IndexError) -> Int? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while at < raw.count {
                let byte = raw[at]
                at += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return Int(clamping: value) }
                shift += 7
                if shift > 63 { throw corrupt("holds a malformed passage") }
            }
            return nil
        }
        guard let start = try varint(), let end = try varint(), let length = try varint(), let textLength = try varint() else {
            return nil
        }
        guard start <= end else { throw corrupt("holds a malformed passage") }
        guard textLength <= raw.count - at else { return nil }
        return ((start..<end, length, at..<(at + textLength)), at + textLength)
    }
}
