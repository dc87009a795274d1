import Testing
@testable import FahrasExtract

/// Pages written for these tests, one per kind of structure: what is kept, what is dropped, and why.
@Suite("Extract: the article's container and chrome sections")
struct PageStructureTests {
    let extractor = { var extractor = DocumentExtractor(); extractor.keepsDropped = true; return extractor }()

    let story = """
        <p>Government forces entered the eastern districts of the city on Tuesday after a week of heavy shelling, residents said.</p>
        <p>The advance came as aid agencies warned that thousands of families remained trapped without water or electricity.</p>
        <p>A spokesman for the opposition council said negotiations over a corridor for civilians had stalled overnight.</p>
        """

    func extract(_ body: String) throws -> ExtractedDocument {
        try extractor.extract(Array("<html><head><title>Page</title></head><body>\(body)</body></html>".utf8), format: .html)
    }

    func dropped(_ document: ExtractedDocument, _ reason: BoilerplateFilter.Reason) -> [String] {
        document.dropped.filter { $0.reason == reason }.map(\.text)
    }

    @Test func aCommentThreadIsDroppedHoweverLongItsComments() throws {
        let comment = "<p>I have followed this war for years and I must say the reporting here is far better than anything on television, thank you.</p>"
        let page = try extract("""
            <article><h1>Forces enter the eastern districts</h1>\(story)
            <div id="comments" class="comments-area"><h3>3 thoughts on this story</h3>
            <ol class="comment-list"><li>\(comment)</li><li>\(comment)</li></ol></div></article>
            <div id="disqus_thread">\(comment)</div>
            """)
        #expect(page.blocks.count == 4, "the headline and the three paragraphs")
        #expect(!page.blocks.contains { $0.contains("reporting here") })
        #expect(dropped(page, .comments).count == 4, "the thread's heading and both comments, and the Disqus one")
    }

    @Test func aDocumentSectionCalledCommentsIsText() throws {
        // Sphinx makes a chapter's id from its heading: that is no comment thread; an id that
        // is not its first block's anchor is one.
        let page = try extract("""
            <div role="main"><section id="comments"><h2>9.2.1. Comments¶</h2>
            <p>The config syntax accepts shell-script style comments, which run from a hash sign to the end of the line.</p></section>
            <section id="comments-1"><h3>Comments</h3><p>Comments in a key's value end it, as in the example of the next section.</p></section>
            <section id="related-devices"><span id="related"></span><h2>1.1.3. Related Devices¶</h2>
            <p>Devices can support several functions, for example video capturing and radio support.</p></section>
            <div id="commentsContainer"><p>Great article, I have been saying this for years and nobody would listen to me.</p></div></div>
            """)
        // (Each heading goes with the paragraph after it.)
        #expect(page.blocks.contains { $0.hasSuffix("\nThe config syntax accepts shell-script style comments, which run from a hash sign to the end of the line.") })
        #expect(page.blocks.contains { $0.contains("Comments in a key") })
        #expect(page.blocks.contains { $0.contains("Devices can support") }, "a label inside a chapter does not hide it")
        #expect(dropped(page, .comments) == ["Great article, I have been saying this for years and nobody would listen to me."])
        #expect(BlockBuilder.isAnchor(Array("comments".utf8), of: "3. Comments¶"))
        #expect(!BlockBuilder.isAnchor(Array("comments".utf8), of: "3 thoughts on “Forces enter the city”"))
    }

    @Test func textOutsideTheArticlesContainerIsDropped() throws {
        let teaser = "<p>Elsewhere, a court in the capital sentenced three men to prison for smuggling antiquities out of the country last year.</p>"
        let page = try extract("""
            <h1>Forces enter the eastern districts</h1>
            <main><article>\(story)</article><div class="more">\(teaser)</div></main>
            <div class="box">\(teaser)</div>
            """)
        #expect(page.blocks.first == "Forces enter the eastern districts", "the headline stays wherever it is")
        #expect(page.blocks.count == 4)
        #expect(dropped(page, .outsideArticle).count == 2, "the teaser in <main> and the one beside it")
    }

