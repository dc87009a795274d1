/// Why a file could not be turned into text.
///
/// Extraction errors describe the input, not the program: each message says what is wrong
/// with the bytes and what the user can do about it. The indexer prefixes the file's path.
package enum ExtractError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file has no bytes at all.
    case empty
    /// A NUL byte was found at `offset`: the file is binary (an image, a PDF, an archive…).
    case binary(offset: Int)
    /// The bytes are not UTF-8 (first bad byte at `offset`) and nothing declares another encoding.
    case invalidUTF8(offset: Int)
    /// The file begins with a UTF-16 byte-order mark (little- or big-endian): text, not binary.
    case utf16(bigEndian: Bool)
    /// libxml2 could not build a document tree from the bytes.
    case unparsable
    /// Parsing worked, but nothing but markup or site chrome was left.
    case noText
    /// A JSON Lines record is malformed (line from 1).
    case badRecord(line: Int, reason: String)

    package var description: String {
        switch self {
        case .empty:
            return "file is empty"
        case .binary(let offset):
            return "binary file (NUL byte at offset \(offset)); only HTML and text files can be indexed"
        case .invalidUTF8(let offset):
            return "not valid UTF-8 (bad byte at offset \(offset)); convert it (e.g. `iconv -f WINDOWS-1256 -t UTF-8`) or declare its charset in a <meta> tag"
        case .utf16(let bigEndian):
            return "UTF-16 text (a byte-order mark); convert it to UTF-8 (e.g. `iconv -f UTF-16\(bigEndian ? "BE" : "LE") -t UTF-8`)"
        case .unparsable:
            return "libxml2 could not parse this file as HTML"
        case .noText:
            return "no article text after removing markup and site chrome"
        case .badRecord(let line, let reason):
            return "line \(line): \(reason); each line must be one JSON object with \"id\", \"text\" and optionally \"title\""
        }
    }
}
