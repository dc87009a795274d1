/// Splits text into word tokens, the first stage of every analyzer.
///
/// A word is a run of letters, digits and combining marks (by Unicode properties), held
/// together by the joiners of ``CharacterTable``:
/// - apostrophes and ayn/hamza marks between letters (`Syria’s`, `Kata'ib`, `Dar‘ā`),
/// - hyphens between word characters (`al-Tanf`, `US-backed`, `T-4`),
/// - digit separators between digits (`147,805`, `3.5`),
/// - full stops inside single-letter acronyms (`U.S.`, `U.N.`),
/// - ignorable characters anywhere inside (soft hyphen, zero-width joiners, tatweel).
/// A joiner at the edge of a word (a closing quote, a trailing hyphen) is not part of it.
///
/// Works on the UTF-8 bytes with an ASCII fast path; offsets are UTF-8 byte offsets.
package struct Tokenizer: Sendable {
    package let characters: CharacterTable

    package init(characters: CharacterTable = .standard) {
        self.characters = characters
    }

    /// The kinds of character the tokenizer distinguishes.
    enum Kind: UInt8 {
        case separator, letter, digit, apostrophe, hyphen, ignorable, digitGroup, decimalPoint
        var isWord: Bool { self == .letter || self == .digit }
    }

    /// The raw words of `text`, numbered from 0; `term` is the exact source text.
    package func tokenize(_ text: String) -> [Token] {
        var text = text
        return text.withUTF8 { tokenize(utf8: $0) }
    }

    /// The raw words of UTF-8 bytes.
    package func tokenize(utf8 bytes: UnsafeBufferPointer<UInt8>) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 6)
        let n = bytes.count
        var i = 0
        while i < n {
            let (kind, length) = classify(bytes, i)
            guard kind.isWord else { i += length; continue }
            let start = i
            var end = i + length
            var previous = kind
            var segmentLetters = kind == .letter ? 1 : 0  // letters since the last joiner
            var j = end
            while j < n {
                let (next, nextLength) = classify(bytes, j)
                if next.isWord {
                    if next == .letter { segmentLetters += 1 } else { segmentLetters = 0 }
                    j += nextLength
                    end = j
                    previous = next
                    continue
                }
                if next == .ignorable { j += nextLength; continue }
                let after = j + nextLength
                guard after < n else { break }
                let (following, followingLength) = classify(bytes, after)
                var joins: Bool
                switch next {
                case .apostrophe:
                    joins = previous == .letter && following == .letter
                case .hyphen:
                    joins = following.isWord
                case .digitGroup:
                    joins = previous == .digit && following == .digit
                case .decimalPoint:
                    if previous == .digit && following == .digit {
                        joins = true  // 3.5
                    } else {
                        // U.S., U.N.: a full stop between two single letters.
                        let beyond = after + followingLength
                        joins = bytes[j] == 0x2E && previous == .letter && segmentLetters == 1
                            && following == .letter && (beyond >= n || classify(bytes, beyond).0 != .letter)
                    }
                default:
                    joins = false
                }
                guard joins else { break }
                segmentLetters = 0
                j = after
            }
            tokens.append(Token(term: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self),
                                start: start, end: end, position: tokens.count))
            i = end
        }
        return tokens
    }

    /// Blocks whose every scalar is an other letter (`Lo`): CJK unified ideographs, Hangul
    /// syllables.
    static let letterBlocks: [ClosedRange<UInt32>] = [0x4E00...0x9FFF, 0xAC00...0xD7A3]

    /// The kind and UTF-8 length of the character at `i`: ASCII here, inlined into the
    /// loops (letters and digits by range tests first), the rest in ``classifyScalar(_:_:)``.
    @inline(__always)
    func classify(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Kind, Int) {
        let b = bytes[i]
        guard b < 0x80 else { return classifyScalar(bytes, i) }
        if (b | 0x20) &- 0x61 < 26 { return (.letter, 1) }
        if b &- 0x30 < 10 { return (.digit, 1) }
        switch b {
        case 0x27, 0x60: return (.apostrophe, 1)
        case 0x2D: return (.hyphen, 1)
        case 0x2C: return (.digitGroup, 1)
        case 0x2E: return (.decimalPoint, 1)
        default: return (.separator, 1)
        }
    }

    /// The value and UTF-8 length of the scalar whose lead byte (0x80 or above) is at `i`,
    /// or `nil` for a continuation byte or a sequence cut short by the end.
    @inline(__always)
    static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (value: UInt32, length: Int)? {
        let b = bytes[i]
        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        guard length > 1, i + length <= bytes.count else { return nil }
        var value = UInt32(b) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for k in 1..<length { value = (value << 6) | UInt32(bytes[i + k] & 0x3F) }
        return (value, length)
    }

    /// ``classify(_:_:)`` for a byte of 0x80 and above: the scalar it starts.
    @inline(never)
    func classifyScalar(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Kind, Int) {
        guard let (value, length) = Tokenizer.scalar(in: bytes, at: i) else { return (.separator, 1) }
        if let role = characters.role(of: value) {
            switch role {
            case .apostrophe: return (.apostrophe, length)
            case .hyphen: return (.hyphen, length)
            case .ignorable: return (.ignorable, length)
            case .digitGroup: return (.digitGroup, length)
            case .decimalPoint: return (.decimalPoint, length)
            case .fold: return (.letter, length)
            }
        }
        // CJK ideographs and Hangul syllables (the most frequent non-Latin scalars of
        // multilingual text) are letters: their blocks hold nothing else (tested).
        if Tokenizer.letterBlocks.contains(where: { $0.contains(value) }) { return (.letter, length) }
        guard let scalar = Unicode.Scalar(value) else { return (.separator, length) }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .decimalNumber:
            return (.digit, length)
        case .nonspacingMark, .spacingMark, .enclosingMark, .letterNumber, .otherNumber:
            return (.letter, length)
        default:
            return (properties.isAlphabetic ? .letter : .separator, length)
        }
    }
}
