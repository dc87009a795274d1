import Testing
@testable import FahrasExtract

@Suite("Extract: JSON Lines records")
struct JSONLinesTests {
    func records(_ text: String) throws(ExtractError) -> [JSONLinesRecord] {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { (buffer) throws(ExtractError) in try JSONLinesReader.records(buffer) }
    }

    @Test func readsIdsTitlesTextsAndSkipsBlankLinesAndOtherMembers() throws {
        let first = #"{"id": 7, "text": "Deir Ezzor", "extra": [1, {"a": null}], "title": "T"}"#
        let found = try records(first + """


            {"text":"caf\\u00e9 \\"q\\" \\ud83d\\ude00\\n\\/", "id":"a-2"}
            """)
        #expect(found == [
            JSONLinesRecord(id: "7", title: "T", text: "Deir Ezzor", line: 1, offset: 0),
            JSONLinesRecord(id: "a-2", title: "", text: "café \"q\" 😀\n/", line: 3, offset: first.utf8.count + 2),
        ])
    }

    @Test func aRecordIsReadAgainFromItsOffset() throws {
        let text = "{\"id\": 1, \"text\": \"a\"}\n{\"id\": \"b\", \"title\": \"T\", \"text\": \"Dayr al-Zawr\"}\n"
        let all = try records(text)
        let bytes = Array(text.utf8)
        for record in all {
            let again = try bytes[record.offset...].withUnsafeBufferPointer { (buffer) throws(ExtractError) in
                try JSONLinesReader.record(onLine: buffer, line: record.line)
            }
            #expect(again.id == record.id && again.title == record.title && again.text == record.text)
        }
        #expect(all.map(\.offset) == [0, 23])
        #expect(throws: ExtractError.self) {
            try [UInt8]("  \n".utf8).withUnsafeBufferPointer { (buffer) throws(ExtractError) in
                try JSONLinesReader.record(onLine: buffer, line: 4)
            }
        }
    }

    @Test func badLinesAreNamedWithTheirNumberAndReason() {
        let cases: [(String, Int, String)] = [
            ("{\"id\": 1, \"text\": \"a\"}\n{\"id\": 2}", 2, "no 'text'"),
            ("{\"text\": \"a\"}", 1, "no 'id'"),
            ("{\"id\": 1, \"text\": \"a\"\n", 1, "not closed"),
            ("{\"id\": 1, \"text\": 5}", 1, "'text' must be a string"),
            ("[1, 2]", 1, "expected a JSON object"),
            ("{\"id\": 1, \"text\": \"a\"} x", 1, "after the object"),
            ("{\"id\": 1, \"text\": \"\\x\"}", 1, "unknown escape"),
            // Numeric ids as JSON writes them, nothing looser (the reader took +-.eE).
            ("{\"id\": +-.eE, \"text\": \"a\"}", 1, "neither a string nor a JSON number: +-.eE"),
            ("{\"id\": 01, \"text\": \"a\"}", 1, "JSON number: 01"),
            ("{\"id\": 1e, \"text\": \"a\"}", 1, "JSON number: 1e"),
            ("{\"id\": -, \"text\": \"a\"}", 1, "JSON number: -"),
        ]
        for (text, line, reason) in cases {
            #expect(performing: { _ = try records(text) }, throws: { error in
                guard case .badRecord(let found, let why)? = error as? ExtractError else { return false }
                return found == line && why.contains(reason)
            })
        }
        #expect(throws: ExtractError.empty) { _ = try records("\n\n") }
        for id in ["0", "42", "-7", "1.5", "1.5e+3", "2E-2"] {
            #expect(JSONLinesReader.isNumber(Array(id.utf8)), "\(id)")
        }
        for id in ["+1", "1.", ".5", "1e+", "--1", "1..2", ""] {
            #expect(!JSONLinesReader.isNumber(Array(id.utf8)), "\(id)")
        }
    }

    /// Real exports list a story twice: the last record of an id is kept, and both lines named.
    @Test func aDuplicateIdKeepsTheLastRecordAndNamesBothLines() throws {
        let text = "{\"id\": 1, \"text\": \"old\"}\n{\"id\": 2, \"text\": \"b\"}\n{\"id\": 1, \"text\": \"new\"}"
        let bytes = Array(text.utf8)
        let (found, duplicates) = try bytes.withUnsafeBufferPointer { (buffer) throws(ExtractError) in try JSONLinesReader.read(buffer) }
        #expect(found.map(\.id) == ["2", "1"])
        #expect(found.map(\.text) == ["b", "new"])
        #expect(duplicates == [JSONLinesReader.Duplicate(id: "1", replacedLine: 1, line: 3)])
        #expect(duplicates[0].description.contains("line 3") && duplicates[0].description.contains("line 1"))
    }
}
