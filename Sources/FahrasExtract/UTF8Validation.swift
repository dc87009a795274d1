/// Strict UTF-8 validation that says where the input goes wrong.
enum UTF8Validation {
    /// The offset of the first byte that does not start or continue a well-formed UTF-8
    /// sequence (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF), or `nil`.
    static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let n = bytes.count
        while i < n {
            // ASCII 32 bytes at a time, then 8 (most of a web page's bytes are markup).
            while i + 32 <= n {
                let any = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)
                    | raw.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self) | raw.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)
                guard any & 0x8080_8080_8080_8080 == 0 else { break }
                i += 32
            }
            while i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            guard i < n else { break }
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return i
            }
            guard i + length <= n else { return i }
            let second = bytes[i + 1]
            if second < lower || second > upper { return i }
            var j = 2
            while j < length {
                if bytes[i + j] & 0xC0 != 0x80 { return i }
                j += 1
            }
            i += length
        }
        return nil
    }
}
