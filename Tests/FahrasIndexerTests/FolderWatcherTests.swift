import Dispatch
import Foundation
import Testing
@testable import FahrasIndexer

@Suite("Indexer: what a watch counts as a change")
struct FolderWatcherTests {
    /// Long enough for an event to arrive, short enough for the suite.
    func soon(_ seconds: Double = 5) -> DispatchTime { .now() + seconds }
    func briefly() -> DispatchTime { .now() + 0.3 }

    @Test func filesWrittenMovedAndDeletedCount() throws {
        let corpus = Corpus()
        corpus.write("a.html", "<p>Deir ez-Zor</p>")
        let watcher = try FolderWatcher(paths: [corpus.folder])
        #expect(watcher.wait(until: briefly()) == .timedOut, "nothing changed yet")

        corpus.write("b.txt", "Abu Kamal")
        #expect(watcher.wait(until: soon()) == .changed, "a file written and closed")
        #expect(watcher.wait(until: briefly()) == .timedOut, "its events were taken once")

        try FileManager.default.moveItem(atPath: corpus.folder + "/b.txt", toPath: corpus.folder + "/sub/c.txt")
        #expect(watcher.wait(until: soon()) == .changed, "a file moved")
        try FileManager.default.removeItem(atPath: corpus.folder + "/a.html")
        #expect(watcher.wait(until: soon()) == .changed, "a file deleted")
        corpus.setTime("sub/c.txt", seconds: 1_700_000_000)
        #expect(watcher.wait(until: soon()) == .changed, "a file touched")
    }

    @Test func hiddenFilesOtherExtensionsAndTheIndexDoNot() throws {
        let corpus = Corpus()
        try FileManager.default.createDirectory(atPath: corpus.folder + "/Index", withIntermediateDirectories: true)
        let watcher = try FolderWatcher(paths: [corpus.folder], excluding: [corpus.folder + "/Index"])
        corpus.write(".a.html.swp", "draft")
        corpus.write("notes.md", "not indexed")
        corpus.write("Index/seg-000001.fsg", "the index's own file")
        #expect(watcher.wait(until: briefly()) == .timedOut)
        // A file still being written counts once it is closed, not when it is made.
        let fd = open(corpus.folder + "/d.txt", O_CREAT | O_WRONLY, 0o644)
        #expect(fd >= 0)
        #expect(write(fd, "Raqqa", 5) == 5)
        #expect(watcher.wait(until: briefly()) == .timedOut, "made and written, still open")
        close(fd)
        #expect(watcher.wait(until: soon()) == .changed, "closed")
    }

    /// An index made inside the folder after the watch began is left out too.
    @Test func anIndexMadeLaterIsLeftOut() throws {
        let corpus = Corpus()
        let watcher = try FolderWatcher(paths: [corpus.folder], excluding: [corpus.folder + "/Later"])
        try FileManager.default.createDirectory(atPath: corpus.folder + "/Later", withIntermediateDirectories: true)
        #expect(watcher.wait(until: soon()) == .changed, "a folder made")
        corpus.write("Later/x.txt", "inside the index folder")
        #expect(watcher.wait(until: briefly()) == .timedOut, "not watched")
    }

    /// A folder made after the watch began is watched too, with what is put in it.
    @Test func newFoldersAreWatched() throws {
        let corpus = Corpus()
        let watcher = try FolderWatcher(paths: [corpus.folder])
        try FileManager.default.createDirectory(atPath: corpus.folder + "/sub/new/deeper", withIntermediateDirectories: true)
        #expect(watcher.wait(until: soon()) == .changed, "a folder made")
        while watcher.wait(until: briefly()) != .timedOut {}  // (the inner folder's event, if it came apart)
        corpus.write("sub/new/deeper/e.html", "<p>Palmyra</p>")
        #expect(watcher.wait(until: soon()) == .changed, "a file in the new folder")
    }

    /// A file named alone: only that file counts in its folder.
    @Test func aFileNamedAloneIsWatchedAlone() throws {
        let corpus = Corpus()
        corpus.write("a.txt", "Deir ez-Zor")
        let watcher = try FolderWatcher(paths: [corpus.folder + "/a.txt"])
        corpus.write("b.txt", "beside it")
        #expect(watcher.wait(until: briefly()) == .timedOut)
        corpus.write("a.txt", "Deir ez-Zor, again")
        #expect(watcher.wait(until: soon()) == .changed)
    }

    @Test func stopEndsTheWaitUnderWayAndEveryLaterOne() throws {
        let corpus = Corpus()
        let watcher = try FolderWatcher(paths: [corpus.folder])
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { watcher.stop() }
        let started = DispatchTime.now()
        #expect(watcher.wait() == .stopped)
        #expect(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds < 5_000_000_000)
        corpus.write("b.txt", "after the stop")
        #expect(watcher.wait(until: soon()) == .stopped)
    }

    @Test func aPathThatIsNotThereIsRefused() {
        #expect(throws: IndexerError.self) { try FolderWatcher(paths: ["/nonexistent/fahras-watch"]) }
        do {
            _ = try FolderWatcher(paths: ["/nonexistent/fahras-watch"])
        } catch {
            #expect(error.description.contains("cannot watch '/nonexistent/fahras-watch'") && error.description.contains("no such file"))
        }
    }
}
