/// Decides which blocks are site chrome (menus, share bars, comment forms, date bars) and
/// not article text.
///
/// The rules describe the class, not a list of cases; the phrase list only supplements them.
/// A block is chrome when any rule holds:
/// 1. **Fragment**: fewer than ``minimumSentenceWords`` words and no sentence punctuation at
///    its end (`Scroll Up`, `Top Stories`, `Back to top button`, `30 June 2017 14:33`).
/// 2. **Run-together menu**: two or more words glued at a lower→upper case edge
///    (`developmentsMiddle EastOthers`), and no sentence end.
/// 3. **Number or symbol bar**: fewer than half its tokens are words
///    (`15 February 2019 - Friday - … | 14/02/2019 (26) … Total: 147,805 content`).
/// 4. **Link list**: more than half its text is inside links (HTML only).
/// 5. **Known phrase**: it starts with a phrase of `boilerplate-phrases.txt` and is short.
///
/// A line of a multi-line block that starts with a known phrase is removed alone, so a
/// trailing `Leave a Reply` glued to the last paragraph goes and the paragraph stays.
/// A long sentence that mentions Facebook ("wrote on their Facebook pages…") matches no rule.
package struct BoilerplateFilter: Sendable {
    /// Blocks with fewer words than this need sentence punctuation to count as text.
    package var minimumSentenceWords = 6
    /// Blocks with more link text than this share are link lists.
    package var maximumLinkDensity = 0.5
    /// Keep the captions of figures (`<figcaption>`, a caption class of `chrome-sections.txt`),
    /// which are dropped by default.
    package var keepsCaptions = false
    /// Known chrome phrases, each as its lower-cased words.
    package var phrases: [[Substring]] {
        didSet { index(phrases) }
    }
    /// The first word of every phrase: a block whose first word is not here matches none.
    private var firstWords: Set<Substring> = []
    /// Whether every phrase starts with an ASCII word: then a text whose first word holds
    /// another character matches none.
    private var firstWordsAreASCII = true
    /// The most words in a phrase.
    private var longestPhrase = 0

    /// The filter with the phrase list bundled in `Data/boilerplate-phrases.txt`.
    package static let standard = BoilerplateFilter(phraseList: String(decoding: PackageResources.boilerplate_phrases_txt, as: UTF8.self))

    /// A filter whose phrases come from `phraseList` (one a line, `#` comments).
    package init(phraseList: String) {
        phrases = phraseList.split(whereSeparator: \.isNewline).compactMap { line in
            let content = line.prefix { $0 != "#" }
            let words = BoilerplateFilter.words(of: content)
            return words.isEmpty ? nil : words
        }
        index(phrases)
    }

    /// Sets what phrase matching looks up first, from the phrases.
    private mutating func index(_ phrases: [[Substring]]) {
        firstWords = Set(phrases.compactMap(\.first))
        firstWordsAreASCII = firstWords.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
        longestPhrase = phrases.map(\.count).max() ?? 0
    }

    /// The article blocks of `blocks`, chrome removed, each block's lines joined by spaces.
    /// Why a block is site chrome, by the rule that holds (see the rules above).
    package enum Reason: String, Sendable, Equatable {
        case fragment = "short fragment without a sentence"
        case runTogether = "run-together menu"
        case symbols = "number or symbol bar"
        case linkList = "link list"
        case phrase = "known chrome phrase"
        case empty = "no words"
        case comments = "comment thread"
        case cookies = "cookie or consent banner"
        case newsletter = "newsletter or subscription prompt"
        case related = "related or most-read teasers"
        case share = "share bar"
        case authorBio = "author bio"
        case sidebar = "sidebar"
        case footer = "page footer"
        case promotion = "promotion"
        case outsideArticle = "outside the article's container"
        case caption = "caption"
        case underChromeHeading = "under a chrome heading"
    }

    /// The article blocks of `blocks`, and how many were dropped; `dropped`, when given, is
    /// told each dropped block (or line) and why.
    /// - Parameters:
    ///   - headline: the first block whose text is this is kept as it is (a page's headline
    ///     is short, and short fragments are otherwise chrome).
    ///   - structure: where the blocks stand in the page (``PageStructure``): the blocks of
    ///     chrome sections are dropped (``chromeSections(_:in:)``), and when a container
    ///     holds most of the text kept (``articleContainer(_:containers:)``), or else a
    ///     region of groups most of the paragraphs (``textRegion(_:blocks:groups:)``), what
    ///     is outside it.
    package func articleBlocks(_ blocks: [RawBlock], keeping headline: String? = nil, structure: PageStructure = PageStructure(),
                              dropped onDrop: ((String, Reason) -> Void)? = nil) -> (kept: [String], dropped: Int) {
        // Each block's verdict by its own text and section first, then the article's
        // container settles what is outside it and what is short inside it.
        let containers = structure.containers
        let chrome = BoilerplateFilter.chromeSections(blocks, in: structure)
        var verdicts = self.verdicts(blocks, headline: headline, chrome: chrome, sections: structure.sections)
        underChromeHeadings(&verdicts, blocks: blocks, groups: structure.groups)
        let chosen = BoilerplateFilter.articleContainer(verdicts.filter { $0.reason == nil }.map { ($0.text, blocks[$0.block].container) },
                                                        containers: containers)
        var kept: [String] = []
        var keptBlocks = Set<Int>()
        // Short text kept for its role (list items, a subheading, a dateline) goes with the
        // paragraph after it, one line each: a passage of its own would be a word or two.
        var short: [String] = []
        let region = chosen == nil ? BoilerplateFilter.textRegion(verdicts, blocks: blocks, groups: structure.groups) : nil
        for var verdict in verdicts {
            if let chosen, !verdict.isHeadline { settle(&verdict, in: chosen, blocks: blocks, containers: containers) }
            if let region, !verdict.isHeadline, verdict.reason == nil,
               !region.contains(where: { BoilerplateFilter.isInside(blocks[verdict.block].group, $0) { structure.groups[$0 - 1].parent } }) {
                verdict.reason = .outsideArticle
            }
            if let reason = verdict.reason {
                onDrop?(verdict.text, reason)
                continue
            }
            keptBlocks.insert(verdict.block)
            if verdict.isShort {
                short.append(verdict.text)
            } else if short.isEmpty || verdict.isHeadline {
                kept.append(verdict.text)
            } else {
                kept.append((short + [verdict.text]).joined(separator: "\n"))
                short.removeAll()
            }
        }
        if !short.isEmpty { kept.append(short.joined(separator: "\n")) }
        return (kept, blocks.count - keptBlocks.count)
    }

    /// What the filter says of a block (or of one line of it): dropped for `reason`, or kept
    /// (`nil`), short text kept for its role, or the headline.
    struct Verdict {
        var text: String
        var block: Int
        var reason: Reason?
        var isHeadline = false
        var isShort = false
    }

    /// The verdicts of the blocks by their own text, role and section, in page order.
    private func verdicts(_ blocks: [RawBlock], headline: String?, chrome: [Bool], sections: [Section]) -> [Verdict] {
        var verdicts: [Verdict] = []
        var headline = headline
        for (n, block) in blocks.enumerated() {
            if let wanted = headline, block.joined == wanted {
                verdicts.append(Verdict(text: wanted, block: n, reason: nil, isHeadline: true))
                headline = nil
                continue
            }
            if let reason = BoilerplateFilter.chromeReason(ofSection: block.section, chrome: chrome, sections: sections),
               !(reason == .caption && keepsCaptions) {
                verdicts.append(Verdict(text: block.joined, block: n, reason: reason))
                continue
            }
            if block.role == .caption && !keepsCaptions {
                verdicts.append(Verdict(text: block.joined, block: n, reason: .caption))
                continue
            }
            var block = block
            if block.lines.count > 1 {
                block.lines.removeAll { line in
                    guard startsWithPhrase(line) else { return false }
                    verdicts.append(Verdict(text: line, block: n, reason: .phrase))
                    return true
                }
            }
            if block.lines.isEmpty { continue }
            let text = block.joined
            let reason = chromeReason(block, text: text)
            if reason == .fragment && BoilerplateFilter.isDateline(text) {
                verdicts.append(Verdict(text: text, block: n, reason: nil, isShort: true))
            } else {
                verdicts.append(Verdict(text: text, block: n, reason: reason))
            }
        }
        return verdicts
    }

    /// Drops what a chrome heading titles: the rest of the heading's group after a heading
    /// that is chrome by its class or id (`<h3 class="related-posts-title">`) or whose text is a
    /// chrome phrase ("You may also like", "اقرأ أيضا"). Teasers under such a heading carry
    /// their stories' first sentences, which every rule for a block alone keeps. Never a run
    /// that holds the headline; and a heading known by its words alone (a subheading may
    /// happen to read "Read more") only titles less kept text than the page has before it.
    private func underChromeHeadings(_ verdicts: inout [Verdict], blocks: [RawBlock], groups: [Group]) {
        func keptBytes(_ range: Range<Int>) -> Int { verdicts[range].reduce(0) { $0 + ($1.reason == nil ? $1.text.utf8.count : 0) } }
        var before = 0  // kept bytes of the verdicts before `v`, as they stand
        var v = 0
        while v < verdicts.count {
            let heading = blocks[verdicts[v].block]
            guard heading.role == .heading, heading.group != 0, let reason = titledReason(verdicts[v]) else {
                before += keptBytes(v..<(v + 1))
                v += 1
                continue
            }
            var end = v + 1
            while end < verdicts.count, verdicts[end].block == verdicts[v].block
                    || BoilerplateFilter.isInside(blocks[verdicts[end].block].group, heading.group, parent: { groups[$0 - 1].parent }) {
                end += 1
            }
            let run = (v + 1)..<end
            let byMarkup = reason != .underChromeHeading
            if (byMarkup || keptBytes(run) < before) && !verdicts[run].contains(where: \.isHeadline) {
                for k in run where verdicts[k].reason == nil {
                    verdicts[k].reason = reason
                    verdicts[k].isShort = false
                }
            }
            before += keptBytes(v..<end)
            v = end
        }
    }

    /// The reason a heading's verdict gives to what it titles: its chrome section's, or
    /// ``Reason/underChromeHeading`` when its whole text is a chrome phrase; `nil` for others.
    private func titledReason(_ verdict: Verdict) -> Reason? {
        switch verdict.reason {
        case .comments, .cookies, .newsletter, .related, .share, .authorBio, .promotion:
            return verdict.reason
        case nil, .fragment, .phrase:
            return startsWithPhrase(verdict.text, wordsAfter: 1) ? .underChromeHeading : nil
        default:
            return nil
        }
    }

    /// Settles a verdict once the article's container `chosen` is known: text outside it is
    /// dropped; inside it, a short list item, quotation or subheading, or the line that
    /// introduces a list, is short text, not chrome.
    private func settle(_ verdict: inout Verdict, in chosen: Int, blocks: [RawBlock], containers: [Container]) {
        let n = verdict.block
        let inside = BoilerplateFilter.isInside(blocks[n].container, chosen) { containers[$0 - 1].parent }
        if verdict.reason == nil && !inside {
            verdict.reason = .outsideArticle
        } else if verdict.reason == .fragment && inside
                    && (blocks[n].role != .text || (verdict.text.hasSuffix(":") && n + 1 < blocks.count && blocks[n + 1].role == .listItem)) {
            verdict.reason = nil
            verdict.isShort = true
        }
    }

    /// Where the article's paragraphs are on a page with no article container: the group that
    /// holds most paragraph text itself (plain blocks, not list items, that end a sentence and
    /// have ten words or more), then the nearest group around it that holds half as much
    /// paragraph text again, while there is one (an article cut into groups by a photo or an
    /// advertisement), with its siblings that hold a fifth as much paragraph text. `nil` when
    /// that region holds less than half the page's paragraph text.
    static func textRegion(_ verdicts: [Verdict], blocks: [RawBlock], groups: [Group]) -> Set<Int>? {
        guard !groups.isEmpty else { return nil }
        // Several <article> elements are cards: none is a region, their text is their parent's.
        let cards = groups.filter(\.isArticleElement).count > 1
        func isCard(_ g: Int) -> Bool { cards && groups[g - 1].isArticleElement }
        func counted(_ g: Int) -> Int {
            var g = g
            while g != 0, isCard(g) { g = groups[g - 1].parent }
            return g
        }
        var own = [Int](repeating: 0, count: groups.count + 1)
        var all = [Int](repeating: 0, count: groups.count + 1)
        var total = 0
        for verdict in verdicts where verdict.reason == nil && !verdict.isHeadline && blocks[verdict.block].role == .text {
            guard endsSentence(verdict.text), spaceSeparatedWords(verdict.text) >= 10 else { continue }
            let bytes = verdict.text.utf8.count
            total += bytes
            var g = counted(blocks[verdict.block].group)
            own[g] += bytes
            while g != 0 {
                all[g] += bytes
                g = groups[g - 1].parent
            }
        }
        guard var region = (1...groups.count).max(by: { own[$0] < own[$1] }), own[region] > 0 else { return nil }
        climbing: while true {
            var g = counted(groups[region - 1].parent)
            while g != 0 {
                if all[g] * 2 >= all[region] * 3 {
                    region = g
                    continue climbing
                }
                g = counted(groups[g - 1].parent)
            }
            break
        }
        // A region with less than half the page's paragraph text is no more the article than the rest.
        guard all[region] * 2 >= total else { return nil }
        // Its siblings with a fifth as much paragraph text are the article's too (a lede or a
        // summary in a box of its own).
        let parent = counted(groups[region - 1].parent)
        var kept: Set<Int> = [region]
        for g in 1...groups.count where g != region && all[g] * 5 >= all[region] && counted(groups[g - 1].parent) == parent && !isCard(g) {
            kept.insert(g)
        }
        return kept
    }

    /// Runs of characters between spaces, in any script.
    static func spaceSeparatedWords(_ text: String) -> Int {
        var count = 0
        var afterSpace = true
        for byte in text.utf8 {
            if afterSpace && byte != 0x20 { count += 1 }
            afterSpace = byte == 0x20
        }
        return count
    }

    /// Whether element `inner` is `outer` or inside it; `parent` gives an element's parent
    /// (elements are numbered from 1, 0 is the top).
    static func isInside(_ inner: Int, _ outer: Int, parent: (Int) -> Int) -> Bool {
        var e = inner
        while e != 0 {
            if e == outer { return true }
            e = parent(e)
        }
        return false
    }

    /// Whether `text` is a news dateline, which starts the story and is never chrome: a
    /// place in capitals, then a comma, a parenthesis or a dash (`DAMASCUS, March 4 (Reuters) -`,
    /// `BEIRUT (AP) —`, `DEIR EZZOR –`).
    static func isDateline(_ text: String) -> Bool {
        // Most fragments start with something else than a capital: out on the first byte.
        guard let first = text.utf8.first, first &- 0x41 < 26 || first >= 0x80 else { return false }
        var letters = 0
        for scalar in text.unicodeScalars {
            if scalar.isASCII ? scalar.value &- 0x41 < 26 : scalar.properties.isUppercase { letters += 1; continue }
            if scalar == " " || scalar == "-" && letters > 0 { continue }
            guard letters >= 3 else { return false }
            return scalar == "," || scalar == "(" || scalar == "\u{2014}" || scalar == "\u{2013}"
        }
        return false
    }

    /// A part of the page that a class or id names as chrome (``ChromeSections``).
    package struct Section: Sendable, Equatable {
        package var reason: Reason
        /// The section it is in (its number, 0 for none).
        package var parent: Int
        /// Its id is the anchor of its own heading: a chapter of the document.
        package var isChapter = false
        /// The id that named it, until its first block: an id that is the anchor of that
        /// block (its heading, as Sphinx or MkDocs make ids) names a chapter of the document,
        /// not a part of the site's template (``BlockBuilder/isAnchor(_:of:)``).
        var anchor: [UInt8]?

        package init(reason: Reason, parent: Int) {
            self.reason = reason
            self.parent = parent
        }
    }

    /// Which sections are chrome: those that are no chapter and hold no article container
    /// (a class named like chrome on the layout around the article: `<div class="sidebar-layout">`).
    /// On a page without containers the sections around the headline are that layout, and
    /// with no headline either, a section holding at least half the page's text: chrome is a
    /// small part of a page (only a comment thread may outgrow the article it follows).
    static func chromeSections(_ blocks: [RawBlock], in structure: PageStructure) -> [Bool] {
        let (sections, containers) = (structure.sections, structure.containers)
        guard !sections.isEmpty else { return [] }
        let cards = containers.filter(\.isArticleElement).count > 1
        var layout = [Bool](repeating: false, count: sections.count + 1)
        func around(_ section: Int) {
            var s = section
            while s != 0 {
                layout[s] = true
                s = sections[s - 1].parent
            }
        }
        var anyContainer = false
        for container in containers where !(cards && container.isArticleElement) {
            anyContainer = true
            around(container.section)
        }
        var bytes = [Int](repeating: 0, count: sections.count + 1)
        var total = 0
        // Without a container, the headline's place tells the layout: the sections around it.
        if !anyContainer, let headline = structure.headlineSection {
            anyContainer = true
            around(headline)
        }
        if !anyContainer {
            for block in blocks {
                let count = block.lines.reduce(0) { $0 + $1.utf8.count }
                total += count
                var s = block.section
                while s != 0 {
                    bytes[s] += count
                    s = sections[s - 1].parent
                }
            }
        }
        return sections.indices.map { i in
            if sections[i].isChapter || layout[i + 1] { return false }
            return anyContainer || sections[i].reason == .comments || bytes[i + 1] * 2 < total
        }
    }

    /// The reason of the innermost chrome section around a block in section `section`, if any.
    static func chromeReason(ofSection section: Int, chrome: [Bool], sections: [Section]) -> Reason? {
        var s = section
        while s != 0 {
            if chrome[s - 1] { return sections[s - 1].reason }
            s = sections[s - 1].parent
        }
        return nil
    }

    /// An element that may hold the article: `<article>`, `<main>`, `itemprop="articleBody"`,
    /// `role="main"`.
    package struct Container: Sendable, Equatable {
        /// The container it is in (its number, 0 for none).
        package var parent: Int
        /// Whether it is an `<article>` element: when a page has several, they are teasers
        /// or comments (one article a card), and none is the article's container.
        package var isArticleElement: Bool
        /// The chrome section it is in (its number, 0 for none): such a section holds the
        /// article and is the layout around it.
        package var section: Int

        package init(parent: Int, isArticleElement: Bool, section: Int = 0) {
            self.parent = parent
            self.isArticleElement = isArticleElement
            self.section = section
        }
    }

    /// An element that groups blocks (`div`, `section`, a list, a table cell, `<article>`):
    /// the units a page's paragraph region is made of (``textRegion(_:blocks:groups:)``).
    package struct Group: Sendable, Equatable {
        /// The group it is in (its number, 0 for none).
        package var parent: Int
        /// Whether it is an `<article>` element (when a page has several, a card).
        package var isArticleElement: Bool

        package init(parent: Int, isArticleElement: Bool) {
            self.parent = parent
            self.isArticleElement = isArticleElement
        }
    }

    /// Where a page's blocks stand, as the parser found it: its article containers, chrome
    /// sections and groups, by their numbers less one (``RawBlock/container``,
    /// ``RawBlock/section``, ``RawBlock/group``), and the section the headline is in (0: none;
    /// `nil`: no headline read).
    package struct PageStructure: Sendable, Equatable {
        package var containers: [Container] = []
        package var sections: [Section] = []
        package var groups: [Group] = []
        package var headlineSection: Int?

        package init() {}
    }

    /// The article's container: of those holding at least a third of the text (in bytes: one
    /// page is mostly one script) of the blocks kept, the one with the most, and within it the
    /// innermost such; or `nil` (no container, or none holds that much: an `<article>` with a
    /// summary beside the story). `<article>` elements count only when the page has one.
    static func articleContainer(_ blocks: [(text: String, container: Int)], containers: [Container]) -> Int? {
        guard !containers.isEmpty else { return nil }
        let cards = containers.filter(\.isArticleElement).count > 1
        var bytes = [Int](repeating: 0, count: containers.count + 1)
        var total = 0
        for block in blocks {
            let count = block.text.utf8.count
            total += count
            var c = block.container
            while c != 0 {
                bytes[c] += count
                c = containers[c - 1].parent
            }
        }
        guard total > 0 else { return nil }
        let candidates = (1...containers.count).filter { bytes[$0] * 3 >= total && !(cards && containers[$0 - 1].isArticleElement) }
        // The one with the most text, then, while one inside it qualifies, the one inside it with the most.
        var best = candidates.max { bytes[$0] < bytes[$1] || (bytes[$0] == bytes[$1] && $0 > $1) }
        while let outer = best,
              let inner = candidates.filter({ $0 != outer && isInside($0, outer) { containers[$0 - 1].parent } })
                .max(by: { bytes[$0] < bytes[$1] }) {
            best = inner
        }
        return best
    }

    /// Whether one block is site chrome (see the rules above).
    package func isChrome(_ block: RawBlock) -> Bool {
        chromeReason(block, text: block.joined) != nil
    }

    private func chromeReason(_ block: RawBlock, text: String) -> Reason? {
        if block.linkDensity > maximumLinkDensity { return .linkList }
        // Chrome is short: a block this long is article text (or a table) under every text
        // rule below, so they are not run on it (a 50 MB paragraph costs nothing here).
        if text.utf8.count > BoilerplateFilter.longestChrome { return nil }
        let counts = BoilerplateFilter.tokenCounts(text) ?? {
            let tokens = text.split(separator: " ")
            return (tokens.count, tokens.reduce(0) { $0 + (BoilerplateFilter.isWord($1) ? 1 : 0) },
                    tokens.reduce(0) { $0 + BoilerplateFilter.gluedEdges($1) })
        }()
        if counts.tokens == 0 { return .empty }
        let endsSentence = BoilerplateFilter.endsSentence(text)
        if counts.words < minimumSentenceWords && !endsSentence { return .fragment }
        if !endsSentence && counts.gluedEdges >= 2 { return .runTogether }
        if counts.tokens >= 4 && counts.words * 2 < counts.tokens { return .symbols }
        if startsWithPhrase(text) { return .phrase }
        return nil
    }

    /// Blocks longer than this many UTF-8 bytes are never chrome by the text rules.
    static let longestChrome = 2_000

    /// Whether `text` starts with a known phrase and is at most `wordsAfter` words longer
    /// than it.
    func startsWithPhrase(_ text: String, wordsAfter: Int = 8) -> Bool {
        if text.utf8.count > BoilerplateFilter.longestChrome { return false }
        // Most blocks start with a word no phrase starts with: out before splitting them.
        switch BoilerplateFilter.firstWord(of: text) {
        case .ascii(let first): if !firstWords.contains(first) { return false }
        case .notASCII:
            if firstWordsAreASCII { return false }
            // The first word alone, from the text's start (a phrase is a few words).
            guard let first = BoilerplateFilter.words(of: text.prefix(48), limit: 1).first, firstWords.contains(first) else { return false }
        case .unknown: break
        }
        // Too many words for any phrase: out before splitting them.
        if BoilerplateFilter.leastWordCount(of: text) > longestPhrase + wordsAfter { return false }
        // One word more than any phrase allows is enough to tell.
        let words = BoilerplateFilter.words(of: Substring(text), limit: longestPhrase + wordsAfter + 1)
        return phrases.contains { phrase in
            words.count <= phrase.count + wordsAfter && words.starts(with: phrase)
        }
    }

    /// Lower-cased runs of letters and digits (punctuation ignored), for phrase matching: the
    /// first `limit` of them.
    static func words(of text: Substring, limit: Int = .max) -> [Substring] {
        if let words = byteWords(of: text, limit: limit) { return words }
        return Array(foldingArabic(text.lowercased()).split { !$0.isLetter && !$0.isNumber && $0 != "©" }.prefix(limit).map { Substring($0) })
    }

    /// ``words(of:limit:)`` for a text of ASCII and ``SingleScalarCharacters`` only (a curly
    /// quote, a pilcrow, an accented letter), read from the bytes: each scalar is a character
    /// of its own, and `lowercased()` maps scalar by scalar, so the words are those of the
    /// split by characters. `nil` for another text.
    static func byteWords(of text: Substring, limit: Int = .max) -> [Substring]? {
        var text = text
        return text.withUTF8 { bytes -> [Substring]? in
            var lower: [UInt8] = []
            lower.reserveCapacity(bytes.count)
            var words: [Range<Int>] = []
            var start: Int?
            var i = 0
            while i < bytes.count && words.count < limit {
                let b = bytes[i]
                var isWordCharacter = false
                if b < 0x80 {
                    isWordCharacter = isASCIIAlphanumeric(b)
                    if isWordCharacter {
                        if start == nil { start = lower.count }
                        lower.append(b &- 0x41 < 26 ? b | 0x20 : b)
                    }
                    i += 1
                } else {
                    guard let (answers, length) = SingleScalarCharacters.flags(at: i, in: bytes) else { return nil }
                    isWordCharacter = answers.isWordCharacter
                    if isWordCharacter {
                        if start == nil { start = lower.count }
                        let scalar = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]), as: UTF8.self)
                        lower.append(contentsOf: scalar.lowercased().utf8)
                    }
                    i += length
                }
                if !isWordCharacter, let first = start {
                    words.append(first..<lower.count)
                    start = nil
                }
            }
            if let first = start, words.count < limit { words.append(first..<lower.count) }
            let all = String(decoding: lower, as: UTF8.self)
            let utf8 = all.utf8
            return words.map { all[utf8.index(utf8.startIndex, offsetBy: $0.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: $0.upperBound)] }
        }
    }

    /// Arabic as its chrome phrases are compared: without harakat and tanween, the hamza
    /// forms of alef as alef, ta marbuta as ha, alef maqsura as ya (`إقرأ أيضاً` = `اقرا ايضا`).
    static func foldingArabic(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x064B...0x0652, 0x0670, 0x0640: continue  // harakat, superscript alef, tatweel
            case 0x0622, 0x0623, 0x0625: out.append("\u{0627}")
            case 0x0629: out.append("\u{0647}")
            case 0x0649: out.append("\u{064A}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// A lower bound of `words(of: text).count`, from the bytes: the space-separated runs
    /// that start with an ASCII letter or digit. (Such a run starts a character that is a
    /// letter or a digit in any case, so it holds a word of its own.)
    static func leastWordCount(of text: String) -> Int {
        var count = 0
        var afterSpace = true
        for b in text.utf8 {
            if afterSpace && isASCIIAlphanumeric(b) { count += 1 }
            afterSpace = b == 0x20
        }
        return count
    }

    /// A token counts as a word when at least two of its characters are letters and letters
    /// outnumber the other characters (`al-Thani` and `Total:` are words; `(26)`, `14/02/2019`,
    /// `147,805` and `|` are not).
    static func isWord(_ token: Substring) -> Bool {
        var letters = 0
        var others = 0
        if token.utf8.allSatisfy({ $0 < 0x80 }) {
            for b in token.utf8 { if b | 0x20 &- 0x61 < 26 { letters += 1 } else { others += 1 } }
            return letters >= 2 && letters > others
        }
        return characterRules(of: token).isWord
    }

    /// ``isWord(_:)`` and ``gluedEdges(_:)`` by characters, in one walk over them (ASCII
    /// characters are judged by their byte, with the same answers).
    static func characterRules(of token: Substring) -> (isWord: Bool, edges: Int) {
        var letters = 0, others = 0, lowerRun = 0, edges = 0
        for c in token {
            let ascii = c.asciiValue
            if ascii.map({ $0 | 0x20 &- 0x61 < 26 }) ?? c.isLetter { letters += 1 } else { others += 1 }
            if ascii.map({ $0 &- 0x61 < 26 }) ?? c.isLowercase {
                lowerRun += 1
            } else {
                if ascii.map({ $0 &- 0x41 < 26 }) ?? c.isUppercase, lowerRun >= 3 { edges += 1 }
                lowerRun = BoilerplateFilter.runAfter(lowerRun, tag: ascii == 0x23 || ascii == 0x40)
            }
        }
        return (letters >= 2 && letters > others, edges)
    }

    /// Whether the text ends like a sentence: `.`, `!`, `?`, `…`, or one of these followed by
    /// closing quotes or brackets.
    static func endsSentence(_ text: String) -> Bool {
        // From the last bytes while they are ASCII with ASCII before them: each is then a
        // character of its own, so the answer is the characters' (most blocks end so).
        var text = text
        let quick = text.withUTF8 { bytes -> Bool? in
            var i = bytes.count - 1
            while i >= 0 {
                let b = bytes[i]
                guard b < 0x80, i == 0 || bytes[i - 1] < 0x80 else { return nil }
                switch b {
                case 0x2E, 0x21, 0x3F: return true            // . ! ?
                case 0x22, 0x27, 0x29, 0x5D: i -= 1            // " ' ) ]
                default: return false
                }
            }
            return false
        }
        return quick ?? endsSentenceByCharacters(text)
    }

    /// ``endsSentence(_:)`` read character by character.
    static func endsSentenceByCharacters(_ text: String) -> Bool {
        for c in text.reversed() {
            switch c {
            case ".", "!", "?", "…", "。", "؟": return true
            case "\"", "'", "”", "’", "»", ")", "]": continue
            default: return false
            }
        }
        return false
    }

    /// Lower→upper case edges inside a token after at least three lower-case letters: the
    /// seam of menu items printed without spaces (`developmentsMiddle`). Names such as
    /// `McCain` or `YouTube` have shorter runs before the capital and do not count, nor does
    /// anything after a `#` or `@`: hashtags and handles are written glued by convention
    /// (`day.#TodayInSenatePlenary` ends a tweet's sentence, not a menu).
    static func gluedEdges(_ token: Substring) -> Int {
        var edges = 0
        var lowerRun = 0
        if token.utf8.allSatisfy({ $0 < 0x80 }) {
            for b in token.utf8 {
                if b &- 0x61 < 26 {
                    lowerRun += 1
                } else {
                    if b &- 0x41 < 26 && lowerRun >= 3 { edges += 1 }
                    lowerRun = runAfter(lowerRun, tag: b == 0x23 || b == 0x40)
                }
            }
            return edges
        }
        return characterRules(of: token).edges
    }

    /// The lower-case run after a character that is not lower case: 0, or for the rest of
    /// the token, once a `#` or `@` (`tag`) was seen, a run that never reaches 3.
    @inline(__always)
    static func runAfter(_ run: Int, tag: Bool) -> Int {
        tag || run < 0 ? Int.min / 2 : 0
    }

    /// The space-separated tokens of `text`, how many of them are words (``isWord(_:)``),
    /// and their glued case edges (``gluedEdges(_:)``), split on bytes rather than
    /// characters: the same tokens, unless a space carries a combining mark (then a space
    /// is not a character of its own, and the answer is `nil`: split by characters).
    static func tokenCounts(_ text: String) -> (tokens: Int, words: Int, gluedEdges: Int)? {
        var text = text
        return text.withUTF8 { bytes -> (tokens: Int, words: Int, gluedEdges: Int)? in
            ByteClass.table.withUnsafeBufferPointer { classes in
                var tokens = 0, words = 0, edges = 0
                let n = bytes.count
                var i = 0
                while i < n {
                    if bytes[i] == 0x20 { i += 1; continue }
                    let start = i
                    var seen: UInt8 = 0
                    var letters = 0, lowerRun = 0, tokenEdges = 0
                    while i < n {
                        let c = classes[Int(bytes[i])]
                        if c & ByteClass.space != 0 { break }
                        seen |= c
                        letters += Int(c & ByteClass.letter)
                        if c & ByteClass.lower != 0 {
                            lowerRun += 1
                        } else {
                            if c & ByteClass.upper != 0 && lowerRun >= 3 { tokenEdges += 1 }
                            lowerRun = BoilerplateFilter.runAfter(lowerRun, tag: c & ByteClass.tag != 0)
                        }
                        i += 1
                    }
                    tokens += 1
                    if seen & ByteClass.high == 0 {
                        // The byte rules of isWord and gluedEdges, counted in the same pass.
                        let others = i - start - letters
                        if letters >= 2 && letters > others { words += 1 }
                        edges += tokenEdges
                        continue
                    }
                    if let rules = SingleScalarCharacters.rules(of: UnsafeBufferPointer(rebasing: bytes[start..<i])) {
                        if rules.isWord { words += 1 }
                        edges += rules.edges
                        continue
                    }
                    // A space after which a mark or joiner follows is not a character of its
                    // own: split by characters instead.
                    if start > 0, let scalar = Self.firstScalar(bytes, at: start), mayExtend(scalar) { return nil }
                    let rules = characterRules(of: Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)))
                    if rules.isWord { words += 1 }
                    edges += rules.edges
                }
                return (tokens, words, edges)
            }
        }
    }

    /// What ``tokenCounts(_:)`` asks of a byte, one table lookup for its four tests.
    private enum ByteClass {
        static let letter: UInt8 = 1, lower: UInt8 = 2, upper: UInt8 = 4, high: UInt8 = 8, space: UInt8 = 16, tag: UInt8 = 32
        static let table: [UInt8] = (0...255).map { (b: Int) -> UInt8 in
            let b = UInt8(b)
            return (b | 0x20 &- 0x61 < 26 ? letter : 0) | (b &- 0x61 < 26 ? lower : 0) | (b &- 0x41 < 26 ? upper : 0)
                | (b >= 0x80 ? high : 0) | (b == 0x20 ? space : 0) | (b == 0x23 || b == 0x40 ? tag : 0)
        }
    }

    /// The scalar whose UTF-8 encoding starts at `i`.
    private static func firstScalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Unicode.Scalar? {
        var iterator = bytes[i...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    /// Whether `scalar` may join the character before it (a mark, a joiner, a modifier).
    static func mayExtend(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return properties.isGraphemeExtend || properties.isEmojiModifier || scalar.value == 0x200D
        }
    }

    /// Whether an ASCII byte is a letter or a digit.
    static func isASCIIAlphanumeric(_ b: UInt8) -> Bool {
        b | 0x20 &- 0x61 < 26 || b &- 0x30 < 10
    }

    /// What ``words(of:)`` would give as the first word of `text`, read from the bytes.
    enum FirstWord: Equatable {
        /// An ASCII word (lower-cased).
        case ascii(Substring)
        /// A word holding a character that is not ASCII (a letter, digit or `©`).
        case notASCII
        /// Undecided without splitting by characters (a character that may join others).
        case unknown
    }

    /// The first word of `text` as ``words(of:)`` splits it, for texts whose characters up
    /// to the end of that word are ASCII or single scalars (``SingleScalarCharacters``).
    static func firstWord(of text: String) -> FirstWord {
        var text = text
        return text.withUTF8 { bytes -> FirstWord in
            var word: [UInt8] = []
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 {
                    if isASCIIAlphanumeric(b) {
                        word.append(b &- 0x41 < 26 ? b | 0x20 : b)
                    } else if !word.isEmpty {
                        break
                    }
                    i += 1
                    continue
                }
                guard let (flags, length) = SingleScalarCharacters.flags(at: i, in: bytes) else { return .unknown }
                if flags.isWordCharacter { return .notASCII }
                if !word.isEmpty { break }
                i += length
            }
            return word.isEmpty ? .unknown : .ascii(Substring(String(decoding: word, as: UTF8.self)))
        }
    }
}