    @Test func aBodyClassOfTheListIsTheArticlesContainer() throws {
        // WordPress's entry-content, with no <article> around it.
        let teaser = "<p>Elsewhere, a court in the capital sentenced three men to prison for smuggling antiquities out of the country last year.</p>"
        let page = try extract("<div class=\"post\"><div class=\"entry-content clearfix\">\(story)</div></div><div class=\"box\">\(teaser)</div>")
        #expect(page.blocks.count == 3)
        #expect(dropped(page, .outsideArticle).count == 1)
    }

    /// Pages with no article container: the group that holds most paragraph text itself,
    /// widened to its parent while the parent holds half as much again, with its siblings of a
    /// fifth as much.
    @Test func withoutAContainerTheParagraphsFindTheArticle() throws {
        let teaser = "<p>Elsewhere, a court in the capital sentenced three men to prison for smuggling antiquities out of the country last year.</p>"
        let more = "<p>Aid agencies said the first convoy of the week would try to reach the eastern districts before the curfew on Wednesday.</p>"
        // A teaser beside the story goes; list items of teasers are no paragraphs, and go too.
        let items = "<ul>" + String(repeating: "<li>Officials in the province said on Monday that the new road to the border would open by the end of the year.</li>", count: 6) + "</ul>"
        let page = try extract("<div class=\"wrap\"><div class=\"story\">\(story)\(more)\(story)</div><div class=\"box\">\(teaser)</div>\(items)</div>")
        #expect(page.blocks.count == 7)
        #expect(dropped(page, .outsideArticle).count == 7, "the teaser, with a sixth of the story's text, and the six items")
        // An article cut in two by a photo, and its lede in a box of its own, stay whole.
        let split = try extract("""
            <div class="wrap"><div class="lede">\(more)\(more)</div><div class="body"><div class="part">\(story)\(more)</div><figure><img src="x.jpg"></figure>
            <div class="part">\(story)\(more)</div></div><div class="box">\(teaser)</div></div>
            """)
        #expect(split.blocks.count == 10, "the lede and both parts")
        #expect(dropped(split, .outsideArticle).count == 1)
        // Arabic paragraphs count as paragraphs.
        let arabic = try extract("""
            <div><div class="story"><p>دخلت القوات الحكومية الأحياء الشرقية من المدينة يوم الثلاثاء بعد أسبوع من القصف العنيف، بحسب ما قال السكان.</p>
            <p>وجاء التقدم في وقت حذرت فيه منظمات الإغاثة من أن آلاف العائلات ما زالت محاصرة من دون ماء أو كهرباء في المدينة.</p>
            <p>وقال متحدث باسم المجلس المحلي إن المفاوضات بشأن ممر آمن للمدنيين توقفت خلال الليل دون أي نتيجة تذكر حتى الآن.</p></div>
            <div class="box"><p>في خبر آخر، قالت وزارة الزراعة إن موسم القمح كان جيدا هذا العام.</p></div></div>
            """)
        #expect(arabic.blocks.count == 3 && dropped(arabic, .outsideArticle).count == 1)
    }

    @Test func severalArticleElementsAreCardsNotTheArticle() throws {
        let card = { (n: Int) in "<article><p>Story \(n): officials in the province said on Monday that the new road would open by the end of the year.</p></article>" }
        let page = try extract("<div>\(story)</div><div class=\"cards\">\(card(1))\(card(2))\(card(3))\(card(4))</div>")
        #expect(page.blocks.contains { $0.hasPrefix("Government forces") })
        #expect(dropped(page, .outsideArticle).isEmpty, "no card is the article's container")
    }

