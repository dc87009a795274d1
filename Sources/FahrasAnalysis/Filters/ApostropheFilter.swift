/// Removes apostrophes and ayn/hamza marks from inside words, and the English possessive.
///
/// `syria’s` → `syria`, `kata'ib` → `kataib`, `dar‘a` → `dara`, `ma'arrat` → `maarrat`.
/// The possessive `'s` goes only after at least two letters, so a name such as `Sa'ad`
/// keeps its letters. Which characters are apostrophes is `marks.tsv`'s `apostrophe` role.
package struct ApostropheFilter: TermFilter {
    package let characters: CharacterTable
    /// Plain terms pass unchanged unless the table gives a letter or digit this role.
    package let plainTermLimit: Int

    package init(characters: CharacterTable = .standard) {
        self.characters = characters
        plainTermLimit = characters.plainBytesHaveNone(of: [.apostrophe]) ? .max : 0
    }

    package func transform(_ term: String) -> String? {
        if term.isASCII {
            guard term.withUTF8Bytes({ $0.contains { characters.role(of: UInt32($0)) == .apostrophe } }) else { return term }
        } else {
            guard term.unicodeScalars.contains(where: isApostrophe) else { return term }
        }
        var scalars = Array(term.unicodeScalars)
        if scalars.count >= 4, scalars[scalars.count - 1] == "s", isApostrophe(scalars[scalars.count - 2]) {
            scalars.removeLast(2)
        }
        scalars.removeAll(where: isApostrophe)
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        characters.role(of: scalar.value) == .apostrophe
    }
}
