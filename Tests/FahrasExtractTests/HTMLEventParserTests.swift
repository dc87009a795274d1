import Foundation
import Testing
@testable import FahrasExtract

/// The events of both parsers for `bytes` (valid UTF-8, no NUL).
private func bothParsers(_ bytes: [UInt8]) -> (native: [HTMLEventLog.Event], libxml2: [HTMLEventLog.Event]) {
    bytes.withUnsafeBufferPointer(HTMLEventLog.both)
}

@Suite("Extract: the HTML parser reports what libxml2 reports")
struct HTMLEventParserTests {
    func expectSame(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let (native, libxml2) = bothParsers(Array(html.utf8))
        #expect(native == libxml2, "\(html.debugDescription): \(HTMLEventLog.divergence(native, libxml2))", sourceLocation: sourceLocation)
    }

    /// Pages built to reach each rule: implied elements, start tags that close others, end
    /// tags out of place, raw text, entities, comments, bogus markup, blanks.
    static let cases: [String] = [
        "<p>one<p>two", "text before any tag", "  <b>bold</b> tail", "<html><head><title>T</title></head><body>x</body></html>",
        "<title>T</title><p>x", "<meta charset=utf-8><p>x", "<li>a<li>b</ul>", "<table><tr><td>a<td>b<tr><td>c</table>",
        "<div><p>a</div>b", "<p>a</div>b", "<div><span>a</p>b</span></div>", "<b><i>x</b>y</i>", "</p>x", "<br/>x<br>y",
        "<div/>x", "<body><body class=x>y", "<html><html lang=ar>x", "<head><head>x", "<p>x</body>y</html>z",
        "<script>if (a < b && c) { x = '</div>'; }</script>after", "<style>p{}</style><p>x", "<script>a</SCRIPT>b",
        "<script></script>x", "<script>no end", "<SCRIPT>a</scriptx>b</script>c",
        "a &amp; b &lt; c &gt; &quot; &nbsp; &copy &foo; &#8217; &#x2019; &#0; &#xFFFFFF; &#abc; & ; &;",
        "<p title='a &amp; b' data-x=\"&#39;q&#39;\" plain=un&amp;quoted empty= bare>x",
        "<a href=x href=y>dup</a>", "<a b c=d e>x", "<a / b>x", "<a href=\"x\"/>y", "<img src=x alt=y>z",
        "<!-- c -->x<!---->y<!-->z<!--->w<!-- a --!> v", "<!-- never closed", "<!doctype html><p>x", "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\" \"http://x\"><p>y",
        "<!bogus>x<![CDATA[y]]>z", "<?xml version='1.0'?><p>x", "<? x>y", "x&abc\u{1A5}def y", "x&abc:0\u{1A5}def y", "x&abc\u{1A5} y", "x&\u{1A5}bc y", "x&a\u{E9};y", "x&e8:000\u{1A5}bbb y",
        "<p title='x&abc\u{1A5}def y'>z", "<?fon", "<p>x<?pi", "<?pi ", "<?pi x", "a<?\u{BD}2g", "<??<?\u{739}", "<?\u{E9}t\u{E9} x>y", "<?pi\u{E9}", "<?pi\u{E9}>x",
        "<?pi a\u{1}b>c", "<!-- a\u{1}b -->c", "<!-- a\u{FFFE}b -->c", "<?pi a\u{FFFE}b>c", "<!DOCTYPE html\u{1}>x", "a < b > c", "a <3 b", "x </ p> y", "x </> y",
        "<_x>a</_x>", "<:x>a", "<p.x>a<p>b", "<custom-element a=1>x</custom-element>", "<svg><path d='M0'/></svg>x",
        "<ul><li>a<ul><li>b</ul><li>c</ul>", "<dl><dt>a<dd>b<dt>c</dl>", "<select><option>a<option>b</select>",
        "<h1>T<p>x</h1>", "<form><form>x</form>", "<a>1<a>2</a>", "<table><td>x</table>", "<center><p>x</center>",
        "<head><p>x", "<html> \n <head> \n <title>t</title> \n </head> \n <body> x </body> \n </html> \n ",
        "<html>   <p>x", "<html>\n&amp;\n<p>", "x\u{1}y\u{1F}z\u{FFFE}w", "<p>x\u{0C}y", "<p>\u{1}</p>",
        "<noscript><p>x</noscript>", "<frameset><frame src=x></frameset>", "<iframe>x</iframe>y", "<textarea><p>x</textarea>",
        "<p a='1' A='2'>x", "<P CLASS=Up>x</P>", "<pre>\n a\n</pre>", "<div>\(String(repeating: " ", count: 1200))<p>x",
        "<html>\(String(repeating: " ", count: 1200))<p>x", "<html>\(String(repeating: "\n", count: 999))<p>x",
        "<p>x</body>\(String(repeating: "\n", count: 999))<head>", "<html>\(String(repeating: "\n", count: 1000))<p>x", "<p>x</body>\(String(repeating: "\n", count: 10))<head>",
        "<p>x</body>\(String(repeating: "\n", count: 10))<b>", "<p>x</body>   <b>", "<p>x</body></html>  <b>", "<p>x</body>  ",
        "<table><tr><td><div>x</td></tr></table>y", "<div><table><tr><td>x</div>y", "<tbody><tr><td>x", "<caption>x<col>",
        "<a href=x\n>y</a >z</a\n>", "<p>\(String(repeating: "a", count: 3000))</p>", "<\(String(repeating: "x", count: 120))>y",
        "<a \(String(repeating: "b", count: 120))=c>d", "&\(String(repeating: "a", count: 20));x", "&Eacute;&eacute;&EACUTE;",
        "<title>a<b>c</b></title>", "<head><script>x</script><body>y", "<link rel=x><body>y", "<base href=x><p>y",
        "<object><param name=x></object>y", "<p>x<table>y", "<ol><li>a<p>b<li>c", "<select><optgroup><option>x</optgroup></select>",
        "<p>a\r\nb\rc</p>\r\n", "<p title='a\r\nb'>x", "&#x;&#;&#x41&#65x&#1114112;&#xD800;&#9;", "<script>a</script >b",
        "<style>a</style\n>b", "<a href='x>y'>z</a>", "<a href=\"x\ty\">z", "<div\tclass=x\n>y", "<p>&AMP;&Amp;&amp</p>",
        "<h2>Title&para;</h2>", "<p>\u{2028}x\u{00A0}y\u{FEFF}z</p>", "<p>عربي &nbsp; نص</p>", "<body><p>x</p></body><p>after",
        "<html><body>x</body></html><p>after</p>", "</html>x", "<head></head>x<head>y", "<div>a</div></div>b", "<ul><li>a</li></li>b</ul>",
        "<tr><td>x", "<td>x<td>y", "<th>a<td>b", "<thead><tr><th>h<tbody><tr><td>d", "<dd>a<dt>b", "<li>a<dd>b",
        "<p><h3>x</h3>", "<font><td>x", "<a><table>x", "<form><p>x</form>y", "<label>a<p>b</label>", "<option>a<p>b",
        "<noscript><style>x</style></noscript>y", "<script>document.write('<script>x</script>')</script>after",
        "line\r\nline", "a\rb\r\n\r\nc", "<script>\u{1}x</script>", "<title>a &amp; b</title>", "<meta content=\"a\" name=b/>x", "<input value=\"a\"/>b",
    ]

