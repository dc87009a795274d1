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

    /// The test terms' segment as bytes (chunks of 256 bytes), and where its dictionary lies.
    struct SegmentBytes {
        var bytes: [UInt8]
        /// Where the terms section starts, and its block count.
        let terms: Int
        let blockCount: Int

        init() {
            let passages = stride(from: 0, to: TermPrefixTests.terms.count, by: 40).enumerated().map { ordinal, start in
                passage(ordinal, TermPrefixTests.terms[start..<min(start + 40, TermPrefixTests.terms.count)].joined(separator: " "))
            }
            let bytes = builder([DocumentInput(path: "t.txt", title: "T", size: 1, modified: 1, contentHash: 1, passages: passages)])
                .build(chunkShift: 8).bytes
            let footer = bytes.count - SegmentFormat.footerSize
            let terms = bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: footer + 3 * 16, as: UInt64.self))) }
            self.bytes = bytes
            self.terms = terms
            blockCount = bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: terms + 4, as: UInt32.self))) }
        }

        /// Where dictionary block `b` starts: its postings start (8 bytes), then its first term's
        /// shared prefix (0) and length (1 byte each), then the term.
        func blockStart(_ b: Int) -> Int {
            let offset = bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: terms + 8 + b * 4, as: UInt32.self))) }
            return terms + 8 + blockCount * 4 + offset
        }

        func opened(in dir: TemporaryDirectory) throws -> SegmentReader {
            try FileIO.writeDurably(bytes, to: dir.file("t.fsg"))
            return try SegmentReader(path: dir.file("t.fsg"), verifyWhole: false)
        }
    }

    /// `answer` is right, or it is refused for a checksum: never a wrong answer.
    func rightOrRefused<T: Equatable>(_ answer: () throws -> T, _ right: T, _ what: String) {
        do { #expect(try answer() == right, "\(what)") } catch {
            guard case IndexError.corrupt(_, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("checksum mismatch"), "\(reason)")
        }
    }

    /// A damaged dictionary block fails the lookups that read it, and only those: the others
    /// find their blocks without reading a term of each block on the way (a bisection of the
    /// blocks' terms reads the middle block's first, and every lookup failed).
    @Test func aDamagedBlockFailsOnlyTheLookupsThatReadIt() throws {
        let dir = TemporaryDirectory()
        var segment = SegmentBytes()
        let middle = segment.blockCount / 2
        // The middle block's postings start, which its lookups read and no block key holds.
        segment.bytes[segment.blockStart(middle)] ^= 0x40
        let reader = try segment.opened(in: dir)
        let size = SegmentFormat.termBlockSize
        #expect(throws: IndexError.self) { try reader.lookup(Self.terms[middle * size]) }
        for term in Self.terms.prefix(size) + Self.terms.suffix(size) { #expect(try reader.lookup(term) != nil, "\(term)") }
        // Whatever a lookup gives, found or refused, it never misses a term that is there.
        for term in Self.terms { rightOrRefused({ try reader.lookup(term) != nil }, true, term) }
    }

    /// A block key read from a damaged first term sends lookups to the block before: a term
    /// there is past that block's last, and the next block's first term, read verified,
    /// refuses the lookup. None is answered absent while it is there.
    @Test func aDamagedFirstTermMisleadsNoLookup() throws {
        let dir = TemporaryDirectory()
        var segment = SegmentBytes()
        let size = SegmentFormat.termBlockSize
        func lastByte(ofBlock b: Int) -> Int { segment.blockStart(b) + 9 + Self.terms[b * size].utf8.count }
        // A block whose first term sorts well before the next block's, so that raising its
        // last byte (within the eight of the key) keeps the keys in order, and whose chunk
        // (256 bytes) holds none of the block before: that block is searched unharmed.
        let middle = try #require((2..<(segment.blockCount - 1)).first { b in
            let first = Array(Self.terms[b * size].utf8), next = Array(Self.terms[(b + 1) * size].utf8)
            guard first.count <= 8, let last = first.last, last < 0x7E,
                  (lastByte(ofBlock: b) >> 8) << 8 >= segment.blockStart(b) else { return false }
            return (first.dropLast() + [last + 1]).lexicographicallyPrecedes(next)
        })
        let at = lastByte(ofBlock: middle)
        #expect(segment.bytes[at] == Self.terms[middle * size].utf8.last)
        segment.bytes[at] += 1
        let reader = try segment.opened(in: dir)
        #expect(throws: IndexError.self) { try reader.lookup(Self.terms[middle * size]) }
        for term in Self.terms {
            rightOrRefused({ try reader.lookup(term) != nil }, true, term)
            rightOrRefused({ try reader.terms(withPrefix: term).map(\.term) }, Self.terms.filter { $0.utf8.starts(with: term.utf8) }, term)
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
