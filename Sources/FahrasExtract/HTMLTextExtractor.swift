internal import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns bytes into raw blocks and a title.
///
/// Every source, HTML or text, is parsed as HTML: tags, entities (`&amp;`, `&#8217;`,
/// `&nbsp;`), comments and stray markup in scraped text come out as clean text. Element
/// content that is never article text (scripts, styles, navigation, footers, forms…) is
/// skipped with its whole subtree.
///
/// Pages of valid UTF-8 (nearly all) are read by ``HTMLEventParser``, which reports the
/// events libxml2's HTML parser would, several times faster; a page in another encoding
/// (declared by a `<meta charset>`) goes through libxml2 itself, in recover mode with network
/// access off. Both report to the same collector, which builds the blocks a walk of the tree
/// would give.
///
/// This is the only type that touches libxml2's parser; no libxml2 pointer leaves it.
struct HTMLTextExtractor: Sendable {
    /// What the parse found: the `<title>` (or first `<h1>`) and the blocks in order.
    struct Output {
        var title: String?
        var blocks: [RawBlock]
        /// The text of the first `<h1>` outside skipped subtrees: the headline, when the page
        /// has one in its article.
        var heading: String?
        /// What the page says about itself, when asked for (``extract(_:encoding:format:metadata:)``).
        var signals: PageSignals?
        /// Where the blocks stand: containers, chrome sections, groups.
        var structure = BoilerplateFilter.PageStructure()
    }

    /// Which parser reads a page.
    enum Parser {
        /// ``HTMLEventParser`` for valid UTF-8, libxml2 for other encodings.
        case standard
        /// libxml2 for every page (the tests compare both).
        case libxml2
    }

    /// Parses `bytes` (already checked: not empty, no NUL) and collects its text.
    ///
    /// - Parameters:
    ///   - encoding: `"UTF-8"` for bytes checked to be valid UTF-8, or `nil` to let a
    ///     `<meta charset>` declaration decide (libxml2 reads those pages).
    ///   - format: `.text` makes blank lines separate blocks and newlines separate lines.
    /// - Parameter metadata: also collect the page's ``PageSignals`` (meta tags, JSON-LD…).
    /// - Parameter alwaysParse: parse plain text too (the tests compare both ways).
    func extract(_ bytes: UnsafeBufferPointer<UInt8>, encoding: String?, format: SourceFormat,
                 metadata: Bool = false, alwaysParse: Bool = false, parser: Parser = .standard) throws(ExtractError) -> Output {
        // Without a limit the parse always runs to the end.
        try extract(bytes, encoding: encoding, format: format, metadata: metadata, alwaysParse: alwaysParse, parser: parser,
                    attributeLimit: .max)!
    }

    /// ``extract(_:encoding:format:metadata:alwaysParse:parser:)``, `nil` if a start tag has
    /// more than `attributeLimit` attributes: ``HTMLEventParser`` checks as it reads tags and
    /// stops there (libxml2 reads every attribute).
    func extract(_ bytes: UnsafeBufferPointer<UInt8>, encoding: String?, format: SourceFormat, metadata: Bool = false,
                 alwaysParse: Bool = false, parser: Parser = .standard, attributeLimit: Int) throws(ExtractError) -> Output? {
        guard bytes.count > 0 else { throw .empty }
        if format == .text && !alwaysParse && !HTMLTextExtractor.hasMarkup(bytes) {
            return TextCollector.plainText(bytes, metadata: metadata)
        }
        var collector = TextCollector(format: format, signals: metadata ? PageSignals() : nil)
        if encoding == "UTF-8" && parser == .standard {
            collector.started = true
            guard HTMLEventParser.parse(bytes, into: &collector, attributeLimit: attributeLimit) else { return nil }
        } else {
            collector.started = try HTMLTextExtractor.parseWithLibXML2(bytes, encoding: encoding, into: &collector)
        }
        guard collector.started else { throw .unparsable }
        return collector.finish()
    }

