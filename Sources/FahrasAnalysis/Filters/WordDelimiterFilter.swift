/// Splits hyphenated words into their parts and also keeps the joined form.
///
/// `al-tanf` → `al` `tanf` + `altanf`; `us-backed` → `us` `backed` + `usbacked`;
/// `t-4` → `t` `4` + `t4`. Letters and digits written together stay one word (`t4`,
/// `ivtv16`, `x86`), as every engine's standard tokenizer keeps them: identifiers are not
/// cut into pieces that inflate passage lengths and match unrelated words.
///
/// The parts take consecutive positions, so a query for `al-Tanf` is the phrase `al tanf`
/// and matches `al Tanf` too; the joined form is a variant on the first part's position,
/// so `T4` finds `T-4`, and a query for `T-4` also looks for `t4` (see
/// `Query.Clause.compound`). Every part keeps the whole word's offsets: a hit on `tanf`
/// highlights `al-Tanf` as written. (After Lucene's WordDelimiterGraphFilter with
/// `preserveOriginal`-style catenation.)
package struct WordDelimiterFilter: TokenFilter {
    package let characters: CharacterTable

    package init(characters: CharacterTable = .standard) {
        self.characters = characters
    }

    package func filter(_ tokens: [Token]) -> [Token] {
        // A term without a hyphen is its only part (plain terms, most of them): a list of
        // them only is returned as it is, and those before the first other one are taken
        // over in one go.
        guard let first = tokens.firstIndex(where: { !$0.term.isPlainTerm && hasHyphen($0.term) }) else { return tokens }
        var out: [Token] = []
        out.reserveCapacity(tokens.count + tokens.count / 8)
        out.append(contentsOf: tokens[..<first])
        var shift = 0
        for var token in tokens[first...] {
            token.position += shift
            // A term without a hyphen is its only part: kept without a list of one part.
            if token.term.isPlainTerm || !hasHyphen(token.term) {
                out.append(token)
                continue
            }
            let parts = split(token.term)
            if parts.count <= 1 {
                if let only = parts.first { token.term = only }
                out.append(token)
                continue
            }
            for (k, part) in parts.enumerated() {
                out.append(Token(term: part, start: token.start, end: token.end,
                                 position: token.position + k, isVariant: token.isVariant))
            }
            out.append(Token(term: parts.joined(), start: token.start, end: token.end,
                             position: token.position, isVariant: true))
            shift += parts.count - 1
        }
        return out
    }

    /// Whether `term` holds a hyphen (``split(_:)`` then gives other parts than the term).
    func hasHyphen(_ term: String) -> Bool {
        if term.isASCII {
            return term.withUTF8Bytes { bytes in bytes.contains { characters.role(of: UInt32($0)) == .hyphen } }
        }
        return term.unicodeScalars.contains { characters.role(of: $0.value) == .hyphen }
    }

    /// The parts of `term` between hyphens; the term itself when it has none.
    func split(_ term: String) -> [String] {
        // Fast path: a run of ASCII letters and digits only, the common case.
        if term.isPlainTerm { return [term] }
        if term.isASCII {
            // ASCII: the bytes are the scalars, split without decoding them.
            return term.withUTF8Bytes { bytes in
                var parts: [String] = []
                var start = 0
                for (k, byte) in bytes.enumerated() where characters.role(of: UInt32(byte)) == .hyphen {
                    if k > start { parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<k]), as: UTF8.self)) }
                    start = k + 1
                }
                if bytes.count > start { parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)) }
                return parts
            }
        }
        return splitByScalars(term)
    }

    /// ``split(_:)`` scalar by scalar, for any term.
    func splitByScalars(_ term: String) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in term.unicodeScalars {
            if characters.role(of: scalar.value) == .hyphen {
                if !current.isEmpty { parts.append(String(current)) }
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { parts.append(String(current)) }
        return parts
    }
}
