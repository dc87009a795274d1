import Dispatch
import Foundation
import Synchronization
import Testing
@testable import Fahras
@testable import FahrasAnalysis

/// ``Preparation``: the analyzer built on another thread, as far as the use needs it. Each
/// test builds an analyzer of its own (the standard one is shared by the whole test process).
struct PreparationTests {
    static let text = "Shelling near Deir Ezzor; the ISIS convoy left دير الزور for al-Bukamal."

    @Test func searchingBuildsTheEntityMatcherOnAnotherThread() throws {
        let analyzer = Analyzer.standard(entities: .bundled)
        let names = try #require(analyzer.names)
        #expect(!names.matcherIsBuilt)
        let evaluatedOn = Mutex<pthread_t?>(nil)
        let work = Preparation.begin(.searching, of: { evaluatedOn.withLock { $0 = pthread_self() }; return analyzer }())
        work.wait()
        #expect(names.matcherIsBuilt)
        let thread = try #require(evaluatedOn.withLock { $0 })
        #expect(pthread_equal(thread, pthread_self()) == 0)
    }

    @Test func indexingLeavesTheEntityMatcherToTheFirstChangedFile() throws {
        let analyzer = Analyzer.standard(entities: .bundled)
        let evaluated = Mutex(false)
        Preparation.begin(.indexing, of: { evaluated.withLock { $0 = true }; return analyzer }()).wait()
        #expect(evaluated.withLock { $0 })
        #expect(try #require(analyzer.names).matcherIsBuilt == false)
    }

    @Test func anAnalyzerUsedWhileItIsPreparedAnalysesAsOneBuiltBeforehand() {
        let reference = Analyzer.standard(entities: .bundled)
        reference.build()
        let expected = reference.analyze(PreparationTests.text).map(\.term)
        for _ in 0..<8 {
            let analyzer = Analyzer.standard(entities: .bundled)
            let work = Preparation.begin(.searching, of: analyzer)
            // Used at once here: this thread and the preparation race to build the matcher.
            let terms = analyzer.analyze(PreparationTests.text).map(\.term)
            work.wait()
            #expect(terms == expected)
        }
        // The reference went through the name stage: the entities of both scripts are tagged.
        #expect(["@deir-ez-zor", "@islamic-state", "@abu-kamal"].allSatisfy(expected.contains))
    }
}
