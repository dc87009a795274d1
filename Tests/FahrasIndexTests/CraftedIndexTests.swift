import Foundation
import Testing
@testable import FahrasIndex

/// Indexes whose files carry valid checksums but impossible contents, as a file from an
/// untrusted source may: every reader and checker must answer with an error, never trap,
/// hang or read without bound.
@Suite("Index: crafted manifests are errors, not traps")
struct CraftedIndexTests {
    /// A committed index of two one-document segments and one deletion-free manifest.
    func committed() throws -> (TemporaryDirectory, IndexDirectory, Manifest) {
        let dir = TemporaryDirectory()
        let index = IndexDirectory(path: dir.path)
        var reader: IndexReader?
        for i in 0..<2 {
            let transaction = try index.beginTransaction(after: reader?.manifest)
            var draft = CommitDraft(reader)
            try draft.append(builder([DocumentInput(path: "f\(i).txt", title: "", size: 0, modified: 0, contentHash: 0,
                                                  passages: [passage(0, "word\(i) common")])]), in: transaction)
            try transaction.commit(Manifest(generation: i + 1, scanned: 0, analyzer: .init(signature: "t", parts: [:]),
                                            files: [], segments: draft.entries))
            reader = try index.open()
        }
        return (dir, index, try #require(try index.readManifest()))
    }

    /// Writes `manifest` as the index's, with a checksum that matches.
    func write(_ manifest: Manifest, to index: IndexDirectory) throws {
        try Data(try manifest.encoded(file: index.manifestPath)).write(to: URL(fileURLWithPath: index.manifestPath))
    }

    /// Opening, checking and starting a commit all fail with a corrupt-index error naming `reason`.
    func expectRefused(_ index: IndexDirectory, _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try index.open()
            Issue.record("opened", sourceLocation: sourceLocation)
        } catch {
            #expect("\(error)".contains(reason), "\(error)", sourceLocation: sourceLocation)
        }
        let report = IndexChecker.check(index) { _ in "t" }
        #expect(report.problems.contains { $0.contains(reason) }, "\(report.problems)", sourceLocation: sourceLocation)
    }

    @Test func namesOutsideTheFolderOrTwiceAreRefused() throws {
        let (dir, index, manifest) = try committed()
        defer { withExtendedLifetime(dir) {} }
        var outside = manifest
        outside.segments[0].file = "../" + outside.segments[0].file
        try write(outside, to: index)
        expectRefused(index, "which is not a segment or companion file of the index folder")
        var zero = manifest
        zero.files = [Manifest.Companion(file: "../../../../dev/zero", role: "entities", bytes: 10, crc32: 0)]
        try write(zero, to: index)
        expectRefused(index, "'../../../../dev/zero'")
        var twice = manifest
        twice.segments = [manifest.segments[0], manifest.segments[0], manifest.segments[1]]
        twice.statistics = Manifest.statistics(of: twice.segments)
        try write(twice, to: index)
        expectRefused(index, "twice")
    }

    @Test func aSegmentThatIsAFIFOIsAnErrorNotAHang() throws {
        let (dir, index, manifest) = try committed()
        let name = manifest.segments[0].file
        try FileManager.default.removeItem(atPath: dir.path + "/" + name)
        #expect(mkfifo(dir.path + "/" + name, 0o644) == 0)
        expectRefused(index, "not a regular file")
    }

    @Test func countsThatOverflowOrCannotBeAreRefused() throws {
        let (dir, index, manifest) = try committed()
        defer { withExtendedLifetime(dir) {} }
        var negative = manifest
        negative.segments[0].documents = Int.min
        negative.segments[0].deleted = [0]
        try write(negative, to: index)
        expectRefused(index, "impossible")
        var huge = manifest
        for s in huge.segments.indices {
            huge.segments[s].passages = Int.max
            huge.segments[s].livePassages = Int.max
        }
        try write(huge, to: index)
        expectRefused(index, "overflow")
        var last = manifest
        last.generation = Int.max
        try write(last, to: index)
        expectRefused(index, "generation")
    }
}

/// A segment's bytes with its chunk checksums and footer checksum made to match again
/// after a change: what a crafted file from an untrusted source looks like.
func resealed(_ original: [UInt8]) -> [UInt8] {
    var bytes = original
    func u64(_ at: Int) -> Int { bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt64.self))) } }
    func put32(_ value: UInt32, at: Int) { withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(at..<(at + 4), with: $0) } }
    let footerStart = bytes.count - SegmentFormat.footerSize
    let chunks = u64(footerStart + 6 * 16)
    let shift = bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: footerStart + 7 * 16 + 8, as: UInt32.self))) }
    var k = 0
    while k << shift < chunks {
        let crc = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[(k << shift)..<min((k + 1) << shift, chunks)])) }
        put32(crc, at: chunks + 4 * k)
        k += 1
    }
    let footerCRC = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[chunks..<(bytes.count - 12)])) }
    put32(footerCRC, at: bytes.count - 12)
    return bytes
}

@Suite("Index: crafted segments are errors, not traps")
struct CraftedSegmentTests {
    func segmentBytes() -> [UInt8] {
        built([DocumentInput(path: "a.txt", title: "A", size: 0, modified: 0, contentHash: 0,
                             passages: [passage(0, "shelling resumed near the town"), passage(1, "residents said")])]).bytes
    }

