import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns bytes into raw blocks and a title with libxml2's HTML parser.
///
/// Every source, HTML or text, goes through `htmlReadMemory` in recover mode with network
/// access off: tags, entities (`&amp;`, `&#8217;`, `&nbsp;`), comments and stray markup in
/// scraped text come out as clean text. Element content that is never article text
/// (scripts, styles, navigation, footers, forms…) is skipped with its whole subtree.
///
/// This is the only type that touches libxml2; no libxml2 pointer leaves it.
struct HTMLTextExtractor: Sendable {
    /// Elements whose whole subtree is never article text.
    static let skippedElements: Set<String> = [
        "head", "script", "style", "noscript", "template", "nav", "footer", "aside", "form",
        "header", "menu", "iframe", "svg", "object", "embed", "select", "button", "canvas",
        "audio", "video", "map",
    ]

    /// ARIA roles of landmarks that hold site chrome, skipped like `<nav>`.
    static let skippedRoles: Set<String> = [
        "navigation", "search", "contentinfo", "banner", "complementary", "menu", "menubar",
    ]

    /// Elements that start and end a block (a paragraph of the extracted text).
    static let blockElements: Set<String> = [
        "address", "article", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "html", "legend", "li", "main", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    ]

    /// What the walk found: the `<title>` (or first `<h1>`) and the blocks in order.
    struct Output {
        var title: String?
        var blocks: [RawBlock]
    }

    /// Parses `bytes` (already checked: not empty, no NUL) and walks the tree.
    ///
    /// - Parameters:
    ///   - encoding: the encoding name passed to libxml2, or `nil` to let a `<meta charset>`
    ///     declaration decide.
    ///   - format: `.text` makes blank lines separate blocks and newlines separate lines.
    func extract(_ bytes: UnsafeBufferPointer<UInt8>, encoding: String?, format: SourceFormat) throws(ExtractError) -> Output {
        HTMLTextExtractor.initializeOnce
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw .empty }
        let options = fahras_html_options()
        let document: htmlDocPtr? = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
            if let encoding {
                return encoding.withCString { htmlReadMemory(chars, Int32(bytes.count), nil, $0, options) }
            }
            return htmlReadMemory(chars, Int32(bytes.count), nil, nil, options)
        }
        guard let document else { throw .unparsable }
        defer { xmlFreeDoc(document) }
        return walk(document, format: format)
    }

    /// libxml2 asks for `xmlInitParser()` once before parsing from several threads.
    private static let initializeOnce: Void = { xmlInitParser() }()

    private struct Frame {
        var node: xmlNodePtr
        var closing: Bool
        var isBlock: Bool
        var isLink: Bool
        var isPre: Bool
    }

    private func walk(_ document: htmlDocPtr, format: SourceFormat) -> Output {
        var builder = BlockBuilder()
        var title: String?
        var firstHeading: String?
        var linkDepth = 0
        var preDepth = 0
        // Iterative depth-first walk: scraped pages can nest thousands of levels deep.
        var stack: [Frame] = []
        // Children are pushed last first (from `last` back along `prev`), so that they pop
        // in document order.
        func pushChildren(last: xmlNodePtr?, into stack: inout [Frame]) {
            var cursor = last
            while let node = cursor {
                stack.append(Frame(node: node, closing: false, isBlock: false, isLink: false, isPre: false))
                cursor = node.pointee.prev
            }
        }
        pushChildren(last: document.pointee.last, into: &stack)
        while let frame = stack.popLast() {
            let node = frame.node
            if frame.closing {
                if frame.isLink { linkDepth -= 1 }
                if frame.isPre { preDepth -= 1 }
                if frame.isBlock { builder.breakBlock() }
                continue
            }
            switch node.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                guard let content = node.pointee.content else { continue }
                let length = strlen(content)
                builder.append(
                    UnsafeBufferPointer(start: content, count: length),
                    blankLinesSplit: format == .text || preDepth > 0,
                    inLink: linkDepth > 0)
            case XML_ELEMENT_NODE:
                let name = elementName(node)
                if name == "title" || name == "head" {
                    // <head> is skipped, but its <title> is the document's title.
                    if title == nil { title = name == "title" ? collapsedText(of: node) : titleInside(node) }
                    continue
                }
                if HTMLTextExtractor.skippedElements.contains(name) || hasSkippedRole(node) { continue }
                if name == "br" { builder.breakLine(); continue }
                if name == "h1" && firstHeading == nil { firstHeading = collapsedText(of: node) }
                let isBlock = HTMLTextExtractor.blockElements.contains(name)
                let isLink = name == "a"
                let isPre = name == "pre"
                if isBlock { builder.breakBlock() }
                if isLink { linkDepth += 1 }
                if isPre { preDepth += 1 }
                stack.append(Frame(node: node, closing: true, isBlock: isBlock, isLink: isLink, isPre: isPre))
                pushChildren(last: node.pointee.last, into: &stack)
            default:
                continue  // comments, processing instructions, DTD nodes
            }
        }
        let blocks = builder.finish()
        let chosenTitle = [title, firstHeading].compactMap { $0 }.first { !$0.isEmpty }
        return Output(title: chosenTitle, blocks: blocks)
    }

    private func elementName(_ node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name)
    }

    private func hasSkippedRole(_ node: xmlNodePtr) -> Bool {
        guard node.pointee.properties != nil, let value = xmlGetProp(node, "role") else { return false }
        defer { fahras_xml_free(value) }
        let role = String(cString: value).lowercased()
        return role.split(separator: " ").contains { HTMLTextExtractor.skippedRoles.contains(String($0)) }
    }

    /// The collapsed text of the first `<title>` child of `head`, if any.
    private func titleInside(_ head: xmlNodePtr) -> String? {
        var child = head.pointee.children
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE && elementName(node) == "title" { return collapsedText(of: node) }
            child = node.pointee.next
        }
        return nil
    }

    /// The text below `node`, white space collapsed (for `<title>` and `<h1>`).
    private func collapsedText(of node: xmlNodePtr) -> String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { fahras_xml_free(content) }
        var builder = BlockBuilder()
        builder.append(UnsafeBufferPointer(start: content, count: strlen(content)), blankLinesSplit: false, inLink: false)
        return builder.finish().first?.joined ?? ""
    }
}
