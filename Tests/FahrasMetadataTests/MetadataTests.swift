import Testing
import FahrasExtract
@testable import FahrasMetadata

@Suite("Extract: article metadata (dates, URL, site, authors, language)")
struct MetadataTests {
    var extractor: DocumentExtractor {
        var extractor = DocumentExtractor()
        extractor.collectsSignals = true
        extractor.keepsDropped = true
        return extractor
    }

    func records(_ text: String) throws(ExtractError) -> [JSONLinesRecord] {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(ExtractError) in try JSONLinesReader.records(buffer) }
    }
    let body = "<p>Troops advanced on the town overnight, local sources told reporters on the scene.</p>"

    func metadata(_ head: String, body: String? = nil, html: String = "") throws -> ArticleMetadata {
        let page = "<html \(html)><head>\(head)</head><body>\(body ?? self.body)</body></html>"
        let bytes = Array(page.utf8)
        let document = try extractor.extract(bytes, format: .html)
        let signals = try #require(document.signals)
        return bytes.withUnsafeBytes { MetadataReader().read(signals, blocks: document.blocks, pageBlocks: document.pageBlocks, page: $0) }
    }

    @Test func jsonLDComesFirstAndIsFoundInsideAGraph() throws {
        let m = try metadata("""
            <meta property="article:published_time" content="2017-03-05T10:00:00Z">
            <script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
              {"@type": "WebSite", "name": "Site"},
              {"@type": "NewsArticle", "headline": "Army advances", "datePublished": "2017-03-04T08:00:00+02:00",
               "dateModified": "2017-03-06", "author": [{"@type": "Person", "name": "Rami Jarrah"}, {"name": "Lina Sinjab"}],
               "publisher": {"name": "Syria Direct"}}]}</script>
            """)
        #expect(m.date == "2017-03-04" && m.dateSource == .jsonld)
        #expect(m.modified == "2017-03-06")
        #expect(m.authors == ["Rami Jarrah", "Lina Sinjab"])
        #expect(m.site == "Syria Direct")
    }

    @Test func metaTagsThenTimeThenURLThenText() throws {
        #expect(try metadata(#"<meta property="article:published_time" content="2018-01-02T09:00:00+03:00">"#).dateSource == .meta)
        #expect(try metadata(#"<meta itemprop="datePublished" content="2018-01-02">"#).date == "2018-01-02")
        #expect(try metadata(#"<meta name="dc.date" content="2018/01/02">"#).date == "2018-01-02")
        let time = try metadata("", body: #"<p><time datetime="2019-05-06T12:00">6 May</time></p>"# + body)
        #expect(time.date == "2019-05-06" && time.dateSource == .time)
        let url = try metadata(#"<link rel="canonical" href="https://www.example.org/news/2017/03/04/raqqa-offensive/">"#)
        #expect(url.date == "2017-03-04" && url.dateSource == .url, "a page whose only date is in its URL")
        #expect(url.url == "https://www.example.org/news/2017/03/04/raqqa-offensive/" && url.site == "example.org")
        let text = try metadata("", body: "<p>Damascus, March 4, 2017</p>" + body)
        #expect(text.date == "2017-03-04" && text.dateSource == .text)
        #expect(try metadata("").date == nil, "no date is no date, not a guess")
    }

    @Test(arguments: [
        ("١٢ آذار ٢٠١٥", "2015-03-12"), ("12 آذار 2015", "2015-03-12"), ("3 كانون الثاني 2016", "2016-01-03"),
        ("15 تشرين الأول 2017", "2017-10-15"), ("1 أيار 2018", "2018-05-01"), ("٢٣ أغسطس ٢٠١٩", "2019-08-23"),
        ("5 يناير 2020", "2020-01-05"), ("4 mars 2017", "2017-03-04"), ("4. März 2017", "2017-03-04"),
        ("2 de abril de 2020", "2020-04-02"), ("2020年7月11日", "2020-07-11"), ("17/03/2020", "2020-03-17"),
    ])
    func datesWrittenInTheText(_ written: String, _ day: String) {
        #expect(DateReader.standard.inText("نشر في " + written + " - دمشق") == day || DateReader.standard.inText(written) == day)
    }

    /// Every month name of the table is read, in the forms that need it, and a window is
    /// searched only when a run of its letters starts a month name: `4mars` and `Smarch 2017`
    /// hold none.
    @Test func everyMonthNameIsFoundBeforeItsWindowIsSearched() {
        let table = String(decoding: PackageResources.months_tsv, as: UTF8.self)
        for line in table.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            guard fields.count >= 2, let month = Int(fields[0]) else { continue }
            let day = "2017-" + (month < 10 ? "0" : "") + String(month) + "-04"
            #expect(DateReader.standard.inText("Posted 4 \(fields[1]) 2017 by staff") == day, "\(fields[1])")
            #expect(DateReader.standard.inText("Posted \(fields[1]) 4, 2017 by staff") == day, "\(fields[1])")
        }
        #expect(DateReader.letterRuns(of: "le 4 mars 2017, à 10h") == ["le", "mars", "à", "h"])
        #expect(DateReader.letterRuns(of: "١٢ تشرين الأول ٢٠١٧") == ["تشرين", "الأول"])
        #expect(DateReader.standard.inText("Smarch 4, 2017 and 4mars 2017") == nil)
    }

    @Test func adjacentDaysAcrossMonthsYearsAndLeapDays() {
        #expect(DateReader.dayNumber("1970-01-01") == 0)
        #expect(DateReader.adjacent("2020-02-29", "2020-03-01"))
        #expect(DateReader.adjacent("2019-12-31", "2020-01-01"))
        #expect(!DateReader.adjacent("2019-02-28", "2019-03-02"))
        #expect(!DateReader.adjacent("2020-05-01", "2020-05-01"))
    }

    @Test func textDatesThatAreNoDatesAreNot() {
        let reader = DateReader.standard
        #expect(reader.inText("31 February 2017") == nil, "no such day")
        #expect(reader.inText("03/04/2017") == nil, "day and month cannot be told apart")
        #expect(reader.inText("You may 2017 see") == nil)
        #expect(reader.inText("12 آذار") == nil, "no year")
        #expect(reader.inURL("https://example.org/2017/13/40/story") == nil)
    }

    /// A date line in the article's header (never article text) is read; one after the
    /// headline wins over the site's "today" above it; a whole article marked
    /// `status-publish` does not hide the date line inside it.
    @Test func dateLinesInMarkedElementsNearTheHeadline() throws {
        let header = """
            <div class="masthead-date">Sunday, July 19, 2020</div>
            <article class="post status-publish"><header><h1>Army advances on the town</h1>
            <span class="entry-date">March 11, 2020</span></header>\(body)\(body)\(body)</article>
            """
        let marked = try metadata("", body: header)
        #expect(marked.date == "2020-03-11" && marked.dateSource == .text)
        let onlyToday = try metadata("", body: #"<div class="today-date">Sunday, July 19, 2020</div><h1>Army advances</h1>"# + body)
        #expect(onlyToday.date == "2020-07-19", "a marked date above the headline still counts when it is the only one")
        let unmarked = try metadata("", body: "<header><h1>Army advances</h1><span>March 11, 2020</span></header>" + body)
        #expect(unmarked.date == nil, "an unmarked line in a skipped header is not read")
    }

    /// A UTC instant gives way to the same publication written in the outlet's zone; a
    /// JSON-LD script with something after its object is still read.
    @Test func theOutletsOwnZoneAndLenientJSONLD() throws {
        let zones = try metadata("""
            <meta property="article:published_time" content="2020-09-27T22:12:35-04:00">
            <script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020-09-28T02:12:35Z"}</script>
            """)
        #expect(zones.date == "2020-09-27" && zones.dateSource == .jsonld)
        let utcOnly = try metadata(#"<meta property="article:published_time" content="2020-09-28T02:12:35+00:00">"#)
        #expect(utcOnly.date == "2020-09-28", "no local time, no printed date: the instant's own day")
        let lenient = try metadata("""
            <script type="application/ld+json">{"@type": "NewsArticle", "headline": "X", "datePublished": "2020-10-26T18:10:00+01:00"}
            ,</script>
            """)
        #expect(lenient.date == "2020-10-26" && lenient.dateSource == .jsonld)
        #expect(MetadataReader.jsonValues(#"{"a": "}"} {"b": [1, 2]} x"#).count == 2, "braces inside strings do not count")
    }

    /// Failing everything else, a UTC instant is read in the zone the page writes its other
    /// times in (a TV station's schedule, a feed's stamps).
    @Test func aUTCInstantIsReadInTheZoneThePageWritesItsTimesIn() throws {
        let stamp = #"<meta property="article:published_time" content="2020-05-02T02:54:29.000Z">"#
        let schedule = #"<script>var s = [{"date": "Fri, 01 May 2020 23:00:00 -0400"}, {"at": "2020-05-02T06:00:00-04:00"}]</script>"#
        #expect(try metadata(stamp, body: body + schedule).date == "2020-05-01")
        let east = #"<script>var s = {"at": "2020-05-02T06:00:00.000+0300"}</script>"#
        #expect(try metadata(stamp, body: body + east).date == "2020-05-02", "east of UTC the same day")
        let ranges = "<p>Open 10:00-11:00 and 21:30-04:00 daily, call 555-0400.</p>"
        #expect(try metadata(stamp, body: body + ranges).date == "2020-05-02", "time ranges and numbers are no offsets")
        let tie = #"<script>var s = ["2020-05-02T06:00:00-04:00", "2020-05-02T06:00:00+02:00"]</script>"#
        #expect(try metadata(stamp, body: body + tie).date == "2020-05-02", "two zones as often: none is the outlet's")
        let reader = DateReader.standard
        #expect(reader.day(ofUTCInstant: "2020-01-01T02:00:00Z", offset: -300) == "2019-12-31")
        #expect(reader.day(ofUTCInstant: "2020-02-28T23:30:00Z", offset: 60) == "2020-02-29")
        #expect(reader.day(ofUTCInstant: "2020-02-28", offset: 60) == nil, "no time of day")
        for day in ["1996-01-01", "2000-02-29", "2019-12-31", "2024-03-01"] {
            #expect(DateReader.day(ofNumber: DateReader.dayNumber(day)!) == day)
        }
    }

    @Test func headlineSiteAndLanguage() throws {
        let m = try metadata("<title>SDF declares victory in Raqqa | Example News</title>", html: #"lang="en-GB""#)
        #expect(m.headline == "SDF declares victory in Raqqa", "the site's tail is not the headline")
        #expect(m.language == "en-GB")
        let og = try metadata(#"<meta property="og:title" content="Raqqa falls"><meta property="og:site_name" content="Enab Baladi"><title>x | y</title>"#)
        #expect(og.headline == "Raqqa falls" && og.site == "Enab Baladi")
        let arabic = try metadata("", body: "<p>قالت مصادر محلية إن القوات تقدمت نحو المدينة خلال الليل وسط اشتباكات عنيفة.</p>")
        #expect(arabic.language == "ar", "from the script of the text when the page does not say")
    }

    @Test func articleFieldsAreReadAndBadOnesNamed() throws {
        let found = try records("""
            {"id": 1, "text": "a", "date": "2015-07-21", "url": "https://aawsat.com/x", "source": "Asharq Al-Awsat", "author": "A", "lang": "ar"}
            {"id": 2, "text": "b", "date": "last Tuesday", "url": "aawsat", "site": 5}
            """)
        let (good, none) = ArticleMetadata.of(found[0])
        #expect(none.isEmpty)
        #expect(good.date == "2015-07-21" && good.url == "https://aawsat.com/x" && good.site == "Asharq Al-Awsat")
        #expect(good.authors == ["A"] && good.language == "ar")
        let (bad, problems) = ArticleMetadata.of(found[1])
        #expect(bad.date == nil && bad.url == nil && bad.site == nil, "a bad value is left out, the record kept")
        #expect(problems.count == 3)
        #expect(problems.contains { $0.contains("'date' \"last Tuesday\" is not a day") })
        #expect(problems.contains { $0.contains("'site' is not a string") })
    }

    @Test func droppedBlocksSayWhy() throws {
        let page = "<body><p>Share this</p><p>\(body)</p><div>Home | News | Sport | World | Video | Live | 12 | 34 | 56 | 78 | 90 | 11 | 22 | 33</div></body>"
        let document = try extractor.extract(Array(page.utf8), format: .html)
        #expect(document.dropped.map(\.reason) == [.fragment, .symbols])
        #expect(document.dropped.first?.text == "Share this")
    }
}
