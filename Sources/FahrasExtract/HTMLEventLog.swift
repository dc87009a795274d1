/// The events of a parse, text runs joined (a parser may hand one run on in pieces): what the
/// tests and the `html-parser` fuzz target compare between ``HTMLEventParser`` and libxml2.
package struct HTMLEventLog: HTMLEventSink, Equatable {
    package enum Event: Equatable, CustomStringConvertible {
        case open(String, [String?])
        case close
        case text([UInt8])

        package var description: String {
            switch self {
            case .open(let name, let attributes): "<\(name)\(attributes.map { " \($0 ?? "∅")" }.joined())>"
            case .close: "</>"
            case .text(let bytes): "\"\(String(decoding: bytes, as: UTF8.self))\""
            }
        }
    }

    package private(set) var events: [Event] = []

    package init() {}

    mutating func open(_ name: UnsafePointer<UInt8>, attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        var pairs: [String?] = []
        var k = 0
        while let attributes, let key = attributes[k] {
            pairs.append(String(cString: key))
            pairs.append(attributes[k + 1].map { String(cString: $0) })
            k += 2
        }
        events.append(.open(String(cString: name), pairs))
    }

    mutating func close() { events.append(.close) }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        if case .text(let before) = events.last {
            events[events.count - 1] = .text(before + Array(bytes))
        } else {
            events.append(.text(Array(bytes)))
        }
    }

    /// The events of both parsers for `bytes`, which must be valid UTF-8 without NUL (what
    /// ``isComparable(_:)`` checks).
    package static func both(_ bytes: UnsafeBufferPointer<UInt8>) -> (native: [Event], libxml2: [Event]) {
        var native = HTMLEventLog()
        HTMLEventParser.parse(bytes, into: &native)
        var reference = HTMLEventLog()
        _ = try? HTMLTextExtractor.parseWithLibXML2(bytes, encoding: "UTF-8", into: &reference)
        return (native.events, reference.events)
    }

    /// Whether the parsers read `bytes` the same way: valid UTF-8 without NUL.
    package static func isComparable(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        !bytes.isEmpty && !bytes.contains(0) && UTF8Validation.firstInvalidByte(in: bytes) == nil
    }

    /// Whether an `&` or `<?` in `bytes` is followed by a name of more than 100 bytes with a
    /// non-ASCII letter in it. libxml2 reads such a name a character at a time and, every 100,
    /// grows its input buffer; when the buffer moves it starts the name again from there, and
    /// the text read before is lost (an entity's text, or a processing instruction's end),
    /// depending on where its buffer's chunks fall. Fahras's parser keeps the text; the
    /// comparison leaves such pages out.
    package static func hasLongNonASCIIName(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var k = 0
        while k < bytes.count {
            defer { k += 1 }
            guard bytes[k] == 0x26 || (bytes[k] == 0x3C && k + 1 < bytes.count && bytes[k + 1] == 0x3F) else { continue }
            var j = bytes[k] == 0x26 ? k + 1 : k + 2
            var nonASCII = false
            while j < bytes.count, HTMLEventParser.isNameByte(bytes[j]) || bytes[j] >= 0x80 {
                nonASCII = nonASCII || bytes[j] >= 0x80
                j += 1
            }
            if nonASCII && j - k > 100 { return true }
        }
        return false
    }

    /// Where two event lists part, a few events either side, for a failure message.
    package static func divergence(_ a: [Event], _ b: [Event]) -> String {
        let k = zip(a, b).prefix { $0 == $1 }.count
        let show = { (events: [Event]) in
            events[max(0, k - 3)..<min(events.count, k + 4)].map { String($0.description.prefix(80)) }.joined(separator: " ")
        }
        return "at event \(k): native \(show(a)) | libxml2 \(show(b))"
    }
}
