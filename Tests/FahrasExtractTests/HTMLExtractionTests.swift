import Testing
@testable import FahrasExtract

@Suite("Extract: libxml2 HTML to clean text")
struct HTMLExtractionTests {
    let extractor = DocumentExtractor()

    func extract(_ html: String, _ format: SourceFormat = .html) throws -> ExtractedDocument {
        try extractor.extract(Array(html.utf8), format: format)
    }

    @Test func decodesEntitiesAndDropsTags() throws {
        let document = try extract("""
            <html><head><title>Clashes &amp; sieges</title></head><body>
            <p>Forces of the <b>Syrian&nbsp;Army</b> entered the town&#8217;s centre &mdash; officials said.</p>
            </body></html>
            """)
        #expect(document.title == "Clashes & sieges")
        #expect(document.blocks == ["Forces of the Syrian Army entered the town’s centre — officials said."])
    }

    /// A headline of five words is kept as text (searchable like the body); another short
    /// fragment of the same page is still chrome.
    @Test func aShortHeadlineIsKeptAndOtherShortFragmentsAreNot() throws {
        let document = try extract("""
            <html><head><title>SDF declares victory in Raqqa | Example News</title></head><body>
            <div>Latest news</div>
            <h1>SDF declares victory in Raqqa</h1>
            <p>Kurdish-led forces said on Tuesday they had captured the last district of the city held by the militants.</p>
            <div>Share this story</div>
            </body></html>
            """)
        #expect(document.blocks.first == "SDF declares victory in Raqqa")
        #expect(!document.blocks.contains("Latest news") && !document.blocks.contains("Share this story"))
    }

