internal import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an HTML parse reports, in document order.
protocol HTMLEventSink {
    /// An element opens. `name` is lower case and NUL-terminated; `attributes` holds name,
    /// value pairs (a value is nil for an attribute written without one), then a nil.
    mutating func open(_ name: UnsafePointer<UInt8>, attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?)
    /// The innermost open element closes.
    mutating func close()
    /// Text, entities decoded; one run of text may come in several calls.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>)
}

/// Parses an HTML page of valid UTF-8 and reports the events libxml2's HTML parser (2.9, in
/// recover mode, its SAX interface) reports for it: the same elements opened and closed
/// (those it implies, closes by itself, or ignores included), the same text and attributes.
///
/// libxml2 spent about 150 instructions a byte on the kernel docs, most of it reading one
/// character at a time through function calls; this parser passes over text and attribute
/// values a byte at a time in a loop, and keeps no copy of the page. libxml2 stays the parser
/// of pages in other encodings (`<meta charset>`), and the reference: tests compare the
/// events of both on the fixtures and on every page they are given.
///
/// The rules follow libxml2's `HTMLparser.c`: a start tag first closes the open elements the
/// library's table says it closes, then implies `html`, `head` or `body` where they are
/// missing; text directly in `html` or `head` implies a `p`; an end tag closes the elements
/// above its own unless one of them has a higher end-tag priority, and is ignored when its
/// element is not open; `script` and `style` hold raw text up to their end tag.
///
/// One difference is deliberate: libxml2 may lose the start of a name of more than 100 bytes
/// with a non-ASCII letter in it after `&` or `<?` (it restarts the name when its input buffer
/// moves, which depends on where the buffer's chunks fall); this parser keeps that text
/// (``HTMLEventLog/hasLongNonASCIIName(_:)``).
struct HTMLEventParser {
    private let base: UnsafePointer<UInt8>
    private let end: Int
    private var at = 0
    private let elements = HTMLElements.shared
    private let stops = HTMLEventParser.stops
    /// The open elements, innermost last.
    private var stack: [Int32] = []
    /// libxml2's `ctxt->html`: 3 once a `head` opened, 10 once a `body` did.
    private var level = 0
    /// libxml2's `ctxt->depth`: misplaced `html`, `head` and `body` tags ignored, whose end
    /// tags are ignored in turn.
    private var ignoredTags = 0
    /// Names outside ``HTMLElements``, by their bytes, and their C strings (ids follow the
    /// known ones).
    private var extraIDs: [[UInt8]: Int32] = [:]
    private var extraNames: [UnsafeMutablePointer<UInt8>] = []
    private var extraEmpty: [Bool] = []
    /// The start tag's attribute names and values, each NUL-terminated, and where each
    /// begins (-1 for a missing value).
    private var scratch: [UInt8] = []
    private var offsets: [Int] = []
    private var pointers: [UnsafePointer<UInt8>?] = []
    /// Entity names looked up in libxml2's table, packed, with their code point (0: none).
    private var entities: [UInt64: UInt32] = [:]
    /// The lower-case name last read, its length, and its first 16 bytes packed in two words.
    private let name = UnsafeMutablePointer<UInt8>.allocate(capacity: HTMLEventParser.nameLimit + 1)
    private var nameLength = 0
    private var packed: (UInt64, UInt64) = (0, 0)

    /// The most attributes a start tag may have, and whether one had more.
    private var attributeLimit = Int.max
    private var exceeded = false

