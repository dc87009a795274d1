#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// At most ``maximum`` attributes an element: libxml2 compares each attribute of a start tag
/// with every earlier one (its duplicate check), so one element with 40,000 attributes took
/// 4 s and one with a million did not finish; no page of any site needs more than a few dozen.
///
/// ``trimmed(_:)`` scans the page's start tags the way an HTML tokenizer does (quoted values
/// may hold `>`), and when a tag has too many attributes returns the page with the extra ones
/// cut; the caller says so in a warning naming the file.
package enum AttributeBudget {
    package static let maximum = 1_000

    /// The page with every start tag cut to ``maximum`` attributes, and how many were cut;
    /// `nil` when no tag has more (nearly always: nothing is copied then).
    package static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], cut: Int)? {
        guard let base = bytes.baseAddress else { return nil }
        var cuts: [Range<Int>] = []
        var i = 0
        let n = bytes.count
        while i < n {
            // memchr to the next '<': the text between tags is passed over at memory speed.
            guard let found = memchr(base + i, 0x3C, n - i) else { break }
            i = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            guard i + 1 < n, isLetter(bytes[i + 1]) else { i += 1; continue }
            i = scanTag(bytes, from: i + 1, cuts: &cuts)
        }
        guard !cuts.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var cursor = 0
        var cut = 0
        for range in cuts {
            out.append(contentsOf: bytes[cursor..<range.lowerBound])
            cursor = range.upperBound
            cut += 1
        }
        out.append(contentsOf: bytes[cursor..<n])
        return (out, cut)
    }

    /// Scans one start tag from its name; files the byte range of each attribute past the
    /// budget in `cuts`; returns where scanning goes on.
    private static func scanTag(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, cuts: inout [Range<Int>]) -> Int {
        let n = bytes.count
        var i = start
        while i < n, !isSpace(bytes[i]), bytes[i] != 0x3E, bytes[i] != 0x2F { i += 1 }  // the name
        var count = 0
        while i < n {
            while i < n, isSpace(bytes[i]) || bytes[i] == 0x2F { i += 1 }
            guard i < n, bytes[i] != 0x3E else { return i + 1 }
            let attributeStart = i
            while i < n, !isSpace(bytes[i]), bytes[i] != 0x3E, bytes[i] != 0x3D, bytes[i] != 0x2F { i += 1 }  // its name
            var j = i
            while j < n, isSpace(bytes[j]) { j += 1 }
            if j < n, bytes[j] == 0x3D {  // = value
                j += 1
                while j < n, isSpace(bytes[j]) { j += 1 }
                if j < n, bytes[j] == 0x22 || bytes[j] == 0x27 {
                    // memchr to the closing quote: values (URLs, class lists) are most of a tag.
                    let quote = bytes[j]
                    j += 1
                    if let end = memchr(bytes.baseAddress! + j, Int32(quote), n - j) {
                        j = UnsafeRawPointer(end) - UnsafeRawPointer(bytes.baseAddress!)
                    } else {
                        j = n
                    }
                    i = min(n, j + 1)
                } else {
                    while j < n, !isSpace(bytes[j]), bytes[j] != 0x3E { j += 1 }
                    i = j
                }
            }
            if i == attributeStart { i += 1 }  // a stray byte: move on
            count += 1
            if count > maximum { cuts.append(attributeStart..<i) }
        }
        return i
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C }
}
