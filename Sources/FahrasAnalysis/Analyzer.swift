/// The analyze stage: text in, index terms with positions and offsets out.
///
/// An analyzer is a tokenizer followed by a chain of small filters, each testable alone and
/// read top to bottom. The same analyzer runs at index time and at query time, so a query
/// term matches exactly the text terms it would have become.
///
/// ```swift
/// Analyzer.standard.analyze("Syria’s al-Tanf").map(\.term)
/// // ["syria", "al", "tanf", "altanf"]
/// ```
package struct Analyzer: Sendable {
    package var tokenizer: Tokenizer
    package var filters: [any TokenFilter] {
        didSet { stages = Stage.plan(filters) }
    }
    /// The name stage after the filters: fold keys and entities (`nil`: words only).
    package var names: NameStage?

    /// How ``filters`` run: a run of filters that rewrite terms one by one (``TermFilter``s)
    /// is applied token by token in one pass, the others each over the whole list.
    private var stages: [Stage]

    private enum Stage: Sendable {
        case tokens(any TokenFilter)
        /// Term filters, and the smallest of their plain-term limits.
        case terms([any TermFilter], plainLimit: Int)

        static func plan(_ filters: [any TokenFilter]) -> [Stage] {
            var stages: [Stage] = []
            for filter in filters {
                if let filter = filter.asTermFilter {
                    if case .terms(let run, let limit) = stages.last {
                        stages[stages.count - 1] = .terms(run + [filter], plainLimit: min(limit, filter.plainTermLimit))
                    } else {
                        stages.append(.terms([filter], plainLimit: filter.plainTermLimit))
                    }
                } else {
                    stages.append(.tokens(filter))
                }
            }
            return stages
        }
    }

    package init(tokenizer: Tokenizer, filters: [any TokenFilter], names: NameStage? = nil) {
        self.tokenizer = tokenizer
        self.filters = filters
        self.names = names
        stages = Stage.plan(filters)
    }

    /// The word chain for news text, without the name stage.
    package static let wordChain = Analyzer(
        tokenizer: Tokenizer(),
        filters: [
            LengthFilter(),          // first: no later filter sees a 50 MB "word"
            UnicodeFoldingFilter(),  // NFKC, lower case, diacritics and tashkeel off
            ApostropheFilter(),      // after folding: marks are plain code points by then
            AcronymFilter(),
            NumberFilter(),
            WordDelimiterFilter(),   // last: splits the final forms into parts
        ])

    /// The standard analyzer: the word chain, then names and the bundled gazetteer.
    package static let standard = Analyzer.standard(entities: .bundled)

    /// The standard analyzer with another gazetteer (the bundled one plus a user's list).
    package static func standard(entities: Gazetteer) -> Analyzer {
        var analyzer = wordChain
        analyzer.names = NameStage(gazetteer: entities)
        return analyzer
    }

    /// Version of the analysis code; part of ``signature``. Raise it whenever the output
    /// of the chain changes for the same data files.
    package static let version = "standard-5"

    /// Names the character table (`marks.tsv`), which changes the word tokens themselves.
    package static let marksSignature = fingerprint(PackageResources.marks_tsv)

    /// Names this analyzer's configuration: the code version and a fingerprint of its data
    /// files (folding rules, tables, word list, gazetteer). Stored in the index, so that a
    /// reader refuses to mix terms of two analyzers.
    package var signature: String {
        let words = fingerprint([Analyzer.marksSignature, filterSignature]
            .flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } })
        guard let names else { return Analyzer.version + "-words-" + String(words, radix: 16) }
        let both = fingerprint([names.signature, words]
            .flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } })
        let hex = String(both, radix: 16)
        return Analyzer.version + "-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Names the filter chain: each filter and its settings, in order.
    var filterSignature: UInt64 { fingerprint(Array(filters.map(\.signature).joined(separator: ",").utf8)) }

    /// The parts of ``signature``, to say what changed when two differ: the code version
    /// and a fingerprint of each data file.
    package var configuration: [String: String] {
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        let words = ["marks": hex(Analyzer.marksSignature), "filters": hex(filterSignature)]
        guard let names else { return words.merging(["code": Analyzer.version + "-words"]) { $1 } }
        return words.merging([
            "code": Analyzer.version,
            "transliteration": hex(names.rules.signature),
            "arabic": hex(names.arabic.signature),
            "common-words": hex(names.common.signature),
            "gazetteer": hex(names.gazetteer.signature),
        ]) { $1 }
    }

    /// What a configuration part is, in words (for messages).
    package static func describe(configurationPart part: String) -> String {
        switch part {
        case "code": return "the analysis code (another fahras version)"
        case "transliteration": return "the folding rules (transliteration.tsv)"
        case "marks": return "the character table (marks.tsv)"
        case "filters": return "the filter chain (its filters, their order and settings)"
        case "arabic": return "the Arabic letter table (arabic.tsv)"
        case "common-words": return "the common-word list (common-words.txt)"
        case "gazetteer": return "the entity list (bundled entities.tsv or --entities FILE)"
        default: return part
        }
    }

    /// Builds its name stage's data now (see ``NameStage/build()``).
    package func build() { names?.build() }

    /// Marks the terms of a document's title, indexed with its first passage: a `title:`
    /// query finds the document by them, however short the headline, without the title
    /// becoming a passage (passages are ranges of the extracted text). The tokenizer never
    /// makes a word of it.
    package static let titlePrefix = "^"

    /// The index terms of a title: its words (no variants), each under ``titlePrefix``.
    package func titleTerms(_ title: String) -> [String] {
        analyze(title).filter { !$0.isVariant }.map { Analyzer.titlePrefix + $0.term }
    }

    /// Analyzes `text`. Offsets are UTF-8 byte offsets into `text`.
    package func analyze(_ text: String) -> [Token] {
        var tokens = words(text)
        // Optional chaining reads the stage in place (`if let` copied it, a retain per field).
        names?.appendTokens(to: &tokens, text: text)
        return tokens
    }

    /// The word tokens of `text`, without the name stage. A run of term filters gives the
    /// same terms in one pass as each over the whole list, without a list per filter, and
    /// passes by the plain terms all of them keep (``TermFilter/plainTermLimit``).
    package func words(_ text: String) -> [Token] {
        var tokens = tokenizer.tokenize(text)
        for stage in stages {
            switch stage {
            case .tokens(let filter):
                tokens = filter.filter(tokens)
            case .terms(let run, let plainLimit):
                var kept = 0
                for k in tokens.indices {
                    // A plain term every filter of the run keeps as it is: passed by.
                    if tokens[k].term.utf8.count <= plainLimit && tokens[k].term.isPlainTerm {
                        if kept != k { tokens[kept] = tokens[k] }  // (a copy onto itself costs a retain and a release)
                        kept += 1
                        continue
                    }
                    var term: String? = tokens[k].term
                    for f in run.indices {  // (for-in copied each filter, its tables retained)
                        guard let current = term else { break }
                        term = run[f].transform(current)
                        // Made plain (`Linux` folded to `linux`): the filters after keep it.
                        if let term, term.utf8.count <= plainLimit && term.isPlainTerm { break }
                    }
                    guard let term else { continue }
                    tokens[kept] = tokens[k]
                    tokens[kept].term = term
                    kept += 1
                }
                tokens.removeSubrange(kept...)
            }
        }
        tokens.removeAll { $0.term.isEmpty }
        return tokens
    }

    /// The folded form of a query word or phrase (see ``NameStage/pattern(for:text:)``).
    package func namePattern(_ text: String) -> NamePattern? {
        names?.pattern(for: words(text), text: text)
    }
}
