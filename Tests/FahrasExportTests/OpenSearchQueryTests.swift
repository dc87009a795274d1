import Foundation
import Testing
import FahrasAnalysis
@testable import FahrasExport
import FahrasIndex
import FahrasIndexer
import FahrasJSONCore
import FahrasSearch

/// The documented shapes of OpenSearch's query DSL and index templates that an export uses:
/// each query type with the parameters its reference page lists, each field type with its
/// mapping parameters. A key outside them fails the test (OpenSearch rejects unknown ones).
enum OpenSearchShapes {
    /// Query type → the parameters of its body (for a field-keyed query, of the field's object).
    static let queries: [String: Set<String>] = [
        "bool": ["must", "filter", "should", "must_not", "minimum_should_match", "boost"],
        "dis_max": ["queries", "tie_breaker", "boost"],
        "function_score": ["query", "functions", "boost_mode", "score_mode", "max_boost", "min_score", "boost"],
        "span_near": ["clauses", "slop", "in_order", "boost"],
        "span_or": ["clauses", "boost"],
        "match_none": [],
        "term": ["value", "boost", "case_insensitive"],
        "range": ["gte", "gt", "lte", "lt", "format", "relation", "time_zone", "boost"],
        "wildcard": ["value", "boost", "case_insensitive", "rewrite"],
        "span_term": ["value", "boost"],
    ]
    static let fieldKeyed: Set<String> = ["term", "range", "wildcard", "span_term"]
    static let body: Set<String> = ["size", "from", "query", "sort", "_source"]

    /// Problems with a query node, and the field every span under it names.
    static func check(query node: Any, at path: String, problems: inout [String], spanFields: inout Set<String>) {
        guard let object = node as? [String: Any], object.count == 1, let (type, body) = object.first else {
            problems.append("\(path): a query is an object of one query type")
            return
        }
        guard let allowed = queries[type] else {
            problems.append("\(path): unknown query type \(type)")
            return
        }
        var parameters = body as? [String: Any] ?? [:]
        if fieldKeyed.contains(type) {
            guard parameters.count == 1, let (field, inner) = parameters.first else {
                problems.append("\(path).\(type): one field")
                return
            }
            if type.hasPrefix("span_") { spanFields.insert(field) }
            // span_term and term also take the short form `{FIELD: VALUE}`.
            parameters = inner as? [String: Any] ?? ["value": inner]
        }
        for key in parameters.keys where !allowed.contains(key) { problems.append("\(path).\(type): unknown parameter \(key)") }
        for key in ["must", "filter", "should", "must_not", "queries", "clauses"] {
            for (i, child) in (parameters[key] as? [Any] ?? []).enumerated() {
                var fields = Set<String>()
                check(query: child, at: "\(path).\(type).\(key)[\(i)]", problems: &problems, spanFields: &fields)
                spanFields.formUnion(fields)
            }
        }
        if let inner = parameters["query"] { check(query: inner, at: "\(path).\(type).query", problems: &problems, spanFields: &spanFields) }
        if type == "span_near" || type == "span_or" {
            let clauses = parameters["clauses"] as? [[String: Any]] ?? []
            if clauses.contains(where: { !($0.keys.first ?? "").hasPrefix("span_") }) { problems.append("\(path): a span holds spans only") }
        }
        if type == "span_near", spanFields.count > 1 { problems.append("\(path): span clauses of one span_near name one field") }
        if type == "function_score" {
            for function in parameters["functions"] as? [[String: Any]] ?? [] where !Set(function.keys).isSubset(of: ["weight", "filter"]) {
                problems.append("\(path): function \(function.keys)")
            }
        }
    }

    /// Field type → its mapping parameters that an export may set.
    static let fieldTypes: [String: Set<String>] = [
        "keyword": ["type", "normalizer", "index", "doc_values", "ignore_above"],
        "text": ["type", "analyzer", "search_analyzer", "similarity", "index_options", "norms"],
        "date": ["type", "format"],
        "integer": ["type"],
    ]

