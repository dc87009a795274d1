/// How a search ranks and what it adds to its hits.
package struct SearchOptions: Sendable {
    /// The order of the hits.
    package enum Sort: String, Sendable, CaseIterable {
        /// Best score first (the default for a query that scores).
        case score
        /// Oldest publication date first; undated passages last.
        case date
        /// Newest first; undated passages last (the default for a query of filters only).
        case newest = "-date"
    }

    /// How many hits (groups of copies, when collapsing) to return.
    package var limit = 10
    /// `nil`: by score, or newest first for a query made only of filters.
    package var sort: Sort?
    /// Fields to count over every matching passage (``Facets/fields``).
    package var facets: [String] = []
    /// Show near-duplicate passages (``Fingerprint``) as one hit with its copies.
    package var collapse = true
    /// With ``collapse``, also show passages whose text is a site's template (it stands on
    /// ``Searcher/templatePages`` or more of its articles); they are left out by default.
    package var keepTemplates = false
    /// Read each hit's text and highlights (`false`: numbers and where only, for benchmarks).
    package var fetchText = true
    /// Visit every matching passage so the total is exact (`false` lets top-k skip).
    package var countAll = true
    /// Stop with ``SearchError/timedOut(limit:)`` past this time (`nil`: no limit).
    package var timeLimit: Duration?

    package init(limit: Int = 10, sort: Sort? = nil, facets: [String] = [], collapse: Bool = true) {
        self.limit = limit
        self.sort = sort
        self.facets = facets
        self.collapse = collapse
    }
}

/// Another passage of the index whose text is a near-duplicate of a hit's.
package struct Copy: Sendable, Equatable {
    package var passage: Int
    /// Its document's path as indexed, and its position there.
    package var document: String
    package var ordinal: Int
    package var date: String?
    package var site: String?
}
