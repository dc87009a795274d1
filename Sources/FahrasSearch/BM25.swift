import Foundation

/// Okapi BM25 with Lucene's idf, over passages.
///
/// score(t, p) = idf(t) · (k1 + 1) · tf / (tf + k1 · (1 − b + b · dl / avgdl))
/// idf(t)      = ln(1 + (N − n + 0.5) / (n + 0.5))
///
/// N is the number of passages, n the passages containing t, tf the occurrences in the
/// passage, dl its length in word positions and avgdl the mean length. The `(k1 + 1)`
/// factor (kept by Tantivy, dropped by Lucene 8+) scales every score alike and does not
/// change the ranking. `dl` is read through the one-byte norm code Lucene and Tantivy use
/// (``LengthNorm``), so `ScoreModel` computes the length factor once per code and query.
/// A phrase scores like a term whose idf is the sum of its terms' idfs and whose tf is the
/// number of times the phrase occurs (Lucene's PhraseQuery).
package struct BM25: Sendable, Equatable {
    package var k1: Double
    package var b: Double

    package init(k1: Double = 1.2, b: Double = 0.75) {
        self.k1 = k1
        self.b = b
    }

    /// Lucene's idf. Never negative, even for a term in every passage.
    package func idf(documentFrequency n: Int, passageCount N: Int) -> Double {
        log(1 + (Double(N) - Double(n) + 0.5) / (Double(n) + 0.5))
    }
}
