internal import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The element names ``HTMLEventParser`` knows, with what libxml2's HTML parser makes of each:
/// whether it is empty (`<br>`: closed as soon as opened), its end-tag priority, and which
/// start tags close it (`<p>` closes an open `<p>`, `<li>` an open `<li>`).
///
/// Emptiness and closing are asked of the installed libxml2 itself (`htmlTagLookup`,
/// `htmlAutoCloseTag`), so that the two parsers agree wherever the library's tables change.
/// An element that closes itself is the one case that function cannot answer (it returns
/// "no" for equal names); ``selfClosing`` lists them and a test checks the list against the
/// library's parse.
struct HTMLElements: @unchecked Sendable {
    static let shared = HTMLElements()

    /// Every element of libxml2's element table and of its table of start tags that close
    /// other elements, then common names of HTML5 and SVG (which libxml2 does not know, so
    /// that they need no lookup of their own).
    static let names: [String] = [
        // libxml2's HTML 4 element table.
        "a", "abbr", "acronym", "address", "applet", "area", "b", "base", "basefont", "bdo", "big",
        "blockquote", "body", "br", "button", "caption", "center", "cite", "code", "col", "colgroup",
        "dd", "del", "dfn", "dir", "div", "dl", "dt", "em", "embed", "fieldset", "font", "form",
        "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "html", "i", "iframe",
        "img", "input", "ins", "isindex", "kbd", "label", "legend", "li", "link", "map", "menu",
        "meta", "noframes", "noscript", "object", "ol", "optgroup", "option", "p", "param", "pre",
        "q", "s", "samp", "script", "select", "small", "span", "strike", "strong", "style", "sub",
        "sup", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "title", "tr", "tt", "u",
        "ul", "var",
        // Only in its table of start tags that close others.
        "listing", "xmp",
        // HTML5 and SVG.
        "article", "aside", "audio", "bdi", "canvas", "data", "datalist", "details", "dialog",
        "figcaption", "figure", "footer", "header", "main", "mark", "meter", "nav", "output",
        "picture", "progress", "rp", "rt", "ruby", "section", "source", "summary", "svg", "template",
        "time", "track", "video", "wbr", "path", "g", "rect", "circle", "use", "symbol", "defs",
        "polygon", "line", "image", "noindex",
    ]

    /// The elements a start tag of the same name closes, in libxml2 2.9's table.
    static let selfClosing: Set<String> = ["a", "col", "colgroup", "form", "li", "option", "p", "tbody", "td", "th", "tr"]

    /// libxml2's end-tag priorities (`htmlEndPriority`, not public): an end tag closes the
    /// elements above its own only when none has a higher priority; 100 for the others.
    static let endPriorities: [String: Int] = [
        "div": 150, "td": 160, "th": 160, "tr": 170, "thead": 180, "tbody": 180, "tfoot": 180,
        "table": 190, "head": 200, "body": 200, "html": 220,
    ]
    static let defaultPriority = 100

    // The tables are buffers allocated once for the process and never freed: the parsers
    // of several threads read them, and a Swift array read from two threads had its reference
    // count bounced between their caches at every copy.

    /// Lower-case NUL-terminated names, by id.
    let cNames: UnsafePointer<UnsafePointer<UInt8>>
    let isEmpty: UnsafePointer<Bool>
    let priority: UnsafePointer<Int>
    /// Whether a start tag of the first id closes an open element of the second, for the ids
    /// below ``closingCount`` (the others neither close nor are closed by a start tag).
    private let closes: UnsafePointer<Bool>
    /// Whether any start tag closes the id (below ``closingCount``).
    private let closable: UnsafePointer<Bool>
    let closingCount: Int
    let count: Int
    private let table: NameTable

    /// Ids of the names the parser treats apart.
    let html: Int32, head: Int32, body: Int32, p: Int32, script: Int32, style: Int32
    let meta: Int32, link: Int32, title: Int32, base: Int32, noframes: Int32, frame: Int32, frameset: Int32