    /// Runs libxml2's HTML parser over `bytes` in SAX mode (it builds no tree, which halves its
    /// time and allocations) and reports its events to `sink`; whether the parser started the
    /// document (it always does, unless out of memory).
    static func parseWithLibXML2<Sink: HTMLEventSink>(_ bytes: UnsafeBufferPointer<UInt8>, encoding: String?,
                                                     into sink: inout Sink) throws(ExtractError) -> Bool {
        HTMLTextExtractor.initializeOnce
        guard let base = bytes.baseAddress, bytes.count > 0 else { throw .empty }
        guard let context = htmlNewParserCtxt() else { throw .unparsable }
        defer { htmlFreeParserCtxt(context) }
        HTMLTextExtractor.install(in: context)
        let box = SinkBox(sink)
        context.pointee._private = Unmanaged.passUnretained(box).toOpaque()
        let options = fahras_html_options()
        base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { chars in
            // The document pointer is always nil: the handlers build no tree.
            if let encoding {
                _ = encoding.withCString { htmlCtxtReadMemory(context, chars, Int32(bytes.count), nil, $0, options) }
            } else {
                _ = htmlCtxtReadMemory(context, chars, Int32(bytes.count), nil, nil, options)
            }
        }
        withExtendedLifetime(box) { sink = box.sink as! Sink }
        return box.started
    }

    /// The sink a parse reports to, reached from the parser context's `_private` pointer.
    private final class SinkBox {
        var sink: any HTMLEventSink
        var started = false
        init(_ sink: any HTMLEventSink) { self.sink = sink }

        static func of(_ context: UnsafeMutableRawPointer?) -> SinkBox {
            let parser = context!.assumingMemoryBound(to: xmlParserCtxt.self)
            return Unmanaged<SinkBox>.fromOpaque(parser.pointee._private).takeUnretainedValue()
        }
    }

    /// Whether a parser could make anything of `bytes` that plain text is not: a tag or an
    /// entity (a carriage return stays as it is: the tests read text with them both ways).
    /// Text without them is read without a parser.
    static func hasMarkup(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return memchr(base, 0x3C, bytes.count) != nil || memchr(base, 0x26, bytes.count) != nil
    }

    /// libxml2 asks for `xmlInitParser()` once before parsing from several threads.
    private static let initializeOnce: Void = { xmlInitParser() }()

    /// Replaces the context's tree-building handlers with the sink's. Error and warning
    /// handlers stay unset: recover mode reports nothing.
    private static func install(in context: htmlParserCtxtPtr) {
        guard let handler = context.pointee.sax else { return }
        memset(handler, 0, MemoryLayout<xmlSAXHandler>.size)
        handler.pointee.startDocument = { context in
            SinkBox.of(context).started = true
        }
        handler.pointee.startElement = { context, name, attributes in
            guard let name else { return }
            SinkBox.of(context).sink.open(name, attributes: attributes)
        }
        handler.pointee.endElement = { context, _ in
            SinkBox.of(context).sink.close()
        }
        handler.pointee.characters = { context, text, length in
            guard let text, length > 0 else { return }
            SinkBox.of(context).sink.text(UnsafeBufferPointer(start: text, count: Int(length)))
        }
        // Script and style content; outside the skipped elements only under <title> or <h1>.
        handler.pointee.cdataBlock = handler.pointee.characters
    }
}

