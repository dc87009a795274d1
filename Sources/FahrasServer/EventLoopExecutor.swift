import NIOCore
import NIOPosix

/// Runs tasks on the event loops that read the requests.
///
/// Without it a request handler runs on Swift's own pool of one thread a core while NIO's
/// loop threads, one a core too, wait to write the answers: twice as many busy threads as
/// cores, and under load an answer waits for the kernel to give its loop thread a turn.
/// A task started under this preference (``FahrasServer/run(_:)``), and every child task
/// of it (Hummingbird runs a connection as one), stays on the loop that woke it.
@available(macOS 15, *)
final class EventLoopExecutor: TaskExecutor {
    static let shared = EventLoopExecutor(group: .singleton)

    private let group: MultiThreadedEventLoopGroup

    init(group: MultiThreadedEventLoopGroup) {
        self.group = group
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // `any()` is the loop of the calling thread when it is one of the group's.
        group.any().execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
