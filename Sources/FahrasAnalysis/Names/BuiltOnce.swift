import Foundation

/// A value made by the first caller that asks for it, then shared (thread-safe).
final class BuiltOnce<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var built: Value?

    /// The value, made by `make` if this is the first request.
    func value(_ make: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let built { return built }
        let value = make()
        built = value
        return value
    }
}
