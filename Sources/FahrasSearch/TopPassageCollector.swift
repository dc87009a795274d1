/// Keeps the `k` best (score, passage) pairs seen, in a binary min-heap.
///
/// Order: higher score first; equal scores by `precedes` (by default the lower passage
/// number), so results do not depend on the order passages were visited in.
package struct TopPassageCollector: Sendable {
    package struct Entry: Sendable, Equatable {
        package var passage: Int
        package var score: Double
    }

    package let capacity: Int
    private var heap: [Entry] = []
    /// Whether passage `a` ranks before passage `b` when their scores are equal.
    private let precedes: @Sendable (Int, Int) -> Bool

    package init(capacity: Int, precedes: @escaping @Sendable (Int, Int) -> Bool = { $0 < $1 }) {
        self.capacity = max(0, capacity)
        self.precedes = precedes
        heap.reserveCapacity(self.capacity)
    }

    /// Whether `a` ranks below `b`.
    @inline(__always)
    private func worse(_ a: Entry, _ b: Entry) -> Bool { Self.worse(a, b, precedes) }

    /// The lowest kept score once `capacity` entries are kept (a candidate must reach it).
    package var threshold: Double? {
        heap.count == capacity && capacity > 0 ? heap[0].score : nil
    }

    /// Offers a candidate; it is kept if it ranks among the best `capacity` so far.
    package mutating func collect(passage: Int, score: Double) {
        let entry = Entry(passage: passage, score: score)
        if heap.count < capacity {
            heap.append(entry)
            siftUp(heap.count - 1)
        } else if capacity > 0, worse(heap[0], entry) {
            replaceLowest(with: entry)
        }
    }

    /// The kept entries, best first.
    package func results() -> [Entry] {
        heap.sorted { worse($1, $0) }
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard worse(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Puts `entry` in place of the lowest kept one and sifts it down: through the heap's
    /// buffer, each child it passes moves up into the hole (a swap a level cost
    /// the array's uniqueness and bounds checks twice).
    private mutating func replaceLowest(with entry: Entry) {
        let precedes = self.precedes
        heap.withUnsafeMutableBufferPointer { heap in
            let count = heap.count
            var hole = 0
            while true {
                let left = 2 * hole + 1
                if left >= count { break }
                var child = left
                if left + 1 < count && Self.worse(heap[left + 1], heap[left], precedes) { child = left + 1 }
                if !Self.worse(heap[child], entry, precedes) { break }
                heap[hole] = heap[child]
                hole = child
            }
            heap[hole] = entry
        }
    }

    @inline(__always)
    private static func worse(_ a: Entry, _ b: Entry, _ precedes: (Int, Int) -> Bool) -> Bool {
        a.score != b.score ? a.score < b.score : (a.passage != b.passage && precedes(b.passage, a.passage))
    }
}
