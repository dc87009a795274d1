/// Errors of the on-disk index: missing, damaged, from another version, or not writable.
///
/// Every case names the file involved and says what the user can do.
package enum IndexError: Error, CustomStringConvertible, Equatable, Sendable {
    /// There is no index in the directory.
    case notFound(directory: String)
    /// The directory holds index files but no manifest.
    case manifestMissing(directory: String)
    /// A file the manifest names is not there.
    case missingFile(file: String)
    /// A file's bytes do not match the format (bad magic, checksum, bounds…).
    case corrupt(file: String, reason: String)
    /// The index was written in a format version this build cannot read.
    case unsupportedVersion(file: String, found: Int, supported: Int)
    /// The index was built with another analyzer configuration.
    case analyzerMismatch(directory: String, found: String, expected: String)
    /// A system call failed.
    case io(path: String, operation: String, message: String)
    /// Another process is writing to the index.
    case locked(directory: String, holder: String)

    /// One line: a reason may quote a damaged file's bytes (a field's name, a term), and a
    /// path may hold any character.
    package var description: String { IndexError.visible(plainDescription) }

    private var plainDescription: String {
        switch self {
        case .notFound(let directory):
            return "no index in '\(directory)'; build one with `fahras index PATH… --index \(directory)`"
        case .manifestMissing(let directory):
            return "'\(directory)/\(Manifest.fileName)' is missing, though the directory holds index files (an interrupted first "
                + "build, or a deleted manifest); rebuild the index with `fahras index --rebuild`"
        case .missingFile(let file):
            return "index file '\(file)' is missing; rebuild the index with `fahras index --rebuild`"
        case .corrupt(let file, let reason):
            return "index file '\(file)' is damaged (\(reason)); rebuild the index with `fahras index --rebuild`"
        case .unsupportedVersion(let file, let found, let supported):
            return "index file '\(file)' has format version \(found), this fahras reads version \(supported); rebuild the index with `fahras index`"
        case .analyzerMismatch(let directory, let found, let expected):
            return "index in '\(directory)' was built with analyzer '\(found)', this fahras uses '\(expected)'; rebuild it with `fahras index`"
        case .io(let path, let operation, let message):
            return "cannot \(operation) '\(path)': \(message)"
        case .locked(let directory, let holder):
            return "another `fahras` (\(holder)) is writing to the index in '\(directory)'; wait for it to finish "
                + "and run again (searches keep working meanwhile)"
        }
    }
}

extension IndexError {
    /// `text` with its control characters (a newline or an ESC in a query, a file name, a
    /// JSON Lines id or a damaged file's bytes) written as `\u{1B}`: on one line, and never a
    /// terminal command.
    package static func visible(_ text: String) -> String {
        // Bytes first (in place when the string is contiguous, as almost every one is): C0
        // controls and DEL are single bytes, C1 controls begin with 0xC2.
        func suspect(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F || byte == 0xC2 }
        guard text.utf8.withContiguousStorageIfAvailable({ $0.contains(where: suspect) }) ?? text.utf8.contains(where: suspect),
              text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
