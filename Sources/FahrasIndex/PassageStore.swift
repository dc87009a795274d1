import CZlib

/// One stored passage: where it lies in its document's text, its exact length in word
/// positions, and its text.
struct StoredPassage {
    var range: Range<Int>
    var length: Int
    var text: UnsafeRawBufferPointer
}

/// Writes the store section: passage entries packed into zlib blocks of about 16 KiB.
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

    /// Inflates `stored` bytes into `rawLength` bytes.
    static func inflate(_ stored: UnsafeRawBufferPointer, rawLength: Int, file: String, block: Int) throws(IndexError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rawLength)
        var size = UInt(rawLength)
        let status = out.withUnsafeMutableBufferPointer { buffer in
            uncompress(buffer.baseAddress!, &size, stored.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt(stored.count))
        }
        guard status == Z_OK, Int(size) == rawLength else {
            throw .corrupt(file: file, reason: "store block \(block) does not inflate (zlib status \(status))")
        }
        return out
    }
}