    static func check(template: [String: Any]) -> [String] {
        var problems: [String] = []
        for key in template.keys where !["index_patterns", "template", "priority", "version", "composed_of", "_meta", "data_stream"].contains(key) {
            problems.append("index template: unknown key \(key)")
        }
        let inner = template["template"] as? [String: Any] ?? [:]
        for key in inner.keys where !["settings", "mappings", "aliases"].contains(key) { problems.append("template: unknown key \(key)") }
        let settings = inner["settings"] as? [String: Any] ?? [:]
        let analysis = settings["analysis"] as? [String: Any] ?? [:]
        let analyzers = analysis["analyzer"] as? [String: [String: Any]] ?? [:]
        let filters = analysis["filter"] as? [String: [String: Any]] ?? [:]
        let normalizers = analysis["normalizer"] as? [String: Any] ?? [:]
        let similarities = (settings["index"] as? [String: Any])?["similarity"] as? [String: [String: Any]] ?? [:]
        for (name, similarity) in similarities where similarity["type"] as? String != "BM25" || !Set(similarity.keys).isSubset(of: ["type", "k1", "b", "discount_overlaps"]) {
            problems.append("similarity \(name): \(similarity)")
        }
        for (name, analyzer) in analyzers {
            if analyzer["type"] as? String != "custom" || !["whitespace", "standard", "keyword"].contains(analyzer["tokenizer"] as? String ?? "") {
                problems.append("analyzer \(name): \(analyzer)")
            }
            for filter in analyzer["filter"] as? [String] ?? [] where filters[filter] == nil && filter != "lowercase" {
                problems.append("analyzer \(name): undefined filter \(filter)")
            }
        }
        for (name, filter) in filters {
            if filter["type"] as? String != "pattern_capture" || !Set(filter.keys).isSubset(of: ["type", "patterns", "preserve_original"]) {
                problems.append("filter \(name): \(filter)")
            }
        }
        let mappings = inner["mappings"] as? [String: Any] ?? [:]
        for key in mappings.keys where !["dynamic", "_meta", "properties", "_source"].contains(key) { problems.append("mappings: unknown key \(key)") }
        for (name, spec) in mappings["properties"] as? [String: [String: Any]] ?? [:] {
            guard let type = spec["type"] as? String, let allowed = fieldTypes[type] else {
                problems.append("field \(name): type \(spec["type"] ?? "none")")
                continue
            }
            for key in spec.keys where !allowed.contains(key) { problems.append("field \(name): unknown parameter \(key)") }
            if let analyzer = spec["analyzer"] as? String, analyzers[analyzer] == nil, !["whitespace", "standard", "keyword", "simple"].contains(analyzer) {
                problems.append("field \(name): undefined analyzer \(analyzer)")
            }
            if let similarity = spec["similarity"] as? String, similarities[similarity] == nil { problems.append("field \(name): undefined similarity") }
            if let normalizer = spec["normalizer"] as? String, normalizers[normalizer] == nil { problems.append("field \(name): undefined normalizer") }
            if let options = spec["index_options"] as? String, !["docs", "freqs", "positions", "offsets"].contains(options) {
                problems.append("field \(name): index_options \(options)")
            }
        }
        return problems
    }
}

