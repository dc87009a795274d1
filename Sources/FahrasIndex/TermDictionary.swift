/// Writes the terms section: terms front-coded in blocks of 32 (see SegmentFormat.swift).
struct TermDictionaryWriter {
    private(set) var count = 0
    private var blockOffsets: [UInt32] = []
    private var blocks: [UInt8] = []
    private var previous: [UInt8] = []

    /// Adds the next term (in increasing byte order) whose postings start at `postingsStart`.
    mutating func add(_ term: some Collection<UInt8>, documentFrequency: Int, postingsStart: UInt64, postingsLength: Int) {
        var shared = 0
        if count % SegmentFormat.termBlockSize == 0 {
            blockOffsets.append(UInt32(blocks.count))
            withUnsafeBytes(of: postingsStart.littleEndian) { blocks.append(contentsOf: $0) }
        } else {
            for (a, b) in zip(previous, term) {
                if a != b { break }
                shared += 1
            }
        }
        blocks.appendVarint(UInt32(shared))
        blocks.appendVarint(UInt32(term.count - shared))
        blocks.append(contentsOf: term.dropFirst(shared))
        blocks.appendVarint(UInt32(documentFrequency))
        blocks.appendVarint(UInt32(postingsLength))
        previous.removeAll(keepingCapacity: true)
        previous.append(contentsOf: term)
        count += 1
    }

    func write(to out: inout ByteWriter) {
        out.u32(UInt32(count))
        out.u32(UInt32(blockOffsets.count))
        for offset in blockOffsets { out.u32(offset) }
        out.append(blocks)
    }
}

/// Walks the terms of one dictionary block, rebuilding each from its shared prefix.
struct TermBlockReader {
    private var reader: ByteReader
    private let postingsEnd: Int
    private var postingsNext: Int
    private let limit: Int
    private(set) var read = 0
    /// The current term's bytes.
    private(set) var term: [UInt8] = []
    /// The current term's information.
    private(set) var info = SegmentReader.TermInfo(documentFrequency: 0, postings: 0..<0)

    /// `limit`: terms in this block; `postings`: the postings section.
    init(bytes: UnsafeRawBufferPointer, range: Range<Int>, limit: Int, postings: Range<Int>, file: String) throws(IndexError) {
        reader = ByteReader(bytes, range: range, file: file)
        self.limit = limit
        postingsEnd = postings.upperBound
        let start = try reader.u64("term block postings start")
        guard start <= UInt64(postings.count) else { throw .corrupt(file: file, reason: "a term block points outside the postings") }
        postingsNext = postings.lowerBound + Int(start)
    }

    /// A reader whose next term is the one ``TermBlockSearch/place(_:bytes:range:limit:postings:passageLimit:file:)``
    /// stopped on, in the block at `range` (`limit` terms): the terms before it are not
    /// rebuilt, as the bytes it shares with them are the key's.
    init(resuming stop: TermBlockSearch.Stop, key: UnsafeRawBufferPointer, bytes: UnsafeRawBufferPointer, range: Range<Int>,
         limit: Int, postings: Range<Int>, file: String) {
        reader = ByteReader(bytes, range: stop.offset..<range.upperBound, file: file)
        self.limit = limit
        postingsEnd = postings.upperBound
        postingsNext = stop.postingsNext
        read = stop.read
        term = Array(key.prefix(stop.shared))
    }

    /// Moves to the next term of the block; `false` after the last.
    mutating func next(passageLimit: Int) throws(IndexError) -> Bool {
        guard read < limit else { return false }
        let shared = Int(clamping: try reader.varint("term prefix"))
        let suffix = Int(clamping: try reader.varint("term length"))
        guard shared <= term.count, suffix <= reader.end - reader.offset, shared + suffix > 0 || read == 0 else {
            throw .corrupt(file: reader.file, reason: "term \(read) of a dictionary block is malformed")
        }
        term.removeLast(term.count - shared)
        term.append(contentsOf: UnsafeRawBufferPointer(rebasing: reader.base[reader.offset..<(reader.offset + suffix)]))
        reader.offset += suffix
        let frequency = Int(clamping: try reader.varint("document frequency"))
        let length = Int(clamping: try reader.varint("postings length"))
        guard frequency > 0, frequency <= passageLimit, length <= postingsEnd - postingsNext else {
            throw .corrupt(file: reader.file, reason: "a term points outside the postings")
        }
        info = SegmentReader.TermInfo(documentFrequency: frequency, postings: postingsNext..<(postingsNext + length))
        postingsNext += length
        read += 1
        return true
    }
}

