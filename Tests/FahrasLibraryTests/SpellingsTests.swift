@testable import Fahras
import Testing

@Suite("Library: the spellings a query matched")
struct SpellingsTests {
    /// A span's words are joined by one space whatever separated them; a span without a
    /// space is taken as it is, in any script.
    @Test func aSpanIsItsWordsJoinedByOneSpace() {
        let cases: [(String, String)] = [
            ("Deir", "Deir"), ("al-Tanf", "al-Tanf"), ("Deir  Ezzor", "Deir Ezzor"), ("Deir\nez-Zor", "Deir ez-Zor"),
            ("دير الزور", "دير الزور"), ("دير\u{00A0}الزور", "دير الزور"), ("Ḩimş", "Ḩimş"), (" Raqqa\t", "Raqqa"),
        ]
        for (span, spelling) in cases {
            #expect(SearchResults.spelling(Substring(span)) == spelling, "\(span)")
        }
    }
}
