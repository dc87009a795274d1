/*
 * Segment file format, version 8 (`seg-NUMBER.fsg`). All integers little-endian;
 * "varint" is unsigned LEB128. docs/index-format.md describes the whole index.
 *
 *   segment   := header store documents norms postings terms fields chunks footer
 *   header    := "FAHRASSG" version:u32 flags:u32                           (16 bytes)
 *   documents := count:u32 firstPassage:u32{count} recordOffset:u32{count}
 *                recordBytes:u32 record* sourceCount:u32 sourceOffset:u32{sourceCount} source*
 *   record    := path:string title:string sourceIndex:varint passageCount:varint length:varint
 *                offsetInSource:varint
 *   source    := path:string size:u64 modified:u64 hash:u64
 *   string    := length:varint utf8-bytes
 *   norms     := code:u8{passages}                 (LengthNorm code of each passage's length)
 *   store     := block-bytes block-entry{count} count:u32 passages:u32
 *   block-entry := firstPassage:u32 offset:u32 storedLength:u32 rawLength:u32   (16 bytes)
 *   block     := zlib(passage-entry*)              (offset relative to the section's start)
 *   passage-entry := textStart:varint textEnd:varint length:varint textLength:varint utf8-bytes
 *   terms     := count:u32 blockCount:u32 blockOffset:u32{blockCount} term-block*
 *   term-block := postingsStart:u64 (prefix:varint suffixLength:varint suffix
 *                 documentFrequency:varint postingsLength:varint){1...32}
 *   postings  := list*                             (one per term, in dictionary order)
 *   list      := pairCount:varint pair{pairCount} block+
 *   block     := lastDelta:varint docsLength:varint positionsLength:varint
 *                pairCount:varint pair{pairCount} docs positions
 *   pair      := frequency:varint norm:u8
 *   docs      := gapBits:u8 frequencyBits:u8 gapLess1:packed(gapBits){count-1}
 *                frequencyLess1:packed(frequencyBits){count}                (count ≤ 128)
 *   positions := (positionDelta:varint{frequency})  per passage of the block, in order
 *   fields    := fieldCount:u8 field{fieldCount} fingerprint:u64{passages}
 *   field     := name:string kind:u8 bodyLength:u32 body
 *   body      := day:i32{documents}                                        (kind 1, date)
 *              | valueCount:u32 valueOffset:u32{valueCount} value:string{valueCount}
 *                ordinal:u32{documents}                                    (kind 2, keyword)
 *              | end:u32{documents} utf8-bytes                             (kind 3, stored)
 *   chunks    := crc32:u32{⌈chunksOffset / 2^chunkShift⌉}
 *   footer    := (offset:u64 length:u64){7} totalLength:u64 chunkShift:u32 version:u32
 *                crc32:u32 "FHRSEND1"
 *
 * - `flags`: bit 0 (`externalText`) set when passage texts are not stored: every passage
 *   entry's text is empty and readers take the text again from the source file (see
 *   `offsetInSource`); bit 1 (`sourceOrder`) set when the documents lie in increasing byte
 *   order of their `source` paths (the records of one source in file order), so that
 *   passage order within the segment is the order ties are broken in. Other bits are 0.
 * - `offsetInSource` is where the document begins in its source file, in bytes: the line of a
 *   JSON Lines record, 0 for a whole file.
 * - `source` is the absolute path of the source file: its identity for incremental indexing
 *   (`path` is the form shown to users). `size`, `modified` (ns since 1970) and `hash`
 *   (XXH64, seed 0) are its state when it was read; `length` is the sum of its passages' lengths.
 *   A source is written once however many documents it holds (a JSON Lines file holds one
 *   per record). Records and sources are found through their offsets (relative to the first
 *   record, the first source), so a reader decodes only the documents it shows.
 * - A passage's `length` is its number of word positions (BM25's document length); the
 *   norms hold it in one byte for scoring, the store exactly. `textStart`/`textEnd` are
 *   UTF-8 offsets of the passage in its document's extracted text.
 * - The store holds passage texts in zlib blocks of about 4 KiB, found by binary search on
 *   `firstPassage`; only the blocks of displayed passages are inflated. Its table and counts
 *   follow the blocks, and the store is the file's first section, so that a merge writes
 *   each block as it closes instead of holding the store whole.
 * - Terms are sorted by bytes and front-coded in blocks of 32 (`prefix` bytes shared with
 *   the previous term of the block, 0 for the first); a lookup binary-searches the first
 *   terms of the blocks, then scans one block. A term's postings start where the previous
 *   term's end (`postingsStart` for the first of a block).
 * - A postings list is cut into blocks of 128 passages. Block headers are its skip data:
 *   `lastDelta` is the block's last passage minus the previous block's (the first block
 *   counts from -1), and the lengths let a reader jump over a block without decoding it.
 *   `pair`s are the block's (frequency, norm) pairs no other pair beats on both (at most 8,
 *   else merged into pairs that bound them), so the best BM25 score in the block is known
 *   exactly before decoding it (block-max pruning); the list's own pairs bound the whole list.
 *   A block's passages are packed as gaps less one (each from the passage before, the
 *   first from the previous block's last, or -1), all in the width of the largest (`gapBits`,
 *   at most 32), the first in the lowest bits of the first byte; the block's last passage is
 *   the header's and is not packed, and a reader checks that the packed ones stay below it.
 *   Frequencies less one are packed the same way (`frequencyBits` 0: every frequency is 1),
 *   and any one is read without decoding the others. A reader unpacks a block's passages in
 *   one loop and loads 8 bytes from a value's first byte: the sections after the postings
 *   (at least the footer) keep those loads inside the file.
 *   Positions restart from 0 in each passage and are read only when a phrase needs them.
 * - `fields` holds the documents' typed fields, a column per field of ``Schema`` in its
 *   order (dates: days since 1970, `Int32.min` none; keywords: the segment's values sorted
 *   by bytes, then an ordinal per document, `0xFFFFFFFF` none; stored: where each value ends),
 *   then each passage's near-duplicate fingerprint (0: none).
 * - The seven footer pairs locate documents, norms, store, terms, postings, fields and chunks,
 *   in that order wherever they lie in the file.
 *   `totalLength` is the sum of passage lengths (for BM25's average length).
 * - Each chunk of 2^chunkShift bytes before the chunks section has its CRC-32 there;
 *   `crc32` covers the chunks section and the footer before it. Readers check magic, version
 *   and footer first, then each chunk the first time they read from it (small files whole on
 *   open); `fahras check` reads them all.
 */

