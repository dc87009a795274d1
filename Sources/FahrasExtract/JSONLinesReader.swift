/// One record of a JSON Lines file: `{"id": …, "title": …, "text": …}`.
package struct JSONLinesRecord: Sendable, Equatable {
    /// The record's `id` (a string, or a number written as in the file).
    package var id: String
    /// The optional `title` ("" when absent).
    package var title: String
    /// The `text`.
    package var text: String
    /// The line it was read from, from 1.
    package var line: Int
    /// Where that line begins in the file, in bytes.
    package var offset: Int
    /// The optional article fields (``JSONLinesReader/metadataFields``) as written, when
    /// they are strings; a value of another type is kept as `nil` with its name in
    /// ``badFields``.
    package var fields: [String: String] = [:]
    package var badFields: [String] = []

    package init(id: String, title: String, text: String, line: Int, offset: Int = 0) {
        self.id = id
        self.title = title
        self.text = text
        self.line = line
        self.offset = offset
    }
}

/// Reads JSON Lines exports: one JSON object per line, with a string or number `id`, a string
/// `text` and an optional string `title`, and the optional article fields `date`, `url`,
/// `site` (or `source`), `author`, `lang`; other members are ignored, blank lines skipped.
///
/// A small strict JSON reader over UTF-8 bytes (RFC 8259 strings with every escape, numbers,
/// literals, nested values skipped): an export is read at memory speed, and a bad line
/// stops with its number and what is wrong rather than being dropped.
package enum JSONLinesReader {
    /// Whether `bytes` is a number as JSON writes one: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`
    /// (`+1`, `01`, `1.`, `.5`, `1e` and `+-.eE` are not).
    static func isNumber(_ bytes: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < bytes.count, bytes[i] == 0x2D { i += 1 }
        guard i < bytes.count else { return false }
        if bytes[i] == 0x30 { i += 1 } else if digits() == 0 { return false }
        if i < bytes.count, bytes[i] == 0x2E {
            i += 1
            guard digits() > 0 else { return false }
        }
        if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
            i += 1
            if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == bytes.count
    }

    /// The optional members read as article metadata (`source` is read as `site`).
    package static let metadataFields: Set<String> = ["date", "url", "site", "source", "author", "lang"]

    /// The records of `bytes`, in file order (see ``read(_:)``).
    package static func records(_ bytes: UnsafeBufferPointer<UInt8>) throws(ExtractError) -> [JSONLinesRecord] {
        try read(bytes).records
    }

    /// A record whose id an earlier record of the file already had: the later one is kept
    /// (an export that lists a story twice lists its latest version last).
    package struct Duplicate: Sendable, Equatable {
        package var id: String
        /// The line of the record left out, and of the one kept.
        package var replacedLine: Int
        package var line: Int

        /// What a warning says of it.
        package var description: String {
            "line \(line): the id \(id) was already used on line \(replacedLine); the record of line \(line) is indexed, "
                + "the one of line \(replacedLine) is not"
        }
    }

    /// The records of `bytes` in file order, one per id (the last), and the ids found twice.
    package static func read(_ bytes: UnsafeBufferPointer<UInt8>) throws(ExtractError)
        -> (records: [JSONLinesRecord], duplicates: [Duplicate]) {
        var out: [JSONLinesRecord?] = []
        var duplicates: [Duplicate] = []
        var ids: [String: Int] = [:]
        var start = 0
        var line = 0
        while start < bytes.count {
            line += 1
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            var parser = Parser(bytes: bytes, offset: start, end: end, line: line)
            parser.skipSpace()
            if parser.offset < end {
                var record = try parser.record()
                record.offset = start
                if let earlier = ids[record.id] {
                    duplicates.append(Duplicate(id: record.id, replacedLine: out[earlier]!.line, line: line))
                    out[earlier] = nil
                }
                ids[record.id] = out.count
                out.append(record)
            }
            start = end + 1
        }
        guard !out.isEmpty else { throw .empty }
        return (out.compactMap { $0 }, duplicates)
    }

    /// The record on the one line `bytes` (read again from where an earlier
    /// ``records(_:)`` found it); `line` is only for error messages.
    package static func record(onLine bytes: UnsafeBufferPointer<UInt8>, line: Int) throws(ExtractError) -> JSONLinesRecord {
        var end = 0
        while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        var parser = Parser(bytes: bytes, offset: 0, end: end, line: line)
        parser.skipSpace()
        guard parser.offset < end else { throw .badRecord(line: line, reason: "the line is blank") }
        return try parser.record()
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset: Int
        let end: Int
        let line: Int

        init(bytes: UnsafeBufferPointer<UInt8>, offset: Int, end: Int, line: Int) {
            self.bytes = bytes
            self.offset = offset
            self.end = end
            self.line = line
        }

        func fail(_ reason: String) -> ExtractError { .badRecord(line: line, reason: reason) }

        mutating func skipSpace() {
            while offset < end, [0x20, 0x09, 0x0D].contains(bytes[offset]) { offset += 1 }
        }

        mutating func expect(_ byte: UInt8, _ what: String) throws(ExtractError) {
            skipSpace()
            guard offset < end, bytes[offset] == byte else { throw fail("expected \(what) at column \(offset - lineStart + 1)") }
            offset += 1
        }

        var lineStart: Int {
            var s = offset
            while s > 0 && bytes[s - 1] != 0x0A { s -= 1 }
            return s
        }

        mutating func record() throws(ExtractError) -> JSONLinesRecord {
            try expect(UInt8(ascii: "{"), "a JSON object ({…})")
            var id: String?
            var title = ""
            var text: String?
            var fields: [String: String] = [:]
            var badFields: [String] = []
            skipSpace()
            if offset < end && bytes[offset] == UInt8(ascii: "}") {
                offset += 1
            } else {
                while true {
                    skipSpace()
                    guard offset < end, bytes[offset] == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
                    let key = try string()
                    try expect(UInt8(ascii: ":"), "':' after \"\(key)\"")
                    skipSpace()
                    switch key {
                    case "id":
                        guard offset < end else { throw fail("'id' has no value") }
                        if bytes[offset] == UInt8(ascii: "\"") { id = try string() } else { id = try number() }
                    case "title":
                        guard offset < end, bytes[offset] == UInt8(ascii: "\"") else { throw fail("'title' must be a string") }
                        title = try string()
                    case "text":
                        guard offset < end, bytes[offset] == UInt8(ascii: "\"") else { throw fail("'text' must be a string") }
                        text = try string()
                    case _ where JSONLinesReader.metadataFields.contains(key):
                        if offset < end && bytes[offset] == UInt8(ascii: "\"") {
                            fields[key == "source" ? "site" : key] = try string()
                        } else {
                            try skipValue(depth: 0)
                            badFields.append(key)
                        }
                    default:
                        try skipValue(depth: 0)
                    }
                    skipSpace()
                    guard offset < end else { throw fail("the object is not closed (missing })") }
                    if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                    if bytes[offset] == UInt8(ascii: "}") { offset += 1; break }
                    throw fail("expected ',' or '}' at column \(offset - lineStart + 1)")
                }
            }
            skipSpace()
            guard offset == end else { throw fail("unexpected text after the object (one JSON object per line)") }
            guard let id else { throw fail("the record has no 'id'") }
            guard let text else { throw fail("the record has no 'text'") }
            var record = JSONLinesRecord(id: id, title: title, text: text, line: line)
            record.fields = fields
            record.badFields = badFields
            return record
        }

        mutating func number() throws(ExtractError) -> String {
            let start = offset
            while offset < end, "+-.0123456789eE".utf8.contains(bytes[offset]) { offset += 1 }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
            guard JSONLinesReader.isNumber(Array(text.utf8)) else {
                throw fail(text.isEmpty ? "'id' must be a string or a number" : "'id' is neither a string nor a JSON number: \(text)")
            }
            return text
        }

        mutating func string() throws(ExtractError) -> String {
            offset += 1  // the opening quote
            var out: [UInt8] = []
            var runStart = offset
            while offset < end {
                let byte = bytes[offset]
                if byte == UInt8(ascii: "\"") {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
                    offset += 1
                    guard let value = String(validating: out, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
                    return value
                }
                if byte < 0x20 { throw fail("a string holds a raw control character (write it as \\u00XX)") }
                if byte != UInt8(ascii: "\\") { offset += 1; continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
                offset += 1
                guard offset < end else { break }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard offset + 1 < end, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                            throw fail("a \\u escape holds half a surrogate pair")
                        }
                        offset += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("a \\u escape holds half a surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let value = Unicode.Scalar(scalar) else { throw fail("a \\u escape is not a character") }
                    out.append(contentsOf: String(Character(value)).utf8)
                default:
                    throw fail("unknown escape \\\(Character(Unicode.Scalar(escape)))")
                }
                runStart = offset
            }
            throw fail("a string is not closed (missing \")")
        }

        mutating func hex4() throws(ExtractError) -> UInt32 {
            guard offset + 4 <= end else { throw fail("a \\u escape needs 4 hex digits") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = Character(Unicode.Scalar(bytes[offset])).hexDigitValue else { throw fail("a \\u escape needs 4 hex digits") }
                value = value << 4 | UInt32(digit)
                offset += 1
            }
            return value
        }

        mutating func skipValue(depth: Int) throws(ExtractError) {
            skipSpace()
            guard offset < end, depth < 64 else { throw fail("a value is missing or nested too deeply") }
            switch bytes[offset] {
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let close = bytes[offset] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
                offset += 1
                skipSpace()
                if offset < end && bytes[offset] == close { offset += 1; return }
                while true {
                    if close == UInt8(ascii: "}") {
                        skipSpace()
                        guard offset < end, bytes[offset] == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
                        _ = try string()
                        try expect(UInt8(ascii: ":"), "':'")
                    }
                    try skipValue(depth: depth + 1)
                    skipSpace()
                    guard offset < end else { throw fail("a nested value is not closed") }
                    if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
                    if bytes[offset] == close { offset += 1; return }
                    throw fail("expected ',' or a closing bracket at column \(offset - lineStart + 1)")
                }
            default:
                let start = offset
                while offset < end, !",}] \t\r".utf8.contains(bytes[offset]) { offset += 1 }
                let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
                guard ["true", "false", "null"].contains(word) || Double(word) != nil else { throw fail("'\(word)' is not a JSON value") }
            }
        }
    }
}