@Suite("Export: OpenSearch query DSL and mapping against golden files and documented shapes")
struct OpenSearchQueryTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// Compares `text` with the golden file `name`; FAHRAS_UPDATE_GOLDEN=1 writes it instead.
    func expectGolden(_ text: String, _ name: String) throws {
        let url = Self.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["FAHRAS_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text == expected, "\(name) differs from its golden file (FAHRAS_UPDATE_GOLDEN=1 rewrites it after a deliberate change)")
    }

    @Test func mappingMatchesItsGoldenFileAndTheDocumentedShapes() throws {
        let text = OpenSearchMapping.template(indexPattern: "fahras*", bm25: BM25(), analyzer: "SIGNATURE").pretty + "\n"
        try expectGolden(text, "mapping.json")
        let template = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let problems = OpenSearchShapes.check(template: template)
        #expect(problems.isEmpty, "\(problems)")
        // The stack pattern takes each term of an entry, and the separator is no white space
        // to Java (whose whitespace tokenizer would cut the entry there).
        let analysis = ((template["template"] as! [String: Any])["settings"] as! [String: Any])["analysis"] as! [String: Any]
        let pattern = (((analysis["filter"] as! [String: Any])["fahras_stack"] as! [String: Any])["patterns"] as! [String])[0]
        let regex = try NSRegularExpression(pattern: pattern)
        let entry = ["deir", "~DVYr|dayr", "@deir-ez-zor"].joined(separator: OpenSearchMapping.stackSeparator)
        let captured = regex.matches(in: entry, range: NSRange(entry.startIndex..., in: entry)).map { (entry as NSString).substring(with: $0.range(at: 1)) }
        #expect(captured == ["deir", "~DVYr|dayr", "@deir-ez-zor"])
        let separator = OpenSearchMapping.stackSeparator.unicodeScalars.first!.value
        #expect(!(0x09...0x0D).contains(separator) && !(0x1C...0x1F).contains(separator))
    }

    /// Both spelling modes leave out a word typed in lower case that the index writes as a
    /// common word, as `fahras search` does (``Searcher/withoutCommonWords(_:lookups:)``).
    @Test func aCommonWordIsNoNameInEitherMode() throws {
        let root = NSTemporaryDirectory() + "fahras-export-common-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/texts", withIntermediateDirectories: true)
        let records = ["the old talbiseh stood here", "three talbiseh of stone", "talbiseh and barns", "Talbiseh was rebuilt",
                       "Tallbisa was shelled"].enumerated().map { #"{"id": "r\#($0.offset)", "text": "\#($0.element)"}"# + "\n" }
        #expect(FileManager.default.createFile(atPath: root + "/texts/records.jsonl", contents: Data(records.joined().utf8)))
        _ = try Indexer().update(paths: [root + "/texts"], directory: root + "/Index", options: IndexingOptions())
        let searcher = Searcher(reader: try IndexDirectory(path: root + "/Index").open(analyzer: Analyzer.standard.signature),
                                analyzer: .standard)
        for spellings in [OpenSearchQuery.Spellings.checked, .foldKeys] {
            var emitter = OpenSearchQuery(searcher: searcher)
            emitter.spellings = spellings
            func body(_ text: String) throws -> String { try emitter.body(for: QueryParser(analyzer: searcher.analyzer).parse(text), size: 5, sort: nil).compact }
            #expect(try !body("talbiseh").contains("~"), "\(spellings)")
            #expect(try body("Talbiseh").contains("~"), "\(spellings)")
        }
    }

    static let queries = [
        "\"Deir Ezzor\"", "Dayr al-Zawr", "actor:Daesh", "al-Tanf site:sana.sy date:2017", "ISIS -Raqqa author:staff",
        "title:convoy doc:r", "date:>=2017-06", "+ISIS +Tanf", "=Tanf", "دير الزور",
    ]

    @Test func queriesMatchTheirGoldenFilesAndTheDocumentedShapes() throws {
        let fixture = try ExportFixture()
        let searcher = try fixture.searcher()
        let emitter = OpenSearchQuery(searcher: searcher)
        for (i, text) in Self.queries.enumerated() {
            let query = try QueryParser(analyzer: searcher.analyzer).parse(text)
            let body = try emitter.body(for: query, size: 20, sort: nil).pretty + "\n"
            try expectGolden(body, "query-\(i + 1).json")
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
            #expect(Set(object.keys).isSubset(of: OpenSearchShapes.body), "\(text)")
            var problems: [String] = []
            var fields = Set<String>()
            OpenSearchShapes.check(query: object["query"]!, at: "query", problems: &problems, spanFields: &fields)
            #expect(problems.isEmpty, "\(text): \(problems)")
        }
        // The validator catches what OpenSearch would refuse.
        var problems: [String] = []
        var fields = Set<String>()
        let bad: [String: Any] = ["bool": ["should": [["span_near": ["clauses": [["span_term": ["tokens": "a"]], ["span_term": ["words": "b"]]],
                                                                     "slop": 0]], ["term": ["tokens": ["value": "x", "weight": 2]]]]]]
        OpenSearchShapes.check(query: bad, at: "query", problems: &problems, spanFields: &fields)
        #expect(problems.count == 2, "\(problems)")
    }

    /// What each part of a query becomes, read from the emitted structure.
    @Test func clausesBecomeTheirDocumentedCounterparts() throws {
        let fixture = try ExportFixture()
        let searcher = try fixture.searcher()
        let emitter = OpenSearchQuery(searcher: searcher)
        func body(_ text: String) throws -> String { try emitter.body(for: QueryParser(analyzer: searcher.analyzer).parse(text), size: 5, sort: nil).compact }
        // A folded name: the spellings the index holds that pass the letter check, weighed 0.5.
        let name = try body("\"Deir Ezzor\"")
        #expect(name.contains(#""span_term":{"tokens":"~DVYr|dayr"}"#) && name.contains(#""boost":0.5"#))
        #expect(name.contains(#""tokens":"%Dr|دير""#), "the Arabic spelling")
        // A spelling filed under the same key that does not fold letter by letter is left out
        // (Mosel, the river, is not Mosul); matched by the key alone it is in.
        let key = try #require(Analyzer.standard.names).spelling(canonical: "mosul").key
        #expect(key == Analyzer.standard.names!.spelling(canonical: "mosel").key)
        #expect(try searcher.reader.documentFrequency(NameTerms.namePrefix + key + NameTerms.separator + "mosel") == 1, "the index files Mosel")
        let mosul = try body("Mosul")
        #expect(mosul.contains("|mosul\"") && !mosul.contains("|mosel\""), "\(mosul)")
        var keyed = emitter
        keyed.spellings = .foldKeys
        let byKey = try keyed.body(for: QueryParser(analyzer: searcher.analyzer).parse("Mosul"), size: 5, sort: nil).compact
        #expect(byKey.contains(#""prefix":{"tokens":{"value":"~"# + key + #"|"}}"#), "\(byKey)")
        // Typed as a name: an offset above everything else the query can score.
        #expect(try body("Dayr al-Zawr").contains(#""boost_mode":"sum""#))
        #expect(try !body("\"deir ezzor\"").contains("function_score"))
        // actor: is the entity's term.
        #expect(try body("actor:Daesh").contains(#"{"term":{"tokens":{"value":"@islamic-state"}}}"#))
        // Filters are filters; a query of filters alone is ordered newest first.
        let filtered = try body("date:>=2017-06")
        #expect(filtered.contains(#""filter":[{"range":{"date":{"gte":"2017-06-01","format":"strict_date"}}}]"#))
        #expect(filtered.contains(#""sort":[{"date":{"order":"desc","missing":"_last"}},"_score"]"#))
        // With filters and no required clause, one optional clause must still match.
        #expect(try body("ISIS site:sana.sy").contains(#""minimum_should_match":1"#))
        // A folded name the index has no spelling of matches nothing.
        #expect(try body("+Qwxzyville").contains("match_none"))
    }
}
