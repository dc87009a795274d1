/*
 * Segment file format, version 2 (`seg-NUMBER.fsg`). All integers little-endian;
 * "varint" is unsigned LEB128. docs/index-format.md describes the whole index.
 *
 *   segment   := header documents passages store terms postings footer
 *   header    := "FAHRASSG" version:u32 reserved:u32                        (16 bytes)
 *   documents := count:u32 document*
 *   document  := path:string title:string source:string size:u64 modified:u64 hash:u64
 *                firstPassage:u32 passageCount:u32
 *   string    := length:varint utf8-bytes
 *   passages  := count:u32 passage*                                        (32 bytes each)
 *   passage   := document:u32 ordinal:u32 textStart:u32 textEnd:u32 length:u32
 *                storeOffset:u64 storeLength:u32
 *   store     := utf8-bytes                    (passage texts, back to back)
 *   terms     := count:u32 entry* term-bytes   (entries sorted by term bytes)
 *   entry     := termOffset:u32 termLength:u16 reserved:u16 documentFrequency:u32
 *                postingsOffset:u64 postingsLength:u32                     (24 bytes each)
 *   postings  := list*                         (one per term, at postingsOffset)
 *   list      := (passageDelta:varint frequency:varint positionDelta:varint{frequency})*
 *   footer    := (offset:u64 length:u64){5} totalLength:u64 version:u32 crc32:u32 "FHRSEND1"
 *
 * - `source` is the absolute path of the source file: its identity for incremental indexing
 *   (`path` is the form shown to users). `size`, `modified` (ns since 1970) and `hash`
 *   (FNV-1a 64) are its state when it was read.
 * - Segments are immutable: deletions and later file times live in the manifest.
 * - `passageDelta` is the passage number minus the previous one in the list (the first is
 *   the number plus one, so a delta is never 0); positions restart from 0 in each passage.
 * - `textStart`/`textEnd` are UTF-8 offsets of the passage in its document's extracted text;
 *   `length` is the passage's number of word positions (BM25's document length).
 * - The five footer pairs locate documents, passages, store, terms and postings.
 * - `totalLength` is the sum of passage lengths (for BM25's average length).
 * - `crc32` covers every byte before it. Readers check magic, version and CRC first.
 */

/// Constants of the segment file format (see the grammar at the top of this file).
public enum SegmentFormat {
    /// The format version this build writes and reads.
    public static let version: UInt32 = 2
    static let headerMagic: [UInt8] = Array("FAHRASSG".utf8)
    static let footerMagic: [UInt8] = Array("FHRSEND1".utf8)
    static let headerSize = 16
    static let footerSize = 5 * 16 + 8 + 4 + 4 + 8
    static let passageRecordSize = 32
    static let termEntrySize = 24
    /// The file extension of segment files.
    public static let fileExtension = "fsg"
}
