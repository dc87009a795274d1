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
public struct Analyzer: Sendable {
    public var tokenizer: Tokenizer
    public var filters: [any TokenFilter]

    public init(tokenizer: Tokenizer, filters: [any TokenFilter]) {
        self.tokenizer = tokenizer
        self.filters = filters
    }

    /// The standard chain for news text.
    public static let standard = Analyzer(
        tokenizer: Tokenizer(),
        filters: [
            LengthFilter(),          // first: no later filter sees a 50 MB "word"
            UnicodeFoldingFilter(),  // NFKC, lower case, diacritics and tashkeel off
            ApostropheFilter(),      // after folding: marks are plain code points by then
            AcronymFilter(),
            NumberFilter(),
            WordDelimiterFilter(),   // last: splits the final forms into parts
        ])

    /// Names this analyzer's configuration; stored in the index so that a reader can refuse
    /// to mix terms of two analyzers. Change it whenever the output of the chain changes.
    public static let standardSignature = "standard-1"

    /// Analyzes `text`. Offsets are UTF-8 byte offsets into `text`.
    public func analyze(_ text: String) -> [Token] {
        var tokens = tokenizer.tokenize(text)
        for filter in filters { tokens = filter.filter(tokens) }
        tokens.removeAll { $0.term.isEmpty }
        return tokens
    }
}
