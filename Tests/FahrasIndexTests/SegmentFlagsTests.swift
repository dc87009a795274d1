import Foundation
import Testing
@testable import FahrasIndex

func built(_ documents: [DocumentInput], externalText: Bool = false) -> SegmentFile {
    builder(documents, externalText: externalText).build()
}

/// A builder holding `documents`.
func builder(_ documents: [DocumentInput], externalText: Bool = false) -> SegmentBuilder {
    let builder = SegmentBuilder(externalText: externalText)
    for document in documents { builder.add(document) }
    return builder
}

@Suite("Index: external texts and source order")
struct SegmentFlagsTests {
    @Test func anExternalTextSegmentKeepsRangesAndLengthsButNoText() throws {
        let dir = TemporaryDirectory()
        var documents = mergeDocuments
        documents[1].offsetInSource = 4_096
        let stored = try opened(built(documents), in: dir, as: "stored.fsg")
        let external = try opened(built(documents, externalText: true), in: dir, as: "external.fsg")
        #expect(!stored.textIsExternal)
        #expect(external.textIsExternal)
        #expect(external.fileSize < stored.fileSize)
        for number in 0..<stored.passageCount {
            #expect(try external.passage(number) == stored.passage(number))
            #expect(try external.passageText(number) == "")
            #expect(try stored.passageText(number) != "")
        }
        #expect(try external.documents == stored.documents)
        #expect(try external.documents.map(\.offsetInSource) == [0, 4_096, 0, 0])
        // Postings do not depend on where texts are kept.
        func passages(_ segment: SegmentReader, _ term: String) throws -> [Int] {
            guard let info = try segment.lookup(term) else { return [] }
            var cursor = try segment.postings(info)
            var out: [Int] = []
            while cursor.next() { out.append(cursor.passage) }
            return out
        }
        for term in ["camp", "deir", "palmyra"] {
            #expect(try passages(external, term) == passages(stored, term))
            #expect(try !passages(external, term).isEmpty)
        }
    }

    @Test func mergesKeepTheWayTextsAreKeptAndRefuseToMixThem() throws {
        let dir = TemporaryDirectory()
        let first = try opened(built(Array(mergeDocuments[0..<2]), externalText: true), in: dir, as: "1.fsg")
        let second = try opened(built(Array(mergeDocuments[2...]), externalText: true), in: dir, as: "2.fsg")
        let merged = try SegmentMerger.merge([SegmentMerger.Input(segment: first), SegmentMerger.Input(segment: second)])
        #expect(merged.bytes == built(mergeDocuments, externalText: true).bytes)
        let stored = try opened(built(Array(mergeDocuments[2...])), in: dir, as: "3.fsg")
        #expect(throws: IndexError.self) {
            try SegmentMerger.merge([SegmentMerger.Input(segment: first), SegmentMerger.Input(segment: stored)])
        }
    }

    @Test func theHeaderSaysWhetherDocumentsAreInSourceOrder() throws {
        let dir = TemporaryDirectory()
        // mergeDocuments are a, b, c, d; two records of one source (a JSON Lines file) keep
        // their order; a source that comes back after another breaks it.
        var records = mergeDocuments
        records[1].source = records[0].source
        var interleaved = mergeDocuments
        interleaved[2].source = interleaved[0].source
        let cases: [([DocumentInput], Bool)] = [
            (mergeDocuments, true),
            (records, true),
            (Array(mergeDocuments.reversed()), false),
            ([mergeDocuments[0], mergeDocuments[2], mergeDocuments[1]], false),
            (interleaved, false),
        ]
        for (i, (documents, ordered)) in cases.enumerated() {
            let segment = try opened(built(documents), in: dir, as: "\(i).fsg")
            #expect(segment.documentsInSourceOrder == ordered, "case \(i)")
        }
        // A merge recomputes it from what it writes.
        let late = try opened(built(Array(mergeDocuments[2...])), in: dir, as: "late.fsg")
        let early = try opened(built(Array(mergeDocuments[0..<2])), in: dir, as: "early.fsg")
        let merged = try opened(SegmentMerger.merge([SegmentMerger.Input(segment: late), SegmentMerger.Input(segment: early)]),
                                in: dir, as: "merged.fsg")
        #expect(!merged.documentsInSourceOrder)
    }

    @Test func unknownHeaderFlagsAreRefused() throws {
        let dir = TemporaryDirectory()
        var file = built(mergeDocuments)
        file.bytes[12] |= 0x80
        #expect(throws: IndexError.self) { try opened(file, in: dir, as: "odd.fsg") }
    }
}
