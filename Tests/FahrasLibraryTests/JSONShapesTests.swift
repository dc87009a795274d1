import FahrasJSON
import Testing

@Suite("JSON and number formats shared by the CLI and the server")
struct JSONShapesTests {
    /// A crafted index can make an average or a time any Double: formatting must not trap
    /// converting it to an Int (`stats` did, on a liveLength of 2^64 - 1).
    @Test func numbersBeyondAnIntAreWrittenNotTrapped() {
        #expect(String(format3: 1.23456) == "1.235" && String(format1: 2.25) == "2.3")
        #expect(String(format3: 1.8446744073709552e19) == "1.8446744073709552e+19")
        #expect(String(format3: .infinity) == "inf" && String(format3: .nan) == "nan")
        #expect(String(format1: 1e300) == "1e+300")
    }

    @Test func stringsAreEscapedByteByByte() {
        #expect(JSONWriter.quoted("a\"b\\c\n\u{1}\u{2028}") == "\"a\\\"b\\\\c\\n\\u0001\\u2028\"")
        // Runs of plain bytes between escapes, at either end, and other E2 sequences (€, –).
        #expect(JSONWriter.quoted("") == "\"\"")
        #expect(JSONWriter.quoted("دير الزور €5 – \"x\"\t\u{2029}") == "\"دير الزور €5 – \\\"x\\\"\\t\\u2029\"")
        #expect(JSONWriter.quoted("\u{7F}plain\r") == "\"\u{7F}plain\\r\"")
        #expect(JSONWriter.number(.nan) == "null")
    }
}
