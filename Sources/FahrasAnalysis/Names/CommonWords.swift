/// Ordinary English words (`Data/common-words.txt`): a capitalised word on the list starts
/// a sentence or a title rather than naming someone, so it is not folded as a name.
public struct CommonWords: Sendable {
    private var ranks: [String: Int] = [:]
    /// Names the list's contents, for the analyzer signature.
    public let signature: UInt64

    /// The list bundled with Fahras.
    public static let standard = CommonWords(text: String(decoding: PackageResources.common_words_txt, as: UTF8.self))

    /// Reads a list of one word per line, most frequent first; `#` starts a comment.
    ///
    /// Read straight from the bytes (every search that folds names reads the list first):
    /// a line's word is its text before any `#` or tab, without spaces or `\r` around it.
    public init(text: String) {
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
                var a = start
                var b = start
                while b < end && bytes[b] != 0x23 && bytes[b] != 0x09 { b += 1 }
                while a < b && (bytes[a] == 0x20 || bytes[a] == 0x0D) { a += 1 }
                while b > a && (bytes[b - 1] == 0x20 || bytes[b - 1] == 0x0D) { b -= 1 }
                if a < b {
                    let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[a..<b]), as: UTF8.self)
                    if ranks[word] == nil { ranks[word] = ranks.count }
                }
                start = end + 1
            }
        }
        self.ranks = ranks
    }

    /// Whether `word` (lower case) is on the list.
    public func contains(_ word: String) -> Bool { ranks[word] != nil }

    /// The word's place in the list by frequency, from 0; `nil` when absent.
    public func rank(of word: String) -> Int? { ranks[word] }
}