/// The state of one parse: builds blocks from the parser's events as a depth-first walk of
/// the tree would.
///
/// - An element in ``ElementKind/skipped`` (or with a chrome ARIA role) hides its subtree.
/// - `<head>` is skipped, but its first `<title>` child is the document's title; a `<title>`
///   elsewhere outside skipped subtrees counts too, while none has been found.
/// - The text of the first `<h1>` outside skipped subtrees is the fallback title.
/// - Both titles take all text below their element, white space collapsed.
private struct TextCollector: HTMLEventSink {
    fileprivate var builder = BlockBuilder()
    private let format: SourceFormat
    /// The open elements, innermost last, with what closing each must undo.
    private var frames: [Frame] = []
    /// The depth (index in `frames`) of the element whose subtree is being skipped.
    private var skippedFrom: Int?
    /// The depth of the open `<head>` whose first `<title>` child is still to come, when no
    /// title was found before it.
    private var headAwaitingTitle: Int?
    private var linkDepth = 0
    private var preDepth = 0
    /// The containers and groups opened so far, and the headline's section (the sections are
    /// the builder's, which settles whether each is a chapter).
    private var structure = BoilerplateFilter.PageStructure()
    private var title: String?
    private var firstHeading: String?
    /// Text of the title or heading being read, until its element closes.
    private var titleText: BlockBuilder?
    private var headingText: BlockBuilder?
    /// Whether the parser started the document (it always does, unless out of memory).
    var started = false
    /// The page's metadata, when collected.
    private var signals: PageSignals?
    /// The text of the JSON-LD script being read, and its depth.
    private var jsonLD: [UInt8]?
    private var jsonLDDepth = -1
    /// The text of an element marked as a date line, while it is open.
    private var dateLine: [UInt8]?
    private var dateLineDepth = -1
    /// How many of the date lines kept came after the headline (they lead the list), and
    /// whether an `<h1>` has opened (skipped or not: an article's `<header>` holds its headline).
    private var datesAfterHeadline = 0
    private var sawHeadline = false
    /// Elements opened since the headline: a date line is looked for only near it.
    private var elementsAfterHeadline = 0
    static let dateLineReach = 400
    /// Date lines kept at most, and their longest text in bytes.
    static let dateLinesKept = 8
    static let dateLineLimit = 200

    init(format: SourceFormat, signals: PageSignals? = nil) {
        self.format = format
        self.signals = signals
    }

