/// Ordinary English words (`Data/common-words.txt`): a capitalised word on the list starts
/// a sentence or a title rather than naming someone, so it is not folded as a name.
public struct CommonWords: Sendable {
    private var ranks: [String: Int] = [:]
    /// Names the list's contents, for the analyzer signature.
    public let signature: UInt64

    /// The list bundled with Fahras.
    public static let standard = CommonWords(text: String(decoding: PackageResources.common_words_txt, as: UTF8.self))

    /// Reads a list of one word per line, most frequent first; `#` starts a comment.
    public init(text: String) {
        signature = fingerprint(text.utf8)
        ranks.reserveCapacity(text.utf8.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 })
        for line in DataLines(text: text) where ranks[line.fields[0]] == nil {
            ranks[line.fields[0]] = ranks.count
        }
    }

    /// Whether `word` (lower case) is on the list.
    public func contains(_ word: String) -> Bool { ranks[word] != nil }

    /// The word's place in the list by frequency, from 0; `nil` when absent.
    public func rank(of word: String) -> Int? { ranks[word] }
}
