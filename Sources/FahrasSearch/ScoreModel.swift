import FahrasIndex

/// BM25 for one index snapshot, with the length factor of each of the 256 norm codes
/// computed once (as Lucene's and Tantivy's BM25 weights cache them).
struct ScoreModel {
    let bm25: BM25
    /// `k1 · (1 − b + b · dl / avgdl)` for each norm code.
    let lengthFactors: [Double]

    /// Whether ``lengthFactors`` never decrease with the norm code (`b ≥ 0`): a passage
    /// then scores no more for a term than a shorter one with the same frequency.
    let longerScoresLess: Bool

    init(bm25: BM25, averageLength: Double) {
        self.bm25 = bm25
        lengthFactors = LengthNorm.lengths.map { length in
            averageLength > 0 ? bm25.k1 * (1 - bm25.b + bm25.b * Double(length) / averageLength) : bm25.k1
        }
        longerScoresLess = zip(lengthFactors, lengthFactors.dropFirst()).allSatisfy { $0 <= $1 }
    }

    /// The factor that turns an idf into a clause weight: `k1 + 1`.
    var weightFactor: Double { bm25.k1 + 1 }

    /// The score of a clause of weight `weight` (idf · (k1 + 1)) occurring `tf` times in a
    /// passage of norm code `norm`.
    @inline(__always)
    func score(weight: Double, tf: Int, norm: UInt8) -> Double {
        let t = Double(tf)
        return weight * t / (t + lengthFactors[Int(norm)])
    }

    /// The best score over (frequency, norm) pairs.
    func best(weight: Double, pairs: [(frequency: Int, norm: UInt8)]) -> Double {
        pairs.reduce(0) { max($0, score(weight: weight, tf: $1.frequency, norm: $1.norm)) }
    }
}