    /// Reads the metadata an element carries in its attributes (`<html lang>`, `<meta>`,
    /// `<link rel=canonical>`, `<time datetime>`, `<script type=application/ld+json>`).
    private mutating func collectSignals(_ name: UnsafePointer<UInt8>, attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
                                         depth: Int) {
        // Keys are static C strings: a Swift String key was bridged to a new C string at
        // every comparison.
        func attribute(_ key: StaticString) -> String? {
            guard let attributes else { return nil }
            let cKey = UnsafeRawPointer(key.utf8Start).assumingMemoryBound(to: CChar.self)
            var i = 0
            while let name = attributes[i] {
                if strcasecmp(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self), cKey) == 0 {
                    return attributes[i + 1].map { String(cString: $0) }
                }
                i += 2
            }
            return nil
        }
        // Element names compared in place, without a String for every element.
        func named(_ literal: StaticString) -> Bool { TextCollector.equalsIgnoringCase(name, literal) }
        if named("html") {
            if signals?.language == nil { signals?.language = attribute("lang") ?? attribute("xml:lang") }
        } else if named("meta") {
            guard let content = attribute("content") else { return }
            for key: StaticString in ["property", "name", "itemprop", "http-equiv"] {
                if let value = attribute(key) { signals?.metas.append((value.lowercased(), content)) }
            }
        } else if named("link") {
            if attribute("rel")?.lowercased() == "canonical", let href = attribute("href") { signals?.canonical = href }
        } else if named("time") {
            if let value = attribute("datetime"), (signals?.times.count ?? 0) < 8 { signals?.times.append(value) }
        } else if named("script") {
            if attribute("type")?.lowercased().hasPrefix("application/ld+json") == true {
                jsonLD = []
                jsonLDDepth = depth
            }
        } else if let attributes, elementsAfterHeadline < TextCollector.dateLineReach {
            let (datePublished, dateMarked) = TextCollector.dateAttributes(attributes)
            if datePublished, let value = attribute("datetime") ?? attribute("content") {
                signals?.metas.append(("datepublished", value))
            }
            // A marked element inside another takes over: the inner one is the more precise.
            if dateMarked && (signals?.dateLines.count ?? 0) < TextCollector.dateLinesKept {
                dateLine = []
                dateLineDepth = depth
            }
        }
    }

    /// What the parser's events for a text without markup come to: the elements it implies
    /// around the text (`html`, `body`, `p`), the text, and their ends.
    static func plainText(_ bytes: UnsafeBufferPointer<UInt8>, metadata: Bool) -> HTMLTextExtractor.Output {
        var collector = TextCollector(format: .text, signals: metadata ? PageSignals() : nil)
        collector.started = true
        collector.builder.reserve(bytes.count)
        let implied: [StaticString] = ["html", "body", "p"]
        for name in implied { collector.open(UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: UInt8.self), attributes: nil) }
        collector.text(bytes)
        for _ in implied { collector.close() }
        return collector.finish()
    }

    private struct Frame {
        var kind: ElementKind
        /// Whether this element reads the title, or the first heading.
        var readsTitle = false
        var readsHeading = false
        /// The container and section the text was in before this element opened one.
        var outerRegion: (container: Int, section: Int)?
        /// The role of the text before this block element opened.
        var outerRole: RawBlock.Role?
        /// The group the text was in before this group element opened.
        var outerGroup: Int?
    }

    mutating func open(_ name: UnsafePointer<UInt8>, attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        let depth = frames.count
        if signals != nil { collectSignals(name, attributes: attributes, depth: depth) }
        var kind = ElementKind(name)
        // ASP.NET pages wrap the whole body in one form: only a form inside the page is chrome.
        if kind == .form { kind = frames.last?.kind == .body ? .block : .skipped }
        if kind == .heading { sawHeadline = true }
        if sawHeadline { elementsAfterHeadline += 1 }
        var frame = Frame(kind: kind)
        defer { frames.append(frame) }
        if skippedFrom != nil {
            if kind == .title, let head = headAwaitingTitle, head == depth - 1 {
                headAwaitingTitle = nil
                frame.readsTitle = true
                titleText = BlockBuilder()
            }
            return
        }
        switch kind {
        case .title:
            // Never article text; the document's title while none has been found.
            skippedFrom = depth
            if title == nil && titleText == nil {
                frame.readsTitle = true
                titleText = BlockBuilder()
            }
            return
        case .head:
            skippedFrom = depth
            if title == nil && titleText == nil { headAwaitingTitle = depth }
            return
        case .skipped:
            skippedFrom = depth
            return
        default:
            break
        }
        let read = attributes.map(TextCollector.readAttributes) ?? Attributes()
        if read.hidden {
            skippedFrom = depth
            return
        }
        let named = kind == .block ? TextCollector.blockName(of: name) : .other
        enterRegion(named, attributes: read, frame: &frame)
        switch kind {
        case .lineBreak:
            builder.breakLine()
            skippedFrom = depth
            return
        case .heading:
            if firstHeading == nil && headingText == nil {
                frame.readsHeading = true
                headingText = BlockBuilder()
                structure.headlineSection = builder.section
            }
            builder.breakBlock()
        case .block, .body:
            builder.breakBlock()
            switch named {
            case .text(let role):
                frame.outerRole = builder.role
                builder.role = role
            case .group(let isArticle, _):
                frame.outerGroup = builder.group
                structure.groups.append(BoilerplateFilter.Group(parent: builder.group, isArticleElement: isArticle))
                builder.group = structure.groups.count
            case .other:
                break
            }
        case .link:
            linkDepth += 1
        case .preformatted:
            preDepth += 1
            builder.breakBlock()
        default:
            break
        }
    }

    mutating func close() {
        guard let frame = frames.popLast() else { return }
        let depth = frames.count
        if depth == dateLineDepth, let text = dateLine {
            let line = String(decoding: text, as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !line.isEmpty {
                if sawHeadline {
                    signals?.dateLines.insert(line, at: datesAfterHeadline)
                    datesAfterHeadline += 1
                } else {
                    signals?.dateLines.append(line)
                }
            }
            dateLine = nil
            dateLineDepth = -1
        }
        if depth == jsonLDDepth, let text = jsonLD {
            signals?.jsonLD.append(String(decoding: text, as: UTF8.self))
            jsonLD = nil
            jsonLDDepth = -1
        }
        if frame.readsTitle, var text = titleText {
            title = text.finish().first?.joined ?? ""
            titleText = nil
        }
        if frame.readsHeading, var text = headingText {
            firstHeading = text.finish().first?.joined ?? ""
            headingText = nil
        }
        if headAwaitingTitle == depth { headAwaitingTitle = nil }
        if let skipped = skippedFrom {
            if skipped == depth { skippedFrom = nil }
            return
        }
        switch frame.kind {
        case .link: linkDepth -= 1
        case .preformatted: preDepth -= 1; builder.breakBlock()
        case .block, .body, .heading: builder.breakBlock()
        default: break
        }
        if let role = frame.outerRole { builder.role = role }
        if let group = frame.outerGroup { builder.group = group }
        if let outer = frame.outerRegion {
            builder.breakBlock()
            (builder.container, builder.section) = outer
        }
    }

    /// Enters the article container or chrome section the element opens, if any: `<article>`,
    /// `<main>`, `itemprop="articleBody"`, `role="main"` and the body classes of
    /// ``ChromeSections`` are containers; its chrome classes and ids open a section.
    private mutating func enterRegion(_ named: BlockName, attributes: Attributes, frame: inout Frame) {
        var isArticle = false, isMain = false
        if case .group(let article, let main) = named { (isArticle, isMain) = (article, main) }
        let container = attributes.container || isArticle || isMain
        let (section, anchor) = (attributes.section, attributes.anchor)
        guard container || section != nil else { return }
        builder.breakBlock()
        frame.outerRegion = (builder.container, builder.section)
        if let section {
            var opened = BoilerplateFilter.Section(reason: section, parent: builder.section)
            opened.anchor = anchor
            builder.sections.append(opened)
            builder.section = builder.sections.count
        }
        // (After the section: an element that is both holds the article in its section.)
        if container {
            structure.containers.append(BoilerplateFilter.Container(parent: builder.container, isArticleElement: isArticle,
                                                                    section: builder.section))
            builder.container = structure.containers.count
        }
    }

    /// What a block element's name makes of it beyond breaking blocks.
    enum BlockName {
        /// A list item (`li`, `dd`, `dt`), a quotation, a subheading (`h2`…`h6`), a caption.
        case text(RawBlock.Role)
        /// An element that groups blocks (`div`, `section`, `ul`, `ol`, `td`, `table`,
        /// `article`, `main`, `center`): the units a page's regions are made of.
        case group(isArticle: Bool, isMain: Bool)
        case other
    }

    /// What a block element's name makes of it, each name told by its first byte.
    private static func blockName(of name: UnsafePointer<UInt8>) -> BlockName {
        let group = BlockName.group(isArticle: false, isMain: false)
        switch name[0] | 0x20 {
        case UInt8(ascii: "l"): return equalsIgnoringCase(name, "li") ? .text(.listItem) : .other
        case UInt8(ascii: "d"):
            if equalsIgnoringCase(name, "div") { return group }
            return equalsIgnoringCase(name, "dd") || equalsIgnoringCase(name, "dt") ? .text(.listItem) : .other
        case UInt8(ascii: "b"): return equalsIgnoringCase(name, "blockquote") ? .text(.quote) : .other
        case UInt8(ascii: "h"): return name[1] &- 0x32 < 5 && name[2] == 0 ? .text(.heading) : .other  // h2…h6
        case UInt8(ascii: "f"): return equalsIgnoringCase(name, "figcaption") ? .text(.caption) : .other
        case UInt8(ascii: "s"): return equalsIgnoringCase(name, "section") ? group : .other
        case UInt8(ascii: "u"): return equalsIgnoringCase(name, "ul") ? group : .other
        case UInt8(ascii: "o"): return equalsIgnoringCase(name, "ol") ? group : .other
        case UInt8(ascii: "t"): return equalsIgnoringCase(name, "td") || equalsIgnoringCase(name, "table") ? group : .other
        case UInt8(ascii: "a"): return equalsIgnoringCase(name, "article") ? .group(isArticle: true, isMain: false) : .other
        case UInt8(ascii: "m"): return equalsIgnoringCase(name, "main") ? .group(isArticle: false, isMain: true) : .other
        case UInt8(ascii: "c"): return equalsIgnoringCase(name, "center") ? group : .other
        default: return .other
        }
    }

    /// What an element's attributes say of its text.
    struct Attributes {
        /// Readers cannot see it (`hidden`, an inline `display: none`), or its `role` names a
        /// landmark of site chrome: its subtree is skipped.
        var hidden = false
        /// `itemprop="articleBody"`, `role="main"` or a class the list names (`entry-content`):
        /// an article container.
        var container = false
        /// The chrome section its `class` or `id` names, and the id when the id named it.
        var section: BoilerplateFilter.Reason?
        var anchor: [UInt8]?
    }

    /// Reads the attributes (name, value pairs, then a null) in one pass, each name told by
    /// its first byte before it is compared (every element with attributes comes here).
    private static func readAttributes(_ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>) -> Attributes {
        var read = Attributes()
        var i = 0
        while let name = attributes[i] {
            let value = attributes[i + 1]
            i += 2
            switch name[0] | 0x20 {
            case UInt8(ascii: "c"):
                guard let value, equalsIgnoringCase(name, "class") else { continue }
                switch ChromeSections.standard.kind(ofClass: value) {
                case .chrome(let reason): if read.section == nil { read.section = reason }
                case .article: read.container = true
                case nil: break
                }
            case UInt8(ascii: "i"):
                guard let value else { continue }
                if name[1] | 0x20 == UInt8(ascii: "d") && name[2] == 0 {
                    switch ChromeSections.standard.kind(ofID: value) {
                    case .chrome(let reason) where read.section == nil:
                        read.section = reason
                        read.anchor = Array(UnsafeBufferPointer(start: value, count: strlen(value)))
                    case .article: read.container = true
                    default: break
                    }
                } else if equalsIgnoringCase(name, "itemprop") {
                    read.container = read.container || equalsIgnoringCase(value, "articlebody")
                }
            case UInt8(ascii: "r"):
                guard let value, equalsIgnoringCase(name, "role") else { continue }
                read.container = read.container || equalsIgnoringCase(value, "main")
                let role = String(cString: value).lowercased()
                if role.split(separator: " ").contains(where: { ElementKind.skippedRoles.contains(String($0)) }) { read.hidden = true }
            case UInt8(ascii: "s"):
                if let value, equalsIgnoringCase(name, "style"), hidesDisplay(value) { read.hidden = true }
            case UInt8(ascii: "h"):
                if equalsIgnoringCase(name, "hidden") { read.hidden = true }
            default:
                continue
            }
        }
        return read
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        // Text outside every element has no place in the tree either.
        guard !frames.isEmpty else { return }
        jsonLD?.append(contentsOf: bytes)
        if dateLine != nil {
            dateLine!.append(contentsOf: bytes)
            // A long text is no date line (a whole article marked `status-publish`): it is let
            // go, so that a date line inside it can be caught.
            if dateLine!.count > TextCollector.dateLineLimit {
                dateLine = nil
                dateLineDepth = -1
            }
        }
        titleText?.append(bytes, blankLinesSplit: false, inLink: false)
        headingText?.append(bytes, blankLinesSplit: false, inLink: false)
        if skippedFrom == nil {
            builder.append(bytes, blankLinesSplit: format == .text || preDepth > 0, inLink: linkDepth > 0)
        }
    }

    mutating func finish() -> HTMLTextExtractor.Output {
        let blocks = builder.finish()
        let chosenTitle = [title, firstHeading].compactMap { $0 }.first { !$0.isEmpty }
        signals?.title = title
        signals?.heading = firstHeading
        var structure = self.structure
        structure.sections = builder.sections
        return HTMLTextExtractor.Output(title: chosenTitle, blocks: blocks, heading: firstHeading, signals: signals,
                                        structure: structure)
    }

    /// Words of a `class` or `id` that mark an element holding the article's date.
    private static let dateHints: [[UInt8]] = ["date", "time", "publish", "posted", "byline"].map { Array($0.utf8) }

    /// Whether the C string `text` is `literal` (lower-case ASCII letters), without case.
    private static func equalsIgnoringCase(_ text: UnsafePointer<UInt8>, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { bytes in
            for (k, byte) in bytes.enumerated() where text[k] | 0x20 != byte { return false }
            return text[bytes.count] == 0
        }
    }

    /// In one pass over an element's attributes (every element with attributes comes here):
    /// whether `itemprop` is `datePublished`, and whether a `class` or `id` names a date
    /// (``dateHints``, compared without case, a hint tried only where its first letter is).
    private static func dateAttributes(_ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>) -> (published: Bool, marked: Bool) {
        var published = false
        var marked = false
        var i = 0
        while let name = attributes[i] {
            let value = attributes[i + 1]
            i += 2
            guard let value else { continue }
            // `itemprop`, `class` or `id`, without case, compared in place.
            let c0 = name[0] | 0x20
            if c0 == 0x69 && name[1] | 0x20 == 0x74 && TextCollector.equalsIgnoringCase(name, "itemprop") {
                published = published || TextCollector.equalsIgnoringCase(value, "datepublished")
                continue
            }
            let isClass = c0 == 0x63 && name[1] | 0x20 == 0x6C && name[2] | 0x20 == 0x61 && name[3] | 0x20 == 0x73
                && name[4] | 0x20 == 0x73 && name[5] == 0
            let isID = c0 == 0x69 && name[1] | 0x20 == 0x64 && name[2] == 0
            guard (isClass || isID) && !marked else { continue }
            var k = 0
            while value[k] != 0 && !marked {
                let first = value[k] | 0x20
                if first == 0x64 || first == 0x74 || first == 0x70 || first == 0x62 {
                    for hint in dateHints where hint[0] == first {
                        var j = 1
                        while j < hint.count && value[k + j] != 0 && value[k + j] | 0x20 == hint[j] { j += 1 }
                        if j == hint.count { marked = true }
                    }
                }
                k += 1
            }
        }
        return (published, marked)
    }

    /// Whether an inline style sets `display: none` (white space and case aside).
    private static func hidesDisplay(_ style: UnsafePointer<UInt8>) -> Bool {
        var compact: [UInt8] = []
        var k = 0
        while style[k] != 0 {
            let byte = style[k]
            if byte != 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { compact.append(byte &- 0x41 < 26 ? byte | 0x20 : byte) }
            k += 1
        }
        let pattern = Array("display:none".utf8)
        guard compact.count >= pattern.count else { return false }
        for start in 0...(compact.count - pattern.count) where compact[start] == pattern[0] {
            if Array(compact[start..<(start + pattern.count)]) == pattern
                && (start == 0 || compact[start - 1] == UInt8(ascii: ";") || compact[start - 1] == UInt8(ascii: "{")) { return true }
        }
        return false
    }
}