/// Constants of the segment file format (see the grammar at the top of this file).
package enum SegmentFormat {
    /// The format version this build writes and reads.
    package static let version: UInt32 = 8
    /// Header flag: passage texts are not stored (the store keeps offsets and lengths only).
    static let externalTextFlag: UInt32 = 1 << 0
    /// Header flag: documents are in increasing order of source path.
    static let sourceOrderFlag: UInt32 = 1 << 1
    /// Every flag this version defines.
    static let knownFlags: UInt32 = externalTextFlag | sourceOrderFlag
    static let headerMagic: [UInt8] = Array("FAHRASSG".utf8)
    static let footerMagic: [UInt8] = Array("FHRSEND1".utf8)
    package static let headerSize = 16
    static let sectionCount = 7
    package static let footerSize = sectionCount * 16 + 8 + 4 + 4 + 4 + 8
    static let storeEntrySize = 16
    /// Passages per postings block.
    package static let postingsBlockSize = 128
    /// Terms per dictionary block.
    static let termBlockSize = 32
    /// Uncompressed bytes a store block holds before it is closed.
    static let storeBlockTarget = 4 * 1024
    /// Most (frequency, norm) pairs kept per postings block.
    static let maximumPairs = 8
    /// Chunks of 64 KiB by default (tests use smaller ones).
    package static let defaultChunkShift: UInt32 = 16
    /// The file extension of segment files.
    package static let fileExtension = "fsg"
}