    @Test func aContainerWithLittleOfTheTextDecidesNothing() throws {
        // The <article> holds a summary, not the story: the paragraphs decide instead.
        let page = try extract("<div>\(story)</div><article><p>A short summary of the story, in one sentence.</p></article>")
        #expect(page.blocks.count == 3, "the story")
        #expect(dropped(page, .outsideArticle) == ["A short summary of the story, in one sentence."])
    }

    @Test func aFormWrappingTheWholePageIsNoForm() throws {
        // ASP.NET pages put the whole body in one <form>; a form inside the page is chrome.
        let page = try extract("""
            <form id="aspnetForm" method="post"><div>\(story)
            <form class="search"><p>Search the archive for stories about the war, the refugees and the reconstruction.</p></form></div></form>
            """)
        #expect(page.blocks.count == 3)
        #expect(!page.blocks.contains { $0.hasPrefix("Search the archive") })
    }

    /// One page per kind of chrome the class names: a long sentence that no text rule drops.
    @Test(arguments: [
        (#"<div class="cookie-notice">"#, BoilerplateFilter.Reason.cookies),
        (#"<div id="gdpr-consent-banner">"#, .cookies),
        (#"<aside-like class="newsletter-signup">"#, .newsletter),
        (#"<section class="related-stories">"#, .related),
        (#"<div class="most-read-list">"#, .related),
        (#"<div class="share-bar social">"#, .share),
        (#"<div class="author-bio">"#, .authorBio),
        (#"<div class="sidebar-right">"#, .sidebar),
        (#"<div class="footer-wrap">"#, .footer),
        (#"<div class="promo-box">"#, .promotion),
        (#"<div class="wp-caption-text">"#, .caption),
        // A word of a BEM name, after `-` or `_` (block__element, block-element).
        (#"<div class="article-body__tablet-newsletter">"#, .newsletter),
        (#"<section class="story-comments-bar">"#, .comments),
        (#"<div class="c-entry__related-links">"#, .related),
        (#"<div class="site-cookie_notice">"#, .cookies),
    ])
    func aChromeSectionIsDroppedWithItsKind(_ open: String, _ reason: BoilerplateFilter.Reason) throws {
        let name = String(open.dropFirst().prefix { $0 != " " })
        let chrome = "\(open)<p>Our journalism is made possible by readers like you, and we would be glad to hear from you every week.</p></\(name)>"
        let page = try extract("<div>\(story)</div>\(chrome)")
        #expect(page.blocks.count == 3, "the story stays")
        #expect(dropped(page, reason) == ["Our journalism is made possible by readers like you, and we would be glad to hear from you every week."])
    }

    /// Teasers that carry their stories' first sentences, under a heading that says what
    /// they are: by its class, or by its words.
    let teasers = """
        <article><h4>Water returns to the western districts</h4><p>Engineers restored the main pumping station on Sunday after two weeks of repairs, officials said.</p></article>
        <article><h4>Schools reopen in the north</h4><p>Thousands of children went back to class this week in towns that had been without teachers since the spring.</p></article>
        """

    @Test func aChromeHeadingTitlesTheRestOfItsGroup() throws {
        // A short page (the teasers hold more text than it does): the markup is trusted.
        let byClass = try extract("""
            <article><h1>Forces enter the eastern districts</h1><p>Government forces entered the eastern districts on Tuesday, residents said.</p></article>
            <div class="postbox"><h3 class="relatedpoststitle">You may like...</h3>\(teasers)</div>
            """)
        #expect(byClass.blocks.count == 2 && !byClass.blocks.contains { $0.contains("pumping station") }, "\(byClass.blocks)")
        #expect(dropped(byClass, .related).contains { $0.contains("Thousands of children") })
        let byWords = try extract("""
            <div class="entry"><h1>Forces enter the eastern districts</h1>\(story)
            <h3>You may also like</h3>\(teasers)</div>
            """)
        #expect(byWords.blocks.count == 4, "\(byWords.blocks)")
        #expect(dropped(byWords, .underChromeHeading).contains { $0.contains("pumping station") })
        let arabic = try extract("""
            <div class="entry"><h1>القوات تدخل الأحياء الشرقية</h1>
            <p>دخلت القوات الحكومية الأحياء الشرقية من المدينة يوم الثلاثاء بعد أسبوع من القصف العنيف، بحسب ما قال السكان.</p>
            <p>وحذرت وكالات الإغاثة من أن آلاف العائلات ما زالت محاصرة من دون ماء أو كهرباء في تلك الأحياء.</p>
            <h3>إقرأ أيضاً</h3><article><h4>عودة المياه إلى الأحياء الغربية</h4><p>أعاد المهندسون تشغيل محطة الضخ الرئيسية يوم الأحد بعد أسبوعين من الإصلاحات، بحسب المسؤولين.</p></article></div>
            """)
        #expect(!arabic.blocks.contains { $0.contains("محطة الضخ") } && arabic.blocks.count == 3, "\(arabic.blocks)")
    }

    @Test func aSubheadingThatReadsLikeChromeKeepsTheArticle() throws {
        // Words alone: the run after the heading holds more than the page before it.
        let page = try extract("""
            <div class="entry"><h1>Forces enter the eastern districts</h1><p>Government forces entered the eastern districts on Tuesday.</p>
            <h3>Read more</h3>\(story)</div>
            """)
        #expect(page.blocks.contains { $0.contains("aid agencies warned") } && page.blocks.contains { $0.contains("corridor for civilians") })
        // And a marked heading never takes the headline with it.
        let marked = try extract("""
            <div class="postbox"><h3 class="related-title">Related</h3><h1>Forces enter the eastern districts</h1>\(story)</div>
            """)
        #expect(marked.blocks.contains { $0.contains("aid agencies warned") }, "\(marked.blocks)")
    }

    @Test func aBannerLongerThanAShortArticleIsStillChrome() throws {
        // A short review in its container; the consent dialog outside it is longer.
        let consent = { (n: Int) in String(repeating: "<p>Necessary cookies are absolutely essential for the website to function properly and store no personal information.</p>", count: n) }
        let review = ["The manual covers every service job on the bike, with clear photographs of each step, and is worth its price.",
                      "Owners of the later models will find the wiring diagrams at the back of the book most useful of all."]
        let page = try extract("""
            <main><article>\(review.map { "<p>\($0)</p>" }.joined())</article></main>
            <div id="cookie-law-info-bar">\(consent(6))</div><div class="modal">\(consent(2))</div>
            """)
        #expect(page.blocks == review)
        #expect(dropped(page, .cookies).count == 6, "longer than the review, and chrome")
        #expect(dropped(page, .outsideArticle).count == 2, "the container has a third of the text left: the dialog without a class goes too")
    }

    @Test func withoutAContainerTheHeadlinesPlaceTellsTheLayout() throws {
        // No container: a sidebar longer than a short story is chrome, since the headline is
        // not in it; a wrapper named like chrome around the headline is the layout.
        let widget = String(repeating: "<p>A reader wrote that the senate should have adjourned much earlier in the week than it did.</p>", count: 6)
        let page = try extract("<div><h1>Senate adjourns</h1>\(story)</div><section class=\"sidebar\">\(widget)</section>")
        #expect(page.blocks.count == 4 && dropped(page, .sidebar).count == 6)
        let wrapped = try extract("<div class=\"sidebar-layout\"><h1>Senate adjourns</h1>\(story)</div><div class=\"sidebar\">\(widget)</div>")
        #expect(wrapped.blocks.count == 4 && dropped(wrapped, .sidebar).count == 6)
    }

    @Test func aSectionWithMostOfThePageIsLayoutNotChrome() throws {
        // A wrapper named like chrome around the article holds most of its text (no container
        // on the page), or holds the article's container.
        let page = try extract("<div class=\"sidebar-layout share-enabled\">\(story)</div><div class=\"share-bar\"><p>Share this story with your friends and family, they will thank you for it.</p></div>")
        #expect(page.blocks.count == 3)
        #expect(dropped(page, .share).count == 1, "the share bar inside is still chrome")
        let wrapped = try extract("<div class=\"footer-aware\"><article>\(story)</article></div><div class=\"footer\"><p>All the stories of the week are in our weekend edition, out every Saturday morning.</p></div>")
        #expect(wrapped.blocks.count == 3)
        #expect(dropped(wrapped, .footer).count == 1)
    }

    /// An Arabic page, right to left: its chrome by class and by phrase.
    @Test func anArabicPagesChrome() throws {
        let body = """
            <article dir="rtl"><h1>القوات الحكومية تدخل الأحياء الشرقية</h1>
            <p>دخلت القوات الحكومية الأحياء الشرقية من المدينة يوم الثلاثاء بعد أسبوع من القصف العنيف، بحسب ما قال السكان.</p>
            <p>وجاء التقدم في وقت حذرت فيه منظمات الإغاثة من أن آلاف العائلات ما زالت محاصرة من دون ماء أو كهرباء.</p>
            <p>إقرأ أيضاً: مجلس الأمن يدعو إلى هدنة إنسانية في المدينة</p>
            <div class="share-buttons"><p>شارك هذا الخبر مع أصدقائك على مواقع التواصل الاجتماعي ليعرفوا ما يجري في المدينة.</p></div>
            <div id="comments"><h3>تعليقات القراء</h3><p>شكرا على هذا التقرير المفصل، نتمنى أن تنتهي هذه الحرب قريبا وأن يعود الجميع إلى بيوتهم.</p></div>
            </article>
            """
        let page = try extract(body)
        #expect(page.blocks.count == 3, "the headline and the two paragraphs")
        #expect(dropped(page, .phrase) == ["إقرأ أيضاً: مجلس الأمن يدعو إلى هدنة إنسانية في المدينة"])
        #expect(dropped(page, .share).count == 1)
        #expect(dropped(page, .comments).count == 2)
    }

    @Test func whatReadersCannotSeeIsNoText() throws {
        // A hidden microdata copy of the article, a closed dialog; a style that only mentions
        // display is shown.
        let page = try extract("""
            <div>\(story)</div>
            <div style="display:none;" itemscope><div itemprop="articleBody">\(story)</div></div>
            <div hidden><p>Thank you for subscribing, your first newsletter will arrive in your inbox tomorrow morning.</p></div>
            <div style="Display : None"><p>The share dialog opens here when a reader presses the button below the story.</p></div>
            <div style="display:block; border: 1px"><p>Aid agencies said more convoys would try to reach the district on Wednesday.</p></div>
            """)
        #expect(page.blocks.count == 4, "the story once, and the shown paragraph")
        #expect(page.blocks.last?.hasPrefix("Aid agencies") == true)
    }

    /// Short text the article needs is kept, with the paragraph after it: the dateline, a
    /// quotation, a list and the line that introduces it, a subheading. Captions go unless asked for.
    @Test func whatMustNeverBeLost() throws {
        let body = """
            <article><h1>Army enters the city</h1>
            <p>DAMASCUS, March 4 (Reuters) -</p>
            <p>Government forces entered the eastern districts of the city on Tuesday after a week of heavy shelling, residents said.</p>
            <blockquote>We will not leave</blockquote>
            <p>The council listed its demands:</p>
            <ul><li>Water for the eastern districts</li><li>Safe passage for the wounded</li></ul>
            <h2>Talks stall</h2>
            <figure><figcaption>Smoke rises over the eastern districts of the city on Tuesday. REUTERS/Omar Sanadiki</figcaption></figure>
            <p>A spokesman for the opposition council said negotiations over a corridor for civilians had stalled overnight.</p>
            </article>
            <ul class="menu"><li>Home page</li><li>World news</li></ul>
            """
        let page = try extract(body)
        #expect(page.blocks == [
            "Army enters the city",
            "DAMASCUS, March 4 (Reuters) -\nGovernment forces entered the eastern districts of the city on Tuesday after a week of heavy shelling, residents said.",
            "We will not leave\nThe council listed its demands:\nWater for the eastern districts\nSafe passage for the wounded\nTalks stall\n"
                + "A spokesman for the opposition council said negotiations over a corridor for civilians had stalled overnight.",
        ])
        #expect(dropped(page, .caption).count == 1)
        #expect(dropped(page, .fragment) == ["Home page", "World news"], "list items outside the article are still menus")
        var captions = extractor
        captions.boilerplate.keepsCaptions = true
        #expect(try captions.extract(Array("<html><body>\(body)</body></html>".utf8), format: .html).blocks
            .contains { $0.contains("Smoke rises over the eastern districts") })
        #expect(BoilerplateFilter.isDateline("BEIRUT (AP) \u{2014} Lebanese troops"))
        #expect(!BoilerplateFilter.isDateline("US forces moved in"), "capitals without a comma, parenthesis or dash")
        #expect(!BoilerplateFilter.isDateline("NATO"))
    }

    /// A listed word counts inside a class only as one of its parts between `-` and `_` (not
    /// the first), whole or as a prefix as listed; a wrapper so named that holds the article
    /// is still its layout.
    @Test func aWordWithinAClassIsMatchedOnlyAsAPart() throws {
        for open in [#"<div class="uncommented-notes">"#, #"<div class="article-commentsy">"#, #"<div class="unrelated">"#,
                     #"<div class="post-newsfeed">"#] {
            let name = String(open.dropFirst().prefix { $0 != " " })
            let page = try extract("<div>\(story)</div>\(open)<p>Our journalism is made possible by readers like you, and we would be glad to hear from you every week.</p></\(name)>")
            #expect(page.blocks.count == 4, "\(open): not chrome")
        }
        let layout = try extract("<div class=\"page has-comments\"><article>\(story)</article></div>")
        #expect(layout.blocks.count == 3)
        let sections = try ChromeSections(list: "comments\tclass\t*comments\nrelated\tclass\t*related*\n")
        func kind(_ value: String) -> ChromeSections.Kind? { value.withCString { $0.withMemoryRebound(to: UInt8.self, capacity: value.utf8.count + 1) { sections.kind(ofClass: $0) } } }
        #expect(kind("story-comments") == .chrome(.comments) && kind("x story__comments y") == .chrome(.comments))
        #expect(kind("story-comments-bar") == .chrome(.comments) && kind("story-commentsbar") == nil, "a whole part, as listed")
        #expect(kind("comments") == nil, "the start of a token is for the whole and prefix rows")
        #expect(kind("a-relatedposts") == .chrome(.related) && kind("a--related") == .chrome(.related))
        #expect(kind("a-unrelated") == nil && kind("related-") == nil && kind("a-") == nil)
        for bad in ["*", "**", "*a*b"] {
            #expect(throws: ChromeSections.BadLine.self) { try ChromeSections(list: "related\tclass\t\(bad)\n") }
        }
    }

    @Test func badSectionListsNameTheLine() {
        let badAttribute = #expect(throws: ChromeSections.BadLine.self) {
            try ChromeSections(list: "comments\tclass\tcomments\ncomments\tname\tx\n")
        }
        #expect(badAttribute?.line == 2)
        #expect((try? ChromeSections(list: "# a comment\ncomments\tclass\tcomments-*\n")) != nil)
        let missingToken = #expect(throws: ChromeSections.BadLine.self) { try ChromeSections(list: "\ncomments\tclass\n") }
        #expect(missingToken?.line == 2)
    }
}
