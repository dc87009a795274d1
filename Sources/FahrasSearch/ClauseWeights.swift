/// Each clause of a query with its terms and weight, in the query's order: worked out once
/// for all segments (weights are corpus-wide) and looked up as each segment's scorers are
/// built.
///
/// A query's few clauses are compared in turn, as ``appendNew(_:to:seen:)`` does: a hashed
/// table cost every query its hashing and storage code, where comparing a term clause is a
/// string comparison. A long query's clauses are found through a table.
struct ClauseWeights {
    struct Entry {
        var clause: Query.Clause
        var resolved: Searcher.ResolvedClause
        var weight: Double
    }

    private(set) var entries: [Entry] = []
    /// Where each clause is in `entries`, once there are more than ``comparedInTurn``.
    private var places: [Query.Clause: Int] = [:]
    private static let comparedInTurn = 16

    init() {}

    /// The terms and weight of `clause`, `nil` if it was not added (it matches nothing).
    subscript(clause: Query.Clause) -> (resolved: Searcher.ResolvedClause, weight: Double)? {
        guard let i = place(of: clause) else { return nil }
        return (entries[i].resolved, entries[i].weight)
    }

    /// Adds `clause`, unless it is there already.
    mutating func add(_ clause: Query.Clause, resolved: Searcher.ResolvedClause, weight: Double) {
        guard place(of: clause) == nil else { return }
        entries.append(Entry(clause: clause, resolved: resolved, weight: weight))
        if entries.count > Self.comparedInTurn {
            if places.isEmpty {
                for (i, entry) in entries.enumerated() { places[entry.clause] = i }
            } else {
                places[clause] = entries.count - 1
            }
        }
    }

    /// Sets the offset added to the scores of the clauses `selected` picks.
    mutating func setOffset(_ offset: Double, where selected: (Query.Clause) -> Bool) {
        for i in entries.indices where selected(entries[i].clause) { entries[i].resolved.offset = offset }
    }

    private func place(of clause: Query.Clause) -> Int? {
        if entries.count <= Self.comparedInTurn { return entries.firstIndex { $0.clause == clause } }
        return places[clause]
    }
}
