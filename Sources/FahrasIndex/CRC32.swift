import CZlib

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), computed by zlib.
/// Segment files carry one per 64 KiB chunk, the manifest one of itself.
public enum CRC32 {
    /// The CRC-32 of `bytes`, continuing from `crc` (0 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        var value = UInt(crc)
        var offset = 0
        while offset < bytes.count {
            let count = min(bytes.count - offset, Int(UInt32.max >> 1))
            value = crc32(value, base.assumingMemoryBound(to: UInt8.self) + offset, UInt32(count))
            offset += count
        }
        return UInt32(truncatingIfNeeded: value)
    }

    /// The CRC-32 of an array of bytes.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}

/// FNV-1a, 64 bits: the content hash recorded per source file (not for security).
public enum ContentHash {
    public static func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
