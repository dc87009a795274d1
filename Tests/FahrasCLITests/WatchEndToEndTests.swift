import Foundation
import Testing

/// `fahras index --watch`: indexes what arrives until SIGINT, then says so and exits 0.
@Suite("CLI: index --watch")
struct WatchEndToEndTests {
    /// The lines a running process printed so far, read on a thread of their own.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                while true {
                    let data = handle.availableData
                    if data.isEmpty { return }
                    lock.withLock { text += String(decoding: data, as: UTF8.self) }
                }
            }
        }

        var all: String { lock.withLock { text } }

        /// Waits (up to 20 s) for a line holding `part`.
        func wait(for part: String) -> Bool {
            let limit = Date().addingTimeInterval(20)
            while Date() < limit {
                if all.contains(part) { return true }
                usleep(20_000)
            }
            return all.contains(part)
        }
    }

    /// Starts `fahras index FEED --index INDEX --watch` in `scratch`, with what it prints.
    func watch(_ scratch: Scratch, _ more: String...) throws -> (Process, out: Lines, err: Lines) {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["index", scratch.path + "/feed", "--index", scratch.path + "/Index", "--watch"] + more
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, Lines(output.fileHandleForReading), Lines(errors.fileHandleForReading))
    }

    @Test func filesAreIndexedAsTheyArriveUntilInterrupted() throws {
        let scratch = Scratch()
        scratch.write("feed/a.txt", "Shelling resumed near Deir Ezzor on Saturday.\n")
        let (process, out, err) = try watch(scratch, "--interval", "0.2")
        defer { if process.isRunning { process.terminate() } }
        #expect(out.wait(for: "Indexed 1 file"), "the first update: \(out.all) \(err.all)")
        #expect(err.wait(for: "fahras: watching 1 folder for changes"), "\(err.all)")

        scratch.write("feed/later/b.html", "<html><body><article><p>A convoy reached Palmyra on Friday with flour.</p></article></body></html>")
        #expect(out.wait(for: "Indexed: 1 added, 0 updated, 0 deleted, 1 unchanged"), "\(out.all) \(err.all)")
        let found = try CLI.run(["search", "Palmyra convoy", "--index", scratch.path + "/Index"])
        #expect(found.status == 0 && found.stdout.contains("later/b.html"), "\(found.stdout) \(found.stderr)")

        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(err.all.contains("fahras: stopping, after the update under way"), "\(err.all)")
        #expect(err.wait(for: "fahras: stopped watching"), "\(err.all)")
        #expect(out.all.split(separator: "\n").count == 2, "a line a commit: \(out.all)")
    }

    /// A second Ctrl-C does not wait for the update under way: it ends the process as it
    /// ends a plain `fahras index`, and the index is as its last commit left it.
    @Test func aSecondInterruptStopsAtOnce() throws {
        let scratch = Scratch()
        let sentence = "Residents said shelling resumed near Deir Ezzor and Abu Kamal after a week of calm. "
        for n in 0..<300 { scratch.write("feed/f\(n).txt", String(repeating: sentence, count: 20) + "Report \(n).\n") }
        let (process, out, err) = try watch(scratch)
        defer { if process.isRunning { process.terminate() } }
        #expect(err.wait(for: "for changes"), "\(err.all)")
        kill(process.processIdentifier, SIGINT)
        #expect(err.wait(for: "fahras: stopping, after the update under way"), "\(err.all)")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + SIGINT, "\(err.all)")
        #expect(out.all.isEmpty, "ended before the first update's summary: \(out.all)")
        #expect(err.all.contains("fahras: stopped at once"), "\(err.all)")
        let again = try CLI.run(["index", scratch.path + "/feed", "--index", scratch.path + "/Index"])
        #expect(again.status == 0 && again.stdout.contains("300"), "\(again.stdout) \(again.stderr)")
        let check = try CLI.run(["check", "--index", scratch.path + "/Index"])
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
    }

    /// A signal sent as soon as the watch is announced stops it, though the process was
    /// started with SIGINT and SIGTERM blocked (this runner's threads block them).
    @Test func aSignalRightAfterStartIsNotLost() throws {
        let scratch = Scratch()
        scratch.write("feed/a.txt", "Shelling resumed near Deir Ezzor on Saturday.\n")
        for _ in 0..<3 {
            let (process, _, err) = try watch(scratch)
            #expect(err.wait(for: "for changes"), "\(err.all)")
            kill(process.processIdentifier, SIGTERM)
            let limit = Date().addingTimeInterval(20)
            while process.isRunning && Date() < limit { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(err.all)")
        }
    }

    @Test func anIntervalWithoutWatchIsRefused() throws {
        let scratch = Scratch()
        scratch.write("feed/a.txt", "Deir Ezzor\n")
        let run = try CLI.run(["index", scratch.path + "/feed", "--index", scratch.path + "/Index", "--interval", "5"])
        #expect(run.status != 0 && run.stderr.contains("--interval goes with --watch"), "\(run.stderr)")
        let zero = try CLI.run(["index", scratch.path + "/feed", "--index", scratch.path + "/Index", "--watch", "--interval", "0"])
        #expect(zero.status != 0 && zero.stderr.contains("--interval must be a number of seconds above 0"), "\(zero.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/Index"), "nothing was indexed")
    }
}