/// Non-ASCII scalars that are characters of their own beside ASCII and one another (none
/// joins a neighbour into one grapheme), with their letter and case answers as `Character`
/// gives them: the token rules read them by scalar, without grapheme breaking.
enum SingleScalarCharacters {
    /// Latin-1 and Latin Extended, Greek and Cyrillic letters (without their combining
    /// marks), general punctuation, box drawing, CJK punctuation (without its marks), CJK
    /// ideographs, Hangul syllables (whole, never joined to one another), full-width ASCII,
    /// hiragana and katakana (without the combining voiced sound marks U+3099 and U+309A).
    static let blocks: [ClosedRange<UInt32>] = [
        0xA0...0x24F, 0x370...0x3FF, 0x400...0x482, 0x2010...0x205E, 0x2500...0x257F, 0x3000...0x3029,
        0x4E00...0x9FFF, 0xAC00...0xD7A3, 0xFF01...0xFF5E, 0x3041...0x3096, 0x309B...0x30FF,
    ]

    private static let letter: UInt8 = 1, lowercase: UInt8 = 2, uppercase: UInt8 = 4, known: UInt8 = 8
    private static let wordCharacter: UInt8 = 16

    /// The flags of one block's scalars. `Character`'s answers cost thousands of
    /// instructions each, so a block's table is made the first time one of its scalars
    /// is read: a text with a curly quote does not pay for the CJK ideographs. Its case
    /// answers (a string made and compared) are asked only of scalars that have a case: one
    /// that is not cased and that no case mapping changes is neither upper nor lower case
    /// (the 20,992 CJK ideographs; the table then takes a third of the time).
    private static func table(_ block: ClosedRange<UInt32>) -> [UInt8] {
        block.map { value in
            guard let scalar = Unicode.Scalar(value) else { return 0 }
            let character = Character(scalar)
            let hasCase = scalar.properties.isCased || scalar.properties.changesWhenCaseMapped
            return known | (character.isLetter ? letter : 0) | (hasCase && character.isLowercase ? lowercase : 0)
                | (hasCase && character.isUppercase ? uppercase : 0)
                | (character.isLetter || character.isNumber || character == "©" ? wordCharacter : 0)
        }
    }

