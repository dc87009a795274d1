/// One stage of an analyzer chain after the tokenizer: tokens in, tokens out.
public protocol TokenFilter: Sendable {
    /// Rewrites, splits or drops tokens. Positions must stay in non-decreasing order.
    func filter(_ tokens: [Token]) -> [Token]
}

/// A filter that rewrites each term alone and never changes positions.
public protocol TermFilter: TokenFilter {
    /// The new term, or `nil` to drop the token (its position stays empty).
    func transform(_ term: String) -> String?
}

extension TermFilter {
    public func filter(_ tokens: [Token]) -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(tokens.count)
        for var token in tokens {
            guard let term = transform(token.term) else { continue }
            token.term = term
            out.append(token)
        }
        return out
    }
}

extension String {
    /// Whether every byte is ASCII: the fast path of most filters.
    @inline(__always)
    var isASCII: Bool {
        // Over the contiguous bytes, or-ed together: a loop the compiler vectorises.
        utf8.withContiguousStorageIfAvailable { bytes in bytes.reduce(0, |) < 0x80 } ?? utf8.allSatisfy { $0 < 0x80 }
    }
}