/// What an element's name means for text extraction.
private enum ElementKind: UInt8 {
    /// Neither a block nor skipped: its text runs on (`<b>`, `<span>`…).
    case inline
    /// Starts and ends a block (a paragraph of the extracted text).
    case block
    /// Hides its whole subtree: never article text.
    case skipped
    case title, head, lineBreak, heading, link, preformatted
    /// `<body>`, a block; `<form>`, skipped unless it is the body's child.
    case body, form

    /// Elements whose whole subtree is never article text.
    static let skippedNames = [
        "script", "style", "noscript", "template", "nav", "footer", "aside",
        "header", "menu", "iframe", "svg", "object", "embed", "select", "button", "canvas",
        "audio", "video", "map",
    ]

    /// ARIA roles of landmarks that hold site chrome, skipped like `<nav>`.
    static let skippedRoles: Set<String> = [
        "navigation", "search", "contentinfo", "banner", "complementary", "menu", "menubar",
    ]

    /// Elements that start and end a block, besides `<h1>` and `<pre>`.
    static let blockNames = [
        "address", "article", "blockquote", "caption", "center", "dd", "details", "dialog",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h2", "h3", "h4",
        "h5", "h6", "hr", "html", "legend", "li", "main", "ol", "p", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    ]

    /// Every name with a kind other than ``inline``, by its bytes packed in a word (names of
    /// up to 8 bytes) — libxml2 gives element names in lower case.
    private static let byShortName: ShortNameTable = {
        var table: [UInt64: ElementKind] = ["title": .title, "head": .head, "br": .lineBreak, "h1": .heading,
                                            "a": .link, "pre": .preformatted, "body": .body, "form": .form].reduce(into: [:]) { $0[packed($1.key)!] = $1.value }
        for name in skippedNames { if let key = packed(name) { table[key] = .skipped } }
        for name in blockNames { if let key = packed(name) { table[key] = .block } }
        return ShortNameTable(table)
    }()

