/// One term of analysed text, with where it came from.
///
/// Tokens flow through the analyzer chain as plain values, as in Bleve and Lucene:
/// the tokenizer makes them, each filter rewrites, splits or drops them.
package struct Token: Equatable, Sendable, CustomStringConvertible {
    /// The indexed form (folded, lower-cased…). The tokenizer puts the raw text here.
    package var term: String
    /// UTF-8 byte offset of the token's first byte in the analysed text.
    package var start: Int
    /// UTF-8 byte offset just past the token's last byte.
    package var end: Int
    /// Word position in the text, from 0. Variants share the position of their word.
    package var position: Int
    /// An extra form stacked on a position that another token already fills (the joined
    /// `altanf` beside `al` + `tanf`). Variants are indexed but not counted in the passage
    /// length, and query phrases are built from the other tokens only.
    package var isVariant: Bool
    /// What the token stands for: a word, a name key or an entity (see ``NameStage``).
    package var kind: Kind

    /// The kinds of token.
    package enum Kind: UInt8, Sendable {
        /// A word of the text (a part or joined form of one included).
        case word
        /// A name word filed by its fold key or consonant skeleton.
        case name
        /// A gazetteer entity.
        case entity
    }

    package init(term: String, start: Int, end: Int, position: Int, isVariant: Bool = false, kind: Kind = .word) {
        self.term = term
        self.start = start
        self.end = end
        self.position = position
        self.isVariant = isVariant
        self.kind = kind
    }

    package var description: String {
        "\(term)@\(position)\(isVariant ? "*" : "")[\(start)..<\(end)]"
    }
}
