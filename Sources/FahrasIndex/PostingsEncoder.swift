/// The best (frequency, norm) pairs of a run of postings: those no other pair beats on
/// both counts (a higher frequency and a shorter passage each raise a BM25 score), so the
/// best score of the run is the best over these pairs, whatever the corpus statistics.
struct ImpactPairs {
    private(set) var pairs: [(frequency: UInt32, norm: UInt8)] = []

    mutating func add(frequency: UInt32, norm: UInt8) {
        var beatsOne = false
        for pair in pairs {
            if pair.frequency >= frequency && pair.norm <= norm { return }
            if frequency >= pair.frequency && norm <= pair.norm { beatsOne = true }
        }
        // (Most pairs beat none of the kept ones: no pass to remove them.)
        if beatsOne { pairs.removeAll { frequency >= $0.frequency && norm <= $0.norm } }
        pairs.append((frequency, norm))
    }

    mutating func add(_ other: ImpactPairs) {
        for pair in other.pairs { add(frequency: pair.frequency, norm: pair.norm) }
    }

    mutating func removeAll() { pairs.removeAll(keepingCapacity: true) }

    /// Writes the pairs, merging neighbours (into a pair that bounds both) beyond the limit.
    func write(to out: inout [UInt8]) {
        if pairs.count == 1 {
            // One pair (most lists and blocks): nothing to sort or merge.
            out.appendVarint(1)
            out.appendVarint(pairs[0].frequency)
            out.append(pairs[0].norm)
            return
        }
        var sorted = pairs.sorted { $0.norm < $1.norm }
        while sorted.count > SegmentFormat.maximumPairs {
            // Sorted by norm, frequencies decrease: merge the two closest in norm.
            var best = 0
            for i in 0..<(sorted.count - 1)
            where sorted[i + 1].norm - sorted[i].norm < sorted[best + 1].norm - sorted[best].norm { best = i }
            sorted[best] = (max(sorted[best].frequency, sorted[best + 1].frequency), sorted[best].norm)
            sorted.remove(at: best + 1)
        }
        out.appendVarint(UInt32(sorted.count))
        for pair in sorted {
            out.appendVarint(pair.frequency)
            out.append(pair.norm)
        }
    }
}

/// Encodes one term's postings list (see the grammar in SegmentFormat.swift): passages in
/// increasing order, each with its positions and its passage's norm.
struct PostingsEncoder {
    private var body: [UInt8] = []
    /// The open block's passages, as gaps less one (the first from the previous block's
    /// last), and their frequencies.
    private var gaps: [UInt32] = []
    private var frequencies: [UInt32] = []
    private var positions: [UInt8] = []
    private var blockPairs = ImpactPairs()
    private var listPairs = ImpactPairs()
    private var inBlock = 0
    private var lastPassage = -1
    private var previousBlockLast = -1
    /// Passages added.
    private(set) var count = 0
    /// The bytes its buffers have room for: what it holds in memory.
    var heldBytes: Int {
        body.capacity + 4 * (gaps.capacity + frequencies.capacity) + positions.capacity
            + MemoryLayout<(frequency: UInt32, norm: UInt8)>.stride * (blockPairs.pairs.capacity + listPairs.pairs.capacity)
    }

    /// Adds the next passage (greater than the last one) with its sorted, distinct positions.
    mutating func add(passage: Int, positions list: UnsafeBufferPointer<Int32>, norm: UInt8) {
        var previous: Int32 = 0
        for position in list {
            positions.appendVarint(UInt32(bitPattern: position &- previous))
            previous = position
        }
        addPassage(passage, frequency: UInt32(list.count), norm: norm)
    }

    /// Adds the next passage with its `frequency` positions already written as the list
    /// grammar writes them (varint deltas, the first from 0): the bytes are taken as they are.
    mutating func add(passage: Int, frequency: UInt32, positionBytes: UnsafeBufferPointer<UInt8>, norm: UInt8) {
        positions.append(contentsOf: positionBytes)
        addPassage(passage, frequency: frequency, norm: norm)
    }

    /// Files the passage whose positions were just written.
    private mutating func addPassage(_ passage: Int, frequency: UInt32, norm: UInt8) {
        gaps.append(UInt32(passage - lastPassage - 1))
        frequencies.append(frequency)
        blockPairs.add(frequency: frequency, norm: norm)
        lastPassage = passage
        inBlock += 1
        count += 1
        if inBlock == SegmentFormat.postingsBlockSize { closeBlock() }
    }

    private mutating func closeBlock() {
        guard inBlock > 0 else { return }
        writeBlock(to: &body)
        listPairs.add(blockPairs)
        blockPairs.removeAll()
        gaps.removeAll(keepingCapacity: true)
        frequencies.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        previousBlockLast = lastPassage
        inBlock = 0
    }

    /// Appends the open block (header, pairs, passages and positions) to `out`.
    private func writeBlock(to out: inout [UInt8]) {
        // The last passage is the header's: only the others' gaps are packed, in the width
        // of the largest.
        let packed = gaps.count - 1
        let gapBits = PackedInts.width(gaps.prefix(packed).max() ?? 0)
        let frequencyBits = PackedInts.width((frequencies.max() ?? 1) - 1)
        out.appendVarint(UInt32(lastPassage - previousBlockLast))
        out.appendVarint(UInt32(2 + PackedInts.byteCount(packed, bits: gapBits)
                                + PackedInts.byteCount(frequencies.count, bits: frequencyBits)))
        out.appendVarint(UInt32(positions.count))
        blockPairs.write(to: &out)
        out.append(UInt8(gapBits))
        out.append(UInt8(frequencyBits))
        PackedInts.append(gaps.prefix(packed), bits: gapBits, to: &out)
        PackedInts.append(frequencies, minus: 1, bits: frequencyBits, to: &out)
        out.append(contentsOf: positions)
    }

    /// The encoded list; the encoder is then ready for the next term.
    mutating func finish() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 32)
        finish(appendingTo: &out)
        return out
    }

    /// Appends the encoded list to `out`; the encoder is then ready for the next term.
    mutating func finish(appendingTo out: inout [UInt8]) {
        if body.isEmpty && inBlock > 0 {
            // One block (most lists): its pairs are the list's, and it is written straight
            // to `out` rather than through `body`.
            blockPairs.write(to: &out)
            writeBlock(to: &out)
        } else {
            closeBlock()
            listPairs.write(to: &out)
            out.append(contentsOf: body)
        }
        self = PostingsEncoder(reusing: self)
    }

    init() {}

    private init(reusing old: PostingsEncoder) {
        body = old.body
        body.removeAll(keepingCapacity: true)
        gaps = old.gaps
        gaps.removeAll(keepingCapacity: true)
        frequencies = old.frequencies
        frequencies.removeAll(keepingCapacity: true)
        positions = old.positions
        positions.removeAll(keepingCapacity: true)
    }
}
