/// Splits compound words into their parts and also keeps the joined form.
///
/// `al-tanf` → `al` `tanf` + `altanf`; `us-backed` → `us` `backed` + `usbacked`;
/// `t-4` and `t4` → `t` `4` + `t4`; `between1000` → `between` `1000` + `between1000`.
/// Splits happen at hyphens and where letters meet digits, except before an ordinal or
/// plural ending (`5th`, `1st`, `1990s` stay whole).
///
/// The parts take consecutive positions, so a query for `al-Tanf` is the phrase `al tanf`
/// and matches `al Tanf` too; the joined form is a variant on the first part's position,
/// so `T4` finds `T-4`. Every part keeps the whole word's offsets: a hit on `tanf`
/// highlights `al-Tanf` as written. (After Lucene's WordDelimiterGraphFilter with
/// `preserveOriginal`-style catenation.)
public struct WordDelimiterFilter: TokenFilter {
    public let characters: CharacterTable

    /// Endings that stay on a number: `1st 2nd 3rd 4th`, and the plural `1990s`.
    public static let numberSuffixes: Set<String> = ["st", "nd", "rd", "th", "s"]

    public init(characters: CharacterTable = .standard) {
        self.characters = characters
    }

    public func filter(_ tokens: [Token]) -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(tokens.count + tokens.count / 8)
        var shift = 0
        for var token in tokens {
            token.position += shift
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

    private enum Kind { case letter, digit, hyphen }

    /// The parts of `term`; the term itself when it has none to split.
    func split(_ term: String) -> [String] {
        // Fast path: a run of ASCII letters only, the common case.
        if term.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) }) { return [term] }
        let scalars = Array(term.unicodeScalars)
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var currentKind: Kind?
        func flush() {
            if !current.isEmpty { parts.append(String(current)) }
            current = String.UnicodeScalarView()
            currentKind = nil
        }
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            let kind = self.kind(of: scalar)
            if kind == .hyphen { flush(); i += 1; continue }
            if let currentKind, currentKind != kind {
                if currentKind == .digit, kind == .letter, let suffix = suffixRun(scalars, from: i),
                   WordDelimiterFilter.numberSuffixes.contains(suffix) {
                    current.append(contentsOf: suffix.unicodeScalars)
                    i += suffix.unicodeScalars.count
                    continue
                }
                flush()
            }
            current.append(scalar)
            currentKind = kind
            i += 1
        }
        flush()
        return parts
    }

    /// The letters from `start` to the end of the part (next hyphen or digit, or the end).
    private func suffixRun(_ scalars: [Unicode.Scalar], from start: Int) -> String? {
        var end = start
        while end < scalars.count, kind(of: scalars[end]) == .letter { end += 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<end])
        return String(view)
    }

    private func kind(of scalar: Unicode.Scalar) -> Kind {
        if characters.role(of: scalar.value) == .hyphen { return .hyphen }
        if (scalar.value >= 0x30 && scalar.value <= 0x39) || scalar == "." { return .digit }
        return .letter
    }
}
