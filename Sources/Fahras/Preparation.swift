import Dispatch
import FahrasAnalysis

/// Work that a program will need, begun early on another core.
public enum Preparation {
    /// What a program will do with the standard analyzer.
    public enum Use: Sendable {
        /// Index files: the analyzer's tables. An update that finds nothing changed needs no
        /// more, and building the entity matcher would take a core from its folder walk.
        case indexing
        /// Answer queries: the tables and the entity matcher, which every query's words meet.
        case searching
    }

    /// Begins building the standard analyzer on another thread: its word chain, name tables
    /// and bundled gazetteer (and, for searching, its entity matcher), some milliseconds of
    /// reading data files that a command otherwise spends before its first step. A program
    /// that calls this before its own set-up (the command line does, before parsing its
    /// arguments) finds the analyzer built when it first needs it, or waits only for what is
    /// left; one that turns out not to need it has spent that time on another core. Each part
    /// is built once per process, however often this is called.
    public static func beginStandardAnalyzer(for use: Use) {
        begin(use, of: .standard)
    }

    /// Builds `analyzer` (evaluated on the other thread) as `use` needs it; the work item
    /// tells when that is done.
    @discardableResult
    static func begin(_ use: Use, of analyzer: @escaping @Sendable @autoclosure () -> Analyzer) -> DispatchWorkItem {
        let work = DispatchWorkItem {
            let built = analyzer()
            if use == .searching { built.build() }
        }
        DispatchQueue.global(qos: .userInitiated).async(execute: work)
        return work
    }
}
