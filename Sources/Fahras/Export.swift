import FahrasExport
import FahrasSearch

/// What ``SearchIndex/exportForOpenSearch(to:indexName:)`` wrote.
public struct OpenSearchExportSummary: Sendable, Equatable {
    /// Documents (articles, records) and passages written.
    public var documents: Int
    public var passages: Int
    /// `bulk-NNNN.ndjson` files, and their bytes together.
    public var bulkFiles: Int
    public var bytes: Int
}

extension SearchIndex {
    /// Writes the commit's live passages for OpenSearch into the folder `directory` (new, or
    /// empty): `mapping.json`, an index template for indexes named `indexName*`, and
    /// `bulk-NNNN.ndjson` files for the `_bulk` API, one document per passage with its
    /// article's fields and the terms Fahras indexes for it (`docs/scale-out.md`). The folder
    /// holds a whole export or, after a failure, nothing.
    public func exportForOpenSearch(to directory: String, indexName: String = "fahras") throws(FahrasError) -> OpenSearchExportSummary {
        guard Self.isIndexName(indexName) else {
            throw FahrasError(.badOption, "'\(indexName)' is not an OpenSearch index name: use lower-case letters, digits, '-' and '_', "
                + "not first '-' or '_'")
        }
        var export = OpenSearchExport(searcher: searcher)
        export.indexName = indexName
        do {
            let summary = try export.write(to: directory)
            return OpenSearchExportSummary(documents: summary.documents, passages: summary.passages, bulkFiles: summary.bulkFiles,
                                           bytes: summary.bytes)
        } catch {
            switch error {
            case .destinationNotEmpty, .unsafeTerm: throw FahrasError(.badOption, error.description)
            case .index(let inner): throw FahrasError(inner)
            case .search(let inner): throw FahrasError(inner)
            }
        }
    }

    /// The OpenSearch query DSL of `query` as ``search(_:options:)`` would run it (the body
    /// of `POST INDEX/_search` over an export): folded names resolved against this index's
    /// dictionary, `options.limit` as `size`, its sort, dates and actors. Collapsing copies
    /// and facets have no part in it. With `foldKeys`, a name's spellings are every term filed
    /// under its fold keys (`prefix` clauses), unchecked: for a cluster that holds spellings
    /// this index lacks, at a cost in precision (docs/scale-out.md measures it).
    /// `compact`: on one line (else indented).
    public func openSearchQuery(_ query: String, options: SearchOptions = SearchOptions(), foldKeys: Bool = false,
                                compact: Bool = false) throws(FahrasError) -> String {
        guard options.limit > 0 else { throw FahrasError(.badOption, "limit must be a positive number, got \(options.limit)") }
        do {
            let parsed = try parse(query, options: options, searcher: searcher)
            let sort = options.sort.map { FahrasSearch.SearchOptions.Sort(rawValue: $0.rawValue)! }
            let body = try OpenSearchQuery(searcher: searcher, spellings: foldKeys ? .foldKeys : .checked)
                .body(for: parsed, size: options.limit, sort: sort)
            return compact ? body.compact : body.pretty
        } catch {
            throw FahrasError(error)
        }
    }

    /// OpenSearch's rule for index names, in the characters Fahras allows.
    static func isIndexName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "_"), name.utf8.count <= 200 else {
            return false
        }
        return name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F }
    }
}
