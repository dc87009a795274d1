import Dispatch
import FahrasIndexer

/// Keeps an index up to date as files arrive (`fahras index --watch`): one update at once,
/// then one after each change under the paths, at most one every ``interval``. Each update is
/// an ``IndexWriter/update(paths:options:)``: one atomic commit, of only what changed.
///
/// Linux only (inotify). Changes made while an update runs are caught by the next one.
public final class IndexWatcher: Sendable {
    /// The index written.
    public let writer: IndexWriter
    /// The folders and files watched and scanned (empty: every source the index remembers).
    public let paths: [String]
    /// The least time from the start of one update to the start of the next.
    public let interval: Duration
    private let options: IndexWriter.Options
    private let watcher: FolderWatcher

    /// Starts watching `paths` (the index's remembered sources when empty), which must
    /// exist; ``run(_:)`` then updates the index. `options` apply to every update, except
    /// `rebuild`, to the first alone.
    public init(_ writer: IndexWriter, paths: [String], options: IndexWriter.Options = IndexWriter.Options(),
                interval: Duration = .seconds(2)) throws(FahrasError) {
        self.writer = writer
        self.paths = paths
        self.options = options
        self.interval = interval
        let watched = paths.isEmpty ? try writer.sources().filter(\.exists).map(\.path) : paths
        guard !watched.isEmpty else {
            throw FahrasError(.badInput, "no PATH given, and the index in '\(writer.path)' remembers no source that is there to watch; give the folders or files to watch")
        }
        do { watcher = try FolderWatcher(paths: watched, excluding: [writer.path]) } catch { throw FahrasError(error) }
    }

    /// Folders and files watched (a watch each).
    public var watchCount: Int { watcher.watchCount }

    /// Updates the index now, then whenever something changed, until ``stop()``; calls
    /// `report` after each update with its summary or error. A failed update leaves the index
    /// as the last commit left it, and the next change is tried again; a folder that holds
    /// no file to index yet is watched for its first.
    public func run(_ report: (Result<IndexWriter.Summary, FahrasError>) -> Void) {
        var options = self.options
        var started = DispatchTime.now()
        report(Result { () throws(FahrasError) in try writer.update(paths: paths, options: options) })
        options.rebuild = false
        while watcher.wait() == .changed {
            // At most one update an interval: changes meanwhile join the one due.
            let due = DispatchTime(uptimeNanoseconds: started.uptimeNanoseconds + IndexWatcher.nanoseconds(interval))
            while DispatchTime.now() < due {
                if watcher.wait(until: due) == .stopped { return }
            }
            started = DispatchTime.now()
            report(Result { () throws(FahrasError) in try writer.update(paths: paths, options: options) })
        }
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        UInt64(max(0, duration.components.seconds)) * 1_000_000_000 + UInt64(max(0, duration.components.attoseconds / 1_000_000_000))
    }

    /// Ends ``run(_:)`` once the update under way, if any, is committed (from any thread).
    public func stop() { watcher.stop() }

    /// The descriptor ``stop()`` writes a byte to: a signal handler may do the same, as
    /// write(2) is safe there and `stop()` is not promised to be.
    package var stopDescriptor: Int32 { watcher.stopDescriptor }
}