    /// A fixed open-addressing table of packed names: a multiply and a shift find the slot
    /// (a Dictionary hashed every element name with SipHash, 1 % of a build).
    private struct ShortNameTable {
        private var keys = [UInt64](repeating: 0, count: 256)
        private var kinds = [ElementKind](repeating: .inline, count: 256)

        init(_ entries: [UInt64: ElementKind]) {
            precondition(entries.count < 128, "the table stays at most half full")
            for (key, kind) in entries {
                var slot = ShortNameTable.slot(of: key)
                while keys[slot] != 0 { slot = (slot + 1) & 255 }
                keys[slot] = key
                kinds[slot] = kind
            }
        }

        private static func slot(of key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 56) }

        /// The kind of the packed name `key` (not 0), `nil` if it has none.
        subscript(key: UInt64) -> ElementKind? {
            var slot = ShortNameTable.slot(of: key)
            while keys[slot] != 0 {
                if keys[slot] == key { return kinds[slot] }
                slot = (slot + 1) & 255
            }
            return nil
        }
    }

    /// Names longer than 8 bytes with a kind.
    private static let longNames: [(name: [UInt8], kind: ElementKind)] =
        (skippedNames.map { ($0, ElementKind.skipped) } + blockNames.map { ($0, .block) })
            .filter { $0.0.utf8.count > 8 }.map { (Array($0.0.utf8), $0.1) }

    private static func packed(_ name: String) -> UInt64? {
        let bytes = Array(name.utf8)
        guard bytes.count <= 8 else { return nil }
        return bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    init(_ name: UnsafePointer<UInt8>) {
        var key: UInt64 = 0
        var length = 0
        while length < 8, name[length] != 0 {
            key |= UInt64(name[length]) << (8 * UInt64(length))
            length += 1
        }
        if length < 8 || name[8] == 0 {
            self = ElementKind.byShortName[key] ?? .inline
            return
        }
        let full = strlen(name)
        for entry in ElementKind.longNames where entry.name.count == full {
            if entry.name.withUnsafeBufferPointer({ memcmp($0.baseAddress!, name, full) }) == 0 {
                self = entry.kind
                return
            }
        }
        self = .inline
    }
}
