import FahrasAnalysis
import FahrasIndex

/// Turns query text into a ``Query`` with the same analyzer the index was built with.
///
/// Syntax (as Lucene's classic query parser, with OR the default):
/// - words, `"quoted phrases"`; `actor:NAME` or `actor:"NAME WITH SPACES"`;
/// - `+x` (x must match), `-x` or `NOT x` (x must not match); `a AND b`, `a OR b`
///   (AND binds tighter; juxtaposed items are OR'ed); parentheses group;
/// - filters, which restrict and score nothing: `doc:TEXT` (the document's path contains
///   TEXT), `title:WORDS` (its title holds the words), and the fields of ``FieldFilters``
///   (`date:2017-03`, `site:sana.sy`, `lang:ar`, `author:NAME`); `-site:X` excludes. A
///   filter only ever removes passages: `title:Idlib ISIS` is the passages that mention ISIS
///   in documents titled with Idlib.
/// Operators are upper case; `and`, `or`, `not` are words.
/// - Each word is analyzed; a word that analyzes to several terms (`al-Tanf`, `US-backed`,
///   `T-4`) becomes the phrase of its parts, so it matches `al-Tanf` and `al Tanf` alike.
/// - A word or phrase that holds a name also gets a folded clause: every spelling of the
///   name in the index (`Deir Ezzor` finds `Dayr al-Zawr`), weighted below the exact one;
///   either satisfies a `+` or an AND.
/// - `actor:NAME` finds every passage that names the gazetteer entity NAME is an alias
///   or spelling of (`actor:Daesh` finds `ISIS` and `Islamic State`).
/// - `=word` or `="a phrase"` matches as written: no other spelling, no alias.
/// - Capitalised name words typed one after another without quotes (`Abu Kamal`,
///   `Al Qusayr`) also match as one name (its phrase, glued and folded forms); an article or
///   particle among them scores nothing alone.
package struct QueryParser: Sendable {
    /// The analyzer the index was built with, read in place from `shared`.
    package var analyzer: Analyzer {
        _read { yield shared.analyzer }
        set { shared = SharedAnalyzer(newValue) }
    }
    private var shared: SharedAnalyzer
    /// Whether names find their other spellings and aliases (`--no-fold` turns it off).
    package var foldNames = true
    /// Whether the index writes one of a phrase's Latin names, typed in lower case, as a name
    /// (``TermLookups/writesAsName(_:)``), asked as the query is parsed: a word it does not
    /// (most words of a technical query) then gets no folded clause, where the searcher would
    /// drop it. `nil`: every folded clause is built and the searcher judges.
    package var writesAsName: (@Sendable ([NamePattern.LatinWord]) throws(SearchError) -> Bool)?

    /// Has the parse ask the index through `lookups` (``writesAsName``), whose entries the
    /// search then uses.
    package mutating func ask(_ lookups: TermLookups) {
        writesAsName = { words throws(SearchError) in
            do throws(IndexError) { return try lookups.writesAsName(words) } catch { throw .index(error) }
        }
    }

    /// The operator that names an entity.
    package static let entityOperator = "actor:"

    package init(analyzer: Analyzer = .standard, foldNames: Bool = true) {
        self.init(shared: SharedAnalyzer(analyzer), foldNames: foldNames)
    }

    /// A parser with an analyzer others hold too (a searcher's, for each of its queries).
    package init(shared: SharedAnalyzer, foldNames: Bool = true) {
        self.shared = shared
        self.foldNames = foldNames
    }

    private enum Modifier { case none, must, mustNot }

    private enum Token: Equatable {
        case open, close, and, or, not, plus, minus
        case word(String)
        case quoted(String)
        case field(String, String)
        /// `=word` or `="phrase"`: as written only.
        case exact(String)
        /// Name words typed one after another (see ``groupNameRuns(_:)``).
        case nameRun([String])
    }

    package func parse(_ text: String) throws(SearchError) -> Query {
        if text.allSatisfy(Self.isSpace) { throw .emptyQuery }
        let tokens = groupNameRuns(try tokenize(text))
        var index = 0
        let root = try sequence(tokens, &index, text: text, closing: nil, depth: 0)
        if index < tokens.count, case .close = tokens[index].token {
            throw .unexpectedParenthesis(column: tokens[index].column)
        }
        if root.should.isEmpty && root.must.isEmpty {
            if root.mustNot.isEmpty { throw .noSearchableTerms(query: text) }
            throw .onlyExclusions
        }
        return Query(text: text, root: root)
    }

    // MARK: Tokens

    private func tokenize(_ text: String) throws(SearchError) -> [(token: Token, column: Int)] {
        // When every character is one byte (ASCII, and no "\r\n", which is one character of
        // two bytes), the bytes are the characters: no grapheme breaking, no Unicode lookups.
        let bytes = Array(text.utf8)
        if !bytes.contains(where: { $0 >= 0x80 || $0 == 0x0D }) {
            return try tokenize(bytes) { String(decoding: bytes[$0], as: UTF8.self) }
        }
        let characters = Array(text)
        return try tokenize(characters) { String(characters[$0]) }
    }

    /// Cuts `characters` into tokens; `string` makes the text of a range of them.
    private func tokenize<C: QueryCharacter>(_ characters: [C], string: (Range<Int>) -> String) throws(SearchError)
        -> [(token: Token, column: Int)] {
        var out: [(token: Token, column: Int)] = []
        var i = 0
        func quoted() throws(SearchError) -> String {
            let open = i
            guard let close = characters[(i + 1)...].firstIndex(where: { $0.is("\"") }) else {
                throw .unbalancedQuote(column: open + 1)
            }
            i = close + 1
            return string((open + 1)..<close)
        }
        func word() -> String {
            let start = i
            while i < characters.count, !characters[i].isQuerySpace, !characters[i].endsWord { i += 1 }
            return string(start..<i)
        }
        let fields = QueryParser.fieldOperators
        let fieldLength = QueryParser.longestFieldOperator
        while i < characters.count {
            let c = characters[i]
            let column = i + 1
            if c.isQuerySpace { i += 1; continue }
            if c.is("(") { out.append((.open, column)); i += 1; continue }
            if c.is(")") { out.append((.close, column)); i += 1; continue }
            if c.is("\"") { out.append((.quoted(try quoted()), column)); continue }
            if c.is("=") && i + 1 < characters.count && !characters[i + 1].isQuerySpace {
                i += 1
                let value = characters[i].is("\"") ? try quoted() : word()
                if value.isEmpty { throw .emptyFilter(field: "=", column: column) }
                out.append((.exact(value), column))
                continue
            }
            // A "-" before a space is a word (a dash); a "+" is always the operator.
            if c.is("+") || (c.is("-") && i + 1 < characters.count && !characters[i + 1].isQuerySpace) {
                out.append((c.is("+") ? .plus : .minus, column)); i += 1; continue
            }
            // A field is a few letters and a colon: look for the colon before making a string.
            var colon = i
            while colon < characters.count && colon - i < fieldLength && characters[colon].isQueryLetter { colon += 1 }
            if colon < characters.count && characters[colon].is(":"),
               let field = fields.first(where: { $0 == string(i..<(colon + 1)).lowercased() }) {
                i += field.count
                if i < characters.count && characters[i].is("\"") {
                    out.append((.field(field, try quoted()), column))
                } else {
                    let value = word()
                    if value.isEmpty { throw .emptyFilter(field: field, column: column) }
                    out.append((.field(field, value), column))
                }
                continue
            }
            let w = word()
            switch w {
            case "AND": out.append((.and, column))
            case "OR": out.append((.or, column))
            case "NOT": out.append((.not, column))
            default:
                if let feature = QueryParser.unsupportedSyntax(in: w) { throw .unsupported(word: w, feature: feature, column: column) }
                out.append((.word(w), column))
            }
        }
        return out
    }

    /// `actor:` and the field filters' operators, and the length of the longest.
    private static let fieldOperators = [QueryParser.entityOperator] + FieldFilters.operators
    private static let longestFieldOperator = fieldOperators.map(\.count).max()!

    /// Lucene syntax Fahras does not take, so that `Dam*` or `ISIS^2` is an error that says so
    /// rather than a search for the word as written that finds nothing: a trailing wildcard,
    /// a boost, a fuzzy `~`. (A trailing `?` is a question, not a wildcard.)
    static func unsupportedSyntax(in word: String) -> String? {
        // Each rule needs one of three ASCII marks: a word without them settles on its bytes.
        if !word.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "^") || $0 == UInt8(ascii: "~") }) {
            return nil
        }
        let scalars = Array(word.unicodeScalars)
        guard scalars.count > 1 else { return nil }
        if scalars.last == "*" { return "wildcards are" }
        if let mark = scalars.lastIndex(where: { $0 == "^" || $0 == "~" }), mark > 0, mark + 1 < scalars.count,
           scalars[(mark + 1)...].allSatisfy({ ("0"..."9").contains($0) || $0 == "." }) {
            return scalars[mark] == "^" ? "boosts are" : "fuzzy matching is"
        }
        return nil
    }

    /// `Character.isWhitespace`, without a Unicode property lookup for ASCII.
    @inline(__always)
    fileprivate static func isSpace(_ c: Character) -> Bool {
        if let a = c.asciiValue { return a == 0x20 || (a >= 0x09 && a <= 0x0D) }
        return c.isWhitespace
    }

    // MARK: Grammar

    /// `item (["OR"] item)*` up to `closing` or the end, as one group.
    private func sequence(_ tokens: [(token: Token, column: Int)], _ index: inout Int, text: String,
                          closing: Int?, depth: Int) throws(SearchError) -> Query.Group {
        var built = GroupBuilder()
        var expectOperand = false
        var hadItem = false
        var lastOperator = (name: "", column: 0)
        while index < tokens.count {
            let (token, column) = tokens[index]
            if token == .close {
                if closing == nil { throw .unexpectedParenthesis(column: column) }
                break
            }
            if token == .or || token == .and {
                let name = token == .or ? "OR" : "AND"
                if expectOperand || !hadItem {
                    throw .missingOperand(operator: name, column: column)
                }
                index += 1
                expectOperand = true
                lastOperator = (name, column)
                continue
            }
            // An AND chain: unary ("AND" unary)*.
            var chain: [(Modifier, Query.Node?)] = [try unary(tokens, &index, text: text, depth: depth)]
            while index < tokens.count, tokens[index].token == .and {
                let andColumn = tokens[index].column
                index += 1
                guard index < tokens.count, tokens[index].token != .close, tokens[index].token != .or, tokens[index].token != .and else {
                    throw .missingOperand(operator: "AND", column: andColumn)
                }
                chain.append(try unary(tokens, &index, text: text, depth: depth))
            }
            expectOperand = false
            hadItem = true
            let present = chain.compactMap { modifier, node in node.map { (modifier, $0) } }
            if present.count == 1 && chain.count == 1 {
                built.add(present[0].1, modifier: present[0].0)
            } else if !present.isEmpty {
                var inner = GroupBuilder()
                for (modifier, node) in present { inner.add(node, modifier: modifier == .mustNot ? .mustNot : .must) }
                if inner.group.must.isEmpty { throw .onlyExclusions }
                built.group.should.append(.group(inner.group))
            }
        }
        if expectOperand { throw .missingOperand(operator: lastOperator.name, column: lastOperator.column) }
        return built.group
    }

    /// A group being built: a node given twice is added once (``appendNew(_:to:seen:)``).
    private struct GroupBuilder {
        var group = Query.Group()
        private var should: Set<Query.Node> = []
        private var must: Set<Query.Node> = []
        private var mustNot: Set<Query.Node> = []

        mutating func add(_ node: Query.Node, modifier: Modifier) {
            switch (modifier, node) {
            case (.mustNot, _): appendNew(node, to: &group.mustNot, seen: &mustNot)
            case (.must, _), (.none, .filter): appendNew(node, to: &group.must, seen: &must)
            case (.none, _): appendNew(node, to: &group.should, seen: &should)
            }
        }
    }

    /// Parentheses and modifiers (`+`, `-`, `NOT`) nested deeper than this are an error: the
    /// parser and every walk of the query tree recurse once a level, and a thread's stack
    /// (half a megabyte on a server's worker) must hold them all.
    package static let maximumDepth = 100

    /// A modifier (`+`, `-`, `NOT`) and what it applies to; `nil` when that analyzes to nothing.
    private func unary(_ tokens: [(token: Token, column: Int)], _ index: inout Int, text: String, depth: Int) throws(SearchError) -> (Modifier, Query.Node?) {
        let (token, column) = tokens[index]
        guard depth < Self.maximumDepth else { throw .tooDeep(column: column, limit: Self.maximumDepth) }
        index += 1
        switch token {
        case .plus, .minus, .not:
            let name = token == .plus ? "+" : token == .minus ? "-" : "NOT"
            guard index < tokens.count, [.close, .and, .or].allSatisfy({ $0 != tokens[index].token }) else {
                throw .missingOperand(operator: name, column: column)
            }
            let (inner, node) = try unary(tokens, &index, text: text, depth: depth + 1)
            let outer: Modifier = token == .plus ? .must : .mustNot
            // NOT NOT x and - -x cancel; + keeps the inner modifier.
            if outer == .mustNot && inner == .mustNot { return (.must, node) }
            return (outer == .must && inner != .none ? inner : outer, node)
        case .open:
            let group = try sequence(tokens, &index, text: text, closing: column, depth: depth + 1)
            guard index < tokens.count, tokens[index].token == .close else { throw .unbalancedParenthesis(column: column) }
            index += 1
            if group.should.isEmpty && group.must.isEmpty {
                if group.mustNot.isEmpty { return (.none, nil) }
                throw .onlyExclusions
            }
            return (.none, .group(group))
        case .quoted(let phrase):
            return (.none, try node(for: phrase))
        case .word(let word):
            return (.none, try node(for: word))
        case .exact(let text):
            return (.none, try node(for: text, fold: false))
        case .nameRun(let words):
            return (.none, try nameRunNode(words))
        case .field(let field, let value):
            switch field {
            case QueryParser.entityOperator:
                let ids = try entities(named: value)
                return (.none, ids.count == 1 ? .clause(.entity(ids[0])) : .group(Query.Group(should: ids.map { .clause(.entity($0)) })))
            case "doc:":
                return (.none, .filter(.document(value)))
            case "title:":
                let terms = analyzer.words(value).filter { !$0.isVariant }.map(\.term)
                guard !terms.isEmpty else { throw .emptyFilter(field: field, column: column) }
                return (.none, .filter(.title(terms)))
            default:
                return (.none, .filter(try FieldFilters.filter(field, value)))
            }
        case .close, .and, .or:
            throw .missingOperand(operator: token == .and ? "AND" : "OR", column: column)
        }
    }

    /// The node for a word or a phrase's text: its non-variant terms in position order,
    /// or'ed with its folded form when it holds a name.
    private func node(for text: String, fold: Bool = true, typed: Bool = true) throws(SearchError) -> Query.Node? {
        let clauses = try self.clauses(for: text, fold: fold, typed: typed)
        switch clauses.count {
        case 0: return nil
        case 1: return .clause(clauses[0])
        default: return .group(Query.Group(should: clauses.map(Query.Node.clause)))
        }
    }

    /// The clauses for a word or a phrase's text.
    /// - Parameter typed: a name typed as a name ranks passages naming it first (off for
    ///   the single words of a run of names, where the run does).
    func clauses(for text: String, fold: Bool = true, typed: Bool = true) throws(SearchError) -> [Query.Clause] {
        let tokens = analyzer.words(text)
        let terms = tokens.filter { !$0.isVariant }.map(\.term)
        var out: [Query.Clause] = []
        // One written word cut into parts carries its joined form as a variant.
        let joined = tokens.first { $0.isVariant && $0.kind == .word }
        let oneWord = tokens.allSatisfy { $0.start == tokens[0].start && $0.end == tokens[0].end }
        switch terms.count {
        case 0: return []
        case 1: out.append(.term(terms[0]))
        default:
            if oneWord, let joined, joined.term == terms.joined() {
                out.append(.compound(parts: terms, joined: joined.term))
            } else {
                out.append(.phrase(terms))
            }
        }
        // The stage is used in place: bound to a name, its many tables would be copied and
        // released for every word of every query.
        if fold && foldNames, let words = analyzer.names?.queryWords(for: tokens, text: text) {
            var foldingLatin = true
            // As the searcher judges them (``Searcher/withoutCommonWords(_:lookups:)``).
            if let writesAsName, NamePattern.foldsOnEvidence(words.latinWords, arabicName: words.hasArabicName) {
                foldingLatin = try writesAsName(words.latinWords)
            }
            let (pattern, aliases) = analyzer.names!.queryForms(of: words, foldingLatin: foldingLatin)
            if pattern != nil || aliases != nil {
                var all = pattern ?? NamePattern(alternatives: [])
                all.written = terms
                all.typed = typed && typedAsName(text)
                for alternative in aliases?.alternatives ?? [] where !all.alternatives.contains(alternative) {
                    all.alternatives.append(alternative)
                    if alternative.contains(where: { if case .arabicWord = $0 { return true } else { return false } }) {
                        all.arabicFromList = true
                    }
                }
                out.append(.names(all))
            }
        }
        return out
    }

    /// Runs of two or more name words typed one after another, with no operator, quote or
    /// field among them, as one ``Token/nameRun(_:)`` each (`Abu Kamal`, `Al Qusayr`,
    /// `دير الزور`); a run needs a name that is not an article or particle.
    private func groupNameRuns(_ tokens: [(token: Token, column: Int)]) -> [(token: Token, column: Int)] {
        // A run holds a word typed as a name: a query with none (most technical queries) has
        // no run, and its words cost no lookup here.
        guard foldNames, tokens.contains(where: { if case .word(let word) = $0.token { typedAsName(word) } else { false } }),
              let names = analyzer.names else { return tokens }
        var out: [(token: Token, column: Int)] = []
        var i = 0
        while i < tokens.count {
            // A word bound to an operator before it (+ - NOT AND) or after it (AND) stays alone.
            let bound = i > 0 && [.plus, .minus, .not, .and].contains(tokens[i - 1].token)
            var j = i
            var run: [String] = []
            var hasName = false
            while j < tokens.count, !(bound && j == i), case .word(let word) = tokens[j].token,
                  !(j + 1 < tokens.count && tokens[j + 1].token == .and) {
                // Typed names are capitalised, as in text (or Arabic): lower-case words of a
                // technical query (`kmalloc gfp`) are not taken for one name, and cost no analysis.
                let lower = word.lowercased()
                let connector = names.rules.isConnector(lower)
                if !connector && !typedAsName(word) { break }
                let kind = connector ? .connector : names.kind(ofQueryWord: analyzer.words(word), text: word)
                if kind == .other { break }
                if kind == .name { hasName = true }
                run.append(word)
                j += 1
            }
            if run.count >= 2 && hasName {
                out.append((.nameRun(run), tokens[i].column))
                i = j
            } else {
                out.append(tokens[i])
                i += 1
            }
        }
        return out
    }

    /// A run of name words: each word as typed (articles and particles alone left out, as
    /// they would find every `al-` place), or'ed with the run as one name.
    private func nameRunNode(_ words: [String]) throws(SearchError) -> Query.Node? {
        var built = GroupBuilder()
        for word in words where analyzer.names?.kind(ofQueryWord: analyzer.words(word), text: word) != .connector {
            if let node = try node(for: word, typed: false) { built.add(node, modifier: .none) }
        }
        for clause in try clauses(for: words.joined(separator: " ")) { built.add(.clause(clause), modifier: .none) }
        return built.group.should.isEmpty ? nil : .group(built.group)
    }

    /// Whether `text` is typed as a name: the first of its words that is no article or
    /// particle (`al-Tanf`, `al-Bu Kamal`) begins with a capital or is Arabic.
    func typedAsName(_ text: String) -> Bool {
        // A word of ASCII without a capital settles on its bytes: no letter of it can be a
        // capital or Arabic (walking its Characters cost a third of a plain query's parse).
        var capitalOrNonASCII = true
        _ = text.utf8.withContiguousStorageIfAvailable { bytes in
            capitalOrNonASCII = bytes.contains { $0 >= 0x80 || $0 &- 0x41 < 26 }
        }
        if !capitalOrNonASCII { return false }
        // Most query words settle on their first letter: a capital, or a lower-case letter
        // that starts no article or particle.
        guard let first = text.first(where: \.isLetter) else { return false }
        if first.isUppercase || ArabicScript.isArabic(String(first)) { return true }
        guard let rules = analyzer.names?.rules else { return false }
        for part in text.split(whereSeparator: { !$0.isLetter }) {
            let word = part.lowercased()
            if rules.isConnector(word) { continue }
            return part.first.map { $0.isUppercase || ArabicScript.isArabic(String($0)) } ?? false
        }
        return false
    }

    /// The gazetteer entities `name` is an alias or a spelling of.
    package func entities(named name: String) throws(SearchError) -> [String] {
        guard let names = analyzer.names else { throw .namesOff(feature: "entities for actor: to filter by") }
        guard !name.allSatisfy(\.isWhitespace) else { throw .unknownEntity(name) }
        var ids = names.entities(named: analyzer.words(name), text: name)
        if ids.isEmpty, name.uppercased() != name {
            ids = names.entities(named: analyzer.words(name.uppercased()), text: name.uppercased())
        }
        guard !ids.isEmpty else { throw .unknownEntity(name) }
        return ids
    }
}

/// What the query tokenizer reads: characters, or bytes when every character is one byte.
private protocol QueryCharacter {
    /// Whether this is the ASCII character `c`.
    func `is`(_ c: Unicode.Scalar) -> Bool
    /// White space.
    var isQuerySpace: Bool { get }
    /// A letter.
    var isQueryLetter: Bool { get }
    /// A quote or a parenthesis, which ends a word.
    var endsWord: Bool { get }
}

extension UInt8: QueryCharacter {
    @inline(__always) func `is`(_ c: Unicode.Scalar) -> Bool { self == UInt8(ascii: c) }
    var isQuerySpace: Bool { self == 0x20 || (self >= 0x09 && self <= 0x0D) }
    var isQueryLetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
    var endsWord: Bool { self == 0x22 || self == 0x28 || self == 0x29 }
}

extension Character: QueryCharacter {
    @inline(__always) func `is`(_ c: Unicode.Scalar) -> Bool { self == Character(c) }
    var isQuerySpace: Bool { QueryParser.isSpace(self) }
    var isQueryLetter: Bool {
        if let a = asciiValue { return a.isQueryLetter }
        return isLetter
    }
    var endsWord: Bool { self == "\"" || self == "(" || self == ")" }
}