    @Test func recoversFromBrokenMarkup() throws {
        let document = try extract("""
            <div><p>The convoy reached <i>al-Tanf crossing on Tuesday, sources said.<p>A second convoy
            followed <span>two days later, the statement added.</div></body>
            """)
        #expect(document.blocks == [
            "The convoy reached al-Tanf crossing on Tuesday, sources said.",
            "A second convoy followed two days later, the statement added.",
        ])
    }

    @Test func skipsScriptsStylesAndSiteChromeElements() throws {
        let document = try extract("""
            <html><head><style>p { color: red }</style><script>var x = "<p>not text</p>";</script></head>
            <body><header><ul><li>Home</li><li>World</li></ul></header>
            <nav>Politics Economy Sport Culture Opinion Video</nav>
            <!-- a comment with words that must not be indexed -->
            <article><p>Troops advanced towards the eastern countryside of the province on Monday.</p></article>
            <aside>Most read articles of the week and other related news items here</aside>
            <form><label>Your name and your email address please</label></form>
            <noscript>Please enable JavaScript to view the comments powered by Disqus.</noscript>
            <div role="navigation">Next article and previous article links of the site</div>
            <footer>Copyright 2019 the news agency, all rights reserved worldwide.</footer></body></html>
            """)
        #expect(document.blocks == ["Troops advanced towards the eastern countryside of the province on Monday."])
    }

    @Test func titleFallsBackToFirstHeadingThenFirstBlock() throws {
        let heading = try extract("<h1>Army reaches the city</h1><p>The army reached the city on Friday, the agency said.</p>")
        #expect(heading.title == "Army reaches the city")
        let text = try extract("\n\nISIS in trouble as Syrian Army reaches southern Deir Ezzor countryside\n\nBody text of the article goes on here.", .text)
        #expect(text.title == "ISIS in trouble as Syrian Army reaches southern Deir Ezzor countryside")
    }

    @Test func textFilesSplitOnBlankLinesAndKeepStrayMarkupOut() throws {
        let document = try extract("""
            First paragraph of the report &amp; its <b>bold</b> claim, as sources said.

            Second paragraph
            continues on a second line, the agency reported.
            """, .text)
        #expect(document.blocks == [
            "First paragraph of the report & its bold claim, as sources said.",
            "Second paragraph continues on a second line, the agency reported.",
        ])
        #expect(document.text == document.blocks.joined(separator: "\n\n"))
    }

    @Test func collapsesUnicodeSpacesAndDropsZeroWidthCharacters() throws {
        let document = try extract("<p>Deir\u{00A0}\u{00A0}Ezzor\u{200B} and\u{2009}al-Mayadin\u{FEFF} were shelled overnight, residents said.</p>")
        #expect(document.blocks == ["Deir Ezzor and al-Mayadin were shelled overnight, residents said."])
    }

    @Test func lineBreaksKeepChromeLinesSeparate() throws {
        // A chrome line glued to a paragraph with <br> is removed alone.
        let document = try extract("<p>The statement was published on Friday by the ministry.<br>Leave a Reply</p>")
        #expect(document.blocks == ["The statement was published on Friday by the ministry."])
    }

    @Test func extractsOneLargeTextNodeWhole() throws {
        // 12 MB in one line: above libxml2's 10 MB text-node limit without XML_PARSE_HUGE.
        let sentence = "The convoy moved slowly along the desert road towards the border crossing. "
        let text = String(repeating: sentence, count: 12_000_000 / sentence.utf8.count + 1)
        let document = try extract(text, .text)
        #expect(document.blocks.count == 1)
        #expect(document.blocks[0].utf8.count == text.utf8.count - 1)  // the trailing space is trimmed
    }
    @Test func titleIsTheHeadsFirstTitleChild() throws {
        // The first <title> child of <head> wins, even over a later one; its markup is text.
        let document = try extract("""
            <html><head><meta charset="utf-8"><title>Siege of <b>Deir Ezzor</b> lifted</title><title>Second</title></head>
            <body><title>In the body</title><p>The siege of the city was lifted on Tuesday, the army said.</p></body></html>
            """)
        #expect(document.title == "Siege of Deir Ezzor lifted")
        #expect(document.blocks == ["The siege of the city was lifted on Tuesday, the army said."])
    }

    @Test func emptyTitleFallsBackToFirstHeadingOutsideChrome() throws {
        // An empty title is no title; an <h1> in skipped chrome is no heading; the first
        // heading takes all the text below it, skipped elements included, as its content.
        let document = try extract("""
            <html><head><title> </title></head><body>
            <nav><h1>Site name</h1></nav>
            <h1>Army <span>reaches</span> the city<script>1</script></h1><h1>Second heading</h1>
            <p>The army reached the city on Friday, the agency said in a statement.</p></body></html>
            """)
        #expect(document.title == "Army reaches the city1")
        // (Short heading blocks go as chrome.)
        #expect(document.blocks == ["The army reached the city on Friday, the agency said in a statement."])
    }

    @Test func longAndShortElementNamesKeepTheirRoles() throws {
        // Block elements with names longer than 8 bytes break blocks; ARIA roles listing
        // several values are read word by word; unknown elements run inline. (Captions are
        // kept here, as `--keep captions` asks.)
        var captions = extractor
        captions.boilerplate.keepsCaptions = true
        let document = try captions.extract(Array("""
            <p>First paragraph of the report, as the agency said on Monday.<blockquote>A quoted statement             from the ministry that was issued late on Sunday.</blockquote><figcaption>A caption under the             photograph of the <custom-element>damaged</custom-element> bridge at the river.</figcaption></p>
            <div role="main Navigation">Links to the other sections of the site are listed here.</div>
            """.utf8), format: .html)
        #expect(try extract("<p>A caption under the photograph of the bridge.</p><figure><figcaption>A caption under the photograph of the bridge at the river.</figcaption></figure>")
            .blocks == ["A caption under the photograph of the bridge."], "captions are dropped by default")
        #expect(document.blocks == [
            "First paragraph of the report, as the agency said on Monday.",
            "A quoted statement from the ministry that was issued late on Sunday.",
            "A caption under the photograph of the damaged bridge at the river.",
        ])
    }
}
