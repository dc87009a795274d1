/// Joins dotted acronyms: `u.s` → `us`, `u.n` → `un`, so `U.S.` matches `US`.
///
/// The tokenizer keeps a full stop inside a word only between digits (`3.5`) or between
/// single letters (`U.S.`); this filter removes the second kind.
package struct AcronymFilter: TermFilter {
    package init() {}

    package func transform(_ term: String) -> String? {
        guard term.withUTF8Bytes({ $0.contains(0x2E) && !$0.contains { $0 &- 0x30 < 10 } }) else { return term }
        return String(term.unicodeScalars.filter { $0 != "." }.map(Character.init))
    }

    /// Acronyms hold dots.
    package var plainTermLimit: Int { .max }
}
