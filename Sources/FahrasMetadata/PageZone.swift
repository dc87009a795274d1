/// The outlet's own time zone, as its page writes it: the offset after the times the page
/// gives in local time (`2020-05-01T23:00:00-04:00`, `Fri, 01 May 2020 23:00:00 -0400`). An
/// article stamped only in UTC was published on the day its readers saw in that zone.
enum PageZone {
    /// The offset from UTC in minutes written most often after a time on the page, when one
    /// is written more often than any other and is not zero.
    static func prevailingOffset(in page: UnsafeRawBufferPointer) -> Int? {
        var counts: [Int: Int] = [:]
        let bytes = page.bindMemory(to: UInt8.self)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-"), let offset = offset(at: i, in: bytes), offset != 0 {
                counts[offset, default: 0] += 1
            }
            i += 1
        }
        let ranked = counts.sorted { $0.value > $1.value }
        guard let first = ranked.first, ranked.count == 1 || ranked[1].value < first.value else { return nil }
        return first.key
    }

    /// The offset whose sign is at `i`, when a time stands right before it: ISO 8601 after a
    /// `T` (`T23:00-04:00`, `T23:00:00.000+03:00`, `+0300`), or RFC 2822 with its seconds and a
    /// space (`23:00:00 -0400`). A time range (`10:00-11:00`) has neither.
    private static func offset(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        func digit(_ j: Int) -> Int? {
            guard j >= 0, j < bytes.count, bytes[j] &- 48 < 10 else { return nil }
            return Int(bytes[j] &- 48)
        }
        func twoDigits(_ j: Int) -> Int? {
            guard let a = digit(j), let b = digit(j + 1) else { return nil }
            return a * 10 + b
        }
        // The offset: HH:MM or HHMM, not followed by a digit.
        guard let hours = twoDigits(i + 1), hours <= 14 else { return nil }
        let colon = i + 3 < bytes.count && bytes[i + 3] == UInt8(ascii: ":")
        let m = colon ? i + 4 : i + 3
        guard let minutes = twoDigits(m), minutes % 15 == 0, minutes < 60, digit(m + 2) == nil else { return nil }
        guard isISOTime(endingAt: i - 1, in: bytes) || (!colon && isRFCTime(endingAt: i - 2, in: bytes) && bytes[i - 1] == UInt8(ascii: " ")) else {
            return nil
        }
        let value = hours * 60 + minutes
        return bytes[i] == UInt8(ascii: "-") ? -value : value
    }

    /// `THH:MM`, `THH:MM:SS` or `THH:MM:SS.fff` ending at `end`.
    private static func isISOTime(endingAt end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var j = end
        var k = end
        while k >= 0, bytes[k] &- 48 < 10 { k -= 1 }
        if k >= 0, bytes[k] == UInt8(ascii: "."), k < end { j = k - 1 }  // a fraction of a second
        // Now at the end of HH:MM or HH:MM:SS.
        var pairs = 0
        while pairs < 3, j >= 1, bytes[j] &- 48 < 10, bytes[j - 1] &- 48 < 10 {
            pairs += 1
            j -= 2
            if j >= 0, bytes[j] == UInt8(ascii: ":") { j -= 1 } else { break }
        }
        return (2...3).contains(pairs) && j >= 0 && bytes[j] == UInt8(ascii: "T")
    }

    /// `HH:MM:SS` ending at `end`.
    private static func isRFCTime(endingAt end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard end >= 7 else { return false }
        let colons = bytes[end - 2] == UInt8(ascii: ":") && bytes[end - 5] == UInt8(ascii: ":")
        let digits = [end, end - 1, end - 3, end - 4, end - 6, end - 7].allSatisfy { bytes[$0] &- 48 < 10 }
        return colons && digits && (end < 8 || !(bytes[end - 8] &- 48 < 10))
    }
}
