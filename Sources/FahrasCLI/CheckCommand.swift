import ArgumentParser
import Fahras

/// `fahras check [--index DIR]`
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify every file of the index and every reference between them.",
        discussion: """
            Checks the manifest's checksum, each segment's size, checksum and records (documents, \
            passages, stored text, terms, postings), the deletions and statistics the manifest \
            records, and the entity list it names. Prints what is wrong, file by file, and exits \
            with status 1 if anything is; `fahras index --rebuild PATH…` replaces a damaged index.
            """)

    @OptionGroup var location: IndexLocation

    func run() throws {
        let report = IntegrityReport(checking: location.index)
        for note in report.notes { Output.standardOutput("note: \(note)\n") }
        guard report.problems.isEmpty else {
            for problem in report.problems { Output.standardOutput("problem: \(IndexLocation.advising(problem))\n") }
            throw UserFacingError(message: "the index in '\(location.index)' has \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s"); "
                + "rebuild it with `fahras index --rebuild PATH…`")
        }
        Output.standardOutput("OK: \(report.segments) segment\(report.segments == 1 ? "" : "s"), \(report.documents) documents (\(report.liveDocuments) live), "
            + "\(report.passages) passages, \(report.terms) terms, \(report.postings) postings verified in '\(location.index)'\n")
    }
}
