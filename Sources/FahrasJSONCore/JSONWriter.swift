/// JSON string and number literals; the formatter writes keys in the contract's order.
package enum JSONWriter {
    /// `string` as a JSON string, escaped byte by byte: quotes, backslashes, control
    /// characters, and U+2028/U+2029 (which JavaScript reads as line ends).
    package static func quoted(_ string: String) -> String {
        var string = string
        return string.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 2)
            out.append(0x22)
            var i = 0
            var run = 0  // start of the bytes copied as they are, appended a run at a time
            while i < bytes.count {
                let byte = bytes[i]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2 else {
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
                switch byte {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                case 0x09: out.append(contentsOf: [0x5C, 0x74])
                case 0x00..<0x20: out.append(contentsOf: Array("\\u00".utf8) + hexDigits(byte))
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    out.append(contentsOf: Array((bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8))
                    i += 2
                default: out.append(byte)
                }
                i += 1
                run = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count]))
            out.append(0x22)
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static func hexDigits(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return [digits[Int(byte >> 4)], digits[Int(byte & 15)]]
    }

    package static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}

extension String {
    /// A number with three decimals, without Foundation's formatter.
    package init(format3 value: Double) {
        // Beyond what an Int holds in thousandths (a count from a crafted index), as Swift prints it.
        guard value.isFinite, abs(value) < 9e15 else {
            self = "\(value)"
            return
        }
        let scaled = Int((value * 1000).rounded())
        let fraction = String(scaled % 1000)
        self = "\(scaled / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// A non-negative number with one decimal.
    package init(format1 value: Double) {
        guard value.isFinite, abs(value) < 9e17 else {
            self = "\(value)"
            return
        }
        let scaled = Int((Swift.max(0, value) * 10).rounded())
        let whole = scaled / 10, tenth = scaled % 10
        self = "\(whole).\(tenth)"
    }
}
