/// Errors of the analysis stage: a data file (character table, folding rules, entity
/// list) that cannot be read.
package enum AnalysisError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A line of a character or folding table is malformed.
    case badTable(file: String = "marks.tsv", line: Int, reason: String)
    /// A line of an entity list (gazetteer) is malformed.
    case badEntityList(file: String, line: Int, reason: String)
    /// An entity list could not be read at all.
    case unreadableEntityList(file: String, reason: String)

    package var description: String {
        switch self {
        case .badTable(let file, let line, let reason):
            return "\(file):\(line): \(reason); fix the line or remove it"
        case .badEntityList(let file, let line, let reason):
            return "\(file):\(line): \(reason); fix the line or remove it"
        case .unreadableEntityList(let file, let reason):
            return "cannot read the entity list \(file): \(reason)"
        }
    }
}

/// The meaningful lines of a tab-separated data file: comments (`#` to the end of the
/// line) and blank lines dropped, fields split on tabs and trimmed of spaces.
struct DataLines: Sequence {
    struct Line {
        /// 1-based line number in the file.
        var number: Int
        var fields: [String]
    }

    let text: String

    /// Splits on bytes: `\n`, `#`, tab, space and `\r` are ASCII, so no UTF-8 sequence
    /// contains them and byte offsets cut exactly where characters would.
    func makeIterator() -> IndexingIterator<[Line]> {
        var lines: [Line] = []
        let bytes = Array(text.utf8)
        var number = 0
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            number += 1
            let contentEnd = DataLines.contentEnd(bytes, start..<end)
            var fields: [String] = []
            var fieldStart = start
            while true {
                let field = DataLines.field(bytes, from: fieldStart, before: contentEnd)
                fields.append(String(decoding: bytes[field.trimmed], as: UTF8.self))
                if field.end >= contentEnd { break }
                fieldStart = field.end + 1
            }
            if !fields.allSatisfy(\.isEmpty) { lines.append(Line(number: number, fields: fields)) }
            start = end + 1
        }
        return lines.makeIterator()
    }

    /// Where the content of `line` ends: at a `#` (a comment), else at the line's end.
    static func contentEnd<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ line: Range<Int>) -> Int
    where Bytes.Index == Int {
        var end = line.lowerBound
        while end < line.upperBound, bytes[end] != 0x23 { end += 1 }
        return end
    }

    /// The field starting at `start`: where it ends (a tab or `contentEnd`), and its bytes
    /// without spaces or `\r` around them.
    static func field<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, from start: Int, before contentEnd: Int)
        -> (end: Int, trimmed: Range<Int>) where Bytes.Index == Int {
        var end = start
        while end < contentEnd, bytes[end] != 0x09 { end += 1 }
        var a = start, b = end
        while a < b, bytes[a] == 0x20 || bytes[a] == 0x0D { a += 1 }
        while b > a, bytes[b - 1] == 0x20 || bytes[b - 1] == 0x0D { b -= 1 }
        return (end, a..<b)
    }
}

extension String {
    /// The string without leading and trailing characters of `set`.
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}

/// 64-bit FNV-1a of some bytes: names a data file's contents in the analyzer signature.
func fingerprint(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    return hash
}
