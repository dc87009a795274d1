#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the SIGBUS of reading a memory-mapped index file that another program truncated
/// (Fahras never changes a file once written) into one line naming the file and an exit,
/// instead of a crash. Mapped files register their address ranges; the handler, which may
/// not allocate or lock, reads that table.
package enum TruncationGuard {
    private struct Entry {
        var start: UInt = 0
        var end: UInt = 0
        var path: UnsafeMutablePointer<CChar>?
    }

    private static let capacity = 4096
    nonisolated(unsafe) private static let table: UnsafeMutablePointer<Entry> = {
        let table = UnsafeMutablePointer<Entry>.allocate(capacity: capacity)
        table.initialize(repeating: Entry(), count: capacity)
        return table
    }()
    nonisolated(unsafe) private static var lock = pthread_mutex_t()
    nonisolated(unsafe) private static var installed = false

    /// Installs the handler for the whole process (the command line does, first thing).
    package static func install() {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard !installed else { return }
        installed = true
        _ = table
        var action = sigaction()
        action.__sigaction_handler.sa_sigaction = { _, info, _ in TruncationGuard.fault(at: info?.pointee._sifields._sigfault.si_addr) }
        action.sa_flags = SA_SIGINFO
        sigaction(SIGBUS, &action, nil)
    }

    /// Records that `bytes` map the file at `path`.
    static func register(_ bytes: UnsafeRawBufferPointer, path: String) {
        guard let base = bytes.baseAddress else { return }
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        for i in 0..<capacity where table[i].start == 0 {
            table[i].path = strdup(path)
            table[i].end = UInt(bitPattern: base) + UInt(bytes.count)
            table[i].start = UInt(bitPattern: base)
            return
        }
    }

    /// Forgets the mapping that starts at `bytes`.
    static func unregister(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        for i in 0..<capacity where table[i].start == UInt(bitPattern: base) {
            table[i].start = 0
            free(table[i].path)
            table[i].path = nil
            return
        }
    }

    /// The handler: only async-signal-safe calls (write, _exit).
    private static func fault(at address: UnsafeMutableRawPointer?) {
        func say(_ text: StaticString) { _ = write(2, text.utf8Start, text.utf8CodeUnitCount) }
        let where_ = UInt(bitPattern: address)
        var path: UnsafeMutablePointer<CChar>?
        for i in 0..<capacity where table[i].start != 0 && table[i].start <= where_ && where_ < table[i].end {
            path = table[i].path
            break
        }
        say("fahras: error: ")
        if let path {
            _ = write(2, path, strlen(path))
        } else {
            say("a file of the index")
        }
        say(" was cut short while it was read: another program changed the index (Fahras never changes a file it has written); run `fahras check`\n")
        _exit(1)
    }
}
