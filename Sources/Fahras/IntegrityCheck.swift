import FahrasIndex
import FahrasIndexer

/// What `fahras check` finds: every file of an index and every reference between them.
public struct IntegrityReport: Sendable {
    /// Everything wrong, each naming the file and what is wrong; empty when the index is sound.
    public var problems: [String]
    /// Remarks that are not faults (files an interrupted run left behind).
    public var notes: [String]
    /// Segments checked.
    public var segments: Int
    /// Documents in the segments, and those not deleted.
    public var documents: Int
    /// Documents not deleted, as the manifest counts them.
    public var liveDocuments: Int
    /// Passages in the segments, deleted or not.
    public var passages: Int
    /// Distinct terms, added up over the segments.
    public var terms: Int
    /// Postings read and checked.
    public var postings: Int

    /// Whether nothing is wrong.
    public var isSound: Bool { problems.isEmpty }

    /// Reads and verifies the whole index at `path`: the manifest's checksum, each segment's
    /// size, checksum and records (documents, passages, stored text, terms, postings), the
    /// deletions and statistics the manifest records, and the entity list it names. A
    /// damaged index is a report with problems, not an error.
    public init(checking path: String) {
        let directory = IndexDirectory(path: path)
        let report = IndexChecker.check(directory) { manifest in
            try EntityListFile.analyzer(for: manifest, in: directory).signature
        }
        self.init(problems: report.problems, notes: report.notes, segments: report.segments, documents: report.documents,
                  liveDocuments: report.liveDocuments, passages: report.passages, terms: report.terms, postings: report.postings)
    }

    init(problems: [String], notes: [String], segments: Int, documents: Int, liveDocuments: Int, passages: Int, terms: Int, postings: Int) {
        self.problems = problems
        self.notes = notes
        self.segments = segments
        self.documents = documents
        self.liveDocuments = liveDocuments
        self.passages = passages
        self.terms = terms
        self.postings = postings
    }
}
