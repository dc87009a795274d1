import Dispatch
import Synchronization
import Testing
@testable import FahrasAnalysis

@Suite("Analyze: data built on first use, once, for every copy")
struct BuiltOnceTests {
    /// An indexing run builds the entity matcher on its own thread while workers that
    /// share the stage may ask for it: one of them makes it, all get that one.
    @Test func threadsAskingAtOnceGetTheOneValueMadeOnce() {
        let built = BuiltOnce<[Int]>()
        let makes = Atomic<Int>(0)
        let slots = UnsafeMutableBufferPointer<[Int]>.allocate(capacity: 16)
        slots.initialize(repeating: [])
        defer { slots.deinitialize(); slots.deallocate() }
        nonisolated(unsafe) let got = slots
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            got[i] = built.value {
                makes.add(1, ordering: .relaxed)
                return Array(0..<1_000).map { $0 * 3 }
            }
        }
        #expect(makes.load(ordering: .relaxed) == 1)
        #expect(slots.allSatisfy { $0.count == 1_000 && $0[999] == 2_997 })
        #expect(built.value { [] }.count == 1_000, "a later request makes nothing")
    }

    /// Copies of a name stage share its matcher: built through one, the other has it.
    @Test func aStageBuiltIsBuiltForItsCopies() {
        let stage = NameStage()
        let copy = stage
        stage.build()
        #expect(copy.matcherIsBuilt)
        #expect(!NameStage().matcherIsBuilt)
    }
}