    func offset(of section: Int, in bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - SegmentFormat.footerSize + section * 16, as: UInt64.self))) }
    }

    func length(of section: Int, in bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: bytes.count - SegmentFormat.footerSize + section * 16 + 8, as: UInt64.self))) }
    }

    /// A reason quoting a damaged file's bytes (here a field's name) stays on one line, its
    /// control characters written out (the index fuzzer found a name of newlines).
    @Test func aDamagedFilesBytesAreQuotedOnOneLine() {
        let error = IndexError.corrupt(file: "/x/seg\u{1B}.fsg", reason: "field 'a\nb\u{9B}c' has unknown kind 115")
        #expect(error.description == "index file '/x/seg\\u{1B}.fsg' is damaged (field 'a\\u{A}b\\u{9B}c' has unknown kind 115); "
            + "rebuild the index with `fahras index --rebuild`")
        #expect(IndexError.visible("plain 'text' é") == "plain 'text' é")
    }

    /// A keyword column's ordinals must each name one of its values or none: one past the
    /// last value is refused at open, the last value and none are read (both sides of the
    /// check that opening a segment makes over every document).
    @Test func aKeywordOrdinalPastItsValuesIsRefused() throws {
        let dir = TemporaryDirectory()
        let bytes = built(mergeDocuments).bytes  // site: a.example (0), z.example (1); b.txt has none
        // Walk the fields section to the site column's ordinals.
        var at = offset(of: 5, in: bytes) + 1
        func u32(_ offset: Int) -> Int { bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self))) } }
        var site: (ordinals: Int, values: Int)?
        for field in Schema.fields {
            let nameLength = Int(bytes[at])  // names are short: a one-byte varint
            at += 1 + nameLength + 1
            let length = u32(at)
            if field.name == "site" { site = (at + 4 + length - 4 * mergeDocuments.count, u32(at + 4)) }
            at += 4 + length
        }
        let (ordinals, values) = try #require(site)
        #expect(values == 2 && u32(ordinals + 4) == 0xFFFF_FFFF, "b.txt has no site")
        for (ordinal, sound) in [(UInt32(2), false), (UInt32(1), true), (UInt32.max, true)] {
            var crafted = bytes
            withUnsafeBytes(of: ordinal.littleEndian) { crafted.replaceSubrange((ordinals + 4)..<(ordinals + 8), with: $0) }
            try FileIO.writeDurably(resealed(crafted), to: dir.file("s\(ordinal).fsg"))
            if sound {
                let segment = try SegmentReader(path: dir.file("s\(ordinal).fsg"))
                #expect(segment.fields.ordinal("site", document: 1) == (ordinal == .max ? nil : Int(ordinal)))
            } else {
                #expect(performing: { try SegmentReader(path: dir.file("s\(ordinal).fsg")) }, throws: { error in
                    guard case .corrupt(_, let reason)? = error as? IndexError else { return false }
                    return reason == "field 'site' does not hold one value a document"
                })
            }
        }
    }

    @Test func aStoreBlockClaimingGigabytesIsRefusedBeforeAllocating() throws {
        let dir = TemporaryDirectory()
        var bytes = segmentBytes()
        // The store's one block: its entry before the counts that end the section, rawLength last.
        let storeEnd = offset(of: 2, in: bytes) + length(of: 2, in: bytes)
        let rawLength = storeEnd - 8 - SegmentFormat.storeEntrySize + 12
        bytes.replaceSubrange(rawLength..<(rawLength + 4), with: [0xFF, 0xFF, 0xFF, 0xFF])
        try FileIO.writeDurably(resealed(bytes), to: dir.file("s.fsg"))
        let segment = try SegmentReader(path: dir.file("s.fsg"), verifyWhole: true)
        #expect(performing: { _ = try segment.passageText(0) }, throws: { error in
            guard case .corrupt(_, let reason)? = error as? IndexError else { return false }
            return reason.contains("claims 4294967295 bytes")
        })
    }

    /// A hit's document path is read in place from its record: a length that runs past the
    /// records is refused, a shorter one reads what it says.
    @Test func aDocumentPathRunningPastItsRecordsIsRefused() throws {
        let dir = TemporaryDirectory()
        let bytes = segmentBytes()
        // The record starts with the path "a.txt": its length, a one-byte varint.
        let path = offset(of: 0, in: bytes) + 4 + 8 + 4
        #expect(bytes[path] == 5 && bytes[path + 1] == UInt8(ascii: "a"))
        for (length, sound) in [(UInt8(0x7F), false), (UInt8(3), true)] {
            var crafted = bytes
            crafted[path] = length
            try FileIO.writeDurably(resealed(crafted), to: dir.file("s\(length).fsg"))
            let segment = try SegmentReader(path: dir.file("s\(length).fsg"), verifyWhole: true)
            if sound {
                #expect(try segment.documentPath(0).path == "a.t")
            } else {
                #expect(performing: { _ = try segment.documentPath(0) }, throws: { error in
                    guard case .corrupt(_, let reason)? = error as? IndexError else { return false }
                    return reason == "document 0's path runs past the end of its section"
                })
            }
        }
    }

    @Test func aDocumentClaimingMorePassagesThanTheSegmentIsRefused() throws {
        let dir = TemporaryDirectory()
        var bytes = segmentBytes()
        // The record: path "a.txt", title "A", source 0, then the passage count (2), a
        // one-byte varint made 100. (The count read before the check was added in its sum
        // with the first passage: 2^63 trapped; the check now comes before any sum.)
        let records = offset(of: 0, in: bytes) + 4 + 8 + 4
        let count = records + 1 + 5 + 1 + 1 + 1
        #expect(bytes[count] == 2)
        bytes[count] = 100
        try FileIO.writeDurably(resealed(bytes), to: dir.file("s.fsg"))
        let segment = try SegmentReader(path: dir.file("s.fsg"), verifyWhole: true)
        #expect(performing: { _ = try segment.document(0) }, throws: { error in
            guard case .corrupt(_, let reason)? = error as? IndexError else { return false }
            return reason.contains("records 100 passages")
        })
    }
}
