/// Finds the gazetteer's aliases in a sequence of words.
///
/// Each alias is analysed once into units: upper-case letters (matched in that case only),
/// name words (any spelling that folds), Arabic words, and ordinary words (matched as
/// folded). Aliases are filed under their first unit; a word looks up its own forms, then
/// the rest of each candidate alias is checked word by word, articles skipped. The longest
/// alias starting at a word wins, and matching resumes after it.
struct EntityMatcher: Sendable {
    enum Unit: Sendable {
        case acronym(String)
        case plain(String)
        case name(NameSpelling, folded: String)
        case arabic(String)
    }

    struct Alias: Sendable {
        var units: [Unit]
        var entity: String
    }

    /// A run of words naming entities.
    struct Match {
        var first: Int
        var last: Int
        var entities: [String]
    }

    /// What an alias is filed under: the forms its first word may take.
    private enum Entry: Hashable {
        case acronym(String)
        case plain(String)
        case name(key: String)
        case arabic(String)
    }

    private var aliases: [Alias] = []
    private var byFirstUnit: [Entry: [Int]] = [:]
    /// The entries of ``byFirstUnit``, as bits: most words file no alias and are turned
    /// away here, without hashing a key into the table.
    private var filed = EntryFilter()

    init() {}

    init(gazetteer: Gazetteer, stage: NameStage) {
        for entity in gazetteer.entities {
            for alias in entity.aliases {
                let tokens = Analyzer.wordChain.analyze(alias)
                let units = stage.words(tokens, text: alias, mode: .query).compactMap { word -> Unit? in
                    switch word.role {
                    case .article: return nil
                    case .acronym: return .acronym(word.acronymLetters ?? word.surface)
                    case .latin(let spelling): return .name(spelling, folded: word.term)
                    case .arabic(let word, _): return .arabic(word)
                    case .plain: return .plain(word.term)
                    }
                }
                guard let first = units.first else { continue }
                let index = aliases.count
                aliases.append(Alias(units: units, entity: entity.id))
                for key in EntityMatcher.keys(of: first) {
                    byFirstUnit[key, default: []].append(index)
                    filed.insert(key)
                }
            }
        }
    }

    private static func keys(of unit: Unit) -> [Entry] {
        switch unit {
        case .acronym(let letters): return [.acronym(letters)]
        case .plain(let term): return [.plain(term)]
        case .name(let spelling, let folded): return [.plain(folded), .name(key: spelling.key)]
        case .arabic(let word): return [.arabic(word)]
        }
    }

    /// Calls `body` with each form word `i` may be filed under that ``filed`` does not turn
    /// away, in turn. The word is read in place, field by field, and its role only when it
    /// is a name: passing the word copied it whole (its strings and spelling), for every word
    /// of every passage. Its plain form, which every word has, is tested on its bytes before
    /// any entry is made of it.
    @inline(__always)
    private func forEachFiledKey(of i: Int, in words: [NameWord], _ body: (Entry) -> Void) {
        if words[i].term.withUTF8Bytes({ filed.mayContain(tag: EntryFilter.plainTag, $0) }) { body(.plain(words[i].term)) }
        func offer(_ key: Entry) { if filed.mayContain(key) { body(key) } }
        if NameStage.startsUppercase(words[i].surface), let letters = NameWord.acronymLetters(of: words[i].surface) {
            offer(.acronym(letters))
        }
        guard words[i].isName else { return }
        switch words[i].role {
        case .latin(let spelling): offer(.name(key: spelling.key))
        case .arabic(let word, _): offer(.arabic(word))
        default: break
        }
    }

    /// A set of entries as bits of a hash (a one-hash Bloom filter): `false` is certain,
    /// `true` may be wrong.
    private struct EntryFilter {
        private static let bitCount = 1 << 16
        private var words = [UInt64](repeating: 0, count: EntryFilter.bitCount / 64)

        mutating func insert(_ entry: Entry) {
            let bit = EntryFilter.bit(of: entry)
            words[bit >> 6] |= 1 << UInt64(bit & 63)
        }

        func mayContain(_ entry: Entry) -> Bool {
            let bit = EntryFilter.bit(of: entry)
            return words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
        }

        /// ``mayContain(_:)`` for the entry of case `tag` and text `bytes`.
        func mayContain(tag: UInt64, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            let bit = EntryFilter.bit(tag: tag, bytes)
            return words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
        }

        /// The tag of ``Entry/plain(_:)`` in the hash.
        static let plainTag: UInt64 = 2

        private static func bit(of entry: Entry) -> Int {
            var (tag, text): (UInt64, String)
            switch entry {
            case .acronym(let value): (tag, text) = (1, value)
            case .plain(let value): (tag, text) = (plainTag, value)
            case .name(let key): (tag, text) = (3, key)
            case .arabic(let value): (tag, text) = (4, value)
            }
            return text.withUTF8Bytes { bit(tag: tag, $0) }
        }

        /// FNV-1a over the entry's case and text.
        private static func bit(tag: UInt64, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ tag
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return Int(truncatingIfNeeded: (hash ^ (hash >> 29)) & UInt64(bitCount - 1))
        }
    }

    private static func matches(_ unit: Unit, _ word: NameWord) -> Bool {
        switch unit {
        case .acronym(let letters):
            return word.acronymLetters == letters
        case .plain(let term):
            return word.term == term
        case .name(let spelling, let folded):
            if word.term == folded { return true }
            if case .latin(let other) = word.role { return other.folds(with: spelling) }
            return false
        case .arabic(let written):
            if case .arabic(let other, _) = word.role { return other == written }
            return false
        }
    }

    /// Whether an alias may start at word `i`: one is filed under a form of the word (the
    /// filter's answer, checked in the table).
    func mayStartAlias(at i: Int, in words: [NameWord]) -> Bool {
        var filed = false
        forEachFiledKey(of: i, in: words) { key in filed = filed || byFirstUnit[key] != nil }
        return filed
    }

    /// The aliases found in `words`, left to right, none overlapping.
    func matches(in words: [NameWord]) -> [Match] {
        guard !aliases.isEmpty else { return [] }
        var found: [Match] = []
        var i = 0
        while i < words.count {
            guard !words[i].isArticle else { i += 1; continue }
            var best: (last: Int, entities: [String])?
            var tried = Set<Int>()
            forEachFiledKey(of: i, in: words) { key in
                guard let candidates = byFirstUnit[key] else { return }
                for index in candidates where tried.insert(index).inserted {
                    guard let last = match(aliases[index], at: i, in: words) else { continue }
                    if best == nil || last > best!.last {
                        best = (last, [aliases[index].entity])
                    } else if last == best!.last, !best!.entities.contains(aliases[index].entity) {
                        best!.entities.append(aliases[index].entity)
                    }
                }
            }
            if let best {
                found.append(Match(first: i, last: best.last, entities: best.entities))
                i = best.last + 1
            } else {
                i += 1
            }
        }
        return found
    }

    /// The index of the last word of `alias` matched from word `start`, or `nil`.
    private func match(_ alias: Alias, at start: Int, in words: [NameWord]) -> Int? {
        var j = start
        var last = start
        for (k, unit) in alias.units.enumerated() {
            if k > 0 {
                // The next word must follow at the next position (an article may sit between).
                guard j < words.count else { return nil }
                if words[j].isArticle, words[j].position == words[last].position + 1 { j += 1 }
                guard j < words.count, words[j].position <= words[last].position + 2 else { return nil }
            }
            guard j < words.count, EntityMatcher.matches(unit, words[j]) else { return nil }
            last = j
            j += 1
        }
        return last
    }
}
