import Testing
@testable import FahrasIndex

@Suite("Index: terms by prefix")
struct TermPrefixTests {
    /// Terms that share prefixes of every length, across many dictionary blocks of 32; the
    /// long stems make blocks whose first terms share their first eight bytes.
    static let terms: [String] = {
        var out = Set<String>()
        for stem in ["a", "ab", "abc", "deir", "dei", "deirezzor|", "ezzor", "ezz", "%SKT|", "%SKT|dyrzwr", "%SKTB|", "~SKT|", "z"] {
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

    /// Every term is found, and no key between two terms, before the first or after the last,
    /// including among blocks whose first terms begin with the same eight bytes.
    @Test func lookupsFindEveryTermAndNothingBetween() throws {
        let firsts = stride(from: 0, to: Self.terms.count, by: SegmentFormat.termBlockSize).map { Array(Self.terms[$0].utf8.prefix(8)) }
        try #require(zip(firsts, firsts.dropFirst()).contains { $0 == $1 }, "blocks that begin alike")
        let dir = TemporaryDirectory()
        let reader = try segment(in: dir)
        let terms = Set(Self.terms)
        for term in Self.terms {
            #expect(try reader.lookup(term) != nil, "\(term)")
            for absent in [term + "!", term + "~", String(term.dropLast()) + "!"] where !terms.contains(absent) {
                #expect(try reader.lookup(absent) == nil, "\(absent)")
            }
        }
        for absent in ["", "\u{1}", "~~~~", "zzzzzz", "deirezzor", "deirezzor|~"] { #expect(try reader.lookup(absent) == nil, "\(absent)") }
    }

    /// A damaged dictionary block fails the lookups that read it, and only those: the others
    /// find their blocks without reading a term of each block on the way (a bisection of the
    /// blocks' terms reads the middle block's first, and every lookup failed).
    @Test func aDamagedBlockFailsOnlyTheLookupsThatReadIt() throws {
        let dir = TemporaryDirectory()
        let passages = stride(from: 0, to: Self.terms.count, by: 40).enumerated().map { ordinal, start in
            passage(ordinal, Self.terms[start..<min(start + 40, Self.terms.count)].joined(separator: " "))
        }
        var bytes = builder([DocumentInput(path: "t.txt", title: "T", size: 1, modified: 1, contentHash: 1, passages: passages)])
            .build(chunkShift: 8).bytes
        func u32(_ at: Int) -> Int { bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self))) } }
        let footer = bytes.count - SegmentFormat.footerSize
        let terms = bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: footer + 3 * 16, as: UInt64.self))) }
        let blockCount = u32(terms + 4)
        let middle = blockCount / 2
        // The middle block's postings start, which its lookups read and no block key holds.
        bytes[terms + 8 + blockCount * 4 + u32(terms + 8 + middle * 4)] ^= 0x40
        try FileIO.writeDurably(bytes, to: dir.file("t.fsg"))
        let reader = try SegmentReader(path: dir.file("t.fsg"), verifyWhole: false)
        let size = SegmentFormat.termBlockSize
        #expect(throws: IndexError.self) { try reader.lookup(Self.terms[middle * size]) }
        for term in Self.terms.prefix(size) + Self.terms.suffix(size) { #expect(try reader.lookup(term) != nil, "\(term)") }
        // Whatever a lookup gives, found or refused, it never misses a term that is there.
        for term in Self.terms {
            do { #expect(try reader.lookup(term) != nil, "\(term)") } catch {
                guard case .corrupt(_, let reason) = error else { Issue.record("\(error)"); continue }
                #expect(reason.contains("checksum mismatch"), "\(reason)")
            }
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