    private init() {
        let names = HTMLElements.names
        count = names.count
        let cNames = names.map { name in
            let bytes = Array(name.utf8) + [0]
            let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
            storage.initialize(from: bytes, count: bytes.count)
            return UnsafePointer(storage)
        }
        self.cNames = HTMLElements.buffer(cNames)
        isEmpty = HTMLElements.buffer(cNames.map { name in htmlTagLookup(name).map { $0.pointee.empty != 0 } ?? false })
        priority = HTMLElements.buffer(names.map { HTMLElements.endPriorities[$0] ?? HTMLElements.defaultPriority })
        table = NameTable(names.map { Array($0.utf8) })
        // The names of libxml2's closing table come first in `names`: every HTML 4 name, and
        // listing and xmp. A test checks that no later name closes or is closed.
        let closing = names.firstIndex(of: "article")!
        closingCount = closing
        var closes = [Bool](repeating: false, count: closing * closing)
        var node = xmlNode()
        for new in 0..<closing {
            node.name = cNames[new]
            for old in 0..<closing where old != new {
                closes[new * closing + old] = htmlAutoCloseTag(nil, cNames[old], &node) != 0
            }
            closes[new * closing + new] = HTMLElements.selfClosing.contains(names[new])
        }
        self.closes = HTMLElements.buffer(closes)
        closable = HTMLElements.buffer((0..<closing).map { old in (0..<closing).contains { closes[$0 * closing + old] } })
        func id(_ name: String) -> Int32 { Int32(names.firstIndex(of: name)!) }
        (html, head, body, p, script, style) = (id("html"), id("head"), id("body"), id("p"), id("script"), id("style"))
        (meta, link, title, base) = (id("meta"), id("link"), id("title"), id("base"))
        (noframes, frame, frameset) = (id("noframes"), id("frame"), id("frameset"))
    }

    /// A copy of `values` in memory that is never freed.
    static func buffer<T>(_ values: [T]) -> UnsafePointer<T> {
        let storage = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
        storage.initialize(from: values, count: values.count)
        return UnsafePointer(storage)
    }

    /// Whether some start tag closes an open `old`.
    @inline(__always)
    func isClosable(_ old: Int32) -> Bool {
        Int(old) < closingCount && closable[Int(old)]
    }

    /// Whether a start tag of `new` closes an open `old`.
    @inline(__always)
    func closes(_ new: Int32, _ old: Int32) -> Bool {
        let (n, o) = (Int(new), Int(old))
        guard n < closingCount && o < closingCount else { return false }
        return closes[n &* closingCount &+ o]
    }

    /// The id of a lower-case name of up to 16 bytes packed in two words (``NameTable/pack``).
    @inline(__always)
    func id(low: UInt64, high: UInt64) -> Int32? { table.id(low: low, high: high) }

    /// An open-addressing table of the names packed in two words: a multiply and a shift find
    /// the slot (names are at most 16 bytes; a longer one is never known).
    private struct NameTable {
        private static let size = 1024
        private let lows: UnsafePointer<UInt64>
        private let highs: UnsafePointer<UInt64>
        private let ids: UnsafePointer<Int32>

        init(_ names: [[UInt8]]) {
            precondition(names.count < NameTable.size / 2, "the table stays at most half full")
            var lows = [UInt64](repeating: 0, count: NameTable.size)
            var highs = [UInt64](repeating: 0, count: NameTable.size)
            var ids = [Int32](repeating: -1, count: NameTable.size)
            for (id, name) in names.enumerated() {
                let (low, high) = NameTable.pack(name)
                var slot = NameTable.slot(low, high)
                while ids[slot] >= 0 { slot = (slot + 1) & (NameTable.size - 1) }
                (lows[slot], highs[slot], ids[slot]) = (low, high, Int32(id))
            }
            (self.lows, self.highs, self.ids) = (HTMLElements.buffer(lows), HTMLElements.buffer(highs), HTMLElements.buffer(ids))
        }

        static func pack(_ name: [UInt8]) -> (UInt64, UInt64) {
            var (low, high): (UInt64, UInt64) = (0, 0)
            for (k, byte) in name.enumerated() {
                if k < 8 { low |= UInt64(byte) << (8 * UInt64(k)) } else { high |= UInt64(byte) << (8 * UInt64(k - 8)) }
            }
            return (low, high)
        }

        @inline(__always)
        private static func slot(_ low: UInt64, _ high: UInt64) -> Int {
            Int(truncatingIfNeeded: ((low &* 0x9E37_79B9_7F4A_7C15) ^ (high &* 0xC2B2_AE3D_27D4_EB4F)) >> 54)
        }

        @inline(__always)
        func id(low: UInt64, high: UInt64) -> Int32? {
            var slot = NameTable.slot(low, high)
            while true {
                let id = ids[slot]
                if id < 0 { return nil }
                if lows[slot] == low && highs[slot] == high { return id }
                slot = (slot + 1) & (NameTable.size - 1)
            }
        }
    }
}
