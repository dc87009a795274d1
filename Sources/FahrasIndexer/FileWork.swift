import Foundation

/// Files processed on worker threads, each worker taking the next file as it finishes one,
/// as far as `ahead` files before the one the caller takes next; the caller takes their
/// outcomes in file order.
final class FileWork: @unchecked Sendable {
    private let files: [(SourceFile, UInt64?)]
    private let pipeline: DocumentPipeline
    private let lock = NSLock()
    private var outcomes: [DocumentPipeline.Outcome?]
    private var next = 0
    private var stopped = false
    /// One per file, signalled when its outcome is in.
    private let ready: [DispatchSemaphore]
    /// Places left in the window ahead of the caller.
    private let window: DispatchSemaphore
    private let workers: Int
    private let finished = DispatchGroup()

    init(_ files: [(SourceFile, UInt64?)], pipeline: DocumentPipeline, workers: Int, ahead: Int) {
        self.files = files
        self.pipeline = pipeline
        self.workers = max(1, workers)
        outcomes = Array(repeating: nil, count: files.count)
        ready = files.map { _ in DispatchSemaphore(value: 0) }
        window = DispatchSemaphore(value: max(1, ahead))
        for _ in 0..<self.workers {
            finished.enter()
            DispatchQueue.global().async {
                self.work()
                self.finished.leave()
            }
        }
    }

    private func work() {
        while true {
            window.wait()
            lock.lock()
            guard !stopped, next < files.count else {
                lock.unlock()
                window.signal()  // (for the next worker waiting, after a stop)
                return
            }
            let i = next
            next += 1
            lock.unlock()
            let outcome = pipeline.process(files[i].0, unlessHash: files[i].1)
            lock.lock()
            outcomes[i] = outcome
            lock.unlock()
            ready[i].signal()
        }
    }

    /// Waits for the outcome of file `i`; files are taken in order, each once.
    func outcome(of i: Int) -> DocumentPipeline.Outcome {
        ready[i].wait()
        lock.lock()
        let outcome = outcomes[i]!
        outcomes[i] = nil
        lock.unlock()
        window.signal()
        return outcome
    }

    /// Hands out no more files, and waits for the workers to finish the ones they hold.
    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        for _ in 0..<workers { window.signal() }
        finished.wait()
    }
}
