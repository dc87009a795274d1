/// Drops thousands separators from numbers: `147,805` → `147805`, `٥٠٬٠٠٠` (after digit
/// folding `50٬000`) → `50000`. The tokenizer joins digit-group characters only between
/// digits, so every one left in a term is a separator.
package struct NumberFilter: TermFilter {
    package let characters: CharacterTable
    /// Plain terms pass unchanged unless the table gives a letter or digit this role.
    package let plainTermLimit: Int

    package init(characters: CharacterTable = .standard) {
        self.characters = characters
        plainTermLimit = characters.plainBytesHaveNone(of: [.digitGroup]) ? .max : 0
    }

    package func transform(_ term: String) -> String? {
        // ASCII (most terms): the bytes are the scalars, tested without decoding them.
        var ascii = true
        var separated = false
        term.withUTF8Bytes { bytes in
            for b in bytes {
                if b >= 0x80 { ascii = false; break }
                if characters.role(of: UInt32(b)) == .digitGroup { separated = true }
            }
        }
        if ascii {
            guard separated else { return term }
            return String(decoding: term.utf8.filter { characters.role(of: UInt32($0)) != .digitGroup }, as: UTF8.self)
        }
        guard term.unicodeScalars.contains(where: isGroupSeparator) else { return term }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: term.unicodeScalars.filter { !isGroupSeparator($0) })
        return String(view)
    }

    private func isGroupSeparator(_ scalar: Unicode.Scalar) -> Bool {
        characters.role(of: scalar.value) == .digitGroup
    }
}
