import FahrasAnalysis

/// An analyzer held by reference, for the parser made for every query: an ``Analyzer``
/// copied by value retains and releases each of its name stage's tables.
package final class SharedAnalyzer: Sendable {
    package let analyzer: Analyzer

    package init(_ analyzer: Analyzer) {
        self.analyzer = analyzer
    }
}
