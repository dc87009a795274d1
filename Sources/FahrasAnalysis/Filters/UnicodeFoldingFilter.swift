import Foundation

/// Unicode normalisation, case folding and diacritic folding: `Ḥimṣ`, `Ḩimş` and `HIMS`
/// all become `hims`; `دِيرُ` loses its tashkeel; full-width `ＵＳ` becomes `us`.
///
/// Steps, for terms with any non-ASCII byte (ASCII terms, and ASCII with inert scalars only
/// (``isInert(_:)``), are only lower-cased):
/// 1. NFKC (compatibility forms: ligatures, full-width and presentation forms);
/// 2. lower-casing;
/// 3. canonical decomposition, then every non-spacing mark (Mn) dropped: Latin diacritics,
///    Arabic harakat, shadda and superscript alef all go;
/// 4. letters Unicode does not decompose (`ı ł ø đ ħ ß`…) folded by `marks.tsv`, ignorable
///    characters removed, decimal digits of any script (`٣١٣`) turned into ASCII (`313`).
package struct UnicodeFoldingFilter: TermFilter {
    package let characters: CharacterTable

    /// ``isInert(_:)``'s answers for the punctuation blocks (the first three of
    /// ``inertBlocks``, 175 scalars), one bit each, worked out when the filter is made: the
    /// quotes and dashes of web text are then judged without property lookups.
    private let punctuationInert: (UInt64, UInt64, UInt64)
    /// Terms already through steps 1–4: each step is a pass of Foundation's over a new
    /// string (some 32,000 instructions a term), and text repeats its words.
    private let folded = ShardedCache<String>(limit: 50_000)

    package init(characters: CharacterTable = .standard) {
        self.characters = characters
        var bits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let filter = UnicodeFoldingFilter(characters: characters, punctuationInert: (0, 0, 0))
        for block in Self.inertBlocks.prefix(3) {
            for value in block {
                guard let scalar = Unicode.Scalar(value), filter.isInert(scalar), let k = Self.punctuationIndex(value) else { continue }
                switch k >> 6 {
                case 0: bits.0 |= 1 << UInt64(k & 63)
                case 1: bits.1 |= 1 << UInt64(k & 63)
                default: bits.2 |= 1 << UInt64(k & 63)
                }
            }
        }
        punctuationInert = bits
    }

    private init(characters: CharacterTable, punctuationInert: (UInt64, UInt64, UInt64)) {
        self.characters = characters
        self.punctuationInert = punctuationInert
    }

    /// The bit of `value` in ``punctuationInert``, if it lies in those blocks.
    private static func punctuationIndex(_ value: UInt32) -> Int? {
        switch value {
        case 0xA0...0xBF: return Int(value - 0xA0)
        case 0x2010...0x205E: return 32 + Int(value - 0x2010)
        case 0x3000...0x303F: return 111 + Int(value - 0x3000)
        default: return nil
        }
    }

    /// ``isInert(_:)``, from the bits for punctuation; CJK ideographs pass every property
    /// test (the same test checks it), so only the character table can hold them back.
    func isInertQuickly(_ scalar: Unicode.Scalar) -> Bool {
        guard let k = Self.punctuationIndex(scalar.value) else {
            guard scalar.value >= 0x4E00 && scalar.value <= 0x9FFF else { return false }
            switch characters.role(of: scalar.value) {
            case .ignorable, .fold: return false
            default: return true
            }
        }
        let word = k >> 6 == 0 ? punctuationInert.0 : k >> 6 == 1 ? punctuationInert.1 : punctuationInert.2
        return word & (1 << UInt64(k & 63)) != 0
    }

    /// Whether every scalar of valid UTF-8 `bytes` is ASCII or inert, decoded in place.
    private func isASCIIOrInert(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            guard let (value, length) = Tokenizer.scalar(in: bytes, at: i), let scalar = Unicode.Scalar(value),
                  isInertQuickly(scalar) else { return false }
            i += length
        }
        return true
    }

    package func transform(_ term: String) -> String? {
        if term.isASCII { return Self.asciiLowercased(term) }
        // ASCII with inert scalars only: the steps below would change the ASCII letters' case alone.
        if term.withUTF8Bytes(isASCIIOrInert) { return Self.asciiLowercased(term) }
        return folded.value(for: term, normalized)
    }

    /// Steps 1–4 of the folding, for any term.
    func normalized(_ term: String) -> String {
        let decomposed = term.precomposedStringWithCompatibilityMapping.lowercased().decomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars {
            if let role = characters.role(of: scalar.value) {
                if role == .ignorable { continue }
                if role == .fold, let target = characters.foldTarget(of: scalar.value) {
                    scalars.append(contentsOf: target.unicodeScalars)
                    continue
                }
            }
            let properties = scalar.properties
            if properties.generalCategory == .nonspacingMark { continue }
            if properties.generalCategory == .decimalNumber, scalar.value > 0x7F,
               let digit = properties.numericValue, let ascii = Unicode.Scalar(0x30 + UInt32(digit)) {
                scalars.append(ascii)
                continue
            }
            scalars.append(scalar)
        }
        return String(scalars).precomposedStringWithCanonicalMapping
    }

    /// Blocks of scalars without canonical decompositions, none of which composes with a
    /// character before it: punctuation of Latin-1 and General Punctuation, CJK symbols
    /// and punctuation, CJK unified ideographs.
    static let inertBlocks: [ClosedRange<UInt32>] = [0xA0...0xBF, 0x2010...0x205E, 0x3000...0x303F, 0x4E00...0x9FFF]

    /// Whether every step of ``transform(_:)`` leaves `scalar` as it is, wherever it stands
    /// (the quotes, dashes and pilcrows of web text, Chinese words): a scalar of
    /// ``inertBlocks`` that NFKC and case folding keep, that is no mark or digit, and that
    /// the character table neither drops nor folds.
    func isInert(_ scalar: Unicode.Scalar) -> Bool {
        guard Self.inertBlocks.contains(where: { $0.contains(scalar.value) }) else { return false }
        let properties = scalar.properties
        guard !properties.changesWhenNFKCCaseFolded, !properties.changesWhenLowercased,
              properties.canonicalCombiningClass == .notReordered else { return false }
        switch properties.generalCategory {
        case .nonspacingMark, .decimalNumber: return false
        default: break
        }
        switch characters.role(of: scalar.value) {
        case .ignorable, .fold: return false
        default: return true
        }
    }

    /// ASCII terms are only lower-cased (``asciiLowercased(_:)``).
    package var plainTermLimit: Int { .max }

    /// ASCII lower-casing without allocation when nothing changes.
    static func asciiLowercased(_ term: String) -> String {
        term.withUTF8Bytes { bytes in
            guard bytes.contains(where: { $0 &- 0x41 < 26 }) else { return term }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                for (k, b) in bytes.enumerated() { out[k] = b &- 0x41 < 26 ? b | 0x20 : b }
                return bytes.count
            }
        }
    }
}
