/// Class and id tokens of page sections that are never article text, and of the element that
/// holds the article's body, read from `Data/chrome-sections.txt`: a comment thread is chrome
/// however long its comments are; WordPress's `entry-content` holds the article.
/// Element ids are mostly anchors made from a heading (a chapter called "Comments"), so the
/// list names the ids it means apart from the classes.
struct ChromeSections: Sendable {
    /// The tokens for `class` and for `id` values, whole and as prefixes, filed by their
    /// first byte: most tokens of a page start with a letter none of them does.
    private struct Tokens: Sendable {
        var exact = [[(token: [UInt8], kind: Kind)]](repeating: [], count: 256)
        var prefixes = [[(token: [UInt8], kind: Kind)]](repeating: [], count: 256)
        /// Words matched as a part of a token between `-` and `_`, not its first (`*newsletter*`),
        /// whole or as prefixes: BEM names an element within its block (`article-body__newsletter-signup`).
        var segments: [(token: [UInt8], kind: Kind, prefix: Bool)] = []
        var isEmpty = true

        mutating func add(_ token: [UInt8], _ kind: Kind, prefix: Bool, segment: Bool) {
            guard let first = token.first else { return }
            if segment {
                segments.append((token, kind, prefix))
            } else if prefix {
                prefixes[Int(first)].append((token, kind))
            } else {
                exact[Int(first)].append((token, kind))
            }
            isEmpty = false
        }
    }

    /// What a listed token says of its element.
    enum Kind: Sendable, Equatable {
        /// A section of site chrome, dropped for this reason.
        case chrome(BoilerplateFilter.Reason)
        /// The element that holds the article's body: an article container.
        case article
    }
    private var classes = Tokens()
    private var ids = Tokens()

    static let standard: ChromeSections = {
        do {
            return try ChromeSections(list: String(decoding: PackageResources.chrome_sections_txt, as: UTF8.self))
        } catch {
            fatalError("the bundled Data/chrome-sections.txt is invalid: \(error)")  // a build defect
        }
    }()

    /// The kinds a list may name, and the reason each gives.
    static let kinds: [String: Kind] = [
        "comments": .chrome(.comments), "cookies": .chrome(.cookies), "newsletter": .chrome(.newsletter),
        "related": .chrome(.related), "share": .chrome(.share), "author-bio": .chrome(.authorBio),
        "sidebar": .chrome(.sidebar), "footer": .chrome(.footer), "promotion": .chrome(.promotion), "caption": .chrome(.caption),
        "article": .article,
    ]

    struct BadLine: Error, CustomStringConvertible {
        var line: Int
        var description: String {
            "chrome-sections.txt:\(line): expected 'kind<TAB>class or id<TAB>token', kind one of \(ChromeSections.kinds.keys.sorted())"
        }
    }

    init(list: String) throws(BadLine) {
        for (number, line) in list.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = ChromeSections.trimmed(line.prefix { $0 != "#" })
            if content.isEmpty { continue }
            let fields = content.split(separator: "\t").map { String(ChromeSections.trimmed($0)) }
            guard fields.count == 3, let kind = ChromeSections.kinds[fields[0]], ["class", "id"].contains(fields[1]),
                  !fields[2].isEmpty else {
                throw BadLine(line: number + 1)
            }
            var token = Array(fields[2].lowercased().utf8)
            let segment = token.first == UInt8(ascii: "*")
            if segment { token.removeFirst() }
            let prefix = token.last == UInt8(ascii: "*")
            let body = Array(prefix ? token.dropLast() : token[...])
            guard !body.isEmpty, !body.contains(UInt8(ascii: "*")) else { throw BadLine(line: number + 1) }
            if fields[1] == "class" {
                classes.add(body, kind, prefix: prefix, segment: segment)
            } else {
                ids.add(body, kind, prefix: prefix, segment: segment)
            }
        }
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let c = text.first, c == " " || c == "\t" || c == "\r" { text.removeFirst() }
        while let c = text.last, c == " " || c == "\t" || c == "\r" { text.removeLast() }
        return text
    }

    /// What a `class` value (a C string) says of its element, if one of its tokens is listed.
    func kind(ofClass value: UnsafePointer<UInt8>) -> Kind? { ChromeSections.kind(of: value, classes) }

    /// What an `id` value says of its element, if it is listed.
    func kind(ofID value: UnsafePointer<UInt8>) -> Kind? { ChromeSections.kind(of: value, ids) }

    private static func kind(of value: UnsafePointer<UInt8>, _ tokens: Tokens) -> Kind? {
        if tokens.isEmpty { return nil }
        var start = 0
        while true {
            while value[start] == 0x20 || value[start] == 0x09 || value[start] == 0x0A || value[start] == 0x0D { start += 1 }
            if value[start] == 0 { return nil }
            var end = start
            while value[end] != 0, value[end] != 0x20, value[end] != 0x09, value[end] != 0x0A, value[end] != 0x0D { end += 1 }
            let length = end - start
            let first = Int(value[start] &- 0x41 < 26 ? value[start] | 0x20 : value[start])
            for entry in tokens.exact[first] where entry.token.count == length && ChromeSections.matches(value + start, entry.token) {
                return entry.kind
            }
            for entry in tokens.prefixes[first] where entry.token.count <= length && ChromeSections.matches(value + start, entry.token) {
                return entry.kind
            }
            if !tokens.segments.isEmpty, let kind = segmentKind(value + start, length: length, tokens.segments) { return kind }
            start = end
        }
    }

    /// The kind of the first listed segment word among the parts of one token between `-`
    /// and `_`, after its first (the token's start is matched by the whole and prefix entries).
    private static func segmentKind(_ text: UnsafePointer<UInt8>, length: Int,
                                    _ segments: [(token: [UInt8], kind: Kind, prefix: Bool)]) -> Kind? {
        var k = 1
        while k < length {
            defer { k += 1 }
            guard text[k - 1] == UInt8(ascii: "-") || text[k - 1] == UInt8(ascii: "_"),
                  text[k] != UInt8(ascii: "-"), text[k] != UInt8(ascii: "_") else { continue }
            var end = k
            while end < length, text[end] != UInt8(ascii: "-"), text[end] != UInt8(ascii: "_") { end += 1 }
            for entry in segments where entry.prefix ? entry.token.count <= end - k : entry.token.count == end - k {
                if matches(text + k, entry.token) { return entry.kind }
            }
        }
        return nil
    }

    /// Whether `text` starts with `token` (lower case), without case.
    private static func matches(_ text: UnsafePointer<UInt8>, _ token: [UInt8]) -> Bool {
        for (k, byte) in token.enumerated() where text[k] &- 0x41 < 26 ? text[k] | 0x20 != byte : text[k] != byte { return false }
        return true
    }
}