/// Finds one term in a dictionary block in place: the terms it passes are not rebuilt but
/// compared through their shared prefixes, the way front-coded dictionaries are searched.
///
/// With `matched` the bytes the last term passed shares with the key (that term sorting
/// before the key), a term sharing more than `matched` bytes with its predecessor still
/// sorts before the key; otherwise only its suffix is compared with the rest of the key.
/// Checks the block as ``TermBlockReader`` does.
enum TermBlockSearch {
    /// Where a key falls in a block: on a term, on the start of longer terms (with where
    /// the search stopped, to read on from there), between two terms, or after the block's
    /// last term.
    enum Place {
        case term(SegmentReader.TermInfo, Stop)
        case prefix(Stop)
        case between
        case past
    }

    /// Where a search stopped on a term that begins with the key: that term's entry, its
    /// number in the block, where its postings start, and the bytes it shares with the term
    /// before it (the key's first bytes).
    struct Stop {
        var offset: Int
        var read: Int
        var postingsNext: Int
        var shared: Int
    }

    /// The entry of `key` in the block at `range` of `bytes` (`limit` terms), `nil` if absent.
    static func find(_ key: UnsafeRawBufferPointer, bytes: UnsafeRawBufferPointer, range: Range<Int>, limit: Int,
                     postings: Range<Int>, passageLimit: Int, file: String) throws(IndexError) -> SegmentReader.TermInfo? {
        if case .term(let info, _) = try place(key, bytes: bytes, range: range, limit: limit, postings: postings,
                                               passageLimit: passageLimit, file: file) { return info }
        return nil
    }

    /// Where `key` falls in the block at `range` of `bytes` (`limit` terms), found in place
    /// through the prefixes the terms share: no term is rebuilt.
    static func place(_ key: UnsafeRawBufferPointer, bytes: UnsafeRawBufferPointer, range: Range<Int>, limit: Int,
                      postings: Range<Int>, passageLimit: Int, file: String) throws(IndexError) -> Place {
        let end = range.upperBound
        var offset = range.lowerBound
        guard end - offset >= 8 else { throw .corrupt(file: file, reason: "a term block is truncated") }
        let start = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        guard start <= UInt64(postings.count) else { throw .corrupt(file: file, reason: "a term block points outside the postings") }
        offset += 8
        var postingsNext = postings.lowerBound + Int(start)
        var previousLength = 0
        var matched = 0
        @inline(__always) func varint() -> Int? { ByteReader.varint32(bytes, &offset, end: end) }
        for read in 0..<limit {
            let entry = offset
            guard let shared = varint(), let suffix = varint(), shared <= previousLength, suffix <= end - offset,
                  shared + suffix > 0 || read == 0 else {
                throw .corrupt(file: file, reason: "term \(read) of a dictionary block is malformed")
            }
            let suffixStart = offset
            offset += suffix
            guard let frequency = varint(), let length = varint(), frequency > 0, frequency <= passageLimit,
                  length <= postings.upperBound - postingsNext else {
                throw .corrupt(file: file, reason: "a term points outside the postings")
            }
            if shared <= matched {
                // The term's first `shared` bytes are the key's: compare the rest.
                let rest = key.count - shared
                let common = min(suffix, rest)
                var same = 0
                while same < common && bytes[suffixStart + same] == key[shared + same] { same += 1 }
                if same == common {
                    let stop = Stop(offset: entry, read: read, postingsNext: postingsNext, shared: shared)
                    if suffix == rest {
                        return .term(SegmentReader.TermInfo(documentFrequency: frequency, postings: postingsNext..<(postingsNext + length)), stop)
                    }
                    if suffix > rest { return .prefix(stop) }  // the key is a prefix of the term
                } else if bytes[suffixStart + same] > key[shared + same] {
                    return .between
                }
                matched = shared + same
            }
            previousLength = shared + suffix
            postingsNext += length
        }
        return .past
    }
}
