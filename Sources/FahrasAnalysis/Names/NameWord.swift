/// A word of analysed text as the name stage sees it: its folded term, how it was written,
/// and what it is (a name, an article, an acronym or an ordinary word).
struct NameWord {
    enum Role: Equatable {
        /// An ordinary word: matched exactly.
        case plain
        /// The article before a name (`al`, `ez`): skipped when names are compared.
        case article
        /// Upper-case letters (`US`, `SAA`): matched exactly and case-sensitively.
        case acronym
        /// A Latin-script name word.
        indirect case latin(NameSpelling)
        /// An Arabic-script word: the word without its article (marked when it had one:
        /// ``ArabicScript/nameForm(_:surface:)``), and its Latin letters.
        indirect case arabic(word: String, spelling: NameSpelling)
    }

    var term: String
    var surface: String
    var position: Int
    var start: Int
    var end: Int
    var role: Role

    var isName: Bool {
        switch role {
        case .latin, .arabic: return true
        default: return false
        }
    }

    /// Whether the role is ``Role/article``, or ``Role/plain``: tested by case, without
    /// `==`, which copies both roles (and their spellings) to compare them.
    var isArticle: Bool {
        if case .article = role { return true } else { return false }
    }

    var isPlain: Bool {
        if case .plain = role { return true } else { return false }
    }

    /// The letters of an all-capitals word without its dots and possessive (`U.S.` → `US`,
    /// `ISIL’s` → `ISIL`), else `nil`.
    var acronymLetters: String? { NameWord.acronymLetters(of: surface) }

    /// The letters of `surface` if it is an acronym (see ``acronymLetters``).
    static func acronymLetters(of surface: String) -> String? {
        if surface.isASCII {
            return surface.withUTF8Bytes { all -> String? in
                guard let letters = asciiAcronymLetters(all) else { return nil }
                // All letters, as most acronyms are written (`NATO`): the word itself.
                if letters.count == all.count && !letters.contains(where: { !isASCIILetter($0) }) { return surface }
                return String(unsafeUninitializedCapacity: letters.count) { out in
                    var n = 0
                    for b in letters where isASCIILetter(b) { out[n] = b; n += 1 }
                    return n
                }
            }
        }
        return unicodeAcronymLetters(of: surface)
    }

    /// Whether `surface` is an acronym: ``acronymLetters(of:)`` is not `nil` (without making
    /// the letters).
    static func isAcronym(_ surface: String) -> Bool {
        if surface.isASCII { return surface.withUTF8Bytes { asciiAcronymLetters($0) != nil } }
        return unicodeAcronymLetters(of: surface) != nil
    }

    private static func isASCIILetter(_ b: UInt8) -> Bool { b | 0x20 &- 0x61 < 26 }

    /// For ASCII `bytes`: the bytes whose letters are the acronym's (without a possessive
    /// `'s`), when there are at least two letters and all are capitals; one lower-case letter
    /// is enough to say no.
    private static func asciiAcronymLetters(_ all: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        var bytes = all
        if bytes.count > 2, bytes[bytes.count - 1] == 0x73, !isASCIILetter(bytes[bytes.count - 2]) {
            bytes = UnsafeBufferPointer(rebasing: bytes.dropLast(2))
        }
        var count = 0
        for b in bytes where isASCIILetter(b) {
            guard b &- 0x41 < 26 else { return nil }
            count += 1
        }
        return count >= 2 ? bytes : nil
    }

    /// ``acronymLetters(of:)`` for any script, by Unicode properties.
    private static func unicodeAcronymLetters(of surface: String) -> String? {
        var letters = Array(surface.unicodeScalars)
        if letters.count > 2, letters.last == "s", !letters[letters.count - 2].properties.isAlphabetic {
            letters.removeLast(2)
        }
        letters.removeAll { !$0.properties.isAlphabetic }
        guard letters.count >= 2, letters.allSatisfy({ $0.properties.isUppercase }) else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: letters)
        return String(view)
    }
}
