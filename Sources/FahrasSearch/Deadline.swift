/// When a search gives up: a server bounds the time one request may take, so that one
/// costly query (every passage of a large archive, with facets) cannot hold a core.
///
/// Checked between the stages of a search and, inside the loops over postings, once every
/// ``stride`` passages or blocks: reading the clock costs about what scoring one passage does.
package struct Deadline: Sendable {
    /// The time allowed, and when it runs out; `nil`: never.
    package let limit: Duration?
    private let end: ContinuousClock.Instant?

    /// Steps of a loop between two looks at the clock.
    static let stride = 4096

    /// No limit.
    package static let none = Deadline(limit: nil)

    /// A deadline `limit` from now (`nil`: none).
    package init(limit: Duration?) {
        self.limit = limit
        end = limit.map { ContinuousClock.now + $0 }
    }

    /// `limit` for people: `5 s`, `0.25 s`.
    package static func seconds(_ limit: Duration) -> String {
        let (whole, atto) = limit.components
        let value = Double(whole) + Double(atto) / 1e18
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    /// Whether the time is up.
    var hasPassed: Bool {
        guard let end else { return false }
        return ContinuousClock.now >= end
    }

    /// Throws ``SearchError/timedOut(limit:)`` when the time is up.
    func check() throws(SearchError) {
        if hasPassed, let limit { throw .timedOut(limit: limit) }
    }
}

/// Counts the steps of a loop and looks at the deadline every ``Deadline/stride`` of them.
struct DeadlineCountdown {
    let deadline: Deadline
    private let stride: Int
    private var left: Int
    /// Set once the deadline was found passed; the loop then stops.
    private(set) var expired = false

    init(_ deadline: Deadline, stride: Int = Deadline.stride) {
        self.deadline = deadline
        self.stride = stride
        left = stride
    }

    /// One step; `true` when the loop must stop.
    @inline(__always)
    mutating func step() -> Bool {
        left -= 1
        guard left <= 0 else { return false }
        left = stride
        expired = deadline.hasPassed
        return expired
    }
}
