import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds one segment in memory from analysed documents.
///
/// Terms are interned to integer ids as they arrive; each term's postings grow as one
/// byte buffer in passage order, each block of 128 passages encoded as soon as it is full,
/// so serializing is a sort of the term strings, the last blocks' encoding and a copy.
package final class SegmentBuilder {
    private struct PostingsBuffer {
        /// Passages gathered since the last encoded block (the passages past the last full
        /// 128 of `documentFrequency`), as plain varints (passage delta, frequency, position
        /// deltas); the first delta counts from `base`.
        var bytes: [UInt8] = []
        var base: Int = -1
        var lastPassage: Int = -1
        var documentFrequency: Int = 0
        /// The blocks encoded so far, once a term has filled one.
        var encoded: EncodedBlocks?
    }

    /// A frequent term's encoder, holding its full blocks: each block is encoded as soon
    /// as its 128th passage arrives, while its bytes are still in cache (encoding them all
    /// at the end, from cold memory, was most of a build's serial tail).
    private final class EncodedBlocks: @unchecked Sendable {
        var encoder = PostingsEncoder()
    }

    // The builder is used from one thread at a time and never hands out references to its
    // arrays: the runtime's exclusivity checks on every access (about 1 % of a build's
    // instructions) are left out for them.
    @exclusivity(unchecked) private var writer: SegmentWriter
    @exclusivity(unchecked) private var termIDs = TermTable()
    @exclusivity(unchecked) private var terms: [String] = []
    @exclusivity(unchecked) private var postings: [PostingsBuffer] = []
    /// A passage's (term id, position) pairs, each as `id << 32 | position`, so that one
    /// integer sort orders them by term, then position.
    @exclusivity(unchecked) private var scratch: [UInt64] = []

    /// Passages added so far.
    package var passageCount: Int { writer.passageCount }
    /// Sum of passage lengths so far.
    package var totalLength: UInt64 { writer.totalLength }
    /// Documents added so far.
    package var documentCount: Int { writer.documentCount }
    /// Whether passage texts are left out of the segment.
    package var externalText: Bool { writer.externalText }
    /// Distinct terms so far.
    package var termCount: Int { terms.count }
    /// The memory its text, postings, records and tables take so far: the room its buffers
    /// have (not only what fills them), and each term's and object's share of the tables.
    /// Writing the segment adds little to it: the postings go to the file as they are
    /// encoded.
    package private(set) var heldBytes = 0

    /// - Parameter externalText: leave passage texts out of the segment (readers take them
    ///   again from the source files).
    package init(externalText: Bool = false) {
        writer = SegmentWriter(externalText: externalText)
    }

    /// Adds a document and its passages (passages get the next passage numbers).
    package func add(_ document: DocumentInput) {
        let first = writer.passageCount
        var length: UInt64 = 0
        var vocabulary: ObjectIdentifier?
        var ids: [Int32] = []
        // Passages are read by index: for-in copied each one (text and terms retained).
        let count = document.stream?.count ?? document.passages.count
        for k in 0..<count {
            let passage = document.stream?.make(k) ?? document.passages[k]
            // A vocabulary (one per document, as the pipeline makes them) is looked up a term
            // once; a streamed document's grows as its passages are made.
            if vocabulary != ObjectIdentifier(passage.vocabulary) {
                vocabulary = ObjectIdentifier(passage.vocabulary)
                ids.removeAll(keepingCapacity: true)
            }
            let known = passage.vocabulary
            for k in ids.count..<known.terms.count {
                let term = known.terms[k]
                ids.append(term.utf8.count <= Int(UInt16.max) ? intern(term, hash: known.hashes[k]) : -1)
            }
            length += UInt64(passage.length)
            add(passage, ids: ids)
        }
        writer.addDocument(SegmentReader.Document(
            path: document.path, title: document.title, source: document.source, size: document.size,
            modified: document.modified, contentHash: document.contentHash,
            firstPassage: first, passageCount: count,
            length: length, offsetInSource: document.offsetInSource, fields: document.fields), firstPassage: first)
    }

    /// Adds `passage`, whose vocabulary's terms have the ids `ids` here (-1: too long to index).
    private func add(_ passage: PassageInput, ids: [Int32]) {
        let number = writer.passageCount
        let before = writer.heldBytes
        var text = passage.text
        text.withUTF8 { utf8 in
            writer.addPassage(range: passage.range, length: passage.length, text: UnsafeRawBufferPointer(utf8),
                              fingerprint: passage.fingerprint)
        }
        heldBytes += writer.heldBytes - before

        scratch.removeAll(keepingCapacity: true)
        for term in passage.terms {
            let id = ids[Int(term >> 32)]
            if id >= 0 { scratch.append(UInt64(UInt32(id)) << 32 | (term & 0xFFFF_FFFF)) }
        }
        scratch.sort()
        // Each term's buffer and its bytes are two cache misses away. Read first in a pass
        // whose loads do not wait on one another, they are in cache for the appends.
        var held = 0
        for k in scratch.indices where k == 0 || scratch[k] >> 32 != scratch[k - 1] >> 32 {
            held -= postings[Int(scratch[k] >> 32)].bytes.capacity
        }
        var i = 0
        while i < scratch.count {
            let term = scratch[i] >> 32
            var j = i
            while j < scratch.count && scratch[j] >> 32 == term { j += 1 }
            let id = Int(term)
            postings[id].bytes.appendVarint(UInt32(number - postings[id].lastPassage))
            postings[id].lastPassage = number
            postings[id].documentFrequency += 1
            // Duplicate positions (a variant equal to a part) are indexed once.
            func position(_ k: Int) -> UInt32 { UInt32(truncatingIfNeeded: scratch[k]) }
            var frequency: UInt32 = 1
            for k in (i + 1)..<j where position(k) != position(k - 1) { frequency += 1 }
            postings[id].bytes.appendVarint(frequency)
            postings[id].bytes.appendVarint(position(i))
            for k in (i + 1)..<j where position(k) != position(k - 1) {
                postings[id].bytes.appendVarint(position(k) - position(k - 1))
            }
            held += postings[id].bytes.capacity
            if postings[id].documentFrequency % SegmentFormat.postingsBlockSize == 0 { encodeBlock(of: id) }
            i = j
        }
        heldBytes += held
    }

    /// Encodes the full block of passages gathered for term `id` (their norms are known).
    private func encodeBlock(of id: Int) {
        let blocks: EncodedBlocks
        if let encoded = postings[id].encoded {
            blocks = encoded
        } else {
            blocks = EncodedBlocks()
            postings[id].encoded = blocks
            heldBytes += SegmentBuilder.perObjectBytes
        }
        let before = blocks.encoder.heldBytes
        defer { heldBytes += blocks.encoder.heldBytes - before }
        writer.allNorms.withUnsafeBufferPointer { norms in
            postings[id].bytes.withUnsafeBufferPointer { gathered in
                SegmentBuilder.feed(gathered, after: postings[id].base, to: &blocks.encoder, norms: norms)
            }
        }
        postings[id].bytes.removeAll(keepingCapacity: true)
        postings[id].base = postings[id].lastPassage
    }

    /// What a term costs besides its bytes (held twice: in the term table and its string),
    /// as the arrays that grow by doubling hold it on average: its slots in the term table
    /// (16 bytes at most 3/4 full), its start there (8), its string (16), its postings
    /// buffer (40), and that buffer's first allocation (64).
    static let perTermBytes = 192
    /// An object's header and fields, as the allocator rounds them.
    static let perObjectBytes = 128

    /// The id of `term`, whose ``TermTable/hash(_:)`` is `hash`, added if new.
    private func intern(_ term: String, hash: UInt64) -> Int32 {
        var term = term
        if let id = term.withUTF8({ termIDs.find($0, hash: hash) }) { return id }
        let id = Int32(terms.count)
        term.withUTF8 { termIDs.insert(id, bytes: $0, hash: hash) }
        terms.append(term)
        postings.append(PostingsBuffer())
        heldBytes += term.utf8.count * 2 + SegmentBuilder.perTermBytes
        return id
    }

    /// The segment file's bytes.
    package func serialize() -> [UInt8] { build().bytes }

    /// The indices of `terms` in increasing byte order. The terms' bytes are laid side by
    /// side and compared with `memcmp`: through String's generic comparison, sorting a
    /// large corpus's terms took a good part of a second, on the one thread that writes.
    static func byteOrder(of terms: [String]) -> [Int] {
        var bytes: [UInt8] = []
        var spans: [(start: Int, count: Int)] = []
        spans.reserveCapacity(terms.count)
        for var term in terms {
            spans.append((bytes.count, term.utf8.count))
            term.withUTF8 { bytes.append(contentsOf: $0) }
        }
        return bytes.withUnsafeBytes { base in
            // Each term's first 8 bytes as a big-endian number (zero-padded) order most
            // pairs by one integer comparison; equal prefixes compare the whole terms.
            let prefixes = spans.map { span -> UInt64 in
                var prefix: UInt64 = 0
                for k in 0..<8 { prefix = prefix << 8 | UInt64(k < span.count ? base[span.start + k] : 0) }
                return prefix
            }
            // Terms are filed by first byte, and each byte's terms sorted on any core: the
            // order is the same as one sort's, without a merge.
            var counts = [Int](repeating: 0, count: 257)
            for prefix in prefixes { counts[Int(prefix >> 56) + 1] += 1 }
            for b in 0..<256 { counts[b + 1] += counts[b] }
            var order = [Int](repeating: 0, count: terms.count)
            var next = counts
            for (id, prefix) in prefixes.enumerated() {
                order[next[Int(prefix >> 56)]] = id
                next[Int(prefix >> 56)] += 1
            }
            let (spans, starts) = (spans, counts)
            nonisolated(unsafe) let base = base
            order.withUnsafeMutableBufferPointer { order in
                nonisolated(unsafe) let order = order
                DispatchQueue.concurrentPerform(iterations: 256) { b in
                    guard starts[b + 1] - starts[b] > 1 else { return }
                    var bucket = UnsafeMutableBufferPointer(rebasing: order[starts[b]..<starts[b + 1]])
                    bucket.sort { a, b in
                        if prefixes[a] != prefixes[b] { return prefixes[a] < prefixes[b] }
                        let x = UnsafeRawBufferPointer(rebasing: base[spans[a].start..<(spans[a].start + spans[a].count)])
                        let y = UnsafeRawBufferPointer(rebasing: base[spans[b].start..<(spans[b].start + spans[b].count)])
                        return SegmentReader.compare(x, y) < 0
                    }
                }
            }
            return order
        }
    }

    /// The segment file, with its counts.
    ///
    /// The postings gathered as plain varints (passage delta, frequency, position deltas)
    /// are re-encoded here into blocks with skip data and impact pairs, now that every
    /// passage's norm is known.
    package func build(chunkShift: UInt32 = SegmentFormat.defaultChunkShift) -> SegmentFile {
        var sink = MemorySink()
        do {
            let summary = try build(into: &sink, chunkShift: chunkShift)
            return SegmentFile(bytes: sink.bytes, summary: summary)
        } catch {
            preconditionFailure("writing to memory does not fail: \(error)")
        }
    }

    /// Writes the segment file to `sink` (see ``build(chunkShift:)``). Each term's list goes
    /// to `sink` as soon as it is encoded: the postings are never held twice.
    package func build<S: SegmentSink>(into sink: inout S, chunkShift: UInt32 = SegmentFormat.defaultChunkShift) throws(IndexError)
        -> SegmentSummary {
        var writer = self.writer
        writer.chunkShift = chunkShift
        var file = try writer.beginFile(into: &sink)
        try writer.beginPostings(into: &sink, file: &file)
        let order = SegmentBuilder.byteOrder(of: terms)
        // The terms' postings are encoded on the other threads, in runs of the dictionary
        // order, while this one writes each run as soon as it is done (writing was a tenth
        // of a second on one core after all the encoding, on the full test corpus). A run
        // holds its terms' bytes, frequencies and lists side by side, so that this thread
        // reads them in order, and the other threads pay for the reads by term id, which
        // jump about in memory. A run starts only when the run `ahead` before it is
        // written, so that the runs in memory are a few, not the whole postings.
        let run = 2048
        let runs = (order.count + run - 1) / run
        let ahead = 8
        let encoded = UnsafeMutableBufferPointer<EncodedRun>.allocate(capacity: runs)
        encoded.initialize(repeating: EncodedRun())
        let done = (0..<runs).map { _ in DispatchSemaphore(value: 0) }
        let allowed = (0..<runs).map { DispatchSemaphore(value: $0 < ahead ? 1 : 0) }
        let finished = DispatchGroup()
        nonisolated(unsafe) let output = encoded
        let norms = writer.allNorms
        let gathered = postings
        let texts = terms
        finished.enter()
        DispatchQueue.global().async {
            DispatchQueue.concurrentPerform(iterations: runs) { r in
                allowed[r].wait()
                output[r] = SegmentBuilder.encodeRun(order[(r * run)..<min(order.count, (r + 1) * run)], postings: gathered, terms: texts, norms: norms)
                done[r].signal()
            }
            finished.leave()
        }
        defer {
            // A failed write lets the remaining runs go on, unread, before freeing them.
            for r in 0..<runs { allowed[r].signal() }
            finished.wait()
            encoded.deinitialize()
            encoded.deallocate()
        }
        for r in 0..<runs {
            done[r].wait()
            try SegmentBuilder.write(encoded[r], with: &writer, into: &sink, file: &file)
            encoded[r] = EncodedRun()
            if r + ahead < runs { allowed[r + ahead].signal() }
        }
        return try writer.endFile(into: &sink, file: file)
    }

    /// Encodes the postings of the terms `ids` (in dictionary order) into one run.
    private static func encodeRun(_ ids: ArraySlice<Int>, postings: [PostingsBuffer], terms: [String], norms: [UInt8]) -> EncodedRun {
        var encoder = PostingsEncoder()
        var out = EncodedRun()
        out.ends.reserveCapacity(ids.count)
        norms.withUnsafeBufferPointer { norms in
            postings.withUnsafeBufferPointer { gathered in
                for id in ids {
                    let term = gathered[id]
                    term.bytes.withUnsafeBufferPointer { rest in
                        if let blocks = term.encoded {
                            // A copy: the builder keeps its blocks, so that building
                            // again gives the same file.
                            var encoder = blocks.encoder
                            SegmentBuilder.feed(rest, after: term.base, to: &encoder, norms: norms)
                            encoder.finish(appendingTo: &out.lists)
                        } else {
                            SegmentBuilder.feed(rest, after: term.base, to: &encoder, norms: norms)
                            encoder.finish(appendingTo: &out.lists)
                        }
                    }
                    var text = terms[id]
                    text.withUTF8 { out.terms.append(contentsOf: $0) }
                    out.ends.append((term: out.terms.count, list: out.lists.count, documentFrequency: term.documentFrequency))
                }
            }
        }
        return out
    }

    /// Writes the terms of an encoded run, in order.
    private static func write<S: SegmentSink>(_ run: EncodedRun, with writer: inout SegmentWriter, into sink: inout S,
                                              file: inout SegmentWriter.OpenFile) throws(IndexError) {
        try run.terms.withUnsafeBufferPointer { (terms) throws(IndexError) in
            try run.lists.withUnsafeBufferPointer { (lists) throws(IndexError) in
                var start = (term: 0, list: 0)
                for end in run.ends {
                    try writer.streamTerm(UnsafeBufferPointer(rebasing: terms[start.term..<end.term]), documentFrequency: end.documentFrequency,
                                          postings: UnsafeBufferPointer(rebasing: lists[start.list..<end.list]), into: &sink, file: &file)
                    start = (end.term, end.list)
                }
            }
        }
    }

    /// A run of terms as encoded for writing: their bytes and lists side by side, and where
    /// each term's end, with its document frequency.
    private struct EncodedRun {
        var terms: [UInt8] = []
        var lists: [UInt8] = []
        var ends: [(term: Int, list: Int, documentFrequency: Int)] = []
    }

    /// Hands passages gathered as plain varints (the first delta counting from passage
    /// `base`) to `encoder`. A passage's positions were gathered as the list grammar writes
    /// them (varint deltas, the first from 0), so their bytes are handed over as they are.
    private static func feed(_ raw: UnsafeBufferPointer<UInt8>, after base: Int, to encoder: inout PostingsEncoder,
                             norms: UnsafeBufferPointer<UInt8>) {
        var offset = 0
        func varint() -> UInt32 {
            var result: UInt32 = 0
            var shift: UInt32 = 0
            while true {
                let byte = raw[offset]
                offset += 1
                result |= UInt32(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
        }
        var passage = base
        while offset < raw.count {
            passage += Int(varint())
            let frequency = varint()
            let start = offset
            var left = frequency
            while left > 0 {
                if raw[offset] < 0x80 { left -= 1 }
                offset += 1
            }
            encoder.add(passage: passage, frequency: frequency, positionBytes: UnsafeBufferPointer(rebasing: raw[start..<offset]),
                        norm: norms[passage])
        }
    }
}

/// Term ids by term: an open-addressing table of (hash, id) slots over the builder's term
/// list, hashed with a fast non-cryptographic hash of the UTF-8 bytes (a segment's terms
/// come from the indexed files, not from an adversary over the network).
struct TermTable {
    private var slots: [(hash: UInt64, id: Int32)]
    private var count = 0
    /// The terms' UTF-8 bytes side by side, and where each id's begin (one more entry than
    /// ids, for the end of the last): a match is checked with one memcmp.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]

    /// A table with room for about `capacity` terms before it grows.
    init(capacity: Int = 3 << 10) {
        var size = 4
        while size * 3 < capacity * 4 { size *= 2 }
        slots = Array(repeating: (0, -1), count: size)
    }

    /// A 64-bit hash of `bytes`, 8 at a time, then mixed.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(bytes.count &+ 1)
        var i = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while i + 8 <= bytes.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
        h = h &* 0xFF51_AFD7_ED55_8CCD
        return h ^ (h >> 32)
    }

    /// The id of the term of UTF-8 `term` (whose hash is `hash`), or `nil`.
    func find(_ term: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        return slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBufferPointer { bytes in
                starts.withUnsafeBufferPointer { starts in
                    while true {
                        let slot = slots[i]
                        if slot.id < 0 { return nil }
                        if slot.hash == hash {
                            let start = starts[Int(slot.id)]
                            let count = starts[Int(slot.id) + 1] - start
                            if count == term.count && (count == 0 || memcmp(bytes.baseAddress! + start, term.baseAddress!, count) == 0) {
                                return slot.id
                            }
                        }
                        i = (i + 1) & mask
                    }
                }
            }
        }
    }

    /// Files `id`, the next id, for UTF-8 `term` (not in the table yet) under `hash`.
    mutating func insert(_ id: Int32, bytes term: UnsafeBufferPointer<UInt8>, hash: UInt64) {
        precondition(Int(id) == starts.count - 1, "term ids are given in order")
        bytes.append(contentsOf: term)
        starts.append(bytes.count)
        if (count + 1) * 4 > slots.count * 3 {
            let old = slots
            slots = Array(repeating: (0, -1), count: old.count * 2)
            for slot in old where slot.id >= 0 { place(slot.id, hash: slot.hash) }
        }
        place(id, hash: hash)
        count += 1
    }

    private mutating func place(_ id: Int32, hash: UInt64) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i].id >= 0 { i = (i + 1) & mask }
        slots[i] = (hash, id)
    }
}
