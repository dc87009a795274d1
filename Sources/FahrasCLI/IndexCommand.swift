import ArgumentParser
import Fahras
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `fahras index [PATH ...] [--index DIR] [--rebuild] [--entities FILE] [--watch [--interval SECONDS]]`
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build or update the index from HTML and text files.",
        discussion: """
            PATHs are files or folders (searched recursively for .html, .htm, .xhtml, .txt, and \
            .jsonl/.ndjson: JSON Lines exports, one document per line as {"id": …, "title": …, \
            "text": …}, each shown by its id). \
            The index remembers its PATHs (`fahras sources`): with no PATH, it scans them all \
            again; a new PATH is added to them, and documents outside the PATHs scanned are \
            never touched. Only what changed is done: new files are added, changed files \
            replaced, files gone from under a PATH scanned deleted; unchanged files are not read \
            again. `fahras remove PATH` removes a source and its documents. \
            The index is rebuilt from scratch with --rebuild, and by itself when the analyzer \
            (folding rules, entity list, fahras version) changed since it was built. \
            Names are indexed under every spelling key, and the entities of the gazetteer (the \
            bundled list, plus --entities FILE, kept in the index for later runs) are tagged. \
            Files that cannot be indexed (empty, binary, not UTF-8, unreadable) are named in a \
            warning and skipped. Every run ends in one atomic commit: a failed or interrupted \
            run leaves the previous index as it was, and searches see either. \
            With --watch, fahras then stays and indexes files as they arrive (Linux: inotify), \
            one commit at most every --interval seconds; Ctrl-C or SIGTERM stops it after the \
            update under way, a second one at once.
            """)

    @Argument(help: ArgumentHelp("Files or folders to add to the index (default: every source it remembers).", valueName: "PATH"))
    var paths: [String] = []

    @OptionGroup var location: IndexLocation

    @Flag(help: "Index every file again, discarding the existing index (also repairs a damaged one).")
    var rebuild = false

    @Option(help: ArgumentHelp(
        "An entity list to add to the bundled one (kept in the index for later runs and searches).",
        valueName: "FILE"))
    var entities: String?

    @Flag(help: "Use no bundled entities: only --entities FILE (for archives of other conflicts; kept in the index for later runs).")
    var noBundledEntities = false

    enum Switch: String, ExpressibleByArgument, CaseIterable {
        case on, off
    }

    @Option(help: ArgumentHelp(
        "Fold name spellings and tag entities (on), or index plain words only (off, as engines without name folding do). Default: as the index was built, on for a new one.",
        valueName: "on|off"))
    var names: Switch?

    enum TextStorage: String, ExpressibleByArgument, CaseIterable {
        case stored, external
    }

    @Option(help: ArgumentHelp(
        "Keep a compressed copy of every passage's text in the index (stored), or leave texts out and read them again from the source files when showing hits (external: a smaller index, whose sources must stay as indexed). Default: as the index was built, stored for a new one.",
        valueName: "stored|external"))
    var text: TextStorage?

    @Flag(inversion: .prefixedNo,
          help: "Index each JSON Lines record as one passage, not cut into passages (for exports of passages). Default: as the index was built, cut for a new one (a change rebuilds the index).")
    var wholeRecords: Bool?

    @Flag(name: .customLong("no-follow-outside"),
          help: "Do not follow symbolic links inside a folder to files outside it (a scraped tree may link to /etc/passwd); each is named in a warning. Default: followed.")
    var noFollowOutside = false

    @Option(help: ArgumentHelp("Keep what is dropped as chrome by default: captions (of figures); none drops it again. Default: as the index was built, none for a new one (a change rebuilds the index).",
                               valueName: "captions|none"))
    var keep: [ExtractCommand.KeptText] = []

    @Option(help: ArgumentHelp(
        "Memory the new segment may hold before it is written out and another begun (its buffers and tables: text, postings, records, terms); reading files needs 100 to 200 MB more, and merging segments at the end more again for a large archive.",
        valueName: "MB"))
    var memoryBudget: Int = 256

    @Flag(help: "After indexing, keep watching the PATHs and index files as they are written, moved in or deleted, until Ctrl-C or SIGTERM (Linux; a second one stops at once).")
    var watch = false

    @Option(help: ArgumentHelp("With --watch: the least time between two commits (default 2).", valueName: "SECONDS"))
    var interval: Double?

    /// A mebibyte of terabytes: beyond any machine, and far from overflowing when multiplied to bytes.
    static let maximumMemoryBudget = 1 << 20

    func validate() throws {
        guard (1...IndexCommand.maximumMemoryBudget).contains(memoryBudget) else {
            throw ValidationError("--memory-budget must be from 1 to \(IndexCommand.maximumMemoryBudget) (MB); got \(memoryBudget).")
        }
        if let interval {
            guard watch else { throw ValidationError("--interval goes with --watch.") }
            guard interval.isFinite, interval > 0, interval <= TimeLimit.longest else {
                throw ValidationError("--interval must be a number of seconds above 0 and at most \(Int(TimeLimit.longest)); got \(interval).")
            }
        }
    }

    func run() throws {
        var options = IndexWriter.Options(rebuild: rebuild)
        options.nameFolding = names.map { $0 == .on }
        options.externalText = text.map { $0 == .external }
        options.wholeRecords = wholeRecords
        options.followsLinksOutside = !noFollowOutside
        if !keep.isEmpty { options.keepCaptions = keep.contains(ExtractCommand.KeptText.captions) }
        options.entityList = entities
        options.replacesBundledEntities = noBundledEntities
        options.memoryBudget = memoryBudget * 1_048_576
        let showProgress = Output.errorIsTerminal
        options.progress = { progress in
            if showProgress && (progress.filesTotal >= 200 || progress.seconds >= 1) {
                Output.standardError("\r\u{1B}[K" + IndexCommand.describe(progress))
            }
        }
        if watch { return try watchPaths(options) }
        let summary: IndexWriter.Summary
        do {
            summary = try IndexWriter(at: location.index).update(paths: paths, options: options)
        } catch {
            if showProgress { Output.standardError("\r\u{1B}[K") }
            throw UserFacingError(error)
        }
        if showProgress { Output.standardError("\r\u{1B}[K") }
        var told = Set<String>()
        tell(summary, told: &told)
    }

    /// Prints a run's warnings (those not in `told` yet) and its summary line.
    private func tell(_ summary: IndexWriter.Summary, told: inout Set<String>) {
        for skipped in summary.skipped where told.insert(skipped.path + "\u{0}" + skipped.reason).inserted {
            Output.warning("\(skipped.path): \(skipped.reason); skipped")
        }
        for notice in summary.notices where told.insert(notice.path + "\u{0}" + notice.reason).inserted {
            Output.warning("\(notice.path): \(notice.reason)")
        }
        if summary.ignored > 0 && told.insert("\u{0}ignored \(summary.ignored)").inserted {
            let more = summary.ignored > summary.ignoredExamples.count ? ", …" : ""
            Output.warning("\(summary.ignored) file\(summary.ignored == 1 ? "" : "s") in the folders passed over for their extension ("
                + summary.ignoredExamples.joined(separator: ", ") + more + "); name a file to index it whatever its extension: fahras index FILE")
        }
        if let reason = summary.rebuildReason, reason != "--rebuild" {
            Output.warning("rebuilding the whole index: \(reason)")
        }
        Output.standardOutput(IndexCommand.describe(summary, index: location.index) + "\n")
    }

    /// `--watch`: an update now, then one after each change, until SIGINT or SIGTERM. Runs
    /// that change nothing print nothing; warnings already given are not given again.
    private func watchPaths(_ options: IndexWriter.Options) throws {
        let watcher: IndexWatcher
        do {
            watcher = try IndexWatcher(IndexWriter(at: location.index), paths: paths, options: options,
                                       interval: .milliseconds(Int(((interval ?? 2) * 1000).rounded())))
        } catch {
            throw UserFacingError(error)
        }
        WatchSignals.install(stoppingThrough: watcher.stopDescriptor)
        Output.standardError("fahras: watching \(watcher.watchCount) folder\(watcher.watchCount == 1 ? "" : "s") for changes; Ctrl-C stops\n")
        var told = Set<String>()
        var first = true
        var failure: FahrasError?
        watcher.run { result in
            if Output.errorIsTerminal { Output.standardError("\r\u{1B}[K") }
            switch result {
            case .success(let summary) where first || summary.committed || summary.rebuildReason != nil:
                tell(summary, told: &told)
            case .success:
                break
            case .failure(let error) where first && error.reason != .badInput:
                // A first update that cannot be made (a damaged or locked index) will not heal
                // by waiting; input that is not there yet (an empty folder) may come.
                failure = error
                watcher.stop()
            case .failure(let error):
                Output.warning("\(error) (tried again at the next change)")
            }
            first = false
        }
        if let failure { throw UserFacingError(failure) }
        Output.standardError("fahras: stopped watching; the index holds the last commit\n")
    }

    /// The progress line: files, megabytes, rate and time left.
    static func describe(_ progress: IndexWriter.Progress) -> String {
        func megabytes(_ bytes: UInt64) -> String { String(format1: Double(bytes) / 1_048_576) }
        var line = "indexing: \(progress.filesDone)/\(progress.filesTotal) files, "
            + "\(megabytes(progress.bytesDone)) of \(megabytes(progress.bytesTotal)) MB"
        if progress.seconds > 0 { line += ", \(String(format1: progress.bytesPerSecond / 1_048_576)) MB/s" }
        if let left = progress.secondsLeft, progress.filesDone < progress.filesTotal {
            line += ", \(Int(left.rounded(.up))) s left"
        }
        return line
    }

    /// The summary line: what changed, what the index holds now, how long it took.
    static func describe(_ summary: IndexWriter.Summary, index: String) -> String {
        var line: String
        if summary.fresh {
            line = "Indexed \(summary.added) file\(summary.added == 1 ? "" : "s"): \(summary.passages) passages, "
            line += summary.segments == 1 ? "\(summary.terms) terms" : "\(summary.terms) terms (counted per segment)"
        } else {
            line = "Indexed: \(summary.added) added, \(summary.updated) updated, \(summary.deleted) deleted, "
                + "\(summary.unchanged) unchanged"
            if summary.touched > 0 { line += " (\(summary.touched) touched, same content)" }
        }
        let segments = summary.segments
        if !summary.fresh {
            line += "; \(summary.documents) files, \(summary.passages) passages"
        }
        line += " in \(segments) segment\(segments == 1 ? "" : "s")"
        if summary.segmentsWritten > 1 { line += ", \(summary.segmentsWritten) written at the memory budget" }
        if summary.merges > 0 { line += " after \(summary.merges) merge\(summary.merges == 1 ? "" : "s")" }
        line += " in \(String(format3: summary.seconds)) s -> \(index)"
        if !summary.committed { line += " (up to date, nothing written)" }
        var notes: [String] = []
        if !summary.skipped.isEmpty { notes.append("\(summary.skipped.count) skipped (see warnings)") }
        if summary.ignored > 0 { notes.append("\(summary.ignored) ignored for their extension") }
        if summary.chromeBlocksDropped > 0 { notes.append("\(summary.chromeBlocksDropped) chrome blocks dropped") }
        if !notes.isEmpty { line += " (" + notes.joined(separator: ", ") + ")" }
        return line
    }
}

