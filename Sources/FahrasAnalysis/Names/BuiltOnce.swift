import Foundation
import Synchronization

/// A value made by the first caller that asks for it, then shared (thread-safe). Once made, it
/// is read without the lock: every query reads the entity matcher and the Arabic common words.
final class BuiltOnce<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private let ready = Atomic<Bool>(false)
    private var built: Value?

    /// Whether the value was made.
    var isBuilt: Bool { ready.load(ordering: .acquiring) }

    /// The value, made by `make` if this is the first request.
    func value(_ make: () -> Value) -> Value {
        // Written once, before `ready`: a reader that sees `ready` sees the value.
        if ready.load(ordering: .acquiring), let built { return built }
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let value = make()
        built = value
        ready.store(true, ordering: .releasing)
        return value
    }
}
