import Dispatch
import Fahras
import Foundation
import Synchronization
import Testing

/// The summaries a watcher reported, with when, shared with the test's thread.
final class Reports: Sendable {
    private let reports = Mutex<[(at: DispatchTime, result: Result<IndexWriter.Summary, FahrasError>)]>([])

    func add(_ result: Result<IndexWriter.Summary, FahrasError>) { reports.withLock { $0.append((.now(), result)) } }
    var all: [(at: DispatchTime, result: Result<IndexWriter.Summary, FahrasError>)] { reports.withLock { $0 } }
    var summaries: [IndexWriter.Summary] { all.compactMap { try? $0.result.get() } }

    /// Waits (up to 20 s) until `done` holds of the summaries so far.
    func wait(for done: ([IndexWriter.Summary]) -> Bool) -> Bool {
        let limit = DispatchTime.now() + 20
        while DispatchTime.now() < limit {
            if done(summaries) { return true }
            usleep(20_000)
        }
        return done(summaries)
    }
}

@Suite("Library façade: an index kept up to date as files arrive")
struct IndexWatcherTests {
    /// Runs `watcher` on a thread of its own; returns a group left when `run` returns.
    func start(_ watcher: IndexWatcher, into reports: Reports) -> DispatchGroup {
        let group = DispatchGroup()
        group.enter()
        Thread.detachNewThread {
            watcher.run { reports.add($0) }
            group.leave()
        }
        return group
    }

    @Test func filesAreIndexedAsTheyArriveAndGoAsTheyGo() throws {
        let archive = try Archive()
        defer { archive.remove() }
        let watcher = try IndexWatcher(IndexWriter(at: archive.index), paths: [archive.folder], interval: .milliseconds(100))
        let reports = Reports()
        let running = start(watcher, into: reports)
        #expect(reports.wait { $0.count == 1 }, "the first update, at once")
        #expect(reports.summaries.first.map { !$0.committed && $0.unchanged == 3 } == true)

        try Archive.page(title: "Bridge reopens in Raqqa", site: "Example News", date: "2019-01-02",
                         paragraphs: ["The old bridge over the Euphrates in Raqqa reopened to traffic on Wednesday after repairs."])
            .write(toFile: archive.folder + "/d.html", atomically: true, encoding: .utf8)
        #expect(reports.wait { $0.contains { $0.added == 1 } })
        #expect(try SearchIndex(at: archive.index).search("Euphrates bridge").hits.first?.document.hasSuffix("d.html") == true)

        try FileManager.default.createDirectory(atPath: archive.folder + "/later", withIntermediateDirectories: true)
        try "Families returned to Palmyra after the fighting ended.\n".write(toFile: archive.folder + "/later/e.txt", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: archive.folder + "/b.html")
        #expect(reports.wait { $0.contains { $0.deleted == 1 } && $0.last?.documents == 4 })
        #expect(try SearchIndex(at: archive.index).search("Palmyra").hits.count == 1, "a file in a folder made while watching")
        #expect(try SearchIndex(at: archive.index).search("convoy").hits.isEmpty)

        watcher.stop()
        #expect(running.wait(timeout: .now() + 20) == .success, "run returns once stopped")
        #expect(reports.all.allSatisfy { (try? $0.result.get()) != nil }, "no update failed")
    }

    /// Files arriving one after another within an interval make one commit, not one each.
    @Test func commitsAreAtMostOneAnInterval() throws {
        let archive = try Archive()
        defer { archive.remove() }
        let interval = 1.5
        let watcher = try IndexWatcher(IndexWriter(at: archive.index), paths: [archive.folder], interval: .milliseconds(1_500))
        let reports = Reports()
        let running = start(watcher, into: reports)
        #expect(reports.wait { $0.count == 1 })
        for n in 0..<5 {
            try "Report \(n) from Idlib.\n".write(toFile: archive.folder + "/r\(n).txt", atomically: true, encoding: .utf8)
            usleep(100_000)
        }
        #expect(reports.wait { $0.reduce(0) { $0 + $1.added } == 5 })
        watcher.stop()
        #expect(running.wait(timeout: .now() + 20) == .success)
        let times = reports.all.map { Double($0.at.uptimeNanoseconds) / 1e9 }
        #expect(reports.all.count <= 3, "five files in half a second: at most two commits after the first, \(reports.all.count) updates")
        // The report comes after an update ends; updates start an interval apart at least.
        for (a, b) in zip(times, times.dropFirst()) { #expect(b - a >= interval - 0.25, "\(b - a) s apart") }
    }

    @Test func anEmptyFolderIsWatchedForItsFirstFile() throws {
        let root = NSTemporaryDirectory() + "fahras-watch-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/inbox", withIntermediateDirectories: true)
        let watcher = try IndexWatcher(IndexWriter(at: root + "/Index"), paths: [root + "/inbox"], interval: .milliseconds(100))
        let reports = Reports()
        let running = start(watcher, into: reports)
        let limit = DispatchTime.now() + 20
        while reports.all.isEmpty && DispatchTime.now() < limit { usleep(20_000) }
        if case .failure(let error) = reports.all.first?.result {
            #expect(error.reason == .badInput && error.message.contains("nothing to index"))
        } else {
            Issue.record("the first update of an empty folder fails: nothing to index")
        }
        try "Shelling near Deir Ezzor.\n".write(toFile: root + "/inbox/a.txt", atomically: true, encoding: .utf8)
        #expect(reports.wait { $0.contains { $0.added == 1 && $0.fresh } })
        watcher.stop()
        #expect(running.wait(timeout: .now() + 20) == .success)
    }

    @Test func aPathThatIsNotThereIsRefused() throws {
        let archive = try Archive()
        defer { archive.remove() }
        #expect {
            try IndexWatcher(IndexWriter(at: archive.index), paths: [archive.folder + "/missing"])
        } throws: { error in
            (error as? FahrasError)?.reason == .fileSystem && "\(error)".contains("cannot watch")
        }
    }
}