    // One table per entry of `blocks`, in order; each is built on first use.
    private static let table0 = table(blocks[0]), table1 = table(blocks[1]), table2 = table(blocks[2])
    private static let table3 = table(blocks[3]), table4 = table(blocks[4]), table5 = table(blocks[5])
    private static let table6 = table(blocks[6]), table7 = table(blocks[7]), table8 = table(blocks[8])
    private static let table9 = table(blocks[9]), table10 = table(blocks[10])

    /// What the phrase matching needs of a character.
    struct Answers {
        /// A letter, a number or `©`: part of a word for ``BoilerplateFilter/words(of:)``.
        var isWordCharacter: Bool
    }

    /// The answers for the scalar whose UTF-8 encoding starts at `i` (not ASCII), with its
    /// length, when it is one of these scalars.
    static func flags(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Answers, Int)? {
        guard let (flags, length) = knownFlags(at: i, in: bytes) else { return nil }
        return (Answers(isWordCharacter: flags & wordCharacter != 0), length)
    }

    /// The flags of the non-ASCII scalar at `i` and its length, when it is one of these.
    private static func knownFlags(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (UInt8, Int)? {
        let b = bytes[i]
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
        guard i + length <= bytes.count else { return nil }
        var value = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        let flags = Self.flags(of: value)
        return flags & known != 0 ? (flags, length) : nil
    }

    private static func flags(of value: UInt32) -> UInt8 {
        guard let k = blocks.firstIndex(where: { $0.contains(value) }) else { return 0 }
        let offset = Int(value - blocks[k].lowerBound)
        switch k {
        case 0: return table0[offset]
        case 1: return table1[offset]
        case 2: return table2[offset]
        case 3: return table3[offset]
        case 4: return table4[offset]
        case 5: return table5[offset]
        case 6: return table6[offset]
        case 7: return table7[offset]
        case 8: return table8[offset]
        case 9: return table9[offset]
        default: return table10[offset]
        }
    }

    /// ``BoilerplateFilter/characterRules(of:)`` for a token of ASCII and these scalars
    /// only (valid UTF-8); `nil` for any other token.
    static func rules(of token: UnsafeBufferPointer<UInt8>) -> (isWord: Bool, edges: Int)? {
        var letters = 0, others = 0, lowerRun = 0, edges = 0
        var i = 0
        while i < token.count {
            let b = token[i]
            var flags: UInt8
            if b < 0x80 {
                flags = known | (b | 0x20 &- 0x61 < 26 ? letter : 0) | (b &- 0x61 < 26 ? lowercase : 0)
                    | (b &- 0x41 < 26 ? uppercase : 0)
                i += 1
            } else {
                guard let (known, length) = knownFlags(at: i, in: token) else { return nil }
                flags = known
                i += length
            }
            if flags & letter != 0 { letters += 1 } else { others += 1 }
            if flags & lowercase != 0 {
                lowerRun += 1
            } else {
                if flags & uppercase != 0, lowerRun >= 3 { edges += 1 }
                lowerRun = BoilerplateFilter.runAfter(lowerRun, tag: b == 0x23 || b == 0x40)
            }
        }
        return (letters >= 2 && letters > others, edges)
    }
}
