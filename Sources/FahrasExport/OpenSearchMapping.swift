import FahrasAnalysis
import FahrasIndex
import FahrasJSONCore
import FahrasSearch

/// The index template an export writes as `mapping.json` (`PUT _index_template/NAME`), made
/// from the ``Schema``: one OpenSearch field per document field, plus the passage's text and
/// the terms Fahras indexes for it.
package enum OpenSearchMapping {
    /// Names the export's layout; a consumer checks it before reading `tokens`.
    package static let version = "fahras-opensearch-1"
    /// Joins the terms that share a position in `tokens` (a word and its variants, name keys
    /// and entity tags). No term holds it: the tokenizer never keeps a control character; and
    /// Java's whitespace test, which OpenSearch's whitespace tokenizer applies, takes U+001C to
    /// U+001F for spaces, so not one of those.
    package static let stackSeparator = "\u{1}"
    /// The BM25 similarity every searched field uses.
    static let similarity = "fahras_bm25"

    /// The template for indexes named `pattern` (`fahras*`), with Fahras's BM25 parameters
    /// and the analyzer signature the tokens were made with.
    package static func template(indexPattern pattern: String, bm25: BM25, analyzer signature: String) -> JSONValue {
        .object(
            ("index_patterns", .array([.string(pattern)])),
            ("template", .object(
                ("settings", settings(bm25: bm25)),
                ("mappings", .object(
                    ("dynamic", .string("strict")),
                    ("_meta", .object(("fahras_export", .string(version)), ("fahras_analyzer", .string(signature)))),
                    ("properties", .members(properties)))))),
            ("_meta", .object(("description", .string("Passages exported by fahras export --opensearch")))))
    }

    /// BM25 as Fahras scores, and the analyzers of the pre-analysed fields: `tokens` is split
    /// at spaces into positions, then each position into the terms stacked on it, every one
    /// at that position (pattern_capture emits each capture with no position increment);
    /// `words` and `title_tokens` are split at spaces only. Keyword fields compare without case.
    private static func settings(bm25: BM25) -> JSONValue {
        .object(
            ("index", .object(
                ("similarity", .object((similarity, .object(("type", .string("BM25")), ("k1", .double(bm25.k1)), ("b", .double(bm25.b)))))))),
            ("analysis", .object(
                ("filter", .object(("fahras_stack", .object(
                    ("type", .string("pattern_capture")), ("preserve_original", .bool(false)),
                    ("patterns", .array([.string("([^" + stackSeparator + "]+)")])))))),
                ("analyzer", .object(("fahras_tokens", .object(
                    ("type", .string("custom")), ("tokenizer", .string("whitespace")), ("filter", .array([.string("fahras_stack")])))))),
                ("normalizer", .object(("fahras_lowercase", .object(
                    ("type", .string("custom")), ("filter", .array([.string("lowercase")])))))))))
    }

    /// Every field of a passage document, in the order the bulk files write them.
    private static var properties: [(String, JSONValue)] {
        func keyword(normalized: Bool = false) -> JSONValue {
            normalized ? .object(("type", .string("keyword")), ("normalizer", .string("fahras_lowercase"))) : .object(("type", .string("keyword")))
        }
        func searched(_ analyzer: String, positions: Bool = true) -> JSONValue {
            .object(("type", .string("text")), ("analyzer", .string(analyzer)), ("similarity", .string(similarity)),
                    ("index_options", .string(positions ? "positions" : "docs")), ("norms", .bool(positions)))
        }
        var fields: [(String, JSONValue)] = [
            ("doc", keyword()), ("passage", .object(("type", .string("integer")))),
            ("title", .object(("type", .string("text")))), ("text", .object(("type", .string("text")))),
        ]
        for field in Schema.fields {
            switch field.kind {
            case .date: fields.append((field.name, .object(("type", .string("date")), ("format", .string("strict_date")))))
            case .keyword: fields.append((field.name, keyword(normalized: true)))
            case .stored: fields.append((field.name, .object(("type", .string("keyword")), ("index", .bool(false)))))
            }
        }
        fields += [
            ("content_hash", keyword()), ("fingerprint", keyword()),
            ("tokens", searched("fahras_tokens")), ("words", searched("whitespace")),
            ("title_tokens", searched("whitespace", positions: false)),
        ]
        return fields
    }
}
