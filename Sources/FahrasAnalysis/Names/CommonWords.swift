/// Ordinary English words (`Data/common-words.txt`): a capitalised word on the list starts
/// a sentence or a title rather than naming someone, so it is not folded as a name.
package struct CommonWords: Sendable {
    private var ranks: [String: Int] = [:]
    /// Names the list's contents, for the analyzer signature.
    package let signature: UInt64

    /// The list bundled with Fahras.
    package static let standard = CommonWords(text: String(decoding: PackageResources.common_words_txt, as: UTF8.self))

    /// Reads a list of one word per line, most frequent first; `#` starts a comment.
    ///
    /// Read straight from the bytes, without a line or field array each (every search that
    /// folds names reads the list first): a line's word is its first field.
    package init(text: String) {
        signature = fingerprint(text.utf8)
        var text = text
        var ranks: [String: Int] = [:]
        text.withUTF8 { bytes in
            ranks.reserveCapacity(bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 })
            let n = bytes.count
            var start = 0
            while start < n {
                var end = start
                while end < n && bytes[end] != 0x0A { end += 1 }
                // The first field, by the rules of every data file (DataLines).
                let word = DataLines.field(bytes, from: start, before: DataLines.contentEnd(bytes, start..<end)).trimmed
                if !word.isEmpty {
                    let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[word]), as: UTF8.self)
                    if ranks[word] == nil { ranks[word] = ranks.count }
                }
                start = end + 1
            }
        }
        self.ranks = ranks
    }

    /// Whether `word` (lower case) is on the list.
    package func contains(_ word: String) -> Bool { ranks[word] != nil }

    /// The word's place in the list by frequency, from 0; `nil` when absent.
    package func rank(of word: String) -> Int? { ranks[word] }
}
