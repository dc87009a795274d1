/// Writes the `fields` section: one column per ``Schema`` field, then the passages'
/// fingerprints (see the grammar in SegmentFormat.swift).
struct FieldColumnsWriter {
    private var days: [String: [Int32]] = [:]
    private var keywords: [String: [String?]] = [:]
    private var stored: [String: [String]] = [:]
    private var fingerprints: [UInt64] = []

    /// Bytes held so far (an estimate), kept as values come: the builder asks after every passage.
    private(set) var heldBytes = 0

    mutating func addDocument(_ fields: [String: FieldValue]) {
        heldBytes += Schema.fields.count * 16  // a column's entry (a string's or a day's slot)
        for field in Schema.fields {
            let value = fields[field.name]
            switch field.kind {
            case .date: days[field.name, default: []].append(value?.day ?? FieldColumns.noDay)
            case .keyword: keywords[field.name, default: []].append(value?.text)
            case .stored: stored[field.name, default: []].append(value?.text ?? "")
            }
            // A string of more than 15 bytes is kept apart, with a header.
            if let count = value?.text?.utf8.count, count > 15 { heldBytes += count + 32 }
        }
    }

    mutating func addPassage(fingerprint: UInt64) {
        fingerprints.append(fingerprint)
        heldBytes += 8
    }

    /// Writes the columns: all of the section but the fingerprints, which
    /// ``withFingerprintBytes(_:)`` hands over without a copy.
    func writeColumns(to w: inout ByteWriter) {
        w.bytes.append(UInt8(Schema.fields.count))
        for field in Schema.fields {
            w.string(field.name)
            w.bytes.append(field.kind.rawValue)
            var body = ByteWriter()
            switch field.kind {
            case .date:
                for day in days[field.name] ?? [] { body.u32(UInt32(bitPattern: day)) }
            case .keyword:
                let column = keywords[field.name] ?? []
                // Values sorted by bytes: the same documents give the same bytes, whatever
                // order their values first came in (a merge equals a fresh build).
                let values = Set(column.compactMap { $0 }).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
                let ordinals = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, UInt32($0)) })
                body.u32(UInt32(values.count))
                var strings = ByteWriter()
                for value in values {
                    body.u32(UInt32(strings.bytes.count))
                    strings.string(value)
                }
                body.append(strings.bytes)
                for value in column { body.u32(value.map { ordinals[$0]! } ?? FieldColumns.noOrdinal) }
            case .stored:
                var end: UInt32 = 0
                let column = stored[field.name] ?? []
                for value in column {
                    end += UInt32(value.utf8.count)
                    body.u32(end)
                }
                for value in column { body.bytes.append(contentsOf: value.utf8) }
            }
            w.u32(UInt32(body.bytes.count))
            w.append(body.bytes)
        }
    }

    /// Calls `body` with the fingerprints as the section ends with them (u64, little-endian).
    func withFingerprintBytes(_ body: (UnsafeRawBufferPointer) throws(IndexError) -> Void) throws(IndexError) {
        #if _endian(little)
        try fingerprints.withUnsafeBufferPointer { (values) throws(IndexError) in try body(UnsafeRawBufferPointer(values)) }
        #else
        try fingerprints.map(\.littleEndian).withUnsafeBufferPointer { (values) throws(IndexError) in try body(UnsafeRawBufferPointer(values)) }
        #endif
    }
}