    /// libxml2 reads at most this many bytes of a tag or attribute name; the rest stays input.
    static let nameLimit = 100
    /// libxml2 hands text on in pieces of this many bytes, looking at the piece's last byte
    /// rather than what follows it: a run of blanks this long is never taken as ignorable.
    static let textPiece = 1_000

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        base = bytes.baseAddress!
        end = bytes.count
    }

    /// Parses the whole page into `sink`; false, with the parse stopped, if a start tag has
    /// more than `attributeLimit` attributes (the caller then parses the page trimmed).
    @discardableResult
    static func parse<Sink: HTMLEventSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink,
                                           attributeLimit: Int = .max) -> Bool {
        guard bytes.count > 0 else { return true }
        var parser = HTMLEventParser(bytes)
        parser.attributeLimit = attributeLimit
        parser.document(&sink)
        parser.release()
        return !parser.exceeded
    }

    private func release() {
        for name in extraNames { name.deallocate() }
        name.deallocate()
    }

    // MARK: Reading bytes

    @inline(__always) private func byte(_ offset: Int = 0) -> UInt8 {
        let k = at + offset
        return k < end ? base[k] : 0
    }

    @inline(__always) private static func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
    @inline(__always) private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 }
    @inline(__always) private static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    private mutating func skipBlanks() {
        while at < end && HTMLEventParser.isBlank(base[at]) { at += 1 }
    }

    /// Whether the input at `at` starts with `literal` (upper-case ASCII), without case.
    private func startsWithUpper(_ literal: StaticString, from offset: Int) -> Bool {
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for (k, c) in bytes.enumerated() where byte(offset + k) & 0xDF != c { return false }
        return true
    }

    // MARK: The document

    private mutating func document<Sink: HTMLEventSink>(_ sink: inout Sink) {
        skipBlanks()
        miscellany()
        if byte() == 0x3C && byte(1) == 0x21 && startsWithUpper("DOCTYPE", from: 2) { doctype() }
        skipBlanks()
        miscellany()
        content(&sink)
        if at >= end { closeAll(&sink) }
    }

    /// Comments and processing instructions before the content.
    private mutating func miscellany() {
        while at < end && byte() == 0x3C && ((byte(1) == 0x21 && byte(2) == 0x2D && byte(3) == 0x2D) || byte(1) == 0x3F) {
            comment()
            processingInstruction()
            skipBlanks()
        }
    }

    /// libxml2's content loop (`htmlParseContentInternal`), with its bookkeeping of the
    /// element being read (`current`, `depth`), on which reading `script` and `style` text
    /// depends.
    private mutating func content<Sink: HTMLEventSink>(_ sink: inout Sink) {
        var current = stack.last
        var depth = stack.count
        while true {
            let c = byte()
            if c == 0x3C && byte(1) == 0x2F {
                if endTag(&sink) && (current != nil || stack.isEmpty) { (current, depth) = (stack.last, stack.count) }
                continue
            }
            if c == 0x3C, HTMLEventParser.isNameStart(byte(1)),
               let top = stack.last, elements.isClosable(top), let new = lookAheadName(), elements.closes(new, top) {
                autoClose(new, &sink)
                continue
            }
            if !stack.isEmpty && depth >= stack.count && current != stack.last {
                if at >= end { closeAll(&sink) }
                (current, depth) = (stack.last, stack.count)
                continue
            }
            if at < end && (current == elements.script || current == elements.style) {
                rawText(&sink)
                continue
            }
            // A doctype in the content is read, and what follows it read in the same turn.
            if c == 0x3C && byte(1) == 0x21 && startsWithUpper("DOCTYPE", from: 2) { doctype() }
            let d = byte()
            if d == 0x3C && byte(1) == 0x21 && byte(2) == 0x2D && byte(3) == 0x2D {
                comment()
            } else if d == 0x3C && byte(1) == 0x3F {
                processingInstruction()
            } else if d == 0x3C && HTMLEventParser.isLetter(byte(1)) {
                element(&sink)
                (current, depth) = (stack.last, stack.count)
            } else if d == 0x3C {
                // Not a tag (`<!x`, `< `, `<3`): the `<` is text.
                emit("<", &sink)
                at += 1
            } else if at >= end {
                closeAll(&sink)
                return
            } else if d == 0x26 && isReference(at) {
                reference(&sink)
            } else {
                characters(&sink)
            }
        }
    }

    /// Consumes up to and including the next `byte` (to the end if there is none).
    private mutating func skipPast(_ stop: UInt8) {
        while at < end && base[at] != stop { at += 1 }
        if at < end { at += 1 }
    }

    // MARK: Elements

    private mutating func push<Sink: HTMLEventSink>(_ id: Int32, _ sink: inout Sink,
                                                    attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>? = nil) {
        if id == elements.head && level < 3 { level = 3 }
        if id == elements.body && level < 10 { level = 10 }
        stack.append(id)
        sink.open(cName(id), attributes: attributes)
    }

    private mutating func pop<Sink: HTMLEventSink>(_ sink: inout Sink) {
        stack.removeLast()
        sink.close()
    }

    private mutating func closeAll<Sink: HTMLEventSink>(_ sink: inout Sink) {
        while !stack.isEmpty { pop(&sink) }
    }

    private func cName(_ id: Int32) -> UnsafePointer<UInt8> {
        let k = Int(id)
        return k < elements.count ? elements.cNames[k] : UnsafePointer(extraNames[k - elements.count])
    }

    private func isEmptyElement(_ id: Int32) -> Bool {
        let k = Int(id)
        return k < elements.count ? elements.isEmpty[k] : extraEmpty[k - elements.count]
    }

    private func priority(_ id: Int32) -> Int {
        let k = Int(id)
        return k < elements.count ? elements.priority[k] : HTMLElements.defaultPriority
    }

    /// Closes the open elements a start tag of `new` closes (`htmlAutoClose`).
    private mutating func autoClose<Sink: HTMLEventSink>(_ new: Int32, _ sink: inout Sink) {
        while let top = stack.last, elements.closes(new, top) { pop(&sink) }
    }

    /// Opens the `html`, `head` or `body` a start tag of `new` needs (`htmlCheckImplied`).
    private mutating func implied<Sink: HTMLEventSink>(_ new: Int32, _ sink: inout Sink) {
        let e = elements
        if new == e.html { return }
        if stack.isEmpty { push(e.html, &sink) }
        if new == e.body || new == e.head { return }
        if stack.count <= 1 && (new == e.script || new == e.style || new == e.meta || new == e.link || new == e.title || new == e.base) {
            if level >= 3 { return }
            push(e.head, &sink)
        } else if new != e.noframes && new != e.frame && new != e.frameset {
            if level >= 10 { return }
            if stack.contains(e.body) || stack.contains(e.head) { return }
            push(e.body, &sink)
        }
    }

    /// Opens a `p` before text directly in `html` or `head`, or outside every element
    /// (`htmlCheckParagraph`).
    private mutating func paragraph<Sink: HTMLEventSink>(_ sink: inout Sink) {
        if let top = stack.last, top != elements.html && top != elements.head { return }
        autoClose(elements.p, &sink)
        implied(elements.p, &sink)
        push(elements.p, &sink)
    }

    /// Reads a tag or attribute name into ``name``, lower case (`htmlParseHTMLName`): a letter,
    /// `_`, `:` or `.`, then letters, digits, `:`, `-`, `_` and `.`, at most ``nameLimit``.
    private mutating func readName() -> Bool {
        nameLength = 0
        let first = byte()
        guard HTMLEventParser.isNameStart(first) || first == 0x2E else { return false }
        let lowered = HTMLEventParser.nameBytes
        var k = 0
        while k < HTMLEventParser.nameLimit && at + k < end {
            let lower = lowered[Int(base[at + k])]
            if lower == 0 { break }
            name[k] = lower
            k += 1
        }
        at += k
        nameLength = k
        if k <= 16 {
            var words: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &words) { $0.baseAddress!.copyMemory(from: name, byteCount: k) }
            packed = (UInt64(littleEndian: words.0), UInt64(littleEndian: words.1))
        }
        return true
    }

    /// Each byte of a name, lower case; 0 for the others.
    nonisolated(unsafe) private static let nameBytes: UnsafePointer<UInt8> = HTMLElements.buffer((0..<256).map { (c: Int) -> UInt8 in
        let byte = UInt8(c)
        guard isNameByte(byte) else { return 0 }
        return byte &- 0x41 < 26 ? byte | 0x20 : byte
    })

    /// Letters, digits, `:`, `-`, `_` and `.`.
    @inline(__always) static func isNameByte(_ c: UInt8) -> Bool {
        isLetter(c) || isDigit(c) || c == 0x3A || c == 0x2D || c == 0x5F || c == 0x2E
    }

    /// What an ASCII name starts with (`htmlParseName`): a letter, `_` or `:`.
    @inline(__always) private static func isNameStart(_ c: UInt8) -> Bool {
        isLetter(c) || c == 0x5F || c == 0x3A
    }

    /// The id of the start tag's name as libxml2 reads it ahead, without consuming it: no `.`
    /// in it (`htmlParseHTMLName_nonInvasive`); `nil` for a name no start tag closes with.
    private func lookAheadName() -> Int32? {
        var (low, high): (UInt64, UInt64) = (0, 0)
        var k = 0
        while k < 17 {
            let c = byte(1 + k)
            guard HTMLEventParser.isLetter(c) || HTMLEventParser.isDigit(c) || c == 0x3A || c == 0x2D || c == 0x5F else { break }
            let lower = UInt64(c &- 0x41 < 26 ? c | 0x20 : c)
            if k < 8 { low |= lower << (8 * UInt64(k)) } else if k < 16 { high |= lower << (8 * UInt64(k - 8)) }
            k += 1
        }
        guard k <= 16 else { return nil }
        return elements.id(low: low, high: high)
    }

    /// The id of ``name``; a name met for the first time gets one, `nil` if `intern` is false.
    private mutating func nameID(intern: Bool) -> Int32? {
        if nameLength <= 16, let id = elements.id(low: packed.0, high: packed.1) { return id }
        let bytes = Array(UnsafeBufferPointer(start: name, count: nameLength))
        if let id = extraIDs[bytes] { return id }
        guard intern else { return nil }
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: nameLength + 1)
        storage.initialize(from: bytes, count: nameLength)
        storage[nameLength] = 0
        let id = Int32(elements.count + extraNames.count)
        extraNames.append(storage)
        extraEmpty.append(htmlTagLookup(storage).map { $0.pointee.empty != 0 } ?? false)
        extraIDs[bytes] = id
        return id
    }

    /// A start tag and what follows it (`htmlParseElementInternal`, `htmlParseStartTag`).
    private mutating func element<Sink: HTMLEventSink>(_ sink: inout Sink) {
        at += 1
        guard readName() else {
            while at < end && base[at] != 0x3E { at += 1 }
            if byte() == 0x3E { at += 1 }
            return
        }
        let id = nameID(intern: true)!
        autoClose(id, &sink)
        implied(id, &sink)
        var ignored = false
        if !stack.isEmpty && id == elements.html { ignored = true; ignoredTags += 1 }
        if stack.count != 1 && id == elements.head { ignored = true; ignoredTags += 1 }
        if id == elements.body {
            for open in stack where open == elements.body { ignored = true; ignoredTags += 1 }
        }
        readAttributes()
        if !ignored { openWithAttributes(id, &sink) }
        // What follows applies to the innermost open element, even when the tag was ignored.
        guard !stack.isEmpty else {
            if byte() == 0x3E { at += 1 }
            return
        }
        if byte() == 0x2F && byte(1) == 0x3E {
            at += 2
            pop(&sink)
            return
        }
        guard byte() == 0x3E else {
            // The page ended inside the tag: libxml2 drops the element without reporting its end.
            stack.removeLast()
            if at >= end { closeAll(&sink) }
            return
        }
        at += 1
        if isEmptyElement(stack.last!) { pop(&sink) }
    }

    /// Reads the start tag's attributes into ``scratch`` (`htmlParseStartTag`): an attribute
    /// repeated is dropped; a bogus one is skipped to the next blank or the tag's end.
    private mutating func readAttributes() {
        scratch.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        skipBlanks()
        var count = 0
        while at < end && base[at] != 0x3E && !(base[at] == 0x2F && byte(1) == 0x3E) {
            count += 1
            if count > attributeLimit {
                // Its duplicate check would take quadratic time: the parse stops here.
                exceeded = true
                at = end
                return
            }
            if readName() {
                let nameStart = scratch.count
                scratch.append(contentsOf: UnsafeBufferPointer(start: name, count: nameLength))
                scratch.append(0)
                skipBlanks()
                var valueStart = -1
                if byte() == 0x3D {
                    at += 1
                    skipBlanks()
                    valueStart = scratch.count
                    attributeValue()
                    scratch.append(0)
                }
                if isRepeated(nameStart) {
                    scratch.removeSubrange(nameStart...)
                } else {
                    offsets.append(nameStart)
                    offsets.append(valueStart)
                }
            } else {
                while at < end && !HTMLEventParser.isBlank(base[at]) && base[at] != 0x3E && !(base[at] == 0x2F && byte(1) == 0x3E) { at += 1 }
            }
            skipBlanks()
        }
    }

    /// Whether the attribute name at `start` in ``scratch`` is one read before in the tag.
    private func isRepeated(_ start: Int) -> Bool {
        let length = nameLength
        var k = 0
        while k < offsets.count {
            let other = offsets[k]
            if scratch[other + length] == 0 && (0..<length).allSatisfy({ scratch[other + $0] == scratch[start + $0] }) { return true }
            k += 2
        }
        return false
    }

    /// An attribute's value, quoted or not, entities decoded (`htmlParseAttValue`).
    private mutating func attributeValue() {
        var stop: UInt8 = 0
        let quote = byte()
        if quote == 0x22 || quote == 0x27 {
            stop = quote
            at += 1
        }
        while at < end {
            // The run up to the value's end or an `&`, appended at once.
            let start = at
            if stop != 0 {
                while at < end && base[at] != stop && base[at] != 0x26 { at += 1 }
            } else {
                while at < end && base[at] != 0x3E && base[at] != 0x26 && !HTMLEventParser.isBlank(base[at]) { at += 1 }
            }
            if at > start { scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: at - start)) }
            guard at < end && base[at] == 0x26 else { break }
            if byte(1) == 0x23 {
                // A value of 0 is written too, and ends the value as C reads it.
                appendUTF8(characterReference(), to: &scratch)
                continue
            }
            at += 1
            if let (value, length) = namedEntity(at) {
                at += length + 1
                appendUTF8(value, to: &scratch)
            } else {
                scratch.append(0x26)
            }
        }
        if stop != 0 && byte() == stop { at += 1 }
    }

    private mutating func openWithAttributes<Sink: HTMLEventSink>(_ id: Int32, _ sink: inout Sink) {
        guard !offsets.isEmpty else {
            push(id, &sink)
            return
        }
        // Moved out while their addresses are lent: `push` mutates `self`.
        let bytes = scratch
        var list: [UnsafePointer<UInt8>?] = []
        swap(&list, &pointers)
        defer { swap(&list, &pointers) }
        bytes.withUnsafeBufferPointer { bytes in
            list.removeAll(keepingCapacity: true)
            for offset in offsets { list.append(offset < 0 ? nil : bytes.baseAddress! + offset) }
            list.append(nil)
            list.append(nil)
            list.withUnsafeMutableBufferPointer { push(id, &sink, attributes: $0.baseAddress) }
        }
    }

    /// An end tag (`htmlParseEndTag`); whether it closed the innermost element.
    private mutating func endTag<Sink: HTMLEventSink>(_ sink: inout Sink) -> Bool {
        at += 2
        guard readName() else { return false }
        skipBlanks()
        if byte() != 0x3E { while at < end && base[at] != 0x3E { at += 1 } }
        if byte() == 0x3E { at += 1 }
        let id = nameID(intern: false)
        if ignoredTags > 0 && (id == elements.html || id == elements.body || id == elements.head) {
            ignoredTags -= 1
            return false
        }
        guard let id, let found = stack.lastIndex(of: id) else { return false }
        // An end tag closes the elements above its own unless one has a higher priority.
        let own = priority(id)
        if !stack[(found + 1)...].contains(where: { priority($0) > own }) {
            while stack.last != id { pop(&sink) }
        }
        guard stack.last == id else { return false }
        pop(&sink)
        return true
    }

    // MARK: Text

    @inline(__always) private mutating func emit<Sink: HTMLEventSink>(_ literal: StaticString, _ sink: inout Sink) {
        sink.text(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// A run of text up to the next tag or entity (`htmlParseCharData`): control characters
    /// and U+FFFE, U+FFFF are dropped; blanks alone, before a tag or the end, directly in
    /// `html` or `head` (or outside every element), are passed on without implying a `p`.
    private mutating func characters<Sink: HTMLEventSink>(_ sink: inout Sink) {
        let start = at
        var dropped = false
        let table = stops
        while at < end {
            let c = base[at]
            if table[Int(c)] == 0 {
                at += 1
                continue
            }
            if c == 0x3C { break }
            if c == 0x26 {
                if at > start && isReference(at) { break }
                at += 1
            } else {
                let bad = droppedLength(at)
                dropped = dropped || bad > 0
                at += max(bad, 1)
            }
        }
        guard dropped else {
            textRun(UnsafeBufferPointer(start: base + start, count: at - start), &sink)
            return
        }
        var kept: [UInt8] = []
        kept.reserveCapacity(at - start)
        var k = start
        while k < at {
            let bad = droppedLength(k)
            if bad == 0 { kept.append(base[k]) }
            k += max(bad, 1)
        }
        guard !kept.isEmpty else { return }
        kept.withUnsafeBufferPointer { textRun($0, &sink) }
    }

    /// Hands a run of text on, after the `p` it implies unless it is ignorable blanks.
    private mutating func textRun<Sink: HTMLEventSink>(_ text: UnsafeBufferPointer<UInt8>, _ sink: inout Sink) {
        if !isBlankAtTop(text) { paragraph(&sink) }
        sink.text(text)
    }

    /// How many bytes at `offset` libxml2 drops from text: a control character (1) or U+FFFE,
    /// U+FFFF (3); 0 for any other.
    @inline(__always) private func droppedLength(_ offset: Int) -> Int {
        let c = base[offset]
        if c < 0x20 { return HTMLEventParser.isBlank(c) ? 0 : 1 }
        guard c == 0xEF, offset + 2 < end, base[offset + 1] == 0xBF, base[offset + 2] == 0xBE || base[offset + 2] == 0xBF else { return 0 }
        return 3
    }

    /// Whether libxml2 takes the run for ignorable blanks (`areBlanks`, with no tree built).
    private func isBlankAtTop(_ run: UnsafeBufferPointer<UInt8>) -> Bool {
        if let top = stack.last, top != elements.html && top != elements.head { return false }
        guard run.count < HTMLEventParser.textPiece, at >= end || base[at] == 0x3C else { return false }
        return run.allSatisfy(HTMLEventParser.isBlank)
    }

    /// Bytes that end or interrupt a run of text: `<`, `&`, control characters, and the lead
    /// byte of U+FFFE and U+FFFF (a buffer, like ``HTMLElements``' tables).
    nonisolated(unsafe) private static let stops: UnsafePointer<UInt8> = HTMLElements.buffer((0..<256).map { c in
        if c == 0x3C || c == 0x26 || c == 0xEF { return 1 }
        return c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D ? 1 : 0
    })

    /// Whether the `&` at `offset` starts what libxml2 decodes: a character reference (even
    /// a bad one, which it drops) or a known entity name and `;`. Any other `&` is text.
    private mutating func isReference(_ offset: Int) -> Bool {
        let next = offset + 1 < end ? base[offset + 1] : 0
        return next == 0x23 || namedEntity(offset + 1) != nil
    }

    /// A character or entity reference in text (`htmlParseReference`).
    private mutating func reference<Sink: HTMLEventSink>(_ sink: inout Sink) {
        let value: UInt32
        if byte(1) == 0x23 {
            value = characterReference()
            guard value != 0 else { return }
        } else {
            let (found, length) = namedEntity(at + 1)!
            at += length + 2
            value = found
        }
        var bytes: [UInt8] = []
        appendUTF8(value, to: &bytes)
        paragraph(&sink)
        bytes.withUnsafeBufferPointer { sink.text($0) }
    }

    /// Reads `&#…;` or `&#x…;` (`htmlParseCharRef`): the code point, or 0 for one that is no
    /// XML character (the reference is then dropped).
    private mutating func characterReference() -> UInt32 {
        var value: UInt32 = 0
        let hex = byte(2) == 0x78 || byte(2) == 0x58
        at += hex ? 3 : 2
        while at < end && base[at] != 0x3B {
            let c = base[at]
            let digit: UInt32
            if HTMLEventParser.isDigit(c) {
                digit = UInt32(c - 0x30)
            } else if hex && (c | 0x20) &- 0x61 < 6 {
                digit = UInt32((c | 0x20) - 0x61 + 10)
            } else {
                break
            }
            if value < 0x110000 { value = value * (hex ? 16 : 10) + digit }
            at += 1
        }
        if byte() == 0x3B { at += 1 }
        return HTMLEventParser.isXMLCharacter(value) ? value : 0
    }

    private static func isXMLCharacter(_ c: UInt32) -> Bool {
        c == 0x09 || c == 0x0A || c == 0x0D || (0x20...0xD7FF).contains(c) || (0xE000...0xFFFD).contains(c) || (0x10000...0x10FFFF).contains(c)
    }

    /// The code point and name length of the entity named at `offset` and closed by `;`, as
    /// libxml2 reads it (`htmlParseEntityRef`: an ASCII name, looked up with case).
    private mutating func namedEntity(_ offset: Int) -> (UInt32, Int)? {
        var k = offset
        guard k < end else { return nil }
        guard HTMLEventParser.isNameStart(base[k]) else { return nil }
        var packed: UInt64 = 0
        while k < end && HTMLEventParser.isNameByte(base[k]) {
            if k - offset < 8 { packed |= UInt64(base[k]) << (8 * UInt64(k - offset)) }
            k += 1
        }
        let length = k - offset
        guard k < end, base[k] == 0x3B, length <= 8 else { return nil }
        if let known = entities[packed] { return known == 0 ? nil : (known, length) }
        var bytes = [UInt8](UnsafeBufferPointer(start: base + offset, count: length))
        bytes.append(0)
        let value = htmlEntityLookup(bytes).map { UInt32($0.pointee.value) } ?? 0
        entities[packed] = value
        return value == 0 ? nil : (value, length)
    }

    /// Appends the code point `value`: an XML character (a checked reference, or an entity of
    /// libxml2's table), so a Unicode scalar.
    private func appendUTF8(_ value: UInt32, to bytes: inout [UInt8]) {
        UTF8.encode(Unicode.Scalar(value)!) { bytes.append($0) }
    }

    /// The text of a `script` or `style` element up to its end tag (`htmlParseScript`): only
    /// `</` and the element's own name ends it; control characters are dropped.
    private mutating func rawText<Sink: HTMLEventSink>(_ sink: inout Sink) {
        guard let top = stack.last else { at = end; return }
        let own = cName(top)
        let ownLength = strlen(own)
        var start = at
        while at < end {
            let c = base[at]
            if c == 0x3C && byte(1) == 0x2F && endsRawText(own, ownLength) { break }
            let bad = droppedLength(at)
            if bad > 0 {
                if at > start { sink.text(UnsafeBufferPointer(start: base + start, count: at - start)) }
                at += bad
                start = at
                continue
            }
            at += 1
        }
        if at > start { sink.text(UnsafeBufferPointer(start: base + start, count: at - start)) }
    }

    /// Whether `</` at `at` is followed by the name `own` (any case).
    private func endsRawText(_ own: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        for k in 0..<length where byte(2 + k) | 0x20 != own[k] { return false }
        return true
    }

    // MARK: Markup that reports nothing

    /// `<!--…-->` (`htmlParseComment`), also ended by `--!>`; an unfinished comment runs to
    /// the end.
    private mutating func comment() {
        guard byte() == 0x3C && byte(1) == 0x21 && byte(2) == 0x2D && byte(3) == 0x2D else { return }
        at += 4
        let text = at
        while at < end {
            let dashes = at - 2 >= text && base[at - 1] == 0x2D && base[at - 2] == 0x2D
            if dashes && base[at] == 0x3E { at += 1; return }
            if dashes && base[at] == 0x21 && byte(1) == 0x3E { at += 2; return }
            at += 1
        }
    }

    /// `<?…>` (`htmlParsePI`): without a name after `<?` (an ASCII one that runs to the end of
    /// the page is none either, to libxml2), only those two are consumed.
    private mutating func processingInstruction() {
        guard byte() == 0x3C && byte(1) == 0x3F else { return }
        at += 2
        let first = byte()
        if first >= 0x80 {
            // A name may start with any letter of XML's tables.
            guard xmlIsLetter(Int32(bitPattern: scalar(at))) != 0 else { return }
        } else {
            guard HTMLEventParser.isNameStart(first) else { return }
            var k = at
            while k < end && HTMLEventParser.isNameByte(base[k]) { k += 1 }
            guard k < end else { return }
        }
        skipPast(0x3E)
    }

    /// The code point of the (valid UTF-8) character at `offset`.
    private func scalar(_ offset: Int) -> UInt32 {
        let lead = UInt32(base[offset])
        let count = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        var value = count == 1 ? lead : lead & (0x7F >> UInt32(count))
        for k in 1..<count { value = value << 6 | UInt32(base[offset + k] & 0x3F) }
        return value
    }

    /// `<!DOCTYPE …>` (`htmlParseDocTypeDecl`): a name, then a quoted public and system
    /// identifier after `PUBLIC` or `SYSTEM` (which may hold `>`), then anything to `>`.
    private mutating func doctype() {
        at += 9
        skipBlanks()
        if HTMLEventParser.isNameStart(byte()) {
            while at < end && HTMLEventParser.isNameByte(base[at]) { at += 1 }
        }
        skipBlanks()
        if startsWithUpper("SYSTEM", from: 0) {
            at += 6
            skipBlanks()
            systemLiteral()
        } else if startsWithUpper("PUBLIC", from: 0) {
            at += 6
            skipBlanks()
            let quote = byte()
            if quote == 0x22 || quote == 0x27 {
                at += 1
                while at < end && base[at] != quote && HTMLEventParser.isPublicIDCharacter(base[at]) { at += 1 }
                if byte() == quote { at += 1 }
            }
            skipBlanks()
            systemLiteral()
        }
        skipBlanks()
        skipPast(0x3E)
    }

    private mutating func systemLiteral() {
        let quote = byte()
        guard quote == 0x22 || quote == 0x27 else { return }
        at += 1
        while at < end && base[at] != quote { at += 1 }
        if at < end { at += 1 }
    }

    private static func isPublicIDCharacter(_ c: UInt8) -> Bool {
        if isLetter(c) || isDigit(c) { return true }
        return c == 0x20 || c == 0x0D || c == 0x0A || publicIDPunctuation.withUTF8Buffer { $0.contains(c) }
    }

    private static let publicIDPunctuation: StaticString = "-'()+,./:=?;!*#@$_%"
}
