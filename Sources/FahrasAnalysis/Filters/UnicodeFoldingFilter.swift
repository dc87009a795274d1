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
public struct UnicodeFoldingFilter: TermFilter {
    public let characters: CharacterTable

    public init(characters: CharacterTable = .standard) {
        self.characters = characters
    }

    public func transform(_ term: String) -> String? {
        if term.isASCII { return Self.asciiLowercased(term) }
        // ASCII with inert scalars only: the steps below would change the ASCII letters' case alone.
        if term.unicodeScalars.allSatisfy({ $0.isASCII || isInert($0) }) { return Self.asciiLowercased(term) }
        return normalized(term)
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
    public var plainTermLimit: Int { .max }

    /// ASCII lower-casing without allocation when nothing changes.
    static func asciiLowercased(_ term: String) -> String {
        guard term.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return term }
        return String(decoding: term.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