/// Reads the `fields` section of a segment straight from its memory map.
package struct FieldColumns: @unchecked Sendable {
    static let noDay = Int32.min
    static let noOrdinal = UInt32.max

    /// Where one field's column lies.
    private struct Column {
        var kind: FieldKind
        var body: Range<Int>
        /// Keyword columns: the decoded values, by ordinal.
        var values: [String] = []
        /// Keyword columns: where the ordinals start; stored columns: where the bytes start.
        var data = 0
    }

    private let bytes: UnsafeRawBufferPointer
    private var columns: [String: Column] = [:]
    /// Where the passages' fingerprints lie, at the end of the section (read through
    /// ``SegmentReader/fingerprints()``, which verifies them first).
    let fingerprintBytes: Range<Int>
    private let documentCount: Int

    /// Reads the section at `range` for `documents` documents and `passages` passages: all
    /// of it but the fingerprints at its end must be verified.
    init(bytes: UnsafeRawBufferPointer, range: Range<Int>, documents: Int, passages: Int, file: String) throws(IndexError) {
        self.bytes = bytes
        documentCount = documents
        var reader = ByteReader(bytes, range: range, file: file)
        let count = Int(try reader.u8("field count"))
        for _ in 0..<count {
            let name = try reader.string("field name")
            let code = try reader.u8("field kind")
            guard let kind = FieldKind(rawValue: code) else { throw .corrupt(file: file, reason: "field '\(name)' has unknown kind \(code)") }
            let length = Int(try reader.u32("field length"))
            guard length <= range.upperBound - reader.offset else { throw .corrupt(file: file, reason: "field '\(name)' runs past its section") }
            var column = Column(kind: kind, body: reader.offset..<(reader.offset + length))
            try Self.check(&column, name: name, documents: documents, bytes: bytes, file: file)
            columns[name] = column
            reader.offset += length
        }
        fingerprintBytes = reader.offset..<range.upperBound
        guard fingerprintBytes.count == passages * 8 else {
            throw .corrupt(file: file, reason: "the fields section does not end with one fingerprint a passage")
        }
        for field in Schema.fields where columns[field.name]?.kind != field.kind {
            throw .corrupt(file: file, reason: "field '\(field.name)' is missing or of another kind")
        }
    }

    /// Checks a column's size against the document count; decodes a keyword column's values.
    private static func check(_ column: inout Column, name: String, documents: Int, bytes: UnsafeRawBufferPointer,
                              file: String) throws(IndexError) {
        let body = column.body
        func fail() -> IndexError { .corrupt(file: file, reason: "field '\(name)' does not hold one value a document") }
        switch column.kind {
        case .date:
            guard body.count == documents * 4 else { throw fail() }
        case .keyword:
            var reader = ByteReader(bytes, range: body, file: file)
            let count = Int(try reader.u32("value count"))
            // Counted from after the count: the offsets must fit in what is left of the body.
            guard count <= (body.upperBound - reader.offset) / 4 else { throw fail() }
            let stringsStart = reader.offset + count * 4
            var strings = ByteReader(bytes, range: stringsStart..<body.upperBound, file: file)
            for _ in 0..<count { column.values.append(try strings.string("field value")) }
            column.data = strings.offset
            guard body.upperBound - column.data == documents * 4 else { throw fail() }
            // Every ordinal below the count, or none (0xFFFFFFFF): one plus the ordinal wraps
            // none to 0, so the largest of those sums decides, in a loop without a branch that
            // the compiler vectorises (a test per document was most of opening a segment of
            // many small documents).
            var highest: UInt32 = 0
            if documents > 0, let base = bytes.baseAddress.map({ $0 + column.data }) {  // the size is checked above
                for d in 0..<documents { highest = max(highest, (base + 4 &* d).loadUnaligned(as: UInt32.self).littleEndian &+ 1) }
            }
            guard Int(highest) <= count else { throw fail() }
        case .stored:
            guard body.count >= documents * 4 else { throw fail() }
            column.data = body.lowerBound + documents * 4
            let last = documents == 0 ? 0 : Int(bytes.loadUnaligned(fromByteOffset: column.data - 4, as: UInt32.self).littleEndian)
            guard column.data + last == body.upperBound else { throw fail() }
        }
    }

    @inline(__always)
    private func u32(_ offset: Int) -> UInt32 { bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian }

    /// A reader of one date column, for loops over many documents.
    package func dates(_ name: String) -> (Int) -> Int32? {
        guard let column = columns[name], column.kind == .date else { return { _ in nil } }
        let bytes = self.bytes
        let start = column.body.lowerBound
        return { document in
            let value = Int32(bitPattern: bytes.loadUnaligned(fromByteOffset: start + document * 4, as: UInt32.self).littleEndian)
            return value == Self.noDay ? nil : value
        }
    }

    /// A reader of one keyword column's ordinals, for loops over many documents.
    package func ordinals(_ name: String) -> (Int) -> Int? {
        guard let column = columns[name], column.kind == .keyword else { return { _ in nil } }
        let bytes = self.bytes
        let start = column.data
        return { document in
            let value = bytes.loadUnaligned(fromByteOffset: start + document * 4, as: UInt32.self).littleEndian
            return value == Self.noOrdinal ? nil : Int(value)
        }
    }

    /// The day of date field `name` in `document`, if it has one.
    package func day(_ name: String, document: Int) -> Int32? { dates(name)(document) }

    /// The distinct values of keyword field `name` in the segment, by ordinal.
    package func values(_ name: String) -> [String] { columns[name]?.values ?? [] }

    /// The ordinal of keyword field `name`'s value in `document` (into ``values(_:)``), if any.
    package func ordinal(_ name: String, document: Int) -> Int? { ordinals(name)(document) }

    /// The value of field `name` in `document`, whatever its kind.
    package func value(_ name: String, document: Int) -> FieldValue? {
        guard let column = columns[name] else { return nil }
        switch column.kind {
        case .date: return day(name, document: document).map(FieldValue.date)
        case .keyword: return ordinal(name, document: document).map { .text(column.values[$0]) }
        case .stored:
            let start = document == 0 ? 0 : Int(u32(column.body.lowerBound + (document - 1) * 4))
            let end = Int(u32(column.body.lowerBound + document * 4))
            guard start < end, end <= column.body.upperBound - column.data else { return nil }
            return .text(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(column.data + start)..<(column.data + end)]), as: UTF8.self))
        }
    }

    /// Every field of `document` that has a value.
    package func values(document: Int) -> [String: FieldValue] {
        var out: [String: FieldValue] = [:]
        for field in Schema.fields { if let value = value(field.name, document: document) { out[field.name] = value } }
        return out
    }
}

/// A segment's passage fingerprints (``Fingerprint``), verified.
package struct FingerprintColumn {
    let bytes: UnsafeRawBufferPointer
    let start: Int

    /// The fingerprint of passage `passage`.
    @inline(__always)
    package subscript(_ passage: Int) -> UInt64 {
        bytes.loadUnaligned(fromByteOffset: start + passage * 8, as: UInt64.self).littleEndian
    }
}
