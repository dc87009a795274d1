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
        standardError("fahras: error: \(message)\n")
    }

    static func warning(_ message: String) {
        standardError("fahras: warning: \(message)\n")
    }

    /// ANSI colour only on a terminal, and never when `NO_COLOR` is set (no-color.org).
    static var colorEnabled: Bool {
        if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
        return isatty(STDOUT_FILENO) == 1
    }

    /// Whether standard error is a terminal (for progress lines).
    static var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

/// JSON string and number literals; the formatter writes keys in the contract's order.
enum JSONWriter {
    static func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}

extension String {
    /// A number with three decimals, without Foundation's formatter.
    init(format3 value: Double) {
        let scaled = Int((value * 1000).rounded())
        let fraction = String(scaled % 1000)
        self = "\(scaled / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// A non-negative number with one decimal.
    init(format1 value: Double) {
        let scaled = Int((Swift.max(0, value) * 10).rounded())
        let whole = scaled / 10, tenth = scaled % 10
        self = "\(whole).\(tenth)"
    }
}
