import FahrasIndex

/// The index's live documents grouped by source file, for comparing them with the files
/// found: a JSON Lines file has a document a record, any other file one. Each source is
/// one table entry with its documents chained, not an array of its own: a run that
/// changes nothing still looks up every file.
struct LiveSources {
    let documents: [IndexReader.LiveDocument]
    /// Each source's first document, as an index into ``documents``.
    private var first: [String: Int] = [:]
    /// The next document of the same source (`-1`: none).
    private var next: [Int]
    /// The first document of each source, in index order.
    private(set) var heads: [Int] = []

    init(_ documents: [IndexReader.LiveDocument]) {
        self.documents = documents
        next = Array(repeating: -1, count: documents.count)
        first.reserveCapacity(documents.count)
        var last: [Int: Int] = [:]  // head → last document chained so far, for sources of several
        for (i, entry) in documents.enumerated() {
            // One lookup of the source (its path hashed once): a new one takes `i`.
            let head = LiveSources.claim(&first[entry.document.source, default: -1], for: i)
            if head == i {
                heads.append(i)
            } else {
                next[last[head] ?? head] = i
                last[head] = i
            }
        }
    }

    /// The value of `slot`, set to `value` first when it holds none (-1).
    private static func claim(_ slot: inout Int, for value: Int) -> Int {
        if slot < 0 { slot = value }
        return slot
    }

    /// The first live document of `source`, if it has any.
    func head(of source: String) -> Int? { first[source] }

    /// The live documents of the source whose first document is `head`, in index order.
    func documents(from head: Int) -> [IndexReader.LiveDocument] {
        var out: [IndexReader.LiveDocument] = []
        var i = head
        while i >= 0 {
            out.append(documents[i])
            i = next[i]
        }
        return out
    }
}
