/// One stage of an analyzer chain after the tokenizer: tokens in, tokens out.
package protocol TokenFilter: Sendable {
    /// Rewrites, splits or drops tokens. Positions must stay in non-decreasing order.
    func filter(_ tokens: [Token]) -> [Token]
    /// Names the filter and each setting that changes its output (for ``Analyzer/signature``).
    var signature: String { get }
    /// The filter as a ``TermFilter``, if it is one. A witness, not `as? any TermFilter`: the
    /// cast searches every protocol conformance of the binary, in every process.
    var asTermFilter: (any TermFilter)? { get }
}

extension TokenFilter {
    /// The type's name: right for a filter with no settings of its own (the character table
    /// is named apart, by ``Analyzer/marksSignature``). Read with `_typeName`, as
    /// `String(describing:)` would print it: describing the type first asks the runtime which
    /// printing protocols it conforms to, a search of every conformance of the binary, about
    /// 1.3M instructions a filter in every process.
    package var signature: String { _typeName(Self.self, qualified: false) }
    package var asTermFilter: (any TermFilter)? { nil }
}

/// A filter that rewrites each term alone and never changes positions.
package protocol TermFilter: TokenFilter {
    /// The new term, or `nil` to drop the token (its position stays empty).
    func transform(_ term: String) -> String?

    /// Plain terms (ASCII lower-case letters and digits only) of up to this many bytes come
    /// out of ``transform(_:)`` unchanged; the analyzer then passes them by without calling
    /// it (most words of English text are plain). 0: no promise.
    var plainTermLimit: Int { get }
}

extension TermFilter {
    package var plainTermLimit: Int { 0 }
    package var asTermFilter: (any TermFilter)? { self }
}

extension String {
    /// Whether the term is plain: ASCII lower-case letters and digits only (see
    /// ``TermFilter/plainTermLimit``).
    @inline(__always)
    var isPlainTerm: Bool {
        withUTF8Bytes { bytes in bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) } }
    }

    /// Calls `body` with the UTF-8 bytes side by side (a small string's copied to the
    /// stack): loops over them cost a fraction of loops over ``utf8``, whose iterator
    /// asks at every step how the string is stored.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var copy = self
        return try copy.withUTF8(body)
    }
}

extension CharacterTable {
    /// Whether no ASCII lower-case letter or digit has one of `roles` in this table.
    func plainBytesHaveNone(of roles: Set<Role>) -> Bool {
        let plain = Array(0x30...0x39) + Array(0x61...0x7A)
        return plain.allSatisfy { role(of: UInt32($0)).map { !roles.contains($0) } ?? true }
    }
}

extension TermFilter {
    package func filter(_ tokens: [Token]) -> [Token] {
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
