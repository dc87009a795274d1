import Testing
@testable import FahrasIndex

@Suite("Index: terms by prefix")
struct TermPrefixTests {
    /// Terms that share prefixes of every length, across many dictionary blocks of 32.
    static let terms: [String] = {
        var out = Set<String>()
        for stem in ["a", "ab", "abc", "deir", "dei", "ezzor", "ezz", "%SKT|", "%SKTB|", "~SKT|", "z"] {
            out.insert(stem)
            for i in 0..<90 { out.insert(stem + String(i * 7, radix: 36)) }
        }
        return out.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }()

    func segment(in dir: TemporaryDirectory) throws -> SegmentReader {
        let passages = stride(from: 0, to: Self.terms.count, by: 40).enumerated().map { ordinal, start in
            passage(ordinal, Self.terms[start..<min(start + 40, Self.terms.count)].joined(separator: " "))
        }
        let document = DocumentInput(path: "t.txt", title: "T", size: 1, modified: 1, contentHash: 1, passages: passages)
        return try opened(built([document]), in: dir, as: "t.fsg")
    }

    /// Every prefix of every term, each term with a byte more (between it and the next),
    /// and keys before the first term and after the last: what the dictionary gives is what
    /// a scan of all terms gives, found in place or not.
    @Test func prefixesFindWhatAScanFinds() throws {
        let dir = TemporaryDirectory()
        let reader = try segment(in: dir)
        var keys: Set<String> = ["", "\u{1}", "~~~~", "zzzzzz", "abd", "%SKT", "%SKT|zz"]
        for term in Self.terms {
            let bytes = Array(term.utf8)
            for length in 0...bytes.count { keys.insert(String(decoding: bytes[..<length], as: UTF8.self)) }
            keys.insert(term + "!")
            keys.insert(term + "~")
        }
        for key in keys {
            let expected = Self.terms.filter { $0.utf8.starts(with: key.utf8) }
            let found = try reader.terms(withPrefix: key).map(\.term)
            if found != expected { Issue.record("prefix '\(key)': \(found.count) terms, not \(expected.count)") }
        }
    }

    @Test func absentPrefixesFindNothingAndPresentOnesAreLimited() throws {
        let dir = TemporaryDirectory()
        let reader = try segment(in: dir)
        // Between two terms of a block, after a block's last, after the dictionary's last.
        for absent in ["ab~", "dei!", "~SKT|zz", "zzz", "~~"] {
            #expect(!Self.terms.contains { $0.hasPrefix(absent) })
            #expect(try reader.terms(withPrefix: absent).isEmpty, "\(absent)")
        }
        #expect(try reader.terms(withPrefix: "ab", limit: 3).map(\.term) == Array(Self.terms.filter { $0.hasPrefix("ab") }.prefix(3)))
    }
}
