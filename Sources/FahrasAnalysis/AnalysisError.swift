/// Errors of the analysis stage: a data file (character table, folding rules, entity
/// list) that cannot be read.
public enum AnalysisError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A line of a character or folding table is malformed.
    case badTable(file: String = "marks.tsv", line: Int, reason: String)
    /// A line of an entity list (gazetteer) is malformed.
    case badEntityList(file: String, line: Int, reason: String)
    /// An entity list could not be read at all.
    case unreadableEntityList(file: String, reason: String)

    public var description: String {
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

    func makeIterator() -> IndexingIterator<[Line]> {
        var lines: [Line] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var content = Substring(raw)
            if let hash = content.firstIndex(of: "#") { content = content[..<hash] }
            let fields = content.split(separator: "\t", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: " \r") }
            if fields.allSatisfy(\.isEmpty) { continue }
            lines.append(Line(number: index + 1, fields: fields))
        }
        return lines.makeIterator()
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
