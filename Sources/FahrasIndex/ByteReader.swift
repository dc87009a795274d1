/// Bounds-checked reads from a region of an index file; any overrun is corruption.
struct ByteReader {
    let base: UnsafeRawBufferPointer
    var offset: Int
    let end: Int
    let file: String

    init(_ base: UnsafeRawBufferPointer, range: Range<Int>, file: String) {
        self.base = base
        self.offset = range.lowerBound
        self.end = range.upperBound
        self.file = file
    }

    private func need(_ count: Int, _ what: String) throws(IndexError) {
        // Subtracted, not added: a length read from a crafted file may be near Int.max.
        if count < 0 || count > end - offset {
            throw .corrupt(file: file, reason: "\(what) runs past the end of its section at byte \(offset)")
        }
    }

    mutating func u8(_ what: String) throws(IndexError) -> UInt8 {
        try need(1, what)
        defer { offset += 1 }
        return base[offset]
    }

    mutating func u16(_ what: String) throws(IndexError) -> UInt16 {
        try need(2, what)
        defer { offset += 2 }
        return UInt16(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    mutating func u32(_ what: String) throws(IndexError) -> UInt32 {
        try need(4, what)
        defer { offset += 4 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func u64(_ what: String) throws(IndexError) -> UInt64 {
        try need(8, what)
        defer { offset += 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    mutating func varint(_ what: String) throws(IndexError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            try need(1, what)
            let byte = base[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 { throw .corrupt(file: file, reason: "\(what): varint longer than 64 bits at byte \(offset)") }
        }
    }

    /// Moves past a string without decoding it.
    mutating func skipString(_ what: String) throws(IndexError) {
        let length = Int(clamping: try varint(what))
        try need(length, what)
        offset += length
    }

    mutating func string(_ what: String) throws(IndexError) -> String {
        let length = Int(clamping: try varint(what))
        try need(length, what)
        defer { offset += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: base[offset..<(offset + length)]), as: UTF8.self)
    }
}

extension ByteReader {
    /// The varint at `offset` in `bytes`, `offset` moved past it, for hot paths that read
    /// in place: `nil` when it runs past `end` or is longer than five bytes (32-bit values).
    @inline(__always)
    static func varint32(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int, end: Int) -> Int? {
        var result = 0
        var shift = 0
        while offset < end && shift < 35 {
            let byte = bytes[offset]
            offset += 1
            result |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        return nil
    }
}