    @Test(arguments: HTMLEventParserTests.cases)
    func sameEventsAsLibXML2(_ html: String) {
        expectSame(html)
    }

    /// Every pair of names the parser knows, one inside the other: what closes what, and
    /// which elements are empty, are the library's.
    @Test func everyPairOfElements() {
        let names = HTMLElements.names
        var failures: [String] = []
        for outer in names {
            for inner in names {
                let html = "<\(outer)>a<\(inner)>b</\(outer)>c"
                let (native, libxml2) = bothParsers(Array(html.utf8))
                if native != libxml2 { failures.append("\(html): \(HTMLEventLog.divergence(native, libxml2))") }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) pairs differ, first: \(failures.prefix(3))")
    }

    /// A start tag past the attribute limit stops the parse (the extractor then parses the
    /// page with the extra attributes cut, ``AttributeBudget``); one at the limit does not.
    @Test func attributeLimit() {
        for (count, within) in [(3, true), (4, false)] {
            let page = Array("<p \((0..<count).map { "a\($0)=x" }.joined(separator: " "))>text</p>".utf8)
            var recorder = HTMLEventLog()
            let finished = page.withUnsafeBufferPointer { HTMLEventParser.parse($0, into: &recorder, attributeLimit: 3) }
            #expect(finished == within)
            #expect(recorder.events.contains(.text(Array("text".utf8))) == within)
        }
    }

    /// The pages the comparison leaves out: a name of more than 100 bytes after `&` or `<?`
    /// with a non-ASCII letter in it (libxml2 may lose part of it); not a shorter one, an
    /// ASCII one, or one after anything else.
    @Test func longNonASCIINamesAreLeftOut() {
        let long = String(repeating: "N", count: 100)
        let cases: [(String, Bool)] = [
            ("x&\(long)\u{1A5}bb", true), ("<?\(long)\u{192}{", true), ("x&e\u{1A5}bb \(long)", false),
            ("x&\(long)bb", false), ("x\(long)\u{1A5}bb", false), ("x&\(long.prefix(90))\u{1A5}", false),
        ]
        for (text, flagged) in cases {
            #expect(Array(text.utf8).withUnsafeBufferPointer(HTMLEventLog.hasLongNonASCIIName) == flagged, "\(text.prefix(20))")
        }
    }

    /// The names libxml2's tables know come first in ``HTMLElements/names``: no later name is
    /// empty (that none closes or is closed by a start tag, ``everyPairOfElements`` shows).
    @Test func laterNamesAreUnknownToLibXML2() {
        let elements = HTMLElements.shared
        for k in elements.closingCount..<elements.count {
            #expect(!elements.isEmpty[k], "\(HTMLElements.names[k])")
        }
    }

    /// Pages made at random from pieces of markup (tags of every kind, attributes, entities,
    /// comments, doctype, stray `<` and `&`, control and non-ASCII characters), with a fixed
    /// seed: 4,000 of them.
    @Test func randomPages() {
        let names = ["p", "div", "li", "ul", "td", "tr", "table", "a", "b", "head", "body", "html", "title", "script",
                     "style", "br", "img", "h1", "dt", "dd", "option", "form", "span", "article", "x-y", "p.q", "TD",
                     "HEAD", "frameset", "noframes", "meta", "link", "col", "caption", "tbody", "th", "xmp", "select",
                     "an-element-name-longer-than-sixteen", "pre", "center", "font"]
        let attributes = ["data-a='1'", "b=c", "e", "f=\"&#65;&bogus;\"", "/", "g = 'h>i'", "j=k&amp;l"]
        let texts = ["text", " ", "\n", "  \n\t", "word word", "عربي", "ü", "😀", "\u{1}", "\u{FFFE}", "\r\n",
                     String(repeating: " ", count: 1_100), String(repeating: "\n", count: 999)]
        let references = ["&amp;", "&nbsp;", "&#8217;", "&#x41;", "&#0;", "&copy", "&zz;", "& ", "&", "&#", "&#x;"]
        let others = ["<!-- c -->", "<!--", "-->", "<!DOCTYPE html>", "<!x>", "<?pi x?>", "<? >", "< ", "</ >", "<3", "</>", ">"]
        var random = SplitMix(seed: 20_261_206)
        var failures: [String] = []
        for _ in 0..<(Int(ProcessInfo.processInfo.environment["FAHRAS_RANDOM_PAGES"] ?? "") ?? 4_000) {
            var page = ""
            for _ in 0..<(1 + random.below(30)) {
                let name = names[random.below(names.count)]
                switch random.below(7) {
                case 0: page += "<\(name)>"
                case 1: page += "</\(name)>"
                case 2: page += "<\(name) class=\"c &amp; d\" id=x hidden \(attributes[random.below(attributes.count)])>"
                case 3: page += "<\(name)/>"
                case 4: page += texts[random.below(texts.count)]
                case 5: page += references[random.below(references.count)]
                default: page += others[random.below(others.count)]
                }
            }
            let (native, libxml2) = bothParsers(Array(page.utf8))
            if native != libxml2 {
                failures.append("\(HTMLEventLog.divergence(native, libxml2)) in \(page.debugDescription)")
                if failures.count == 1, let path = ProcessInfo.processInfo.environment["FAHRAS_RANDOM_FAILURE"] {
                    FileManager.default.createFile(atPath: path, contents: Data(page.utf8))
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) pages differ, first: \(failures.prefix(3).map { $0.prefix(600) })")
    }

    /// A small seeded generator (SplitMix64), so that the random pages are the same every run.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func below(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// The fuzzing corpus of the extractor (what fuzzing found hard), each input that is valid
    /// UTF-8 without NUL.
    @Test func fuzzCorpus() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FahrasFuzzTests/Corpus/extract.b64")
        var compared = 0
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            guard let data = Data(base64Encoded: String(line)), !data.isEmpty, !data.contains(0),
                  String(data: data, encoding: .utf8) != nil else { continue }
            let (native, libxml2) = bothParsers(Array(data))
            #expect(native == libxml2, "\(line): \(HTMLEventLog.divergence(native, libxml2))")
            compared += 1
        }
        #expect(compared > 50)
    }

    /// Every `.html` file under the folder `FAHRAS_PARSER_CORPUS` names, when set (for corpora
    /// too large for the suite: the kernel docs, the real-data pages).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FAHRAS_PARSER_CORPUS"] != nil, "FAHRAS_PARSER_CORPUS names no folder"))
    func corpusFromEnvironment() throws {
        let folder = try #require(ProcessInfo.processInfo.environment["FAHRAS_PARSER_CORPUS"])
        let files = FileManager.default.enumerator(atPath: folder)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".html") || $0.hasSuffix(".htm") }
        var compared = 0, differing: [String] = []
        for file in files.sorted() {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(file))
            guard !data.contains(0), String(data: data, encoding: .utf8) != nil else { continue }
            var bytes = Array(data)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            let (native, libxml2) = bothParsers(bytes)
            compared += 1
            if native != libxml2 { differing.append("\(file): \(HTMLEventLog.divergence(native, libxml2))") }
        }
        print("compared \(compared) pages, \(differing.count) differ")
        for line in differing.prefix(20) { print(line) }
        #expect(differing.isEmpty)
    }
}
