/// Arabic-script names, compared with Latin spellings through `Data/arabic.tsv`.
///
/// `دير الزور` → words `dyr`, `zwr` → Latin letters `dir`, `zur`: the article goes, و and
/// ي become long vowels between consonants. Short vowels are not written, so an Arabic
/// word and a Latin spelling fold when their skeletons agree and every long vowel of the
/// Arabic has a matching vowel in the Latin (``folds(_:with:)``).
public struct ArabicScript: Sendable {
    private var letters: [Unicode.Scalar: String] = [:]
    private let rules: TransliterationRules
    /// Names the table's contents, for the analyzer signature.
    public let signature: UInt64

    /// The table bundled with Fahras.
    public static let standard: ArabicScript = {
        do {
            return try ArabicScript(tsv: String(decoding: PackageResources.arabic_tsv, as: UTF8.self))
        } catch {
            fatalError("the bundled Data/arabic.tsv is invalid: \(error)")  // a build defect
        }
    }()

    /// Parses a table in the `arabic.tsv` format.
    public init(tsv: String, rules: TransliterationRules = .standard, file: String = "arabic.tsv") throws(AnalysisError) {
        self.rules = rules
        signature = fingerprint(tsv.utf8)
        for line in DataLines(text: tsv) {
            guard line.fields.count >= 2, line.fields[0].unicodeScalars.count == 1, !line.fields[1].isEmpty else {
                throw .badTable(file: file, line: line.number, reason: "expected 'letter<TAB>latin'")
            }
            letters[line.fields[0].unicodeScalars.first!] = line.fields[1] == "-" ? "" : line.fields[1]
        }
    }

    /// Whether `word` is written in Arabic script.
    public static func isArabic(_ word: String) -> Bool {
        word.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) || (0x0750...0x077F).contains($0.value) }
    }

    /// The article ال, removed when at least two letters remain.
    public func withoutArticle(_ word: String) -> String {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count >= 4, scalars[0] == "\u{0627}", scalars[1] == "\u{0644}" else { return word }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[2...])
        return String(view)
    }

    /// The Latin letters of an Arabic word (article already removed), in the alphabet of
    /// the canonical spellings: `زور` → `zur`, `ميادين` → `myadin`.
    public func latin(_ word: String) -> String {
        var out: [Character] = []
        let scalars = Array(word.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            guard var mapped = letters[scalar] else { continue }
            if mapped == "w" || mapped == "y" {
                let next = i + 1 < scalars.count ? letters[scalars[i + 1]] : nil
                let consonantal = out.isEmpty || next == "a" || next == nil && out.last.map(rules.isVowel) == true
                if !consonantal { mapped = mapped == "w" ? "u" : "i" }
            }
            out.append(contentsOf: mapped)
        }
        let latin = String(out)
        return rules.particles[latin] ?? latin
    }

    /// Whether an Arabic word, as ``latin(_:)`` letters, and a Latin spelling are the same
    /// name: the same skeleton, and a vowel in the Latin wherever the Arabic writes one.
    public func folds(_ arabicLatin: String, with spelling: NameSpelling) -> Bool {
        let arabic = NameSpelling(canonical: arabicLatin, rules: rules)
        guard arabic.skeleton == spelling.skeleton else { return false }
        let arabicGaps = gaps(arabic, marked: true)
        let latinGaps = gaps(spelling)
        guard arabicGaps.count == latinGaps.count else { return false }
        for (written, latin) in zip(arabicGaps, latinGaps) where !written.isEmpty {
            // A consonantal و or ي (before a vowel) needs its letter in the Latin too.
            if written.contains("Y") && !latin.contains("y") { return false }
            if written.contains("W") && !latin.contains("w") { return false }
            let vowels = written.filter { $0 != "Y" && $0 != "W" }
            guard vowels.isEmpty || NameSpelling.vowelsFold(vowels, latin.map { $0 == "w" ? "u" : $0 }, rules: rules) else {
                return false
            }
        }
        return true
    }

    /// The vowels, `w` and `y` before, between and after the skeleton's consonants; with
    /// `marked`, a consonantal `w` or `y` is `W` or `Y` (Arabic, where it must be matched).
    private func gaps(_ spelling: NameSpelling, marked: Bool = false) -> [[Character]] {
        var gaps: [[Character]] = [[]]
        for unit in spelling.units {
            switch unit {
            case .vowels(let run):
                gaps[gaps.count - 1].append(contentsOf: run)
            case .consonant(let letter, _) where letter == "w":
                gaps[gaps.count - 1].append(marked ? "W" : "w")
            case .consonant(let letter, _) where letter == "y":
                gaps[gaps.count - 1].append(marked ? "Y" : "y")
            case .consonant:
                gaps.append([])
            }
        }
        return gaps
    }
}
