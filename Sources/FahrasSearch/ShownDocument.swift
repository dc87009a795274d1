import FahrasIndex

/// A document as the index holds it: its record, fields and passages (`fahras show`).
package struct ShownDocument: Sendable {
    package var path: String
    package var title: String
    /// The source file it was read from (absolute).
    package var source: String
    /// Its ``Schema`` fields that have a value (dates as `YYYY-MM-DD`).
    package var fields: [(name: String, value: String)]
    /// Its passages: position in the document and text (only the one asked for, if one was).
    package var passages: [(ordinal: Int, text: String)]
    /// Passages in the whole document.
    package var passageCount: Int
}

extension Searcher {
    /// The live document shown as `path` in results, with its passages (only passage
    /// `ordinal`, if given).
    /// A path several source files hold (``IndexReader/sharedPaths()``) is given as results
    /// show it, `FILE:path`, where FILE may be the source's name or any longer end of its path.
    package func show(_ path: String, passage ordinal: Int? = nil) throws(SearchError) -> ShownDocument {
        var found = try live { $0.path == path }
        if found.isEmpty {
            // FILE:path: try each colon, since ids may hold colons themselves.
            for colon in path.indices where path[colon] == ":" {
                let file = String(path[..<colon]), id = String(path[path.index(after: colon)...])
                found = try live { $0.path == id && ($0.source == file || $0.source.hasSuffix("/" + file)) }
                if !found.isEmpty { break }
            }
        }
        guard let (document, segment) = found.first else { throw .unknownDocument(path) }
        guard found.count == 1 else {
            throw .ambiguousDocument(path, choices: found.map { IndexReader.qualified($0.document.path, source: $0.document.source) },
                                     sources: found.map(\.document.source))
        }
        var shown = try shown(document, in: segment, passage: ordinal)
        if try indexRead({ () throws(IndexError) in try reader.sharedPaths() }).contains(document.path) {
            shown.path = IndexReader.qualified(document.path, source: document.source)
        }
        return shown
    }

    /// Every live document, with its segment, in index order (for an export: the records
    /// only; ``shown(_:in:)`` reads each one's passages).
    package func liveDocuments() throws(SearchError) -> [(document: SegmentReader.Document, segment: SegmentReader)] {
        try live { _ in true }
    }

    /// A live document of ``liveDocuments()`` with all its passages, named as results name it.
    package func shown(_ document: SegmentReader.Document, in segment: SegmentReader) throws(SearchError) -> ShownDocument {
        var shown = try shown(document, in: segment, passage: nil)
        if try indexRead({ () throws(IndexError) in try reader.sharedPaths() }).contains(document.path) {
            shown.path = IndexReader.qualified(document.path, source: document.source)
        }
        return shown
    }

    /// The live documents that satisfy `predicate`, with their segments.
    private func live(_ predicate: (SegmentReader.Document) -> Bool) throws(SearchError) -> [(document: SegmentReader.Document, segment: SegmentReader)] {
        var found: [(document: SegmentReader.Document, segment: SegmentReader)] = []
        for (s, segment) in reader.segments.enumerated() {
            let documents = try indexRead { () throws(IndexError) in try segment.documents }
            for (number, document) in documents.enumerated() where predicate(document) {
                if !reader.manifest.segments[s].deleted.contains(number) { found.append((document, segment)) }
            }
        }
        return found
    }

    private func shown(_ document: SegmentReader.Document, in segment: SegmentReader, passage ordinal: Int?) throws(SearchError) -> ShownDocument {
        let ordinals = Array(0..<document.passageCount)
        if let ordinal, !ordinals.contains(ordinal) { throw .unknownPassage(document: document.path, passage: ordinal, count: ordinals.count) }
        var text: [UInt8]?
        if segment.textIsExternal {
            guard let sourceText else { throw .textNotStored(document: document.path) }
            text = Array(try sourceText(document).utf8)
        }
        var passages: [(ordinal: Int, text: String)] = []
        for k in ordinal.map({ [$0] }) ?? ordinals {
            let local = document.firstPassage + k
            if let text {
                let range = try indexRead { () throws(IndexError) in try segment.passage(local) }.range
                guard range.upperBound <= text.count else {
                    throw .sourceText(reason: "'\(document.source)' no longer holds passage \(k) of \(document.path); run `fahras index`")
                }
                passages.append((k, String(decoding: text[range], as: UTF8.self)))
            } else {
                passages.append((k, try indexRead { () throws(IndexError) in try segment.passageText(local) }))
            }
        }
        let fields = Schema.fields.compactMap { field -> (String, String)? in
            switch document.fields[field.name] {
            case .date(let day)?: return (field.name, Schema.isoDate(day))
            case .text(let value)?: return (field.name, value)
            case nil: return nil
            }
        }
        return ShownDocument(path: document.path, title: document.title, source: document.source, fields: fields,
                             passages: passages, passageCount: document.passageCount)
    }
}
