import Fahras
import FahrasJSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to the terminal: plain text, error lines, and whether colour is wanted.
enum Output {
    /// Writes all of `text` to standard output in one go (unbuffered: nothing to flush).
    static func standardOutput(_ text: String) {
        writeAll(STDOUT_FILENO, text)
    }

    static func standardError(_ text: String) {
        writeAll(STDERR_FILENO, text)
    }

    /// Writes all of `bytes` (UTF-8) to standard output in one go.
    static func standardOutput(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { writeAll(STDOUT_FILENO, $0) }
    }

    private static func writeAll(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { writeAll(fd, $0) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe: nothing more can be said
            }
            offset += written
        }
    }

    static func error(_ message: String) {
        standardError("fahras: error: \(visible(message))\n")
    }

    static func warning(_ message: String) {
        standardError("fahras: warning: \(visible(message))\n")
    }

    /// `text` on one line, with no terminal commands in it (``FahrasError/visible(_:)``).
    static func visible(_ text: String) -> String { FahrasError.visible(text) }

    /// ANSI colour only on a terminal, and never when `NO_COLOR` is set (no-color.org).
    static var colorEnabled: Bool {
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        return isatty(STDOUT_FILENO) == 1
    }

    /// Whether standard error is a terminal (for progress lines).
    static var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