/// SIGINT and SIGTERM during `fahras index --watch`: the first stops the watcher after the
/// update under way, a second ends the process at once, as it ends a plain `fahras index`
/// (the index keeps its last commit either way). A `sigaction` handler that writes to the
/// watcher's pipe: a Dispatch signal source registers a moment after it is made, and a
/// signal in that moment was lost, leaving the watcher running.
enum WatchSignals {
    nonisolated(unsafe) private static var stopDescriptor: Int32 = -1
    private static let received = Atomic<Int>(0)

    static func install(stoppingThrough descriptor: Int32) {
        stopDescriptor = descriptor
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { number in
            // Only calls that are safe in a signal handler: an atomic, write(2), _exit(2).
            func say(_ text: StaticString) { _ = write(2, text.utf8Start, text.utf8CodeUnitCount) }
            if WatchSignals.received.add(1, ordering: .relaxed).newValue > 1 {
                say("fahras: stopped at once; the index holds its last commit\n")
                _exit(128 + number)  // (as a shell reports a process the signal ended)
            }
            say("fahras: stopping, after the update under way if there is one (again to stop at once)\n")
            var byte: UInt8 = 1
            _ = write(WatchSignals.stopDescriptor, &byte, 1)
        }
        action.sa_flags = SA_RESTART  // (the update's reads and writes go on)
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        // A process started from a thread that blocks them (a Dispatch worker's, say)
        // inherits that mask: the watch is stopped by these signals, so this thread takes them.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}

/// `fahras optimize [--index DIR]`
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Merge the index into one segment, purging deleted passages.",
        discussion: "Scores do not change; searches may get faster. Runs as one atomic commit, like `fahras index`.")

    @OptionGroup var location: IndexLocation

    func run() throws {
        let summary: IndexWriter.Summary
        do { summary = try IndexWriter(at: location.index).optimize() } catch { throw UserFacingError(error) }
        let segments = summary.segments
        Output.standardOutput(summary.committed
            ? "Optimized: \(summary.documents) files, \(summary.passages) passages in \(segments) segment in \(String(format3: summary.seconds)) s -> \(location.index)\n"
            : "Already optimized: \(summary.documents) files, \(summary.passages) passages in \(segments) segment\(segments == 1 ? "" : "s"), nothing written\n")
    }
}
