import Foundation

/// Unicode normalisation, case folding and diacritic folding: `Ḥimṣ`, `Ḩimş` and `HIMS`
/// all become `hims`; `دِيرُ` loses its tashkeel; full-width `ＵＳ` becomes `us`.
///
/// Steps, for terms with any non-ASCII byte (ASCII terms are only lower-cased):
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

    /// ASCII terms are only lower-cased (``asciiLowercased(_:)``).
    public var plainTermLimit: Int { .max }

    /// ASCII lower-casing without allocation when nothing changes.
    static func asciiLowercased(_ term: String) -> String {
        guard term.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return term }
        return String(decoding: term.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
