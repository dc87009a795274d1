/// Drops tokens longer than a limit: base64 blobs, URLs glued into one word, the 50 MB
/// line without a space. Runs first so later filters never see them.
package struct LengthFilter: TermFilter {
    /// Longest term kept, in UTF-8 bytes (Lucene's StandardTokenizer default is 255 chars).
    package var maximumBytes: Int

    package init(maximumBytes: Int = 128) {
        self.maximumBytes = maximumBytes
    }

    package var signature: String { "LengthFilter(\(maximumBytes))" }

    package func transform(_ term: String) -> String? {
        term.utf8.count <= maximumBytes ? term : nil
    }

    package var plainTermLimit: Int { maximumBytes }
}
